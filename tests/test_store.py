"""The store: a person's record kept, versioned, undone and forgotten."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from magwise import assess
from magwise.errors import DataError, InputError
from magwise.record import (
    FoodEntry,
    HairTrigger,
    LabEntry,
    NoteEntry,
    PersonRecord,
    ProfileVersion,
    SymptomEntry,
)
from magwise.store import Product, Store, database_url, describe
from magwise.store._case import case_for
from magwise.store._store import PERSON_TABLES

DAY = dt.date(2026, 11, 20)


@pytest.fixture(params=["auto", "sqlalchemy"])
def store(request: pytest.FixtureRequest, database_url: str) -> Iterator[Store]:
    """The same store on every database, through both drivers: the SQL is the same.

    SQLite: the ``sqlite3`` module, then SQLAlchemy. PostgreSQL (always
    SQLAlchemy): the URL naming psycopg, then the plain ``postgresql://`` form.
    """
    url = database_url
    if request.param == "sqlalchemy":
        url = url.replace("postgresql+psycopg://", "postgresql://")
    with Store.open(url, driver=request.param) as opened:
        yield opened


def _fill(store: Store, me: int) -> None:
    store.set_profile(me, ProfileVersion(DAY, "female", 34.0))
    store.add_food(me, DAY, "12014", description="Seeds, pumpkin", grams=30)
    store.add_food(me, DAY, "12061", description="Nuts, almonds", portion="1 oz", count=2)
    store.add_supplement(me, DAY, "Mag 150", elemental_mg_per_unit=150, units=2, form="citrate")
    store.add_water(me, DAY, liters=1.5, mg_per_liter=108, name="gerolsteiner")
    store.add_shedding(me, DAY, 120, "comb_test")
    store.add_symptom(me, DAY, "muscle_cramps")
    store.add_lab(me, DAY, 0.72, "mmol/L", range_low=0.7, range_high=1.1)
    store.add_note(me, DAY, "slept badly")


def test_a_record_holds_every_kind_in_order(store: Store) -> None:
    me = store.local_person()
    _fill(store, me)
    record = store.record(me)
    assert isinstance(record, PersonRecord)
    assert record.person_id == me
    assert record.foods[0] == FoodEntry(1, DAY, "12014", 30.0, None, 1.0, "Seeds, pumpkin")
    assert record.foods[1].portion == "1 oz"
    assert record.foods[1].count == 2
    assert record.supplements[0].elemental_mg_per_unit == 150
    assert record.supplements[0].form == "citrate"
    assert record.water[0].name == "gerolsteiner"
    assert record.shedding[0].method == "comb_test"
    assert record.symptoms == (SymptomEntry(6, DAY, "muscle_cramps"),)
    assert record.labs == (LabEntry(7, DAY, "serum_magnesium", 0.72, "mmol/L", 0.7, 1.1),)
    assert record.notes == (NoteEntry(8, DAY, "slept badly"),)
    ids = [e.id for kind in (record.foods, record.supplements, record.labs) for e in kind]
    assert len(ids) == len(set(ids)), "entry ids are unique across kinds"


def test_the_local_person_is_one_and_the_same(store: Store) -> None:
    assert store.local_person() == store.local_person()
    assert len(store.persons()) == 1


def test_persons_do_not_see_each_other(store: Store) -> None:
    me = store.local_person()
    other = store.add_person("someone else")
    store.add_note(other, DAY, "theirs")
    store.define_water(other, "theirs", mg_per_liter=10)
    assert store.record(me).notes == ()
    assert store.waters(me) == {}
    assert store.undo(me) is None
    assert store.record(other).notes[0].text == "theirs"


def test_record_filters_by_date_and_keeps_every_profile(store: Store) -> None:
    me = store.local_person()
    store.set_profile(me, ProfileVersion(DAY, "female", 34.0))
    store.set_profile(
        me, ProfileVersion(DAY + dt.timedelta(days=40), "female", 34.2, pregnant=True)
    )
    for offset in range(10):
        store.add_shedding(me, DAY + dt.timedelta(days=offset), 80 + offset, "daily_count")
    record = store.record(me, DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=4))
    assert [s.count for s in record.shedding] == [82, 83, 84]
    assert len(record.profiles) == 2
    assert record.profile_on(DAY + dt.timedelta(days=50)).pregnant


def test_a_profile_version_is_stored_only_when_something_changes(store: Store) -> None:
    me = store.local_person()
    first = ProfileVersion(DAY, "female", 34.0, conditions=("diabetes_type2",))
    assert store.set_profile(me, first)
    later = DAY + dt.timedelta(days=100)
    same = ProfileVersion(later, "female", first.age_on(later), conditions=("diabetes_type2",))
    assert not store.set_profile(me, same)
    changed = ProfileVersion(
        later,
        "female",
        first.age_on(later),
        lactating=True,
        triggers=(HairTrigger("childbirth", DAY),),
        hair_loss_since=DAY,
        family_history=False,
    )
    assert store.set_profile(me, changed)
    assert store.profiles(me) == (first, changed)
    assert store.profile(me) == changed
    assert store.profile(me, DAY) == first


def test_a_second_version_on_the_same_day_replaces_the_first(store: Store) -> None:
    me = store.local_person()
    store.set_profile(me, ProfileVersion(DAY, "female", 34.0))
    store.set_profile(me, ProfileVersion(DAY, "female", 35.0))
    assert [p.age_years for p in store.profiles(me)] == [35.0]


def test_undo_removes_the_entry_written_last_whatever_its_kind(store: Store) -> None:
    me = store.local_person()
    _fill(store, me)
    removed = store.undo(me)
    assert isinstance(removed, NoteEntry)
    assert describe(removed) == "note: slept badly"
    assert isinstance(store.undo(me), LabEntry)
    assert store.record(me).notes == ()
    assert store.record(me).labs == ()
    assert len(store.record(me).foods) == 2


def test_products_and_waters_are_found_by_name_whatever_the_case(store: Store) -> None:
    me = store.local_person()
    assert not store.define_product(me, "Magnesium citrate 150", elemental_mg_per_unit=150)
    assert store.product(me, "magnesium CITRATE 150") == Product("Magnesium citrate 150", 150.0)
    assert store.define_product(me, "magnesium citrate 150", elemental_mg_per_unit=100, form="x")
    assert store.products(me) == [Product("magnesium citrate 150", 100.0, "x")]
    store.define_water(me, "Gerolsteiner", mg_per_liter=108)
    assert store.water(me, "gerolsteiner") == ("Gerolsteiner", 108.0)
    assert store.water(me, "evian") is None
    assert store.record(me).named_waters == {"Gerolsteiner": 108.0}


def test_a_new_plan_stops_the_running_one(store: Store) -> None:
    me = store.local_person()
    store.start_plan(me, DAY, 150, "citrate")
    store.start_plan(me, DAY + dt.timedelta(days=30), 200, "citrate")
    first, second = store.plans(me)
    assert first.stopped == DAY + dt.timedelta(days=30)
    assert second.stopped is None
    stopped = store.stop_plan(me, DAY + dt.timedelta(days=60))
    assert stopped is not None
    assert stopped.stopped == DAY + dt.timedelta(days=60)
    assert store.stop_plan(me, DAY + dt.timedelta(days=61)) is None
    assert store.record(me, DAY + dt.timedelta(days=40)).plans == (store.plans(me)[1],)


def test_forget_deletes_everything_of_one_person(store: Store) -> None:
    me = store.local_person()
    _fill(store, me)
    store.define_product(me, "p", elemental_mg_per_unit=1)
    store.start_plan(me, DAY, 100, "citrate")
    other = store.add_person("other")
    store.add_note(other, DAY, "kept")
    counts = store.counts(me)
    assert counts["food"] == 2
    assert counts["profiles"] == 1
    assert counts["plans"] == 1
    assert store.forget(me) == counts
    assert all(n == 0 for n in store.counts(me).values())
    assert [name for _, name in store.persons()] == ["other"]
    assert store.record(other).notes[0].text == "kept"


def test_restore_writes_all_or_nothing(store: Store) -> None:
    me = store.local_person()
    _fill(store, me)
    record = store.record(me)
    broken = PersonRecord(
        person_id=me,
        profiles=record.profiles,
        foods=record.foods,
        notes=(NoteEntry(0, DAY, None),),  # type: ignore[arg-type]  # NOT NULL fails
    )
    with pytest.raises(Exception, match=r"(?i)not null|constraint"):
        store.restore(me, broken, replace=True)
    assert store.record(me) == record, "a failed restore deletes nothing"


def test_text_no_database_may_hold_is_refused_alike_on_every_database(store: Store) -> None:
    me = store.local_person()
    store.add_note(me, DAY, "kept")
    with pytest.raises(InputError, match=r"^text: must not contain the NUL character$"):
        store.add_note(me, DAY, "a\x00b")
    with pytest.raises(InputError, match=r"^code: at most 40 characters \(41 given\)$"):
        store.add_symptom(me, DAY, "x" * 41)
    with pytest.raises(InputError, match=r"^name: at most 200 characters"):
        store.define_water(me, "w" * 201, mg_per_liter=100)
    store.define_water(me, "w" * 200, mg_per_liter=100)
    assert [n.text for n in store.record(me).notes] == ["kept"], "nothing half-written"
    assert store.counts(me)["symptom"] == 0


def test_the_text_limits_are_the_columns_lengths() -> None:
    from sqlalchemy import String

    from magwise.store._db import TEXT_LIMITS
    from magwise.store.models import Base

    tables = {*PERSON_TABLES, "persons"}
    assert set(TEXT_LIMITS) <= tables
    for name in tables:
        lengths = {
            column.name: column.type.length
            for column in Base.metadata.tables[name].columns
            if isinstance(column.type, String) and column.type.length is not None
        }
        assert lengths == TEXT_LIMITS.get(name, {}), name


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with Store.open(str(path)) as store:
        connection = store._db._connection  # type: ignore[attr-defined]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.add_note(999, DAY, "nobody's")


def test_the_store_is_where_it_is_told_to_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAGWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    monkeypatch.setenv("MAGWISE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(InputError, match="file"):
        Store.open("sqlite:///:memory:")


def test_data_survives_closing_and_reopening(database_url: str) -> None:
    url = database_url
    with Store.open(url) as store:
        me = store.local_person()
        _fill(store, me)
        before = store.record(me)
    with Store.open(url) as store:
        assert store.record(store.local_person()) == before


def test_a_database_from_a_newer_magwise_is_refused(database_url: str) -> None:
    with Store.open(database_url) as store, store._db.write() as tx:
        tx.run("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DataError, match="newer"):
        Store.open(database_url)


def test_a_logged_period_is_a_valid_case(store: Store) -> None:
    me = store.local_person()
    _fill(store, me)
    store.set_profile(
        me,
        ProfileVersion(
            DAY,
            "female",
            34.0,
            hair_pattern="diffuse",
            hair_loss_since=DAY - dt.timedelta(days=70),
            triggers=(HairTrigger("childbirth", DAY - dt.timedelta(days=90)),),
        ),
    )
    store.add_shedding(me, DAY, 150, "daily_count")
    case = case_for(store.record(me), DAY, DAY)
    assert case["hair"]["shedding_per_day"] == 150  # the comb test is not a daily count
    assert case["hair"]["duration_weeks"] == 10
    result = assess(case)
    assert result.intake is not None
    assert result.intake.supplement_mg == 300
    assert result.intake.water_mg == 162
    assert result.serum is not None


def test_a_case_needs_a_profile(store: Store) -> None:
    me = store.local_person()
    with pytest.raises(InputError, match="profile"):
        case_for(store.record(me), DAY, DAY)
