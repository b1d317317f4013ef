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

Only ``m`` is free (a parameter of the set, calibrated or assumed there). What is *not*
changed: the branch potentials (vs the ion's own metal; no per-ion values were found),
the electrolyte and the metal counter electrode (the set's, e.g. LiPF₆/Li from Xu2019).
"""

from __future__ import annotations

from typing import Any

from hemcell.errors import InputError

#: Shannon ionic radii quoted by seed 000 L752 [m]
IONIC_RADII_M = {"Li": 0.076e-9, "Na": 0.102e-9, "K": 0.138e-9}

_RATE_KEYS = (
    "intercalation_diffusivity",
    "intercalation_exchange_current_density",
    "conversion_exchange_current_density",
    "conversion_product_diffusivity",
    "alloying_exchange_current_density",
)


def check_ion(ion: str) -> str:
    """Normalise an ion name (``li``, ``Na+``, ...) to ``Li``/``Na``/``K``."""
    name = ion.strip().rstrip("+").capitalize()
    if name not in IONIC_RADII_M:
        raise InputError("--ion", ion, "Li, Na or K")
    return name


def ion_factors(si: dict[str, Any], ion: str) -> dict[str, float]:
    """κ, the diameter factor and the capacitance factor of ``ion`` for a set."""
    r = IONIC_RADII_M[check_ion(ion)]
    r_ref = float(si.get("reference_ion_radius", IONIC_RADII_M["Li"]))
    m = float(si.get("ion_kinetic_exponent", 0.0))
    kappa = (r_ref / r) ** m
    return {
        "kinetic_factor": kappa,
        "diameter_factor": kappa ** (-1.0 / 3.0),
        "capacitance_factor": (r_ref / r) ** 2,
        "ionic_radius_m": r,
    }


def apply_carrier_ion(si: dict[str, Any], ion: str | None) -> dict[str, Any]:
    """A copy of the SI values for ``ion`` (unchanged for ``None`` or the reference ion).

    Raises
    ------
    InputError
        Unknown ion, or a set without ``ion_kinetic_exponent`` asked for another ion.
    """
    out = dict(si)
    if ion is None:
        return out
    name = check_ion(ion)
    out["_carrier_ion"] = name
    r_ref = float(si.get("reference_ion_radius", IONIC_RADII_M["Li"]))
    if abs(IONIC_RADII_M[name] - r_ref) < 1e-15:
        return out
    if "ion_kinetic_exponent" not in si:
        raise InputError(
            "--ion",
            ion,
            "an ion the parameter set supports",
            hint="the set gives no ion_kinetic_exponent; add one (or --set "
            "ion_kinetic_exponent=...) to simulate another carrier ion",
        )
    f = ion_factors(si, name)
    for k in _RATE_KEYS:
        if k in out:
            out[k] = out[k] * f["kinetic_factor"]
    if "metal_nanoparticle_diameter" in out:
        out["metal_nanoparticle_diameter"] *= f["diameter_factor"]
    for k in list(out):
        if k.startswith("space_charge_areal_capacitance_"):
            out[k] = out[k] * f["capacitance_factor"]
    return out
