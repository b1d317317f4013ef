"""Registry upper bounds of the Li-metal cells' lengths (``separator_thickness: 1 m``,
``li_foil_thickness: 1 m`` and ``lfp_electrode_thickness: 1 m`` were accepted). Each
bound is a lab coin cell's, with its reason in the registry description: LFP electrode
300 um (cast electrode; the sets' 80 um Prada2013), separator 1 mm (glass-fibre filter
675 um, polyolefin 25 um), Li foil 1 mm (chips of a few hundred um; Xu2019's 700 um)."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.params import load_parameter_set
from hemcell.params.registry import registry

#: name -> (upper bound [m], the bound as the description spells it, the sets' value [m],
#: the largest stored value that must stay inside [m])
BOUNDS = {
    "lfp_electrode_thickness": (3e-4, "300 um", 80e-6, 80e-6),
    "separator_thickness": (1e-3, "1 mm", 25e-6, 675e-6),
    "li_foil_thickness": (1e-3, "1 mm", 450e-6, 700e-6),
}


@pytest.mark.parametrize("name", BOUNDS)
def test_lengths_have_a_coin_cell_upper_bound_with_its_reason(name):
    bound, spelled, set_value, largest = BOUNDS[name]
    spec = registry()[name]
    assert spec.max == pytest.approx(bound) and spec.max_inclusive
    assert spec.contains(bound) and spec.contains(largest) and spec.contains(set_value)
    assert not spec.contains(bound * (1 + 1e-9)) and not spec.contains(1.0)
    assert f"Upper bound {spelled}" in spec.description
    for set_name in ("bare_li", "azcnf_coated_li"):
        assert load_parameter_set(set_name).si[name] == pytest.approx(set_value, rel=1e-12)


def test_a_one_metre_lfp_electrode_is_refused_by_the_set():
    """No command reads the set's lfp_electrode_thickness (the Li||LFP cells take the
    thickness from the loading), so the bound is the parameter file's."""
    with pytest.raises(InputError) as e:
        load_parameter_set("bare_li").with_overrides(["lfp_electrode_thickness=1m"])
    assert "lfp_electrode_thickness" in str(e.value) and "0.0003] m" in str(e.value)


@pytest.mark.parametrize("name", ["separator_thickness", "li_foil_thickness"])
def test_one_metre_is_refused_naming_the_parameter_and_the_range(capsys, tmp_path, name):
    code = main(["limetal", "symmetric", "--set", f"{name}=1m", "--out", str(tmp_path / "r"),
                 "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert name in err and f"{BOUNDS[name][0]:g}] m" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r" / "summary.json").exists()
