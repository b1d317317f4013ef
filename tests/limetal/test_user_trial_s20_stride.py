"""User trial S20: ``limetal cycle --stride`` and the cycles a CSV row stands for.

``--cycles 3 --stride 10`` ran without a word (the same run as ``--stride 3``), and with
``--cycles 4 --stride 3`` the CSV labelled the second solved row "2" although its losses,
layer and electrolyte are those after cycle 4 (it stands for cycles 2-4). A stride above
``--cycles`` now exits 2 naming --stride, the value and 1 to the number of cycles; the CSV has
``cycle_last`` and ``cycles_represented``, and the figure draws a row at its last cycle.
"""

from __future__ import annotations

import csv
import json

import pytest

from hemcell.cli.main import main
from hemcell.limetal.cycling import CycleRecord


@pytest.mark.parametrize(("cycles", "stride"), [(3, 10), (1, 2)])
def test_a_stride_above_the_cycles_exits_2_naming_it(tmp_path, capsys, cycles, stride):
    out = tmp_path / "o"
    code = main(["limetal", "cycle", "--cycles", str(cycles), "--stride", str(stride),
                 "--no-plots", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"error: --stride: got {stride}; allowed: an integer from 1 to the number of " \
           f"cycles ({cycles})" in err
    assert "hint: the number of cycles is --cycles (limetal cycle)" in err
    assert not out.exists()


def test_csv_rows_say_which_cycles_they_stand_for(tmp_path, capsys):
    out = tmp_path / "o"
    code = main(["limetal", "cycle", "--cycles", "4", "--stride", "3", "--no-plots",
                 "--out", str(out)])
    capsys.readouterr()
    assert code == 0
    with open(out / "cycling_coated.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # cycle 1 alone (pristine LFP), then one solve with 3 cycles of loss: cycles 2-4
    assert [(int(r["cycle"]), int(r["cycle_last"]), int(r["cycles_represented"]))
            for r in rows] == [(1, 1, 1), (2, 4, 3)]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cycles"] == int(rows[-1]["cycle_last"]) == 4
    assert sum(int(r["cycles_represented"]) for r in rows) == 4


def _record(cycle, represented, dry_out=None):
    n = len(cycle)
    return CycleRecord(cycle=cycle, cycles_represented=represented,
                       charge_mAh_per_g=[150.0] * n, shuttle_charge_mAh_per_g=[0.1] * n,
                       discharge_mAh_per_g=[149.0 - j for j in range(n)],
                       cell_ce=[0.99] * n, li_ce=[0.999] * n,
                       layer_resistance_ohm_cm2=[1.0 + j for j in range(n)],
                       layer_thickness_um=[0.1] * n, cathode_wetted_fraction=[1.0] * n,
                       lfp_active_fraction=[1.0] * n, free_electrolyte_uL=[20.0] * n,
                       lithiation_at_charge_start=[0.99] * n, dry_out_cycle=dry_out)


def test_cycle_last_is_the_cycle_with_stride_1():
    rec = _record([1, 2, 3], [1, 1, 1])
    assert rec.cycle_last == rec.cycle
    assert rec.as_columns()["cycles_represented"] == [1, 1, 1]


def test_figure_draws_each_row_at_its_last_cycle(tmp_path, monkeypatch):
    """``--cycles 300 --stride 10``: rows 1, 2, 12, ..., 292 (the last one standing for
    292-300); the curves end at cycle 300, and a dry-out point follows the last row."""
    import hemcell.figures
    from hemcell.limetal.plots import plot_cycling

    first = [1, *range(2, 300, 10)]
    rep = [1] + [min(10, 300 - n + 1) for n in first[1:]]
    assert first[-1] == 292 and rep[-1] == 9
    figs = []
    monkeypatch.setattr(hemcell.figures, "save_figure", lambda fig, *a, **k: figs.append(fig))
    plot_cycling(tmp_path / "c.png", {"coated": _record(first, rep, dry_out=301)})
    last = [n + k - 1 for n, k in zip(first, rep, strict=True)]
    assert last[-1] == 300
    for ax in figs[0].axes:
        for line in ax.get_lines():
            x = list(line.get_xdata())
            if len(x) == len(last) + 1:  # the capacity with the dry-out point
                assert x == [*last, 301]
            elif len(x) == len(last):
                assert x == last
