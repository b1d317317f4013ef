"""Parameter loader: a good file, and every kind of bad file the schema must refuse."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from hemcell.errors import InputError, ParameterError, ParameterFileError
from hemcell.params import parse_parameter_set, registry
from hemcell.params.yaml_io import safe_load_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

GOOD = """\
name: {name}
kind: surface
description: A test set.
references:
  xu2019:
    authors: S. Xu, K.-H. Chen, N. P. Dasgupta, J. B. Siegel, A. G. Stefanopoulou
    title: Evolution of dead lithium growth in lithium metal batteries
    journal: J. Electrochem. Soc.
    year: 2019
    doi: 10.1149/2.0991914jes
parameters:
  coating_thickness:
    value: 28
    unit: nm
    source: {{seed: 004_f1ec79e91fb2534a.txt, line: 78, text: "28"}}
    uncertainty: 5 nm
    range: [14, 70]
  electrolyte_diffusivity:
    value: 3e-10
    unit: m**2/s
    source: {{ref: xu2019}}
  youngs_modulus:
    value: 4.9
    unit: GPa
    source: {{assumed: commonly quoted bulk value for polycrystalline Li}}
  separator_porosity:
    value: 0.39
    unit: dimensionless
    source: {{ref: xu2019, note: Celgard 2325}}
  capacity:
    value: [152.8, 115.5]
    unit: mA*h/g
    source: {{derived: Faraday capacity from the formula mass}}
"""


@pytest.fixture
def specs():
    return registry(FIXTURES / "registry")


def _load(tmp_path: Path, text: str, specs, name: str = "testset"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text))
    return parse_parameter_set(safe_load_file(path), path, specs)


def _errors(tmp_path: Path, text: str, specs, name: str = "testset") -> list[ParameterError]:
    with pytest.raises(ParameterFileError) as info:
        _load(tmp_path, text, specs, name)
    assert str(tmp_path / f"{name}.yaml") in info.value.message
    return info.value.errors


def test_good_file_converts_to_si(tmp_path, specs):
    p = _load(tmp_path, GOOD.format(name="testset"), specs)
    assert p.si["coating_thickness"] == pytest.approx(28e-9, rel=1e-12)
    # "3e-10" has no dot, so PyYAML reads it as text; the loader still takes it as a number
    assert p.si["electrolyte_diffusivity"] == pytest.approx(3e-10)
    assert p.si["youngs_modulus"] == pytest.approx(4.9e9)
    assert p.si["capacity"] == pytest.approx([152.8 * 3600, 115.5 * 3600])
    assert p["coating_thickness"].source_kind == "seed"
    assert [q.name for q in p.assumed()] == ["youngs_modulus"]
    assert p["coating_thickness"].quantity.to("m").magnitude == pytest.approx(2.8e-8)


def test_pybamm_names_and_units(tmp_path, specs):
    p = _load(tmp_path, GOOD.format(name="testset"), specs)
    out = p.to_pybamm()
    assert out["Electrolyte diffusivity [m2.s-1]"] == pytest.approx(3e-10)
    assert out["Separator porosity"] == pytest.approx(0.39)
    # pybamm_unit: C/kg -> A.h/kg
    assert out["Capacity per mass [A.h.kg-1]"] == pytest.approx([152.8, 115.5])
    assert "youngs_modulus" not in out


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("kind: surface", "kind: surface\nwhatever: 1", ["whatever", "top-level keys"]),
        ("    unit: nm\n", "    unit: nm\n    colour: red\n", ["coating_thickness.colour", "keys"]),
        ("  youngs_modulus:", "  youngs_modulos:",
         ["youngs_modulos", "did you mean youngs_modulus"]),
        ("    unit: m**2/s\n", "", ["electrolyte_diffusivity", "missing 'unit'"]),
        ("    unit: m**2/s", "    unit: GPa", ["electrolyte_diffusivity.unit", "'GPa'",
                                             "[length] ** 2 / [time]"]),
        ("value: 4.9", "value: -4.9", ["youngs_modulus.value", "-4.9 GPa", "(0, inf) Pa"]),
        ("value: 0.39", "value: 1.5", ["separator_porosity.value", "1.5", "(0, 1)"]),
        ("value: 0.39", "value: .nan", ["separator_porosity.value", "nan", "finite"]),
        ("value: 4.9", "value: .inf", ["youngs_modulus.value", "inf", "finite"]),
        ("value: 4.9", "value: four", ["youngs_modulus.value", "'four'", "a number"]),
        ("    source: {assumed: commonly quoted bulk value for polycrystalline Li}\n", "",
         ["youngs_modulus", "missing 'source'"]),
        ("{ref: xu2019}", "{ref: xu2019, assumed: because}", ["exactly one source kind"]),
        ("{ref: xu2019}", "{ref: smith1999}", ["source.ref", "'smith1999'", "['xu2019']"]),
        ("line: 78", "line: -3", ["source.line", "-3", ">= 1"]),
        ("seed: 004_f1ec79e91fb2534a.txt", "seed: paper.pdf", ["source.seed", "'paper.pdf'"]),
        ("{assumed: commonly quoted bulk value for polycrystalline Li}", "{assumed: x}",
         ["source.assumed", "at least 8 characters"]),
        ("    year: 2019\n", "", ["references.xu2019.year", "four-digit year"]),
        ("range: [14, 70]", "range: [70, 14]", ["coating_thickness.range", "[min, max]"]),
        ("uncertainty: 5 nm", "uncertainty: 5 K", ["uncertainty", "dimension of m"]),
        ("kind: surface", "kind: banana", ["kind", "'banana'", "one of"]),
    ],
)
def test_schema_errors_name_key_value_and_allowed(tmp_path, specs, old, new, expect):
    text = GOOD.format(name="testset")
    assert old in text, old
    errors = _errors(tmp_path, text.replace(old, new, 1), specs)
    joined = "\n".join(e.message for e in errors)
    for fragment in expect:
        assert fragment in joined, f"{fragment!r} not in:\n{joined}"
    assert all(str(tmp_path) in e.message for e in errors)


def test_all_errors_are_reported_together(tmp_path, specs):
    text = GOOD.format(name="testset").replace("value: 4.9", "value: -1").replace(
        "value: 0.39", "value: 2").replace("unit: m**2/s", "unit: GPa")
    assert len(_errors(tmp_path, text, specs)) == 3


def test_name_must_match_file_stem(tmp_path, specs):
    errors = _errors(tmp_path, GOOD.format(name="other"), specs)
    assert "file stem 'testset'" in errors[0].message


def test_python_object_tags_are_refused(tmp_path, specs):
    text = GOOD.format(name="testset") + "evil: !!python/object/apply:os.system ['echo pwned']\n"
    path = tmp_path / "testset.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError) as info:
        safe_load_file(path)
    assert "refused" in info.value.message
    assert "python/object/apply:os.system" in info.value.message


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\nb: 2\na: 3\n")
    with pytest.raises(ParameterError, match=r"line 3.*duplicate key 'a'"):
        safe_load_file(path)


def test_missing_file_and_unknown_set():
    from hemcell.params import load_parameter_set

    with pytest.raises(InputError, match="an existing YAML file"):
        load_parameter_set("/nonexistent/set.yaml")
    with pytest.raises(InputError, match=r"parameter set: got 'no_such_set'.*bare_li"):
        load_parameter_set("no_such_set")


def test_registry_refuses_bad_declarations(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "a.yaml").write_text("x:\n  unit: furlongs_per_blob\n  description: d\n"
                                   "y:\n  unit: m\n")
    with pytest.raises(ParameterFileError) as info:
        registry(folder)
    joined = info.value.message
    assert "x.unit" in joined and "furlongs_per_blob" in joined
    assert "y.description" in joined


def test_registry_refuses_duplicate_names(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    for f in ("a.yaml", "b.yaml"):
        (folder / f).write_text("x:\n  unit: m\n  description: a length\n")
    with pytest.raises(ParameterFileError, match=r"not already declared in a\.yaml"):
        registry(folder)


def test_spec_bounds_inclusive_and_exclusive(specs):
    por = specs["separator_porosity"]
    assert por.contains(0.5) and not por.contains(0.0) and not por.contains(1.0)
    assert not por.contains(math.nan)
    assert por.allowed_range() == "(0, 1) dimensionless"


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(body))
    return path


BASE = """\
name: base
kind: electrolyte
description: parent set
pybamm_base: Xu2019
references:
  r1: {authors: A. Author, year: 2020, journal: J. Test, doi: 10.0/x}
parameters:
  coating_thickness: {value: 28, unit: nm, source: {ref: r1}}
  separator_porosity: {value: 0.4, unit: dimensionless, source: {ref: r1}}
"""


def test_extends_inherits_and_overrides(tmp_path):
    from hemcell.params import load_parameter_set

    _write(tmp_path, "base", BASE)
    child = _write(tmp_path, "child", """\
        name: child
        kind: surface
        description: child set
        extends: base
        parameters:
          coating_thickness: {value: 14, unit: nm, source: {ref: r1, note: parent's reference}}
          ambient_temperature: {value: 25, unit: degC, source: {assumed: room temperature lab test}}
        """)
    p = load_parameter_set(child)
    assert p.si["coating_thickness"] == pytest.approx(14e-9)  # overridden
    assert p.si["separator_porosity"] == pytest.approx(0.4)  # inherited
    assert p.si["ambient_temperature"] == pytest.approx(298.15)
    assert p.pybamm_base == "Xu2019" and p.extends == "base"
    assert p["separator_porosity"].describe_source(p.references).startswith("ref A. Author")


def test_extends_cycle_and_unknown_parent(tmp_path):
    from hemcell.params import load_parameter_set

    body = "name: {n}\nkind: surface\ndescription: d\nextends: {p}\nparameters: {{}}\n"
    a = _write(tmp_path, "a", body.format(n="a", p="b"))
    _write(tmp_path, "b", body.format(n="b", p="a"))
    with pytest.raises(ParameterError, match="a -> b -> a"):
        load_parameter_set(a)
    c = _write(tmp_path, "c", body.format(n="c", p="nonexistent_parent"))
    with pytest.raises(ParameterError, match="extends: got 'nonexistent_parent'"):
        load_parameter_set(c)
