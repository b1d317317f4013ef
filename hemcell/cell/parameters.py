"""From a hemcell anode parameter set (SI, registry names) to PyBaMM parameter values.

The set (``parameters/<name>.yaml``, names in ``parameters/registry/anode.yaml``) is
loaded and validated by :func:`hemcell.params.load_parameter_set`; this module

- infers the mechanism :class:`~hemcell.cell.model.Inventory` (which elements convert,
  alloy, store space charge) from which element-resolved entries the set gives, and
- writes the :class:`pybamm.ParameterValues` the model needs, starting from the set's
  ``pybamm_base`` (separator, electrolyte, Li-metal counter electrode, area).

The anode is PyBaMM's "positive" electrode in a half-cell (PyBaMM's convention), so
geometry and intercalation entries are written under "Positive ..." names there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pybamm

from hemcell.cell.carriers import reference_ion
from hemcell.cell.electrolytes import electrolyte_values
from hemcell.cell.model import Inventory
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K

_EL = re.compile(r"^(?P<stem>[a-z_]+)_(?P<el>[a-z]{1,2})$")


def _element_keys(si: Mapping[str, Any], stem: str) -> dict[str, Any]:
    """Element symbol (capitalised) → value for every ``<stem>_<el>`` key."""
    out = {}
    for key, value in si.items():
        if key.startswith(stem + "_"):
            el = key[len(stem) + 1 :]
            if 1 <= len(el) <= 2 and el.isalpha():
                out[el.capitalize()] = value
    return out


def inventory_from_si(si: Mapping[str, Any]) -> Inventory:
    """Which elements convert, alloy and store space charge, from the set's entries.

    An element converts if ``conversion_capacity_<el>`` > 0, alloys if
    ``alloying_capacity_<el>`` > 0 (with as many stages as
    ``alloying_stage_fractions_<el>`` lists), and stores space charge if
    ``space_charge_areal_capacitance_<el>`` > 0.
    """
    conv = tuple(el for el, v in _element_keys(si, "conversion_capacity").items() if v > 0)
    alloy = {}
    for el, v in _element_keys(si, "alloying_capacity").items():
        if v > 0:
            fr = si.get(f"alloying_stage_fractions_{el.lower()}", [1.0])
            alloy[el] = len(fr) if isinstance(fr, list | tuple) else 1
    sc = tuple(el for el, v in _element_keys(si, "space_charge_areal_capacitance").items() if v > 0)
    return Inventory(conversion=conv, alloying=alloy, space_charge=sc)


def _need(si: Mapping[str, Any], key: str) -> Any:
    if key not in si:
        raise InputError(
            "parameter set",
            key,
            "a value for every parameter the model uses",
            hint=f"add {key} to the parameter file or pass --set {key}=...",
        )
    return si[key]


def intercalation_ocp(u_mid: float, slope: float):
    """Sloping intercalation OCP U(θ) = U_mid − S(θ − ½) + (RT/F) ln((1 − θ)/θ) [V].

    An ideal-solution (Nernst) term plus a linear slope: the simplest OCP with a finite
    sloping region (e.g. Newman & Thomas-Alyea, *Electrochemical Systems*, 3rd ed., ch. 2).
    """
    rt_f = GAS_CONSTANT_J_PER_MOL_K * 298.15 / FARADAY_C_PER_MOL

    def ocp(sto):
        return u_mid - slope * (sto - 0.5) + rt_f * pybamm.log((1 - sto) / sto)

    return ocp


def intercalation_j0(j0_ref: float, c_e_ref: float):
    """j₀ = j₀,ref (c_e/c_e,ref)^½ · 2 (θ(1−θ))^½ [A m⁻²] (symmetric Butler–Volmer)."""

    def j0(c_e, c_s_surf, c_s_max, T):
        sto = c_s_surf / c_s_max
        return j0_ref * (c_e / c_e_ref) ** 0.5 * 2 * (sto * (1 - sto)) ** 0.5

    return j0


def pybamm_values(
    si: Mapping[str, Any],
    inventory: Inventory | None = None,
    base: str | None = "Xu2019",
    cell: str = "half",
) -> pybamm.ParameterValues:
    """PyBaMM parameter values of the HEM anode half-cell.

    Parameters
    ----------
    si
        Registry name → SI value (``load_parameter_set(...).si``).
    inventory
        Elements per mechanism (default: inferred from ``si``).
    base
        PyBaMM set providing separator, electrolyte, Li-metal counter electrode, area.
    cell
        ``"half"`` (anode = PyBaMM "positive" domain).

    Returns
    -------
    pybamm.ParameterValues
    """
    if cell != "half":
        raise InputError("cell", cell, "half")
    inv = inventory or inventory_from_si(si)
    pv = pybamm.ParameterValues(base) if base else pybamm.ParameterValues({})
    ion = si.get("_carrier_ion") or reference_ion(dict(si))
    if ion != "Li":
        # the base sets (Xu2019) are Li half-cells: the ion's own electrolyte and metal
        # counter electrode replace theirs
        pv.update(electrolyte_values(ion), check_already_exists=False)
    D = "Positive"
    rho = _need(si, "anode_active_material_density")
    g = lambda k, default=None: si.get(k, default) if default is not None else _need(si, k)  # noqa: E731
    c_e0 = pv["Initial concentration in electrolyte [mol.m-3]"]
    # intercalation capacity -> c_max (mol per m3 of particle)
    q_int = g("intercalation_capacity", 0.0)
    c_max = max(q_int * rho / FARADAY_C_PER_MOL, 1.0)
    th0 = g("intercalation_initial_stoichiometry", 0.01)
    upd: dict[str, Any] = {
        f"{D} electrode thickness [m]": g("anode_thickness"),
        f"{D} electrode porosity": g("anode_porosity"),
        f"{D} electrode active material volume fraction": g(
            "anode_active_material_volume_fraction"
        ),
        f"{D} particle radius [m]": g("anode_particle_radius"),
        f"{D} electrode conductivity [S.m-1]": g("anode_electronic_conductivity"),
        f"{D} electrode Bruggeman coefficient (electrolyte)": g("anode_bruggeman_coefficient"),
        f"{D} electrode Bruggeman coefficient (electrode)": g("anode_bruggeman_coefficient"),
        f"Maximum concentration in {D.lower()} electrode [mol.m-3]": c_max,
        f"Initial concentration in {D.lower()} electrode [mol.m-3]": th0 * c_max,
        f"{D} particle diffusivity [m2.s-1]": g("intercalation_diffusivity", 1e-16),
        f"{D} electrode OCP [V]": intercalation_ocp(
            g("intercalation_ocp_midpoint", 1.5), g("intercalation_ocp_slope", 1.0)
        ),
        f"{D} electrode exchange-current density [A.m-2]": intercalation_j0(
            g("intercalation_exchange_current_density", 0.1), c_e0
        ),
        f"{D} electrode OCP entropic change [V.K-1]": 0.0,
        "Lower voltage cut-off [V]": g("lower_voltage_cutoff"),
        "Upper voltage cut-off [V]": g("upper_voltage_cutoff"),
        "Open-circuit voltage at 0% SOC [V]": g("lower_voltage_cutoff"),
        "Open-circuit voltage at 100% SOC [V]": g("upper_voltage_cutoff"),
        # hemcell anode names
        "Anode particle radius [m]": g("anode_particle_radius"),
        "Anode active material density [kg.m-3]": rho,
        "Anode initial open-circuit potential [V]": g("anode_initial_open_circuit_potential", 2.5),
        "Anode double-layer capacity [F.m-2]": g("anode_double_layer_capacity", 0.2),
        "Anode double-layer relaxation time [s]": g("anode_double_layer_relaxation_time", 0.01),
        "Anode intercalation volume expansion": g("intercalation_volume_expansion", 0.0),
    }
    if inv.conversion:
        upd.update(
            {
                "Anode conversion exchange-current density [A.m-2]": g(
                    "conversion_exchange_current_density"
                ),
                "Anode conversion product diffusivity [m2.s-1]": g(
                    "conversion_product_diffusivity"
                ),
                "Anode conversion charge transfer coefficient": g(
                    "conversion_charge_transfer_coefficient", 0.5
                ),
                "Anode conversion volume expansion": g("conversion_volume_expansion", 0.0),
                "Anode conversion first-lithiation overpotential [V]": g(
                    "conversion_first_lithiation_overpotential", 0.0
                ),
            }
        )
    for el in inv.conversion:
        s = el.lower()
        upd.update(
            {
                f"Anode {el} conversion capacity [C.kg-1]": g(f"conversion_capacity_{s}"),
                f"Anode {el} conversion lithiation potential [V]": g(
                    f"conversion_lithiation_potential_{s}"
                ),
                f"Anode {el} conversion delithiation potential [V]": g(
                    f"conversion_delithiation_potential_{s}"
                ),
                f"Anode {el} conversion reversible fraction": g(
                    f"conversion_reversible_fraction_{s}", 1.0
                ),
                f"Anode {el} initial conversion extent": 0.0,
                f"Anode {el} electrons per metal atom": g(f"electrons_per_metal_atom_{s}", 2.0),
            }
        )
    if inv.alloying:
        upd.update(
            {
                "Anode alloying exchange-current density [A.m-2]": g(
                    "alloying_exchange_current_density"
                ),
                "Anode alloying charge transfer coefficient": g(
                    "alloying_charge_transfer_coefficient", 0.5
                ),
            }
        )
    for el, n_st in inv.alloying.items():
        s = el.lower()
        fr = list(np.atleast_1d(g(f"alloying_stage_fractions_{s}", [1.0])))
        ul = list(np.atleast_1d(g(f"alloying_lithiation_potentials_{s}")))
        ud = list(np.atleast_1d(g(f"alloying_delithiation_potentials_{s}")))
        if not (len(fr) == len(ul) == len(ud) == n_st):
            raise InputError(
                f"alloying_*_{s}",
                f"{len(fr)}/{len(ul)}/{len(ud)} entries",
                "the same number of stage fractions, lithiation and delithiation "
                f"potentials ({n_st})",
            )
        upd[f"Anode {el} alloying capacity [C.kg-1]"] = g(f"alloying_capacity_{s}")
        upd[f"Anode {el} alloying volume expansion"] = g(f"alloying_volume_expansion_{s}", 0.0)
        for m in range(n_st):
            upd[f"Anode {el} alloying stage {m + 1} capacity fraction"] = float(fr[m])
            upd[f"Anode {el} alloying stage {m + 1} lithiation potential [V]"] = float(ul[m])
            upd[f"Anode {el} alloying stage {m + 1} delithiation potential [V]"] = float(ud[m])
    elements = set(inv.conversion) | set(inv.alloying) | set(inv.space_charge)
    for el in elements:
        upd[f"Anode {el} initial metallic fraction"] = g(
            f"initial_metallic_fraction_{el.lower()}", 0.0
        )
    if inv.space_charge:
        upd.update(
            {
                "Anode metal nanoparticle diameter [m]": g("metal_nanoparticle_diameter"),
                "Anode space-charge critical diameter [m]": g("space_charge_critical_diameter"),
                "Anode space-charge size-factor width [m]": g("space_charge_size_factor_width"),
                "Anode space-charge upper potential [V]": g("space_charge_upper_potential"),
                "Anode space-charge lower potential [V]": g("space_charge_lower_potential"),
                "Anode space-charge window smoothing [V]": g("space_charge_window_smoothing"),
                "Anode space-charge relaxation time [s]": g("space_charge_relaxation_time"),
            }
        )
    for el in inv.space_charge:
        s = el.lower()
        upd[f"Anode {el} space-charge areal capacitance [F.m-2]"] = g(
            f"space_charge_areal_capacitance_{s}"
        )
        upd[f"Anode {el} metal molar volume [m3.mol-1]"] = g(f"metal_molar_volume_{s}")
        z_el = g(f"electrons_per_metal_atom_{s}", 2.0)
        upd[f"Anode {el} electrons per metal atom"] = z_el
        # moles of the element per m3 of particle (from its conversion capacity, which
        # counts the element even when the conversion mechanism is switched off)
        upd[f"Anode {el} metal content [mol.m-3]"] = (
            rho * g(f"conversion_capacity_{s}") / FARADAY_C_PER_MOL / z_el
        )
        upd[f"Anode {el} spin polarisation"] = g(f"spin_polarization_{s}", 0.0)
    upd.update(
        {
            "Anode irreversible capacity [C.kg-1]": max(g("irreversible_capacity", 0.0), 1e-9),
            "Anode irreversible onset potential [V]": g("irreversible_onset_potential", 0.8),
            "Anode irreversible exchange-current density [A.m-2]": g(
                "irreversible_exchange_current_density", 1e-4
            ),
            "Anode irreversible charge transfer coefficient": g(
                "irreversible_charge_transfer_coefficient", 0.5
            ),
            "Anode irreversible initial consumed fraction": 0.0,
        }
    )
    pv.update(upd, check_already_exists=False)
    return pv


def load_si(
    name_or_path: str, overrides: list[str] | None = None, ion: str | None = None
) -> tuple[dict[str, Any], Any]:
    """Load and validate a parameter set; returns (SI dict, the ParameterSet).

    ``ion`` (``Li``/``Na``/``K``) rescales the kinetic, size and space-charge values, shifts
    the conversion branches and sets the alloy capacities for that carrier ion
    (:func:`hemcell.cell.carriers.apply_carrier_ion`); :func:`pybamm_values` then uses
    the ion's electrolyte and metal counter electrode (:mod:`hemcell.cell.electrolytes`).
    """
    from hemcell.cell.carriers import apply_carrier_ion
    from hemcell.params import load_parameter_set

    ps = load_parameter_set(name_or_path)
    if overrides:
        ps = ps.with_overrides(list(overrides))
    return apply_carrier_ion(dict(ps.si), ion), ps
