"""The REST API: every endpoint, its error shapes, and the same bytes as the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.cli import cli
from magwise.examples import example_case_text
from magwise.web import Settings, create_app


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with local_client(create_app(Settings())) as client:
        yield client


def _case(**extra: Any) -> dict[str, Any]:
    return {"profile": {"sex": "female", "age_years": 30}, **extra}


def _detail(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"detail"}
    assert len(body["detail"]) >= 1
    detail = body["detail"][0]
    assert set(detail) == {"loc", "field", "msg", "type"}
    return dict(detail)


# -- assess --------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["--standard", "nih"]])
def test_assess_is_byte_for_byte_the_cli_output(
    client: TestClient, tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(example_case_text(), encoding="utf-8")
    cli_out = CliRunner().invoke(cli, ["assess", str(path), "--json", *args])
    assert cli_out.exit_code == 0, cli_out.output
    query = {"standard": args[1]} if args else {}
    response = client.post("/api/v1/assess", content=example_case_text(), params=query)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == cli_out.stdout_bytes


def test_assess_answers_a_minimal_case(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json=_case())
    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "unknown"
    assert result["disclaimer"]


@pytest.mark.parametrize(
    ("body", "loc", "field", "says"),
    [
        (
            _case(days=[{"date": "2026-01-01", "foods": [{"food": "12061", "grams": -5}]}]),
            ["body", "days", 0, "foods", 0, "grams"],
            "days[0].foods[0].grams",
            "accepted: a number at least",
        ),
        (
            _case(days=[{"date": "2026-01-01", "foods": [{"food": "99999", "grams": 5}]}]),
            ["body", "days", 0, "foods", 0, "food"],
            "days[0].foods[0].food",
            "99999",
        ),
        (_case(symptoms=["hiccups"]), ["body", "symptoms", 0], "symptoms[0]", "Accepted:"),
        ({"profile": {"sex": "x", "age_years": 3}}, ["body", "profile", "sex"], "profile.sex", ""),
        (_case(colour="blue"), ["body", "colour"], "colour", "not a field of the case file"),
        ([1, 2], ["body"], "body", "JSON object"),
    ],
)
def test_assess_bad_input_is_422_naming_the_field(
    client: TestClient, body: Any, loc: list[Any], field: str, says: str
) -> None:
    response = client.post("/api/v1/assess", json=body)
    assert response.status_code == 422
    detail = _detail(response)
    assert detail["loc"] == loc
    assert detail["field"] == field
    assert says in detail["msg"]


@pytest.mark.parametrize(
    ("content", "says"), [(b"{not json", "not valid JSON"), (b"\xff", "UTF-8")]
)
def test_assess_unreadable_body_is_422(client: TestClient, content: bytes, says: str) -> None:
    response = client.post("/api/v1/assess", content=content)
    assert response.status_code == 422
    assert says in _detail(response)["msg"]


def test_assess_unknown_standard_is_422_in_the_query(client: TestClient) -> None:
    response = client.post("/api/v1/assess", params={"standard": "who"}, json=_case())
    assert response.status_code == 422
    detail = _detail(response)
    assert detail["loc"] == ["query", "standard"]
    assert "dge, efsa, nih" in detail["msg"]


# -- foods ---------------------------------------------------------------------


def test_food_search(client: TestClient) -> None:
    response = client.get("/api/v1/foods", params={"q": "almonds", "limit": 3})
    assert response.status_code == 200
    hits = response.json()
    assert len(hits) == 3
    assert hits[0]["ndb"] == "12061"
    assert set(hits[0]) == {
        "ndb",
        "description",
        "group",
        "mg_per_100g",
        "kcal_per_100g",
        "own",
        "score",
        "name",
    }
    assert hits[0]["own"] is False


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"q": "   "}, ["query", "q"]),
        ({"q": ""}, ["query", "q"]),
        ({}, ["query", "q"]),
        ({"q": "oats", "limit": 0}, ["query", "limit"]),
    ],
)
def test_food_search_bad_input(client: TestClient, params: dict[str, Any], loc: list[Any]) -> None:
    response = client.get("/api/v1/foods", params=params)
    assert response.status_code == 422
    assert _detail(response)["loc"] == loc


def test_food_details_per_100g_100kcal_and_portion(client: TestClient) -> None:
    response = client.get("/api/v1/foods/12061")
    assert response.status_code == 200
    food = response.json()
    assert food["description"] == "Nuts, almonds"
    assert food["mg_per_100kcal"] == pytest.approx(
        food["mg_per_100g"] / food["kcal_per_100g"] * 100
    )
    ounce = next(p for p in food["portions"] if p["label"].startswith("1 oz"))
    assert ounce["mg"] == pytest.approx(food["mg_per_100g"] * ounce["grams"] / 100)


def test_food_details_matches_the_cli(client: TestClient) -> None:
    out = CliRunner().invoke(cli, ["foods", "show", "12061", "--json"])
    assert client.get("/api/v1/foods/12061").json() == json.loads(out.stdout)


def test_unknown_food_is_404_and_a_malformed_number_422(client: TestClient) -> None:
    missing = client.get("/api/v1/foods/99999")
    assert missing.status_code == 404
    assert _detail(missing)["loc"] == ["path", "ndb"]
    malformed = client.get("/api/v1/foods/almonds")
    assert malformed.status_code == 422
    assert "5-digit" in _detail(malformed)["msg"]


@pytest.mark.parametrize("per", ["100g", "100kcal", "portion"])
def test_food_ranking(client: TestClient, per: str) -> None:
    response = client.get("/api/v1/foods/top", params={"per": per, "limit": 5})
    assert response.status_code == 200
    ranked = response.json()
    assert len(ranked) == 5
    assert [r["mg"] for r in ranked] == sorted((r["mg"] for r in ranked), reverse=True)
    assert all(r["per"] == per for r in ranked)
    assert all((r["portion"] is not None) == (per == "portion") for r in ranked)


def test_food_ranking_by_group_and_unknown_group(client: TestClient) -> None:
    ranked = client.get("/api/v1/foods/top", params={"group": "nut and seed", "limit": 3}).json()
    assert {r["group"] for r in ranked} == {"Nut and Seed Products"}
    response = client.get("/api/v1/foods/top", params={"group": "moon rocks"})
    assert response.status_code == 422
    assert _detail(response)["loc"] == ["query", "group"]


# -- knowledge -----------------------------------------------------------------


def test_reference_matches_the_cli(client: TestClient) -> None:
    response = client.get("/api/v1/reference", params={"sex": "female", "age": 34})
    assert response.status_code == 200
    out = CliRunner().invoke(cli, ["reference", "--sex", "female", "--age", "34", "--json"])
    assert response.json() == json.loads(out.stdout)


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"sex": "male", "age": 30, "pregnant": True}, ["query", "pregnant"]),
        ({"sex": "female", "age": 30, "standard": "who"}, ["query", "standard"]),
        ({"sex": "female", "age": 200}, ["query", "age"]),
        ({"sex": "other", "age": 30}, ["query", "sex"]),
        ({"sex": "female"}, ["query", "age"]),
    ],
)
def test_reference_bad_input(client: TestClient, params: dict[str, Any], loc: list[Any]) -> None:
    response = client.get("/api/v1/reference", params=params)
    assert response.status_code == 422
    assert _detail(response)["loc"] == loc


def test_codes_match_the_cli(client: TestClient) -> None:
    out = CliRunner().invoke(cli, ["codes", "--json"])
    assert client.get("/api/v1/codes").json() == json.loads(out.stdout)
    units = client.get("/api/v1/codes", params={"kind": "units"}).json()
    assert list(units) == ["units"]
    bad = client.get("/api/v1/codes", params={"kind": "colours"})
    assert bad.status_code == 422
    assert "accepted: conditions" in _detail(bad)["msg"]


@pytest.mark.parametrize("which", ["case", "result"])
def test_schemas_match_the_cli(client: TestClient, which: str) -> None:
    out = CliRunner().invoke(cli, ["schema", which])
    assert client.get(f"/api/v1/schemas/{which}").json() == json.loads(out.stdout)


def test_unknown_schema_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/schemas/person")
    assert response.status_code == 422
    assert _detail(response)["loc"] == ["path", "which"]


def test_health(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}


# -- documentation -------------------------------------------------------------


def test_openapi_describes_every_endpoint_and_the_case_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    # the log (/api/v1/me) has its own tests: tests/test_web_log_api.py
    assert {path for path in paths if not path.startswith("/api/v1/me")} == {
        "/api/v1/health",
        "/api/v1/csrf",
        "/calendar/{token}.ics",
        "/api/v1/assess",
        "/api/v1/foods",
        "/api/v1/foods/top",
        "/api/v1/foods/{ndb}",
        "/api/v1/reference",
        "/api/v1/codes",
        "/api/v1/schemas/{which}",
    }
    assess = paths["/api/v1/assess"]["post"]
    body = assess["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Case"}
    assert "Case" in document["components"]["schemas"]
    ok = assess["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Result"}
    assert "422" in assess["responses"]
    assert "404" in paths["/api/v1/foods/{ndb}"]["get"]["responses"]


def test_docs_page_uses_no_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "swagger-ui-bundle.js" in page.text
    assert "//cdn" not in page.text and "https://" not in page.text
    assert client.get("/static/swagger-ui-5.35.0/swagger-ui-bundle.js").status_code == 200


def test_bad_input_no_route_located_is_still_422() -> None:
    from magwise.errors import InputError

    app = create_app(Settings(warm_up=False))

    @app.get("/api/raise")
    @app.get("/raise")
    async def raising() -> None:
        raise InputError("days[1].water", "no")

    response = local_client(app).get("/api/raise")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["days", 1, "water"]
    page = local_client(app).get("/raise")  # a page request: an error page, same status
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "<strong>days[1].water</strong>: no" in page.text


@pytest.mark.parametrize(
    "case",
    [
        _case(
            labs=[{"value": 0.5, "unit": "mmol/L", "comparator": "<"}],
            days=[{"date": "2026-11-02", "water": [{"liters": 1, "mg_per_liter": 100}]}],
        ),
        _case(labs=[{"test": "egfr", "value": 45, "unit": "mL/min/1.73 m²"}]),
        _case(days=[{"date": "2026-11-02", "supplements": [{"elemental_mg": 600}]}]),
    ],
    ids=["serum-below-bound", "egfr-45", "above-limit"],
)
def test_assess_action_is_the_same_in_the_cli_and_the_api(
    client: TestClient, tmp_path: Path, case: dict[str, Any]
) -> None:
    text = json.dumps(case)
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")
    cli_out = CliRunner().invoke(cli, ["assess", str(path), "--json"])
    assert cli_out.exit_code == 0, cli_out.output
    response = client.post("/api/v1/assess", content=text)
    assert response.status_code == 200
    assert response.content == cli_out.stdout_bytes
    assert json.loads(response.content)["action"] in {
        "urgent_care",
        "see_doctor",
        "lower_supplements",
    }
