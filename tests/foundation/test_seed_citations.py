"""Every ``seed``-cited number stands on the cited line of the cited seed document."""

from __future__ import annotations

import pytest

from hemcell.params import list_parameter_sets, load_parameter_set
from hemcell.params.seeds import check_seed_citation, check_seed_citations
from tests.conftest import seeds_folder


@pytest.mark.parametrize("name", list_parameter_sets())
def test_seed_citations_match_their_lines(name):
    folder = seeds_folder()
    pset = load_parameter_set(name)
    problems = check_seed_citations(pset, folder)
    assert not problems, "\n".join(map(str, problems))


def test_shipped_sets_cite_the_seeds():
    n_seed = sum(1 for n in list_parameter_sets() for p in load_parameter_set(n).parameters.values()
                 if p.source_kind == "seed")
    assert n_seed >= 20


def test_a_wrong_line_is_caught():
    from dataclasses import replace

    folder = seeds_folder()
    pset = load_parameter_set("azcnf_coated_li")
    p = pset["coating_thickness"]
    assert check_seed_citation(p, folder) is None
    moved = replace(p, source={**p.source, "line": p.source["line"] + 1})
    problem = check_seed_citation(moved, folder)
    assert problem is not None and "not found on 004_f1ec79e91fb2534a.txt" in str(problem)
    no_text = replace(p, value=29.0, source={"seed": p.source["seed"], "line": p.source["line"]})
    assert check_seed_citation(no_text, folder) is not None
