"""``hemcell pybamm``: PyBaMM's own cells driven by hemcell parameter sets.

``hemcell pybamm cc-discharge`` discharges a Li half-cell at constant current
(:mod:`hemcell.workflows.cc_discharge`, which also has its sweep fast path).
"""

from __future__ import annotations

from typing import Annotated

import typer

from hemcell.cli.options import OutOption, OverwriteOption, SetOption
from hemcell.workflows.cc_discharge import C_RATE, DEFAULT, Setup, discharge

app = typer.Typer(help="PyBaMM's own cells with hemcell parameter sets.",
                  no_args_is_help=True, pretty_exceptions_enable=False)


@app.command("cc-discharge")
def cc_discharge(
    out: OutOption,
    c_rate: Annotated[float, typer.Option("--c-rate", min=0.0, help="Discharge C-rate "
                                          "(× the set's nominal cell capacity).")] = C_RATE,
    params: Annotated[str, typer.Option("--params", help="Parameter set name or YAML "
                                        "path.")] = DEFAULT.params,
    model: Annotated[str, typer.Option("--model", help="DFN | SPMe | SPM")] = DEFAULT.model,
    initial_stoichiometry: Annotated[float, typer.Option(
        "--initial-stoichiometry", min=0.0, max=1.0,
        help="Initial lithium stoichiometry of the positive electrode.")
    ] = DEFAULT.initial_stoichiometry,
    set_: SetOption = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Constant-current discharge of a Li half-cell to the lower cut-off; write summary.json.

    Prints the capacity in mAh and mAh/cm2 of electrode area and the mean voltage.
    """
    from hemcell.runinfo import write_run_record, write_summary

    setup = Setup(params, model, initial_stoichiometry, tuple(set_ or ()))
    summary = discharge(setup, c_rate)
    out.mkdir(parents=True, exist_ok=True)
    write_summary(out, summary)
    write_run_record(out, {"setup": setup.__dict__, "c_rate": c_rate})
    typer.echo(capacity_line(summary) + f"; results in {out}")


def capacity_line(summary: dict) -> str:
    """The discharge in the units a cell is reported in: mAh, mAh/cm2 of electrode area
    and the mean voltage (``summary.json`` keeps the A.h and W.h PyBaMM gives)."""
    return (f"discharge capacity {summary['discharge_capacity_Ah'] * 1e3:.4g} mAh "
            f"({summary['discharge_capacity_mAh_per_cm2']:.4g} mAh/cm2), mean voltage "
            f"{summary['average_voltage_V']:.4g} V")
