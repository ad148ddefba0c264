"""The API against its own OpenAPI description: no 500s, answers match the schema.

Schema-valid input may still be refused: codes, foods and food groups are checked
against the knowledge base and the food database, which a JSON Schema cannot
express, so ``positive_data_acceptance`` is left out; every other check runs.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from magwise.web import Settings, create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(warm_up=False)))


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
