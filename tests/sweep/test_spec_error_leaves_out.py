"""A spec error found while the sweep runs (an output key the command does not write,
known only when the first point finishes) exits 2 like any other spec error and leaves
``--out`` as it found it: the corrected command runs without ``--overwrite``. It used
to leave ``sweep.json`` and the points' run folders behind, so the rerun was refused as
"a new or empty folder"; a second point still running was not stopped."""

from __future__ import annotations

import yaml

from hemcell.cli.main import main

SPEC = {"command": "params export", "arguments": ["azcnf_coated_li"],
        "results_file": "parameters_si.json",
        "parameters": {"coating_thickness": {"values": ["10 nm", "40 nm"]}}}


def _spec(tmp_path, outputs, name):
    path = tmp_path / name
    path.write_text(yaml.safe_dump({**SPEC, "outputs": outputs}))
    return str(path)


def test_a_late_spec_error_leaves_out_as_it_was(tmp_path, capsys):
    bad = _spec(tmp_path, ["coating_thicknes"], "bad.yaml")
    new = tmp_path / "new"
    assert main(["sweep", bad, "--out", str(new), "--no-plots", "--workers", "2"]) == 2
    assert "coating_thickness" in capsys.readouterr().err
    assert not new.exists()  # so the corrected spec runs into it without --overwrite


def test_an_empty_folder_is_emptied_again(tmp_path):
    from hemcell.sweep.run import _clear_new_folder

    empty = tmp_path / "empty"
    (empty / "runs" / "abc").mkdir(parents=True)
    (empty / "sweep.json").write_text("{}")
    _clear_new_folder(empty, existed=True)
    assert empty.is_dir() and list(empty.iterdir()) == []
