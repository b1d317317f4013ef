"""User trial S20: a fit with as many data points as fitted parameters and a stated σ.

The published Li||Cu nucleation overpotential (80.3 mV, seed 004 L76) written with its
current density in A/cm² (1 A/cm² for 1 mA/cm²): at 1000 mA/cm² the model has no
nucleation spike at any shape factor, and the fit printed "converged True" at a residual
of 80 σ (σ = 1 mV), fit_quality "acceptable", without a word: with n = p the reduced χ²
has no degree of freedom and was not judged. Now a χ² above the χ²_n 99.9 % quantile is
a fit-quality warning (POOR); the shipped spec, which the model meets, stays acceptable.
"""

from __future__ import annotations

import pytest
import yaml

from hemcell.resources import repo_root
from hemcell.workflows.fit import fit, load_spec, result_record

SPEC = repo_root() / "examples" / "fits" / "limetal_fit_nucleation_coated.yaml"


def _record(tmp_path, current_density_unit):
    (tmp_path / "nuc.csv").write_text(f"current_density [{current_density_unit}],"
                                      "areal_capacity [mAh/cm**2],overpotential [mV]\n"
                                      "1,1,80.3\n")
    raw = yaml.safe_load(SPEC.read_text())
    raw["data"][0]["file"] = "nuc.csv"
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(raw))
    return result_record(fit(load_spec(tmp_path / "spec.yaml"), profiles=False))


def test_a_point_the_model_cannot_reach_is_a_poor_fit(tmp_path):
    record = _record(tmp_path, "A/cm**2")
    quality = record["fit_quality"]
    assert record["rmse"] == pytest.approx(0.0803, rel=1e-3)  # V: no spike at all
    assert not quality["acceptable"]
    assert any("should pass through the data" in w and "80.3 times" in w
               for w in quality["warnings"])


def test_the_published_point_stays_acceptable(tmp_path):
    record = _record(tmp_path, "mA/cm**2")
    assert record["rmse"] < 1e-6 and record["fit_quality"]["acceptable"]
