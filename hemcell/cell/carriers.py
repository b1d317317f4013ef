"""Carrier ions Li⁺, Na⁺, K⁺: what the ion changes in the anode's physics.

Seed 000 L750–757: a larger ionic radius (Li⁺ 0.076, Na⁺ 0.102, K⁺ 0.138 nm, L752)
"decreases intercalation and conversion reaction kinetics, leading to the formation of
larger-size conversion products with reduced interfacial area for space-charge layer
formation, while simultaneously accommodating fewer charge carriers per unit interface
area". A parameter set is written for a reference ion (``reference_ion_radius``, Li⁺ by
default); running it with another ion A (``--ion``) changes, each from its own source:

- **kinetics and product size, per ion** (no scaling law): every rate constant and the
  conversion-product diameter of the reference ion, ``<key>``, is replaced by the set's
  value for A, ``<key>_<a>`` (``conversion_exchange_current_density_na``,
  ``metal_nanoparticle_diameter_k``, ... :data:`ION_KEYS`, :func:`ion_parameters`).
  Each such value carries its own source in the set (literature, calibrated, or
  ``assumed`` with a reason); a set that gives ``<key>`` but not ``<key>_<a>`` cannot be
  run with A (InputError);
- **space-charge areal capacitance** C_k → C_k·q_max,k(A)/q_max,k(ref): the interfacial
  bound at the ion's own site density (``space_charge_site_density_<a>``, one monolayer of
  its conversion product) and particle diameter
  (:func:`hemcell.cell.mechanisms.space_charge.rescale_for_ion`);
- **conversion branches referenced to A/A⁺**: every branch of an X-compound moves by
  ΔE_A = [ΔfG(Li_nX) − ΔfG(A_nX)]/(nF)
  (:func:`hemcell.materials.thermo.conversion_potential_shift_V`, sourced formation data
  per anion). A set states the shift it uses per ion
  (``conversion_potential_shift_na``, ``_k``), derived with that function for its anion
  (``tests/cell/test_carrier_physics.py`` checks every shipped set against it). It keeps
  the branch overpotentials (U_lith,k − E, U_delith,k − E) of the reference ion;
- **electrolyte and metal counter electrode** of the ion
  (:mod:`hemcell.cell.electrolytes`, applied by :func:`hemcell.cell.parameters.pybamm_values`);
- **alloying capacity** of each host from the ion's final alloy phase
  (``hemcell/materials/data/elements.yaml``: Q_A = Q_ref · y_A / y_ref, zero when no
  phase with that ion is sourced, e.g. Zn with Na or K). Alloy branch potentials are not
  shifted (no per-ion plateau values were found; docs/anode.md).

Not changed: the space-charge window (0.01–1.2 V, given vs the set's reference ion) and
the irreversible (SEI) onset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hemcell.errors import InputError
from hemcell.materials.elements import element_data
from hemcell.materials.roles import alloy_phase
from hemcell.params.uses import ParameterUse

#: Registry names read for every run (which ion the set is written for).
PARAMETERS: tuple[ParameterUse, ...] = (ParameterUse("reference_ion_radius", "m"),)

#: Per-ion quantities: base key → (SI unit, the mechanisms that read it). For a simulated
#: ion A other than the set's reference ion, ``<key>`` is replaced by the set's ``<key>_<a>``.
ION_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "intercalation_diffusivity": ("m**2/s", ("intercalation",)),
    "intercalation_exchange_current_density": ("A/m**2", ("intercalation",)),
    "conversion_exchange_current_density": ("A/m**2", ("conversion",)),
    "conversion_product_diffusivity": ("m**2/s", ("conversion",)),
    "metal_nanoparticle_diameter": ("m", ("conversion", "space_charge", "gel_sei")),
    "space_charge_site_density": ("1/m**2", ("space_charge",)),
    "alloying_exchange_current_density": ("A/m**2", ("alloying",)),
}


#: Per-ion quantities whose reference-ion value a run with another ion still reads: the
#: site density sets the interfacial bound the set's capacitance is a fraction of
#: (:func:`hemcell.cell.mechanisms.space_charge.rescale_for_ion`). Every other key of
#: :data:`ION_KEYS` is replaced by the ion's value.
REFERENCE_ION_READS = ("space_charge_site_density",)


def ion_parameters(mechanisms: Iterable[str]) -> tuple[ParameterUse, ...]:
    """What a run with another ion than the set's reference ion reads, for ``mechanisms``.

    ``{el}`` is the simulated ion (``na``, ``k``; group ``carrier_ion``): the per-ion
    value of every quantity an active mechanism reads, and with conversion the shift of
    the conversion branches.
    """
    mechs = set(mechanisms)
    uses = [ParameterUse(f"{key}_{{el}}", unit, "carrier_ion")
            for key, (unit, readers) in ION_KEYS.items() if mechs.intersection(readers)]
    if "conversion" in mechs:
        uses.insert(0, ParameterUse("conversion_potential_shift_{el}", "V", "carrier_ion"))
    return tuple(uses)


#: Shannon ionic radii quoted by seed 000 L752 [m] (hemcell/materials/data/elements.yaml)
IONIC_RADII_M = {
    ion: float(d["ionic_radius_nm"]) * 1e-9 for ion, d in element_data()["carrier_ions"].items()
}

_BRANCH_STEMS = ("conversion_lithiation_potential_", "conversion_delithiation_potential_")


@dataclass(frozen=True)
class IonProperties:
    """What hemcell knows of a carrier ion.

    Attributes
    ----------
    name
        ``Li``, ``Na`` or ``K``.
    ionic_radius_m
        Shannon radius quoted by seed 000 L752 [m].
    """

    name: str
    ionic_radius_m: float

    def footprint_ratio(self, reference: IonProperties) -> float:
        """(r_ref/r)²: carriers per unit interface area relative to the reference ion."""
        return (reference.ionic_radius_m / self.ionic_radius_m) ** 2


def check_ion(ion: str) -> str:
    """Normalise an ion name (``li``, ``Na+``, ...) to ``Li``/``Na``/``K``."""
    name = ion.strip().rstrip("+").capitalize()
    if name not in IONIC_RADII_M:
        raise InputError("--ion", ion, "Li, Na or K")
    return name


def ion_properties(ion: str) -> IonProperties:
    """The properties of ``ion`` (radius from seed 000 L752)."""
    name = check_ion(ion)
    return IonProperties(name=name, ionic_radius_m=IONIC_RADII_M[name])


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


#: Registry names (stems) whose value a run with another ion than the set's reaches
#: through :func:`apply_carrier_ion` (copied to ``<key>``, a potential shift, the
#: space-charge bound), not under their own name.
CARRIER_SUBSTITUTED_STEMS = (*ION_KEYS, "conversion_potential_shift",
                             "conversion_lithiation_potential",
                             "conversion_delithiation_potential",
                             "space_charge_areal_capacitance", "alloying_capacity")


def carrier_substituted(si: dict[str, Any], names: Iterable[str]) -> bool:
    """Whether one of ``names`` reaches the model through the carrier-ion substitution
    of ``si`` (values after :func:`apply_carrier_ion`, ``_carrier_ion`` not the set's
    reference ion): its value is then already copied as a number, and it cannot enter a
    model built from ``si`` as an input parameter under its own name."""
    ion = si.get("_carrier_ion")
    if ion is None or ion == reference_ion(si):
        return False
    return any(name.startswith(CARRIER_SUBSTITUTED_STEMS) for name in names)


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
        Unknown ion, or a set without the per-ion value ``<key>_<ion>`` of a quantity it
        gives for its reference ion (or, with conversion elements, without
        ``conversion_potential_shift_<ion>``).
    """
    out = dict(si)
    if ion is None:
        return out
    name = check_ion(ion)
    out["_carrier_ion"] = name
    ref = reference_ion(si)
    if name == ref:
        return out
    suffix = name.lower()
    for key in ION_KEYS:
        if key in si:
            out[key] = _need(si, f"{key}_{suffix}", ion, f"the {name} value of {key}")
    if any(k.startswith("space_charge_areal_capacitance_") and v > 0 for k, v in si.items()):
        # keeps the fraction of the interfacial bound the set's C_k fills
        from hemcell.cell.mechanisms.space_charge import rescale_for_ion

        rescale_for_ion(si, out)
    converts = any(k.startswith("conversion_capacity_") and v > 0 for k, v in si.items())
    if converts:
        key = f"conversion_potential_shift_{suffix}"
        shift = _need(si, key, ion, f"the conversion branches vs {name}/{name}+")
        for k in list(out):
            if k.startswith(_BRANCH_STEMS):
                out[k] = out[k] + shift
    for k in list(out):
        if k.startswith("alloying_capacity_") and out[k] > 0:
            el = k.rsplit("_", 1)[1].capitalize()
            out[k] = out[k] * _alloy_ion_ratio(el, name, ref)
    return out
