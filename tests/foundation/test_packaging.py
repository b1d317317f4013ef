"""Packaging: the wheel ships models/, parameters/ and validation/, and works outside the repo;
the bootstrap script refuses a Python older than 3.12 with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(REPO)], check=True, capture_output=True, timeout=300)
    (whl,) = out.glob("hemcell-*.whl")
    return whl


def test_wheel_contains_data(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "hemcell/_data/parameters/bare_li.yaml" in names
    assert "hemcell/_data/parameters/registry/li_metal.yaml" in names
    assert any(n.startswith("hemcell/_data/models/") for n in names) or not any(
        (REPO / "models").glob("*.yaml"))
    assert "hemcell/cli/main.py" in names


def test_wheel_installs_and_loads_parameters_outside_repo(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    # dependencies come from the test venv's site-packages, appended *after* the fresh
    # venv's own (a plain path line in a .pth file; the editable hemcell there is not used)
    site_new = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                               "['purelib'])"], capture_output=True, text=True, check=True
                              ).stdout.strip()
    Path(site_new, "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = ("import hemcell, hemcell.resources as r; from hemcell.params import "
            "load_parameter_set as L; p = L('azcnf_coated_li'); "
            "assert r.repo_root() is None, r.repo_root(); "
            "assert 'site-packages' in str(p.path), p.path; "
            "print(p.si['coating_thickness'], hemcell.__file__)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    r = subprocess.run([str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    value, location = r.stdout.split()
    assert float(value) == pytest.approx(28e-9)
    assert str(venv) in location
    cli = subprocess.run([str(venv / "bin" / "hemcell"), "params", "list"], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=120)
    assert cli.returncode == 0 and "bare_li" in cli.stdout


def test_bootstrap_refuses_old_python(tmp_path):
    """With no Python >= 3.12 on PATH (and no pyenv), bootstrap fails with a clear message."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    old = fake_bin / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")  # a 'python3' that is not >= 3.12
    old.chmod(0o755)
    env = {"PATH": f"{fake_bin}:/usr/bin:/bin", "HOME": str(tmp_path), "VENV": str(tmp_path / "v")}
    r = subprocess.run(["bash", str(REPO / "scripts" / "bootstrap.sh")], capture_output=True,
                       text=True, env=env, timeout=60)
    if r.returncode == 0:
        pytest.fail("bootstrap accepted a machine without Python >= 3.12")
    assert "hemcell needs Python >= 3.12" in r.stderr
    assert not (tmp_path / "v").exists()
