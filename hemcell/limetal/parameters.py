"""Typed SI parameters of the lithium-metal cell models, built from a parameter set.

The physics modules take a :class:`LiMetalParameters` (plain SI floats, units in the
names) and never read YAML. :func:`load_anode_set` picks the set of an anode
(``bare`` → ``bare_li``, ``coated`` → ``azcnf_coated_li``) and applies ``--set``
overrides; :func:`cell_parameters` converts it.

The Li exchange current is *derived* here from the seed's charge-transfer resistance
(:func:`hemcell.limetal.kinetics.exchange_current_from_resistance`) unless
``kinetics="set"`` asks for the set's ``li_exchange_current_density`` (Xu2019 carbonate
fit, 7 mA/cm**2, which makes the Li kinetics nearly invisible at cell level).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from hemcell.errors import InputError
from hemcell.laws import (
    arrhenius_factor,
    exchange_current_from_resistance,
    film_area_resistance_ohm_m2,
)

Anode = Literal["bare", "coated"]
ANODE_SETS: dict[str, str] = {"bare": "bare_li", "coated": "azcnf_coated_li"}
Kinetics = Literal["rct", "set"]

#: Temperature at which the seed's resistances are taken to be measured [K] (not stated
#: in the seed; PyBaMM's default, see ``ambient_temperature`` in the sets).
REFERENCE_TEMPERATURE_K = 298.15

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

    if anode not in ANODE_SETS:
        raise InputError("--anode", anode, "bare | coated")
    pset = load_parameter_set(set_path or ANODE_SETS[anode])
    if overrides:
        pset = pset.with_overrides(list(overrides))
    return pset


@dataclass(frozen=True)
class LiMetalParameters:
    """Inputs of the Li-metal cell models in SI units (see ``docs/limetal.md``)."""

    anode: str
    temperature_K: float
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
        """Li exchange current density at the cell temperature (Arrhenius)."""
        return self.exchange_current_ref_A_per_m2 * arrhenius_factor(
            self.activation_energy_J_per_mol, self.temperature_K, REFERENCE_TEMPERATURE_K)

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


def cell_parameters(pset: Any, anode: str, kinetics: Kinetics = "rct",
                    focusing_factor: float | None = None) -> LiMetalParameters:
    """Build :class:`LiMetalParameters` from a loaded set.

    Parameters
    ----------
    pset
        A :class:`hemcell.params.ParameterSet` (bare_li or azcnf_coated_li style).
    anode
        ``bare`` or ``coated``; a bare anode has no coating film.
    kinetics
        ``rct``: i0 from the seed's symmetric-cell resistance and the electrode area;
        ``set``: the set's ``li_exchange_current_density``.
    focusing_factor
        Replace the set's ``current_focusing_factor`` (the surface coupling passes it).
    """
    si = pset.si
    h = _get(si, "coating_thickness", 0.0) if anode == "coated" else 0.0
    kappa_c = _get(si, "coating_ionic_conductivity", 1.0) if h > 0 else 1.0
    r_film = film_area_resistance_ohm_m2(h, kappa_c)
    area = _get(si, "li_electrode_area")
    r_sym = _get(si, "symmetric_cell_charge_transfer_resistance")
    if kinetics == "rct":
        i0_ref = exchange_current_from_resistance(r_sym, area, REFERENCE_TEMPERATURE_K, r_film)
    elif kinetics == "set":
        i0_ref = _get(si, "li_exchange_current_density")
    else:
        raise InputError("--kinetics", kinetics, "rct | set")
    f = _get(si, "current_focusing_factor", 1.0) if focusing_factor is None else focusing_factor
    if f < 1:
        raise InputError("current_focusing_factor", f, "a factor >= 1")
    return LiMetalParameters(
        anode=anode,
        temperature_K=_get(si, "ambient_temperature"),
        symmetric_cell_resistance_ohm=r_sym,
        li_electrode_area_m2=area,
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
