"""User trial U8: what `hemcell surface phasefield` reads.

- `--case both --set sei_heterogeneity_amplitude=0.3` was refused by the coated pass
  (and `--set coating_thickness=...` by the bare one), though one of the two cases reads
  it (`surface compare` accepts both);
- `--set li_surface_energy=...` on the bare case changed nothing: the model is written
  with the curvature mobility M_K, so γ cancels (L_σ = M_K/κ, κ and W ∝ γ); only the
  coated case's tension factor 1 + T/γ reads it;
- `--set phasefield_anisotropy_mode=6` (or the angle) with the set's anisotropy strength
  0 changed nothing.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError


@pytest.mark.parametrize("key", ["sei_heterogeneity_amplitude=0.3", "coating_thickness=40 nm"])
def test_both_accepts_a_name_one_of_its_cases_reads(key):
    from hemcell.workflows.phasefield import check_phasefield_set_keys, resolve_phasefield

    check_phasefield_set_keys({"case": "both", "set_": [key]})
    for case in ("bare", "coated"):
        resolve_phasefield(case, overrides=[key], checked_as="both")
    with pytest.raises(InputError):
        check_phasefield_set_keys({"case": "both", "set_": ["perturbation_amplitude=1 um"]})


def test_the_cli_runs_both_with_a_bare_only_name(tmp_path):
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from tests.surface.conftest import require_fenicsx

    require_fenicsx()
    res = CliRunner().invoke(app, ["phasefield", "--case", "both", "--duration-s", "0.05",
                                   "--no-plots", "--set", "sei_heterogeneity_amplitude=0.3",
                                   "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "comparison.json").is_file()


def test_the_surface_energy_is_read_by_the_coated_case_only():
    from hemcell.workflows.phasefield import check_phasefield_overrides

    with pytest.raises(InputError) as err:
        check_phasefield_overrides("bare", ["li_surface_energy=0.4 J/m**2"])
    assert err.value.value == "li_surface_energy"
    check_phasefield_overrides("coated", ["li_surface_energy=0.4 J/m**2"])


@pytest.mark.parametrize("key", ["phasefield_anisotropy_mode=6",
                                 "phasefield_anisotropy_angle=30 deg"])
def test_anisotropy_mode_or_angle_need_a_nonzero_strength(key):
    from hemcell.workflows.phasefield import resolve_phasefield

    with pytest.raises(InputError) as err:
        resolve_phasefield("bare", overrides=[key])
    assert err.value.field == f"--set {key.split('=')[0]}"
    assert "phasefield_anisotropy_strength" in err.value.allowed
    p, _ = resolve_phasefield("bare", overrides=[key, "phasefield_anisotropy_strength=0.05"])
    assert p.anisotropy_strength == 0.05
