"""Cohort mode: engines, outputs, the summary, and errors on malformed tables."""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, get_args

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import magwise.cohort
from magwise.advisor import assess, intake
from magwise.cli import cli
from magwise.cohort import (
    BAD_ROWS_SCHEMA,
    MEASURES,
    RESULT_SCHEMA,
    _checks,
    _rules,
    assess_cohort,
    wilson,
)
from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.result import ACTIONS, Status, StatusBasis

PEOPLE = [
    {"person_id": 1, "sex": "female", "age_years": 34.0, "pregnant": False, "conditions": ""},
    {"person_id": 2, "sex": "male", "age_years": 70.0, "pregnant": False, "conditions": "ckd"},
    {"person_id": 3, "sex": "female", "age_years": 29.0, "pregnant": True, "conditions": ""},
    {"person_id": 4, "sex": "male", "age_years": 16.0, "pregnant": False, "conditions": ""},
    {"person_id": 5, "sex": "female", "age_years": 45.0, "pregnant": False, "conditions": ""},
]
FOODS = [
    {"person_id": 1, "date": "2026-01-01", "ndb": "11457", "grams": 100.0},
    {"person_id": 1, "date": "2026-01-01", "ndb": "12061", "grams": 30.0},
    {"person_id": 1, "date": "2026-01-02", "ndb": "20137", "grams": 185.0},
    {"person_id": 2, "date": "2026-01-01", "ndb": "12014", "grams": 28.0},
    {"person_id": 3, "date": "2026-01-01", "ndb": "09040", "grams": 118.0},
    {"person_id": 4, "date": "2026-01-03", "ndb": "01077", "grams": 244.0},
    {"person_id": 5, "date": "2026-01-01", "ndb": "16015", "grams": 172.0},
]
SUPPLEMENTS = [
    {"person_id": 1, "date": "2026-01-01", "form": "citrate", "elemental_mg": 100.0},
    {"person_id": 2, "date": "2026-01-01", "form": "oxide", "elemental_mg": 600.0},
    {"person_id": 3, "date": "2026-01-01", "form": "magnesium oil", "elemental_mg": 50.0},
]
WATER = [{"person_id": 5, "date": "2026-01-01", "liters": 1.5, "mg_per_liter": 108.0}]
LABS = [{"person_id": 5, "date": "2026-01-05", "value": 1.6, "unit": "mg/dL"}]


def write(where: Path, name: str, rows: list[dict[str, Any]], fmt: str = "csv") -> Path:
    path = where / f"{name}.{fmt}"
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return path


def cohort_files(where: Path, fmt: str = "csv", **replace: list[dict[str, Any]]) -> dict[str, Path]:
    tables = {"people": PEOPLE, "foods": FOODS, "supplements": SUPPLEMENTS, "water": WATER}
    tables |= {"labs": LABS, **replace}
    return {name: write(where, name, rows, fmt) for name, rows in tables.items()}


def run(
    files: dict[str, Path], food_index: FoodIndex, **kwargs: Any
) -> magwise.cohort.CohortResult:
    return assess_cohort(
        files["people"],
        files["foods"],
        supplements=files.get("supplements"),
        water=files.get("water"),
        labs=files.get("labs"),
        food_index=food_index,
        **kwargs,
    )


def test_public_names() -> None:
    assert set(magwise.cohort.__all__) == {
        "BAD_ROWS_SCHEMA",
        "ENGINES",
        "MEASURES",
        "RESULT_SCHEMA",
        "TABLES",
        "CohortResult",
        "assess_cohort",
        "wilson",
    }


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_engines_give_the_single_person_result(
    engine: str, tmp_path: Path, food_index: FoodIndex
) -> None:
    result = run(cohort_files(tmp_path, "parquet"), food_index, engine=engine)
    assert result.people.schema == RESULT_SCHEMA
    assert result.bad_rows.num_rows == 0
    rows = {r["person_id"]: r for r in result.people.to_pylist()}
    one = assess(
        {
            "profile": {"sex": "female", "age_years": 34},
            "days": [
                {
                    "date": "2026-01-01",
                    "foods": [{"food": "11457", "grams": 100}, {"food": "12061", "grams": 30}],
                    "supplements": [{"form": "citrate", "elemental_mg": 100}],
                },
                {"date": "2026-01-02", "foods": [{"food": "20137", "grams": 185}]},
            ],
        },
        foods=food_index,
    )
    assert one.intake is not None
    assert rows["1"]["total_mg"] == one.intake.total_mg
    assert rows["1"]["status"] == one.status
    assert rows["2"]["refer_to_doctor"] is True  # kidney disease (alias 'ckd')
    assert rows["2"]["above_ul"] is True  # 600 mg oxide a day
    assert rows["3"]["refer_to_doctor"] is True  # pregnant (topical oil is not 'taken')
    assert rows["4"]["refer_to_doctor"] is True  # under 18
    assert rows["5"]["status_basis"] == "serum"


def test_engines_agree_on_everything(tmp_path: Path, food_index: FoodIndex) -> None:
    files = cohort_files(tmp_path, "csv", foods=[*FOODS, {**FOODS[0], "grams": -1.0}])
    duck = run(files, food_index)
    dask = run(files, food_index, engine="dask")
    assert duck.people.equals(dask.people)
    assert duck.bad_rows.equals(dask.bad_rows)
    assert duck.summary.equals(dask.summary)


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_sums_are_exact_in_any_order(engine: str, tmp_path: Path, food_index: FoodIndex) -> None:
    # 0.05 + 0.1 + 1.0 mg and 0.5 L x 0.3 mg/L are 1.15 and 0.15 mg: ties of the 0.1 mg
    # rounding, which floating-point sums put on either side (1.1 or 1.2 by their order)
    water = [
        {"person_id": 5, "date": "2026-01-01", "liters": 1.0, "mg_per_liter": mg}
        for mg in (0.05, 0.1, 1.0)
    ]
    water.append({"person_id": 4, "date": "2026-01-03", "liters": 0.5, "mg_per_liter": 0.3})
    results = []
    for order, rows in (("given", water), ("reversed", water[::-1])):
        (tmp_path / order).mkdir()
        files = cohort_files(tmp_path / order, "parquet", water=rows)
        results.append(run(files, food_index, engine=engine).people)
    assert results[0].equals(results[1])
    got = {r["person_id"]: r for r in results[0].to_pylist()}
    assert got["5"]["water_mg"] == 1.2  # halves to even, on the exact value
    assert got["4"]["water_mg"] == 0.2
    for mgs in ((0.05, 0.1, 1.0), (1.0, 0.1, 0.05)):
        day = {"date": "2026-01-01", "foods": [{"food": "16015", "grams": 172}]}
        day["water"] = [{"liters": 1.0, "mg_per_liter": mg} for mg in mgs]
        one = assess(
            {"profile": {"sex": "female", "age_years": 45}, "days": [day]}, foods=food_index
        )
        assert one.intake is not None
        assert (one.intake.water_mg, one.intake.total_mg) == (1.2, got["5"]["total_mg"])
        assert one.intake.per_day[0].water_mg == 1.2


def test_fixed_point_is_the_advisors() -> None:
    """The engines' nanograms and rounding are those of ``advisor.intake``."""
    values = [0.0, 0.15, 0.25, 2.5e-7, 4.9999999e-7, 5e-7, 1.5e-6, 0.1 + 0.2, 1157.55, 78100.0]
    values += [g * mg / 100 for g in (0.1, 12.5, 333.3, 10_000.0) for mg in (0.3, 27.13, 781.0)]
    con = duckdb.connect()
    con.register("v", {"mg": np.array(values)})
    sql = [row[0] for row in con.sql(f"SELECT {_checks.ng('mg')} FROM v").fetchall()]
    assert sql == [intake.to_ng(v) for v in values]
    days = np.array([1, 2, 3, 7, 7, 7, 7, 30], dtype=np.int64)
    totals = np.array([150_000, 250_000, 450_000, 1_050_000, 1_049_999, 0, 7, 10**15])
    got = _rules.tenths(totals, days).tolist()
    assert got == [intake.tenths(int(t), int(d)) for t, d in zip(totals, days, strict=True)]
    assert got[:4] == [2, 1, 2, 2]  # 1.5, 1.25, 1.5 and 1.5 tenths: halves to even
    assert _rules.NG_PER_TENTH_MG == intake.NG_PER_TENTH_MG


def test_the_rules_codes_are_the_results() -> None:
    """Status, basis and action are held as places in these tuples: the result's own."""
    assert set(_rules.STATUSES) == set(get_args(Status))
    assert set(_rules.BASES) == set(get_args(StatusBasis))
    assert tuple(MEASURES)[-len(ACTIONS) :] == tuple(f"action_{a}" for a in ACTIONS)


@pytest.mark.usefixtures("food_index")  # built here, read by the child process
def test_duckdb_engine_leaves_pandas_dask_and_pyarrow_alone(tmp_path: Path) -> None:
    """Importing pandas would cost a run of the command more than the rules do; pyarrow
    alone costs about 55 MB, as much as checking and summing a million rows."""
    files = cohort_files(tmp_path, "parquet")
    code = (
        "import sys; from magwise.cohort import assess_cohort; "
        f"result = assess_cohort({str(files['people'])!r}, {str(files['foods'])!r}, "
        f"supplements={str(files['supplements'])!r}, labs={str(files['labs'])!r}); "
        f"result.write(__import__('pathlib').Path({str(tmp_path / 'out')!r})); "
        "print(sorted(m for m in ('pandas', 'dask', 'pyarrow') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_csv_and_parquet_give_the_same_result(tmp_path: Path, food_index: FoodIndex) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = run(cohort_files(tmp_path / "a", "csv"), food_index)
    b = run(cohort_files(tmp_path / "b", "parquet"), food_index)
    assert a.people.equals(b.people)


def test_outputs_are_written(tmp_path: Path, food_index: FoodIndex) -> None:
    result = run(cohort_files(tmp_path), food_index, standard="nih")
    files = result.write(tmp_path / "out")
    names = {f.name for f in files}
    assert names == {
        "people.parquet",
        "bad_rows.parquet",
        "bad_rows.csv",
        "summary.parquet",
        "summary.csv",
        "intake_by_group.svg",
        "intake_vs_target.svg",
    }
    assert pq.read_table(tmp_path / "out" / "people.parquet").num_rows == len(PEOPLE)
    assert pq.read_table(tmp_path / "out" / "bad_rows.parquet").schema == BAD_ROWS_SCHEMA
    for svg in ("intake_by_group.svg", "intake_vs_target.svg"):
        root = ET.parse(tmp_path / "out" / svg).getroot()
        assert root.tag.endswith("svg")
        assert "http" not in (tmp_path / "out" / svg).read_text().replace(
            "http://www.w3.org/2000/svg", ""
        )
    measures = {r["measure"] for r in result.summary.to_pylist()}
    assert "below_ear" in measures  # nih has an EAR


def test_summary_counts_and_wilson_intervals(tmp_path: Path, food_index: FoodIndex) -> None:
    result = run(cohort_files(tmp_path), food_index)
    rows = {(r["grouping"], r["sex"], r["measure"]): r for r in result.summary.to_pylist()}
    everyone = rows[("all", None, "below_target")]
    people = result.people.to_pylist()
    judged = [p for p in people if p["below_target"] is not None]
    assert everyone["n"] == len(judged)
    assert everyone["count"] == sum(p["below_target"] for p in judged)
    assert (everyone["ci_low"], everyone["ci_high"]) == wilson(everyone["count"], everyone["n"])
    assert ("all", None, "below_ear") not in rows  # dge sets no EAR


def test_summary_counts_each_first_action(tmp_path: Path, food_index: FoodIndex) -> None:
    result = run(cohort_files(tmp_path), food_index)
    people = result.people.to_pylist()
    rows = [r for r in result.summary.to_pylist() if r["measure"].startswith("action_")]
    everyone = {r["measure"]: r for r in rows if r["grouping"] == "all"}
    assert set(everyone) == {f"action_{a}" for a in ACTIONS}  # every action, even at 0
    for action in ACTIONS:
        row = everyone[f"action_{action}"]
        assert row["n"] == len(people)
        assert row["count"] == sum(p["action"] == action for p in people)
    assert sum(r["count"] for r in everyone.values()) == len(people)
    women = [r for r in rows if r["grouping"] == "sex" and r["sex"] == "female"]
    assert sum(r["count"] for r in women) == sum(p["sex"] == "female" for p in people)


def test_wilson_interval() -> None:
    low, high = wilson(5, 10)
    assert round(low, 4) == 0.2366 and round(high, 4) == 0.7634
    assert wilson(0, 20)[0] == 0.0
    assert wilson(20, 20)[1] == 1.0


# -- malformed tables ---------------------------------------------------------------


def reasons(result: magwise.cohort.CohortResult) -> list[tuple[str, int, str, str]]:
    return [(r["table"], r["row"], r["column"], r["reason"]) for r in result.bad_rows.to_pylist()]


def test_missing_column_names_the_file_and_column(tmp_path: Path, food_index: FoodIndex) -> None:
    foods = [{k: v for k, v in row.items() if k != "grams"} for row in FOODS]
    with pytest.raises(InputError, match=r"foods input .*foods\.csv.*missing column\(s\) grams"):
        run(cohort_files(tmp_path, foods=foods), food_index)


def test_column_of_a_wrong_type_is_an_error(tmp_path: Path, food_index: FoodIndex) -> None:
    foods = [{**row, "grams": {"g": 1}} for row in FOODS]
    files = cohort_files(tmp_path, "parquet", foods=foods)
    with pytest.raises(InputError, match=r"column grams: has type STRUCT"):
        run(files, food_index)


@pytest.mark.parametrize(
    ("table", "rows", "where"),
    [
        ("foods", [{**FOODS[0], "grams": -5}], ("foods", 8, "grams", "-5 is out of range")),
        ("foods", [{**FOODS[0], "grams": "lots"}], ("foods", 8, "grams", "'lots' is not a number")),
        ("foods", [{**FOODS[0], "ndb": "99999"}], ("foods", 8, "ndb", "no SR28 food")),
        ("foods", [{**FOODS[0], "date": "yesterday"}], ("foods", 8, "date", "is not a date")),
        (
            "foods",
            [{**FOODS[0], "date": "infinity"}],
            ("foods", 8, "date", "'infinity' is not a date; accepted: 0001-01-01 to 9999-12-31"),
        ),
        ("foods", [{**FOODS[0], "person_id": 99}], ("foods", 8, "person_id", "not in the people")),
        (
            "supplements",
            [{**SUPPLEMENTS[0], "form": "unobtainium"}],
            ("supplements", 4, "form", "unknown supplement form 'unobtainium'"),
        ),
    ],
)
def test_bad_rows_are_reported_not_dropped(
    table: str,
    rows: list[dict[str, Any]],
    where: tuple[str, int, str, str],
    tmp_path: Path,
    food_index: FoodIndex,
) -> None:
    base = {"foods": FOODS, "supplements": SUPPLEMENTS}[table]
    result = run(cohort_files(tmp_path, **{table: [*base, *rows]}), food_index)
    (got,) = reasons(result)
    assert got[:3] == where[:3]
    assert where[3] in got[3]
    person = next(r for r in result.people.to_pylist() if r["person_id"] == "1")
    assert person["bad_rows"] == (0 if where[2] == "person_id" else 1)


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_dates_no_case_file_can_hold_are_bad_rows(
    engine: str, tmp_path: Path, food_index: FoodIndex
) -> None:
    # Parquet dates of the year 10000 and of a year BC: DuckDB reads them, a case file
    # cannot hold them (nor can Python's dates), so the cohort does not count them either
    far = {"person_id": [1, 1, 1], "ndb": ["11457"] * 3, "grams": [10.0, 20.0, 30.0]}
    days = [2_932_897, -800_000, 20_000]  # 10000-01-01, a day in 222 BC, 2024-10-04
    foods = tmp_path / "far.parquet"
    pq.write_table(pa.table({**far, "date": pa.array(days, pa.date32())}), foods)
    files = {**cohort_files(tmp_path), "foods": foods}
    result = run(files, food_index, engine=engine)
    got = reasons(result)
    assert [(table, row, column) for table, row, column, _ in got] == [
        ("foods", 1, "date"),
        ("foods", 2, "date"),
    ]
    assert got[0][3] == "'10000-01-01' is not a date; accepted: 0001-01-01 to 9999-12-31"
    assert got[1][3].endswith("(BC)' is not a date; accepted: 0001-01-01 to 9999-12-31")
    # the person's results are those of the one day a case file can hold
    near = tmp_path / "near.parquet"
    pq.write_table(
        pa.table({k: v[2:] for k, v in far.items()} | {"date": pa.array(days[2:], pa.date32())}),
        near,
    )
    alone = run({**files, "foods": near}, food_index, engine=engine).people.to_pylist()
    for person, same in zip(result.people.to_pylist(), alone, strict=True):
        bad = 2 if person["person_id"] == "1" else 0
        assert person == {**same, "bad_rows": same["bad_rows"] + bad}


def test_people_table_errors(tmp_path: Path, food_index: FoodIndex) -> None:
    people = [
        *PEOPLE,
        {**PEOPLE[0]},  # duplicate id 1
        {**PEOPLE[1], "person_id": 6, "pregnant": True},  # a pregnant man
        {**PEOPLE[1], "person_id": 7, "sex": "x"},
        {**PEOPLE[1], "person_id": 8, "conditions": "kidney_diseas"},
    ]
    result = run(cohort_files(tmp_path, people=people), food_index)
    got = reasons(result)
    assert ("people", 1, "person_id", "person 1 appears more than once in the people table") in got
    assert ("people", 6, "person_id", "person 1 appears more than once in the people table") in got
    assert any(r[1] == 7 and "sex 'female' only" in r[3] for r in got)
    pregnant_man = next(r for r in result.bad_rows.to_pylist() if r["row"] == 7)
    assert (pregnant_man["column"], pregnant_man["value"]) == ("pregnant", "true (sex male)")
    assert any(r[1] == 8 and r[2] == "sex" for r in got)
    assert any(r[1] == 9 and "Did you mean 'kidney_disease'" in r[3] for r in got)
    ids = {r["person_id"] for r in result.people.to_pylist()}
    assert ids == {"2", "3", "4", "5"}
    # the rows of a rejected person are reported too, not dropped
    assert ("foods", 1, "person_id") in {r[:3] for r in got}


def test_symptoms_are_checked_and_judged_in_context(tmp_path: Path, food_index: FoodIndex) -> None:
    people = [{**p, "symptoms": ""} for p in PEOPLE]
    people[0]["symptoms"] = "diarrhea"  # takes 100 mg citrate: a sign of too much
    people[4]["symptoms"] = "diarrhoea;lethargy"  # no magnesium source: not a sign
    people.append({**PEOPLE[4], "person_id": 6, "symptoms": "nausia"})
    result = run(cohort_files(tmp_path, people=people), food_index)
    ((table, row, column, reason),) = reasons(result)
    assert (table, row, column) == ("people", 6, "symptoms")
    assert "unknown symptom 'nausia'" in reason
    rows = {r["person_id"]: r for r in result.people.to_pylist()}
    assert rows["1"]["action"] == "stop_magnesium"
    assert (
        rows["5"]["action"]
        == assess(
            {
                "profile": {"sex": "female", "age_years": 45},
                "days": [
                    {
                        "date": "2026-01-01",
                        "foods": [{"food": "16015", "grams": 172}],
                        "water": [{"liters": 1.5, "mg_per_liter": 108.0}],
                    }
                ],
                "labs": [{"date": "2026-01-05", "value": 1.6, "unit": "mg/dL"}],
                "symptoms": ["diarrhoea", "lethargy"],
            },
            foods=food_index,
        ).action
    )
    assert rows["5"]["action"] not in ("stop_magnesium", "urgent_care")


def test_implausible_serum_is_a_bad_row(tmp_path: Path, food_index: FoodIndex) -> None:
    labs = [*LABS, {**LABS[0], "value": 20.0, "unit": "mmol/L", "date": "2026-01-09"}]
    result = run(cohort_files(tmp_path, labs=labs), food_index)
    ((table, row, column, reason),) = reasons(result)
    assert (table, row, column) == ("labs", 2, "value")
    assert "not a possible serum magnesium" in reason
    person = next(r for r in result.people.to_pylist() if r["person_id"] == "5")
    assert person["serum_mmol_per_l"] == round(1.6 / 2.4305, 4)  # the earlier, plausible one


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ({"test": "egfr", "unit": "mmol/L"}, "unit", "unknown unit 'mmol/L' for egfr"),
        ({"test": "creatinine", "unit": "mEq/L"}, "unit", "unknown unit 'mEq/L' for creatinine"),
        ({"unit": "mL/min/1.73 m²"}, "unit", "unknown unit 'mL/min/1.73 m²' for serum_magnesium"),
        ({"test": "ldl"}, "test", "'ldl' is not accepted; accepted: serum_magnesium"),
        ({"test": "ferritin"}, "unit", "unknown unit 'mg/dL' for ferritin; accepted: µg/L"),
        ({"comparator": "<<"}, "comparator", "'<<' is not accepted; accepted: <, <=, >, >="),
        ({"comparator": "~"}, "comparator", "'~' is not accepted"),
    ],
)
def test_lab_kinds_units_and_comparators_are_checked(
    row: dict[str, Any], column: str, reason: str, tmp_path: Path, food_index: FoodIndex
) -> None:
    good = [
        {**LABS[0], "test": "serum_magnesium", "comparator": "<"},
        {**LABS[0], "test": "egfr", "value": 45.0, "unit": "ml/min/1.73m2", "comparator": ""},
        {**LABS[0], "test": "creatinine", "value": 110.0, "unit": "µmol/L", "comparator": ">="},
    ]
    labs = [*good, {**good[0], **row}]
    result = run(cohort_files(tmp_path, labs=labs), food_index)
    ((table, number, got_column, got_reason),) = reasons(result)
    assert (table, number, got_column) == ("labs", 4, column)
    assert reason in got_reason
    person = next(r for r in result.people.to_pylist() if r["person_id"] == "5")
    assert person["bad_rows"] == 1
    assert person["serum_mmol_per_l"] == round(1.6 / 2.4305, 4)


def test_supplement_needs_one_amount(tmp_path: Path, food_index: FoodIndex) -> None:
    both = {**SUPPLEMENTS[0], "compound_mg": 500.0}
    rows = [{**s, "compound_mg": None} for s in SUPPLEMENTS] + [both]
    result = run(cohort_files(tmp_path, supplements=rows), food_index)
    ((table, row, column, reason),) = reasons(result)
    assert (table, row, column) == ("supplements", 4, "elemental_mg")
    assert "give either elemental_mg" in reason


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_intake_too_large_to_add_exactly_is_an_error(
    engine: str, tmp_path: Path, food_index: FoodIndex
) -> None:
    # 100 g of magnesium, 91,000 times: more than 2^53 ng, where sums stop being exact
    n = 91_000
    heavy = {
        "person_id": [1] * n,
        "date": ["2026-01-01"] * n,
        "form": ["citrate"] * n,
        "elemental_mg": [100_000.0] * n,
    }
    pq.write_table(pa.table(heavy), tmp_path / "heavy.parquet")
    files = cohort_files(tmp_path, "parquet")
    files["supplements"] = tmp_path / "heavy.parquet"
    with pytest.raises(InputError) as error:
        run(files, food_index, engine=engine)
    assert error.value.field == "supplements"
    assert "more than 9,007 kg" in error.value.message


def test_csv_files_are_written_as_pyarrow_writes_them(
    tmp_path: Path, food_index: FoodIndex
) -> None:
    """Quoted names and text, empty for no value, Arrow's numbers: the files keep their bytes."""
    import pyarrow.csv as pcsv

    odd = {**FOODS[0], "ndb": 'say "no", please'}
    empty = {**FOODS[2], "grams": None}
    files = cohort_files(tmp_path, foods=[*FOODS, odd, {**FOODS[1], "person_id": 99}, empty])
    result = run(files, food_index, standard="nih")
    assert result.bad_rows.num_rows == 3
    assert None in result.summary.column("sex").to_pylist()  # the whole cohort: no sex
    for name, frame, table in (
        ("bad_rows", result.bad_rows_frame, result.bad_rows),
        ("summary", result.summary_frame, result.summary),
    ):
        frame.write_csv(tmp_path / f"{name}.csv")
        pcsv.write_csv(table, tmp_path / f"{name}-pyarrow.csv")
        ours = (tmp_path / f"{name}.csv").read_bytes()
        assert ours == (tmp_path / f"{name}-pyarrow.csv").read_bytes()


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 1.0, 100.0, 0.5, 1 / 3, 2 / 3, 1.2e-05, 1e-06, 1e-07, 9.99e-07, 123456.789,
     1e9, 1e10, 1234567890.5, 1e20, 1e21, 1.5e21, -2.5e-08, 0.95, 0.0001234, 5e-324,
     1.7976931348623157e308],
)  # fmt: skip
def test_numbers_are_written_as_arrow_writes_them(value: float) -> None:
    from magwise.cohort._frame import arrow_number

    written = pa.array([value], pa.float64()).cast(pa.string())[0].as_py()
    assert arrow_number(value) == written


# -- command line ---------------------------------------------------------------------


def test_cli_writes_results_and_reports_bad_rows(tmp_path: Path, food_index: FoodIndex) -> None:
    files = cohort_files(tmp_path, foods=[*FOODS, {**FOODS[0], "ndb": "abc"}])
    out = tmp_path / "out"
    args = ["cohort", "assess", "--out", str(out)]
    for name, path in files.items():
        args += [f"--{name}", str(path)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "5 people assessed (dge)" in result.stdout
    assert "magwise: 1 row rejected" in result.stderr
    with (out / "bad_rows.csv").open(encoding="utf-8") as rows:
        (row,) = list(csv.DictReader(rows))
    assert (row["table"], row["row"], row["column"]) == ("foods", "8", "ndb")
    assert "Cohort summary" in result.stderr


def test_cli_counts_one_person_in_the_singular(tmp_path: Path, food_index: FoodIndex) -> None:
    mine = [row for row in FOODS if row["person_id"] == 1]
    files = cohort_files(tmp_path, people=PEOPLE[:1], foods=mine, supplements=SUPPLEMENTS[:1])
    files = {name: files[name] for name in ("people", "foods", "supplements")}
    args = ["cohort", "assess", "--out", str(tmp_path / "out"), "--quiet"]
    for name, path in files.items():
        args += [f"--{name}", str(path)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 person assessed (dge)" in result.stdout
    assert "rejected" not in result.stderr


def test_cli_error_is_one_line(tmp_path: Path) -> None:
    files = cohort_files(tmp_path, foods=[{"person_id": 1, "date": "2026-01-01"}])
    args = ["cohort", "assess", "--people", str(files["people"]), "--foods", str(files["foods"])]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "o"), "--quiet"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "missing column(s) ndb, grams" in result.stderr


def test_cli_lists_the_tables() -> None:
    result = CliRunner().invoke(cli, ["cohort", "tables"])
    assert result.exit_code == 0
    assert "foods: one row per food eaten" in result.stdout
    assert "grams" in result.stdout
