"""Held-out everyday searches in English and German, kept apart from the sets the
ranking rules were shaped on (tests/data/food_search_heldout_*.toml).

The rates are printed; the floors asserted are what the search reaches today,
below the goals (English top-1 95 %, top-3 100 %; German top-1 90 %, top-3 97 %)
where it does not reach them yet, so that a change that makes the search worse fails.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from magwise.foods import FoodIndex

DATA = Path(__file__).parent / "data"
SETS = {
    "en": tomllib.loads((DATA / "food_search_heldout_en.toml").read_text(encoding="utf-8"))[
        "query"
    ],
    "de": tomllib.loads((DATA / "food_search_heldout_de.toml").read_text(encoding="utf-8"))[
        "query"
    ],
}
FLOORS = {"en": (0.91, 0.97), "de": (0.94, 0.95)}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_held_out_sets_are_broad_new_and_verified(food_index: FoodIndex, lang: str) -> None:
    queries = SETS[lang]
    assert len(queries) >= (150 if lang == "en" else 100)
    texts = {entry["text"].lower() for entry in queries}
    assert len(texts) == len(queries)
    shaped = "food_search_eval.toml" if lang == "en" else "food_search_eval_de.toml"
    seen = tomllib.loads((DATA / shaped).read_text(encoding="utf-8"))["query"]
    assert not texts & {entry["text"].lower() for entry in seen}  # held out: none of them
    for entry in queries:
        assert food_index.get(entry["ndb"][0]).description == entry["note"]
        for ndb in entry["ndb"]:
            food_index.get(ndb)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_held_out_searches_find_the_food_meant(
    food_index: FoodIndex, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = SETS[lang]
    first = top_three = 0
    misses = []
    for entry in queries:
        found = [hit.food.ndb for hit in food_index.search(entry["text"], 3, lang)]
        first += bool(found) and found[0] in entry["ndb"]
        top_three += any(ndb in entry["ndb"] for ndb in found)
        if not found or found[0] not in entry["ndb"]:
            misses.append(f"{entry['text']!r}: got {found}, want {entry['ndb']}")
    top1, top3 = first / len(queries), top_three / len(queries)
    with capsys.disabled():
        print(
            f"\nheld-out {lang} food search, {len(queries)} queries: "
            f"top-1 {top1:.1%}, top-3 {top3:.1%}"
        )
    floor1, floor3 = FLOORS[lang]
    assert top1 >= floor1, "\n".join(misses)
    assert top3 >= floor3, "\n".join(misses)
