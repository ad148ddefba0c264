"""The first action over generated cases: stop or lower first when something is already
wrong, the headline leads with it, and excess is judged in context."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_assess_properties import KB, cases, magnesium_source

from magwise import assess, load_knowledge
from magwise.result import ACTIONS

DE = load_knowledge("de")
COMPARATORS = [None, "<", "<=", ">", ">="]
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def clinical_cases(draw: st.DrawFn) -> dict[str, Any]:
    """The property tests' cases, with kidney results and comparators besides."""
    case = draw(cases())
    labs: list[dict[str, Any]] = []
    for lab in case["labs"]:
        comparator = draw(st.sampled_from(COMPARATORS))
        labs.append(lab if comparator is None else {**lab, "comparator": comparator})
    if draw(st.booleans()):
        egfr: dict[str, Any] = {
            "test": "egfr",
            "value": draw(st.floats(5, 120)),
            "unit": "mL/min/1.73 m²",
        }
        comparator = draw(st.sampled_from(COMPARATORS))
        labs.append(egfr if comparator is None else {**egfr, "comparator": comparator})
    if draw(st.booleans()):
        labs.append(
            {
                "test": "creatinine",
                "value": draw(st.floats(0.3, 8)),
                "unit": "mg/dL",
            }
        )
    case["labs"] = labs
    return case


def _serum_surely_high(case: dict[str, Any]) -> bool:
    for lab in case["labs"]:
        if lab["test"] == "serum_magnesium":
            factor = {"mmol/L": 1.0, "mg/dL": 1 / 2.4305, "mEq/L": 0.5}[lab["unit"]]
            mmol = round(round(factor * lab["value"], 4), 2)
            comparator = lab.get("comparator")
            if comparator == ">":
                return mmol >= 1.05
            return mmol > 1.05 if comparator in (None, ">=") else False
    return False


def _kidney_disease(case: dict[str, Any]) -> bool:
    if any(KB.conditions.get(c).kidney for c in case["profile"]["conditions"]):
        return True
    for lab in case["labs"]:
        if lab["test"] == "egfr":
            comparator = lab.get("comparator")
            value = lab["value"]
            # at least 60 for sure only with an exact value or a lower bound of 60 or more
            surely_normal = (comparator is None and value >= 60) or (
                comparator in (">", ">=") and value >= 60
            )
            return not surely_normal
    return False


EXCESS = {"excess_symptoms", "severe_excess_symptoms"}


@SETTINGS
@given(clinical_cases())
def test_an_excess_signal_makes_the_first_action_stop_lower_or_urgent(case: dict[str, Any]) -> None:
    result = assess(case)
    codes = {f.code for f in result.findings}
    source = magnesium_source(case)
    excess_symptom = any("excess" in KB.symptoms.get(s).signals for s in case["symptoms"])
    signal = (
        source and (excess_symptom or _serum_surely_high(case))
    ) or "supplement_above_ul" in codes
    if signal:
        assert result.action in {"stop_magnesium", "lower_supplements", "urgent_care"}
    if source and excess_symptom and not result.urgent:
        assert result.action == "stop_magnesium"
    assert result.headline.startswith(KB.texts[f"action_{result.action}"])


@SETTINGS
@given(clinical_cases())
def test_no_excess_finding_without_a_source_high_serum_or_kidney_disease(
    case: dict[str, Any],
) -> None:
    result = assess(case)
    codes = {f.code for f in result.findings}
    if not (magnesium_source(case) or _serum_surely_high(case) or _kidney_disease(case)):
        assert not codes & EXCESS
        assert result.action != "stop_magnesium"


@SETTINGS
@given(clinical_cases())
def test_the_plan_stays_safe_with_kidneys_and_bounds(case: dict[str, Any]) -> None:
    result = assess(case)
    codes = {f.code for f in result.findings}
    plan = result.dose_plan
    if plan is None:
        return
    ul = result.reference.supplement_ul_mg
    assert ul is not None and plan.supplement_mg_per_day <= ul
    assert not any(KB.conditions.get(c).contraindicated for c in case["profile"]["conditions"])
    assert not codes & {"egfr_contraindication", "egfr_reduced", "egfr_undecidable"}
    assert "serum_high" not in codes
    assert not codes & EXCESS
    assert not result.urgent
    if case["profile"]["age_years"] >= 65:
        kidney_result = any(lab["test"] in ("egfr", "creatinine") for lab in case["labs"])
        assert kidney_result or "kidney_check_first" in codes


@SETTINGS
@given(clinical_cases())
def test_the_action_follows_precedence_in_both_languages(case: dict[str, Any]) -> None:
    result = assess(case)
    german = assess(case, knowledge=DE)
    assert result.action == german.action
    assert german.headline.startswith(DE.texts[f"action_{german.action}"])
    assert result.action in ACTIONS
    assert (result.action == "urgent_care") is result.urgent
    if result.action == "follow_plan":
        assert result.dose_plan is not None
    if result.action == "nothing_needed":
        assert not result.refer_to_doctor and result.dose_plan is None
    if result.refer_to_doctor:
        assert ACTIONS.index(result.action) <= ACTIONS.index("see_doctor")
