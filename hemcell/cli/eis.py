"""``hemcell eis``: impedance spectra of the cell models (Nyquist/Bode, circuit fits, Arrhenius).

Mounted by :mod:`hemcell.cli.main` as a single command; the work is done by
:mod:`hemcell.workflows.eis`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from hemcell.cli.options import NoPlotsOption, OutOption, OverwriteOption, SetOption


def app(
    cell: Annotated[str, typer.Argument(help="symmetric (Li||Li) | li-lfp | anode (HEM "
                                             "half-cell) | cathode (a cathode set vs its "
                                             "metal) | full (HEM anode | cathode)")],
    out: OutOption,
    anode: Annotated[str | None, typer.Option(
        "--anode", help="Li electrode of symmetric / li-lfp: bare | coated | both "
                        "(default both)")] = None,
    recipe: Annotated[str | None, typer.Option(
        "--recipe", help="anode | cathode | full: model recipe (models/<name>.yaml; default "
                         "hem_half_cell_p2d | cathode_half_cell_p2d | hem_full_cell_lfp)")
    ] = None,
    params: Annotated[str | None, typer.Option(
        "--params", help="anode, full: the anode set (default heo_rocksalt_mgconicuzn); "
                         "cathode: the cathode set (default cathode_he_nvpf)")] = None,
    ion: Annotated[str | None, typer.Option(
        "--ion", help="anode: carrier ion Li, Na or K (its electrolyte, metal counter "
                      "electrode and conversion branches, as cell run --ion); cathode, "
                      "full: the cathode set's (default)")] = None,
    soc: Annotated[float | None, typer.Option(
        "--soc", help="li-lfp: state of charge (1 = the set's charged state); anode: "
                      "lithiated fraction of the theoretical capacity (0.1 A/g, then "
                      "30 min rest); cathode, full: 0 < soc < 1, charged fraction from the "
                      "as-made state to the upper cut-off (C/10, then 60 min rest). "
                      "Default: the fresh/charged (li-lfp)/as-made rested state")] = None,
    protocol: Annotated[str | None, typer.Option(
        "--protocol", help="anode: PyBaMM steps run first (end with a rest), e.g. "
                           "'Discharge at 0.1 A/g until 0.5 V; Rest for 1 hour'")] = None,
    frequencies: Annotated[str, typer.Option(
        "--frequencies", help="START:STOP:N/decade or a comma list, in Hz or with a hertz "
        "unit (10mHz:1MHz:10/decade)")
    ] = "1e-2:1e6:10/decade",
    temperatures: Annotated[str | None, typer.Option(
        "--temperatures", help="e.g. 25,35,45,55degC (>= 3 give the activation energy); "
                               "default: the set's ambient temperature. A --soc or "
                               "--protocol state is set once, at the set's "
                               "ambient_temperature (--set), and measured at each")] = None,
    circuit: Annotated[str, typer.Option(
        "--circuit", help="full: the circuit fitted, lumped (default: "
                          "R0-p(R1,C1)-p(R2,C2)-Wo1, one R||C per electrode; R0-p(R1,C1)-Wo1 "
                          "where their arcs merge) | transmission-line (R0-TL1-TL2-Wo1, one "
                          "de Levie line per electrode with an R_ct||C_dl interface; adds "
                          "each electrode's pore resistance)")] = "lumped",
    set_: SetOption = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Impedance spectrum of a cell model: impedance.csv/.nc, nyquist.png, bode.png,
    processes.png, summary.json (charge_transfer_resistance_ohm, circuit, kk_residual_max,
    activation_energy_kJ_per_mol with >= 3 temperatures, then arrhenius.png; full: each
    electrode's circuit R_ct where the arcs are told apart, else their sum and why,
    circuit_arcs; --circuit transmission-line: also circuit_pore_resistance_ohm)."""
    from hemcell.errors import InputError
    from hemcell.units import parse_temperatures_K
    from hemcell.workflows import eis

    if cell not in eis.CELLS:
        raise InputError("CELL", cell, " | ".join(eis.CELLS))
    # an option the cell's model does not read would change nothing: refused
    unread = ({"--anode": anode} if cell in eis.RECIPE_CELLS
              else {"--recipe": recipe, "--params": params, "--ion": ion})
    for option, value in unread.items():
        if value is not None:
            users = ("symmetric and li-lfp" if option == "--anode"
                     else " | ".join(eis.RECIPE_CELLS))
            raise InputError(option, value, f"only with CELL {users} (not {cell})",
                             hint=f"leave out {option}")
    anodes = {"both": ("bare", "coated"), "bare": ("bare",), "coated": ("coated",)}
    anode = "both" if anode is None else anode  # an empty text is a value, refused
    if anode not in anodes:
        raise InputError("--anode", anode, "bare | coated | both")
    defaults = eis.EISRequest(cell=cell)
    recipe = defaults.recipe if recipe is None else recipe
    params = defaults.params if params is None else params
    eis.check_circuit(cell, circuit)
    eis.split_overrides(set_ or ())  # refuses a bad --set before anything runs
    temps = (parse_temperatures_K(temperatures, "--temperatures")
             if temperatures is not None else [])
    req = eis.EISRequest(cell=cell, anodes=anodes[anode],
                         frequencies_Hz=tuple(eis.parse_frequencies(frequencies)),
                         temperatures_K=tuple(temps), overrides=tuple(set_ or ()),
                         recipe=recipe, params=params, soc=soc, protocol=protocol, ion=ion,
                         circuit=circuit)
    summary = eis.write_outputs(eis.run_eis(req), out, plots_on=not no_plots)
    for line in eis.result_lines(summary):
        typer.echo(line)
    typer.echo(f"KK residual max {summary['kk_residual_max']:.2e}; results in {out}")
