"""Progress over weeks: shedding verdicts, weekly intake, adherence and escalations."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._records import counts, day, intake, profile, record

from magwise.foods import FoodIndex
from magwise.knowledge import load_knowledge
from magwise.progress import ProgressResult, case_from_record, progress
from magwise.progress.shedding import judge_shedding
from magwise.progress.stats import median, rank_sum, theil_sen
from magwise.record import LabEntry, PersonRecord, PlanEntry, SheddingEntry, SymptomEntry
from magwise.schemas import schema

KB = load_knowledge()
ROOT = Path(__file__).resolve().parent.parent


def verdict(entries: tuple[SheddingEntry, ...]) -> str:
    return judge_shedding(entries, KB).verdict


def judge(rec: PersonRecord, foods: FoodIndex, today: dt.date | None = None) -> ProgressResult:
    last = max((e.day for e in rec.shedding), default=day(0))
    return progress(rec, today=today or last, knowledge=KB, foods=foods)


def codes(result: ProgressResult) -> set[str]:
    return {f.code for f in result.findings}


# ---- statistics ---------------------------------------------------------------------


def test_median() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
    with pytest.raises(ValueError, match="no values"):
        median([])


def test_rank_sum_by_hand() -> None:
    # all three recent values above all three baseline ones: U = 9, mean 4.5, var 5.25
    rs = rank_sum([1, 2, 3], [4, 5, 6])
    assert rs.u == 9
    assert rs.z == pytest.approx(4.5 / math.sqrt(5.25))
    assert rs.p_higher == pytest.approx(0.5 * math.erfc(4.0 / math.sqrt(5.25) / math.sqrt(2)))
    assert rs.p_lower == pytest.approx(0.5 * math.erfc(-5.0 / math.sqrt(5.25) / math.sqrt(2)))


def test_rank_sum_ties_and_constant_samples() -> None:
    assert rank_sum([5, 5, 5], [5, 5]).p_lower == 1.0
    tied = rank_sum([1, 2, 2, 3], [2, 3, 3, 4])
    assert 0 < tied.p_higher < 0.5 < tied.p_lower


def test_theil_sen_ignores_an_outlier() -> None:
    assert theil_sen([0, 1, 2, 3, 4], [10, 8, 6, 100, 2]) == pytest.approx(-2)
    assert theil_sen([1], [1]) is None


# ---- verdicts on synthetic series ----------------------------------------------------


def test_clearly_improving() -> None:
    shed = judge_shedding(counts(112, lambda i: 160 - i * 0.7, noise=15, seed=1), KB)
    assert shed.verdict == "improving"
    assert shed.method == "daily_count"
    assert shed.recent_median is not None and shed.baseline_median is not None
    assert shed.recent_median < shed.baseline_median
    assert shed.slope_per_week is not None and shed.slope_per_week < 0
    assert shed.test is not None and shed.test.p_lower < 0.05


def test_flat_with_noise_is_no_change() -> None:
    assert verdict(counts(112, lambda i: 120, noise=25, seed=3)) == "no_change"


def test_flat_with_noise_rarely_moves() -> None:
    verdicts = [verdict(counts(112, lambda i: 120, noise=25, seed=s)) for s in range(40)]
    assert verdicts.count("no_change") >= 32  # about 10 % expected by chance in two tails


def test_worsening() -> None:
    shed = judge_shedding(counts(112, lambda i: 90 + i * 0.8, noise=15, seed=4), KB)
    assert shed.verdict == "worse"
    assert shed.worsening


def test_sparse_and_missing_days() -> None:
    # about 3 counts in 7 days kept, at random
    entries = counts(126, lambda i: 170 - i * 0.7, noise=12, seed=5, keep=0.45)
    assert len(entries) < 70
    shed = judge_shedding(entries, KB)
    assert shed.verdict == "improving"
    assert any(w.median is None for w in shed.weeks) or all(w.counts >= 3 for w in shed.weeks)


def test_too_few_counts_is_too_early() -> None:
    entries = counts(120, lambda i: 150 - i, keep=0.1, seed=6)
    shed = judge_shedding(entries, KB)
    assert shed.verdict == "too_early"
    assert "too few counts" in shed.verdict_reason
    assert shed.test is None


def test_too_early_under_12_weeks() -> None:
    shed = judge_shedding(counts(60, lambda i: 200 - i * 2), KB)
    assert shed.verdict == "too_early"
    assert "12 needed" in shed.verdict_reason
    whole = judge_shedding(counts(42, lambda i: 200 - i * 2), KB)  # 6 whole weeks
    assert whole.verdict_reason.startswith("6 weeks of counts so far"), whole.verdict_reason


def test_no_counts() -> None:
    shed = judge_shedding((), KB)
    assert shed.verdict == "too_early"
    assert shed.method is None
    assert shed.weeks == []


def test_weekly_medians_and_baseline() -> None:
    shed = judge_shedding(counts(28, lambda i: 100 + 10 * (i // 7)), KB)
    assert [w.median for w in shed.weeks] == [100, 110, 120, 130]
    assert shed.baseline_median == 105
    assert shed.baseline_end == day(13)


def test_methods_are_not_mixed() -> None:
    daily = counts(100, lambda i: 150 - i)
    comb = counts(20, lambda i: 10, method="comb_test")
    shed = judge_shedding(daily + comb, KB)
    assert shed.method == "daily_count"
    assert [m.method for m in shed.methods] == ["daily_count", "comb_test"]
    assert shed.weeks_of_data == round(100 / 7, 2)


def test_dominant_method_is_judged() -> None:
    comb = counts(90, lambda i: 20 - i / 10, method="comb_test")
    daily = counts(10, lambda i: 500)
    assert judge_shedding(comb + daily, KB).method == "comb_test"


# ---- boundaries ----------------------------------------------------------------------


@pytest.mark.parametrize(("days", "judged"), [(83, False), (84, True)])
def test_verdict_boundary_at_12_weeks(days: int, judged: bool) -> None:
    shed = judge_shedding(counts(days, lambda i: 160 - i), KB)
    assert (shed.verdict != "too_early") is judged


@pytest.mark.parametrize(
    ("days", "code"),
    [
        (83, None),
        (84, "progress_no_improvement_12w"),
        (167, "progress_no_improvement_12w"),
        (168, "progress_no_improvement_24w"),
    ],
)
def test_no_improvement_escalates_at_12_and_24_weeks(
    food_index: FoodIndex, days: int, code: str | None
) -> None:
    result = judge(record(shedding=counts(days, lambda i: 120, noise=20, seed=3)), food_index)
    raised = codes(result) & {"progress_no_improvement_12w", "progress_no_improvement_24w"}
    assert raised == ({code} if code else set())
    assert result.refer_to_doctor is (code is not None)
    if code:
        assert code in result.progress.escalations
        assert "ferritin" in next(f.message for f in result.findings if f.code == code)


@pytest.mark.parametrize(("days", "flagged"), [(27, False), (28, True), (60, True)])
def test_worse_escalates_from_4_weeks(food_index: FoodIndex, days: int, flagged: bool) -> None:
    steps = counts(days, lambda i: 80 if i < 14 else 160)
    result = judge(record(shedding=steps), food_index)
    assert result.progress.verdict == "too_early"
    assert ("progress_worse" in codes(result)) is flagged
    assert result.refer_to_doctor is flagged


def test_improving_is_not_escalated(food_index: FoodIndex) -> None:
    result = judge(record(shedding=counts(112, lambda i: 160 - i)), food_index)
    assert result.progress.verdict == "improving"
    assert "progress_improving" in codes(result)
    assert result.progress.escalations == []
    assert not result.refer_to_doctor
    assert result.headline.endswith("Shedding: improving.")


# ---- escalations for safety -------------------------------------------------------------


def test_excess_symptoms_at_any_time_stop_the_plan(food_index: FoodIndex) -> None:
    # low intake and no serum: the assessment alone would suggest a plan
    water = intake(60)["water"]
    base = record(water=water, shedding=counts(60, lambda i: 120))
    assert judge(base, food_index).dose_plan is not None
    old_sign = record(
        water=water,
        shedding=counts(60, lambda i: 120),
        symptoms=(SymptomEntry(1, day(10), "diarrhoea"),),
    )
    result = judge(old_sign, food_index)
    assert {"progress_excess_symptoms", "progress_plan_withheld"} <= codes(result)
    assert "excess_symptoms" not in codes(result)  # older than the 14 days the case reads
    assert result.dose_plan is None
    assert not codes(result) & {"dose_plan_made", "confirm_with_blood_test"}
    assert result.refer_to_doctor
    assert result.action == "stop_magnesium"
    assert result.headline.startswith("Stop taking magnesium. See a doctor about your progress")
    assert "take at most" not in result.headline


def test_serum_above_range_during_follow_up(food_index: FoodIndex) -> None:
    labs = (
        LabEntry(1, day(5), "serum_magnesium", 1.2, "mmol/L"),
        LabEntry(2, day(40), "serum_magnesium", 0.8, "mmol/L"),
    )
    result = judge(record(labs=labs, shedding=counts(50, lambda i: 100)), food_index)
    assert "progress_serum_high" in codes(result)
    assert "serum_high" not in codes(result)  # the latest result is in range
    assert result.refer_to_doctor


def test_serum_above_the_labs_own_range(food_index: FoodIndex) -> None:
    labs = (LabEntry(1, day(5), "serum_magnesium", 1.0, "mmol/L", 0.66, 0.95),)
    assert "progress_serum_high" in codes(judge(record(labs=labs), food_index, day(20)))


def test_urgent_of_the_assessment_is_kept(food_index: FoodIndex) -> None:
    rec = record(
        shedding=counts(30, lambda i: 80 if i < 14 else 170),
        symptoms=(SymptomEntry(1, day(29), "seizures"),),
    )
    result = judge(rec, food_index)
    assert result.urgent
    assert result.headline.startswith("Seek medical help today")
    assert "see a doctor too" in result.headline


def test_supplements_above_the_limit_per_week(food_index: FoodIndex) -> None:
    result = judge(record(**intake(21, supplement_mg=400)), food_index, day(20))
    weeks = result.progress.intake_weeks
    assert [w.supplement_above_ul for w in weeks] == [True, True, True]
    assert "progress_supplement_above_ul" in codes(result)


# ---- intake, adherence and the case -------------------------------------------------------


def test_weekly_intake_against_target(food_index: FoodIndex) -> None:
    result = judge(record(**intake(14)), food_index, day(13))
    weeks = result.progress.intake_weeks
    assert [w.week for w in weeks] == [1, 2]
    pumpkin = food_index.get("12014").mg_per_100g
    assert pumpkin is not None
    assert weeks[0].food_mg == pytest.approx(round(30 * pumpkin / 100, 1))
    assert weeks[0].water_mg == 150
    assert weeks[0].target_mg == 300
    assert weeks[0].below_target is (weeks[0].total_mg < 300)


def test_adherence(food_index: FoodIndex) -> None:
    supplements = intake(10, supplement_mg=150)["supplements"]
    taken = tuple(s for s in supplements if s.day.day % 3)  # skip some days
    plans = (
        PlanEntry(1, day(0), 150, "citrate", stopped=day(10)),
        PlanEntry(2, day(5), 100, "oxide"),
    )
    result = judge(record(supplements=taken, plans=plans), food_index, day(9))
    first, second = result.progress.adherence
    assert first.planned_days == 10
    assert first.taken_days == len(taken)
    assert first.share == pytest.approx(len(taken) / 10, abs=0.001)
    assert second.planned_days == 5
    assert second.taken_days == 0  # citrate logged, oxide planned


def test_case_reads_last_7_days_and_14_days_of_symptoms() -> None:
    rec = record(
        **intake(30),
        profiles=(profile(), profile(valid_from=day(20), age_years=35.0, medications=("ppi",))),
        symptoms=(SymptomEntry(1, day(10), "cramps"), SymptomEntry(2, day(20), "fatigue")),
        labs=(
            LabEntry(1, day(2), "serum_magnesium", 0.7, "mmol/L"),
            LabEntry(2, day(25), "serum_magnesium", 0.8, "mmol/L"),
        ),
        shedding=counts(30, lambda i: 90 + i),
    )
    case = case_from_record(rec, day(29), KB)
    assert [d.date for d in case.days] == [day(i) for i in range(23, 30)]
    assert case.symptoms == ("fatigue",)
    assert case.profile.medications == ("ppi",)
    assert [lab.value for lab in case.labs] == [0.8]
    assert case.hair is not None
    assert case.hair.shedding_per_day == 116  # median of days 23..29


def test_an_old_hair_loss_start_is_capped_at_what_a_case_holds(food_index: FoodIndex) -> None:
    """A profile kept from before the bounds (hair loss since 1900) still makes a case."""
    from magwise.bounds import MAX_DURATION_WEEKS, MAX_WEEKS_AGO
    from magwise.case import parse_case
    from magwise.record import HairTrigger
    from magwise.store._case import case_for

    old = dt.date(1900, 1, 1)
    rec = record(
        **intake(20),
        profiles=(profile(hair_loss_since=old, triggers=(HairTrigger("childbirth", old),)),),
        shedding=counts(20, lambda i: 90),
    )
    case = case_from_record(rec, day(19), KB)
    assert case.hair is not None
    assert case.hair.duration_weeks == MAX_DURATION_WEEKS
    assert case.hair.triggers == ()  # a trigger of long ago is not a trigger of this loss
    judge(rec, food_index, day(19))
    store_case = parse_case(case_for(rec, day(0), day(19)))
    assert store_case.hair is not None
    assert store_case.hair.duration_weeks == MAX_DURATION_WEEKS
    assert [t.weeks_ago for t in store_case.hair.triggers] == [MAX_WEEKS_AGO]


def test_a_reversed_lab_range_kept_from_before_is_left_out_of_the_case() -> None:
    from magwise.case import parse_case
    from magwise.store._case import case_for

    lab = LabEntry(1, day(2), "serum_magnesium", 0.74, "mmol/L", 1.2, 0.7)
    rec = record(**intake(10), profiles=(profile(),), labs=(lab,))
    (judged,) = case_from_record(rec, day(9), KB).labs
    assert (judged.value, judged.range_low, judged.range_high) == (0.74, None, None)
    (kept,) = parse_case(case_for(rec, day(0), day(9))).labs
    assert (kept.value, kept.range_low, kept.range_high) == (0.74, None, None)


def test_no_profile_is_an_input_error(food_index: FoodIndex) -> None:
    from magwise.errors import InputError

    with pytest.raises(InputError, match="no profile"):
        progress(PersonRecord(1, ()), knowledge=KB, foods=food_index)


# ---- the contract ------------------------------------------------------------------------


def test_published_progress_schema_matches_the_code() -> None:
    published = json.loads((ROOT / "docs" / "schema" / "progress.v1.json").read_text())
    assert published == schema("progress"), (
        "run: magwise schema progress > docs/schema/progress.v1.json"
    )


def test_progress_result_validates_against_its_schema(food_index: FoodIndex) -> None:
    import jsonschema

    rec = record(**intake(90, supplement_mg=100), shedding=counts(90, lambda i: 150 - i))
    data = json.loads(judge(rec, food_index).model_dump_json())
    jsonschema.validate(data, schema("progress"))
    assert data["progress"]["verdict"] == "improving"
    assert set(schema("result")["properties"]) < set(schema("progress")["properties"])


def test_every_progress_parameter_names_a_known_source() -> None:
    params = KB.progress
    assert params.verdict_weeks.value == 12
    assert params.dermatologist_weeks.value == 24
    assert params.worse_after_weeks.value == 4
    assert params.baseline_weeks.value == 2
    for code in [c for c in KB.findings if c.startswith("progress_")]:
        entry = KB.finding(code)
        assert set(entry.sources) <= set(KB.sources)
        assert not entry.refer or entry.reason


# ---- properties ---------------------------------------------------------------------------

levels = st.lists(st.integers(0, 400), min_size=1, max_size=200)


@given(values=levels, gap=st.integers(1, 3))
def test_too_early_whenever_data_spans_under_12_weeks(values: list[int], gap: int) -> None:
    entries = tuple(
        SheddingEntry(i, day(i * gap), v, "daily_count")
        for i, v in enumerate(values)
        if i * gap < 83
    )
    assert verdict(entries) == "too_early"


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(
    days=st.integers(84, 200),
    level=st.integers(40, 300),
    drop=st.floats(0.05, 2.0),
    seed=st.integers(0, 10_000),
    keep=st.floats(0.4, 1.0),
)
def test_noise_free_improvement_is_never_worse(
    days: int, level: int, drop: float, seed: int, keep: float
) -> None:
    entries = counts(days, lambda i: max(level - drop * i, 0), seed=seed, keep=keep)
    shed = judge_shedding(entries, KB)
    assert shed.verdict != "worse"
    assert not shed.worsening


@settings(max_examples=60)
@given(
    values=st.lists(st.integers(0, 300), min_size=84, max_size=160),
    drop=st.floats(0.0, 1.5),
)
def test_adding_improvement_never_turns_a_series_worse(values: list[int], drop: float) -> None:
    before = tuple(SheddingEntry(i, day(i), v, "daily_count") for i, v in enumerate(values))
    after = tuple(
        SheddingEntry(i, day(i), max(v - round(drop * i), 0), "daily_count")
        for i, v in enumerate(values)
    )
    if verdict(before) != "worse":
        assert verdict(after) != "worse"
