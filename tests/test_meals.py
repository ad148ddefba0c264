"""Faster days: meals on entries, saved meals, copied days, recent foods and edits."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from magwise.cli import cli
from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.record import FoodEntry, WaterEntry
from magwise.store import Store
from magwise.store._days import copy_day, log_meal, parse_meal, recent_foods, relog, save_meal
from magwise.store._export import export_data, import_data

DAY = dt.date(2026, 11, 20)
NEXT = DAY + dt.timedelta(days=1)
TODAY = dt.date.today()


def _oats(day: dt.date = DAY, meal: str | None = "breakfast", grams: float = 60) -> FoodEntry:
    return FoodEntry(0, day, "08120", grams, None, 1, "Cereals, oats", None, meal)  # type: ignore[arg-type]


def _seeds(day: dt.date = DAY) -> FoodEntry:
    return FoodEntry(0, day, "12014", 30, None, 1, "Seeds, pumpkin", None, "snack")


@pytest.mark.parametrize(
    ("text", "meal"),
    [("breakfast", "breakfast"), ("Frühstück", "breakfast"), ("ABENDESSEN", "dinner"), ("", None)],
)
def test_meals_are_named_in_english_or_german(text: str, meal: str | None) -> None:
    assert parse_meal(text) == meal


def test_an_unknown_meal_names_the_accepted_ones() -> None:
    with pytest.raises(InputError, match="accepted: breakfast, lunch, dinner, snack"):
        parse_meal("brunch")


def test_a_day_or_one_meal_is_copied(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add(me, _oats(), _seeds(), WaterEntry(0, DAY, 1.0, 100.0))
        copy_day(store, me, DAY, NEXT, "breakfast")
        assert [e.ndb for e in store.record(me, NEXT, NEXT).foods] == ["08120"]
        copy_day(store, me, DAY, NEXT + dt.timedelta(days=1))
        later = store.record(me, NEXT + dt.timedelta(days=1), NEXT + dt.timedelta(days=1))
        assert [e.meal for e in later.foods] == ["breakfast", "snack"]
        assert len(later.water) == 1
        with pytest.raises(InputError, match="no dinner foods"):
            copy_day(store, me, DAY, NEXT, "dinner")


def test_a_saved_meal_is_logged_again(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add(me, _oats(), _seeds())
        assert save_meal(store, me, "Mein Frühstück", DAY, "breakfast") == 1
        log_meal(store, me, "mein frühstück", NEXT)
        (logged,) = store.record(me, NEXT, NEXT).foods
        assert (logged.ndb, logged.grams, logged.meal) == ("08120", 60.0, "breakfast")
        log_meal(store, me, "Mein Frühstück", NEXT, "lunch")
        assert [e.meal for e in store.record(me, NEXT, NEXT).foods] == ["breakfast", "lunch"]
        with pytest.raises(InputError, match="no meal named"):
            log_meal(store, me, "Abendbrot", NEXT)
        assert store.counts(me)["meals"] == 1


def test_recent_foods_keep_the_last_amount_and_count_how_often(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add(me, _seeds(DAY), _oats(DAY), _seeds(NEXT), _oats(NEXT, grams=80), _seeds(NEXT))
        recent = recent_foods(store, me, NEXT)
        assert [(r.last.ndb, r.times) for r in recent] == [("12014", 3), ("08120", 2)]
        assert recent[1].last.grams == 80.0
        new_id = relog(store, me, recent[1].last.id, NEXT + dt.timedelta(days=1))
        again = store.entry(me, new_id)
        assert isinstance(again, FoodEntry) and (again.grams, again.meal) == (80.0, "breakfast")


def test_an_entry_is_edited_not_only_deleted(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        (entry_id,) = store.add(me, _oats())
        store.edit_entry(me, entry_id, grams=None, portion="1 cup", count=2.0, meal="lunch")
        store.edit_entry(me, entry_id, day=NEXT)
        (edited,) = store.record(me).foods
        assert (edited.day, edited.portion, edited.count, edited.meal) == (
            NEXT,
            "1 cup",
            2,
            "lunch",
        )
        with pytest.raises(InputError, match="either grams or a portion"):
            store.edit_entry(me, entry_id, grams=10.0)
        assert store.edit_entry(me, 999, day=DAY) is None


def test_meals_and_entry_meals_survive_export_and_import(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add(me, _oats())
        save_meal(store, me, "Hafer", DAY, None)
        doc = json.loads(json.dumps(export_data(store, me)))
        other = store.add_person("other")
        import_data(store, other, doc, replace=False)
        assert store.meals.all(other) == store.meals.all(me)
        assert store.record(other).foods[0].meal == "breakfast"


def test_an_export_without_meals_still_imports(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add(me, _oats())
        doc = export_data(store, me)
        for kind in ("own_foods", "meals"):
            del doc[kind]
        for food in doc["foods"]:
            del food["meal"], food["mg_per_100g"]
        other = store.add_person("other")
        import_data(store, other, doc, replace=False)
        assert store.record(other).foods[0].meal is None


# -- the command line ---------------------------------------------------------------


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


GERMAN_DAY = [  # typed as a German speaker types them, with the food each must find
    ("Haferflocken", "50g", "Frühstück", "08120", "Haferflocken"),
    ("Milch", "200ml", "Frühstück", "01211", "Vollmilch"),
    ("Banane", "120g", "Frühstück", "09040", "Banane"),
    ("Vollkornbrot", "1 Scheibe", "Mittagessen", "18075", "Vollkornbrot"),
    ("Käse", "30g", "Mittagessen", "01022", "Gouda"),
    ("Kürbiskerne", "30g", "Snack", "12014", "Kürbiskerne"),
    ("Spinat", "150g", "Abendessen", "11457", "Spinat"),
    ("Lachs", "125g", "Abendessen", "15076", "Lachs"),
    ("Kartoffeln", "200g", "Abendessen", "11352", "Kartoffeln"),
    ("Rotwein", "1 Glas", "Abendessen", "14096", "Rotwein"),
]


def test_a_german_day_typed_in_german_is_logged_and_logged_again(db: str) -> None:
    german = {"COLUMNS": "200", "LANG": "de_DE.UTF-8"}
    for query, amount, meal, ndb, name in GERMAN_DAY:
        args = ["log", "food", query, amount, "--meal", meal, "--date", "yesterday"]
        said = CliRunner().invoke(cli, args, env=german)
        assert said.exit_code == 0, said.output
        assert f"of {name}" in said.stdout and f"NDB {ndb})" in said.stdout  # named in German
    water = ["log", "food", "1 Glas Mineralwasser", "--mg-per-l", "100", "--date", "yesterday"]
    assert "0.2 l water at 100 mg/L" in ok(*water)
    assert "Copied 11 entries of yesterday to today" in ok("log", "copy", "yesterday")
    with Store.open(db) as store:
        me = store.local_person()
        day = TODAY - dt.timedelta(days=1)
        before, after = store.record(me, day, day), store.record(me, TODAY, TODAY)
    assert [e.ndb for e in before.foods] == [ndb for *_, ndb, _ in GERMAN_DAY]
    assert [(e.ndb, e.grams, e.meal) for e in after.foods] == [
        (e.ndb, e.grams, e.meal) for e in before.foods
    ]
    assert [(w.liters, w.mg_per_liter) for w in after.water] == [(0.2, 100.0)]


def test_a_day_is_logged_again_the_next_day_from_the_command_line(db: str) -> None:
    ok("log", "food", "pumpkin seeds", "30g", "--meal", "Frühstück", "--date", "yesterday")
    ok("log", "food", "almonds", "1", "oz", "--meal", "snack", "--date", "yesterday")
    ok("meal", "save", "Mein Frühstück", "--date", "yesterday", "--meal", "breakfast")
    assert "Mein Frühstück: 30 g Seeds, pumpkin" in ok("meal", "list")
    assert "Copied 2 entries of yesterday to today" in ok("log", "copy", "yesterday")
    shown = ok("today")
    assert "177.6" in shown and "breakfast: 178 mg" in shown  # mg per entry and per meal
    assert "Logged 1 foods" in ok("log", "meal", "Mein Frühstück", "--date", "2026-11-20")
    recent = json.loads(ok("recent", "--json"))
    assert [r["times"] for r in recent] == [2, 3]
    out = ok("edit", str(recent[0]["entry"]), "--amount", "2 oz", "--meal", "dinner")
    assert "2 x 1 oz" not in out and "dinner" in out
    with Store.open(db) as store:
        today = store.record(store.local_person(), TODAY, TODAY).foods
    assert sorted(e.meal or "" for e in today) == ["breakfast", "dinner"]


def test_a_water_typed_as_a_food_is_logged_as_water(db: str) -> None:
    assert "mg-per-l" in refused("log", "food", "Mineralwasser", "0.5l")
    assert "50 mg magnesium" in ok("log", "food", "Leitungswasser", "500ml", "--mg-per-l", "100")
    ok("water", "add", "Gerolsteiner", "--mg-per-l", "108")
    assert "Gerolsteiner at 108 mg/L" in ok("log", "food", "gerolsteiner", "1l")
    assert "0.2 l Gerolsteiner" in ok("log", "food", "1 Glas Gerolsteiner")
    assert "0.33 l water at 90 mg/L" in ok(
        "log", "food", "Mineralwasser", "33", "cl", "--mg-per-l", "90"
    )
    assert "0.5 l water" in ok("log", "food", "Mineralwasser 0,5 l", "--mg-per-l", "90")
    assert "amount" in refused("log", "food", "almonds")  # a food needs its amount
    assert "NDB" in ok("log", "food", "coconut water", "100g")  # a food, not a water
    with Store.open(db) as store:
        record = store.record(store.local_person())
    assert [(w.liters, w.mg_per_liter, w.name) for w in record.water] == [
        (0.5, 100.0, None),
        (1.0, 108.0, "Gerolsteiner"),
        (0.2, 108.0, "Gerolsteiner"),
        (0.33, 90.0, None),
        (0.5, 90.0, None),
    ]
    assert len(record.foods) == 1


def test_bad_day_input_is_one_line_and_exit_2(db: str) -> None:
    assert "meal" in refused("log", "food", "almonds", "30g", "--meal", "brunch")
    assert "no meal named" in refused("log", "meal", "nothing")
    assert "has no foods" in refused("log", "copy", "yesterday")
    assert "no entry" in refused("edit", "7", "--amount", "30g")
    assert "has no foods" in refused("meal", "save", "x", "--date", "yesterday")
