"""Carrier ions Li⁺, Na⁺, K⁺: how the ion changes the anode's kinetics and interfaces.

Seed 000 L750–757: a larger ionic radius (Li⁺ 0.076, Na⁺ 0.102, K⁺ 0.138 nm, L752)
"decreases intercalation and conversion reaction kinetics, leading to the formation of
larger-size conversion products with reduced interfacial area for space-charge layer
formation, while simultaneously accommodating fewer charge carriers per unit interface
area". hemcell turns that sentence into three relations, applied to a parameter set
written for a reference ion of radius r_ref (``reference_ion_radius``, Li⁺ by default):

    κ = (r_ref / r)^m                         kinetic factor (m = ``ion_kinetic_exponent``)
    k_X → κ·k_X                               every rate constant: exchange currents of
                                              intercalation, conversion, alloying; solid
                                              and product-shell diffusivities
    d_NP → d_NP · κ^(−1/3)                    conversion-product diameter: at a fixed metal
                                              volume the number of nuclei scales with the
                                              nucleation rate (∝ κ), so d ∝ N^(−1/3)
    C_k → C_k · (r_ref / r)²                  areal space-charge capacitance: carriers per
                                              unit interface area ∝ 1 / ion footprint

Only ``m`` is free (a parameter of the set, calibrated or assumed there). The ion also
brings its own half-cell and thermodynamics:

- **electrolyte and metal counter electrode** of the ion
  (:mod:`hemcell.cell.electrolytes`, applied by :func:`hemcell.cell.parameters.pybamm_values`);
- **conversion branches referenced to A/A⁺.** For MX_{z/2} + z A⁺ + z e⁻ → M + (z/2) A₂X
  the emf vs A/A⁺ is E_A = −ΔfG(A₂X)/(2F) + ΔfG(MX_{z/2})/(zF), so moving from Li to A
  shifts every conversion branch of an X-compound by

      ΔE_A = [ΔfG(Li₂X) − ΔfG(A₂X)] / (2F)                          (thermodynamic)

  independent of M and z (:func:`conversion_potential_shift_V`; Gibbs energies in
  ``hemcell/cell/data/carrier_ions.yaml``). It assumes the branch overpotentials
  (U_lith,k − E and U_delith,k − E) do not depend on the ion. A set states the shift it
  uses per ion (``conversion_potential_shift_na``, ``_k``), derived with this formula
  where the Gibbs energies are sourced (oxides) and ``assumed`` otherwise;
- **alloying capacity** of each host from the ion's final alloy phase
  (``hemcell/materials/data/elements.yaml``: Q_A = Q_ref · y_A / y_ref, zero when no
  phase with that ion is sourced, e.g. Zn with Na or K). Alloy branch potentials are not
  shifted (no per-ion plateau values were found; docs/anode.md).

Not changed: the space-charge window (0.01–1.2 V, given vs the set's reference ion) and
the irreversible (SEI) onset.
"""

from __future__ import annotations

from typing import Any

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.materials.elements import element_data
from hemcell.materials.roles import alloy_phase
from hemcell.params.uses import ParameterUse

#: Registry names read for every run (which ion the set is written for).
PARAMETERS: tuple[ParameterUse, ...] = (ParameterUse("reference_ion_radius", "m"),)
#: Read when another ion than the set's reference ion is simulated; ``{el}`` is the
#: simulated ion (``na``, ``k``), its conversion-branch shift read with conversion only.
ION_PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("ion_kinetic_exponent", "dimensionless"),
    ParameterUse("conversion_potential_shift_{el}", "V", "carrier_ion"),
)

#: Shannon ionic radii quoted by seed 000 L752 [m] (hemcell/materials/data/elements.yaml)
IONIC_RADII_M = {
    ion: float(d["ionic_radius_nm"]) * 1e-9 for ion, d in element_data()["carrier_ions"].items()
}

_RATE_KEYS = (
    "intercalation_diffusivity",
    "intercalation_exchange_current_density",
    "conversion_exchange_current_density",
    "conversion_product_diffusivity",
    "alloying_exchange_current_density",
)
_BRANCH_STEMS = ("conversion_lithiation_potential_", "conversion_delithiation_potential_")


def check_ion(ion: str) -> str:
    """Normalise an ion name (``li``, ``Na+``, ...) to ``Li``/``Na``/``K``."""
    name = ion.strip().rstrip("+").capitalize()
    if name not in IONIC_RADII_M:
        raise InputError("--ion", ion, "Li, Na or K")
    return name


def reference_ion(si: dict[str, Any]) -> str:
    """The ion a set is written for, from its ``reference_ion_radius``."""
    if "reference_ion_radius" not in si:
        raise InputError("parameter set", "no reference_ion_radius",
                         "a set giving the radius of the ion it is written for (seed 000 L752)")
    r_ref = float(si["reference_ion_radius"])
    for name, r in IONIC_RADII_M.items():
        if abs(r - r_ref) < 1e-15:
            return name
    raise InputError("reference_ion_radius", r_ref, "the radius of Li+, Na+ or K+ (seed 000 L752)")


def ion_factors(si: dict[str, Any], ion: str) -> dict[str, float]:
    """κ, the diameter factor and the capacitance factor of ``ion`` for a set."""
    r = IONIC_RADII_M[check_ion(ion)]
    r_ref = _need(si, "reference_ion_radius", ion, "which ion the set is written for")
    m = _need(si, "ion_kinetic_exponent", ion, "the kinetic factor of a larger ion")
    kappa = (r_ref / r) ** m
    return {
        "kinetic_factor": kappa,
        "diameter_factor": kappa ** (-1.0 / 3.0),
        "capacitance_factor": (r_ref / r) ** 2,
        "ionic_radius_m": r,
    }


def conversion_potential_shift_V(anion: str, ion: str, reference: str = "Li") -> float:
    """ΔE = [ΔfG(Ref₂X) − ΔfG(A₂X)] / (2F): shift of a conversion branch from the
    reference ion to ``ion`` for an X-compound [V] (module docstring).

    Raises
    ------
    InputError
        When the Gibbs energies of the two products are not in ``carrier_ions.yaml``.
    """
    from hemcell.cell.electrolytes import carrier_ion_data

    products = carrier_ion_data()["conversion_products"].get(anion, {})
    a, ref = check_ion(ion), check_ion(reference)
    if a not in products or ref not in products:
        raise InputError(
            "anion",
            anion,
            ", ".join(carrier_ion_data()["conversion_products"]),
            hint="no sourced Gibbs energies of formation of the conversion products",
        )
    dG_J = (products[ref]["gibbs_formation_kJ_per_mol"] - products[a]["gibbs_formation_kJ_per_mol"])
    return dG_J * 1e3 / (2 * FARADAY_C_PER_MOL)


def _need(si: dict[str, Any], key: str, ion: str, why: str) -> float:
    if key not in si:
        raise InputError(
            "--ion",
            ion,
            "an ion the parameter set supports",
            hint=f"the set gives no {key} ({why}); add one (or --set {key}=...) to "
            "simulate another carrier ion",
        )
    return float(si[key])


def _alloy_ion_ratio(el: str, ion: str, ref: str) -> float:
    """y_ion / y_ref of the final alloy phases of host ``el`` (0 if none with ``ion``)."""
    ph_ion, ph_ref = alloy_phase(el, ion), alloy_phase(el, ref)
    if ph_ion is None:
        return 0.0
    if ph_ref is None:
        raise InputError(f"alloying_capacity_{el.lower()}", el, f"a host with a {ref} alloy phase")
    return float(ph_ion["ions_per_atom"]) / float(ph_ref["ions_per_atom"])


def apply_carrier_ion(si: dict[str, Any], ion: str | None) -> dict[str, Any]:
    """A copy of the SI values for ``ion`` (unchanged for ``None`` or the reference ion).

    Raises
    ------
    InputError
        Unknown ion, or a set without ``ion_kinetic_exponent`` (or, with conversion
        elements, without ``conversion_potential_shift_<ion>``) asked for another ion.
    """
    out = dict(si)
    if ion is None:
        return out
    name = check_ion(ion)
    out["_carrier_ion"] = name
    ref = reference_ion(si)
    if name == ref:
        return out
    _need(si, "ion_kinetic_exponent", ion, "the kinetic factor of a larger ion")
    f = ion_factors(si, name)
    for k in _RATE_KEYS:
        if k in out:
            out[k] = out[k] * f["kinetic_factor"]
    if "metal_nanoparticle_diameter" in out:
        out["metal_nanoparticle_diameter"] *= f["diameter_factor"]
    for k in list(out):
        if k.startswith("space_charge_areal_capacitance_"):
            out[k] = out[k] * f["capacitance_factor"]
    converts = any(k.startswith("conversion_capacity_") and v > 0 for k, v in si.items())
    if converts:
        key = f"conversion_potential_shift_{name.lower()}"
        shift = _need(si, key, ion, f"the conversion branches vs {name}/{name}+")
        for k in list(out):
            if k.startswith(_BRANCH_STEMS):
                out[k] = out[k] + shift
    for k in list(out):
        if k.startswith("alloying_capacity_") and out[k] > 0:
            el = k.rsplit("_", 1)[1].capitalize()
            out[k] = out[k] * _alloy_ion_ratio(el, name, ref)
    return out
