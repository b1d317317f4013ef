"""Element data shipped with hemcell (``hemcell/materials/data/elements.yaml``).

Atomic masses and metal densities come from the ``periodictable`` package (CIAAW 2021
standard atomic weights; CRC Handbook densities); everything else (oxidation states,
mechanism roles, alloy phases, carrier-ion radii, melting points of the metal electrodes)
from the YAML file, where each entry names its source.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from hemcell.errors import DependencyError, InputError
from hemcell.laws import FARADAY_C_PER_MOL

ELEMENTS_FILE = Path(__file__).with_name("data") / "elements.yaml"

#: Coulombs per mAh.
C_PER_MAH = 3.6


@lru_cache(maxsize=1)
def element_data() -> dict[str, Any]:
    """The parsed ``elements.yaml`` (sources, elements, anions, alloy_phases, carrier_ions)."""
    from hemcell.params.yaml_io import safe_load_text

    return safe_load_text(ELEMENTS_FILE.read_text(encoding="utf-8"), str(ELEMENTS_FILE))


def _periodictable() -> Any:
    try:
        import periodictable
    except ImportError:  # pragma: no cover - depends on the environment
        raise DependencyError(
            "the composition tools need the 'periodictable' package (atomic masses)",
            hint="pip install periodictable",
        ) from None
    return periodictable


def atomic_mass_g_per_mol(symbol: str) -> float:
    """Standard atomic weight of an element [g mol⁻¹] (CIAAW 2021, via periodictable)."""
    mass = _periodictable().elements.symbol(symbol).mass
    if mass is None:  # pragma: no cover - only for elements without a standard weight
        raise InputError("element", symbol, "an element with a standard atomic weight")
    return float(mass)


def metal_density_g_per_cm3(symbol: str) -> float | None:
    """Density of the element at about 20 °C [g cm⁻³] (CRC Handbook, via periodictable)."""
    rho = _periodictable().elements.symbol(symbol).density
    return None if rho is None else float(rho)


def molar_mass_g_per_mol(amounts: dict[str, float]) -> float:
    """Molar mass of a formula unit, M = Σ nᵢ Mᵢ [g mol⁻¹]."""
    return sum(n * atomic_mass_g_per_mol(el) for el, n in amounts.items())


def faraday_capacity_mAh_per_g(electrons_per_formula_unit: float,
                               molar_mass: float) -> float:
    """Theoretical capacity Q = n F / (3.6 M) [mAh g⁻¹].

    Parameters
    ----------
    electrons_per_formula_unit
        n, electrons (= carrier ions) stored per formula unit.
    molar_mass
        M, molar mass of the formula unit [g mol⁻¹].
    """
    return electrons_per_formula_unit * FARADAY_C_PER_MOL / (C_PER_MAH * molar_mass)


def carrier_ion(symbol: str) -> dict[str, Any]:
    """Data of a carrier ion (Li, Na, K): ionic radius [nm] and its source.

    Raises
    ------
    InputError
        For any other ion.
    """
    ions = element_data()["carrier_ions"]
    key = symbol.strip().capitalize() if isinstance(symbol, str) else symbol
    if key not in ions:
        raise InputError("--ion", symbol, f"one of {', '.join(ions)}")
    return {"symbol": key, **ions[key]}


def melting_point(symbol: str) -> dict[str, Any]:
    """Melting point of a metal electrode: ``{"value": K, "unit": "K", "source": text}``.

    Raises
    ------
    InputError
        For a metal without a sourced melting point.
    """
    data = element_data()
    points = data["melting_points"]
    if symbol not in points:
        raise InputError("metal electrode", symbol, f"one of {', '.join(points)}",
                         hint="no sourced melting point for this metal")
    entry = points[symbol]
    return {"value": float(entry["value"]), "unit": entry["unit"],
            "source": data["sources"].get(entry["source"], entry["source"])}


def refuse_molten_metal(symbol: str, temperature_K: float, electrode: str,
                        field: str = "ambient_temperature", hint: str | None = None) -> None:
    """Refuse a cell whose ``symbol`` metal ``electrode`` is at or above its melting point.

    Raises
    ------
    InputError
        Naming ``field`` (the parameter or option that set the temperature) and the
        melting point.
    """
    melting_K = melting_point(symbol)["value"]
    if temperature_K >= melting_K:
        raise InputError(field, f"{temperature_K:g} K",
                         f"below {melting_K:g} K, where the {symbol} {electrode} melts",
                         hint=hint or f"the {symbol} {electrode} must be solid")
