"""``--out`` is probed by writing, not by permission bits: root passes ``os.access`` on
folders no one can write to (``/proc``), so the check must create and remove a file
in the nearest existing folder before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemcell.cli.main import main
from hemcell.cli.options import check_out_folder
from hemcell.errors import InputError

PROC = Path("/proc")


@pytest.mark.skipif(not (PROC / "self").exists(), reason="needs a Linux /proc")
def test_out_under_proc_is_refused_at_parse_time(capsys):
    assert main(["params", "export", "bare_li", "--out", "/proc/hemcell_out_probe"]) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "error: --out" in err and "bug" not in err
    assert "could not create a file" in err


def test_the_probe_leaves_nothing_behind(tmp_path):
    out = tmp_path / "a" / "b"
    assert check_out_folder(out, reuse=False) == out
    assert list(tmp_path.iterdir()) == []  # neither the folder nor the probe file
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("x")
    check_out_folder(used, reuse=True)
    assert sorted(p.name for p in used.iterdir()) == ["keep.txt"]


@pytest.mark.skipif(not (PROC / "self").exists(), reason="needs a Linux /proc")
def test_an_existing_unwritable_folder_with_reuse_is_refused():
    with pytest.raises(InputError, match="--out"):
        check_out_folder(PROC / "self", reuse=True)


# ------------------------------------------------------------- --write-params FILE
ROCK_SALT = "(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O"


@pytest.mark.skipif(not (PROC / "self").exists(), reason="needs a Linux /proc")
def test_write_params_where_no_file_can_be_created_exits_2(capsys):
    assert main(["composition", ROCK_SALT, "--write-params", "/proc/heo_probe.yaml"]) == 2
    err = capsys.readouterr().err
    assert "error: --write-params" in err and "bug" not in err


def test_write_params_keeps_an_existing_file_unless_overwrite(tmp_path, capsys):
    target = tmp_path / "my_heo.yaml"
    target.write_text("name: mine\n")
    assert main(["composition", ROCK_SALT, "--write-params", str(target)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert target.read_text() == "name: mine\n"
    assert main(["composition", ROCK_SALT, "--write-params", str(target), "--overwrite"]) == 0
    assert "name: my_heo" in target.read_text()


def test_write_params_into_a_folder_name_or_under_a_file_exits_2(tmp_path, capsys):
    (tmp_path / "sets.yaml").mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for path in (tmp_path / "sets.yaml", blocker / "heo.yaml"):
        assert main(["composition", ROCK_SALT, "--write-params", str(path)]) == 2
        assert "error: --write-params" in capsys.readouterr().err
