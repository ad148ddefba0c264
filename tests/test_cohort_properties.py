"""The cohort result for a person equals ``magwise.assess`` of that person's case, field by field.

Each generated cohort is written as Parquet or CSV tables, assessed in cohort
mode, and every person's case file is rebuilt from the same rows (days in date
order, entries in file order) and assessed one by one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from magwise.advisor import assess
from magwise.cohort import _start, assess_cohort
from magwise.foods import FoodIndex
from magwise.result import ACTIONS

# foods with integer and decimal mg values, and one without a value in SR28
NDBS = ["11457", "12061", "20137", "09040", "01077", "16015", "12014", "01001", "11674", "01188"]
FORMS = ["citrate", "oxide", "magnesium bisglycinate", "chloride hexahydrate", "topical", None]
# diaries within one span of 64 days of the engine's masks of days and across two
# (2026-03-01 and 2026-05-04 have the same bit in neighbouring spans), and a date
# before 1970 (a negative day number)
DATES = [
    *(dt.date(2026, 3, d) for d in (1, 2, 3, 9)),
    dt.date(2026, 5, 3),
    dt.date(2026, 5, 4),
    dt.date(1969, 12, 31),
]
CONDITIONS = ["kidney_disease", "dialysis", "type2_diabetes", "coeliac_disease"]
MEDICATIONS = ["spironolactone", "omeprazole", "levothyroxine", "magnesium_antacid"]
# signs of excess (mild, severe, with a high serum value), urgent ones, deficiency ones
SYMPTOMS = [
    "diarrhea",
    "nausea",
    "lethargy",
    "confusion",
    "irregular_heartbeat",
    "slow_heartbeat",
    "seizures",
    "tetany",
    "muscle_cramps",
    "fatigue",
]
# per test: its units and the range of values drawn in each
UNITS = {
    "serum_magnesium": {"mmol/L": (0.3, 2.5), "mg/dL": (0.8, 6.0), "mEq/L": (0.6, 5.0)},
    "egfr": {"mL/min/1.73 m²": (5.0, 120.0), "ml/min/1.73m2": (5.0, 120.0)},
    "creatinine": {"mg/dL": (0.4, 6.0), "µmol/L": (35.0, 530.0), "umol/l": (35.0, 530.0)},
}
UNITS["rbc_magnesium"] = UNITS["serum_magnesium"]
TESTS = ["serum_magnesium", "serum_magnesium", "rbc_magnesium", "egfr", "creatinine"]
COMPARATORS = [None, None, None, "<", "<=", ">", ">="]

# integers and tenths make the sums land on rounding boundaries often
amounts = st.one_of(
    st.integers(0, 400).map(float),
    st.integers(0, 4000).map(lambda n: n / 10),
    st.floats(0, 500, allow_nan=False),
)


@st.composite
def people(draw: st.DrawFn, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        sex = draw(st.sampled_from(["female", "male"]))
        age = draw(st.one_of(st.integers(0, 95).map(float), st.floats(0, 130), st.just(18.0)))
        state = "none"
        if sex == "female" and 14 <= age <= 50:
            state = draw(st.sampled_from(["none", "none", "pregnant", "lactating"]))
        out.append(
            {
                "person_id": 100 + i,
                "sex": sex,
                "age_years": age,
                "pregnant": state == "pregnant",
                "lactating": state == "lactating",
                "conditions": ";".join(draw(st.lists(st.sampled_from(CONDITIONS), max_size=2))),
                "medications": ";".join(draw(st.lists(st.sampled_from(MEDICATIONS), max_size=1))),
                "symptoms": ";".join(draw(st.lists(st.sampled_from(SYMPTOMS), max_size=2))),
            }
        )
    return out


@st.composite
def cohorts(draw: st.DrawFn) -> dict[str, Any]:
    folks = draw(people(draw(st.integers(1, 8))))
    ids = st.sampled_from([p["person_id"] for p in folks])
    dates = st.sampled_from(DATES)
    foods = draw(
        st.lists(
            st.fixed_dictionaries(
                {"person_id": ids, "date": dates, "ndb": st.sampled_from(NDBS), "grams": amounts}
            ),
            max_size=40,
        )
    )

    def supplement(form: str | None, elemental: bool, mg: float) -> dict[str, Any]:
        if form is None or elemental:
            return {"form": form, "elemental_mg": mg, "compound_mg": None}
        return {"form": form, "elemental_mg": None, "compound_mg": mg * 4}

    supplements = draw(
        st.lists(
            st.builds(
                lambda pid, d, s: {"person_id": pid, "date": d, **s},
                ids,
                dates,
                st.builds(supplement, st.sampled_from(FORMS), st.booleans(), amounts),
            ),
            max_size=8,
        )
    )
    water = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "person_id": ids,
                    "date": dates,
                    "liters": st.sampled_from([0.25, 0.5, 1.0, 1.5, 0.33]),
                    "mg_per_liter": st.one_of(st.integers(0, 120).map(float), amounts),
                }
            ),
            max_size=8,
        )
    )

    @st.composite
    def lab(draw: st.DrawFn) -> dict[str, Any]:
        test = draw(st.sampled_from(TESTS))
        unit = draw(st.sampled_from(sorted(UNITS[test])))
        low, high = UNITS[test][unit]
        value = round(low + (high - low) * draw(st.floats(0, 1)), 2)
        return {
            "value": value,
            "unit": unit,
            "date": draw(st.one_of(st.none(), dates)),
            "test": test,
            "comparator": draw(st.sampled_from(COMPARATORS)),
        }

    labs = draw(
        st.lists(
            st.builds(lambda pid, rest: {"person_id": pid, **rest}, ids, lab()),
            max_size=8,
        )
    )
    return {
        "people": folks,
        "foods": foods,
        "supplements": supplements,
        "water": water,
        "labs": labs,
        "standard": draw(st.sampled_from(["dge", "efsa", "nih"])),
        "format": draw(st.sampled_from(["parquet", "csv"])),
        # as the command runs: the foods looked up and summed early (``_start.begin``)
        "early": draw(st.booleans()),
    }


def write_tables(cohort: dict[str, Any], where: Path) -> dict[str, Path]:
    paths = {}
    for name in ("people", "foods", "supplements", "water", "labs"):
        rows = cohort[name]
        if not rows and name not in {"people", "foods"}:
            continue
        table = pa.Table.from_pylist(rows) if rows else _empty(name)
        path = where / f"{name}.{cohort['format']}"
        if cohort["format"] == "parquet":
            pq.write_table(table, path)
        else:
            pcsv.write_csv(table, path)
        paths[name] = path
    return paths


def _empty(name: str) -> pa.Table:
    assert name == "foods"
    return pa.table(
        {
            "person_id": pa.array([], pa.int64()),
            "date": pa.array([], pa.date32()),
            "ndb": pa.array([], pa.string()),
            "grams": pa.array([], pa.float64()),
        }
    )


def case_of(person: dict[str, Any], cohort: dict[str, Any]) -> dict[str, Any]:
    """The case file of one person, from the cohort's rows."""
    pid = person["person_id"]
    days: dict[dt.date, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"foods": [], "supplements": [], "water": []}
    )
    for row in cohort["foods"]:
        if row["person_id"] == pid:
            days[row["date"]]["foods"].append({"food": row["ndb"], "grams": row["grams"]})
    for row in cohort["supplements"]:
        if row["person_id"] == pid:
            entry = {
                k: row[k] for k in ("form", "elemental_mg", "compound_mg") if row[k] is not None
            }
            days[row["date"]]["supplements"].append(entry)
    for row in cohort["water"]:
        if row["person_id"] == pid:
            days[row["date"]]["water"].append(
                {"liters": row["liters"], "mg_per_liter": row["mg_per_liter"]}
            )
    labs = [
        {k: v for k, v in row.items() if k != "person_id" and v is not None}
        for row in cohort["labs"]
        if row["person_id"] == pid
    ]
    for lab in labs:
        if "date" in lab:
            lab["date"] = lab["date"].isoformat()
    return {
        "standard": cohort["standard"],
        "profile": {
            "sex": person["sex"],
            "age_years": person["age_years"],
            "pregnant": person["pregnant"],
            "lactating": person["lactating"],
            "conditions": [c for c in person["conditions"].split(";") if c],
            "medications": [c for c in person["medications"].split(";") if c],
        },
        "symptoms": [c for c in person.get("symptoms", "").split(";") if c],
        "days": [{"date": d.isoformat(), **days[d]} for d in sorted(days)],
        "labs": labs,
    }


KIDNEY_REDUCED = {"egfr_contraindication", "egfr_reduced", "egfr_undecidable"}


def expected(case: dict[str, Any], foods: FoodIndex) -> dict[str, Any]:
    """The fields of ``assess``'s result that cohort mode carries."""
    r = assess(case, foods=foods)
    codes = {f.code for f in r.findings}
    intake, ref = r.intake, r.reference
    judged = intake is not None
    return {
        "days": intake.days if intake else 0,
        "food_mg": intake.food_mg if intake else None,
        "water_mg": intake.water_mg if intake else None,
        "supplement_mg": intake.supplement_mg if intake else None,
        "total_mg": intake.total_mg if intake else None,
        "target_mg": ref.target_mg,
        "ear_mg": ref.ear_mg,
        "supplement_ul_mg": ref.supplement_ul_mg,
        "serum_mmol_per_l": r.serum.mmol_per_l if r.serum else None,
        "serum_comparator": r.serum.comparator if r.serum else None,
        "status": r.status,
        "status_basis": r.status_basis,
        "below_target": "intake_below_target" in codes
        if judged and ref.target_mg is not None
        else None,
        "below_ear": "intake_below_ear" in codes if judged and ref.ear_mg is not None else None,
        "above_ul": "supplement_above_ul" in codes
        if judged and ref.supplement_ul_mg is not None
        else None,
        "kidney_reduced": bool(codes & KIDNEY_REDUCED)
        if any(lab["test"] == "egfr" for lab in case["labs"])
        else None,
        "kidney_check_first": "kidney_check_first" in codes,
        "refer_to_doctor": r.refer_to_doctor,
        "urgent": r.urgent,
        "supplement_mg_per_day": r.dose_plan.supplement_mg_per_day if r.dose_plan else None,
        "action": r.action,
        "magnesium_role": r.magnesium_role.value,
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def check(
    cohort: dict[str, Any], where: Path, food_index: FoodIndex, engine: str
) -> dict[str, dict[str, Any]]:
    paths = write_tables(cohort, where)
    if engine == "duckdb" and cohort.get("early"):
        _start.begin(paths["foods"], paths["people"])
    result = assess_cohort(
        paths["people"],
        paths["foods"],
        supplements=paths.get("supplements"),
        water=paths.get("water"),
        labs=paths.get("labs"),
        standard=cohort["standard"],
        engine=engine,
        food_index=food_index,
    )
    assert result.bad_rows.num_rows == 0, result.bad_rows.to_pylist()
    rows = {row["person_id"]: row for row in result.people.to_pylist()}
    assert len(rows) == len(cohort["people"])
    for person in cohort["people"]:
        want = expected(case_of(person, cohort), food_index)
        got = rows[str(person["person_id"])]
        for field, value in want.items():
            assert _same(got[field], value), (field, got[field], value, case_of(person, cohort))
    return rows


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}


@settings(max_examples=50, **SETTINGS)  # type: ignore[arg-type]
@given(cohort=cohorts())
def test_cohort_result_equals_assess_for_every_person(
    cohort: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, food_index: FoodIndex
) -> None:
    rows = check(cohort, tmp_path_factory.mktemp("cohort"), food_index, "duckdb")
    for row in rows.values():
        event(f"action {row['action']}")  # shown with --hypothesis-show-statistics
        event(f"magnesium_role {row['magnesium_role']}")


@settings(max_examples=5, **SETTINGS)  # type: ignore[arg-type]
@given(cohort=cohorts())
def test_dask_result_equals_assess_for_every_person(
    cohort: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, food_index: FoodIndex
) -> None:
    rows = check(cohort, tmp_path_factory.mktemp("cohort"), food_index, "dask")
    for row in rows.values():
        event(f"action {row['action']}")  # shown with --hypothesis-show-statistics


def _named(name: str, **person: Any) -> dict[str, Any]:
    return {
        "name": name,
        "sex": "female",
        "age_years": 40.0,
        "pregnant": False,
        "lactating": False,
        "conditions": "",
        "medications": "",
        "symptoms": "",
        **person,
    }


# (person, foods as (ndb, grams), elemental supplement mg, labs as (test, value, unit,
# comparator), the first action)
NAMED: list[tuple[dict[str, Any], list[tuple[str, float]], float, list[Any], str]] = [
    (
        _named("serum 2.1 mmol/L alone"),
        [],
        0,
        [("serum_magnesium", 2.1, "mmol/L", None)],
        "urgent_care",
    ),
    (_named("serum < 0.5 mmol/L"), [], 0, [("serum_magnesium", 0.5, "mmol/L", "<")], "urgent_care"),
    (
        _named("serum > 1.5 mmol/L: may be dangerous"),
        [],
        0,
        [("serum_magnesium", 1.5, "mmol/L", ">")],
        "urgent_care",
    ),
    (
        _named("serum < 1.6 mg/dL: may be dangerous"),
        [("11457", 100.0)],
        0,
        [("serum_magnesium", 1.6, "mg/dL", "<")],
        "urgent_care",
    ),
    (
        _named("high serum with kidney disease", conditions="ckd"),
        [],
        0,
        [("serum_magnesium", 1.2, "mmol/L", None)],
        "urgent_care",
    ),
    (
        _named("high serum with eGFR 25", age_years=70.0),
        [],
        0,
        [("serum_magnesium", 1.2, "mmol/L", None), ("egfr", 25.0, "mL/min/1.73 m²", None)],
        "urgent_care",
    ),
    (
        _named("high serum taking a supplement"),
        [("11457", 100.0)],
        200,
        [("serum_magnesium", 1.2, "mmol/L", None)],
        "stop_magnesium",
    ),
    (
        _named("high serum with a magnesium antacid", medications="magnesium_antacid"),
        [],
        0,
        [("serum_magnesium", 2.9, "mg/dL", None)],
        "stop_magnesium",
    ),
    (
        _named("high serum with lethargy, no magnesium source", symptoms="lethargy"),
        [],
        0,
        [("serum_magnesium", 1.2, "mmol/L", None)],
        "urgent_care",
    ),
    (
        _named("diarrhoea taking a supplement", symptoms="diarrhea"),
        [("11457", 100.0)],
        100,
        [],
        "stop_magnesium",
    ),
    (
        _named("nausea with a magnesium laxative", symptoms="nausea", medications="epsom salt"),
        [("11457", 100.0)],
        0,
        [],
        "stop_magnesium",
    ),
    (_named("600 mg supplements a day"), [("11457", 100.0)], 600, [], "lower_supplements"),
    (
        _named("above the limit and pregnant", age_years=30.0, pregnant=True),
        [("11457", 100.0)],
        600,
        [],
        "lower_supplements",
    ),
    (
        _named("low intake, eGFR 45"),
        [("11457", 100.0)],
        0,
        [("egfr", 45.0, "mL/min/1.73 m²", None)],
        "see_doctor",
    ),
    (
        _named("low intake, eGFR < 60: undecidable"),
        [("11457", 100.0)],
        0,
        [("egfr", 60.0, "ml/min/1.73m2", "<")],
        "see_doctor",
    ),
    (
        _named("low intake, creatinine only"),
        [("11457", 100.0)],
        0,
        [("creatinine", 1.4, "mg/dL", None)],
        "see_doctor",
    ),
    (
        _named("serum > 0.8: cannot rule out high"),
        [("11457", 100.0)],
        0,
        [("serum_magnesium", 0.8, "mmol/L", ">")],
        "see_doctor",
    ),
    (
        _named("deficient serum, plan for the doctor"),
        [("11457", 100.0)],
        0,
        [("serum_magnesium", 0.55, "mmol/L", None)],
        "see_doctor",
    ),
    (_named("low intake"), [("11457", 100.0)], 0, [], "follow_plan"),
    (
        _named("low intake, diarrhoea without a magnesium source", symptoms="diarrhea"),
        [("11457", 100.0)],
        0,
        [],
        "follow_plan",
    ),
    (
        _named("low intake at 70, no kidney result", age_years=70.0),
        [("11457", 100.0)],
        0,
        [],
        "follow_plan",
    ),
    (
        _named("low intake, eGFR > 90", age_years=70.0),
        [("11457", 100.0)],
        0,
        [("egfr", 90.0, "mL/min/1.73 m²", ">")],
        "follow_plan",
    ),
    (
        _named("low intake, eGFR > 60: on its side of the threshold", age_years=70.0),
        [("11457", 100.0)],
        0,
        [("egfr", 60.0, "mL/min/1.73 m²", ">")],
        "follow_plan",
    ),
    (_named("no data"), [], 0, [], "log_more"),
    (
        _named("low serum, no intake"),
        [],
        0,
        [("serum_magnesium", 0.7, "mmol/L", None)],
        "log_more",
    ),
    (_named("adequate intake", sex="male"), [("12061", 200.0)], 0, [], "nothing_needed"),
    (
        _named("adequate serum, 2.2 mg/dL", sex="male"),
        [("12061", 200.0)],
        0,
        [("serum_magnesium", 2.2, "mg/dL", None)],
        "nothing_needed",
    ),
]


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_named_cases_give_their_first_action(
    engine: str, tmp_path: Path, food_index: FoodIndex
) -> None:
    day = DATES[0]
    cohort: dict[str, Any] = {
        "people": [],
        "foods": [],
        "supplements": [],
        "water": [],
        "labs": [],
        "standard": "dge",
        "format": "csv",
    }
    for pid, (person, foods, supplement_mg, labs, _) in enumerate(NAMED, start=1):
        cohort["people"].append(
            {"person_id": pid, **{k: v for k, v in person.items() if k != "name"}}
        )
        for ndb, grams in foods:
            cohort["foods"].append({"person_id": pid, "date": day, "ndb": ndb, "grams": grams})
        if supplement_mg:
            cohort["supplements"].append(
                {
                    "person_id": pid,
                    "date": day,
                    "form": "citrate",
                    "elemental_mg": supplement_mg,
                    "compound_mg": None,
                }
            )
        for test, value, unit, comparator in labs:
            cohort["labs"].append(
                {
                    "person_id": pid,
                    "value": value,
                    "unit": unit,
                    "date": None,
                    "test": test,
                    "comparator": comparator,
                }
            )
    rows = check(cohort, tmp_path, food_index, engine)  # equal to assess, field by field
    got = {NAMED[int(pid) - 1][0]["name"]: row["action"] for pid, row in rows.items()}
    assert got == {person["name"]: action for person, *_, action in NAMED}
    assert {action for *_, action in NAMED} == set(ACTIONS)


@given(st.floats(allow_nan=False))
def test_csv_numbers_are_arrows(value: float) -> None:
    """The CSV files' numbers read as pyarrow's ``write_csv`` wrote them, to the byte."""
    from magwise.cohort._frame import arrow_number

    assert arrow_number(value) == pa.array([value], pa.float64()).cast(pa.string())[0].as_py()
