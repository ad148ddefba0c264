"""Ranking rules of the food search that hold for any food, in either language."""

from __future__ import annotations

import pytest

from magwise.foods import FoodIndex


def _first(index: FoodIndex, query: str, lang: str = "en") -> str:
    return index.search(query, 1, lang)[0].food.description  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "starts"),
    [
        ("70% dark chocolate", "Chocolate, dark, 70-85%"),
        ("dark chocolate 85%", "Chocolate, dark, 70-85%"),
        ("dark chocolate 60 %", "Chocolate, dark, 60-69%"),
        ("ground beef 90% lean", "Beef, ground, 90% lean"),
        ("milk 2%", "Milk, reduced fat, fluid, 2% milkfat"),
        ("Zartbitterschokolade 70%", "Chocolate, dark, 70-85%"),
        ("dark chocolate 55%", "Chocolate, dark, 45- 59%"),  # within SR28's range
        ("Zartbitterschokolade 65 %", "Chocolate, dark, 60-69%"),
    ],
)
def test_a_number_in_the_query_counts(food_index: FoodIndex, query: str, starts: str) -> None:
    assert _first(food_index, query).startswith(starts)


@pytest.mark.parametrize(
    ("query", "starts"),
    [
        ("wine", "Alcoholic beverage, wine"),
        ("red wine", "Alcoholic beverage, wine, table, red"),
        ("wine vinegar", "Vinegar"),
        ("Rotwein", "Alcoholic beverage, wine, table, red"),
        ("Rotweinessig", "Vinegar, red wine"),
        ("almonds", "Nuts, almonds"),
    ],
)
def test_the_food_named_beats_a_product_made_from_it(
    food_index: FoodIndex, query: str, starts: str
) -> None:
    assert _first(food_index, query).startswith(starts)


def test_a_variant_unlike_the_food_is_found_only_when_asked(food_index: FoodIndex) -> None:
    assert "non-alcoholic" not in _first(food_index, "wine")
    assert "non-alcoholic" in _first(food_index, "non-alcoholic wine")


def test_plain_and_raw_first_when_no_preparation_is_asked(food_index: FoodIndex) -> None:
    assert _first(food_index, "spinach") == "Spinach, raw"
    assert _first(food_index, "Spinat") == "Spinach, raw"
    assert _first(food_index, "Brokkoli gedämpft").startswith("Broccoli, cooked")


def test_a_food_without_magnesium_ranks_below_an_equivalent_with_it() -> None:
    from magwise.foods._lexicon import load_lexicon
    from magwise.foods._search import Ranker
    from magwise.foods._store import _decode, _encode

    records = [
        ("00001", "Seeds, pumpkin, roasted", 0, None, 500.0, (), 100),
        ("00002", "Seeds, pumpkin, roasted", 0, 550.0, 500.0, (), 100),
        ("00003", "Seeds, pumpkin, roasted", 0, None, 500.0, (), 100),
    ]
    table = _decode(_encode(("Nut and Seed Products",), records))
    assert table is not None
    ranked = Ranker(table, load_lexicon()).search("pumpkin seeds", 3)
    assert ranked[0][0] == 1  # the one with a value
    assert ranked[0][1] > ranked[1][1] == ranked[2][1]


@pytest.mark.parametrize(
    ("query", "plain", "variant"),
    [
        ("cream cheese", "Cheese, cream", "Cheese, cream, low fat"),
        ("cheddar cheese", "Cheese, cheddar", "Cheese, cheddar, reduced fat"),
        ("Frischkäse", "Cheese, cream", "Cheese, cream, fat free"),
        (
            "english muffins",
            "English muffins, plain, enriched, with ca prop (includes sourdough)",
            "English muffins, whole grain white",
        ),
    ],
)
def test_the_plain_food_beats_a_variant_not_asked_for(
    food_index: FoodIndex, query: str, plain: str, variant: str
) -> None:
    ranked = [hit.food.description for hit in food_index.search(query, 10)]
    assert ranked[0] == plain
    assert any(description.startswith(variant) for description in ranked[1:])


@pytest.mark.parametrize(
    ("query", "starts"),
    [
        ("lowfat cottage cheese", "Cheese, cottage, lowfat"),
        ("whole grain english muffin", "English muffins, whole grain"),
        ("reduced fat milk", "Milk, reduced fat"),
        ("fat free milk", "Milk, nonfat"),
    ],
)
def test_a_variant_asked_for_is_found(food_index: FoodIndex, query: str, starts: str) -> None:
    assert _first(food_index, query).startswith(starts)


@pytest.mark.parametrize(
    ("query", "starts"),
    [("Lachs Dose", "Fish, salmon, pink, canned"), ("Thunfisch Dose", "Fish, tuna")],
)
def test_a_german_compound_is_a_kind_of_its_last_part(
    food_index: FoodIndex, query: str, starts: str
) -> None:
    # "Buckellachs, Dose" is a salmon in a can: "Lachs" finds it by the compound's last part
    found = [hit.food.description for hit in food_index.search(query, 3, "de")]
    assert any(d.startswith(starts) and "canned" in d for d in found), found
    assert food_index.search("Lachs", 1, "de")[0].food.description.startswith("Fish, salmon")


@pytest.mark.parametrize(("query", "lang"), [("gin", "en"), ("Gin", "de"), ("Schnaps", "de")])
def test_a_spirit_named_is_found_before_the_mix_of_spirits(
    food_index: FoodIndex, query: str, lang: str
) -> None:
    # "distilled" and "proof" say how a spirit is made; "all (gin, rum, ...)" is a mix
    found = _first(food_index, query, lang)
    if query == "Schnaps":
        assert found.startswith("Alcoholic beverage, distilled, all")
    else:
        assert found == "Alcoholic beverage, distilled, gin, 90 proof"


def test_a_juice_sold_canned_or_bottled_is_the_plain_juice() -> None:
    from magwise.foods._lexicon import load_lexicon
    from magwise.foods._search import Ranker
    from magwise.foods._store import _decode, _encode

    records = [
        (
            "00001",
            "Beverages, Pear juice drink, light, fortified with vitamin C",
            0,
            5.0,
            20.0,
            (),
            60,
        ),
        ("00002", "Pear juice, canned or bottled, unsweetened", 0, 5.0, 50.0, (), 60),
        ("00003", "Pear juice, canned, unsweetened", 0, 5.0, 50.0, (), 60),
    ]
    table = _decode(_encode(("Beverages",), records))
    assert table is not None
    ranked = [number for number, _ in Ranker(table, load_lexicon()).search("pear juice", 3)]
    assert ranked[0] == 1  # "canned or bottled" is how a juice is sold
    assert ranked.index(2) > ranked.index(1)  # "canned" alone still says processed


def test_a_category_head_names_no_food_but_its_later_words_do() -> None:
    """ "Salad dressing, aioli" is aioli; in "Salad dressing, sesame seed dressing" the
    second "dressing" is the food's own word, a product made from sesame seeds."""
    from magwise.foods._lexicon import load_lexicon
    from magwise.foods._search import Ranker
    from magwise.foods._store import _decode, _encode

    records = [
        ("00001", "Aioli, made with tofu", 0, 5.0, 400.0, (), 60),
        ("00002", "Salad dressing, aioli, regular", 0, 5.0, 600.0, (), 60),
        ("00003", "Salad dressing, sunflower seed dressing", 0, 5.0, 500.0, (), 60),
        ("00004", "Seeds, sunflower seed kernels, dried", 0, 325.0, 580.0, (), 60),
    ]
    table = _decode(_encode(("Fats and Oils",), records))
    assert table is not None
    ranker = Ranker(table, load_lexicon())
    assert ranker.search("aioli", 1)[0][0] == 1
    assert ranker.search("sunflower seeds", 1)[0][0] == 3


@pytest.mark.parametrize(
    ("query", "lang", "starts"),
    [
        ("dark chocolate 88%", "en", "Chocolate, dark, 70-85%"),  # no range holds 88: the nearest
        ("Zartbitterschokolade 92 %", "de", "Chocolate, dark, 70-85%"),  # not "90 proof"
    ],
)
def test_a_number_outside_every_range_finds_the_nearest(
    food_index: FoodIndex, query: str, lang: str, starts: str
) -> None:
    assert _first(food_index, query, lang).startswith(starts)


@pytest.mark.parametrize(
    ("query", "starts"),
    [
        ("sugar snap peas", "Peas, edible-podded, raw"),
        ("grape tomatoes", "Tomatoes, red, ripe, raw"),
        ("crunchy peanut butter", "Peanut butter, chunk style"),
        ("mint", "Peppermint, fresh"),
        ("corn on the cob", "Corn, sweet, yellow, raw"),
        ("corn on the cob boiled", "Corn, sweet, yellow, cooked, boiled"),
    ],
)
def test_everyday_names_of_up_to_three_words_are_read_as_sr28_says_them(
    food_index: FoodIndex, query: str, starts: str
) -> None:
    assert _first(food_index, query).startswith(starts)


def test_without_or_not_says_the_food_lacks_what_the_word_names(food_index: FoodIndex) -> None:
    salted = _first(food_index, "salted sunflower seeds")
    assert salted.startswith("Seeds, sunflower seed kernels") and "with salt added" in salted
    assert "without salt" in _first(food_index, "almonds without salt")
    assert "with salt" in _first(food_index, "macadamia nuts salted")
    assert "without salt" in _first(food_index, "Kürbiskerne ungesalzen", "de")


def test_an_ingredient_added_with_the_food_sinks_unless_asked(food_index: FoodIndex) -> None:
    assert _first(food_index, "instant oats").startswith("Cereals, oats, instant, fortified, plain")
    assert "with raisins" in _first(food_index, "oats with raisins")


def test_a_long_aside_costs_no_more_than_a_short_one(food_index: FoodIndex) -> None:
    # "(may have been previously frozen)" must not put breaded and fried shrimp first
    assert "moist heat" in _first(food_index, "cooked prawns")


def test_a_dried_spice_comes_after_the_fresh_herb(food_index: FoodIndex) -> None:
    assert _first(food_index, "basil") == "Basil, fresh"
    assert _first(food_index, "ginger") == "Ginger root, raw"
    assert _first(food_index, "ground ginger").startswith("Spices, ginger, ground")


def test_a_german_compound_ending_in_filet_is_the_fish(food_index: FoodIndex) -> None:
    assert _first(food_index, "Forellenfilet", "de").startswith("Fish, trout")
    assert _first(food_index, "Zanderfilet", "de").startswith("Fish, pike, walleye, raw")


def test_a_phrase_of_more_than_three_words_is_refused() -> None:
    import tomllib
    from importlib.resources import files

    from magwise.errors import DataError
    from magwise.foods._lexicon import parse_lexicon

    content = tomllib.loads((files("magwise.foods") / "lexicon.toml").read_text(encoding="utf-8"))
    parse_lexicon(content)  # the shipped table is accepted
    content["phrases"]["corn on the big cob"] = "corn"
    with pytest.raises(DataError, match="one to three words"):
        parse_lexicon(content)
