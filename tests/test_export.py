"""Your data is yours: export, import back exactly, forget."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._web import local_client

from magwise.cli import cli
from magwise.errors import InputError
from magwise.record import HairTrigger, PersonRecord, ProfileVersion
from magwise.store import Store
from magwise.store._export import csv_files, export_data, import_data, read_export, write_export

DAY = dt.date(2026, 9, 1)


def _fill(store: Store, note: str = 'a note, with "quotes";\nand a second line — ü') -> int:
    me = store.local_person()
    store.set_profile(
        me,
        ProfileVersion(
            DAY,
            "female",
            34.0,
            conditions=("type2_diabetes",),
            medications=("omeprazole", "levothyroxine"),
            hair_pattern="diffuse",
            hair_loss_since=DAY,
            family_history=True,
            scalp=("redness",),
            triggers=(HairTrigger("childbirth", DAY - dt.timedelta(days=12)),),
        ),
    )
    store.set_profile(
        me, ProfileVersion(DAY + dt.timedelta(days=30), "female", 34.1, lactating=True)
    )
    store.define_product(me, "Magnesium citrate 150", elemental_mg_per_unit=150, form="citrate")
    store.define_product(me, "Mystery", elemental_mg_per_unit=0.1)
    store.define_water(me, "Gerolsteiner", mg_per_liter=108)
    store.start_plan(me, DAY, 150, "citrate")
    store.start_plan(me, DAY + dt.timedelta(days=40), 200, "citrate")
    for offset in range(3):
        day = DAY + dt.timedelta(days=offset)
        store.add_food(me, day, "12014", description="Seeds, pumpkin", grams=30.5 + offset / 3)
        store.add_food(me, day, "12061", description="Nuts, almonds", portion="1 oz", count=2)
        store.add_supplement(me, day, "Magnesium citrate 150", elemental_mg_per_unit=150, units=2)
        store.add_water(me, day, liters=1.5, mg_per_liter=108, name="Gerolsteiner")
        store.add_water(me, day, liters=0.25, mg_per_liter=3.3)
        store.add_shedding(me, day, 120 - offset, "comb_test")
    store.add_symptom(me, DAY, "muscle_cramps")
    store.add_lab(me, DAY, 0.72, "mmol/L", range_low=0.7, range_high=1.1)
    store.add_lab(me, DAY, 5.2, "mg/dL", test="rbc_magnesium")
    store.add_note(me, DAY, note)
    return me


@pytest.fixture
def full(database_url: str) -> Store:
    store = Store.open(database_url)
    _fill(store)
    yield store  # type: ignore[misc]
    store.close()


def _without_ids(record: PersonRecord) -> PersonRecord:
    def strip(items: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(dataclasses.replace(item, id=0) for item in items)  # type: ignore[type-var]

    return dataclasses.replace(
        record,
        person_id=0,
        foods=strip(record.foods),  # type: ignore[arg-type]
        supplements=strip(record.supplements),  # type: ignore[arg-type]
        water=strip(record.water),  # type: ignore[arg-type]
        shedding=strip(record.shedding),  # type: ignore[arg-type]
        symptoms=strip(record.symptoms),  # type: ignore[arg-type]
        labs=strip(record.labs),  # type: ignore[arg-type]
        notes=strip(record.notes),  # type: ignore[arg-type]
        plans=strip(record.plans),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("fmt", "name"), [("json", "export.json"), ("csv", "export-csv"), ("csv", "export.zip")]
)
def test_export_import_export_is_identical(
    full: Store, make_database_url: Callable[[], str], tmp_path: Path, fmt: str, name: str
) -> None:
    first = tmp_path / name
    write_export(export_data(full, full.local_person()), first, fmt)
    with Store.open(make_database_url()) as empty:
        me = empty.local_person()
        assert import_data(empty, me, read_export(first), replace=False) == 22
        again = export_data(empty, me)
        assert _without_ids(empty.record(me)) == _without_ids(full.record(full.local_person()))
        assert empty.products(me) == full.products(full.local_person())
    assert again == export_data(full, full.local_person())
    second = tmp_path / f"again-{name}"
    write_export(again, second, fmt)
    if fmt == "json":
        assert second.read_bytes() == first.read_bytes()
    else:
        assert read_export(second) == read_export(first)


def test_the_json_document_names_its_format_and_version(full: Store) -> None:
    doc = export_data(full, full.local_person())
    assert (doc["format"], doc["version"]) == ("magwise-export", 1)
    assert list(doc) == [
        "format",
        "version",
        "person",
        "profiles",
        "products",
        "waters",
        "plans",
        "foods",
        "supplements",
        "water",
        "shedding",
        "symptoms",
        "labs",
        "notes",
        "own_foods",
        "meals",
        "photos",
    ]
    assert doc["foods"][1] == {
        "date": "2026-09-01",
        "ndb": "12061",
        "grams": None,
        "portion": "1 oz",
        "count": 2.0,
        "description": "Nuts, almonds",
        "mg_per_100g": None,
        "meal": None,
    }
    assert doc["profiles"][0]["triggers"] == [{"kind": "childbirth", "on": "2026-08-20"}]


def test_the_csv_export_has_one_file_per_kind(full: Store) -> None:
    files = csv_files(export_data(full, full.local_person()))
    assert set(files) == {
        "person.csv",
        "profiles.csv",
        "products.csv",
        "waters.csv",
        "plans.csv",
        "foods.csv",
        "supplements.csv",
        "water.csv",
        "shedding.csv",
        "symptoms.csv",
        "labs.csv",
        "notes.csv",
        "own_foods.csv",
        "meals.csv",
    }
    assert files["person.csv"] == "format,version,name\nmagwise-export,1,me\n"
    assert files["shedding.csv"].splitlines()[:2] == [
        "date,count,method",
        "2026-09-01,120,comb_test",
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    note=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=60
    ),
    grams=st.floats(min_value=0.001, max_value=10_000, allow_nan=False),
)
def test_any_text_and_number_survive_both_formats(
    database_url: str, note: str, grams: float
) -> None:
    # one store for every example: each imports into persons of its own
    with tempfile.TemporaryDirectory() as where, Store.open(database_url) as store:
        root = Path(where)
        me = store.add_person("me")
        store.add_note(me, DAY, note)
        store.add_food(me, DAY, "12014", description="Seeds, pumpkin", grams=grams)
        doc = export_data(store, me)
        for fmt, name in (("json", "e.json"), ("csv", "e.zip")):
            write_export(doc, root / name, fmt)
            other = store.add_person("other")
            import_data(store, other, read_export(root / name), replace=False)
            assert export_data(store, other) == doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "format: 'something-else'; expected 'magwise-export'"),
        ({"version": 2}, "version: 2; this magwise reads 1"),
        ({"foods": [{"date": "2026-13-01"}]}, r"foods\[0\].date: '2026-13-01' is not a date"),
        ({"shedding": [{"date": "2026-09-01", "count": 3, "method": "guess"}]}, "method"),
        ({"labs": "many"}, "labs: expected a list"),
        (
            {"notes": [{"date": "2026-09-01", "text": "fine"}, {"date": "2026-09-02"}]},
            r"notes\[1\].text: is required",
        ),
    ],
)
def test_a_bad_export_is_refused_naming_the_value_and_nothing_is_written(
    full: Store, make_database_url: Callable[[], str], change: dict[str, object], message: str
) -> None:
    doc = export_data(full, full.local_person())
    doc.update(change)
    with Store.open(make_database_url()) as empty:
        me = empty.local_person()
        with pytest.raises(InputError, match=message):
            import_data(empty, me, doc, replace=False)
        assert all(n == 0 for n in empty.counts(me).values())


def _rename(doc: dict[str, Any], old: str, new: str) -> None:
    doc[new] = doc.pop(old)


@pytest.mark.parametrize(
    ("change", "field", "accepted"),
    [
        (lambda d: _rename(d, "foods", "entries"), "entries", "format, version, person, profiles"),
        (lambda d: d.update(comment="mine"), "comment", "format, version, person, profiles"),
        (lambda d: _rename(d["foods"][0], "grams", "gram"), "foods[0].gram", "date, ndb, grams"),
        (lambda d: d["person"].update(email="a@b.c"), "person.email", "name"),
        (
            lambda d: d["profiles"][0]["triggers"][0].update(when="x"),
            "profiles[0].triggers[0].when",
            "kind, on",
        ),
        (lambda d: d["plans"][1].update(mg=5), "plans[1].mg", "started, stopped"),
    ],
)
def test_an_unknown_field_is_refused_at_any_level_and_replace_keeps_the_log(
    full: Store, change: Any, field: str, accepted: str
) -> None:
    me = full.local_person()
    before = export_data(full, me)
    doc = json.loads(json.dumps(before))
    change(doc)
    with pytest.raises(InputError) as refused:
        import_data(full, me, doc, replace=True)
    assert refused.value.field == field
    assert refused.value.message.startswith(f"is not a field of an export; accepted: {accepted}")
    assert "\n" not in str(refused.value)
    assert export_data(full, me) == before


def test_import_into_a_store_with_data_needs_replace(full: Store, tmp_path: Path) -> None:
    me = full.local_person()
    doc = export_data(full, me)
    with pytest.raises(InputError, match="already holds"):
        import_data(full, me, doc, replace=False)
    full.add_note(me, DAY, "added after the export")
    import_data(full, me, doc, replace=True)
    assert export_data(full, me) == doc


@pytest.mark.parametrize("layout", ["json", "csv directory", "csv zip"])
def test_an_export_that_is_not_utf8_is_one_line_and_writes_nothing(
    full: Store, make_database_url: Callable[[], str], tmp_path: Path, layout: str
) -> None:
    import zipfile

    doc = export_data(full, full.local_person())
    path = tmp_path / "bad.json"
    if layout == "json":
        path.write_bytes(b"\xff\xfe{")
    else:
        files = {name: text.encode("utf-8") for name, text in csv_files(doc).items()}
        files["notes.csv"] += b"2026-09-01,caf\xe9\n"
        path = tmp_path / ("bad.zip" if layout == "csv zip" else "bad")
        if layout == "csv zip":
            with zipfile.ZipFile(path, "w") as archive:
                for name, data in files.items():
                    archive.writestr(name, data)
        else:
            path.mkdir()
            for name, data in files.items():
                (path / name).write_bytes(data)
    other = make_database_url()
    out = CliRunner().invoke(cli, ["import", str(path), "--db", other])
    assert out.exit_code == 2, out.output
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("magwise: error: file: ")
    assert lines[0].endswith("an export is UTF-8 encoded text")
    with Store.open(other) as store:
        assert sum(store.counts(store.local_person()).values()) == 0


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    url = database_url
    monkeypatch.setenv("MAGWISE_DATABASE_URL", url)
    with Store.open(url) as store:
        _fill(store)
    return url


def test_export_and_import_commands(
    db: str, make_database_url: Callable[[], str], tmp_path: Path
) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--format", "json", "--out", str(tmp_path / "e.json")])
    assert out.exit_code == 0, out.output
    assert "Exported 22 entries and 2 profile versions" in out.stdout
    doc = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert doc["format"] == "magwise-export"
    out = runner.invoke(cli, ["export", "--format", "csv", "--out", str(tmp_path / "e.zip")])
    assert out.exit_code == 0, out.output
    other = make_database_url()
    out = runner.invoke(cli, ["import", str(tmp_path / "e.zip"), "--db", other])
    assert out.exit_code == 0, out.output
    assert "Imported 22 entries" in out.stdout
    refused = runner.invoke(cli, ["import", str(tmp_path / "e.json"), "--db", other])
    assert refused.exit_code == 2
    assert "--replace" in refused.stderr
    out = runner.invoke(cli, ["import", str(tmp_path / "e.json"), "--db", other, "--replace"])
    assert out.exit_code == 0, out.output


def test_one_of_a_kind_is_counted_in_the_singular(
    make_database_url: Callable[[], str], tmp_path: Path
) -> None:
    url = make_database_url()
    runner = CliRunner()
    for args in (["profile", "set", "--sex", "female", "--age", "34"], ["log", "note", "hi"]):
        assert runner.invoke(cli, [*args, "--db", url]).exit_code == 0
    out = runner.invoke(cli, ["export", "--out", str(tmp_path / "e.json"), "--db", url])
    assert out.exit_code == 0, out.output
    assert "Exported 1 entry and 1 profile version to" in out.stdout
    out = runner.invoke(cli, ["import", str(tmp_path / "e.json"), "--db", make_database_url()])
    assert "Imported 1 entry from" in out.stdout
    out = runner.invoke(cli, ["forget", "--db", url])
    assert "would delete all your data (1 note, 1 profile version)" in out.stderr


def test_import_refuses_a_file_that_is_not_an_export(db: str, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    out = CliRunner().invoke(cli, ["import", str(path)])
    assert out.exit_code == 2
    assert "is not valid JSON (line 1, column 2)" in out.stderr


def test_forget_without_yes_says_what_it_would_delete(db: str) -> None:
    out = CliRunner().invoke(cli, ["forget"])
    assert out.exit_code == 2
    assert "would delete all your data (6 foods, 3 supplements, 6 water entries" in out.stderr
    assert "magwise forget --yes" in out.stderr
    with Store.open(db) as store:
        assert store.counts(store.local_person())["food"] == 6


def test_forget_yes_deletes_everything(db: str) -> None:
    out = CliRunner().invoke(cli, ["forget", "--yes"])
    assert out.exit_code == 0, out.output
    assert "Deleted all your data" in out.stdout
    with Store.open(db) as store:
        me = store.local_person()
        assert all(n == 0 for n in store.counts(me).values())
        assert store.record(me).profiles == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["products"].append(dict(d["products"][0])),
            r"products\[\d\]\.name: .* is named twice",
        ),
        (lambda d: d["profiles"].append(dict(d["profiles"][0])), r"profiles\[2\]\.valid_from"),
    ],
    ids=["product twice", "profile day twice"],
)
def test_import_command_refuses_what_the_store_would_refuse(
    db: str, make_database_url: Callable[[], str], tmp_path: Path, change: Any, message: str
) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--format", "json", "--out", str(tmp_path / "e.json")])
    assert out.exit_code == 0, out.output
    doc = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    change(doc)
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    other = make_database_url()
    out = runner.invoke(cli, ["import", str(tmp_path / "bad.json"), "--db", other])
    assert out.exit_code == 2, out.output
    assert re.search(message, out.stderr), out.stderr
    assert "Traceback" not in out.output
    with Store.open(other) as store:
        assert sum(store.counts(store.local_person()).values()) == 0


def _first_trigger(doc: dict[str, Any]) -> dict[str, Any]:
    trigger: dict[str, Any] = doc["profiles"][0]["triggers"][0]
    return trigger


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["foods"][0].update(date="1700-01-01"), "foods[0].date"),
        (lambda d: d["notes"][0].update(date="0001-01-01"), "notes[0].date"),
        (lambda d: d["plans"][0].update(started="1899-12-31"), "plans[0].started"),
        (
            lambda d: d["profiles"][0].update(hair_loss_since="1800-01-01"),
            "profiles[0].hair_loss_since",
        ),
        (lambda d: _first_trigger(d).update(on="1899-12-31"), "profiles[0].triggers[0].on"),
        (lambda d: d["foods"][0].update(date="20260901"), "foods[0].date"),
        (lambda d: d["labs"][0].update(value=float("nan")), "labs[0].value"),
        (lambda d: d["water"][0].update(liters=float("inf")), "water[0].liters"),
        (lambda d: d["notes"][0].update(text="a\x00b"), "notes[0].text"),
        (lambda d: d["products"][0].update(name="x" * 201), "products[0].name"),
        (lambda d: d["person"].update(name="x" * 201), "person.name"),
        (lambda d: d["foods"][0].update(count=True), "foods[0].count"),
        (lambda d: d["foods"][0].pop("portion"), "foods[0].portion"),
        (
            lambda d: d["plans"][0].update(supplement_mg_per_day=100000),
            "plans[0].supplement_mg_per_day",
        ),
        (
            lambda d: d["plans"][0].update(supplement_mg_per_day=-5),
            "plans[0].supplement_mg_per_day",
        ),
        (lambda d: d["plans"][0].update(stopped="2020-01-01"), "plans[0].stopped"),
        (lambda d: d["labs"][0].update(range_low=1.2, range_high=0.7), "labs[0].range_low"),
    ],
)
def test_the_import_command_refuses_what_the_web_import_refuses(
    db: str, make_database_url: Callable[[], str], tmp_path: Path, change: Any, field: str
) -> None:

    from magwise.web import Settings, create_app

    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--format", "json", "--out", str(tmp_path / "e.json")])
    assert out.exit_code == 0, out.output
    doc = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    change(doc)
    text = json.dumps(doc)
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    web_db = make_database_url()
    with local_client(create_app(Settings(database_url=web_db, warm_up=False))) as client:
        answer = client.post(
            "/api/v1/me/import", content=text, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["field"] == field
    other = make_database_url()
    out = runner.invoke(cli, ["import", str(tmp_path / "bad.json"), "--db", other, "--replace"])
    assert out.exit_code == 2, out.output
    assert out.stderr.startswith(f"magwise: error: {field}: "), out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    for url in (web_db, other):
        with Store.open(url) as store:
            assert sum(store.counts(store.local_person()).values()) == 0


@pytest.mark.parametrize("option", ["--as-of", "--from"])
def test_progress_refuses_a_day_no_log_holds(db: str, option: str) -> None:
    out = CliRunner().invoke(cli, ["progress", option, "0001-01-01"])
    assert out.exit_code == 2
    assert out.stderr.strip() == (
        f"magwise: error: {option[2:]}: 0001-01-01 is out of range; "
        "accepted: 1900-01-01 to 2999-12-31"
    )
