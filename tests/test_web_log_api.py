"""The log API (/api/v1/me): every endpoint, its errors, scoping to the person,
and the same results as the command line on the same store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.cli import cli
from magwise.foods import FoodIndex
from magwise.web import Settings, create_app
from magwise.web.people import Person, app_store, get_person

ME = "/api/v1/me"
FHIR = Path(__file__).parent / "data" / "fhir"
TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=3)
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(database_url: str, food_index: FoodIndex) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def _detail(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail"}
    detail = body["detail"][0]
    assert set(detail) == {"loc", "field", "msg", "type"}
    return dict(detail)


def _profile(client: TestClient, **extra: Any) -> None:
    body = {"sex": "female", "age_years": 34, "date": "2026-01-01", **extra}
    response = client.put(f"{ME}/profile", json=body)
    assert response.status_code == 200, response.text


def _log_everything(client: TestClient, day: dt.date = DAY) -> dict[str, int]:
    """One entry of every kind on ``day``; kind -> id."""
    on = day.isoformat()
    assert client.put(f"{ME}/products/Mag 150", json={"elemental_mg": 150}).status_code == 200
    assert client.put(f"{ME}/waters/Gerolsteiner", json={"mg_per_liter": 108}).status_code == 200
    bodies = {
        "food": {"ndb": "12014", "grams": 30},
        "supplement": {"product": "mag 150", "units": 2},
        "water": {"liters": 1.5, "water": "gerolsteiner"},
        "shedding": {"count": 80, "method": "daily"},
        "symptom": {"code": "cramps"},
        "lab": {"value": 0.72, "unit": "mmol/L", "range_low": 0.7, "range_high": 1.1},
        "note": {"text": "started a new shampoo"},
    }
    ids = {}
    for kind, body in bodies.items():
        response = client.post(f"{ME}/entries/{kind}", json={**body, "date": on})
        assert response.status_code == 201, response.text
        assert response.json()["kind"] == kind
        ids[kind] = response.json()["id"]
    return ids


# -- the profile -------------------------------------------------------------------


def test_profile_is_404_until_set_then_kept_in_versions(client: TestClient) -> None:
    assert _detail(client.get(f"{ME}/profile"), 404)["type"] == "not_found"
    _profile(client)
    changed = client.put(
        f"{ME}/profile",
        json={
            "date": "2026-03-01",
            "conditions": ["diabetes"],
            "hair_pattern": "diffuse",
            "triggers": [{"kind": "childbirth", "on": "2026-02-01"}],
        },
    )
    assert changed.status_code == 200
    assert changed.json()["stored"] is True
    version = changed.json()["version"]
    assert version["valid_from"] == "2026-03-01"
    assert version["conditions"] == ["type2_diabetes"]
    assert version["sex"] == "female"  # carried from the first version
    assert version["age_years"] > 34
    assert version["triggers"] == [{"kind": "childbirth", "on": "2026-02-01"}]
    same = client.put(f"{ME}/profile", json={"date": "2026-03-01", "hair_pattern": "diffuse"})
    assert same.json()["stored"] is False
    cleared = client.put(f"{ME}/profile", json={"date": "2026-04-01", "conditions": None})
    assert cleared.json()["version"]["conditions"] == []
    shown = client.get(f"{ME}/profile").json()
    assert [v["valid_from"] for v in shown["versions"]] == [
        "2026-01-01",
        "2026-03-01",
        "2026-04-01",
    ]
    assert shown["current"] == shown["versions"][-1]


@pytest.mark.parametrize(
    ("body", "loc", "says"),
    [
        ({"age_years": 34}, ["body", "sex"], "first profile needs sex and age_years"),
        ({"sex": "female", "age_years": 200}, ["body", "age_years"], "out of range"),
        ({"sex": "x", "age_years": 30}, ["body", "sex"], "female"),
        (
            {"sex": "female", "age_years": 30, "conditions": ["kidney_disease", "bogus"]},
            ["body", "conditions", 1],
            "unknown condition 'bogus'",
        ),
        (
            {"sex": "female", "age_years": 30, "triggers": [{"kind": "moonlight", "on": "2026"}]},
            ["body", "triggers", 0, "on"],
            "",
        ),
        (
            {"sex": "female", "age_years": 30, "triggers": [{"kind": "moon", "on": "2026-01-01"}]},
            ["body", "triggers", 0, "kind"],
            "unknown trigger",
        ),
        (
            {"sex": "male", "age_years": 30, "pregnant": True},
            ["body", "pregnant"],
            "pregnant and lactating apply to sex female only",
        ),
        (
            {"sex": "female", "age_years": 30, "pregnant": True, "lactating": True},
            ["body", "pregnant"],
            "choose one of pregnant or lactating, not both",
        ),
        ({"sex": "female", "age_years": 30, "date": "2999-01-01"}, ["body", "date"], "future"),
        (
            {"sex": "female", "age_years": 30, "hair_loss_since": "1900-01-01"},
            ["body", "hair_loss_since"],
            "1900-01-01 is more than 5200 weeks ago; accepted: ",
        ),
        (
            {"sex": "female", "age_years": 30, "hair_loss_since": "2999-01-01"},
            ["body", "hair_loss_since"],
            "in the future",
        ),
        (
            {
                "sex": "female",
                "age_years": 30,
                "triggers": [{"kind": "childbirth", "on": "2000-01-01"}],
            },
            ["body", "triggers", 0, "on"],
            "2000-01-01 is more than 520 weeks ago",
        ),
        ({"sex": "female", "age_years": 30, "colour": "red"}, ["body", "colour"], ""),
        ({"sex": "female", "age_years": 30, "standard": "who"}, ["body", "standard"], "dge"),
    ],
)
def test_profile_refuses_bad_input_naming_the_field(
    client: TestClient, body: dict[str, Any], loc: list[Any], says: str
) -> None:
    detail = _detail(client.put(f"{ME}/profile", json=body))
    assert detail["loc"] == loc
    assert says in detail["msg"]
    assert "--" not in detail["msg"]  # the API's field names, not the command line's options
    assert client.get(f"{ME}/profile").status_code == 404


# -- entries ------------------------------------------------------------------------


def test_entries_of_every_kind_are_logged_listed_shown_and_deleted(client: TestClient) -> None:
    ids = _log_everything(client)
    listed = client.get(f"{ME}/entries").json()
    assert [e["kind"] for e in listed] == list(ids)
    food = client.get(f"{ME}/entries/{ids['food']}").json()
    assert food["summary"] == (
        "food: 30 g Seeds, pumpkin and squash seed kernels, dried (NDB 12014)"
    )
    supplement = client.get(f"{ME}/entries/{ids['supplement']}").json()
    assert (supplement["product"], supplement["units"]) == ("Mag 150", 2)
    assert supplement["elemental_mg_per_unit"] == 150
    water = client.get(f"{ME}/entries/{ids['water']}").json()
    assert (water["name"], water["mg_per_liter"]) == ("Gerolsteiner", 108)
    assert client.get(f"{ME}/entries/{ids['symptom']}").json()["code"] == "muscle_cramps"
    assert client.get(f"{ME}/entries/{ids['lab']}").json()["test"] == "serum_magnesium"
    deleted = client.delete(f"{ME}/entries/{ids['note']}")
    assert deleted.status_code == 200
    assert deleted.json()["text"] == "started a new shampoo"
    assert _detail(client.get(f"{ME}/entries/{ids['note']}"), 404)["loc"] == [
        "path",
        "entry_id",
    ]
    assert _detail(client.delete(f"{ME}/entries/{ids['note']}"), 404)["type"] == "not_found"


def test_food_by_portion_and_supplement_by_form(client: TestClient) -> None:
    food = client.post(f"{ME}/entries/food", json={"ndb": "12061", "portion": "oz", "count": 2})
    assert food.status_code == 201
    assert (food.json()["portion"], food.json()["count"], food.json()["grams"]) == (
        "1 oz (23 whole kernels)",
        2,
        None,
    )
    assert food.json()["date"] == TODAY.isoformat()
    pill = client.post(f"{ME}/entries/supplement", json={"elemental_mg": 100, "form": "oxide"})
    assert pill.status_code == 201
    assert pill.json()["form"] == "oxide"
    assert pill.json()["product"]


def test_entries_are_filtered_and_ordered(client: TestClient) -> None:
    for day, text in [(DAY, "b"), (DAY - dt.timedelta(days=5), "a"), (DAY, "c")]:
        body = {"text": text, "date": day.isoformat()}
        assert client.post(f"{ME}/entries/note", json=body).status_code == 201
    client.post(f"{ME}/entries/water", json={"liters": 1, "mg_per_liter": 10})
    notes = client.get(f"{ME}/entries", params={"kind": "note"}).json()
    assert [n["text"] for n in notes] == ["a", "b", "c"]
    since = client.get(f"{ME}/entries", params={"from": DAY.isoformat()}).json()
    assert [e.get("text") for e in since] == ["b", "c", None]
    until = client.get(f"{ME}/entries", params={"to": DAY.isoformat(), "kind": ["water"]})
    assert until.json() == []
    both = client.get(f"{ME}/entries", params={"kind": ["water", "note"]}).json()
    assert len(both) == 4
    wrong = client.get(f"{ME}/entries", params={"from": TODAY.isoformat(), "to": DAY.isoformat()})
    assert _detail(wrong)["loc"] == ["query", "from"]
    assert _detail(client.get(f"{ME}/entries", params={"kind": "mood"}))["loc"] == [
        "query",
        "kind",
        0,
    ]


def test_undo_removes_the_entry_written_last(client: TestClient) -> None:
    assert _detail(client.post(f"{ME}/entries/undo"), 404)["type"] == "not_found"
    client.post(f"{ME}/entries/note", json={"text": "one"})
    client.post(f"{ME}/entries/note", json={"text": "two", "date": DAY.isoformat()})
    undone = client.post(f"{ME}/entries/undo")
    assert undone.status_code == 200
    assert undone.json()["text"] == "two"
    assert [e["text"] for e in client.get(f"{ME}/entries").json()] == ["one"]


@pytest.mark.parametrize(
    ("kind", "body", "loc", "says"),
    [
        ("food", {"ndb": "99999", "grams": 5}, ["body", "ndb"], "no SR28 food"),
        ("food", {"ndb": "12014"}, ["body", "grams"], "missing: give grams, or a portion"),
        ("food", {"ndb": "12014", "count": 2}, ["body", "grams"], "'1 oz'"),
        ("food", {"ndb": "12014", "grams": 5, "portion": "1 oz"}, ["body", "grams"], "not both"),
        ("food", {"ndb": "12014", "grams": -5}, ["body", "grams"], "out of range"),
        ("food", {"ndb": "12014", "portion": "bucket"}, ["body", "portion"], "'1 cup'"),
        ("food", {"ndb": "12014", "portion": "oz", "count": 0}, ["body", "count"], "more than 0"),
        ("food", {"ndb": "12014", "grams": "a lot"}, ["body", "grams"], ""),
        ("supplement", {"product": "Nope"}, ["body", "product"], "no product named 'Nope'"),
        ("supplement", {"elemental_mg": 100}, ["body", "product"], "form"),
        ("supplement", {"elemental_mg": 100, "form": "unobtainium"}, ["body", "form"], "citrate"),
        ("supplement", {"product": "x", "elemental_mg": 5, "units": 0}, ["body", "units"], ""),
        ("water", {"liters": 1}, ["body", "mg_per_liter"], "missing: give mg_per_liter"),
        ("water", {"liters": 1, "mg_per_liter": 5, "water": "x"}, ["body", "mg_per_liter"], "both"),
        ("water", {"liters": 100, "mg_per_liter": 5}, ["body", "liters"], "at most 20"),
        ("water", {"liters": 1, "water": "Evian"}, ["body", "water"], "none yet"),
        ("shedding", {"count": 80, "method": "guess"}, ["body", "method"], "comb"),
        ("shedding", {"count": -1}, ["body", "count"], "out of range"),
        ("symptom", {"code": "hiccups"}, ["body", "code"], "unknown symptom"),
        ("lab", {"value": 72, "unit": "mmol/L"}, ["body", "value"], "unit"),
        ("lab", {"value": 0.8, "unit": "furlongs"}, ["body", "unit"], "mmol/L"),
        ("lab", {"value": 0.8, "unit": "mmol/L", "test": "hair"}, ["body", "test"], "serum"),
        (
            "lab",
            {"value": 0.8, "unit": "mmol/L", "range_low": 1.1, "range_high": 0.7},
            ["body", "range_low"],
            "below range_high",
        ),
        ("note", {"text": "   "}, ["body", "text"], "empty"),
        ("note", {"text": "x", "date": "2999-01-01"}, ["body", "date"], "future"),
        ("note", {"text": "x", "date": "last week"}, ["body", "date"], ""),
        (
            "food",
            {"ndb": "12014", "grams": 30, "date": "0001-01-01"},
            ["body", "date"],
            "expected a date from 1900-01-01 to 2999-12-31",
        ),
        ("note", {"txt": "x"}, ["body", "text"], ""),
    ],
)
def test_a_bad_entry_is_a_422_naming_the_field_and_writes_nothing(
    client: TestClient, kind: str, body: dict[str, Any], loc: list[Any], says: str
) -> None:
    detail = _detail(client.post(f"{ME}/entries/{kind}", json=body))
    assert detail["loc"] == loc
    assert detail["field"] == loc[-1]
    assert says in detail["msg"]
    assert client.get(f"{ME}/entries").json() == []


@pytest.mark.parametrize("path", ["/plans", "/entries/food", "/entries/note", "/import"])
def test_a_missing_body_is_named_the_body(client: TestClient, path: str) -> None:
    detail = _detail(client.post(f"{ME}{path}"))
    assert (detail["loc"], detail["field"]) == (["body"], "body")
    assert detail["msg"] == "required: send a JSON body (application/json)"


def test_a_plan_stops_without_a_body(client: TestClient) -> None:
    assert _detail(client.post(f"{ME}/plans/stop"), 409)["msg"] == "no plan is running"
    assert client.post(f"{ME}/plans", json={"mg_per_day": 200}).status_code == 201
    stopped = client.post(f"{ME}/plans/stop")
    assert stopped.status_code == 200
    assert stopped.json()["stopped"] == TODAY.isoformat()


@pytest.mark.parametrize("dose", [100000, 1e300, 0, -5])
def test_a_plan_dose_out_of_bounds_is_a_422(client: TestClient, dose: float) -> None:
    detail = _detail(client.post(f"{ME}/plans", json={"mg_per_day": dose}))
    assert (detail["loc"], detail["field"]) == (["body", "mg_per_day"], "mg_per_day")
    assert detail["msg"].endswith("is out of range; accepted: more than 0 and at most 10000")
    assert client.get(f"{ME}/plans").json() == []


def test_an_entry_id_out_of_range_is_a_422(client: TestClient) -> None:
    assert _detail(client.get(f"{ME}/entries/0"))["loc"] == ["path", "entry_id"]
    assert _detail(client.get(f"{ME}/entries/{2**70}"))["loc"] == ["path", "entry_id"]


# -- one person's data is invisible to another ------------------------------------------


def test_another_persons_data_is_404_and_untouched(client: TestClient) -> None:
    app: Any = client.app
    store = app_store(app)
    me = store.local_person()
    other = store.add_person("other")
    theirs = store.add_note(other, DAY, "theirs")
    store.define_product(other, "Theirs", elemental_mg_per_unit=100)
    store.define_water(other, "Spring", mg_per_liter=50)
    store.start_plan(other, DAY, 200, "citrate")
    mine = client.post(f"{ME}/entries/note", json={"text": "mine"}).json()["id"]

    assert _detail(client.get(f"{ME}/entries/{theirs}"), 404) == _detail(
        client.get(f"{ME}/entries/{theirs + 100}"), 404
    ) | {"msg": f"no entry with id {theirs}"}
    assert _detail(client.delete(f"{ME}/entries/{theirs}"), 404)["type"] == "not_found"
    assert _detail(client.delete(f"{ME}/products/Theirs"), 404)["loc"] == ["path", "name"]
    assert _detail(client.delete(f"{ME}/waters/Spring"), 404)["loc"] == ["path", "name"]
    assert _detail(client.post(f"{ME}/plans/stop", json={}), 409)["type"] == "conflict"
    assert [e["text"] for e in client.get(f"{ME}/entries").json()] == ["mine"]
    assert client.get(f"{ME}/products").json() == []
    assert client.get(f"{ME}/plans").json() == []
    used = client.post(f"{ME}/entries/supplement", json={"product": "Theirs"})
    assert _detail(used)["loc"] == ["body", "product"]
    client.post(f"{ME}/entries/undo")  # removes mine, not theirs
    assert client.get(f"{ME}/entries").json() == []
    assert client.delete(ME).status_code == 200

    kept = store.record(other)
    assert [n.text for n in kept.notes] == ["theirs"]
    assert [p.name for p in store.products(other)] == ["Theirs"]
    assert store.waters(other) == {"Spring": 50}
    assert kept.plans[0].stopped is None

    # and the other way round: acting for the other person, mine is out of reach
    mine = store.add_note(me, DAY, "mine again")
    app.dependency_overrides[get_person] = lambda: Person(store, other)
    try:
        assert _detail(client.get(f"{ME}/entries/{mine}"), 404)["type"] == "not_found"
        assert [e["text"] for e in client.get(f"{ME}/entries").json()] == ["theirs"]
    finally:
        app.dependency_overrides.clear()
    assert [n.text for n in store.record(me).notes] == ["mine again"]


# -- products, waters, plans ---------------------------------------------------------------


def test_products_are_defined_replaced_listed_and_deleted(client: TestClient) -> None:
    made = client.put(f"{ME}/products/Citrate 150", json={"elemental_mg": 150, "form": "citrate"})
    assert made.json() == {
        "name": "Citrate 150",
        "elemental_mg_per_unit": 150,
        "form": "citrate",
        "replaced": False,
    }
    again = client.put(f"{ME}/products/citrate 150", json={"compound_mg": 1000, "form": "oxide"})
    assert again.json()["replaced"] is True
    assert again.json()["elemental_mg_per_unit"] == 603.0
    assert client.get(f"{ME}/products").json() == [
        {"name": "citrate 150", "elemental_mg_per_unit": 603.0, "form": "oxide"}
    ]
    assert client.delete(f"{ME}/products/CITRATE 150").json()["name"] == "citrate 150"
    assert client.get(f"{ME}/products").json() == []
    assert _detail(client.delete(f"{ME}/products/citrate 150"), 404)["type"] == "not_found"
    bad = client.put(f"{ME}/products/x", json={"compound_mg": 100})
    assert _detail(bad)["loc"] == ["body", "form"]
    assert _detail(client.put(f"{ME}/products/x", json={}))["loc"] == ["body", "elemental_mg"]
    assert _detail(client.put(f"{ME}/products/%20", json={"elemental_mg": 5}))["loc"] == [
        "path",
        "name",
    ]


def test_waters_are_named_listed_and_deleted(client: TestClient) -> None:
    assert client.put(f"{ME}/waters/Tap", json={"mg_per_liter": 12}).json()["replaced"] is False
    assert client.put(f"{ME}/waters/tap", json={"mg_per_liter": 14}).json()["replaced"] is True
    assert client.get(f"{ME}/waters").json() == [{"name": "tap", "mg_per_liter": 14}]
    bad = client.put(f"{ME}/waters/tap", json={"mg_per_liter": -1})
    assert _detail(bad)["loc"] == ["body", "mg_per_liter"]
    assert client.delete(f"{ME}/waters/TAP").json() == {"name": "tap", "mg_per_liter": 14}
    assert _detail(client.delete(f"{ME}/waters/tap"), 404)["type"] == "not_found"


def test_plans_start_and_stop(client: TestClient) -> None:
    assert _detail(client.post(f"{ME}/plans/stop", json={}), 409)["loc"] == ["me", "plans"]
    first = client.post(f"{ME}/plans", json={"mg_per_day": 200, "date": DAY.isoformat()})
    assert first.status_code == 201
    assert first.json()["form"] == "citrate"
    second = client.post(f"{ME}/plans", json={"mg_per_day": 150, "form": "glycinate"})
    assert second.json()["stopped"] is None
    plans = client.get(f"{ME}/plans").json()
    assert [p["stopped"] for p in plans] == [TODAY.isoformat(), None]
    early = client.post(f"{ME}/plans/stop", json={"date": DAY.isoformat()})
    assert _detail(early)["loc"] == ["body", "date"]
    stopped = client.post(f"{ME}/plans/stop", json={})
    assert stopped.json()["stopped"] == TODAY.isoformat()
    assert _detail(client.post(f"{ME}/plans", json={"mg_per_day": 0}))["loc"] == [
        "body",
        "mg_per_day",
    ]


# -- today ------------------------------------------------------------------------------------


def test_today_without_a_profile_lists_entries(client: TestClient) -> None:
    client.post(f"{ME}/entries/note", json={"text": "hi"})
    today = client.get(f"{ME}/today").json()
    assert today["profile_set"] is False
    assert today["intake"] is None
    assert [e["text"] for e in today["entries"]] == ["hi"]


def test_today_sums_intake_against_target_and_upper_limit(client: TestClient) -> None:
    _profile(client)
    client.post(f"{ME}/entries/supplement", json={"product": "Big", "elemental_mg": 400})
    client.post(f"{ME}/entries/water", json={"liters": 1, "mg_per_liter": 100})
    client.post(f"{ME}/entries/food", json={"ndb": "12014", "grams": 100})
    today = client.get(f"{ME}/today", params={"day": TODAY.isoformat()}).json()
    intake = today["intake"]
    assert intake["supplement_mg"] == 400
    assert intake["water_mg"] == 100
    assert intake["food_mg"] > 0
    assert intake["total_mg"] == pytest.approx(
        intake["food_mg"] + intake["water_mg"] + intake["supplement_mg"]
    )
    assert today["target_mg"] > 0
    assert today["to_go_mg"] == 0
    assert today["supplement_ul_mg"] < 400
    assert today["supplement_above_ul"] is True
    assert any(f["severity"] != "info" for f in today["findings"])
    other_day = client.get(f"{ME}/today", params={"day": DAY.isoformat()}).json()
    assert other_day["entries"] == []
    assert other_day["intake"]["total_mg"] == 0
    assert other_day["to_go_mg"] == other_day["target_mg"]


# -- progress and the report are the command line's ---------------------------------------------


def test_progress_is_the_cli_output(client: TestClient, database_url: str) -> None:
    assert _detail(client.get(f"{ME}/progress"), 409)["loc"] == ["me", "profile"]
    _profile(client)
    _log_everything(client)
    params = {"as_of": TODAY.isoformat(), "standard": "efsa"}
    response = client.get(f"{ME}/progress", params=params)
    assert response.status_code == 200
    out = CliRunner().invoke(
        cli,
        [
            "progress",
            "--json",
            "--db",
            database_url,
            "--as-of",
            TODAY.isoformat(),
            "--standard",
            "efsa",
        ],
    )
    assert out.exit_code == 0, out.output
    assert response.content == out.stdout_bytes
    assert _detail(client.get(f"{ME}/progress", params={"standard": "who"}))["loc"] == [
        "query",
        "standard",
    ]


def test_the_report_is_the_cli_report(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    _profile(client)
    _log_everything(client)
    html = client.get(f"{ME}/report", params={"to": TODAY.isoformat()})
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--db", database_url])
    assert result.exit_code == 0, result.output
    assert html.text == out.read_text(encoding="utf-8")
    pdf = client.get(f"{ME}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    backwards = client.get(f"{ME}/report", params={"from": TODAY.isoformat(), "to": "2026-01-01"})
    assert _detail(backwards)["loc"] == ["query", "from"]


# -- data: export, import, FHIR, forget ------------------------------------------------------------


def test_export_forget_import_round_trip(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    _profile(client, conditions=["kidney_disease"])
    _log_everything(client)
    client.post(f"{ME}/plans", json={"mg_per_day": 200, "date": DAY.isoformat()})
    exported = client.get(f"{ME}/export")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    out = tmp_path / "cli.json"
    cli_run = CliRunner().invoke(cli, ["export", "--out", str(out), "--db", database_url])
    assert cli_run.exit_code == 0, cli_run.output
    assert exported.content == out.read_bytes()

    forgotten = client.delete(ME)
    assert forgotten.status_code == 200
    assert forgotten.json() == {
        "food": 1,
        "supplement": 1,
        "water": 1,
        "shedding": 1,
        "symptom": 1,
        "lab": 1,
        "note": 1,
        "profiles": 1,
        "products": 1,
        "waters": 1,
        "plans": 1,
        "photos": 0,
        "own_foods": 0,
        "meals": 0,
    }
    assert client.get(f"{ME}/entries").json() == []
    assert client.get(f"{ME}/profile").status_code == 404
    assert client.delete(ME).json() == dict.fromkeys(forgotten.json(), 0)

    imported = client.post(f"{ME}/import", content=exported.content, headers=JSON)
    assert imported.status_code == 200, imported.text
    assert imported.json()["entries"] == 7
    assert imported.json()["counts"] == forgotten.json()
    assert client.get(f"{ME}/export").content == exported.content

    refused = client.post(f"{ME}/import", content=exported.content, headers=JSON)
    assert _detail(refused, 409)["loc"] == ["query", "replace"]
    replaced = client.post(
        f"{ME}/import", params={"replace": True}, content=exported.content, headers=JSON
    )
    assert replaced.status_code == 200
    assert client.get(f"{ME}/export").content == exported.content


def _export_doc(client: TestClient) -> dict[str, Any]:
    doc: dict[str, Any] = client.get(f"{ME}/export").json()
    return doc


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        (lambda d: d["foods"][0].update(grams="lots"), ["body", "foods", 0, "grams"]),
        (lambda d: d.update(format="csv"), ["body", "format"]),
        (lambda d: d["shedding"][0].update(count=10**12), ["body", "shedding", 0, "count"]),
        (
            lambda d: d["products"].append(dict(d["products"][0])),
            ["body", "products", 1, "name"],
        ),
        (lambda d: d["notes"][0].update(text="a\x00b"), ["body", "notes", 0, "text"]),
        (lambda d: d["products"][0].update(name="x" * 201), ["body", "products", 0, "name"]),
    ],
)
def test_a_bad_import_is_a_422_and_writes_nothing(
    client: TestClient, change: Any, loc: list[Any]
) -> None:
    _profile(client)
    _log_everything(client)
    before = client.get(f"{ME}/export").content
    doc = _export_doc(client)
    change(doc)
    response = client.post(f"{ME}/import", params={"replace": True}, json=doc)
    assert _detail(response)["loc"] == loc
    assert client.get(f"{ME}/export").content == before


@pytest.mark.parametrize(
    ("content", "loc", "says"),
    [
        (b"{not json", ["body", 1], "JSON decode error"),
        (b"[1, 2]", ["body"], "object"),
        (b'{"format": NaN}', ["body", "format"], "magwise-export"),
        (b"\x80", ["body"], "UTF-8"),
    ],
)
def test_an_import_that_is_not_an_export_is_a_422(
    client: TestClient, content: bytes, loc: list[Any], says: str
) -> None:
    client.post(f"{ME}/entries/note", json={"text": "kept"})
    detail = _detail(client.post(f"{ME}/import", content=content, headers=JSON))
    assert detail["loc"] == loc
    assert says in detail["msg"]
    assert [e["text"] for e in client.get(f"{ME}/entries").json()] == ["kept"]


def test_fhir_labs_are_imported_once(client: TestClient) -> None:
    bundle = (FHIR / "bundle-mixed.json").read_bytes()
    first = client.post(f"{ME}/labs/fhir", content=bundle)
    assert first.status_code == 200, first.text
    body = first.json()
    assert [(lab["date"], lab["value"], lab["unit"]) for lab in body["imported"]] == [
        ("2026-09-03", 18, "ng/mL"),
        ("2026-09-03", 1.7, "mg/dL"),
        ("2026-09-03", 2.1, "mIU/L"),
        ("2026-11-20", 1.62, "mEq/L"),
    ]
    assert (body["already_stored"], body["skipped"]) == (0, 1)
    again = client.post(f"{ME}/labs/fhir", content=bundle).json()
    assert (again["imported"], again["already_stored"]) == ([], 4)
    assert len(client.get(f"{ME}/entries", params={"kind": "lab"}).json()) == 4


def test_a_bad_fhir_file_is_a_422_and_writes_nothing(client: TestClient) -> None:
    detail = _detail(
        client.post(f"{ME}/labs/fhir", content=(FHIR / "wrong-unit.json").read_bytes())
    )
    assert detail["loc"][:2] == ["body", "entry"]
    assert detail["field"].startswith("entry[1]")
    assert client.get(f"{ME}/entries").json() == []
    assert _detail(client.post(f"{ME}/labs/fhir", content=b"[]"))["loc"] == ["body"]


# -- the contract ---------------------------------------------------------------------------------


def test_openapi_describes_the_log(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path, methods in {
        "/api/v1/me": {"delete"},
        "/api/v1/me/profile": {"get", "put"},
        "/api/v1/me/entries": {"get"},
        "/api/v1/me/entries/{entry_id}": {"get", "delete"},
        "/api/v1/me/entries/undo": {"post"},
        "/api/v1/me/products/{name}": {"put", "delete"},
        "/api/v1/me/waters/{name}": {"put", "delete"},
        "/api/v1/me/plans": {"get", "post"},
        "/api/v1/me/plans/stop": {"post"},
        "/api/v1/me/today": {"get"},
        "/api/v1/me/progress": {"get"},
        "/api/v1/me/report": {"get"},
        "/api/v1/me/report.pdf": {"get"},
        "/api/v1/me/export": {"get"},
        "/api/v1/me/import": {"post"},
        "/api/v1/me/labs/fhir": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["tags"] == ["log"]
    for kind in ("food", "supplement", "water", "shedding", "symptom", "lab", "note"):
        operation = paths[f"/api/v1/me/entries/{kind}"]["post"]
        assert set(operation["responses"]) == {"201", "401", "403", "422", "503", "507"}
    for path, methods in paths.items():
        if path == "/api/v1/me" or path.startswith("/api/v1/me/"):
            for method, operation in methods.items():
                # what server mode may answer instead: not signed in, no consent or CSRF token
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
    assert "404" in paths["/api/v1/me/entries/{entry_id}"]["delete"]["responses"]
    assert "409" in paths["/api/v1/me/import"]["post"]["responses"]
    assert "409" in paths["/api/v1/me/plans/stop"]["post"]["responses"]
    import_body = paths["/api/v1/me/import"]["post"]["requestBody"]["content"]
    assert import_body["application/json"]["schema"]["$ref"].endswith("/ImportDocument")
    schemas = document["components"]["schemas"]
    assert {"FoodIn", "ProfileIn", "Today", "Counts", "ExportDocument", "ImportDocument"} <= set(
        schemas
    )
    # only reading endpoints answer GET: everything that writes is POST, PUT or DELETE
    for path, operations in paths.items():
        if path.startswith("/api/v1/me") and "get" in operations:
            assert "requestBody" not in operations["get"], path


def test_export_matches_its_declared_schema(client: TestClient) -> None:
    from magwise.web.api.log_models import ExportDocument

    _profile(client, triggers=[{"kind": "childbirth", "on": "2026-01-01"}])
    _log_everything(client)
    document = json.loads(client.get(f"{ME}/export").content)
    assert ExportDocument.model_validate(document).model_dump(mode="json") == document


def test_methods_and_dates_are_answered_as_described(client: TestClient) -> None:
    wrong = client.get(f"{ME}/entries/food")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert client.request("PATCH", f"{ME}/profile").headers["allow"] == "GET, PUT"
    assert _detail(client.get(f"{ME}/today", params={"day": "0"}))["loc"] == ["query", "day"]
    early = client.get(f"{ME}/progress", params={"as_of": "0001-01-01"})
    assert _detail(early)["loc"] == ["query", "as_of"]
    stamp = client.post(f"{ME}/entries/note", json={"text": "x", "date": 1700000000})
    assert _detail(stamp)["loc"] == ["body", "date"]
    garbled = client.post(f"{ME}/entries/note", content=b"\x80", headers=JSON)
    assert _detail(garbled)["loc"] == ["body"]
