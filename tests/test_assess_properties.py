"""Safety and consistency invariants of ``assess`` over thousands of generated cases."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magwise import assess, load_knowledge, schema
from magwise.result import Result

KB = load_knowledge()
FOODS = ["11457", "12061", "20137", "09040", "01077", "08120", "15076", "12014", "16015", "01188"]
FORMS = ["citrate", "oxide", "glycinate", "epsom salt", "malate", "magnesium oil", "chloride"]
UNITS = ["mmol/L", "mg/dL", "mEq/L"]
CONDITIONS = KB.conditions.codes()
MEDICATIONS = KB.medications.codes()
SYMPTOMS = KB.symptoms.codes()
PATTERNS = KB.patterns.codes()
TRIGGERS = KB.triggers.codes()
SCALP = KB.scalp_signs.codes()

amounts = st.floats(min_value=0, max_value=600, allow_nan=False)


@st.composite
def supplements(draw: st.DrawFn) -> dict[str, Any]:
    form = draw(st.sampled_from(FORMS))
    if draw(st.booleans()):
        return {"form": form, "elemental_mg": draw(amounts)}
    return {"form": form, "compound_mg": draw(st.floats(0, 3000, allow_nan=False))}


@st.composite
def days(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 7))
    out = []
    for i in range(n):
        out.append(
            {
                "date": f"2026-11-{i + 1:02d}",
                "foods": draw(
                    st.lists(
                        st.fixed_dictionaries(
                            {"food": st.sampled_from(FOODS), "grams": st.floats(0, 400)}
                        ),
                        max_size=10,
                    )
                ),
                "supplements": draw(st.lists(supplements(), max_size=3)),
                "water": draw(
                    st.lists(
                        st.fixed_dictionaries(
                            {"liters": st.floats(0, 3), "mg_per_liter": st.floats(0, 200)}
                        ),
                        max_size=2,
                    )
                ),
            }
        )
    return out


@st.composite
def labs(draw: st.DrawFn) -> list[dict[str, Any]]:
    if not draw(st.booleans()):
        return []
    mmol = draw(st.floats(0.11, 7.9))
    unit = draw(st.sampled_from(UNITS))
    factor = {"mmol/L": 1.0, "mg/dL": 2.4305, "mEq/L": 2.0}[unit]
    return [{"test": "serum_magnesium", "value": mmol * factor, "unit": unit}]


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    sex = draw(st.sampled_from(["female", "male"]))
    age = draw(st.floats(0, 100))
    state = draw(st.sampled_from(["none", "pregnant", "lactating"])) if sex == "female" else "none"
    case: dict[str, Any] = {
        "version": 1,
        "standard": draw(st.sampled_from(["dge", "efsa", "nih"])),
        "profile": {
            "sex": sex,
            "age_years": age,
            "pregnant": state == "pregnant",
            "lactating": state == "lactating",
            "conditions": draw(st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True)),
            "medications": draw(st.lists(st.sampled_from(MEDICATIONS), max_size=2, unique=True)),
        },
        "days": draw(days()),
        "labs": draw(labs()),
        "symptoms": draw(st.lists(st.sampled_from(SYMPTOMS), max_size=3, unique=True)),
    }
    if draw(st.booleans()):
        case["hair"] = {
            "pattern": draw(st.sampled_from(PATTERNS)),
            "shedding_per_day": draw(st.floats(0, 400)),
            "duration_weeks": draw(st.floats(0, 60)),
            "family_history": draw(st.booleans()),
            "triggers": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {"kind": st.sampled_from(TRIGGERS), "weeks_ago": st.floats(0, 60)}
                    ),
                    max_size=2,
                )
            ),
            "scalp": draw(st.lists(st.sampled_from(SCALP), max_size=2, unique=True)),
        }
    return case


MANY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def result_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema("result"))


def _serum_mmol(case: dict[str, Any]) -> float | None:
    """The serum value in mmol/L as it is shown and judged: to 0.01 mmol/L."""
    if not case["labs"]:
        return None
    lab = case["labs"][0]
    factor = {"mmol/L": 1.0, "mg/dL": 1 / 2.4305, "mEq/L": 0.5}[lab["unit"]]
    return round(round(factor * lab["value"], 4), 2)


def magnesium_source(case: dict[str, Any]) -> bool:
    """A supplement taken by mouth, or a medicine that contains magnesium."""
    taken = any(
        (form := KB.form(s["form"])) is None or form.absorbed
        for d in case["days"]
        for s in d["supplements"]
    )
    medicines = case["profile"]["medications"]
    return taken or any(
        KB.medication_class(KB.medications.resolve(m, "m").code).effect == "contains_mg"
        for m in medicines
    )


def excess_context(case: dict[str, Any]) -> bool:
    """Symptoms count as signs of too much magnesium only with a magnesium source, a
    high serum value or kidney disease."""
    mmol = _serum_mmol(case)
    kidney = any(KB.conditions.get(c).kidney for c in case["profile"]["conditions"])
    return magnesium_source(case) or (mmol is not None and mmol > 1.05) or kidney


def _excluded(case: dict[str, Any], result: Result) -> bool:
    p = case["profile"]
    mmol = _serum_mmol(case)
    return (
        p["age_years"] < 18
        or p["pregnant"]
        or p["lactating"]
        or any(KB.conditions.get(c).contraindicated for c in p["conditions"])
        or (
            excess_context(case)
            and any("excess" in KB.symptoms.get(s).signals for s in case["symptoms"])
        )
        or (mmol is not None and mmol > 1.05)
        or result.urgent
    )


@MANY
@given(cases())
def test_the_plan_never_exceeds_the_supplemental_upper_limit(case: dict[str, Any]) -> None:
    result = assess(case)
    plan = result.dose_plan
    if plan is None:
        return
    ul = result.reference.supplement_ul_mg
    assert ul is not None
    assert plan.supplement_mg_per_day <= ul
    assert sum(d.elemental_mg for d in plan.doses) <= ul
    assert plan.compound_mg_per_dose * plan.elemental_fraction * plan.doses_per_day <= ul
    assert plan.doses_per_day >= 2


@MANY
@given(cases())
def test_no_plan_when_any_exclusion_holds(case: dict[str, Any]) -> None:
    result = assess(case)
    if _excluded(case, result):
        assert result.dose_plan is None
    if result.dose_plan is not None:
        assert result.status in ("low", "deficient")


@MANY
@given(cases(), st.sampled_from(["12014", "11457", "20137"]), st.floats(1, 300))
def test_more_food_never_raises_the_planned_dose(
    case: dict[str, Any], ndb: str, grams: float
) -> None:
    if not case["days"]:
        return
    before = assess(case).dose_plan
    more = json.loads(json.dumps(case))
    more["days"][0]["foods"].append({"food": ndb, "grams": grams})
    after = assess(more).dose_plan
    dose_before = before.supplement_mg_per_day if before else 0
    dose_after = after.supplement_mg_per_day if after else 0
    assert dose_after <= dose_before


@MANY
@given(cases(), st.floats(0.1, 3), st.floats(1, 200))
def test_more_water_never_raises_the_planned_dose(
    case: dict[str, Any], liters: float, mg_per_liter: float
) -> None:
    if not case["days"]:
        return
    before = assess(case).dose_plan
    more = json.loads(json.dumps(case))
    more["days"][-1]["water"].append({"liters": liters, "mg_per_liter": mg_per_liter})
    after = assess(more).dose_plan
    assert (after.supplement_mg_per_day if after else 0) <= (
        before.supplement_mg_per_day if before else 0
    )


@MANY
@given(cases())
def test_every_finding_has_known_sources(case: dict[str, Any]) -> None:
    result = assess(case)
    assert result.findings
    for finding in result.findings:
        assert finding.sources
        assert set(finding.sources) <= set(KB.sources), finding.code
        assert finding.code in KB.findings
    for src in result.reference.sources:
        assert src in KB.sources


@MANY
@given(cases())
def test_intake_parts_add_up(case: dict[str, Any]) -> None:
    intake = assess(case).intake
    if intake is None:
        assert not case["days"]
        return
    assert abs(intake.food_mg + intake.water_mg + intake.supplement_mg - intake.total_mg) < 1e-9
    for d in intake.per_day:
        assert abs(d.food_mg + d.water_mg + d.supplement_mg - d.total_mg) < 1e-9
    assert intake.days == len(intake.per_day) == len(case["days"])


@settings(max_examples=400, deadline=None)
@given(cases())
def test_result_validates_against_its_schema(case: dict[str, Any]) -> None:
    result = assess(case)
    text = result.model_dump_json()
    result_validator().validate(json.loads(text))
    # the result reads back as itself: what assess builds is what a reader of the JSON gets
    assert Result.model_validate_json(text).model_dump_json() == text


@MANY
@given(cases())
def test_referral_rules_hold(case: dict[str, Any]) -> None:
    result = assess(case)
    p = case["profile"]
    mmol = _serum_mmol(case)
    must_refer = (
        p["age_years"] < 18
        or any(KB.conditions.get(c).contraindicated for c in p["conditions"])
        or (
            excess_context(case)
            and any("excess" in KB.symptoms.get(s).signals for s in case["symptoms"])
        )
        or (mmol is not None and (mmol < 0.70 or mmol > 1.05))
        or (
            "hair" in case
            and (
                KB.patterns.get(case["hair"]["pattern"]).red_flag
                or any(KB.scalp_signs.get(s).red_flag for s in case["hair"]["scalp"])
                or case["hair"]["duration_weeks"] > 26
            )
        )
    )
    if must_refer:
        assert result.refer_to_doctor
    must_be_urgent = (
        (mmol is not None and (mmol >= 2.0 or mmol < 0.5))
        or any(KB.symptoms.get(s).urgent for s in case["symptoms"])
        or (
            excess_context(case) and any(KB.symptoms.get(s).severe_excess for s in case["symptoms"])
        )
    )
    if must_be_urgent:
        assert result.urgent
    if result.urgent:
        assert result.refer_to_doctor


@settings(max_examples=200, deadline=None)
@given(cases())
def test_assess_is_deterministic(case: dict[str, Any]) -> None:
    assert assess(case).model_dump_json() == assess(json.dumps(case)).model_dump_json()
