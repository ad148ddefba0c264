from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from magwise.errors import InputError
from magwise.foods import FoodIndex

EVAL = Path(__file__).parent / "data" / "food_search_eval.toml"
QUERIES = tomllib.loads(EVAL.read_text(encoding="utf-8"))["query"]


def _first(index: FoodIndex, query: str) -> str:
    return index.search(query, limit=1)[0].food.ndb


def test_evaluation_set_is_broad_and_verified(food_index: FoodIndex) -> None:
    assert len(QUERIES) >= 60
    assert len({entry["text"] for entry in QUERIES}) == len(QUERIES)
    for entry in QUERIES:
        for ndb in entry["ndb"]:
            food_index.get(ndb)  # every accepted answer is a real SR28 food


def test_everyday_searches_find_the_food_meant(
    food_index: FoodIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    first = top_three = 0
    misses = []
    for entry in QUERIES:
        found = [hit.food.ndb for hit in food_index.search(entry["text"], limit=3)]
        first += bool(found) and found[0] in entry["ndb"]
        top_three += any(ndb in entry["ndb"] for ndb in found)
        if not found or found[0] not in entry["ndb"]:
            misses.append(f"{entry['text']!r}: got {found}, want {entry['ndb']}")
    top1, top3 = first / len(QUERIES), top_three / len(QUERIES)
    with capsys.disabled():
        print(f"\nfood search on {len(QUERIES)} queries: top-1 {top1:.1%}, top-3 {top3:.1%}")
    assert top1 >= 0.90, "\n".join(misses)
    assert top3 >= 0.98, "\n".join(misses)


def test_hits_are_ordered_and_limited(food_index: FoodIndex) -> None:
    hits = food_index.search("beans", limit=7)
    assert len(hits) == 7
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("brocolli", "11090"), ("spinnach", "11457"), ("almnds", "12061"), ("quinao", "20035")],
)
def test_typos(food_index: FoodIndex, typed: str, meant: str) -> None:
    assert _first(food_index, typed) == meant


@pytest.mark.parametrize(
    ("synonym", "sr28_word"),
    [
        ("courgette", "zucchini"),
        ("aubergine", "eggplant"),
        ("garbanzo beans", "chickpeas"),
        ("rocket", "arugula"),
        ("prawns", "shrimp"),
    ],
)
def test_synonyms_find_the_same_food(food_index: FoodIndex, synonym: str, sr28_word: str) -> None:
    assert _first(food_index, synonym) == _first(food_index, sr28_word)


def test_compound_words(food_index: FoodIndex) -> None:
    assert food_index.search("brazil nuts", 1)[0].food.description.startswith("Nuts, brazilnuts")
    assert food_index.search("soy milk", 1)[0].food.description.startswith("Soymilk")


@pytest.mark.parametrize(
    ("query", "ndb"),
    [
        ("spinach", "11457"),
        ("spinach raw", "11457"),
        ("spinach cooked", "11458"),
        ("boiled spinach", "11458"),
        ("broccoli", "11090"),
        ("steamed broccoli", "11091"),
        ("egg", "01123"),
        ("poached egg", "01131"),
    ],
)
def test_preparation_follows_the_query(food_index: FoodIndex, query: str, ndb: str) -> None:
    assert _first(food_index, query) == ndb


def test_the_food_beats_products_made_from_it(food_index: FoodIndex) -> None:
    for query in ("almonds", "peanuts", "oats", "chickpeas", "banana"):
        description = food_index.search(query, 1)[0].food.description.lower()
        for product in ("butter", "flour", "milk", "chips", "paste"):
            assert product not in description, (query, description)


def test_generic_foods_beat_brands_and_baby_foods(food_index: FoodIndex) -> None:
    for hit in food_index.search("oatmeal", 3) + food_index.search("yogurt", 3):
        assert hit.food.group != "Baby Foods"
        assert not any(word.isupper() and len(word) > 3 for word in hit.food.description.split())


def test_nothing_matches_gibberish(food_index: FoodIndex) -> None:
    assert food_index.search("qzxjvw", 5) == []


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_is_refused(food_index: FoodIndex, query: str) -> None:
    with pytest.raises(InputError, match="words describing a food") as caught:
        food_index.search(query)
    assert caught.value.field == "query"


def test_non_positive_limit_is_refused(food_index: FoodIndex) -> None:
    with pytest.raises(InputError) as caught:
        food_index.search("milk", limit=0)
    assert caught.value.field == "limit"
