"""A half cell's metal counter electrode must be solid; the Na/K electrolyte tables do not
follow temperature (hemcell.cell.electrolytes.half_cell_temperature_warnings)."""

from __future__ import annotations

import pytest

from hemcell.cell.electrolytes import carrier_ion_data, half_cell_temperature_warnings
from hemcell.errors import InputError
from hemcell.materials.elements import melting_point

PROTOCOL = "Discharge at 1 A/g until 0.01 V"


@pytest.mark.parametrize(("ion", "melting_K"), [("Li", 453.5), ("Na", 370.9), ("K", 336.65)])
def test_a_molten_counter_electrode_is_refused(ion, melting_K):
    """At or above the metal's melting point (sourced in materials/data/elements.yaml) the
    half cell is refused naming ambient_temperature; just below it is accepted."""
    entry = melting_point(carrier_ion_data()["ions"][ion]["counter_electrode"]["metal"])
    assert entry["value"] == melting_K and entry["unit"] == "K" and entry["source"]
    with pytest.raises(InputError, match="ambient_temperature") as err:
        half_cell_temperature_warnings(ion, melting_K)
    assert f"{melting_K:g} K" in str(err.value)
    half_cell_temperature_warnings(ion, melting_K - 0.5)


def test_na_and_k_electrolyte_tables_warn_away_from_their_temperature():
    """Chayambuka2022's NaPF6 tables (also K's stand-in) do not depend on temperature: a
    warning at 330 K, none at 298.15 K; the LiPF6 electrolyte has its own policy here."""
    assert half_cell_temperature_warnings("Na", 298.15) == []
    for ion in ("Na", "K"):
        (msg,) = half_cell_temperature_warnings(ion, 320.0)
        assert "no temperature dependence" in msg and "320 K" in msg
    assert half_cell_temperature_warnings("Li", 330.0) == []


def test_cell_run_refuses_a_na_half_cell_above_sodiums_melting_point(tmp_path):
    """Through the workflow: FeS against Na at 380 K (it ran before) exits 2."""
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError, match="ambient_temperature"):
        prepare_cell("hem_half_cell_sp", "fes_space_charge", PROTOCOL, ion="Na",
                     overrides=["ambient_temperature=380 K"])


def test_cathode_half_cell_refuses_a_molten_sodium_counter_electrode():
    """The NVPF half cell at 380 K: refused before any solve."""
    from hemcell.workflows.cathode_half_cell import run_cell

    with pytest.raises(InputError, match="ambient_temperature"):
        run_cell("cathode_half_cell_sp", "cathode_he_nvpf", "Discharge at 1C until 2 V",
                 overrides=["ambient_temperature=380 K"])
