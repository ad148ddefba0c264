"""German food names: the name table, bilingual search and names in the person's language."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from tests._web import local_client

from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.foods._german import fold_text, fold_word

NAMES = Path(__file__).parent.parent / "src" / "magwise" / "foods" / "names_de.toml"
EVAL = Path(__file__).parent / "data" / "food_search_eval_de.toml"
QUERIES = tomllib.loads(EVAL.read_text(encoding="utf-8"))["query"]


def test_name_table_is_large_and_matches_sr28(food_index: FoodIndex) -> None:
    entries = tomllib.loads(NAMES.read_text(encoding="utf-8"))["food"]
    assert len(entries) >= 1500
    assert len({entry["ndb"] for entry in entries}) == len(entries)
    groups = set()
    for entry in entries:
        food = food_index.get(entry["ndb"])  # the NDB exists
        assert food.description == entry["en"], entry["ndb"]  # and is the food meant
        assert entry["de"].strip()
        groups.add(food.group)
    for group in (
        "Nut and Seed Products",
        "Cereal Grains and Pasta",
        "Baked Products",
        "Legumes and Legume Products",
        "Vegetables and Vegetable Products",
        "Dairy and Egg Products",
        "Finfish and Shellfish Products",
        "Sweets",
        "Fruits and Fruit Juices",
        "Beverages",
    ):
        assert group in groups


def test_german_evaluation_set_is_broad_and_verified(food_index: FoodIndex) -> None:
    assert len(QUERIES) >= 150
    assert len({entry["text"] for entry in QUERIES}) == len(QUERIES)
    for entry in QUERIES:
        for ndb in entry["ndb"]:
            assert food_index.get(ndb).description == entry["note"] or ndb != entry["ndb"][0]


def test_everyday_german_searches_find_the_food_meant(
    food_index: FoodIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    first = top_three = 0
    misses = []
    for entry in QUERIES:
        found = [hit.food.ndb for hit in food_index.search(entry["text"], 3, "de")]
        first += bool(found) and found[0] in entry["ndb"]
        top_three += any(ndb in entry["ndb"] for ndb in found)
        if not found or found[0] not in entry["ndb"]:
            misses.append(f"{entry['text']!r}: got {found}, want {entry['ndb']}")
    top1, top3 = first / len(QUERIES), top_three / len(QUERIES)
    with capsys.disabled():
        print(f"\nGerman food search on {len(QUERIES)} queries: top-1 {top1:.1%}, top-3 {top3:.1%}")
    assert top1 >= 0.90, "\n".join(misses)
    assert top3 >= 0.97, "\n".join(misses)


@pytest.mark.parametrize("typed", ["Kürbiskerne", "Kuerbiskerne", "Kurbiskerne", "kürbis kerne"])
def test_umlaut_spellings_meet(food_index: FoodIndex, typed: str) -> None:
    assert food_index.search(typed, 1, "de")[0].food.ndb in {"12014", "12016"}


@pytest.mark.parametrize(
    ("regional", "standard"),
    [
        ("Topfen", "Magerquark"),
        ("Erdäpfel", "Kartoffeln"),
        ("Paradeiser", "Tomaten"),
        ("Rüebli", "Karotten"),
        ("Karfiol", "Blumenkohl"),
        ("Marillen", "Aprikosen"),
        ("Schlagobers", "Schlagsahne"),
        ("Semmel", "Brötchen"),
    ],
)
def test_austrian_and_swiss_words(food_index: FoodIndex, regional: str, standard: str) -> None:
    assert food_index.search(regional, 1)[0].food == food_index.search(standard, 1)[0].food


def test_word_order_and_typos(food_index: FoodIndex) -> None:
    assert food_index.search("gekocht Spinat", 1)[0].food.ndb == "11458"
    assert food_index.search("Haferflocen", 1)[0].food.ndb == "08120"


def test_names_follow_the_language_asked(food_index: FoodIndex) -> None:
    german = food_index.search("Spinat", 1, "de")[0]
    english = food_index.search("Spinat", 1, "en")[0]
    assert german.food == english.food
    assert german.name == "Spinat, roh"
    assert english.name == german.food.description == "Spinach, raw"
    unnamed = food_index.search("Tofu yogurt", 1, "de")[0]
    assert unnamed.name == unnamed.food.description  # no German name: SR28's


def test_unknown_language_is_refused(food_index: FoodIndex) -> None:
    with pytest.raises(InputError, match="lang"):
        food_index.search("Spinat", 1, "fr")  # type: ignore[arg-type]


def test_english_queries_keep_english_answers(food_index: FoodIndex) -> None:
    assert "vinegar" not in food_index.search("wine", 1)[0].food.description
    assert food_index.search("almonds", 1)[0].food.ndb == "12061"


def test_unknown_magnesium_ranks_below_an_equivalent_known_one(food_index: FoodIndex) -> None:
    for hit in food_index.search("Kartoffeln", 5, "de")[:1]:
        assert hit.food.mg_per_100g is not None


def test_folding() -> None:
    assert fold_text("Kürbiskerne") == fold_text("Kuerbiskerne") == "kurbiskerne"
    assert fold_word("mandeln") == fold_word("mandel")
    assert fold_word("nusse") == fold_word("nuss")


def test_german_table_is_kept_beside_the_index_and_rebuilt_when_spoiled(
    food_index: FoodIndex, tmp_path: Path
) -> None:
    import shutil

    assert food_index.path is not None
    copy = tmp_path / food_index.path.name
    shutil.copy(food_index.path, copy)
    first = FoodIndex.load(copy).search("Kürbiskerne", 3, "de")
    cached = list(tmp_path.glob("foods-de-*.marshal"))
    assert len(cached) == 1
    cached[0].write_bytes(b"spoiled")
    again = FoodIndex.load(copy).search("Kürbiskerne", 3, "de")
    assert [hit.food.ndb for hit in again] == [hit.food.ndb for hit in first]
    assert [hit.name for hit in again] == [hit.name for hit in first]
    assert cached[0].read_bytes() != b"spoiled"  # written again


def test_german_pages_show_german_food_names(data_dir: Path) -> None:

    from magwise.web import Settings, create_app

    with local_client(create_app(Settings())) as client:
        german = client.get("/partials/foods", params={"q": "Kürbiskerne", "lang": "de"}).text
        english = client.get("/partials/foods", params={"q": "pumpkin seeds", "lang": "en"}).text
        row = client.get("/partials/food-row", params={"ndb": "12014", "lang": "de"}).text
    assert "Kürbiskerne, getrocknet" in german
    assert "Seeds, pumpkin and squash seed kernels, dried" in english
    assert "Kürbiskerne" not in english
    assert "Kürbiskerne, getrocknet" in row


def test_the_api_search_names_foods_in_the_language_asked(data_dir: Path) -> None:

    from magwise.web import Settings, create_app

    with local_client(create_app(Settings())) as client:
        german = client.get("/api/v1/foods", params={"q": "Kürbiskerne", "lang": "de", "limit": 1})
        english = client.get("/api/v1/foods", params={"q": "Kürbiskerne", "limit": 1})
        bad = client.get("/api/v1/foods", params={"q": "Kürbiskerne", "lang": "fr"})
    assert german.json()[0]["name"] == "Kürbiskerne, getrocknet"
    assert english.json()[0]["name"] == english.json()[0]["description"]
    assert german.json()[0]["ndb"] == english.json()[0]["ndb"] == "12014"
    assert bad.status_code == 422
