"""Own foods from a label: added, found, logged, edited, deleted, exported and imported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from magwise.advisor import assess
from magwise.cli import cli
from magwise.errors import InputError
from magwise.foods import FoodIndex, OwnFood, search_with_own
from magwise.foods._own import build_own_food, parse_portion
from magwise.record import ProfileVersion
from magwise.store import Store
from magwise.store._case import case_for
from magwise.store._export import export_data, import_data

TODAY = dt.date.today()
BREAD = "Vollkornbrot Bäcker Meier"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, food_index: FoodIndex) -> str:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    monkeypatch.setenv("MAGWISE_DATABASE_URL", url)
    return url


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


# -- the label, read ---------------------------------------------------------------


def test_a_portion_label_gives_magnesium_per_100g() -> None:
    food = build_own_food(BREAD, mg_per_portion=32, portion="1 slice=40g")
    assert (food.mg_per_100g, food.portion, food.portion_grams) == (80.0, "1 slice", 40.0)
    assert parse_portion("2 Scheiben = 80,5 g") == ("2 Scheiben", 80.5)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "mg_per_100g"),
        ({"mg_per_100g": 10, "mg_per_portion": 4, "portion": "1 slice=40g"}, "mg_per_100g"),
        ({"mg_per_portion": 4}, "portion"),
        ({"mg_per_100g": -1}, "mg_per_100g"),
        ({"mg_per_100g": 10, "portion": "a slice"}, "portion"),
        ({"mg_per_100g": 10, "kcal_per_100g": 2000}, "kcal_per_100g"),
        ({"mg_per_100g": 10, "barcode": "40-12"}, "barcode"),
    ],
)
def test_a_bad_label_names_its_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        build_own_food(BREAD, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


@given(st.floats(0.1, 500), st.floats(10, 1000))
def test_per_portion_and_per_100g_agree(mg: float, grams: float) -> None:
    food = build_own_food("x", mg_per_portion=mg, portion=f"1 bowl={grams}g")
    assert food.as_food().mg_in(food.as_food().portions[0]) == pytest.approx(mg, rel=1e-3)


# -- the store, on SQLite and PostgreSQL ------------------------------------------------


def test_own_foods_are_kept_edited_and_deleted(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        food = store.own_foods.add(me, build_own_food(BREAD, mg_per_100g=80, name_en="Rye bread"))
        assert food.key == f"own:{food.id}"
        assert store.own_foods.find(me, "rye BREAD") == food
        with pytest.raises(InputError, match="already names"):
            store.own_foods.add(me, build_own_food("Rye bread", mg_per_100g=1))
        store.own_foods.update(
            me, build_own_food(BREAD, mg_per_100g=80, barcode="40123", food_id=food.id)
        )
        assert store.own_foods.find(me, "40123") is not None
        store.own_foods.update(me, OwnFood(food.id, BREAD, 85.0))
        assert store.own_foods.all(me) == [OwnFood(food.id, BREAD, 85.0)]
        assert store.counts(me)["own_foods"] == 1
        assert store.own_foods.delete(me, food.key) == OwnFood(food.id, BREAD, 85.0)
        assert store.own_foods.all(me) == []


def test_entries_keep_their_magnesium_when_the_food_changes_or_goes(
    database_url: str, food_index: FoodIndex
) -> None:
    from magwise.store._food_choice import food_entry

    with Store.open(database_url) as store:
        me = store.local_person()
        food = store.own_foods.add(me, build_own_food(BREAD, mg_per_100g=80))
        entry = food_entry(food.as_food(), TODAY, grams=50, portion=None, count=1)
        store.add(me, entry)
        store.own_foods.update(me, OwnFood(food.id, BREAD, 200.0))
        store.own_foods.delete(me, BREAD)
        (kept,) = store.record(me).foods
        assert (kept.ndb, kept.grams, kept.mg_per_100g) == (food.key, 50.0, 80.0)
        store.set_profile(me, ProfileVersion(TODAY, "female", 34))
        (day,) = case_for(store.record(me), TODAY, TODAY)["days"]
        assert day["foods"] == [
            {"food": food.key, "grams": 50.0, "mg_per_100g": 80.0, "name": BREAD}
        ]


def test_an_own_food_counts_in_the_assessment(food_index: FoodIndex) -> None:
    case = {
        "profile": {"sex": "female", "age_years": 34},
        "days": [
            {
                "date": "2026-11-20",
                "foods": [{"food": "own:7", "grams": 50, "mg_per_100g": 80, "name": BREAD}],
            }
        ],
    }
    result = assess(case, foods=food_index)
    assert result.intake is not None
    assert result.intake.food_mg == 40.0


def test_search_puts_a_matching_own_food_first(food_index: FoodIndex) -> None:
    own = [OwnFood(3, BREAD, 80.0, name_en="Wholegrain bread Meier")]
    hits = search_with_own(food_index, own, "wholegrain bread", limit=3)
    assert hits[0].food.ndb == "own:3"
    assert len(hits) == 3 and not hits[1].food.ndb.startswith("own:")
    assert search_with_own(food_index, own, "almonds", limit=3)[0].food.ndb != "own:3"


# -- the command line ---------------------------------------------------------------


def test_add_search_show_log_and_delete_from_the_command_line(db: str) -> None:
    out = ok("foods", "add", BREAD, "--mg-per-portion", "32", "--portion", "1 Scheibe=40g")
    assert "80 mg per 100 g" in out
    found = json.loads(ok("foods", "search", "vollkornbrot", "--json"))
    assert found[0]["ndb"] == "own:1" and found[0]["own"] is True
    assert all(hit["ndb"].isdigit() for hit in found[1:])
    shown = json.loads(ok("foods", "show", "own:1", "--json"))
    assert (shown["ndb"], shown["own"], shown["portions"][0]["mg"]) == ("own:1", True, 32.0)
    out = ok("log", "food", BREAD, "2", "Scheibe", "--meal", "Frühstück")
    assert "(80 g) of Vollkornbrot Bäcker Meier (own food): 64 mg magnesium" in out
    ok("foods", "edit", "own:1", "--mg-per-100g", "100")
    assert "100 mg per 100 g, 1 Scheibe = 40 g" in ok("foods", "mine")
    ok("foods", "delete", BREAD)
    assert ok("foods", "mine").startswith("No own foods")
    with Store.open(db) as store:
        (entry,) = store.record(store.local_person()).foods
    assert (entry.grams, entry.mg_per_100g, entry.meal) == (80.0, 80.0, "breakfast")


def test_bad_own_food_input_is_one_line_and_exit_2(db: str) -> None:
    assert "mg_per_100g" in refused("foods", "add", BREAD)
    assert "portion" in refused("foods", "add", BREAD, "--mg-per-portion", "3")
    assert "no own food" in refused("foods", "delete", "own:99")
    assert "no own food" in refused("foods", "show", "own:99")


def test_export_and_import_carry_own_foods(database_url: str, tmp_path: Path) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.own_foods.add(me, build_own_food(BREAD, mg_per_100g=80, barcode="4012345678901"))
        doc = export_data(store, me)
        assert doc["own_foods"][0]["barcode"] == "4012345678901"
        other = store.add_person("other")
        import_data(store, other, json.loads(json.dumps(doc)), replace=False)
        assert [f.name for f in store.own_foods.all(other)] == [BREAD]
        assert store.counts(other)["own_foods"] == 1
