"""User trial u17: the surface and phase-field models refuse molten lithium.

``hemcell cell``, ``hemcell limetal`` and ``hemcell pybamm cc-discharge`` refuse a Li
electrode at or above its melting point (453.5 K, ``materials/data/elements.yaml``) with
exit 2 naming ``ambient_temperature``; the surface model did not:
``hemcell surface run --case coated --geometry nucleus --set ambient_temperature=460K``
ended in "staggered transport-mechanics coupling (coated) did not converge" (exit 1) and
``hemcell surface phasefield --case bare --set ambient_temperature=1000K`` ran to a
dendrite index of a solid deposit on liquid Li (exit 0).
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.materials.elements import melting_point
from hemcell.workflows.phasefield import resolve_phasefield
from hemcell.workflows.surface import resolve_case

LI_MELTING_K = melting_point("Li")["value"]


@pytest.mark.parametrize("temperature", ["460K", "1000K", f"{LI_MELTING_K}K"])
def test_a_surface_case_at_or_above_li_melting_is_refused(temperature):
    with pytest.raises(InputError) as err:
        resolve_case("coated", "nucleus", [f"ambient_temperature={temperature}"])
    assert err.value.field == "ambient_temperature"
    assert f"below {LI_MELTING_K:g} K" in err.value.allowed and "melts" in err.value.allowed


def test_the_typed_temperature_of_a_coupled_run_is_refused_too():
    """``temperature_K`` is how the Li-metal cells' --focusing-from-surface pass theirs."""
    with pytest.raises(InputError, match="ambient_temperature"):
        resolve_case("bare", "flat", temperature_K=500.0)


def test_just_below_li_melting_is_still_resolved():
    rc = resolve_case("coated", "nucleus", ["ambient_temperature=450K"])
    assert rc.parameters.temperature_K == pytest.approx(450.0)


def test_the_phase_field_refuses_molten_li():
    with pytest.raises(InputError, match="ambient_temperature"):
        resolve_phasefield("bare", "Li", ["ambient_temperature=1000K"], duration_s=1.0)


def test_the_command_exits_2_with_one_line(tmp_path, capsys):
    code = main(["surface", "run", "--case", "coated", "--geometry", "nucleus", "--set",
                 "ambient_temperature=460K", "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "ambient_temperature: got '460 K'" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "metrics.json").exists()
