"""Amounts as people say them: volumes (ml, l, cl, a glass) and German household measures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.store._inputs import (
    food_amount,
    grams_per_ml,
    ml_per_glass,
    parse_volume,
    split_volume,
)

MILK, WINE, BREAD, OLIVE_OIL, PUMPKIN_SEEDS, BANANA = (
    "01211",
    "14096",
    "18075",
    "04053",
    "12014",
    "09040",
)


def _amount(index: FoodIndex, ndb: str, text: str) -> tuple[float | None, str | None, float]:
    return food_amount(index.get(ndb), (text,))


@pytest.mark.parametrize(
    ("text", "ml"),
    [("250ml", 250), ("250 ml", 250), ("0.5 l", 500), ("0,5l", 500), ("33cl", 330), ("2 dl", 200)],
)
def test_volumes_use_the_density_of_sr28_fluid_portions(
    food_index: FoodIndex, text: str, ml: float
) -> None:
    milk = food_index.get(MILK)
    grams, label, count = food_amount(milk, (text,))
    density = grams_per_ml(milk)
    assert density is not None and 1.0 < density < 1.1  # milk is a little heavier than water
    assert grams == pytest.approx(ml * density, rel=1e-3)
    assert (label, count) == (None, 1.0)


@pytest.mark.parametrize(("text", "glasses"), [("1 Glas", 1), ("Glas", 1), ("2 glasses", 2)])
def test_a_glass_is_a_fixed_volume(food_index: FoodIndex, text: str, glasses: int) -> None:
    grams, _, _ = _amount(food_index, WINE, text)
    assert grams == pytest.approx(
        glasses * ml_per_glass() * grams_per_ml(food_index.get(WINE)), 1e-3
    )  # type: ignore[operator]


def test_a_food_measured_only_by_count_is_taken_at_one_gram_per_ml(food_index: FoodIndex) -> None:
    food = next(
        f
        for f in food_index
        if f.portions
        and all(
            "cup" not in p.unit
            and "fl oz" not in p.unit
            and "tbsp" not in p.unit
            and "tsp" not in p.unit
            and "tablespoon" not in p.unit
            and "teaspoon" not in p.unit
            for p in f.portions
        )
    )
    assert food_amount(food, ("100 ml",))[0] == pytest.approx(100)


@pytest.mark.parametrize(
    ("ndb", "text", "label", "count"),
    [
        (BREAD, "1 Scheibe", "1 slice", 1.0),
        (BREAD, "2 Scheiben", "1 slice", 2.0),
        (OLIVE_OIL, "1 EL", "1 tablespoon", 1.0),
        (MILK, "1 Tasse", "1 cup", 1.0),
        (BANANA, "1 Stück", '1 medium (7" to 7-7/8" long)', 1.0),
    ],
)
def test_german_household_measures(
    food_index: FoodIndex, ndb: str, text: str, label: str, count: float
) -> None:
    assert _amount(food_index, ndb, text) == (None, label, count)


def test_a_german_spoon_without_its_sr28_portion_is_weighed_by_volume(
    food_index: FoodIndex,
) -> None:
    seeds = food_index.get(PUMPKIN_SEEDS)
    one, _, _ = food_amount(seeds, ("1 EL",))
    two, _, _ = food_amount(seeds, ("2 EL",))
    cup = next(p for p in seeds.portions if p.unit == "cup")
    assert one == pytest.approx(cup.grams / 16, rel=1e-3)  # a cup holds 16 tablespoons
    assert two == pytest.approx(2 * one, rel=1e-3)


def test_weights_and_sr28_measures_still_work(food_index: FoodIndex) -> None:
    assert _amount(food_index, PUMPKIN_SEEDS, "30g") == (30.0, None, 1.0)
    assert _amount(food_index, PUMPKIN_SEEDS, "1 cup") == (None, "1 cup", 1.0)


@pytest.mark.parametrize("text", ["1 Eimer", "ml", "-5 ml", "0 ml", "999999 l"])
def test_bad_amounts_name_the_field_and_what_is_accepted(food_index: FoodIndex, text: str) -> None:
    with pytest.raises(InputError) as error:
        _amount(food_index, MILK, text)
    assert error.value.field in ("amount", "count")


@given(st.floats(min_value=1, max_value=2000))
def test_volume_grams_grow_with_the_volume(ml: float) -> None:
    from magwise.foods import load_foods

    milk = load_foods().get(MILK)
    small = food_amount(milk, (f"{ml:.3f} ml",))[0]
    large = food_amount(milk, (f"{ml * 2:.3f} ml",))[0]
    assert small is not None and large is not None and large > small


def test_the_questionnaire_takes_a_drink_in_ml(food_index: FoodIndex) -> None:
    from magwise.web.questionnaire import _foods

    foods = _foods({"food": [MILK], "food_amount": ["250"], "food_unit": ["ml"]})
    density = grams_per_ml(food_index.get(MILK))
    assert density is not None
    assert foods == [{"food": MILK, "grams": round(250 * density, 3)}]


def test_german_measure_labels() -> None:
    from magwise.foods._measures_de import german_measure_label

    assert german_measure_label("1 cup, chopped") == "1 Tasse, gehackt"
    assert german_measure_label("1 tbsp") == "1 EL"
    assert german_measure_label("2 slices") == "2 Scheiben"
    assert german_measure_label("1 oz") == "1 oz"


def test_a_glass_is_declared_in_data_not_code() -> None:
    import tomllib
    from importlib.resources import files

    declared = tomllib.loads((files("magwise.foods") / "measures.toml").read_text("utf-8"))
    assert ml_per_glass() == declared["glass"]["ml"] == 200


@pytest.mark.parametrize(
    ("text", "liters"),
    [
        ("1 Glas", 0.2),
        ("Glas", 0.2),
        ("2 glasses", 0.4),
        ("3 Gläser", 0.6),
        ("0,5 l", 0.5),
        ("33 cl", 0.33),
        ("33cl", 0.33),
        ("500 ml", 0.5),
        ("1.5", 1.5),
    ],
)
def test_water_volumes_as_people_say_them(text: str, liters: float) -> None:
    assert parse_volume(text) == pytest.approx(liters)


@pytest.mark.parametrize("text", ["1 Tasse", "viel", "2 Gläser voll", "-1 l", "0 Glas"])
def test_what_is_no_volume_is_refused_naming_glasses(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_volume(text)
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("typed", "name", "liters"),
    [
        ("1 Glas Mineralwasser", "Mineralwasser", 0.2),
        ("Mineralwasser 0,5 l", "Mineralwasser", 0.5),
        ("33 cl tap water", "tap water", 0.33),
        ("Leitungswasser 2 Gläser", "Leitungswasser", 0.4),
        ("Mineralwasser", "Mineralwasser", None),
        ("Wasser 2", "Wasser 2", None),  # a number without a unit is no amount
    ],
)
def test_an_amount_typed_with_a_drink_is_split_off(
    typed: str, name: str, liters: float | None
) -> None:
    found = split_volume(typed)
    assert found[0] == name
    assert found[1] == (None if liters is None else pytest.approx(liters))
