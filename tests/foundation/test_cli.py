"""The command line: exit codes and messages (2 bad input, 1 failed run, tracebacks only
with --debug)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hemcell.cli.main import main


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hemcell", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def test_params_list_and_show(capsys):
    assert main(["params", "list"]) == 0
    out = capsys.readouterr().out
    assert "bare_li" in out and "azcnf_coated_li" in out
    assert main(["params", "show", "azcnf_coated_li"]) == 0
    out = capsys.readouterr().out
    assert "coating_thickness" in out and "seed 004_f1ec79e91fb2534a.txt" in out


def test_params_show_with_override(capsys):
    assert main(["params", "show", "azcnf_coated_li", "--set", "coating_thickness=70nm"]) == 0
    assert "override: --set coating_thickness=70nm" in capsys.readouterr().out


def test_params_check_good_files(capsys):
    from hemcell.params.parameter_set import resolve_parameter_path

    files = [str(resolve_parameter_path(n)) for n in ("bare_li", "azcnf_coated_li")]
    assert main(["params", "check", *files]) == 0
    assert capsys.readouterr().out.count("ok ") == 2


def test_params_check_bad_file_exits_2_with_error_list(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nkind: surface\ndescription: d\nparameters:\n"
        "  coating_thickness: {value: -28, unit: nm, source: {assumed: just a test value}}\n"
        "  electrolyte_diffusivity_x: {value: 1, unit: m**2/s, source: {assumed: whatever it is}}\n"
    )
    r = run("params", "check", str(bad))
    assert r.returncode == 2
    assert "2 error(s)" in r.stderr
    assert "coating_thickness.value" in r.stderr and "-28 nm" in r.stderr
    assert "electrolyte_diffusivity_x" in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_set_is_one_line_exit_2():
    r = run("params", "show", "no_such_set")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("error: parameter set: got 'no_such_set'")
    assert "Traceback" not in r.stderr


def test_bad_override_has_hint():
    r = run("params", "show", "azcnf_coated_li", "--set", "coating_thickness=28")
    assert r.returncode == 2
    assert "error: --set coating_thickness" in r.stderr
    assert "hint: e.g. --set coating_thickness=" in r.stderr


def test_debug_shows_traceback():
    r = run("--debug", "params", "show", "no_such_set")
    assert r.returncode != 0
    assert "Traceback" in r.stderr and "InputError" in r.stderr


def test_usage_error_exits_2():
    r = run("params", "nonsense-subcommand")
    assert r.returncode == 2


@pytest.mark.parametrize("argv", [["--help"], ["params", "--help"]])
def test_help(argv, capsys):
    assert main(argv) == 0
    assert "Usage" in capsys.readouterr().out


def test_unexpected_exception_is_one_line(monkeypatch, capsys):
    import hemcell.params

    def boom(*a, **k):
        raise ZeroDivisionError("deep inside a solver")

    monkeypatch.setattr(hemcell.params, "load_parameter_set", boom)
    assert main(["params", "show", "bare_li"]) == 1
    err = capsys.readouterr().err
    assert "error: unexpected ZeroDivisionError: deep inside a solver" in err
    assert "Traceback" not in err
