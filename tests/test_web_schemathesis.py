"""The API against its own OpenAPI description: no 500s, answers match the schema.

Schema-valid input may still be refused: codes, foods and food groups are checked
against the knowledge base and the food database, which a JSON Schema cannot
express, so ``positive_data_acceptance`` is left out; every other check runs.
The log endpoints (``/api/v1/me``) write to a store of their own, an empty one
for each operation, on every database the ``database_url`` fixture offers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from magwise.store import Store
from magwise.web import Settings, create_app
from magwise.web.guard import local_token
from magwise.web.people import close_store

# local mode answers only to the names it serves: here the test client's own
app = create_app(Settings(host="testserver", port=80, warm_up=False))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
TOKEN = {"X-CSRF-Token": local_token(app)}


@pytest.fixture(autouse=True)
def store(database_url: str) -> Iterator[None]:
    """The app's store: an empty database for each operation."""
    app.state.store = Store.open(database_url, driver="sqlalchemy")
    yield
    close_store(app)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=TOKEN, excluded_checks=[positive_data_acceptance])
