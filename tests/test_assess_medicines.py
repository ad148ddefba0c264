"""Medicines: each label's own spacing, the right direction, the missing ones, dose times."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._cases import codes, make_case, serum, water_only

from magwise import assess, load_knowledge
from magwise.advisor.dose_times import FastingWindow, dose_slots, fasting_windows
from magwise.knowledge._models import MedicationClass
from magwise.result import Result

KB = load_knowledge()
DE = load_knowledge("de")
MEDICATIONS = KB.medications.codes()
SPACED = [c for c in MEDICATIONS if KB.medication_class(c).effect == "absorption"]
FASTING = [c for c in SPACED if KB.medication_class(c).fasting_morning]


def with_medicines(medicines: list[str], natural_mg: float = 100, **case: Any) -> Result:
    return assess(
        make_case(profile={"medications": medicines}, days=[water_only(natural_mg)], **case)
    )


def hour_of(label: str, kb: Any = KB) -> float:
    return next(s.hour for s in kb.rules.dose_clock.slots if s.label == label)


# ---- each label's own spacing -------------------------------------------------------


@pytest.mark.parametrize(
    ("medicine", "before_h", "after_h", "source"),
    [
        ("moxifloxacin", 4, 8, "fda_avelox_pi"),  # Avelox: 4 h before or 8 h after
        ("ciprofloxacin", 2, 6, "fda_cipro_pi"),  # Cipro: 2 h before or 6 h after
        ("levofloxacin", 2, 2, "fda_levaquin_pi"),  # Levaquin: 2 h before or after
        ("ofloxacin", 2, 2, "fda_floxin_pi"),
        ("dolutegravir", 2, 6, "fda_tivicay_pi"),  # Tivicay: 2 h before or 6 h after
        ("bictegravir", 2, 6, "fda_biktarvy_pi"),
        ("cabotegravir", 4, 2, "fda_vocabria_pi"),  # antacid 2 h before or 4 h after it
        ("eltrombopag", 4, 4, "ema_revolade_smpc"),  # EU 4 h either way beats US 2/4
        ("levothyroxine", 4, 4, "fda_synthroid2008"),
        ("doxycycline", 2, 6, "nih_ods"),  # no label figure: the class's
    ],
)
def test_a_medicine_is_spaced_by_its_own_label(
    medicine: str, before_h: float, after_h: float, source: str
) -> None:
    result = with_medicines([medicine])
    assert result.dose_plan is not None
    (spacing,) = result.dose_plan.spacing
    assert (spacing.medicine_before_h, spacing.medicine_after_h) == (before_h, after_h)
    assert source in spacing.sources
    label = KB.medications.resolve(medicine, "m").label
    assert (
        spacing.advice
        == f"Take {label} at least {before_h} h before or {after_h} h after magnesium."
    )
    (finding,) = [f for f in result.findings if f.code == "interaction_spacing"]
    assert f"at least {before_h} h before or {after_h} h after magnesium" in finding.message
    assert source in finding.sources


def test_a_label_spacing_is_not_the_class_spacing_where_they_differ() -> None:
    cls = KB.medication_class("moxifloxacin")
    assert (cls.medicine_before_h, cls.medicine_after_h) == (2, 6)
    gap = cls.spacing("moxifloxacin")
    assert gap is not None and (gap.medicine_before_h, gap.medicine_after_h) == (4, 8)


def test_every_medicine_with_its_own_spacing_names_a_registered_label() -> None:
    own = [m for cls in KB.medication_classes for m in cls.members if m.medicine_before_h]
    assert {m.code for m in own} >= {"moxifloxacin", "levofloxacin", "dolutegravir"}
    for member in own:
        assert member.sources and all(s in KB.sources for s in member.sources)


def test_own_spacing_needs_a_source_and_both_hours() -> None:
    base: dict[str, Any] = {
        "code": "x",
        "label": "X",
        "effect": "absorption",
        "medicine_before_h": 2,
        "medicine_after_h": 2,
        "sources": ["nih_ods"],
    }
    with pytest.raises(ValueError, match="its label as a source"):
        MedicationClass.model_validate(
            base
            | {
                "members": [
                    {"code": "y", "label": "Y", "medicine_before_h": 1, "medicine_after_h": 1}
                ]
            }
        )
    with pytest.raises(ValueError, match="both spacing hours"):
        MedicationClass.model_validate(
            base
            | {"members": [{"code": "y", "label": "Y", "medicine_before_h": 1, "sources": ["a"]}]}
        )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MEDICATIONS), min_size=1, max_size=4, unique=True))
def test_every_spacing_in_the_result_is_its_knowledge_base_entry(medicines: list[str]) -> None:
    result = with_medicines(medicines)
    shown = {s.medication: s for s in (result.dose_plan.spacing if result.dose_plan else [])}
    for code in medicines:
        gap = KB.medication_class(code).spacing(code)
        messages = [
            f.message
            for f in result.findings
            if f.code == "interaction_spacing"
            and f.message.startswith(KB.medications.resolve(code, "m").label + ":")
        ]
        if gap is None:
            assert code not in shown and not messages
            continue
        assert len(messages) == 1
        hours = f"{gap.medicine_before_h:g} h before or {gap.medicine_after_h:g} h after"
        assert hours in messages[0]
        if result.dose_plan is not None:
            entry = shown[code]
            assert (entry.medicine_before_h, entry.medicine_after_h) == (
                gap.medicine_before_h,
                gap.medicine_after_h,
            )
            assert set(gap.sources) <= set(entry.sources)


# ---- direction and the missing medicines --------------------------------------------


def test_high_dose_zinc_lowers_magnesium_absorption_not_the_reverse() -> None:
    cls = KB.medication_class("zinc_high_dose")
    assert cls.effect == "lowers_mg_absorption" and cls.spacing("zinc_high_dose") is None
    result = with_medicines(["zinc"])
    assert "medication_lowers_mg_absorption" in codes(result)
    assert "interaction_spacing" not in codes(result)
    assert result.dose_plan is not None and result.dose_plan.spacing == []
    (finding,) = [f for f in result.findings if f.code == "medication_lowers_mg_absorption"]
    assert finding.message.startswith("High-dose zinc lowers the absorption of magnesium")


@pytest.mark.parametrize(
    "medicine",
    [
        "ciclosporin",
        "cyclosporine",
        "tacrolimus",
        "cisplatin",
        "amphotericin b",
        "foscarnet",
        "gentamicin",
        "amikacin",
    ],
)
def test_medicines_that_lower_magnesium_explain_a_low_value(medicine: str) -> None:
    low = assess(make_case(profile={"medications": [medicine]}, labs=[serum(0.6)]))
    assert {"medication_lowers_mg", "medication_explains_low"} <= set(codes(low))
    (finding,) = [f for f in low.findings if f.code == "medication_explains_low"]
    assert "can explain your low value" in finding.message
    assert "msd_hypomg" in finding.sources
    normal = assess(make_case(profile={"medications": [medicine]}, labs=[serum(0.9)]))
    assert "medication_lowers_mg" in codes(normal)
    assert "medication_explains_low" not in codes(normal)


def test_raltegravir_label_advises_against_magnesium_at_any_spacing() -> None:
    result = with_medicines(["isentress"])
    assert "interaction_avoid" in codes(result)
    assert result.dose_plan is None
    assert "no_plan_unsafe" in codes(result)
    (why,) = [f for f in result.findings if f.code == "no_plan_unsafe"]
    assert "the label of raltegravir advises against magnesium-containing products" in why.message


def test_german_texts_of_the_new_findings() -> None:
    case = make_case(
        profile={"medications": ["tacrolimus", "levothyroxine"]}, days=[water_only(100)]
    )
    result = assess(case, knowledge=DE)
    messages = {f.code: f.message for f in result.findings}
    assert messages["dose_times_fasting"].startswith("Levothyroxin wird nach dem Aufstehen")
    assert "mittags und abends" in messages["dose_times_fasting"]
    assert result.dose_plan is not None
    assert [d.time for d in result.dose_plan.doses] == ["mittags", "abends"]


# ---- dose times around fasting medicines --------------------------------------------


@pytest.mark.parametrize("medicine", ["levothyroxine", "alendronate", "ibandronate", "risedronate"])
def test_doses_move_out_of_a_morning_fasting_medicine(medicine: str) -> None:
    plain = with_medicines([])
    assert plain.dose_plan is not None
    assert [d.time for d in plain.dose_plan.doses] == ["morning", "evening"]
    result = with_medicines([medicine])
    assert result.dose_plan is not None
    assert [d.time for d in result.dose_plan.doses] == ["midday", "evening"]
    assert result.dose_plan.doses_per_day == 2
    (finding,) = [f for f in result.findings if f.code == "dose_times_fasting"]
    assert "planned for midday and evening: at least 4 h after it" in finding.message


def test_a_medicine_not_taken_fasting_leaves_the_times_alone() -> None:
    result = with_medicines(["moxifloxacin"])
    assert result.dose_plan is not None
    assert [d.time for d in result.dose_plan.doses] == ["morning", "evening"]
    assert "dose_times_fasting" not in codes(result)


def test_a_window_counts_across_midnight() -> None:
    window = FastingWindow("x", "X", taken_hour=7, before_h=4, after_h=4)
    assert window.excludes(7) and window.excludes(10.5) and window.excludes(3.5)
    assert not window.excludes(11) and not window.excludes(3) and not window.excludes(19)


def test_every_fasting_medicine_leaves_room_for_the_split_doses() -> None:
    doses = max(t.min_doses_per_day for t in KB.limit_tables)
    for code in FASTING:
        gap = KB.medication_class(code).spacing(code)
        assert gap is not None
        window = FastingWindow(
            code,
            code,
            KB.rules.dose_clock.fasting_medicine_hour,
            gap.medicine_before_h,
            gap.medicine_after_h,
        )
        free = {s.key for s in KB.rules.dose_clock.slots if not window.excludes(s.hour)}
        assert len(free) >= doses, code


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    medicines=st.lists(st.sampled_from(SPACED), min_size=1, max_size=4, unique=True),
    natural=st.floats(0, 290),
    age=st.integers(18, 90),
    sex=st.sampled_from(["female", "male"]),
    german=st.booleans(),
)
def test_no_planned_dose_falls_inside_a_fasting_medicines_window(
    medicines: list[str], natural: float, age: int, sex: str, german: bool
) -> None:
    kb = DE if german else KB
    case = make_case(
        profile={"medications": medicines, "age_years": age, "sex": sex}, days=[water_only(natural)]
    )
    result = assess(case, knowledge=kb)
    if result.dose_plan is None:
        return
    windows = fasting_windows(kb, result.dose_plan.spacing)
    assert len(windows) == len([m for m in medicines if m in FASTING])
    assert len(result.dose_plan.doses) == result.dose_plan.doses_per_day
    for dose in result.dose_plan.doses:
        hour = hour_of(dose.time, kb)
        for w in windows:
            since = (hour - w.taken_hour) % 24
            assert since >= w.before_h, (dose.time, w)
            assert 24 - since >= w.after_h, (dose.time, w)
    if windows:
        assert "dose_times_fasting" in codes(result)


@given(
    doses=st.integers(1, 5),
    hour=st.floats(0, 23.9),
    before=st.floats(0.5, 8),
    after=st.floats(0.5, 8),
)
def test_dose_slots_avoid_any_window_that_leaves_room(
    doses: int, hour: float, before: float, after: float
) -> None:
    window = FastingWindow("x", "X", hour, before, after)
    free = [s for s in KB.rules.dose_clock.slots if not window.excludes(s.hour)]
    if not free:
        return
    slots = dose_slots(KB, doses, [window])
    assert len(slots) == doses
    assert all(not window.excludes(s.hour) for s in slots)
    assert [s.hour for s in slots] == sorted(s.hour for s in slots)
