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

Which values a model reads: every field of :class:`LiMetalParameters` is read from one
registry name (:data:`FIELD_USES`); each model declares the fields it reads next to its
equations (``PARAMETERS`` of :mod:`hemcell.limetal.halfcell`, :mod:`~hemcell.limetal.cycling`,
:mod:`~hemcell.limetal.symmetric`, :mod:`~hemcell.limetal.licu`), the Li electrode's
kinetics here (:func:`li_electrode_uses`). :func:`cell_parameters` reads only the names
it is given (``uses``), names every missing one at once, and leaves the fields of the
other names ``nan`` ("not an input of this model").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from hemcell.errors import InputError
from hemcell.laws import (
    arrhenius_factor,
    coated_exchange_current,
    exchange_current_from_resistance,
    film_area_resistance_ohm_m2,
)
from hemcell.materials.elements import refuse_molten_metal
from hemcell.params.li_sets import li_anode_set_name
from hemcell.params.uses import ParameterUse, expand, require_parameters, required

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
    lfp_diffusivity_activation_energy_J_per_mol: float
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

    def _electrolyte_ratios(self) -> tuple[float, float]:
        from hemcell.materials.lipf6_electrolyte import valoen_reimers_ratio

        return valoen_reimers_ratio(self.temperature_K, self.electrolyte_concentration_mol_per_m3)

    @property
    def cell_electrolyte_conductivity_S_per_m(self) -> float:
        """Electrolyte conductivity at the cell temperature: the set's 298.15 K value
        carried by Valøen & Reimers
        (:func:`hemcell.materials.lipf6_electrolyte.valoen_reimers_ratio`);
        ``nan`` where the model reads no electrolyte."""
        if math.isnan(self.electrolyte_conductivity_S_per_m):
            return math.nan
        return self.electrolyte_conductivity_S_per_m * self._electrolyte_ratios()[0]

    @property
    def cell_electrolyte_diffusivity_m2_per_s(self) -> float:
        """Salt diffusivity at the cell temperature (as
        :attr:`cell_electrolyte_conductivity_S_per_m`)."""
        if math.isnan(self.electrolyte_diffusivity_m2_per_s):
            return math.nan
        return self.electrolyte_diffusivity_m2_per_s * self._electrolyte_ratios()[1]

    @property
    def separator_conductance_S_per_m2(self) -> float:
        """kappa eps^b / L of the electrolyte-filled separator (kappa at the cell
        temperature)."""
        return (self.cell_electrolyte_conductivity_S_per_m
                * self.separator_porosity ** self.separator_bruggeman / self.separator_thickness_m)

    def layer_resistance_ohm_m2(self, lost_charge_C_per_m2: float) -> float:
        """Ohmic resistance of the dead-Li/SEI layer holding ``q_lost`` (electrolyte at the
        cell temperature)."""
        from hemcell.limetal.losses import layer_resistance_ohm_m2

        return layer_resistance_ohm_m2(lost_charge_C_per_m2, self.li_molar_volume_m3_per_mol,
                                       self.layer_porosity, self.layer_bruggeman,
                                       self.cell_electrolyte_conductivity_S_per_m)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of the fields plus the derived kinetics (for run.json)."""
        d = asdict(self)
        d["film_resistance_ohm_m2"] = self.film_resistance_ohm_m2
        d["exchange_current_A_per_m2"] = self.exchange_current_A_per_m2
        d["cell_electrolyte_conductivity_S_per_m"] = self.cell_electrolyte_conductivity_S_per_m
        d["cell_electrolyte_diffusivity_m2_per_s"] = self.cell_electrolyte_diffusivity_m2_per_s
        # a field the model does not read is nan: null in run.json
        return {k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in d.items()}


#: :class:`LiMetalParameters` field → the registry name (and unit) it is read from. The
#: exchange current (derived by the module rules) and the anode have no single name.
FIELD_USES: dict[str, ParameterUse] = {
    "temperature_K": ParameterUse("ambient_temperature", "K"),
    "reference_temperature_K": ParameterUse("reference_temperature", "K"),
    "symmetric_cell_resistance_ohm": ParameterUse("symmetric_cell_charge_transfer_resistance",
                                                  "ohm"),
    "li_electrode_area_m2": ParameterUse("li_electrode_area", "m**2"),
    "activation_energy_J_per_mol": ParameterUse("li_migration_activation_energy", "J/mol"),
    "coating_thickness_m": ParameterUse("coating_thickness", "m"),
    "coating_conductivity_S_per_m": ParameterUse("coating_ionic_conductivity", "S/m"),
    "focusing_factor": ParameterUse("current_focusing_factor", "dimensionless"),
    "li_molar_volume_m3_per_mol": ParameterUse("li_molar_volume", "m**3/mol"),
    "li_double_layer_capacity_F_per_m2": ParameterUse("li_double_layer_capacity", "F/m**2"),
    "loss_coefficient_per_V": ParameterUse("li_loss_overpotential_coefficient", "1/V"),
    "layer_porosity": ParameterUse("interphase_layer_porosity", "dimensionless"),
    "layer_bruggeman": ParameterUse("interphase_layer_bruggeman_coefficient", "dimensionless"),
    "li_foil_thickness_m": ParameterUse("li_foil_thickness", "m"),
    "electrolyte_volume_m3": ParameterUse("electrolyte_volume", "m**3"),
    "electrolyte_consumption_m3_per_mol": ParameterUse("electrolyte_consumption_per_lost_li",
                                                       "m**3/mol"),
    "lfp_deactivation_per_lost_li": ParameterUse("lfp_deactivation_per_lost_li",
                                                 "dimensionless"),
    "shuttle_charge_per_lost_li": ParameterUse("shuttle_charge_per_lost_li", "dimensionless"),
    "electrolyte_concentration_mol_per_m3": ParameterUse("initial_electrolyte_concentration",
                                                         "mol/m**3"),
    "electrolyte_diffusivity_m2_per_s": ParameterUse("electrolyte_diffusivity", "m**2/s"),
    "electrolyte_conductivity_S_per_m": ParameterUse("electrolyte_conductivity", "S/m"),
    "cation_transference_number": ParameterUse("cation_transference_number", "dimensionless"),
    "separator_thickness_m": ParameterUse("separator_thickness", "m"),
    "separator_porosity": ParameterUse("separator_porosity", "dimensionless"),
    "separator_bruggeman": ParameterUse("separator_bruggeman_coefficient", "dimensionless"),
    "cathode_area_m2": ParameterUse("cathode_electrode_area", "m**2"),
    "lfp_mass_loading_kg_per_m2": ParameterUse("lfp_mass_loading", "kg/m**2"),
    "lfp_specific_current_1c_A_per_kg": ParameterUse("lfp_specific_current_1c", "A/kg"),
    "lfp_charged_stoichiometry": ParameterUse("lfp_charged_stoichiometry", "dimensionless"),
    "lfp_exchange_current_factor": ParameterUse("lfp_exchange_current_factor", "dimensionless"),
    "lfp_diffusivity_activation_energy_J_per_mol": ParameterUse(
        "lfp_particle_diffusivity_activation_energy", "J/mol"),
    "lower_cutoff_V": ParameterUse("cell_lower_cutoff_voltage", "V"),
    "upper_cutoff_V": ParameterUse("cell_upper_cutoff_voltage", "V"),
    "li_surface_energy_J_per_m2": ParameterUse("li_surface_energy", "J/m**2"),
    "nucleation_shape_factor": ParameterUse("nucleation_shape_factor", "dimensionless"),
    "nucleation_rate_prefactor_per_m2_s": ParameterUse("nucleation_rate_prefactor",
                                                       "1/(m**2*s)"),
    "cu_double_layer_capacity_F_per_m2": ParameterUse("cu_double_layer_capacity", "F/m**2"),
    "aurbach_current_density_A_per_m2": ParameterUse("aurbach_current_density", "A/m**2"),
}


def field_uses(*fields: str) -> tuple[ParameterUse, ...]:
    """The declarations of :class:`LiMetalParameters` fields (:data:`FIELD_USES`)."""
    return tuple(FIELD_USES[f] for f in fields)


#: The Li electrode of every model: isothermal at ``ambient_temperature``, i0 moved from
#: ``reference_temperature`` by Arrhenius.
LI_ELECTRODE_PARAMETERS = field_uses("temperature_K", "reference_temperature_K",
                                     "activation_energy_J_per_mol")
#: i0 from the measured symmetric-cell resistance and its electrode area (``--kinetics
#: rct``; with ``set`` the coated-interface rule reads them for coated Li, from both sets).
#: The cell models that scale currents by the Li area declare it themselves.
RESISTANCE_KINETICS_PARAMETERS = field_uses("symmetric_cell_resistance_ohm",
                                            "li_electrode_area_m2")
#: ``--kinetics set``: the bare set's exchange current.
SET_KINETICS_PARAMETERS = (ParameterUse("li_exchange_current_density", "A/m**2"),)
#: Coated Li: the film h/kappa_c (its Ohmic drop, and taken out of the measured resistance).
COATING_PARAMETERS = field_uses("coating_thickness_m", "coating_conductivity_S_per_m")


def li_electrode_uses(anode: str, kinetics: str = "rct") -> tuple[ParameterUse, ...]:
    """What the Li electrode of a cell model reads, by anode and kinetics rule.

    Parameters
    ----------
    anode
        ``bare`` or ``coated``.
    kinetics
        ``rct`` or ``set`` (:func:`reference_exchange_current_A_per_m2`).

    The focusing factor is not the electrode's: only the Li loss law reads it (the
    models with a loss declare it).

    Raises
    ------
    InputError
        Unknown ``kinetics``.
    """
    if kinetics not in KINETICS:
        raise InputError("--kinetics", kinetics, " | ".join(KINETICS))
    uses = [*LI_ELECTRODE_PARAMETERS]
    if kinetics == "rct" or anode == "coated":
        uses += RESISTANCE_KINETICS_PARAMETERS
    if kinetics == "set":
        uses += SET_KINETICS_PARAMETERS
    if anode == "coated":
        uses += COATING_PARAMETERS
    return tuple(uses)


def all_cell_uses(anode: str, kinetics: str = "rct", focusing_from_set: bool = True
                  ) -> tuple[ParameterUse, ...]:
    """Every name :class:`LiMetalParameters` can hold for an anode (all models together;
    without the set's focusing factor when the caller gives it)."""
    electrode = {u.key for u in (*LI_ELECTRODE_PARAMETERS, *RESISTANCE_KINETICS_PARAMETERS,
                                 *COATING_PARAMETERS)}
    return (*li_electrode_uses(anode, kinetics),
            *(u for f, u in FIELD_USES.items() if u.key not in electrode
              and (focusing_from_set or f != "focusing_factor")))


def _get(si: Mapping[str, Any], name: str) -> float:
    """One number of the set (after the model's :func:`require_parameters` check)."""
    if name not in si:
        raise InputError("parameter set", f"missing {name!r}",
                         "a set with the limetal entries (see docs/limetal.md)")
    v = si[name]
    if isinstance(v, list):
        raise InputError(name, v, "a single number")
    return float(v)


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
    if kinetics not in KINETICS:
        raise InputError("--kinetics", kinetics, " | ".join(KINETICS))
    if kinetics == "set" and anode == "bare":
        return _get(si, "li_exchange_current_density")
    r_film = _film_resistance_ohm_m2(si, anode)
    area = _get(si, "li_electrode_area")
    r_sym = _get(si, "symmetric_cell_charge_transfer_resistance")
    if kinetics == "rct":
        return exchange_current_from_resistance(r_sym, area, _get(si, "reference_temperature"),
                                                r_film)
    if bare_set is None:
        raise InputError("--kinetics set (coated)", "no bare set",
                         "the bare set, from which the coated i0 follows",
                         hint="use load_cell_parameters(...)")
    bare = bare_set.si
    require_parameters(bare, ["li_exchange_current_density",
                              "symmetric_cell_charge_transfer_resistance"],
                       "the coated Li kinetics (--kinetics set)", bare_set.name)
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
                         focusing_factor: float | None = None,
                         uses: Iterable[ParameterUse] | None = None, reader: str | None = None
                         ) -> tuple[Any, LiMetalParameters]:
    """The anode's set (with ``--set`` overrides) and its :class:`LiMetalParameters`.

    Loads the bare set as well where the coated kinetics derive from it
    (``kinetics="set"``). ``uses`` and ``reader`` as :func:`cell_parameters`.
    """
    pset = load_anode_set(anode, overrides)
    bare = (load_anode_set("bare", overrides) if anode == "coated" and kinetics == "set"
            else None)
    return pset, cell_parameters(pset, anode, kinetics, focusing_factor, bare_set=bare,
                                 uses=uses, reader=reader)


def cell_parameters(pset: Any, anode: str, kinetics: Kinetics = "rct",
                    focusing_factor: float | None = None, bare_set: Any = None,
                    uses: Iterable[ParameterUse] | None = None, reader: str | None = None
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
    uses
        The names the model reads (its ``PARAMETERS`` and :func:`li_electrode_uses`);
        default: every field (:func:`all_cell_uses`). Only these are read; the fields of
        other names are ``nan``.
    reader
        The model, for the message naming missing values.

    Raises
    ------
    InputError
        Naming every value the model reads that the set does not give; a focusing
        factor below 1; ``ambient_temperature`` at or above Li's melting point
        (:func:`hemcell.materials.elements.melting_point`).
    """
    si = pset.si
    from_set = focusing_factor is None
    reads = expand(all_cell_uses(anode, kinetics, from_set) if uses is None else uses)
    require_parameters(si, [k for k in required(reads) if k != "li_exchange_current_density"
                            or anode == "bare"],
                       reader or f"the Li-metal cell models ({anode} Li)", pset.name)
    values = {f: (_get(si, u.key) if u.key in reads else math.nan)
              for f, u in FIELD_USES.items()}
    if anode != "coated":  # bare Li: no film
        values["coating_thickness_m"], values["coating_conductivity_S_per_m"] = 0.0, math.inf
    if not from_set:
        values["focusing_factor"] = float(focusing_factor)  # type: ignore[arg-type]
    f = values["focusing_factor"]
    if f < 1:
        raise InputError("current_focusing_factor", f, "a factor >= 1")
    refuse_molten_metal("Li", values["temperature_K"], "electrode",
                        hint="the Li-metal cell models need solid Li (set ambient_temperature "
                             "with --set ambient_temperature=...)")
    return LiMetalParameters(
        anode=anode,
        exchange_current_ref_A_per_m2=reference_exchange_current_A_per_m2(pset, anode,
                                                                          kinetics, bare_set),
        **values,
    )
