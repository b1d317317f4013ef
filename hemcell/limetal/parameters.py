r"""Typed SI parameters of the lithium-metal cell models, built from a parameter set.

The physics modules take a :class:`LiMetalParameters` (plain SI floats, units in the
names) and never read YAML. :func:`load_anode_set` picks the set of an anode
(:data:`hemcell.params.li_sets.LI_ANODE_SETS`: ``bare`` → ``bare_li``, ``coated`` →
``azcnf_coated_li``) and applies ``--set`` overrides; :func:`cell_parameters` converts
it, :func:`load_cell_parameters` does both.

The Li exchange current at the reference temperature is derived here, once, by the
rules of :mod:`hemcell.laws`:

- ``kinetics="rct"`` (default): from the seed's symmetric-cell resistance,
  :math:`i_0 = RT_{ref}/(F(R A/2 - h/\kappa_c))`
  (:func:`hemcell.laws.exchange_current_from_resistance`);
- ``kinetics="set"``: bare Li takes the bare set's ``li_exchange_current_density``
  (Xu2019 carbonate fit, 7 mA/cm**2, which makes the Li kinetics nearly invisible at
  cell level); coated Li follows from it by the coated-interface rule
  :math:`i_0^{coated} = i_0^{bare} r_{bare}/(r_{coated} - h/\kappa_c)`
  (:func:`hemcell.laws.coated_exchange_current`), so the coated value needs the bare set.

At the cell temperature :math:`T` (``ambient_temperature``, isothermal) the exchange
current is :math:`i_0(T_{ref})` times :func:`hemcell.laws.arrhenius_factor` with the
set's ``li_migration_activation_energy`` (:attr:`LiMetalParameters.exchange_current_A_per_m2`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from hemcell.errors import InputError
from hemcell.laws import (
    arrhenius_factor,
    coated_exchange_current,
    exchange_current_from_resistance,
    film_area_resistance_ohm_m2,
)
from hemcell.params.li_sets import li_anode_set_name

Anode = Literal["bare", "coated"]
Kinetics = Literal["rct", "set"]
KINETICS: tuple[str, ...] = ("rct", "set")

#: 1 mAh/g in C/kg.
MAH_PER_G_IN_C_PER_KG = 3600.0


def load_anode_set(anode: str, overrides: Sequence[str] = (), set_path: str | None = None
                   ) -> Any:
    """The parameter set of an anode, with ``--set`` overrides applied.

    Parameters
    ----------
    anode
        ``bare`` or ``coated``.
    overrides
        ``KEY=VALUE`` strings.
    set_path
        Optional name or path of a set to use instead of the default one.

    Raises
    ------
    InputError
        Unknown anode, or a bad override.
    """
    from hemcell.params import load_parameter_set

    name = li_anode_set_name(anode)
    pset = load_parameter_set(set_path or name)
    if overrides:
        pset = pset.with_overrides(list(overrides))
    return pset


@dataclass(frozen=True)
class LiMetalParameters:
    """Inputs of the Li-metal cell models in SI units (see ``docs/limetal.md``)."""

    anode: str
    temperature_K: float
    reference_temperature_K: float
    # Li electrode: kinetics and film
    symmetric_cell_resistance_ohm: float
    li_electrode_area_m2: float
    activation_energy_J_per_mol: float
    coating_thickness_m: float
    coating_conductivity_S_per_m: float
    exchange_current_ref_A_per_m2: float
    focusing_factor: float
    li_molar_volume_m3_per_mol: float
    li_double_layer_capacity_F_per_m2: float
    # losses and interphase growth
    loss_coefficient_per_V: float
    layer_porosity: float
    layer_bruggeman: float
    li_foil_thickness_m: float
    electrolyte_volume_m3: float
    electrolyte_consumption_m3_per_mol: float
    lfp_deactivation_per_lost_li: float
    shuttle_charge_per_lost_li: float
    # electrolyte and separator
    electrolyte_concentration_mol_per_m3: float
    electrolyte_diffusivity_m2_per_s: float
    electrolyte_conductivity_S_per_m: float
    cation_transference_number: float
    separator_thickness_m: float
    separator_porosity: float
    separator_bruggeman: float
    # LFP cell
    cathode_area_m2: float
    lfp_mass_loading_kg_per_m2: float
    lfp_specific_current_1c_A_per_kg: float
    lfp_charged_stoichiometry: float
    lfp_exchange_current_factor: float
    lower_cutoff_V: float
    upper_cutoff_V: float
    # nucleation on Cu
    li_surface_energy_J_per_m2: float
    nucleation_shape_factor: float
    nucleation_rate_prefactor_per_m2_s: float
    cu_double_layer_capacity_F_per_m2: float
    # protocols
    aurbach_current_density_A_per_m2: float

    @property
    def film_resistance_ohm_m2(self) -> float:
        """Coating film resistance h/kappa_c per area (0 for bare Li)."""
        return film_area_resistance_ohm_m2(self.coating_thickness_m,
                                           self.coating_conductivity_S_per_m)

    @property
    def exchange_current_A_per_m2(self) -> float:
        """Li exchange current density at the cell temperature (Arrhenius) [A/m**2]."""
        return self.exchange_current_ref_A_per_m2 * arrhenius_factor(
            self.activation_energy_J_per_mol, self.temperature_K, self.reference_temperature_K)

    @property
    def separator_conductance_S_per_m2(self) -> float:
        """kappa eps^b / L of the electrolyte-filled separator."""
        return (self.electrolyte_conductivity_S_per_m
                * self.separator_porosity ** self.separator_bruggeman / self.separator_thickness_m)

    def layer_resistance_ohm_m2(self, lost_charge_C_per_m2: float) -> float:
        """Ohmic resistance of the dead-Li/SEI layer holding ``q_lost``."""
        from hemcell.limetal.losses import layer_resistance_ohm_m2

        return layer_resistance_ohm_m2(lost_charge_C_per_m2, self.li_molar_volume_m3_per_mol,
                                       self.layer_porosity, self.layer_bruggeman,
                                       self.electrolyte_conductivity_S_per_m)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of the fields plus the derived kinetics (for run.json)."""
        d = asdict(self)
        d["film_resistance_ohm_m2"] = self.film_resistance_ohm_m2
        d["exchange_current_A_per_m2"] = self.exchange_current_A_per_m2
        return d


def _get(si: Mapping[str, Any], name: str, default: float | None = None) -> float:
    if name in si:
        v = si[name]
        if isinstance(v, list):
            raise InputError(name, v, "a single number")
        return float(v)
    if default is None:
        raise InputError("parameter set", f"missing {name!r}",
                         "a set with the limetal entries (see docs/limetal.md)")
    return default


def reference_exchange_current_A_per_m2(pset: Any, anode: str, kinetics: Kinetics = "rct",
                                        bare_set: Any = None) -> float:
    """Li exchange current density at the reference temperature [A/m**2] (module rules).

    Parameters
    ----------
    pset
        The anode's parameter set.
    anode
        ``bare`` or ``coated``.
    kinetics
        ``rct`` (from the seed's resistance) or ``set`` (the bare set's
        ``li_exchange_current_density``, coated by the coated-interface rule).
    bare_set
        The bare set (same overrides); needed for ``coated`` with ``kinetics="set"``.

    Raises
    ------
    InputError
        Unknown ``kinetics``, or a film resistance not below the measured one.
    """
    si = pset.si
    r_film = _film_resistance_ohm_m2(si, anode)
    area = _get(si, "li_electrode_area")
    r_sym = _get(si, "symmetric_cell_charge_transfer_resistance")
    if kinetics == "rct":
        return exchange_current_from_resistance(r_sym, area, _get(si, "reference_temperature"),
                                                r_film)
    if kinetics != "set":
        raise InputError("--kinetics", kinetics, " | ".join(KINETICS))
    if anode == "bare":
        return _get(si, "li_exchange_current_density")
    if bare_set is None:
        raise InputError("--kinetics set (coated)", "no bare set",
                         "the bare set, from which the coated i0 follows",
                         hint="use load_cell_parameters(...)")
    bare = bare_set.si
    return coated_exchange_current(_get(bare, "li_exchange_current_density"),
                                   _get(bare, "symmetric_cell_charge_transfer_resistance"),
                                   r_sym, area, r_film)


def _film_resistance_ohm_m2(si: Mapping[str, Any], anode: str) -> float:
    """h/kappa_c of the anode's coating (0 for bare Li)."""
    if anode != "coated":
        return 0.0
    return film_area_resistance_ohm_m2(_get(si, "coating_thickness"),
                                       _get(si, "coating_ionic_conductivity"))


def load_cell_parameters(anode: str, overrides: Sequence[str] = (), kinetics: Kinetics = "rct",
                         focusing_factor: float | None = None) -> tuple[Any, LiMetalParameters]:
    """The anode's set (with ``--set`` overrides) and its :class:`LiMetalParameters`.

    Loads the bare set as well where the coated kinetics derive from it
    (``kinetics="set"``).
    """
    pset = load_anode_set(anode, overrides)
    bare = (load_anode_set("bare", overrides) if anode == "coated" and kinetics == "set"
            else None)
    return pset, cell_parameters(pset, anode, kinetics, focusing_factor, bare_set=bare)


def cell_parameters(pset: Any, anode: str, kinetics: Kinetics = "rct",
                    focusing_factor: float | None = None, bare_set: Any = None
                    ) -> LiMetalParameters:
    """Build :class:`LiMetalParameters` from a loaded set.

    Parameters
    ----------
    pset
        A :class:`hemcell.params.ParameterSet` (bare_li or azcnf_coated_li style).
    anode
        ``bare`` or ``coated``; a bare anode has no coating film.
    kinetics
        ``rct``: i0 from the seed's symmetric-cell resistance and the electrode area;
        ``set``: the bare set's ``li_exchange_current_density`` (coated: by the
        coated-interface rule, which needs ``bare_set``).
    focusing_factor
        Replace the set's ``current_focusing_factor`` (the surface coupling passes it).
    bare_set
        The bare set, for ``coated`` with ``kinetics="set"``.
    """
    si = pset.si
    h = _get(si, "coating_thickness") if anode == "coated" else 0.0
    kappa_c = _get(si, "coating_ionic_conductivity") if anode == "coated" else math.inf
    i0_ref = reference_exchange_current_A_per_m2(pset, anode, kinetics, bare_set)
    f = _get(si, "current_focusing_factor", 1.0) if focusing_factor is None else focusing_factor
    if f < 1:
        raise InputError("current_focusing_factor", f, "a factor >= 1")
    return LiMetalParameters(
        anode=anode,
        temperature_K=_get(si, "ambient_temperature"),
        reference_temperature_K=_get(si, "reference_temperature"),
        symmetric_cell_resistance_ohm=_get(si, "symmetric_cell_charge_transfer_resistance"),
        li_electrode_area_m2=_get(si, "li_electrode_area"),
        activation_energy_J_per_mol=_get(si, "li_migration_activation_energy"),
        coating_thickness_m=h,
        coating_conductivity_S_per_m=kappa_c,
        exchange_current_ref_A_per_m2=i0_ref,
        focusing_factor=f,
        li_molar_volume_m3_per_mol=_get(si, "li_molar_volume"),
        li_double_layer_capacity_F_per_m2=_get(si, "li_double_layer_capacity"),
        loss_coefficient_per_V=_get(si, "li_loss_overpotential_coefficient"),
        layer_porosity=_get(si, "interphase_layer_porosity"),
        layer_bruggeman=_get(si, "interphase_layer_bruggeman_coefficient"),
        li_foil_thickness_m=_get(si, "li_foil_thickness"),
        electrolyte_volume_m3=_get(si, "electrolyte_volume"),
        electrolyte_consumption_m3_per_mol=_get(si, "electrolyte_consumption_per_lost_li"),
        lfp_deactivation_per_lost_li=_get(si, "lfp_deactivation_per_lost_li"),
        shuttle_charge_per_lost_li=_get(si, "shuttle_charge_per_lost_li"),
        electrolyte_concentration_mol_per_m3=_get(si, "initial_electrolyte_concentration"),
        electrolyte_diffusivity_m2_per_s=_get(si, "electrolyte_diffusivity"),
        electrolyte_conductivity_S_per_m=_get(si, "electrolyte_conductivity"),
        cation_transference_number=_get(si, "cation_transference_number"),
        separator_thickness_m=_get(si, "separator_thickness"),
        separator_porosity=_get(si, "separator_porosity"),
        separator_bruggeman=_get(si, "separator_bruggeman_coefficient"),
        cathode_area_m2=_get(si, "cathode_electrode_area"),
        lfp_mass_loading_kg_per_m2=_get(si, "lfp_mass_loading"),
        lfp_specific_current_1c_A_per_kg=_get(si, "lfp_specific_current_1c"),
        lfp_charged_stoichiometry=_get(si, "lfp_charged_stoichiometry"),
        lfp_exchange_current_factor=_get(si, "lfp_exchange_current_factor", 1.0),
        lower_cutoff_V=_get(si, "cell_lower_cutoff_voltage"),
        upper_cutoff_V=_get(si, "cell_upper_cutoff_voltage"),
        li_surface_energy_J_per_m2=_get(si, "li_surface_energy"),
        nucleation_shape_factor=_get(si, "nucleation_shape_factor"),
        nucleation_rate_prefactor_per_m2_s=_get(si, "nucleation_rate_prefactor"),
        cu_double_layer_capacity_F_per_m2=_get(si, "cu_double_layer_capacity"),
        aurbach_current_density_A_per_m2=_get(si, "aurbach_current_density"),
    )
