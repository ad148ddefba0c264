"""What every engine shares: the inputs, the lookups, the people the rules need."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from magwise.cohort import _checks
from magwise.cohort import _lookups as lookups
from magwise.cohort._checks import MAPS, SCHEMAS
from magwise.cohort._lookups import SYMPTOM_FLAGS
from magwise.cohort._schema import Field, Schema
from magwise.cohort._tables import TableName
from magwise.knowledge import Knowledge

if TYPE_CHECKING:
    from magwise.advisor._context import FoodSource


@dataclass(frozen=True)
class Inputs:
    """The cohort's inputs; people and foods are required.

    Each is a Parquet or CSV file, a directory of parts or a glob, as a local
    path or a URL (see ``_start.find``).
    """

    people: str
    foods: str
    supplements: str | None = None
    water: str | None = None
    labs: str | None = None

    def files(self) -> dict[TableName, str]:
        given: dict[TableName, str | None] = {
            "people": self.people,
            "foods": self.foods,
            "supplements": self.supplements,
            "water": self.water,
            "labs": self.labs,
        }
        return {name: path for name, path in given.items() if path is not None}


BAD_ROWS_SCHEMA: Schema = tuple(
    Field(name, "BIGINT" if name == "row" else "VARCHAR")
    for name in ("file", "table", "row", "person_id", "column", "value", "reason")
)


class Maps:
    """Lookups from each distinct cell to what ``assess`` makes of it."""

    def __init__(self, kb: Knowledge, foods: FoodSource) -> None:
        self.foods = foods
        self.resolvers: dict[str, lookups.Resolver] = {
            "sex": lookups.sex_resolver,
            "conditions": lookups.condition_resolver(kb),
            "medications": lookups.medication_resolver(kb),
            "symptoms": lookups.symptom_resolver(kb),
            "food": lookups.food_resolver(foods),
            "form": lookups.form_resolver(kb),
            "unit": lookups.unit_resolver(kb),
            "test": lookups.test_resolver,
        }

    def wanted(
        self, types: dict[TableName, dict[str, str]]
    ) -> Iterator[tuple[TableName, str, str]]:
        for name, columns in types.items():
            for column, alias in MAPS[name]:
                if column in columns:
                    yield name, column, alias

    def resolve(self, alias: str, values: list[Any]) -> dict[str, np.ndarray[Any, Any]]:
        """The lookup of these cells as NumPy columns (see ``typed`` for their types)."""
        return lookups.resolve_all(values, self.resolvers[alias], SCHEMAS[alias])

    def typed(self, alias: str, relation: str) -> str:
        """A SELECT giving the columns of ``resolve`` read as ``relation`` their types."""
        return _checks.typed_lookup(alias, relation)


def people_sql(types: dict[str, str]) -> str:
    """The accepted people, with what the rules read of them."""
    pregnant = '"pregnant"' if "pregnant" in types else "false"
    lactating = '"lactating"' if "lactating" in types else "false"
    return f"""
        SELECT person_id, _row, sex_sex AS sex,
            CAST(CASE WHEN {pregnant} THEN 1 WHEN {lactating} THEN 2 ELSE 0 END AS TINYINT)
                AS state,
            age_years,
            coalesce(conditions_contraindicated, false) AS contraindicated,
            coalesce(conditions_kidney, false) AS kidney_condition,
            coalesce(medications_raises_mg, false) AS raises_mg,
            coalesce(medications_contains_mg, false) AS contains_mg,
            {", ".join(f"coalesce(symptoms_{f}, false) AS symptoms_{f}" for f in SYMPTOM_FLAGS)},
            _copies
        FROM people_checked WHERE _ok
    """
