"""Parameter loading: full schema validation (units, bounds, sources) vs a bare YAML parse.

The validated load runs once per simulation (and once per sweep point on the process
path), so its cost over ``yaml.safe_load`` of the same file should stay small.
"""

from __future__ import annotations

import yaml

from hemcell.cli.bench import Benchmark
from hemcell.params import list_parameter_sets, load_parameter_set
from hemcell.params.parameter_set import resolve_parameter_path


def benchmarks() -> list[Benchmark]:
    """Validated load of every shipped set vs a bare YAML parse of the same files."""
    names = list_parameter_sets()
    paths = [resolve_parameter_path(n) for n in names]

    def validated() -> None:
        for n in names:
            load_parameter_set(n)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the parser hemcell uses

    def bare() -> None:
        for p in paths:
            yaml.load(p.read_text(), Loader=loader)  # a safe loader

    return [Benchmark(
        name="params_load",
        description=f"load + validate {len(names)} shipped parameter sets",
        run=validated, baseline=bare,
        baseline_name="YAML parse (same libyaml safe loader) of the same files",
        target_ratio=5.0,
    )]
