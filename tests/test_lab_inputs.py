"""Labs as written through every input path: eGFR, creatinine and comparators.

FHIR -> store -> export (JSON, CSV) -> import -> the case ``assess`` reads; the
command line; the API; the Today form. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from tests._web import local_client

from magwise import load_knowledge
from magwise.case import parse_case
from magwise.cli import cli
from magwise.errors import InputError
from magwise.fhir import new_entries, read_labs
from magwise.progress.casefile import case_from_record
from magwise.record import LabEntry, PersonRecord, ProfileVersion
from magwise.store import Store
from magwise.store._case import case_for
from magwise.store._export import (
    _doc_from_csv,
    csv_files,
    export_data,
    import_data,
    parse_export,
)
from magwise.store._inputs import parse_lab_value
from magwise.web import Settings, create_app

KB = load_knowledge()
TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=2)
ME = "/api/v1/me"
COMPARATORS = [None, "<", "<=", ">", ">="]
#: (LOINC, test, spellings of units that fit the code, plausible values)
CODES = [
    ("2601-3", "serum_magnesium", ["mmol/L", "mmol/l"], (0.3, 2.5)),
    ("19123-9", "serum_magnesium", ["mg/dL", "mg/dl"], (0.8, 6.0)),
    ("33914-3", "egfr", ["mL/min/{1.73_m2}", "mL/min/1.73 m²"], (5.0, 140.0)),
    ("62238-1", "egfr", ["mL/min/1.73m2"], (5.0, 140.0)),
    ("98979-8", "egfr", ["mL/min/{1.73_m2}"], (5.0, 140.0)),
    ("2160-0", "creatinine", ["mg/dL"], (0.2, 12.0)),
    ("14682-9", "creatinine", ["umol/L", "µmol/L"], (20.0, 1000.0)),
]
CANONICAL = {"egfr": "mL/min/1.73 m²"}


def observation(
    loinc: str, value: float, unit: str, comparator: str | None, day: dt.date, *, ident: str = "x"
) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org"}
    if comparator is not None:
        quantity["comparator"] = comparator
    return {
        "resourceType": "Observation",
        "id": ident,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": day.isoformat(),
        "valueQuantity": quantity,
    }


def bundle(*observations: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": o} for o in observations],
    }


def person_record(labs: tuple[LabEntry, ...]) -> PersonRecord:
    profile = ProfileVersion(valid_from=DAY - dt.timedelta(days=400), sex="female", age_years=70)
    return PersonRecord(person_id=0, profiles=(profile,), labs=labs)


@st.composite
def observations(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[str, str, str | None, float]]:
    loinc, test, units, (low, high) = draw(st.sampled_from(CODES))
    value = round(draw(st.floats(low, high)), 2)
    comparator = draw(st.sampled_from(COMPARATORS))
    day = DAY - dt.timedelta(days=draw(st.integers(0, 300)))
    ident = f"o{draw(st.integers(0, 10**6))}"
    obs = observation(loinc, value, draw(st.sampled_from(units)), comparator, day, ident=ident)
    return obs, (test, loinc, comparator, value)


# ---- the whole path, without a database: hypothesis ------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(observations(), min_size=1, max_size=6))
def test_fhir_to_export_to_import_to_case_keeps_each_lab_as_written(
    drawn: list[tuple[dict[str, Any], tuple[str, str, str | None, float]]],
) -> None:
    found = read_labs(bundle(*(o for o, _ in drawn)))
    assert [(r.test, r.loinc, r.comparator, r.value) for r in found.results] == [
        want for _, want in drawn
    ]
    for result in found.results:
        assert KB.lab_unit(result.test, result.unit) is not None
        assert result.unit in KB.lab_unit_names(result.test)  # stored by its canonical name
    entries = new_entries(found, ())
    doc = {
        "format": "magwise-export",
        "version": 1,
        "person": {"name": "me"},
        **{k: [] for k in ("profiles", "products", "waters", "plans", "foods", "supplements")},
        **{k: [] for k in ("water", "shedding", "symptoms", "notes")},
    }
    doc["profiles"] = [
        {
            "valid_from": (DAY - dt.timedelta(days=400)).isoformat(),
            "sex": "female",
            "age_years": 70.0,
            "pregnant": False,
            "lactating": False,
            "standard": None,
            "conditions": [],
            "medications": [],
            "hair_pattern": None,
            "hair_loss_since": None,
            "family_history": None,
            "scalp": [],
            "triggers": [],
        }
    ]
    doc["labs"] = [
        {
            "date": e.day.isoformat(),
            "test": e.test,
            "value": e.value,
            "unit": e.unit,
            "range_low": None,
            "range_high": None,
            "comparator": e.comparator,
        }
        for e in entries
    ]
    _, from_json, _ = parse_export(json.loads(json.dumps(doc)))
    _, from_csv, _ = parse_export(_doc_from_csv(csv_files(doc), "export"))
    for record in (from_json, from_csv):
        assert [(e.day, e.test, e.comparator, e.value, e.unit) for e in record.labs] == [
            (e.day, e.test, e.comparator, e.value, e.unit) for e in entries
        ]
        case = parse_case(case_for(record, DAY - dt.timedelta(days=400), DAY))
        assert [(lab.test, lab.comparator, lab.value, lab.unit) for lab in case.labs] == [
            (e.test, e.comparator, e.value, e.unit) for e in entries
        ]


@given(
    comparator=st.sampled_from(["<", "<=", ">", ">=", "≤", "≥", ""]),
    value=st.decimals(min_value="0.01", max_value="999", places=2),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_a_written_value_reads_back_as_its_comparator_and_number(
    comparator: str, value: Any, spaces: str
) -> None:
    written = f"{comparator}{spaces}{value}"
    sign, number = parse_lab_value(written)
    assert number == float(value)
    assert sign == {"": None, "≤": "<=", "≥": ">="}.get(comparator, comparator)


# ---- FHIR ------------------------------------------------------------------------------


def test_fhir_reads_kidney_codes_and_honours_the_comparator() -> None:
    found = read_labs(
        bundle(
            observation("98979-8", 45, "mL/min/{1.73_m2}", None, DAY),
            observation("62238-1", 90, "mL/min/1.73m2", ">", DAY),
            observation("14682-9", 124, "umol/L", None, DAY),
            observation("2160-0", 1.4, "mg/dL", None, DAY),
            observation("2601-3", 0.5, "mmol/L", "<", DAY),
        )
    )
    shown = [(r.test, r.comparator, r.value, r.unit) for r in found.results]
    assert shown == [
        ("egfr", None, 45, "mL/min/1.73 m²"),
        ("egfr", ">", 90, "mL/min/1.73 m²"),
        ("creatinine", None, 124, "µmol/L"),
        ("creatinine", None, 1.4, "mg/dL"),
        ("serum_magnesium", "<", 0.5, "mmol/L"),
    ]
    assert found.skipped == 0


@pytest.mark.parametrize(
    ("obs", "field", "message"),
    [
        (
            observation("2601-3", 0.5, "mmol/L", "ad", DAY, ident="a"),
            "valueQuantity.comparator",
            "'ad'",
        ),
        (
            observation("2160-0", 124, "umol/L", None, DAY, ident="b"),
            "valueQuantity",
            "does not fit",
        ),
        (
            observation("33914-3", 45, "mmol/L", None, DAY, ident="c"),
            "valueQuantity",
            "not accepted",
        ),
    ],
)
def test_fhir_refuses_what_it_cannot_read_and_names_the_field(
    obs: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_labs(bundle(obs))
    assert caught.value.field.endswith(field), caught.value.field
    assert message in caught.value.message


# ---- the real store, export and import (SQLite and PostgreSQL) ---------------------------


def test_fhir_store_export_import_case_on_each_database(
    database_url: str, make_database_url: Callable[[], str], tmp_path: Path
) -> None:
    doc = bundle(
        observation("2601-3", 0.5, "mmol/L", "<", DAY, ident="mg"),
        observation("98979-8", 45, "mL/min/{1.73_m2}", None, DAY, ident="gfr"),
        observation("14682-9", 124, "umol/L", ">=", DAY, ident="crea"),
    )
    with Store.open(database_url) as store:
        me = store.local_person()
        store.set_profile(
            me, ProfileVersion(valid_from=DAY - dt.timedelta(days=30), sex="male", age_years=70)
        )
        found = read_labs(doc)
        store.add(me, *new_entries(found, store.record(me).labs))
        assert new_entries(found, store.record(me).labs) == []  # not stored twice
        assert store.counts(me)["lab"] == 3
        exported = export_data(store, me)
    written = [(r["test"], r["comparator"], r["value"], r["unit"]) for r in exported["labs"]]
    assert written == [
        ("serum_magnesium", "<", 0.5, "mmol/L"),
        ("egfr", None, 45, "mL/min/1.73 m²"),
        ("creatinine", ">=", 124, "µmol/L"),
    ]
    for source in (exported, _doc_from_csv(csv_files(exported), "export")):
        with Store.open(make_database_url()) as other:
            me2 = other.local_person()
            assert import_data(other, me2, json.loads(json.dumps(source)), replace=False) >= 3
            assert other.counts(me2)["lab"] == 3
            record = other.record(me2)
            case = case_from_record(record, TODAY, KB)
            labs = {(lab.test, lab.comparator, lab.value, lab.unit) for lab in case.labs}
            assert labs == set(written)


def test_an_export_written_before_comparators_still_imports(database_url: str) -> None:
    with Store.open(database_url) as store:
        me = store.local_person()
        store.set_profile(me, ProfileVersion(valid_from=DAY, sex="female", age_years=40))
        store.add_lab(me, DAY, 0.8, "mmol/L")
        doc = export_data(store, me)
    for row in doc["labs"]:
        del row["comparator"]
    _, record, _ = parse_export(doc)
    assert record.labs[0].comparator is None
    files = csv_files({**doc, "labs": [dict(r, comparator=None) for r in doc["labs"]]})
    header, *rows = files["labs.csv"].splitlines()
    files["labs.csv"] = "\n".join(
        [header.removesuffix(",comparator"), *(r.removesuffix(",") for r in rows)]
    )
    _, record, _ = parse_export(_doc_from_csv(files, "old"))
    assert (record.labs[0].value, record.labs[0].comparator) == (0.8, None)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"comparator": "~"}, "labs[0].comparator"),
        ({"test": "ldl"}, "labs[0].test"),
        ({"test": "egfr", "unit": "mmol/L"}, "labs[0].unit"),
    ],
)
def test_an_import_refuses_an_unknown_lab_with_the_field_named(
    row: dict[str, Any], field: str
) -> None:
    lab = {
        "date": DAY.isoformat(),
        "test": "serum_magnesium",
        "value": 0.8,
        "unit": "mmol/L",
        "range_low": None,
        "range_high": None,
        "comparator": None,
        **row,
    }
    doc: dict[str, Any] = {"format": "magwise-export", "version": 1, "person": {"name": "me"}}
    with pytest.raises(InputError) as caught:
        parse_export({**doc, "labs": [lab]})
    assert caught.value.field == field


# ---- the command line --------------------------------------------------------------------


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MAGWISE_DATABASE_URL", database_url)
    return database_url


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def labs_of(url: str) -> list[tuple[str, str | None, float, str]]:
    with Store.open(url) as store:
        labs = store.record(store.local_person()).labs
    return [(lab.test, lab.comparator, lab.value, lab.unit) for lab in labs]


@pytest.mark.parametrize(
    ("args", "stored", "said"),
    [
        (
            ["<0.5", "mmol/L"],
            ("serum_magnesium", "<", 0.5, "mmol/L"),
            "serum magnesium < 0.5 mmol/L",
        ),
        (["45", "egfr"], ("egfr", None, 45, "mL/min/1.73 m²"), "egfr 45 mL/min/1.73 m²"),
        ([">=90", "--test", "egfr"], ("egfr", ">=", 90, "mL/min/1.73 m²"), "egfr >= 90"),
        (["1.4", "mg/dL", "--test", "creatinine"], ("creatinine", None, 1.4, "mg/dL"), "1.4 mg/dL"),
        (["124", "umol/L", "--test", "creatinine"], ("creatinine", None, 124, "µmol/L"), "µmol/L"),
        (
            ["0.72", "mmol/L", "--test", "serum_magnesium"],
            ("serum_magnesium", None, 0.72, "mmol/L"),
            "0.72",
        ),
    ],
)
def test_log_lab_takes_new_tests_and_comparators(
    db: str, args: list[str], stored: tuple[Any, ...], said: str
) -> None:
    out = run("log", "lab", *args, "--date", DAY.isoformat())
    assert out.exit_code == 0, out.output
    assert said in out.stdout
    assert labs_of(db) == [stored]


def test_today_history_and_the_case_show_the_lab_as_written(db: str) -> None:
    assert run("log", "lab", "<0.5", "mmol/L").exit_code == 0
    assert run("log", "lab", "45", "egfr").exit_code == 0
    today = run("today")
    assert today.exit_code == 0, today.output
    assert "serum magnesium < 0.5 mmol/L" in today.stdout
    assert "egfr 45 mL/min/1.73 m²" in today.stdout
    history = run("history", "--days", "3")
    assert history.exit_code == 0, history.output
    assert "< 0.5 mmol/L" in history.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["~0.5", "mmol/L"], "value"),
        (["0.5", "mmol/L", "--test", "ldl"], "test"),
        (["45", "mmol/L", "--test", "egfr"], "unit"),
        (["1.4", "creatinine"], "unit"),
        (["1.4", "g/L", "--test", "creatinine"], "unit"),
        (["0", "egfr"], "value"),
    ],
)
def test_log_lab_refuses_with_one_line_naming_the_field(
    db: str, args: list[str], field: str
) -> None:
    out = run("log", "lab", *args)
    assert out.exit_code == 2, out.output
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{field}:" in lines[0], out.stderr
    assert labs_of(db) == []


# ---- the API and the Today form ----------------------------------------------------------


@pytest.fixture
def client(database_url: str, data_dir: Path) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def test_the_api_logs_exports_and_imports_labs_as_written(client: TestClient) -> None:
    answer = client.post(
        f"{ME}/entries/lab",
        json={"date": DAY.isoformat(), "value": 0.5, "unit": "mmol/L", "comparator": "<"},
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["test"], body["comparator"], body["value"]) == ("serum_magnesium", "<", 0.5)
    assert "< 0.5 mmol/L" in body["summary"]
    answer = client.post(
        f"{ME}/entries/lab",
        json={"date": DAY.isoformat(), "value": 45, "unit": "ml/min/1.73m2", "test": "egfr"},
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["unit"], answer.json()["comparator"]) == ("mL/min/1.73 m²", None)
    fhir = bundle(observation("14682-9", 124, "umol/L", ">", DAY, ident="crea"))
    imported = client.post(f"{ME}/labs/fhir", json=fhir)
    assert imported.status_code == 200, imported.text
    (lab,) = imported.json()["imported"]
    assert (lab["test"], lab["comparator"], lab["unit"]) == ("creatinine", ">", "µmol/L")
    exported = client.get(f"{ME}/export")
    assert exported.status_code == 200
    labs = [(r["test"], r["comparator"]) for r in exported.json()["labs"]]
    assert labs == [("serum_magnesium", "<"), ("egfr", None), ("creatinine", ">")]
    again = client.post(f"{ME}/import?replace=true", json=exported.json())
    assert again.status_code == 200, again.text
    assert client.get(f"{ME}/export").json()["labs"] == exported.json()["labs"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 0.5, "unit": "mmol/L", "comparator": "~"}, "comparator"),
        ({"value": 0.5, "unit": "mmol/L", "test": "ldl"}, "test"),
        ({"value": 45, "unit": "mmol/L", "test": "egfr"}, "unit"),
        ({"value": 1.4, "unit": "g/L", "test": "creatinine"}, "unit"),
    ],
)
def test_the_api_refuses_unknown_labs_with_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    answer = client.post(f"{ME}/entries/lab", json=body)
    assert answer.status_code == 422, answer.text
    (detail,) = answer.json()["detail"]
    assert detail["field"].endswith(field), detail


def test_the_today_form_logs_kidney_results_and_comparators(
    client: TestClient, database_url: str
) -> None:
    page = client.get("/today")
    assert 'name="lab_test"' in page.text and "mL/min/1.73 m²" in page.text
    form = {"lab_test": "serum_magnesium", "lab_value": "< 0,5", "lab_unit": "mmol/L"}
    assert client.post("/today/lab", data=form).status_code in (200, 303)
    form = {"lab_test": "egfr", "lab_value": "45", "lab_unit": "mL/min/1.73 m²"}
    assert client.post("/today/lab", data=form).status_code in (200, 303)
    html = client.get("/today").text
    assert "serum magnesium &lt; 0.5 mmol/L" in html
    assert "eGFR 45 mL/min/1.73 m²" in html
    bad = client.post("/today/lab", data={"lab_test": "ldl", "lab_value": "1", "lab_unit": "mg/dL"})
    assert bad.status_code == 422
    assert "<strong>Test</strong>: &#39;ldl&#39; is not a lab test" in bad.text  # its label
    assert labs_of(database_url) == [
        ("serum_magnesium", "<", 0.5, "mmol/L"),
        ("egfr", None, 45, "mL/min/1.73 m²"),
    ]


# ---- where a lab is shown: the report and the progress page --------------------------------


def test_the_report_shows_labs_as_written_and_judges_only_what_the_comparator_decides() -> None:
    from magwise.report.context import _labs

    record = person_record(
        (
            LabEntry(0, DAY, "serum_magnesium", 0.5, "mmol/L", comparator="<"),
            LabEntry(0, DAY, "serum_magnesium", 0.6, "mmol/L", comparator=">"),
            LabEntry(0, DAY, "serum_magnesium", 0.72, "mmol/L"),
            LabEntry(0, DAY, "egfr", 45, "mL/min/1.73 m²"),
        )
    )
    rows, chart = _labs(record, KB, DAY - dt.timedelta(days=7), DAY)
    shown = [(r["test"], r["value"], r["mmol"], r["judged"]) for r in rows]
    assert shown == [
        ("serum magnesium", "< 0.5 mmol/L", "< 0.50", "below range"),
        ("serum magnesium", "> 0.6 mmol/L", "> 0.60", ""),  # could be in range or above
        ("serum magnesium", "0.72 mmol/L", "0.72", "below range"),
        ("eGFR", "45 mL/min/1.73 m²", None, ""),
    ]
    assert chart is not None  # the one exact serum value is charted


def test_a_value_written_below_a_bound_is_not_taken_for_a_high_one(food_index: Any) -> None:
    from magwise.progress import progress

    high = KB.serum.thresholds.high_above.value
    for comparator, flagged in (("<", False), (None, True), (">", True)):
        lab = LabEntry(0, DAY, "serum_magnesium", high + 0.5, "mmol/L", comparator=comparator)
        found = progress(person_record((lab,)), today=TODAY, knowledge=KB)
        text = json.dumps(found.model_dump(mode="json"))
        assert ("progress_serum_high" in text) is flagged, comparator
