"""Second user trial: the result files the README promises are the ones written."""

from __future__ import annotations

import re

from hemcell.resources import repo_root


def test_readme_out_convention_names_the_comparison_file():
    """`hemcell surface compare` (and `surface phasefield --case both`) write
    comparison.json; the README's `--out DIR` convention promised summary.json or
    metrics.json only."""
    readme = (repo_root() / "README.md").read_text(encoding="utf-8")
    bullet = re.search(r"- `--out DIR` receives(.*?)\n- ", readme, re.S)
    assert bullet is not None
    for name in ("summary.json", "metrics.json", "comparison.json"):
        assert name in bullet.group(1), name
    cli = (repo_root() / "hemcell" / "workflows" / "surface.py").read_text(encoding="utf-8")
    assert '"comparison.json"' in cli
