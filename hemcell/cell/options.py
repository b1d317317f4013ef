"""PyBaMM-style options of the HEM anode models.

:class:`HEMOptions` is a :class:`pybamm.BatteryModelOptions` with hemcell's structural
options added, so that a model's ``options`` print, serialise (``pybamm.Serialise``,
``model.save_model``) and reload (``pybamm.load_model`` rebuilds the model as
``cls(options=..., name=...)``) as PyBaMM's own do.

=========================  ===============================================================
option                     values (default)
=========================  ===============================================================
``"mechanisms"``           any of :data:`~hemcell.cell.mechanisms.MECHANISMS` (all six)
``"convertible elements"`` element symbols (those of :data:`DEFAULT_PARAMETER_SET`)
``"alloying elements"``    element symbol → number of Li–M stages (as the default set)
``"space-charge elements"`` element symbols (as the default set)
``"x-average"``            ``"false"`` (P2D) or ``"true"`` (single particle; half-cell only)
``"cathode"``              full cell: ``"LFP"`` (Prada2013), ``"NMC811"`` (Chen2020),
                           a cathode parameter set (``cathode_he_nvpf``, ...;
                           :mod:`hemcell.cell.cathodes`) or the YAML of a BPX partner
                           (``hemcell params import``); selects the default parameter
                           values only
``"thermal"``              PyBaMM's option; ``"isothermal"``, or ``"lumped"`` (full
                           cell: one cell temperature, :mod:`hemcell.cell.thermal`)
=========================  ===============================================================

Every other PyBaMM option keeps its default: the HEM models do not implement PyBaMM's
SEI, plating, particle-size or current-collector submodels, so another value is refused
instead of being ignored. Element defaults are read from the default parameter set (the
elements whose conversion, alloying or space-charge entries are positive,
:func:`hemcell.cell.parameters.inventory_from_si`), never written in code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pybamm

from hemcell.cell.cathodes import is_cathode_set
from hemcell.cell.inventory import Inventory, check_mechanisms
from hemcell.cell.mechanisms import MECHANISMS
from hemcell.errors import InputError

#: The parameter set the models' ``default_parameter_values`` and element defaults use.
DEFAULT_PARAMETER_SET = "heo_rocksalt_mgconicuzn"

#: Full-cell cathodes: name → (PyBaMM parameter set, initial (discharged) cathode
#: stoichiometry). LFP fully lithiated; NMC811 at the 0 % SOC stoichiometry of
#: Chen2020's LG M50 cell (0.9084 in that paper's table, quoted from memory: assumed).
CATHODES: dict[str, tuple[str, float]] = {
    "LFP": ("Prada2013", 0.98),
    "NMC811": ("Chen2020", 0.9084),
}

#: hemcell's own option names (the PyBaMM ones are validated by PyBaMM).
HEM_OPTION_NAMES = (
    "mechanisms",
    "convertible elements",
    "alloying elements",
    "space-charge elements",
    "x-average",
    "cathode",
)
#: PyBaMM options a HEM model may set to something else than PyBaMM's default.
PYBAMM_OPTIONS_USED = ("working electrode", "thermal")
#: Values of PyBaMM's ``"thermal"`` option the HEM models implement (``"lumped"``: full
#: cells only, :mod:`hemcell.cell.thermal`).
THERMAL_OPTIONS: tuple[str, ...] = ("isothermal", "lumped")

_ELEMENT = re.compile(r"^[A-Z][a-z]?$")


@lru_cache(maxsize=4)
def default_inventory(parameter_set: str = DEFAULT_PARAMETER_SET,
                      ion: str | None = None) -> Inventory:
    """Elements per mechanism of a parameter set (the default element options), for the
    carrier ``ion`` (``None``: the set's own; Zn alloys with Li but not with Na or K)."""
    from hemcell.cell.carriers import apply_carrier_ion
    from hemcell.cell.parameters import inventory_from_si, load_si

    si, _ = load_si(parameter_set)
    return inventory_from_si(apply_carrier_ion(si, ion))


def _elements(key: str, value: Any) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    for el in items:
        if not (isinstance(el, str) and _ELEMENT.match(el)):
            raise InputError(f"options[{key!r}]", value, "element symbols such as 'Co', 'Ni'")
    return items


def _alloying(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise InputError("options['alloying elements']", value,
                         "a mapping element → number of Li–M stages, e.g. {'Zn': 3}")
    out = {}
    for el, n in value.items():
        _elements("alloying elements", (el,))
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InputError(f"options['alloying elements'][{el!r}]", n,
                             "a whole number of Li–M stages >= 1")
        out[el] = n
    return out


def _flag(key: str, value: Any) -> str:
    if value not in ("false", "true"):
        raise InputError(f"options[{key!r}]", value, "'false' or 'true'")
    return value


class HEMOptions(pybamm.BatteryModelOptions):
    """PyBaMM's battery-model options plus hemcell's (see the module docstring).

    Parameters
    ----------
    extra_options
        Options given by the user (PyBaMM's and hemcell's names mixed).
    cell
        ``"half"`` (HEM anode vs Li metal, PyBaMM's ``"working electrode": "positive"``)
        or ``"full"`` (HEM anode vs an intercalation cathode).

    Raises
    ------
    InputError
        An unknown hemcell option value, a mechanism without elements, or a PyBaMM option
        the HEM models do not implement.
    pybamm.OptionError
        An option name or value PyBaMM does not know.
    """

    def __init__(self, extra_options: Mapping[str, Any] | None = None, cell: str = "half"):
        given = dict(extra_options or {})
        hem = {k: given.pop(k) for k in list(given) if k in HEM_OPTION_NAMES}
        working = "positive" if cell == "half" else "both"
        if given.setdefault("working electrode", working) != working:
            raise InputError("options['working electrode']", given["working electrode"],
                             f"{working!r} for a HEM {cell}-cell")
        super().__init__(given)
        self._check_pybamm_defaults()
        if cell == "half" and self["thermal"] != "isothermal":
            raise InputError("options['thermal']", self["thermal"],
                             "'isothermal' for a half-cell ('lumped': full cells only)")
        self.update(self._hem_options(hem, cell))
        self.possible_options.update({
            "mechanisms": list(MECHANISMS),
            "convertible elements": ["element symbols"],
            "alloying elements": ["element symbol → number of stages"],
            "space-charge elements": ["element symbols"],
            "x-average": ["false", "true"],
            "cathode": list(CATHODES),
        })

    def _check_pybamm_defaults(self) -> None:
        defaults = pybamm.BatteryModelOptions({})
        for key, value in self.items():
            if key in PYBAMM_OPTIONS_USED or value == defaults[key]:
                continue
            raise InputError(f"options[{key!r}]", value, f"{defaults[key]!r} (PyBaMM's "
                             "default): the HEM models do not implement other values")
        if self["thermal"] not in THERMAL_OPTIONS:
            raise InputError("options['thermal']", self["thermal"], ", ".join(THERMAL_OPTIONS))

    @staticmethod
    def _hem_options(hem: dict[str, Any], cell: str) -> dict[str, Any]:
        mechs = hem.get("mechanisms", MECHANISMS)
        mechs = check_mechanisms((mechs,) if isinstance(mechs, str) else mechs,
                                 "options['mechanisms']")
        x_avg = _flag("x-average", hem.get("x-average", "false"))
        if cell == "full" and x_avg != "false":
            raise InputError("options['x-average']", x_avg, "'false' (a full cell is P2D)")
        element_keys = ("convertible elements", "alloying elements", "space-charge elements")
        # a cathode set's carrier (Na, K) decides the default elements, and the default
        # mechanisms are those with elements (as `cell run` drops them for the recipes)
        cathode = str(hem.get("cathode", "LFP")) if cell == "full" else ""
        ion = None
        if is_cathode_set(cathode):
            from hemcell.cell.cathodes import cathode_carrier, cathode_set_si

            ion = cathode_carrier(cathode_set_si(cathode))
        inv = default_inventory(ion=ion) if not all(k in hem for k in element_keys) else None
        if ion is not None and inv is not None and "mechanisms" not in hem:
            have = {"conversion": inv.conversion, "alloying": inv.alloying,
                    "space_charge": inv.space_charge}
            mechs = tuple(m for m in mechs if have.get(m, True))
        out: dict[str, Any] = {
            "mechanisms": mechs,
            "convertible elements": _elements(
                "convertible elements", hem.get("convertible elements", inv and inv.conversion)),
            "alloying elements": _alloying(
                hem.get("alloying elements", inv and dict(inv.alloying))),
            "space-charge elements": _elements(
                "space-charge elements", hem.get("space-charge elements",
                                                 inv and inv.space_charge)),
            "x-average": x_avg,
        }
        needs = {"conversion": "convertible elements", "alloying": "alloying elements",
                 "space_charge": "space-charge elements"}
        for mech, key in needs.items():
            if mech in mechs and not out[key]:
                raise InputError(f"options[{key!r}]", out[key],
                                 f"at least one element when 'mechanisms' has {mech}")
        if cell == "full":
            cathode = hem.get("cathode", "LFP")
            if (cathode not in CATHODES and not str(cathode).endswith((".yaml", ".yml"))
                    and not is_cathode_set(str(cathode))):
                raise InputError("options['cathode']", cathode, f"{', '.join(CATHODES)}, "
                                 "a cathode parameter set (parameters/registry/cathode.yaml) "
                                 "or a BPX partner imported by `hemcell params import` (.yaml)")
            out["cathode"] = cathode
        elif "cathode" in hem:
            raise InputError("options['cathode']", hem["cathode"], "no cathode in a half-cell")
        return out

    @property
    def inventory(self) -> Inventory:
        """The options' elements per mechanism."""
        return Inventory(
            conversion=tuple(self["convertible elements"]),
            alloying=dict(self["alloying elements"]),
            space_charge=tuple(self["space-charge elements"]),
        )


def model_options(
    mechanisms: tuple[str, ...] | list[str],
    inventory: Inventory,
    x_average: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """Options of a HEM model from a mechanism list and an :class:`Inventory`.

    ``extra`` adds other options (``cathode="NMC811"``, ``thermal=...``; underscores in
    the keyword stand for spaces).
    """
    out: dict[str, Any] = {
        "mechanisms": tuple(mechanisms),
        "convertible elements": tuple(inventory.conversion),
        "alloying elements": dict(inventory.alloying),
        "space-charge elements": tuple(inventory.space_charge),
        "x-average": "true" if x_average else "false",
    }
    out.update({k.replace("_", " "): v for k, v in extra.items()})
    return out
