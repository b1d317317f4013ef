"""User trial S20: ``--active-mass`` / ``active_mass`` values a user types.

``--active-mass Recipe`` was refused as "'Recipe' is not defined in the unit registry", and
``0`` or ``1.2 mg/cm2`` as "a number with a unit of dimension kg" / "a unit with the
dimension of kg": neither message said that a positive mass or ``recipe`` is wanted.
``recipe`` is now read in any case, and every refusal says what is allowed.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.workflows.fit import RECIPE_MASS, _active_mass


@pytest.mark.parametrize("text", ["Recipe", "RECIPE", " recipe "])
def test_recipe_in_any_case(text):
    assert _active_mass({"active_mass": text}, 0, "cell run") == RECIPE_MASS


@pytest.mark.parametrize("text", ["0", "1.2 mg/cm2", "Recipes", "-1 mg", "nan mg"])
def test_a_refusal_says_a_positive_mass_or_recipe(text):
    with pytest.raises(InputError) as exc:
        _active_mass({"active_mass": text}, 0, "cell run")
    assert exc.value.field.startswith("data[0].active_mass")
    assert "a positive mass with its unit, e.g. 1.2 mg, or 'recipe'" in exc.value.allowed


def test_the_decimal_comma_hint_is_kept():
    with pytest.raises(InputError) as exc:
        _active_mass({"active_mass": "1,2mg"}, 0, "cell run")
    assert exc.value.hint == "for a decimal comma write '1.2mg'"


def test_a_mass_is_read_in_kg():
    assert _active_mass({"active_mass": "1.2 mg"}, 0, "cell run") == pytest.approx(1.2e-6)
