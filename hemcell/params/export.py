"""Parameter exchange with the formats PyBaMM users open: PyBaMM JSON and BPX.

- :func:`write_pybamm_json`: a ``pybamm.ParameterValues`` as PyBaMM's own JSON
  (``ParameterValues.to_json``; functions as expression trees), which
  ``pybamm.ParameterValues(...)`` / ``ParameterValues.from_json`` loads back.
- :func:`bpx_from_pybamm`: a Battery Parameter eXchange (BPX, https://bpxstandard.com)
  object of a cell's cathode, electrolyte, separator and cell sections, from the PyBaMM
  values of the cell; functions of the cathode and electrolyte become BPX interpolation
  tables; the anode goes to ``User-defined`` (BPX has no lithium-metal or multi-mechanism
  electrode). :func:`write_bpx` validates the object with the ``bpx`` package first.
- :func:`bpx_to_parameter_set`: a BPX file as a hemcell parameter-set YAML (kind ``bpx``):
  every value with its BPX name, unit and the file as source, so a full cell can take its
  cathode, electrolyte and separator as partner of the HEM anode.
- :func:`check_export_set_keys`: the ``--set`` names an export honours
  (:func:`check_export_args`: the same for a sweep spec's points).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.params.uses import override_keys, refuse_unread

#: BPX format version written.
BPX_VERSION = "1.0.0"
#: Points of the interpolation tables written for functions of stoichiometry or
#: concentration.
TABLE_POINTS = 51


def check_export_set_keys(pset: Any, overrides: Iterable[str] | None, fmt: str) -> None:
    """Refuse (exit 2) a ``--set`` name of ``hemcell params export --format pybamm`` or
    ``bpx-partial`` that ``pset`` does not hold.

    Those formats write the values the cell model builds from the set's names, so a name
    outside the set would change nothing (or, as ``coating_thickness`` on ``bare_li``,
    make the export another cell's: a coated Li electrode); it is refused naming
    ``--set``, the name and the set's closest names
    (:func:`hemcell.params.uses.refuse_unread`). ``--format si`` writes
    every value of the set and of ``--set``, so a registry name the set lacks is written
    with ``--set`` as its source (sweeps read values back through it); an unknown name is
    refused by :meth:`~hemcell.params.parameter_set.ParameterSet.with_overrides`.

    Parameters
    ----------
    pset
        The :class:`~hemcell.params.parameter_set.ParameterSet` exported.
    overrides
        The ``KEY=VALUE`` list of ``--set``.
    fmt
        The ``--format``.
    """
    if fmt == "si":
        return
    refuse_unread(override_keys(overrides), pset.parameters,
                  f"`hemcell params export --format {fmt}` of {pset.name} (the names the "
                  "set holds)")


def check_export_args(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_export_set_keys` of a parsed ``params export`` argument list (the
    sweep-spec check, before any point runs)."""
    from hemcell.params import load_parameter_set

    if kwargs.get("set_"):
        check_export_set_keys(load_parameter_set(kwargs["name"]), kwargs["set_"],
                              kwargs.get("format_", "si"))


def write_pybamm_json(values: Any, path: str | Path) -> Path:
    """Write ``values`` (a ``pybamm.ParameterValues``) as PyBaMM JSON; returns the path."""
    path = Path(path)
    values.to_json(str(path))
    return path


def _number(values: Any, symbol: Any) -> float:
    """A scalar expression's value (an interpolant evaluates to a 1 × 1 array)."""
    import numpy as np

    return float(np.asarray(values.evaluate(symbol)).item())


def _table(values: Any, func: Any, xs: list[float]) -> dict[str, list[float]]:
    import pybamm

    return {"x": xs, "y": [_number(values, func(pybamm.Scalar(x))) for x in xs]}


def _reaction_rate_constant(values: Any, prim: Any, c_e0: float, T: Any) -> float:
    """BPX k [mol m⁻² s⁻¹] of j₀ = F k √(c_e c_s (c_max − c_s)), checked at two states.

    Raises
    ------
    InputError
        If the set's exchange current is not of that form (the two k differ by > 1e-6).
    """
    import pybamm

    from hemcell.laws import FARADAY_C_PER_MOL

    c_max = _number(values, prim.c_max)
    ks = []
    for sto in (0.3, 0.7):
        c_s = sto * c_max
        j0 = _number(values, prim.j0(pybamm.Scalar(c_e0), pybamm.Scalar(c_s), T))
        ks.append(j0 / (FARADAY_C_PER_MOL * math.sqrt(c_e0 * c_s * (c_max - c_s))))
    if abs(ks[0] - ks[1]) > 1e-6 * abs(ks[0]):
        raise InputError("Positive electrode exchange-current density [A.m-2]", ks,
                         "j0 = F k (c_e c_s (c_max - c_s))^0.5, the form BPX stores")
    return ks[0]


def bpx_from_pybamm(
    values: Any,
    *,
    title: str,
    description: str,
    references: str,
    capacity_Ah: float,
    stoichiometry: tuple[float, float | None],
    user_defined: Mapping[str, float] | None = None,
    ocp_table: tuple[Sequence[float], Sequence[float]] | None = None,
    positive_extra: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The BPX object (``Model: "Partial"``) of a cell's cathode, electrolyte, separator.

    Parameters
    ----------
    values
        ``pybamm.ParameterValues`` of the cell, with PyBaMM's names: "Positive electrode
        ..." is the cathode.
    title, description, references
        Header texts (references: the sources of the values).
    capacity_Ah
        Nominal capacity [A h].
    stoichiometry
        (minimum, maximum) cathode stoichiometry: charged and discharged states; a
        maximum of ``None`` is where the cathode's OCP reaches the lower cut-off voltage
        (the limit bpx's ``check_sto_limits`` compares against).
    user_defined
        Anode values BPX has no section for, by name with unit.
    ocp_table
        (θ, U) points of the cathode's OCP to write as they are (a cathode set's own table,
        whose walls are one table step wide); default: U(θ) at :data:`TABLE_POINTS`
        stoichiometries.
    positive_extra
        Further BPX fields of the positive electrode, by BPX name (activation energies).
    """
    import pybamm

    param = pybamm.LithiumIonParameters({"working electrode": "positive"})
    prim = param.p.prim
    T = pybamm.Scalar(float(values["Reference temperature [K]"]))
    c_e0 = float(values["Initial concentration in electrolyte [mol.m-3]"])
    eps_p = float(values["Positive electrode porosity"])
    eps_s = float(values["Positive electrode active material volume fraction"])
    radius = float(values["Positive particle radius [m]"])
    b_p = float(values["Positive electrode Bruggeman coefficient (electrolyte)"])
    eps_sep = float(values["Separator porosity"])
    b_sep = float(values["Separator Bruggeman coefficient (electrolyte)"])
    sto = [round(x, 6) for x in _grid(0.001, 0.999)]
    c_e = [c_e0 * x for x in _grid(0.05, 2.0)]
    c_max = _number(values, prim.c_max)
    ocp = (_table(values, lambda x: prim.U(x, T), sto) if ocp_table is None
           else {"x": [float(x) for x in ocp_table[0]], "y": [float(y) for y in ocp_table[1]]})
    sto_max = stoichiometry[1]
    if sto_max is None:  # OCP falls with x: interpolate x(U) at the lower cut-off
        import numpy as np

        sto_max = float(np.interp(float(values["Lower voltage cut-off [V]"]),
                                  ocp["y"][::-1], ocp["x"][::-1]))
    positive = {
        "Thickness [m]": float(values["Positive electrode thickness [m]"]),
        "Porosity": eps_p,
        "Transport efficiency": eps_p**b_p,
        "Conductivity [S.m-1]": _number(values, param.p.sigma(pybamm.Scalar(0.5), T)),
        "Minimum stoichiometry": stoichiometry[0],
        "Maximum stoichiometry": sto_max,
        "Maximum concentration [mol.m-3]": c_max,
        "Particle radius [m]": radius,
        "Surface area per unit volume [m-1]": 3 * eps_s / radius,
        "Diffusivity [m2.s-1]": _table(values, lambda x: prim.D(x * c_max, T), sto),
        "OCP [V]": ocp,
        "Entropic change coefficient [V.K-1]": _table(values, lambda x: prim.dUdT(x), sto),
        "Reaction rate constant [mol.m-2.s-1]": _reaction_rate_constant(values, prim, c_e0, T),
        **{k: float(v) for k, v in (positive_extra or {}).items()},
    }
    obj: dict[str, Any] = {
        "Header": {"BPX": BPX_VERSION, "Title": title, "Description": description,
                   "References": references, "Model": "Partial"},
        "Parameterisation": {
            "Cell": {
                "Electrode area [m2]": float(values["Electrode height [m]"]
                                             * values["Electrode width [m]"]),
                "Number of electrode pairs connected in parallel to make a cell": 1,
                "Lower voltage cut-off [V]": float(values["Lower voltage cut-off [V]"]),
                "Upper voltage cut-off [V]": float(values["Upper voltage cut-off [V]"]),
                "Nominal cell capacity [A.h]": capacity_Ah,
                "Reference temperature [K]": float(values["Reference temperature [K]"]),
            },
            "Electrolyte": {
                "Cation transference number": _number(
                    values, param.t_plus(pybamm.Scalar(c_e0), T)),
                "Diffusivity [m2.s-1]": _table(values, lambda x: param.D_e(x, T), c_e),
                "Conductivity [S.m-1]": _table(values, lambda x: param.kappa_e(x, T), c_e),
            },
            "Positive electrode": positive,
            "Separator": {
                "Thickness [m]": float(values["Separator thickness [m]"]),
                "Porosity": eps_sep,
                "Transport efficiency": eps_sep**b_sep,
            },
        },
        "State": {"Initial conditions": {
            "Initial electrolyte concentration [mol.m-3]": c_e0,
            "Initial temperature [K]": float(values["Initial temperature [K]"]),
        }},
    }
    if user_defined:
        obj["Parameterisation"]["User-defined"] = {k: float(v) for k, v in user_defined.items()}
    return obj


def _grid(lo: float, hi: float) -> list[float]:
    return [lo + (hi - lo) * k / (TABLE_POINTS - 1) for k in range(TABLE_POINTS)]


def validate_bpx(obj: Mapping[str, Any]) -> Any:
    """Validate with the ``bpx`` package; returns its ``BPX`` object.

    Raises
    ------
    InputError
        What ``bpx`` finds wrong (first lines of its message).
    """
    import bpx

    try:
        return bpx.parse_bpx_obj(dict(obj))
    except Exception as exc:  # pydantic ValidationError, ValueError
        lines = str(exc).strip().splitlines()
        raise InputError("BPX", lines[0] if lines else type(exc).__name__,
                         "a file the bpx package validates",
                         hint=" ".join(lines[1:4])) from None


def write_bpx(obj: Mapping[str, Any], path: str | Path) -> Path:
    """Validate ``obj`` (:func:`validate_bpx`) and write it as JSON."""
    validate_bpx(json.loads(json.dumps(obj)))
    path = Path(path)
    path.write_text(json.dumps(obj, indent=2))
    return path


#: BPX sections a partner set keeps, and the hemcell key prefix of each.
_SECTIONS = {"Cell": "cell", "Electrolyte": "electrolyte", "Positive electrode": "cathode",
             "Negative electrode": "anode", "Separator": "separator",
             "User-defined": "user_defined"}


def _unit(name: str) -> str:
    if name.endswith("]") and "[" in name:
        return name[name.rindex("[") + 1 : -1].replace(".", " ")
    return "dimensionless"


def bpx_to_parameter_set(path: str | Path) -> dict[str, Any]:
    """A BPX file as a hemcell parameter-set mapping (kind ``bpx``), for YAML.

    Every scalar keeps its BPX name and unit (``"Thickness [m]"`` → unit ``m``) and the
    file (with its header's references) as source; tables and expressions are kept as
    BPX wrote them. Raises :class:`InputError` if ``bpx`` does not validate the file.
    """
    path = Path(path)
    try:
        raw = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError("FILE", str(path), "a readable BPX JSON file", hint=str(exc)) from None
    validate_bpx(raw)
    header = raw["Header"]
    source = f"BPX file {path.name}: {header.get('Title', '')}".strip()
    values: dict[str, Any] = {}
    for section, prefix in _SECTIONS.items():
        for name, value in (raw["Parameterisation"].get(section) or {}).items():
            values[f"{prefix}: {name}"] = {
                "value": value, "unit": _unit(name),
                "source": {"kind": "file", "ref": source,
                           "note": header.get("References", "")}}
    for name, value in ((raw.get("State") or {}).get("Initial conditions") or {}).items():
        values[f"initial: {name}"] = {"value": value, "unit": _unit(name),
                                      "source": {"kind": "file", "ref": source}}
    return {
        "name": path.name.split(".")[0],
        "kind": "bpx",
        "description": header.get("Description") or header.get("Title") or path.stem,
        "bpx_file": path.name,
        "bpx_model": header["Model"],
        "parameters": values,
    }


def _bpx_function(value: Any, name: str):
    """A PyBaMM function of its first argument from a BPX number or table."""
    import numpy as np
    import pybamm

    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping) and "x" in value and "y" in value:
        x, y = np.asarray(value["x"], float), np.asarray(value["y"], float)

        # named arguments: PyBaMM's ParameterValues.to_json calls a function with its
        # parameters by name (a table taking *_ stopped the export with a TypeError); the
        # second is PyBaMM's temperature or c_max, which a table of one variable ignores
        def table(arg: Any, _second: Any = None) -> Any:
            return pybamm.Interpolant(x, y, arg, name=name)

        return table
    raise InputError(name, value, "a number or a BPX table {x: [...], y: [...]}",
                     hint="BPX expressions are not read; export them as tables")


def read_bpx_partner(name_or_path: str | Path) -> dict[str, Any] | None:
    """The YAML of a set written by ``hemcell params import`` (``kind: bpx``) at
    ``name_or_path``, or ``None`` for anything else (a registry set's name or file).

    Such a file holds BPX names, not registry names: ``params show`` and ``params check``
    read it as a full-cell partner (they stopped with 38 errors, "kind: got 'bpx'")."""
    from hemcell.params.yaml_io import safe_load_file

    path = Path(str(name_or_path))
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return None
    data = safe_load_file(path)
    return data if isinstance(data, dict) and data.get("kind") == "bpx" else None


def partner_from_parameter_set(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The BPX sections of an imported set (:func:`bpx_to_parameter_set`) back as a dict."""
    inverse = {v: k for k, v in _SECTIONS.items()}
    out: dict[str, dict[str, Any]] = {}
    for key, entry in data["parameters"].items():
        prefix, name = key.split(": ", 1)
        section = "State" if prefix == "initial" else inverse[prefix]
        out.setdefault(section, {})[name] = entry["value"]
    return out


def pybamm_partner_values(sections: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """PyBaMM values of a BPX partner: cell, electrolyte, cathode ("Positive"), separator.

    Bruggeman exponents from BPX's transport efficiency τ = ε^b (b = ln τ / ln ε); the
    active-material fraction from a = 3 ε_s / R; j₀ = F k √(c_e c_s (c_max − c_s)); the
    cathode starts at its maximum stoichiometry (discharged cell).
    """
    from hemcell.laws import FARADAY_C_PER_MOL

    cell, elec = sections["Cell"], sections["Electrolyte"]
    pos, sep = sections["Positive electrode"], sections["Separator"]
    state = sections.get("State", {})
    c_max = float(pos["Maximum concentration [mol.m-3]"])
    k = float(pos["Reaction rate constant [mol.m-2.s-1]"])

    def j0(c_e: Any, c_s: Any, c_s_max: Any, T: Any) -> Any:
        return FARADAY_C_PER_MOL * k * (c_e * c_s * (c_s_max - c_s)) ** 0.5

    ocp = _bpx_function(pos["OCP [V]"], "Positive electrode OCP [V]")
    d_s = _bpx_function(pos["Diffusivity [m2.s-1]"], "Positive particle diffusivity [m2.s-1]")
    values = {
        "Electrode height [m]": float(cell["Electrode area [m2]"]),
        "Electrode width [m]": 1.0,
        "Number of electrodes connected in parallel to make a cell": float(
            cell["Number of electrode pairs connected in parallel to make a cell"]),
        "Lower voltage cut-off [V]": float(cell["Lower voltage cut-off [V]"]),
        "Upper voltage cut-off [V]": float(cell["Upper voltage cut-off [V]"]),
        "Nominal cell capacity [A.h]": float(cell["Nominal cell capacity [A.h]"]),
        "Cation transference number": float(elec["Cation transference number"]),
        "Electrolyte diffusivity [m2.s-1]": _bpx_function(
            elec["Diffusivity [m2.s-1]"], "Electrolyte diffusivity [m2.s-1]"),
        "Electrolyte conductivity [S.m-1]": _bpx_function(
            elec["Conductivity [S.m-1]"], "Electrolyte conductivity [S.m-1]"),
        "Positive electrode thickness [m]": float(pos["Thickness [m]"]),
        "Positive electrode porosity": float(pos["Porosity"]),
        "Positive electrode Bruggeman coefficient (electrolyte)":
            math.log(pos["Transport efficiency"]) / math.log(pos["Porosity"]),
        "Positive electrode Bruggeman coefficient (electrode)":
            math.log(pos["Transport efficiency"]) / math.log(pos["Porosity"]),
        "Positive electrode conductivity [S.m-1]": float(pos["Conductivity [S.m-1]"]),
        "Maximum concentration in positive electrode [mol.m-3]": c_max,
        "Positive particle radius [m]": float(pos["Particle radius [m]"]),
        "Positive electrode active material volume fraction":
            float(pos["Surface area per unit volume [m-1]"]) * float(pos["Particle radius [m]"])
            / 3,
        "Positive particle diffusivity [m2.s-1]": d_s,
        "Positive electrode OCP [V]": (lambda sto: ocp(sto)) if callable(ocp) else ocp,
        "Positive electrode exchange-current density [A.m-2]": j0,
        "Positive electrode OCP entropic change [V.K-1]": 0.0,
        "Initial concentration in positive electrode [mol.m-3]":
            float(pos["Maximum stoichiometry"]) * c_max,
        "Separator thickness [m]": float(sep["Thickness [m]"]),
        "Separator porosity": float(sep["Porosity"]),
        "Separator Bruggeman coefficient (electrolyte)":
            math.log(sep["Transport efficiency"]) / math.log(sep["Porosity"]),
    }
    if "Entropic change coefficient [V.K-1]" in pos:
        values["Positive electrode OCP entropic change [V.K-1]"] = _bpx_function(
            pos["Entropic change coefficient [V.K-1]"],
            "Positive electrode OCP entropic change [V.K-1]")
    if "Reference temperature [K]" in cell:
        values["Reference temperature [K]"] = float(cell["Reference temperature [K]"])
    if "Initial electrolyte concentration [mol.m-3]" in state:
        values["Initial concentration in electrolyte [mol.m-3]"] = float(
            state["Initial electrolyte concentration [mol.m-3]"])
    return values
