"""Hostile and mistaken inputs: YAML bombs, files that are not parameter sets, huge
values in error messages, and ``--out`` folders that cannot or should not be written.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError, ParameterError, ParameterFileError

LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, 10)]) + "\n"


def _err(capsys) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.parametrize("argv", [
    ["params", "check", "{file}"],
    ["params", "export", "{file}", "--out", "{out}"],
    ["sweep", "{file}", "--out", "{out}", "--check"],
    ["cell", "run", "{file}", "--params", "heo_rocksalt_mgconicuzn", "--protocol",
     "Discharge at 0.1 A/g until 0.01 V", "--out", "{out}"],
])
def test_yaml_with_aliases_is_refused_at_once(tmp_path, capsys, argv):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(LAUGHS)
    args = [a.format(file=bomb, out=tmp_path / "out") for a in argv]
    assert main(args) == 2
    err = _err(capsys)
    assert "anchor or alias" in err and len(err) < 2000
    assert "lol" not in err


def test_a_file_that_is_not_a_parameter_set_is_not_echoed(tmp_path, capsys):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n"
                      "password: hunter2\n")
    assert main(["params", "check", str(secret)]) == 2
    err = _err(capsys)
    assert "hunter2" not in err and "hashhash" not in err and "saltsalt" not in err
    assert "none of them a parameter-set key" in err


@pytest.mark.parametrize("content", [bytes(range(256)) * 4, b"\x00" * 100])
def test_binary_files_are_refused(tmp_path, capsys, content):
    f = tmp_path / "blob.yaml"
    f.write_bytes(content)
    assert main(["params", "check", str(f)]) == 2
    err = _err(capsys)
    assert "UTF-8" in err or "a text file is expected" in err


def test_echoed_values_are_capped():
    huge = "x" * 1_000_000
    assert len(InputError("f", huge, "short").message) < 400
    nested: list = [1]
    for _ in range(40):
        nested = [nested, nested]  # 2^40 leaves if printed in full
    assert len(InputError("f", nested, "a number").message) < 400
    assert len(InputError(huge, 1, "x").message) < 400
    errors = [ParameterError(f"f{i}", huge, "x") for i in range(1000)]
    text = ParameterFileError("p.yaml", errors).message
    assert "1000 error(s)" in text and "... and 980 more" in text and len(text) < 20_000


def test_a_huge_key_in_a_parameter_file_is_echoed_short(tmp_path, capsys):
    f = tmp_path / "big.yaml"
    f.write_text(f"name: big\nkind: li_metal\ndescription: d\nparameters:\n"
                 f"  {'k' * 500_000}: {{value: 1, unit: m, source: {{assumed: x}}}}\n")
    assert main(["params", "check", str(f)]) == 2
    assert len(_err(capsys)) < 3000


def test_python_tags_and_dates_are_not_constructed():
    from hemcell.params.yaml_io import safe_load_text

    with pytest.raises(ParameterError, match="refused"):
        safe_load_text("a: !!python/object/apply:os.system ['true']", "x")
    with pytest.raises(ParameterError, match="refused"):
        safe_load_text("a: !!binary aGk=", "x")
    assert safe_load_text("a: 2024-05-01", "x") == {"a": "2024-05-01"}


# ------------------------------------------------------------------------- --out


def _export(out, *extra):
    return main(["params", "export", "bare_li", "--out", str(out), *extra])


def test_out_that_is_empty_a_file_or_under_a_file_is_refused(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("keep me")
    for out in ("", str(f), str(f / "sub")):
        assert main(["params", "export", "bare_li", "--out", out]) == 2
        err = _err(capsys)
        assert "error: --out" in err and "bug" not in err
    assert f.read_text() == "keep me"


def test_a_folder_with_files_needs_overwrite_and_is_checked_before_the_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert _export(out) == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert _export(out) == 2
    assert "--overwrite" in _err(capsys)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before  # nothing ran
    assert _export(out, "--overwrite") == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _export(empty) == 0  # an existing empty folder is fine


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_refused(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert _export(locked / "run") == 2
        assert "not writable" in _err(capsys)
    finally:
        locked.chmod(0o700)


def test_written_files_are_0644(tmp_path):
    out = tmp_path / "run"
    assert _export(out) == 0
    for name in ("parameters_si.json", "run.json"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name
    assert json.loads((out / "parameters_si.json").read_text())


def test_every_command_with_out_takes_overwrite():
    """A folder that holds files is refused unless --overwrite: every command needs it."""
    from hemcell.cli.main import full_command

    def walk(cmd, name=""):
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub_name, sub in subs.items():
                yield from walk(sub, f"{name} {sub_name}".strip())
        else:
            yield name, cmd

    with_out, missing = [], []
    for name, cmd in walk(full_command()):
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if "--out" in opts:
            with_out.append(name)
            if "--overwrite" not in opts:
                missing.append(name)
    assert "params export" in with_out and "sweep" in with_out
    assert missing == []
