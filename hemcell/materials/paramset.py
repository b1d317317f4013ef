"""A starting anode parameter set from a composition (``hemcell composition --write-params``).

The file follows ``docs/parameters.md`` and uses the names of
``parameters/registry/anode.yaml``:

- composition-derived values (``source: {derived: ...}`` saying how): per element the
  conversion capacity xᵢ qᵢ F/(3.6 M), the electrons per metal atom qᵢ, the alloying
  capacity xᵢ yᵢ F/(3.6 M) and the metal molar volume Mᵢ/ρᵢ;
- everything else is copied from the rock-salt set ``heo_rocksalt_mgconicuzn`` with its
  sources: the electrode, kinetic and window values as they are; the values that belong
  to that material (density, intercalation and irreversible capacity per gram, volume
  expansion) are copied as ``assumed`` placeholders unless the composition *is* that
  material; element values (branch potentials, reversible fractions, space-charge
  capacitance, alloying stages) only for the elements that set has, and only for Li;
- the initial metallic fraction of each active element from its oxidation state (0 for
  a cation, 1 for an element present as metal);
- what can be neither derived nor copied is left out and listed in ``notes``; the model
  declares every value it reads (:mod:`hemcell.params.uses`) and refuses a run without
  them, naming all at once (``hemcell params check FILE --for RECIPE`` lists them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.materials.elements import (
    atomic_mass_g_per_mol,
    faraday_capacity_mAh_per_g,
    metal_density_g_per_cm3,
)
from hemcell.materials.formula import parse_formula
from hemcell.materials.interfaces import (
    has_product,
    interfacial_storage_data,
    product_site_density_per_m2,
)
from hemcell.materials.roles import alloy_phase

BASE_SET = "heo_rocksalt_mgconicuzn"
BASE_FORMULA = "(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O"

#: Element-resolved registry stems (``<stem>_<element>``).
ELEMENT_STEMS = (
    "conversion_capacity", "conversion_lithiation_potential", "conversion_delithiation_potential",
    "conversion_reversible_fraction", "electrons_per_metal_atom", "metal_molar_volume",
    "initial_metallic_fraction", "alloying_capacity", "alloying_stage_fractions",
    "alloying_lithiation_potentials", "alloying_delithiation_potentials",
    "alloying_volume_expansion", "space_charge_areal_capacitance", "spin_polarization",
)
#: Values of the base set that belong to its composition.
MATERIAL_SPECIFIC = ("anode_active_material_density", "intercalation_capacity",
                     "irreversible_capacity", "conversion_volume_expansion")
#: Element values copied from the base set, by the mechanism that needs them.
_COPY_BY_ROLE = {
    "conversion": ("conversion_lithiation_potential", "conversion_delithiation_potential",
                   "conversion_reversible_fraction"),
    "alloying": ("alloying_stage_fractions", "alloying_lithiation_potentials",
                 "alloying_delithiation_potentials", "alloying_volume_expansion"),
    "space_charge": ("space_charge_areal_capacitance", "spin_polarization"),
}
_ELEMENT_KEY = re.compile(r"^(?P<stem>[a-z_]+?)_(?P<el>[a-z]{1,2})$")
_SET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Intercalation placeholder of the base set: 0.1 Li per formula unit (assumed there).
_INTERCALATION_LI_PER_FU = 0.1


def _sig(x: float, digits: int = 6) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _is_element_key(name: str) -> bool:
    m = _ELEMENT_KEY.match(name)
    return bool(m) and m.group("stem") in ELEMENT_STEMS


def _registry_names() -> frozenset[str]:
    """Names declared in ``parameters/registry/*.yaml`` (keys only: no unit parsing, fast)."""
    from hemcell.params.yaml_io import safe_load_text
    from hemcell.resources import data_dir

    names: set[str] = set()
    for path in sorted((data_dir("parameters") / "registry").glob("*.yaml")):
        doc = safe_load_text(path.read_text(encoding="utf-8"), str(path)) or {}
        names.update(str(k) for k in doc)
    return frozenset(names)


def check_output_path(path: str | Path) -> Path:
    """The ``--write-params`` path, checked: a ``.yaml`` file whose stem is a set name.

    Raises
    ------
    InputError
        If the file name cannot be a set name (``lower_case_name.yaml``).
    """
    path = Path(path)
    if path.suffix not in (".yaml", ".yml") or not _SET_NAME.match(path.stem):
        raise InputError("--write-params", str(path),
                         "a .yaml file named in lower case, digits and _ (the name becomes "
                         "the set's name), e.g. heo_spinel.yaml")
    return path


def _load_base() -> tuple[dict[str, Any], Path]:
    from hemcell.params.parameter_set import resolve_parameter_path
    from hemcell.params.yaml_io import safe_load_text

    path = resolve_parameter_path(BASE_SET)
    return safe_load_text(path.read_text(encoding="utf-8"), str(path)), path


def _same_amounts(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return set(a) == set(b) and all(abs(a[k] - b[k]) < 1e-9 for k in a)


def _fmt_amount(x: float) -> str:
    return f"{x:.6g}"


def build_parameter_set(inventory: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The parameter-set document (a dict ready for YAML) for an inventory.

    Parameters
    ----------
    inventory
        From :func:`hemcell.materials.composition_inventory`.
    name
        The set's name (the file stem).
    """
    specs = _registry_names()
    base, _ = _load_base()
    base_params: dict[str, Any] = base.get("parameters", {})
    formula = inventory["formula"]
    ion = inventory["ion"]
    amounts: Mapping[str, float] = inventory["amounts"]
    roles: Mapping[str, list[str]] = inventory["roles"]
    states: Mapping[str, float] = inventory["oxidation_states"]
    molar_mass = inventory["molar_mass_g_per_mol"]
    same = _same_amounts(amounts, parse_formula(BASE_FORMULA).amounts)
    oxide = set(inventory["sublattices"].get("anion", {})) == {"O"}
    m_txt = f"{molar_mass:.3f} g/mol"
    params: dict[str, Any] = {}
    notes: list[str] = [
        f"Written by `hemcell composition '{formula}' --ion {ion} --write-params`: "
        f"M = {m_txt}, oxidation states from charge balance "
        f"(rule: {inventory['oxidation_rule']}; "
        f"{', '.join(f'{el} {q:+.4g}' for el, q in states.items())}).",
        f"Values not derived from the composition are copied from {BASE_SET} "
        "(the rock-salt (Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O set) with their sources.",
    ]
    if ion != "Li":
        notes.append(f"Carrier ion {ion}: the capacities are for {ion}, but the copied "
                     f"potentials are those of the Li set. For a {ion} simulation, write the "
                     f"set for Li and run it with `hemcell cell run ... --ion {ion}`, which "
                     f"applies the {ion} electrolyte, {ion}-metal counter electrode, the "
                     f"conversion-branch shift and the {ion} alloy phases (docs/anode.md).")

    # -------------------------------------------------- copied, not element-resolved
    for pname, entry in base_params.items():
        if _is_element_key(pname) or pname in MATERIAL_SPECIFIC:
            continue
        params[pname] = dict(entry)

    # -------------------------------------------------- material-specific placeholders
    for pname in MATERIAL_SPECIFIC:
        if pname not in base_params:
            continue
        entry = dict(base_params[pname])
        if same:
            params[pname] = entry
            continue
        if pname == "intercalation_capacity":
            q = faraday_capacity_mAh_per_g(_INTERCALATION_LI_PER_FU, molar_mass)
            params[pname] = {
                "value": _sig(q), "unit": "mAh/g",
                "source": {"assumed": (
                    f"{_INTERCALATION_LI_PER_FU} Li per formula unit as assumed in {BASE_SET} "
                    f"(F*{_INTERCALATION_LI_PER_FU}/(3.6*M), M = {m_txt}); no intercalation "
                    "amount is known for this composition")},
            }
            continue
        was = entry["source"]
        how = next(iter(was.values())) if isinstance(was, dict) else str(was)
        params[pname] = {
            "value": entry["value"], "unit": entry["unit"],
            "source": {"assumed": (
                f"placeholder copied from {BASE_SET}, where it is for "
                f"(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O ({next(iter(was))}: {str(how).strip()[:160]}); "
                "not known for this composition")},
        }

    # -------------------------------------------------- element-resolved
    missing: list[str] = []
    no_registry: list[str] = []

    # one carrier-ion monolayer of the conversion product (hemcell.materials.interfaces);
    # the plain key is for the set's reference ion (Li, copied from the base set)
    anions = list(inventory["sublattices"].get("anion", {}))
    for pname in [k for k in params if k.startswith("space_charge_site_density")]:
        carrier = ("Li" if pname == "space_charge_site_density"
                   else pname.rsplit("_", 1)[1].capitalize())
        if len(anions) == 1 and has_product(anions[0], carrier):
            product = interfacial_storage_data()["products"][anions[0]][carrier]["formula"]
            params[pname] = {
                "value": _sig(product_site_density_per_m2(anions[0], carrier), 5),
                "unit": "1/m**2",
                "source": {"derived": (
                    f"one {product} monolayer, n^(2/3) of its {carrier} number density "
                    "(hemcell.materials.interfaces.product_site_density_per_m2, densities "
                    "sourced in hemcell/materials/data/interfacial_storage.yaml)")},
            }
        else:
            del params[pname]
            if any("space_charge" in r for r in roles.values()):
                missing.append(pname)

    def put(pname: str, entry: dict[str, Any]) -> None:
        if pname in specs:
            params[pname] = entry
        else:
            no_registry.append(pname)

    for el, n in amounts.items():
        r = roles.get(el, [])
        s = el.lower()
        if "conversion" in r:
            q = states[el]
            put(f"conversion_capacity_{s}", {
                "value": _sig(faraday_capacity_mAh_per_g(n * q, molar_mass)), "unit": "mAh/g",
                "source": {"derived": (
                    f"{_fmt_amount(n)} {el} per formula unit x {q:.4g} e- ({el}{q:+.4g} -> "
                    f"{el}0) x F / (3.6 x {m_txt}); hemcell composition")},
            })
            put(f"electrons_per_metal_atom_{s}", {
                "value": _sig(q), "unit": "dimensionless",
                "source": {"derived": (
                    f"oxidation state of {el} in {formula} from charge balance (rule: "
                    f"{inventory['oxidation_rule']}; hemcell.materials.oxidation)")},
            })
        if "alloying" in r:
            phase = alloy_phase(el, ion)
            assert phase is not None
            y = float(phase["ions_per_atom"])
            put(f"alloying_capacity_{s}", {
                "value": _sig(faraday_capacity_mAh_per_g(n * y, molar_mass)), "unit": "mAh/g",
                "source": {"derived": (
                    f"{_fmt_amount(n)} {el} per formula unit x {y:.4g} {ion} ({el} -> "
                    f"{phase['phase']}) x F / (3.6 x {m_txt}); phase: {phase['source']}")},
            })
        if "conversion" in r or "space_charge" in r:
            rho = metal_density_g_per_cm3(el)
            if rho:
                mass = atomic_mass_g_per_mol(el)
                put(f"metal_molar_volume_{s}", {
                    "value": _sig(mass / rho, 5), "unit": "cm**3/mol",
                    "source": {"derived": (
                        f"{mass:.4f} g/mol / {rho:g} g/cm3 (periodictable: CIAAW 2021 atomic "
                        "weight, CRC Handbook 80th ed. density)")},
                })
        for role, stems in _COPY_BY_ROLE.items():
            if role not in r:
                continue
            for stem in stems:
                pname = f"{stem}_{s}"
                if pname in base_params and ion == "Li":
                    entry = dict(base_params[pname])
                    if not same:
                        entry["note"] = ((str(entry.get("note", "")) + " ").lstrip()
                                         + f"Copied from {BASE_SET} (value for {el} in the "
                                           "rock-salt HEO).")
                    if not oxide and stem.startswith("conversion_"):
                        entry["note"] = ((str(entry.get("note", "")) + " ").lstrip()
                                         + "Oxide value; the host anion here is not O.")
                    params[pname] = entry
                else:
                    missing.append(pname)
        if {"conversion", "alloying", "space_charge"} & set(r):
            q = states.get(el, 0.0)
            put(f"initial_metallic_fraction_{s}", {
                "value": 0.0 if q else 1.0, "unit": "dimensionless",
                "source": {"derived": (
                    f"oxidation state {q:+.4g} of {el} in {formula} (charge balance, rule: "
                    f"{inventory['oxidation_rule']}): "
                    + ("no metal before the first lithiation" if q else "present as metal"))},
            })

    if missing:
        notes.append("Not derivable and not in the base set (add before simulating; a run "
                     "refuses the set naming all of them, and `hemcell params check FILE "
                     "--for RECIPE` lists them): " + ", ".join(missing) + ".")
    if no_registry:
        notes.append("No registry name for: " + ", ".join(no_registry)
                     + " (parameters/registry/anode.yaml); left out.")
    inactive = [el for el, r in roles.items() if r == ["inactive"]]
    if inactive:
        notes.append("Inactive (no entries): " + ", ".join(inactive) + ".")
    notes.append(f"Theoretical capacities (mAh/g): conversion "
                 f"{inventory['capacity_mAh_per_g']['conversion']:.1f}, alloying "
                 f"{inventory['capacity_mAh_per_g']['alloying']:.1f}, total "
                 f"{inventory['capacity_mAh_per_g']['total']:.1f}.")

    used_refs = {e["source"]["ref"] for e in params.values()
                 if isinstance(e.get("source"), dict) and "ref" in e["source"]}
    references = {k: v for k, v in (base.get("references") or {}).items() if k in used_refs}
    doc: dict[str, Any] = {
        "name": name,
        "kind": "anode",
        "description": (f"Starting anode parameter set for {formula} with {ion} carriers: "
                        f"composition-derived capacities (hemcell composition), other values "
                        f"copied from {BASE_SET}."),
    }
    if base.get("pybamm_base"):
        doc["pybamm_base"] = base["pybamm_base"]
    if references:
        doc["references"] = references
    doc["parameters"] = params
    doc["notes"] = notes
    return doc


def write_parameter_set(inventory: Mapping[str, Any], path: str | Path) -> Path:
    """Write the starting parameter set of an inventory to ``path`` (YAML).

    Raises
    ------
    InputError
        If the file name cannot be a set name (``lower_case_name.yaml``).
    """
    import yaml

    path = check_output_path(path)
    doc = build_parameter_set(inventory, path.stem)
    header = (f"# Starting anode parameter set for {inventory['formula']} "
              f"({inventory['ion']} carriers), written by `hemcell composition`.\n"
              "# Format: docs/parameters.md; names: parameters/registry/anode.yaml.\n"
              "# Check it with `hemcell params check FILE`; see the notes at the end.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True,
                                            width=92), encoding="utf-8")
    return path
