"""``magwise log``, ``today``, ``history``, ``undo``, ``profile``, ``product``,
``water`` and ``plan`` through the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from magwise.cli import cli
from magwise.foods import FoodIndex
from magwise.record import PersonRecord
from magwise.store import Store

TODAY = dt.date.today()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, food_index: FoodIndex) -> str:
    """Each test logs into a database of its own (the food index is built once)."""
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    monkeypatch.setenv("MAGWISE_DATABASE_URL", url)
    return url


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, env={"COLUMNS": "200"})


def ok(*args: str, input: str | None = None) -> str:
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def record(db: str) -> PersonRecord:
    with Store.open(db) as store:
        return store.record(store.local_person())


def test_log_food_picks_the_top_result_and_says_which(db: str) -> None:
    out = ok("log", "food", "pumpkin seeds", "30g")
    assert "30 g of Seeds, pumpkin and squash seed kernels, dried (NDB 12014)" in out
    assert "177.6 mg magnesium" in out  # as the Today page shows it
    assert "--pick" in out
    (food,) = record(db).foods
    assert (food.ndb, food.grams, food.portion, food.day) == ("12014", 30.0, None, TODAY)


@pytest.mark.parametrize(
    ("amount", "grams", "portion", "count"),
    [
        (["30", "g"], 30.0, None, 1.0),
        (["1.5 oz"], 42.524, None, 1.0),
        (["0,1kg"], 100.0, None, 1.0),
        (["1 cup"], None, "1 cup", 1.0),
        (["2", "1 oz"], None, "1 oz", 2.0),
        (["oz"], None, "1 oz", 1.0),
        (["0.5", "cup"], None, "1 cup", 0.5),
    ],
)
def test_amounts_are_read_forgivingly(
    db: str, amount: list[str], grams: float | None, portion: str | None, count: float
) -> None:
    out = ok("log", "food", "pumpkin seeds", *amount)
    (food,) = record(db).foods
    assert (food.grams, food.portion, food.count) == (grams, portion, count)
    if grams is not None:  # the weight is shown to 0.1 g: 42.5 g, not 42.524 g
        assert f"Logged {round(grams, 1):g} g of" in out


def test_pick_chooses_another_result(db: str) -> None:
    top = ok("log", "food", "pumpkin seeds", "30g")
    second = ok("log", "food", "pumpkin seeds", "30g", "--pick", "2")
    assert "Not that food" not in second
    first, other = record(db).foods
    assert first.ndb != other.ndb
    assert first.description in top


def test_pick_alone_asks(db: str) -> None:
    out = run("log", "food", "pumpkin seeds", "30g", "--pick", input="3\n")
    assert out.exit_code == 0, out.output
    assert "1. Seeds, pumpkin" in out.stderr
    assert "Which food" in out.stderr
    assert len(record(db).foods) == 1


def test_an_ndb_number_is_a_food(db: str) -> None:
    ok("log", "food", "12061", "28g", "--date", "yesterday")
    (food,) = record(db).foods
    assert food.description == "Nuts, almonds"
    assert food.day == TODAY - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["log", "food", "pumpkin seeds", "2 bowls"], "amount: '2 bowls' is not a weight"),
        (["log", "food", "pumpkin seeds", "0g"], "amount: 0 is out of range"),
        (["log", "food", "pumpkin seeds", "30g", "--pick", "9"], "pick: '9'"),
        (["log", "food", "xqzv", "30g"], "food: nothing in SR28 matches"),
        (["log", "food", "pumpkin seeds", "30g", "--date", "2999-01-01"], "in the future"),
        (["log", "food", "pumpkin seeds", "30g", "--date", "soon"], "date: 'soon' is not a date"),
        (["log", "supplement", "Unknown 100"], "product: no product named 'Unknown 100'"),
        (["log", "supplement", "x", "0", "--elemental-mg", "100"], "units: 0 is out of range"),
        (["log", "supplement", "x", "--elemental-mg", "1", "--form", "pixie"], "form: unknown"),
        (["log", "water", "1.5l"], "water: give --mg-per-l"),
        (["log", "water", "2 buckets", "--mg-per-l", "5"], "amount: '2 buckets'"),
        (["log", "water", "1l", "--water", "evian"], "water: no water named 'evian'"),
        (["log", "water", "25l", "--mg-per-l", "5"], "amount: 25 is out of range"),
        (["log", "hair", "120", "--method", "brush"], "method: 'brush'"),
        (["log", "hair", "-- -3"], "count"),
        (["log", "symptom", "hiccups"], "symptom: unknown symptom 'hiccups'"),
        (["log", "lab", "0.72", "mg/L"], "unit: unknown unit 'mg/L'"),
        (["log", "lab", "72", "mmol/L"], "is not a possible serum magnesium result"),
        (["log", "lab", "0.72", "mmol/L", "--range", "1.1-0.7"], "range: '1.1-0.7'"),
        (["log", "note", " "], "text: the note is empty"),
        (["profile", "set", "--age", "34"], "sex: a first profile needs --sex and --age"),
        (
            ["profile", "set", "--sex", "male", "--age", "30", "--pregnant"],
            "--pregnant and --lactating apply to --sex female only",
        ),
        (["profile", "set", "--sex", "female", "--age", "300"], "age: 300 is out of range"),
        (["profile", "set", "--sex", "x", "--age", "30"], "sex: 'x'"),
        (["profile", "set", "--sex", "female", "--age", "30", "--condition", "gout"], "condition"),
        (["profile", "set", "--sex", "female", "--age", "3", "--trigger", "flu"], "KIND:DATE"),
        (["product", "add", "P"], "elemental-mg: give --elemental-mg"),
        (["product", "add", "P", "--compound-mg", "500"], "form: --compound-mg needs --form"),
        (["water", "add", "w", "--mg-per-l", "5000"], "mg-per-l: 5000 is out of range"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    db: str, args: list[str], named: str
) -> None:
    if args[-1] == "-- -3":
        args = ["log", "hair", "--", "-3"]
    assert named in refused(*args)
    with Store.open(db) as store:
        me = store.local_person()
        assert all(n == 0 for n in store.counts(me).values())


@pytest.mark.parametrize(
    "args",
    [
        ["log", "hair", "100", "--date", "1700-01-01"],
        ["log", "food", "pumpkin seeds", "30g", "--date", "0001-01-01"],
        ["log", "note", "old", "--date", "1899-12-31"],
        ["plan", "start", "300", "--date", "1800-01-01"],
    ],
)
def test_a_day_before_1900_is_refused_as_the_api_refuses_it(db: str, args: list[str]) -> None:
    expected = "magwise: error: date: expected a date from 1900-01-01 to 2999-12-31"
    assert refused(*args).strip() == expected
    ok("log", "hair", "100", "--date", "1900-01-01")
    assert [entry.day for entry in record(db).shedding] == [dt.date(1900, 1, 1)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--hair-since", "1926-09-01"],
            rf"hair-since: 1926-09-01 is more than 5200 weeks ago; accepted: "
            rf"{TODAY - dt.timedelta(weeks=5200)} to {TODAY}",
        ),
        (
            ["--hair-since", (TODAY + dt.timedelta(days=1)).isoformat()],
            "hair-since: '.*' is in the future",
        ),
        (["--hair-since", "1700-01-01"], "hair-since: expected a date from 1900-01-01"),
        (
            ["--trigger", "childbirth:2001-01-01"],
            r"trigger: 2001-01-01 is more than 520 weeks ago",
        ),
    ],
)
def test_a_hair_loss_start_a_case_cannot_hold_is_refused(
    db: str, args: list[str], expected: str
) -> None:
    import re

    line = refused("profile", "set", "--sex", "female", "--age", "34", *args)
    assert re.fullmatch(f"magwise: error: {expected}.*", line.strip()), line
    assert record(db).profiles == ()
    ok("profile", "set", "--sex", "female", "--age", "34", "--hair-since", "2020-01-01")
    ok("today")


def test_supplements_are_logged_by_the_product_name(db: str) -> None:
    out = ok(
        "product", "add", "Magnesium citrate 150", "--form", "citrate", "--elemental-mg", "150"
    )
    assert "Defined Magnesium citrate 150: 150 mg" in out
    out = ok("log", "supplement", "magnesium citrate 150", "2")
    assert "Logged 2 x Magnesium citrate 150: 300 mg magnesium" in out
    from magwise import load_knowledge

    citrate = load_knowledge().form("citrate")
    assert citrate is not None
    (taken,) = record(db).supplements
    assert (taken.product, taken.form, taken.elemental_mg_per_unit, taken.units) == (
        "Magnesium citrate 150",
        citrate.id,
        150.0,
        2.0,
    )
    assert "Magnesium citrate 150: 150 mg per unit" in ok("product", "list")


def test_a_compound_amount_is_converted_with_the_form(db: str) -> None:
    from magwise import load_knowledge

    kb = load_knowledge()
    form = kb.form("oxide")
    assert form is not None
    out = ok("product", "add", "Oxide 500", "--form", "oxide", "--compound-mg", "500")
    assert f"{round(500 * form.elemental_fraction, 1):g} mg magnesium per unit" in out


def test_an_unknown_product_can_be_logged_with_its_amount(db: str) -> None:
    ok("log", "supplement", "Travel sachet", "--elemental-mg", "120")
    assert record(db).supplements[0].elemental_mg_per_unit == 120


def test_water_by_label_value_or_by_name(db: str) -> None:
    ok("log", "water", "1.5l", "--mg-per-l", "108")
    ok("water", "add", "Gerolsteiner", "--mg-per-l", "108")
    out = ok("log", "water", "500", "ml", "--water", "gerolsteiner")
    assert "0.5 l Gerolsteiner at 108 mg/L: 54 mg magnesium" in out
    first, second = record(db).water
    assert (first.liters, first.mg_per_liter, first.name) == (1.5, 108, None)
    assert (second.liters, second.name) == (0.5, "Gerolsteiner")
    assert "Gerolsteiner: 108 mg/L" in ok("water", "list")


@pytest.mark.parametrize(
    ("method", "stored"), [("comb", "comb_test"), ("wash", "wash_count"), ("daily", "daily_count")]
)
def test_hair_counts_keep_their_method(db: str, method: str, stored: str) -> None:
    ok("log", "hair", "120", "--method", method)
    assert record(db).shedding[0].method == stored


def test_symptoms_by_alias_labs_and_notes(db: str) -> None:
    ok("log", "symptom", "cramps", "fatigue")
    ok("log", "lab", "1.8", "mg/dl", "--range", "1.7-2.3", "--date", "2026-11-01")
    ok("log", "lab", "5.2", "mg/dL", "--test", "rbc")
    ok("log", "note", "started", "the", "new", "brand")
    rec = record(db)
    assert [s.code for s in rec.symptoms] == ["muscle_cramps", "fatigue"]
    serum, rbc = rec.labs
    assert (serum.value, serum.unit, serum.range_low, serum.range_high) == (1.8, "mg/dL", 1.7, 2.3)
    assert serum.day == dt.date(2026, 11, 1)
    assert rbc.test == "rbc_magnesium"
    assert rec.notes[0].text == "started the new brand"


def test_undo_removes_the_last_entry(db: str) -> None:
    ok("log", "hair", "90")
    ok("log", "note", "oops")
    assert "Removed note: oops" in ok("undo")
    assert record(db).notes == ()
    assert "Removed hair: 90 hairs" in ok("undo")
    assert "Nothing to undo" in ok("undo")


def test_profile_versions_are_stored_when_something_changes(db: str) -> None:
    assert "Profile stored" in ok(
        "profile",
        "set",
        "--sex",
        "female",
        "--age",
        "34",
        "--date",
        "2026-09-01",
        "--hair-pattern",
        "diffuse",
        "--hair-since",
        "2026-09-01",
        "--trigger",
        "childbirth:2026-08-20",
        "--scalp",
        "redness",
        "--medication",
        "omeprazole",
        "--no-family-history",
    )
    assert "unchanged" in ok("profile", "set", "--age", "34")
    assert "Profile stored" in ok("profile", "set", "--lactating", "--date", "2026-10-01")
    assert "Profile stored" in ok("profile", "set", "--clear", "scalp", "--date", "2026-10-02")
    first, second, third = record(db).profiles
    assert first.triggers[0].kind == "childbirth"
    assert first.family_history is False
    assert second.lactating and not first.lactating
    assert second.age_years == pytest.approx(34 + 30 / 365.2425)
    assert third.scalp == () and third.medications == ("omeprazole",)
    shown = ok("profile", "show")
    assert "omeprazole" in shown
    assert "Versions from: 2026-09-01, 2026-10-01, 2026-10-02" in shown


def test_today_compares_intake_with_target_and_upper_limit(db: str) -> None:
    assert "Set a profile" in ok("today")
    ok("profile", "set", "--sex", "female", "--age", "34")
    ok("log", "food", "pumpkin seeds", "30g")
    ok("log", "water", "1l", "--mg-per-l", "100")
    ok("log", "supplement", "Big dose", "2", "--elemental-mg", "150")
    out = ok("today")
    assert "30 g Seeds, pumpkin" in out
    assert "= 577.6 mg" in out
    assert "your target" in out
    assert "Supplements 300 mg of an upper limit of 250 mg" in out
    assert "warning:" in out


def test_history_shows_each_day(db: str) -> None:
    ok("profile", "set", "--sex", "female", "--age", "34", "--date", "2026-01-01")
    ok("log", "water", "1l", "--mg-per-l", "100", "--date", "yesterday")
    ok("log", "hair", "80", "--date", "yesterday")
    ok("log", "symptom", "cramps")
    out = ok("history", "--days", "3")
    assert (TODAY - dt.timedelta(days=1)).isoformat() in out
    assert "80 daily" in out
    assert "Muscle cramps" in out
    assert "100" in out


@pytest.mark.parametrize("dose", ["100000", "10000.5", "1e12", "0"])
def test_a_plan_dose_out_of_bounds_is_refused(db: str, dose: str) -> None:
    line = refused("plan", "start", dose, "--form", "citrate").strip()
    assert line == (
        f"magwise: error: mg-per-day: {float(dose):g} is out of range; "
        "accepted: more than 0 and at most 10000"
    )
    assert record(db).plans == ()
    assert "10000 mg a day" in ok("plan", "start", "10000", "--form", "citrate")


def test_plans_start_and_stop(db: str) -> None:
    assert "Plan started today: 150 mg a day" in ok("plan", "start", "150")
    assert "stopped today" in ok("plan", "stop")
    assert "No plan is running" in ok("plan", "stop")
    (plan,) = record(db).plans
    assert plan.stopped == TODAY
