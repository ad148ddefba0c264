"""The foods looked up and summed by person early, while the command imports the rest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import magwise.case
from magwise.cohort import _duckdb, _early, _start, assess_cohort
from magwise.cohort._tables import TABLES
from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.lab_tests import COMPARATORS

PEOPLE = [
    {"person_id": 1, "sex": "female", "age_years": 34.0, "pregnant": False},
    {"person_id": 2, "sex": "male", "age_years": 70.0, "pregnant": False},
    {"person_id": 3, "sex": "female", "age_years": 29.0, "pregnant": True},
]
FOODS = [
    {"person_id": 1, "date": "2026-01-01", "ndb": "11457", "grams": 100.0},
    {"person_id": 1, "date": "2026-01-02", "ndb": "12061", "grams": 30.0},
    {"person_id": 2, "date": "2026-01-01", "ndb": "12014", "grams": 28.0},
    {"person_id": 2, "date": "2026-01-01", "ndb": "99999", "grams": 28.0},  # no such food
    {"person_id": 3, "date": "2026-01-01", "ndb": "09040", "grams": -5.0},  # out of range
    {"person_id": 3, "date": "2026-01-03", "ndb": "1123", "grams": 50.0},  # "01123"
    {"person_id": 7, "date": "2026-01-01", "ndb": "16015", "grams": 172.0},  # not a person
    {"person_id": 3, "date": "2026-01-03", "ndb": "14555", "grams": None},  # missing
]
WATER = [{"person_id": 1, "date": "2026-01-02", "liters": 1.5, "mg_per_liter": 108.0}]


def _write(where: Path, rows: list[dict[str, Any]], name: str, parts: int = 1) -> Path:
    table = pa.Table.from_pylist(rows)
    if parts == 1:
        path = where / f"{name}.parquet"
        pq.write_table(table, path)
        return path
    folder = where / name
    folder.mkdir()
    size = -(-table.num_rows // parts)
    for part in range(parts):
        pq.write_table(table.slice(part * size, size), folder / f"part-{part}.parquet")
    return folder


def _cohort(where: Path, ids: str = "integer", parts: int = 1) -> dict[str, Path]:
    def cast(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if ids == "integer":
            return rows
        return [{**row, "person_id": f"p-{row['person_id']}"} for row in rows]

    return {
        "people": _write(where, cast(PEOPLE), "people"),
        "foods": _write(where, cast(FOODS), "foods", parts),
        "water": _write(where, cast(WATER), "water"),
    }


def _run(files: dict[str, Path], food_index: FoodIndex, early: bool) -> Any:
    if early:
        _start.begin(files["foods"], files["people"])
    return assess_cohort(
        files["people"], files["foods"], water=files["water"], food_index=food_index
    )


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each run took the early person sums."""
    seen: list[bool] = []
    days = _duckdb.DuckDBEngine._early_days

    def spy(engine: _duckdb.DuckDBEngine) -> _early.Plan | None:
        made = days(engine)
        seen.append(made is not None)
        return made

    monkeypatch.setattr(_duckdb.DuckDBEngine, "_early_days", spy)
    return seen


def _leftovers() -> list[str]:
    rows = (
        _start.database()
        .cursor()
        .sql("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'early_food_days_%'")
    )
    return [str(r[0]) for r in rows.fetchall()]


@pytest.mark.parametrize(("ids", "parts"), [("integer", 1), ("text", 1), ("integer", 3)])
def test_early_sums_give_the_same_tables(
    tmp_path: Path, food_index: FoodIndex, taken: list[bool], ids: str, parts: int
) -> None:
    files = _cohort(tmp_path, ids, parts)
    late = _run(files, food_index, early=False)
    early = _run(files, food_index, early=True)
    assert taken == [False, True]  # the second run summed the foods early
    assert early.people.equals(late.people)
    assert early.bad_rows.equals(late.bad_rows)
    assert early.summary.equals(late.summary)
    assert {r["reason"] for r in early.bad_rows.to_pylist()} >= {
        "no SR28 food has NDB number 99999; find one with 'magwise foods search'",
        "person 7 is not in the people table (or that row of the people table was rejected)"
        if ids == "integer"
        else "person p-7 is not in the people table (or that row of the people table was rejected)",
    }
    assert _leftovers() == []


def test_sums_of_another_food_index_are_not_taken(
    tmp_path: Path, food_index: FoodIndex, taken: list[bool]
) -> None:
    files = _cohort(tmp_path)
    elsewhere = FoodIndex(food_index._table, tmp_path / "another-index.marshal")
    _start.begin(files["foods"], files["people"])
    early = assess_cohort(
        files["people"], files["foods"], water=files["water"], food_index=elsewhere
    )
    late = _run(files, elsewhere, early=False)
    assert taken == [False, False]
    assert early.people.equals(late.people)
    assert early.bad_rows.equals(late.bad_rows)
    assert _leftovers() == []


def test_a_run_that_fails_leaves_no_early_sums(tmp_path: Path, food_index: FoodIndex) -> None:
    files = _cohort(tmp_path)
    broken = _write(tmp_path, [{"person_id": 1, "age_years": 3.0}], "broken")  # no sex
    _start.begin(files["foods"], broken)
    with pytest.raises(InputError, match="missing column"):
        assess_cohort(broken, files["foods"], food_index=food_index)
    assert _leftovers() == []


def test_the_early_work_imports_neither_pydantic_nor_numpy() -> None:
    """It runs while the command imports them: needing them would make it wait."""
    probe = (
        "import sys, magwise.cohort._early; "
        "print(sorted(m for m in ('numpy', 'pydantic', 'pandas', 'pyarrow') if m in sys.modules))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"


def test_the_tables_bounds_are_the_case_files() -> None:
    """A row the cohort accepts is a row a case file accepts: the same bounds."""
    numbers = [c for t in TABLES.values() for c in t.columns if c.kind == "number"]
    assert numbers
    for column in numbers:
        assert column.case_model is not None, column.name
        field = getattr(magwise.case, column.case_model).model_fields[column.name]
        want = {"ge": None, "gt": None, "le": None}
        for item in field.metadata:
            want |= {k: getattr(item, k) for k in want if hasattr(item, k)}
        assert (column.ge, column.gt, column.le) == (want["ge"], want["gt"], want["le"]), column


def test_the_comparators_are_the_case_files() -> None:
    assert get_args(magwise.case.Comparator) == COMPARATORS
