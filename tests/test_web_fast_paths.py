"""The assess and food-search answers given without FastAPI's per-request machinery
are, byte for byte and header for header, the answers of the declared routes; every
request they do not take plainly is the declared route's; and every guard applies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from _web import local_client
from magwise.examples import example_case_text
from magwise.web import Settings, create_app
from magwise.web.api.fast import FastPaths, search_params
from magwise.web.guard import local_token

SEVEN_DAYS = json.dumps(
    {
        "version": 1,
        "profile": {"sex": "female", "age_years": 34, "medications": ["levothyroxine"]},
        "days": [
            {
                "date": f"2026-11-{day + 1:02d}",
                "foods": [{"food": "12061", "grams": 40}, {"food": "11457", "grams": 90}],
                "supplements": [{"form": "citrate", "elemental_mg": 100}],
                "water": [{"liters": 1.5, "mg_per_liter": 20}],
            }
            for day in range(7)
        ],
        "labs": [{"test": "serum_magnesium", "value": 0.72, "unit": "mmol/L"}],
    }
)

CASES: list[bytes] = [
    example_case_text().encode(),
    SEVEN_DAYS.encode(),
    SEVEN_DAYS.replace('"12061"', '"99999"').encode(),  # an unknown food
    SEVEN_DAYS.replace('"citrate"', '"unobtainium"').encode(),
    b'{"version": 1, "profile": {"sex": "female", "age_years": "34"}, "days": []}',
    b"[1, 2",
    b"",
    b"\xff\xfe not UTF-8",
    b"[" * 500 + b"]" * 500,
    "{\ufeff}".encode(),
]
ASSESS_QUERIES = ["", "standard=efsa", "standard=nih", "standard=bogus", "standard=", "x=1"]
SEARCHES = [
    "q=almonds",
    "q=pumpkin+seeds&limit=3",
    "q=K%C3%BCrbiskerne&lang=de",
    "q=hemp%20seeds&lang=en&limit=100",
    "q=zzzzqqq",
    "q=1",
    "q=" + "a" * 200,
    "q=" + "a" * 201,
    "q=",
    "",
    "q=milk&limit=0",
    "q=milk&limit=101",
    "q=milk&limit=010",
    "q=milk&limit=abc",
    "q=milk&limit=+5",
    "q=milk&lang=fr",
    "q=milk&q=tofu",
    "q=milk&limit=5&limit=6",
    "q=milk&other=1",
    "q=%00",
]


def _app(fast: bool) -> Any:
    app = create_app(Settings())
    if not fast:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not FastPaths]
    return app


@pytest.fixture(scope="module")
def clients(data_dir: Path) -> Iterator[tuple[TestClient, TestClient]]:
    fast_app, slow_app = _app(True), _app(False)
    assert any(m.cls is FastPaths for m in fast_app.user_middleware)
    with local_client(fast_app) as fast, local_client(slow_app) as slow:
        slow.headers["X-CSRF-Token"] = local_token(slow_app)
        yield fast, slow


def _same(fast: Any, slow: Any) -> None:
    assert fast.status_code == slow.status_code
    assert fast.content == slow.content
    assert fast.headers == slow.headers


@pytest.mark.parametrize("query", ASSESS_QUERIES)
@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_assess_answers_as_the_declared_route(
    clients: tuple[TestClient, TestClient], case: bytes, query: str
) -> None:
    fast, slow = clients
    headers = {"content-type": "application/json"}
    url = f"/api/v1/assess?{query}"
    _same(
        fast.post(url, content=case, headers=headers), slow.post(url, content=case, headers=headers)
    )


def test_valid_requests_are_answered_by_the_fast_path(
    clients: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, _ = clients
    taken: list[str] = []
    for name in ("_assess", "_search"):
        work = getattr(FastPaths, name)

        async def spy(*args: Any, work: Any = work, name: str = name) -> Any:
            taken.append(name)
            return await work(*args)

        monkeypatch.setattr(FastPaths, name, staticmethod(spy))
    answer = fast.post("/api/v1/assess", content=SEVEN_DAYS)
    assert answer.status_code == 200
    assert answer.json()["intake"]["days"] == 7
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    assert fast.get("/api/v1/foods?q=milk&limit=2").status_code == 200
    assert fast.get("/api/v1/foods?q=milk&limit=0").status_code == 422  # FastAPI's answer
    assert taken == ["_assess", "_search"]


@pytest.mark.parametrize("query", SEARCHES)
def test_search_answers_as_the_declared_route(
    clients: tuple[TestClient, TestClient], query: str
) -> None:
    fast, slow = clients
    _same(fast.get(f"/api/v1/foods?{query}"), slow.get(f"/api/v1/foods?{query}"))


def test_only_plainly_valid_searches_take_the_fast_path() -> None:
    assert search_params(b"q=almonds") == ("almonds", 10, "en")
    assert search_params(b"q=K%C3%BCrbis&limit=100&lang=de") == ("Kürbis", 100, "de")
    for refused in (b"", b"q=", b"q=a&limit=0", b"q=a&limit=101", b"q=a&limit=07", b"q=a&q=b"):
        assert search_params(refused) is None
    assert search_params(b"q=a&lang=fr") is None
    assert search_params(b"q=a&kind=own") is None  # a parameter FastAPI's route may gain


def test_the_guards_still_apply(clients: tuple[TestClient, TestClient]) -> None:
    fast, _ = clients
    no_token = fast.post("/api/v1/assess", content=SEVEN_DAYS, headers={"X-CSRF-Token": "wrong"})
    assert no_token.status_code == 403
    other_site = fast.post(
        "/api/v1/assess", content=SEVEN_DAYS, headers={"Origin": "https://evil.example"}
    )
    assert other_site.status_code == 403
    rebound = fast.get("/api/v1/foods?q=milk", headers={"Host": "evil.example:8000"})
    assert rebound.status_code == 421
    too_large = fast.post("/api/v1/assess", content=b" " * (Settings().max_body_bytes + 1))
    assert too_large.status_code == 413
    assert fast.get("/api/v1/foods?q=milk").headers["x-frame-options"] == "DENY"


def test_the_fast_path_knows_the_declared_parameters(data_dir: Path) -> None:
    """If a route's parameters change, the fast path must change with them."""
    from magwise.web.api import fast

    document = create_app(Settings()).openapi()["paths"]
    search = {p["name"]: p["schema"] for p in document["/api/v1/foods"]["get"]["parameters"]}
    assert set(search) == fast._SEARCH_PARAMS
    assert (search["q"]["minLength"], search["q"]["maxLength"]) == (1, fast.MAX_QUERY_CHARS)
    assert (search["limit"]["minimum"], search["limit"]["maximum"]) == (1, fast.MAX_LIMIT)
    assert search["limit"]["default"] == fast.DEFAULT_LIMIT
    assert search["lang"]["enum"] == ["en", "de"] and search["lang"]["default"] == "en"
    assess = document["/api/v1/assess"]["post"]["parameters"]
    assert {p["name"] for p in assess} == fast._ASSESS_PARAMS
