"""The OpenAPI description gives each number's accepted range, from ``magwise.bounds``.

A client (or a fuzzer) that keeps to the schema is then not refused for a number
out of range: the schema's maximum is accepted, one step above it is a 422
naming the field, and the two agree for every number of the log's API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise import bounds
from magwise.web import Settings, create_app

# (method, path, body at the limit, the field, its schema's model, minimum kind, maximum)
CASES: list[tuple[str, str, dict[str, Any], str, str, str, float]] = [
    ("post", "/api/v1/me/entries/food", {"ndb": "12061"}, "grams", "FoodIn",
     "exclusiveMinimum", bounds.MAX_GRAMS),
    ("post", "/api/v1/me/entries/food", {"ndb": "12061", "portion": "1 oz"}, "count", "FoodIn",
     "exclusiveMinimum", bounds.MAX_COUNT),
    ("post", "/api/v1/me/entries/supplement", {"elemental_mg": 100, "form": "citrate"}, "units",
     "SupplementIn", "exclusiveMinimum", bounds.MAX_COUNT),
    ("post", "/api/v1/me/entries/supplement", {"form": "citrate"}, "elemental_mg",
     "SupplementIn", "minimum", bounds.MAX_ELEMENTAL_MG),
    ("post", "/api/v1/me/entries/water", {"mg_per_liter": 10}, "liters", "WaterIn",
     "exclusiveMinimum", bounds.MAX_LITERS),
    ("post", "/api/v1/me/entries/water", {"liters": 1}, "mg_per_liter", "WaterIn",
     "minimum", bounds.MAX_MG_PER_LITER),
    ("post", "/api/v1/me/entries/shedding", {}, "count", "SheddingIn",
     "minimum", bounds.MAX_SHEDDING),
    ("post", "/api/v1/me/entries/lab", {"value": 0.8, "unit": "mmol/L", "range_low": 0},
     "range_high", "LabIn", "minimum", bounds.MAX_ELEMENTAL_MG),
    ("put", "/api/v1/me/products/Big", {}, "elemental_mg", "ProductIn",
     "minimum", bounds.MAX_ELEMENTAL_MG),
    ("put", "/api/v1/me/waters/Spring", {}, "mg_per_liter", "WaterNameIn",
     "minimum", bounds.MAX_MG_PER_LITER),
    ("post", "/api/v1/me/plans", {}, "mg_per_day", "PlanIn",
     "exclusiveMinimum", bounds.MAX_PLAN_MG_PER_DAY),
    ("put", "/api/v1/me/profile", {"sex": "female"}, "age_years", "ProfileIn",
     "minimum", bounds.MAX_AGE_YEARS),
]  # fmt: skip


@pytest.fixture
def client(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        client.put("/api/v1/me/profile", json={"sex": "female", "age_years": 34})
        yield client


@pytest.fixture
def schemas(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/openapi.json").json()["components"]["schemas"]
    return found


def _property(schemas: dict[str, Any], model: str, field: str) -> dict[str, Any]:
    found: dict[str, Any] = schemas[model]["properties"][field]
    return found


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "model", "low", "high"),
    CASES,
    ids=[f"{case[4]}.{case[3]}" for case in CASES],
)
def test_the_schema_range_is_what_the_endpoint_accepts(  # noqa: PLR0917
    client: TestClient,
    schemas: dict[str, Any],
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
    model: str,
    low: str,
    high: float,
) -> None:
    described = _property(schemas, model, field)
    assert described["maximum"] == high
    assert described[low] == 0
    at_limit = getattr(client, method)(path, json={**body, field: high})
    assert at_limit.status_code in (200, 201), at_limit.text
    above = high + 1
    refused = getattr(client, method)(path, json={**body, field: above})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"].endswith(field)
    if low == "exclusiveMinimum":
        zero = getattr(client, method)(path, json={**body, field: 0})
        assert zero.status_code == 422
