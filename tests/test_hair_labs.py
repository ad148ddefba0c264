"""Ferritin, TSH, vitamin D and zinc as labs, and every lab's own reference range.

Units and conversions from the knowledge base; the command line, the API, the Today
form, FHIR, export and import (JSON and CSV) with one-sided ranges; the progress
result's labs beside the laboratory's range and magwise's judgement; revision 0008
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from starlette.testclient import TestClient
from tests._postgres import Server
from tests._web import local_client

from magwise.cli import cli
from magwise.errors import InputError
from magwise.fhir import read_labs
from magwise.foods import FoodIndex
from magwise.knowledge import HAIR_LAB_TESTS, LAB_TESTS, load_knowledge
from magwise.knowledge._models import LabUnit
from magwise.labs import against_range, judge, range_text, readings
from magwise.progress import progress
from magwise.record import LabEntry, PersonRecord, ProfileVersion
from magwise.store import Store
from magwise.store._db import make_engine
from magwise.store._export import _doc_from_csv, csv_files, export_data, import_data
from magwise.store._inputs import parse_range
from magwise.store._migrate import upgrade
from magwise.units import lab_to_canonical
from magwise.web import Settings, create_app

KB = load_knowledge()
TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=2)
ME = "/api/v1/me"


def lab(test: str, value: float, unit: str, comparator: str | None = None, **ends: Any) -> LabEntry:
    return LabEntry(0, DAY, test, value, unit, ends.get("low"), ends.get("high"), comparator)  # type: ignore[arg-type]


# ---- knowledge: units, conversions, codes -------------------------------------------------


def test_every_lab_the_hair_screen_recommends_can_be_recorded() -> None:
    assert set(KB.hair.screen.always_tests) == set(HAIR_LAB_TESTS)
    assert set(HAIR_LAB_TESTS) <= set(LAB_TESTS)
    for test in HAIR_LAB_TESTS:
        assert len(KB.lab_unit_names(test)) >= 2, test
        assert any(code.test == test for code in KB.lab_codes), test


@pytest.mark.parametrize(
    ("test", "unit", "value", "canonical"),
    [
        ("ferritin", "ng/mL", 35, 35),  # ng/mL = µg/L
        ("ferritin", "mcg/L", 35, 35),
        ("tsh", "µU/mL", 2.1, 2.1),  # µIU/mL = mIU/L
        ("tsh", "uIU/mL", 2.1, 2.1),
        ("vitamin_d", "nmol/L", 74.88, 30),  # 2.496 nmol/L per ng/mL
        ("zinc", "umol/L", 15.3, 100),  # 0.153 µmol/L per µg/dL
    ],
)
def test_units_convert_by_the_knowledge_base(
    test: str, unit: str, value: float, canonical: float
) -> None:
    assert lab_to_canonical(value, test, unit, KB) == pytest.approx(canonical)


UNITS = [u for u in KB.lab_units if u.test in HAIR_LAB_TESTS]


@given(
    unit_pair=st.tuples(st.sampled_from(UNITS), st.sampled_from(UNITS)).filter(
        lambda p: p[0].test == p[1].test
    ),
    value=st.floats(min_value=0.001, max_value=10_000),
)
def test_a_value_converted_there_and_back_is_the_same(
    unit_pair: tuple[LabUnit, LabUnit], value: float
) -> None:
    first, second = unit_pair
    canonical = lab_to_canonical(value, first.test, first.name, KB)
    there = canonical * second.per_canonical  # the value in the second unit
    assert lab_to_canonical(there, second.test, second.name, KB) == pytest.approx(canonical)
    assert there * first.per_canonical / second.per_canonical == pytest.approx(value)


@given(
    a=st.floats(min_value=0.001, max_value=5_000),
    b=st.floats(min_value=0.001, max_value=5_000),
    unit=st.sampled_from(UNITS),
)
def test_conversion_keeps_the_order_of_results(a: float, b: float, unit: LabUnit) -> None:
    low, high = sorted((a, b))
    assert lab_to_canonical(low, unit.test, unit.name, KB) <= lab_to_canonical(
        high, unit.test, unit.name, KB
    )


# ---- the lab's own range: reading and judging ------------------------------------------------


NUMBERS = st.decimals(min_value="0", max_value="9999", places=2)


@given(low=NUMBERS, high=NUMBERS)
def test_a_range_as_printed_reads_back(low: Any, high: Any) -> None:
    if low < high:
        assert parse_range(f"{low}-{high}") == (float(low), float(high))
        assert parse_range(f"{low} – {high}") == (float(low), float(high))
    else:
        with pytest.raises(InputError) as caught:
            parse_range(f"{low}-{high}")
        assert caught.value.field == "range"
    if high > 0:
        assert parse_range(f"<{high}") == (None, float(high))
        assert parse_range(f"≤ {high}") == (None, float(high))
    assert parse_range(f">{low}") == (float(low), None)


@pytest.mark.parametrize("written", ["abc", "5-", "-", "<", "1-2-3", "< -1", "0.7/1.1"])
def test_a_range_that_is_not_one_is_refused(written: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_range(written, "lab_range")
    assert caught.value.field == "lab_range"


@given(
    value=st.floats(min_value=0, max_value=1000),
    low=st.none() | st.floats(min_value=0, max_value=1000),
    high=st.none() | st.floats(min_value=0, max_value=1000),
)
def test_an_exact_value_is_within_the_range_exactly_when_between_its_ends(
    value: float, low: float | None, high: float | None
) -> None:
    verdict = against_range(value, None, low, high)
    if low is None and high is None:
        assert verdict is None
        return
    below = low is not None and value < low
    above = high is not None and value > high
    assert verdict == ("below" if below else "above" if above else "within")


@pytest.mark.parametrize(
    ("value", "comparator", "low", "high", "verdict"),
    [
        (0.5, "<", 0.7, 1.1, "below"),  # "< 0.5": below 0.7 whatever it is
        (0.9, "<", 0.7, 1.1, None),  # "< 0.9": could be either
        (0.7, "<", 0.7, 1.1, "below"),
        (0.7, "<=", 0.7, 1.1, None),
        (90, ">", None, 60, "above"),
        (60, ">=", None, 60, None),
        (4.0, "<", None, 4.2, "within"),  # "< 4.0" with the range "< 4.2"
        (35, ">", 30, None, "within"),
        (20, ">", 30, None, None),
    ],
)
def test_a_comparator_is_judged_only_where_it_decides(
    value: float, comparator: Any, low: float | None, high: float | None, verdict: str | None
) -> None:
    assert against_range(value, comparator, low, high) == verdict


@pytest.mark.parametrize(
    ("entry", "judged", "source"),
    [
        (lab("ferritin", 10, "ng/mL"), "low", "who_ferritin2020"),
        (lab("ferritin", 40, "µg/L"), "not_low", "who_ferritin2020"),
        (lab("ferritin", 20, "ng/mL", comparator="<"), None, None),  # below 15, or not
        (lab("ferritin", 15, "ng/mL", comparator="<"), "low", "who_ferritin2020"),
        (lab("vitamin_d", 25, "nmol/L"), "low", "iom2011_vitd"),  # 10 ng/mL
        (lab("vitamin_d", 75, "nmol/L"), "not_low", "iom2011_vitd"),
        (lab("serum_magnesium", 0.6, "mmol/L"), "low", "iom1997"),
        (lab("serum_magnesium", 0.9, "mmol/L"), "in_range", "iom1997"),
        (lab("tsh", 9.5, "mIU/L"), None, None),  # no threshold: recorded only
        (lab("zinc", 40, "µg/dL"), None, None),
    ],
)
def test_magwise_judges_only_by_a_sourced_threshold(
    entry: LabEntry, judged: str | None, source: str | None
) -> None:
    verdict, sources = judge(entry, KB)
    assert verdict == judged
    assert (source in sources) if source else sources == []


def test_the_range_as_printed() -> None:
    assert [range_text(0.7, 1.1), range_text(None, 4.2), range_text(30, None)] == [
        "0.7-1.1",
        "< 4.2",
        "> 30",
    ]
    assert range_text(None, None) == ""


# ---- FHIR -----------------------------------------------------------------------------------


def observation(
    loinc: str, value: float, unit: str, *, ranges: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"o-{loinc}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": DAY.isoformat(),
        "valueQuantity": {"value": value, "unit": unit},
    }
    if ranges is not None:
        obs["referenceRange"] = ranges
    return obs


def bundle(*observations: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "entry": [{"resource": o} for o in observations]}


def test_fhir_reads_the_hair_labs_with_their_reference_ranges() -> None:
    found = read_labs(
        bundle(
            observation("2276-4", 35, "ng/mL", ranges=[{"low": {"value": 13}}]),
            observation("20567-4", 35, "ug/L", ranges=[{"high": {"value": 150, "unit": "ng/mL"}}]),
            observation(
                "3016-3", 2.1, "uIU/mL", ranges=[{"low": {"value": 0.27}, "high": {"value": 4.2}}]
            ),
            observation("62292-8", 21, "ng/mL", ranges=[{"low": {"value": 75, "code": "nmol/L"}}]),
            observation("5763-5", 80, "ug/dL"),
        )
    )
    got = [(r.test, r.value, r.unit, r.range_low, r.range_high) for r in found.results]
    assert got == [
        ("ferritin", 35, "ng/mL", 13, None),
        ("ferritin", 35, "µg/L", None, 150),
        ("tsh", 2.1, "µIU/mL", 0.27, 4.2),
        ("vitamin_d", 21, "ng/mL", pytest.approx(30.0481, abs=1e-4), None),  # 75 nmol/L
        ("zinc", 80, "µg/dL", None, None),
    ]


@pytest.mark.parametrize(
    ("obs", "field", "says"),
    [
        (observation("62292-8", 50, "nmol/L"), "valueQuantity", "does not fit"),
        (observation("2276-4", 35, "mmol/L"), "valueQuantity", "not accepted"),
        (
            observation(
                "2276-4", 35, "ng/mL", ranges=[{"low": {"value": 150}, "high": {"value": 13}}]
            ),
            "referenceRange.low.value",
            "below",
        ),
        (
            observation("3016-3", 2, "mIU/L", ranges=[{"low": {"value": -1}}]),
            "referenceRange.low.value",
            "at least 0",
        ),
    ],
)
def test_fhir_refuses_what_it_cannot_read_naming_the_field(
    obs: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_labs(bundle(obs))
    assert caught.value.field.endswith(field), caught.value.field
    assert says in caught.value.message


# ---- the command line (SQLite and PostgreSQL) ---------------------------------------------


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MAGWISE_DATABASE_URL", database_url)
    return database_url


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def stored(url: str) -> list[tuple[str, float, str, float | None, float | None]]:
    with Store.open(url) as store:
        labs = store.record(store.local_person()).labs
    return [(x.test, x.value, x.unit, x.range_low, x.range_high) for x in labs]


def test_the_command_line_logs_hair_labs_with_their_ranges(db: str) -> None:
    for args, said in [
        (["35", "ferritin", "ng/mL", "--range", "13-150"], "ferritin 35 ng/mL (lab range 13-150)"),
        (["2.1", "mIU/L", "--test", "tsh", "--range", "0.27-4.2"], "tsh 2.1 mIU/L"),
        (["52", "nmol/L", "vitamin_d", "--range", ">50"], "(lab range > 50)"),
        (["80", "zinc", "ug/dL", "--range", "<120"], "zinc 80 µg/dL (lab range < 120)"),
        (["0.72", "mmol/L", "--range", "0.70-1.05"], "(lab range 0.7-1.05)"),
    ]:
        out = run("log", "lab", *args, "--date", DAY.isoformat())
        assert out.exit_code == 0, out.output
        assert said in out.stdout
    assert stored(db) == [
        ("ferritin", 35, "ng/mL", 13, 150),
        ("tsh", 2.1, "mIU/L", 0.27, 4.2),
        ("vitamin_d", 52, "nmol/L", 50, None),
        ("zinc", 80, "µg/dL", None, 120),
        ("serum_magnesium", 0.72, "mmol/L", 0.7, 1.05),
    ]
    today = run("today", "--date", DAY.isoformat())
    assert today.exit_code == 0, today.output
    assert "(lab range > 50)" in today.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["35", "ferritin"], "unit"),
        (["35", "ferritin", "mmol/L"], "unit"),
        (["35", "ferritin", "tsh"], "test"),
        (["35", "ng/mL", "--test", "iron"], "test"),
        (["35", "ferritin", "ng/mL", "--range", "150-13"], "range"),
        (["35", "ferritin", "ng/mL", "--range", "normal"], "range"),
        (["2", "tsh", "mIU/L", "--range", "<0"], "range"),
    ],
)
def test_bad_hair_lab_input_is_one_line_exit_2_and_nothing_written(
    db: str, args: list[str], field: str
) -> None:
    out = run("log", "lab", *args)
    assert out.exit_code == 2, out.output
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"magwise: error: {field}:"), out.stderr
    assert stored(db) == []


# ---- export and import, JSON and CSV (SQLite and PostgreSQL) -------------------------------


def test_labs_with_one_sided_ranges_survive_export_and_import(
    database_url: str, make_database_url: Callable[[], str]
) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add_lab(me, DAY, 35, "ng/mL", test="ferritin", range_low=13)
        store.add_lab(me, DAY, 2.1, "mIU/L", test="tsh", range_high=4.2)
        store.add_lab(me, DAY, 52, "nmol/L", test="vitamin_d", range_low=50, range_high=125)
        store.add_lab(me, DAY, 80, "µg/dL", test="zinc")
        store.add_lab(me, DAY, 45, "mL/min/1.73 m²", test="egfr", range_low=60)
        exported = export_data(store, me)
    want = [
        (r["test"], r["value"], r["unit"], r["range_low"], r["range_high"])
        for r in exported["labs"]
    ]
    assert want == [
        ("ferritin", 35, "ng/mL", 13, None),
        ("tsh", 2.1, "mIU/L", None, 4.2),
        ("vitamin_d", 52, "nmol/L", 50, 125),
        ("zinc", 80, "µg/dL", None, None),
        ("egfr", 45, "mL/min/1.73 m²", 60, None),
    ]
    for source in (exported, _doc_from_csv(csv_files(exported), "export")):
        url = make_database_url()
        with Store.open(url) as other:
            me2 = other.local_person()
            import_data(other, me2, json.loads(json.dumps(source)), replace=False)
        assert stored(url) == want


def test_the_store_refuses_a_range_that_is_not_one_before_writing(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        with pytest.raises(InputError) as caught:
            store.add_lab(me, DAY, 35, "ng/mL", test="ferritin", range_low=150, range_high=13)
        assert caught.value.field == "range_low"
        assert store.counts(me)["lab"] == 0


@pytest.mark.parametrize(
    ("ends", "field"),
    [
        ({"range_low": 150, "range_high": 13}, "labs[0].range_low"),
        ({"range_low": -1}, "labs[0].range_low"),
        ({"range_high": 0}, "labs[0].range_high"),
    ],
)
def test_an_import_refuses_a_range_that_is_not_one(
    database_url: str, ends: dict[str, float], field: str
) -> None:
    row = {"date": DAY.isoformat(), "test": "ferritin", "value": 35, "unit": "ng/mL"}
    row |= {"range_low": None, "range_high": None, "comparator": None, **ends}
    doc = {"format": "magwise-export", "version": 1, "person": {"name": "me"}, "labs": [row]}
    with Store.open(database_url) as store:
        me = store.local_person()
        with pytest.raises(InputError) as caught:
            import_data(store, me, doc, replace=False)
        assert caught.value.field == field
        assert store.counts(me)["lab"] == 0


# ---- the API and the Today form ------------------------------------------------------------


@pytest.fixture
def client(database_url: str, data_dir: Path) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def test_the_api_logs_a_hair_lab_with_one_end_of_its_range(client: TestClient) -> None:
    body = {"date": DAY.isoformat(), "value": 35, "unit": "ng/ml", "test": "ferritin"}
    answer = client.post(f"{ME}/entries/lab", json={**body, "range_low": 13})
    assert answer.status_code == 201, answer.text
    got = answer.json()
    assert (got["test"], got["unit"], got["range_low"], got["range_high"]) == (
        "ferritin",
        "ng/mL",
        13,
        None,
    )
    assert "> 13" in got["summary"]
    tsh = {"date": DAY.isoformat(), "value": 2.1, "unit": "µIU/mL", "test": "TSH"}
    answer = client.post(f"{ME}/entries/lab", json={**tsh, "range_high": 4.2})
    assert answer.status_code == 201, answer.text
    labs = client.get(f"{ME}/export").json()["labs"]
    assert [(r["test"], r["range_low"], r["range_high"]) for r in labs] == [
        ("ferritin", 13, None),
        ("tsh", None, 4.2),
    ]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"test": "ferritin", "unit": "mmol/L"}, "unit"),
        ({"test": "iron", "unit": "ng/mL"}, "test"),
        ({"test": "ferritin", "unit": "ng/mL", "range_low": -2}, "range_low"),
        ({"test": "ferritin", "unit": "ng/mL", "range_low": 150, "range_high": 13}, "range_low"),
        ({"test": "ferritin", "unit": "ng/mL", "range_high": "high"}, "range_high"),
    ],
)
def test_the_api_refuses_a_bad_hair_lab_with_422_naming_the_field(
    client: TestClient, extra: dict[str, Any], field: str
) -> None:
    answer = client.post(f"{ME}/entries/lab", json={"value": 35, **extra})
    assert answer.status_code == 422, answer.text
    (detail,) = answer.json()["detail"]
    assert detail["loc"][-1] == field, detail
    assert client.get(f"{ME}/entries", params={"kind": "lab"}).json() == []


def test_the_today_form_offers_the_hair_labs_and_shows_the_lab_range(client: TestClient) -> None:
    page = client.get("/today")
    assert 'value="ferritin"' in page.text and "nmol/L" in page.text and "µIU/mL" in page.text
    form = {"lab_test": "ferritin", "lab_value": "35", "lab_unit": "ng/mL", "lab_range": "> 30"}
    assert client.post("/today/lab", data=form).status_code in (200, 303)
    html = client.get("/today").text
    assert "ferritin 35 ng/mL (lab range &gt; 30)" in html
    german = client.get("/today?lang=de").text
    assert "Ferritin 35 ng/mL (Bereich des Labors &gt; 30)" in german
    shown = html.count("ferritin 35 ng/mL")
    bad = {"lab_test": "ferritin", "lab_value": "35", "lab_unit": "ng/mL", "lab_range": "30-"}
    answer = client.post("/today/lab", data=bad)
    assert answer.status_code == 422
    # the form's own label names the field, never the internal name
    assert "<strong>The lab&#39;s range</strong>: &#39;30-&#39; is not a range" in answer.text
    assert client.get("/today").text.count("ferritin 35 ng/mL") == shown  # nothing written


# ---- the progress result --------------------------------------------------------------------


def test_progress_lists_labs_beside_the_lab_range_and_magwise(food_index: FoodIndex) -> None:
    profile = ProfileVersion(valid_from=DAY - dt.timedelta(days=30), sex="female", age_years=34)
    labs = (
        LabEntry(1, DAY, "ferritin", 12, "ng/mL", 13, 150),
        LabEntry(2, DAY, "tsh", 2.1, "mIU/L", None, 4.2),
        LabEntry(3, DAY - dt.timedelta(days=1), "serum_magnesium", 0.72, "mmol/L", 0.66, 1.07),
    )
    result = progress(
        PersonRecord(0, (profile,), labs=labs), today=DAY, knowledge=KB, foods=food_index
    )
    got = [
        (r.test, r.range_low, r.range_high, r.against_lab_range, r.judged)
        for r in result.progress.labs
    ]
    assert got == [
        ("serum_magnesium", 0.66, 1.07, "within", "low"),  # 0.72 < 0.75 by magwise
        ("ferritin", 13, 150, "below", "low"),
        ("tsh", None, 4.2, "within", None),
    ]
    dumped = json.loads(result.model_dump_json())
    assert dumped["progress"]["labs"][1]["sources"] == ["who_ferritin2020"]
    assert readings(labs, KB, until=DAY - dt.timedelta(days=1))[0].test == "serum_magnesium"


def test_the_command_line_progress_lists_labs_beside_both_judgements(
    db: str, food_index: FoodIndex
) -> None:
    start = (DAY - dt.timedelta(days=10)).isoformat()
    assert run("profile", "set", "--sex", "female", "--age", "34", "--date", start).exit_code == 0
    assert run("log", "lab", "12", "ferritin", "ng/mL", "--range", "13-150").exit_code == 0
    assert run("log", "lab", "2.1", "tsh", "mIU/L", "--range", "<4.2").exit_code == 0
    out = run("progress")
    assert out.exit_code == 0, out.output
    rows = [" ".join(line.replace("│", " ").split()) for line in out.stdout.splitlines()]
    assert any("ferritin 12 ng/mL 13-150 ng/mL below low" in row for row in rows), out.stdout
    assert any(row.endswith("tsh 2.1 mIU/L < 4.2 mIU/L within") for row in rows), out.stdout


# ---- revision 0008 (SQLite and PostgreSQL) ------------------------------------------------


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, database_url: str) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        yield database_url
        return
    server: Server = request.getfixturevalue("postgres_server")
    name = server.empty_database()
    try:
        yield server.url(name)
    finally:
        server.drop(name)


def _lab_row(connection: Any, entry: int, low: float | None, high: float | None) -> None:
    connection.execute(
        text("INSERT INTO entries (id, person_id, day, kind) VALUES (:id, 1, :day, 'lab')"),
        {"id": entry, "day": DAY},
    )
    connection.execute(
        text(
            "INSERT INTO lab_entries (entry_id, person_id, test, value, unit, range_low, "
            "range_high) VALUES (:id, 1, 'ferritin', 35, 'ng/mL', :low, :high)"
        ),
        {"id": entry, "low": low, "high": high},
    )


def test_revision_8_clears_ranges_that_are_not_ranges_and_keeps_the_rest(empty_url: str) -> None:
    upgrade(empty_url, "0007")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO persons (id, name) VALUES (1, 'me')"))
            _lab_row(connection, 1, 1.1, 0.7)  # kept before such ranges were refused
            _lab_row(connection, 2, 13, None)
            _lab_row(connection, 3, 13, 150)
    finally:
        engine.dispose()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT entry_id, range_low, range_high FROM lab_entries ORDER BY entry_id")
            ).all()
            assert [tuple(r) for r in rows] == [(1, None, None), (2, 13, None), (3, 13, 150)]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _lab_row(connection, 4, 150, 13)
    finally:
        engine.dispose()
