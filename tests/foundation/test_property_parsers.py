"""Property-based tests of hemcell's text parsers: no input hangs them, crashes them
(anything but :class:`~hemcell.errors.InputError`) or makes them print more than a
bounded message.

Parsers: YAML files (:func:`hemcell.params.yaml_io.safe_load_text`), parameter sets
(:func:`hemcell.params.parameter_set.parse_parameter_set`), chemical formulas
(:func:`hemcell.materials.formula.parse_formula`), protocols
(:func:`hemcell.cell.protocols.split_steps`, :func:`~hemcell.cell.protocols.build_experiment`,
:func:`~hemcell.cell.protocols.period_seconds`) and sweep specs
(:func:`hemcell.sweep.parse_spec`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemcell.errors import MAX_ECHO_CHARS, MAX_LISTED_ERRORS, InputError

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# one error line: field + echoed value (each <= MAX_ECHO_CHARS + a length note) + allowed
LINE = 5 * MAX_ECHO_CHARS
BOUND = (MAX_LISTED_ERRORS + 2) * (LINE + 10)

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(max_size=300))
json_like = st.recursive(scalars, lambda kids: st.lists(kids, max_size=6)
                         | st.dictionaries(st.text(max_size=30), kids, max_size=6),
                         max_leaves=40)
yaml_words = st.sampled_from([
    "name:", "kind:", "parameters:", "value:", "unit:", "source:", "- ", "&a ", "*a", "!!",
    "{", "}", "[", "]", ":", "\n", "  ", "'", '"', "#", "?", "|", ">", "---", "...", "1e3",
    "nan", ".inf", "2024-01-01", "<<:", "%YAML 1.1", "\t", ",", "coating_thickness", "28 nm"])
yaml_texts = st.lists(yaml_words, max_size=40).map("".join) | st.text(max_size=200)


def _bounded(exc: InputError) -> None:
    assert isinstance(exc, InputError), type(exc)
    text = "\n".join(x for x in (exc.message, exc.hint) if x)
    assert len(text) < BOUND, len(text)


@FAST
@given(yaml_texts)
def test_yaml_reader_returns_or_refuses(text):
    from hemcell.params.yaml_io import safe_load_text

    try:
        safe_load_text(text, "x.yaml")
    except InputError as exc:
        _bounded(exc)


@FAST
@given(json_like)
def test_parameter_set_parser_returns_or_refuses(raw):
    from hemcell.params.parameter_set import parse_parameter_set

    try:
        parse_parameter_set(raw, Path("x.yaml"))
    except InputError as exc:
        _bounded(exc)


entries = st.fixed_dictionaries({"value": scalars | st.lists(scalars, max_size=4),
                                 "unit": scalars, "source": json_like})


@FAST
@given(st.dictionaries(st.sampled_from(["coating_thickness", "li_exchange_current_density",
                                        "ambient_temperature", "sei_seed", "nonsense"]),
                       entries | json_like, max_size=4))
def test_parameter_entries_are_checked_not_crashed_on(parameters):
    from hemcell.params.parameter_set import parse_parameter_set

    raw = {"name": "x", "kind": "li_metal", "description": "d", "parameters": parameters}
    try:
        parse_parameter_set(raw, Path("x.yaml"))
    except InputError as exc:
        _bounded(exc)


formula_chars = st.text(alphabet="()[]{}.0123456789 -+,/*OCHFeLiNaMgZnCuNiCoMnxyzQ", max_size=60)


@FAST
@given(formula_chars | st.text(max_size=80))
def test_formula_parser_returns_or_refuses(text):
    from hemcell.materials.formula import parse_formula

    try:
        parse_formula(text)
    except InputError as exc:
        _bounded(exc)


protocol_words = st.sampled_from([
    "Discharge", "Charge", "Rest", "Hold", "at", "for", "until", "or", "0", "-1", "0.1",
    "1e-3", "1e400", "nan", "A/g", "mA/g", "C", "C/0", "1C", "A", "V", "mV", "W", "hours",
    "minutes", "seconds", ";", "\n", " ", "3", "0.01"])
protocols = st.lists(protocol_words, max_size=24).map(" ".join) | st.text(max_size=120)


@FAST
@given(protocols)
def test_protocol_parser_returns_or_refuses(text):
    from hemcell.cell.protocols import build_experiment, split_steps

    try:
        split_steps(text)
        build_experiment(text, mass_g=1e-3, nominal_capacity_Ah=1e-3,
                         duration_capacity_Ah=1e-3)
    except InputError as exc:
        _bounded(exc)


@FAST
@given(st.lists(st.sampled_from(["0", "-1", "1", "30", "0.5", "nan", "inf", "1e400",
                                 "seconds", "minutes", "hours", "banana", " "]),
                max_size=4).map(" ".join) | st.text(max_size=40))
def test_output_period_parser_returns_or_refuses(text):
    from hemcell.cell.protocols import period_seconds

    try:
        assert period_seconds(text) > 0
    except InputError as exc:
        _bounded(exc)


spec_values = st.sampled_from(["10 nm", "40 nm", 1, 2.5, -1, 0, "x", None, True, "1e400 nm",
                               "nan nm"])
axes = st.fixed_dictionaries({}, optional={
    "values": st.lists(spec_values, max_size=3) | spec_values,
    "linspace": st.lists(spec_values, max_size=4),
    "logspace": st.lists(spec_values, max_size=4),
    "unit": st.sampled_from(["nm", "mA/cm**2", "banana", ""]) | scalars,
    "option": st.sampled_from(["--c-rate", "--out", "--nope", ""]) | scalars,
    "template": st.sampled_from(["{value}", "at {value} A/g", "none"]) | scalars})
specs = st.fixed_dictionaries(
    {"command": st.sampled_from(["params export", "params", "nope", ""]) | scalars},
    optional={
        "arguments": st.lists(st.sampled_from(["azcnf_coated_li", "bare_li", "x"]), max_size=2)
        | scalars,
        "parameters": st.dictionaries(
            st.sampled_from(["coating_thickness", "li_exchange_current_density", "c_rate",
                             "nonsense"]), axes | json_like, max_size=3) | json_like,
        "combine": st.sampled_from(["grid", "zip", "outer"]) | scalars,
        "outputs": st.lists(st.text(max_size=20), max_size=3) | scalars,
        "results_file": st.sampled_from(["parameters_si.json", "../x.json"]) | scalars,
        "timeout_s": scalars, "mpi_ranks": scalars, "seed": json_like, "set": json_like,
        "options": json_like, "extra": json_like})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs | json_like)
def test_sweep_spec_parser_returns_or_refuses(raw):
    from hemcell.sweep import parse_spec

    try:
        spec = parse_spec(raw)
    except InputError as exc:
        _bounded(exc)
    else:
        assert len(spec.points) >= 1


@pytest.mark.parametrize("text", ["{", "(", "[x", "m**"])
def test_unit_text_that_does_not_tokenize_is_refused(text):
    """Found by the property test above: pint's tokenizer raised on an unclosed bracket."""
    from hemcell.units import parse_unit

    with pytest.raises(InputError):
        parse_unit(text, "unit")
