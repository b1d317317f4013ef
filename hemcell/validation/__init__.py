"""Validation harness: cases in ``validation/<case>/case.yaml``, report in ``report.md``."""

from hemcell.validation.cases import ValidationCase, discover_cases, load_case
from hemcell.validation.runner import ValidationReport, run_validation

__all__ = ["ValidationCase", "ValidationReport", "discover_cases", "load_case", "run_validation"]
