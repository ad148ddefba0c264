"""The dose plan: food first, then at most the gap, never above the upper limit."""

from __future__ import annotations

import functools
import math

from magwise.advisor._context import Context, FoodSource, listing
from magwise.advisor.dose_times import dose_slots, fasting_windows
from magwise.advisor.intake import IntakeParts
from magwise.advisor.referral import Profile
from magwise.errors import DataError
from magwise.knowledge import Knowledge
from magwise.result import Dose, DosePlan, FoodSuggestion, Spacing, Status


def plan_exclusions(
    ctx: Context,
    profile: Profile,
    status: Status,
    serum_high: bool,
    urgent: bool,
    *,
    kidney_reduced: bool = False,
    serum_possibly_high: bool = False,
) -> list[str]:
    """Why no plan may be made (empty: a plan is allowed)."""
    kb, person = ctx.kb, ctx.case.profile
    why: list[str] = []
    if person.age_years < kb.rules.adult_age_years.value:
        why.append(ctx.text("why_minor", adult=kb.rules.adult_age_years.value))
    if person.pregnant:
        why.append(ctx.text("why_pregnant"))
    if person.lactating:
        why.append(ctx.text("why_lactating"))
    if profile.contraindications:
        labels = listing([kb.in_sentence(c.label) for c in profile.contraindications], kb)
        why.append(ctx.text("why_contraindicated", conditions=labels))
    if kidney_reduced:
        why.append(ctx.text("why_kidney"))
    if profile.excess_counted:
        why.append(ctx.text("why_excess"))
    if serum_high or status == "high":
        why.append(ctx.text("why_serum_high"))
    elif serum_possibly_high:
        why.append(ctx.text("why_serum_possibly_high"))
    if urgent:
        why.append(ctx.text("why_urgent"))
    if ctx.reference.supplement_ul_mg is None:
        why.append(ctx.text("why_no_ul"))
    for medicine in profile.raising_medicines:
        why.append(ctx.text("why_raises_mg", medicine=medicine))
    for medicine in profile.avoiding_medicines:
        why.append(ctx.text("why_avoid_with_mg", medicine=kb.in_sentence(medicine)))
    if ctx.has("serum_low_despite_intake"):
        why.append(ctx.text("why_low_despite_intake"))
    return why


def planned_dose(gap_mg: float, ul_mg: float, kb: Knowledge) -> float:
    """The gap rounded up to the next step, at least the minimum, never above the limit."""
    step = kb.rules.plan_round_to_mg.value
    minimum = kb.rules.plan_min_mg.value
    rounded = math.ceil(max(gap_mg, 0.0) / step) * step
    return min(max(rounded, minimum), ul_mg)


def make_plan(ctx: Context, parts: IntakeParts, spacing: list[Spacing]) -> DosePlan:
    kb, ref = ctx.kb, ctx.reference
    assert ref.target_mg is not None and ref.supplement_ul_mg is not None
    rules = kb.rules
    natural = parts.food_mg + parts.water_mg
    gap = ref.target_mg - natural
    dose = planned_dose(gap, ref.supplement_ul_mg, kb)
    if gap > ref.supplement_ul_mg:
        ctx.add("dose_capped_at_ul", ul=ref.supplement_ul_mg, sources=ref.sources)
    form = kb.forms[rules.plan_form.form]
    n = max(ref.min_doses_per_day, len(rules.plan_times.values))
    windows = fasting_windows(kb, spacing)
    slots = dose_slots(kb, n, windows)
    per_dose = dose / n
    # whole milligrams of compound, rounded down: the elemental amount never exceeds the dose
    compound = math.floor(per_dose / form.elemental_fraction)
    elemental = round(compound * form.elemental_fraction, 1)
    doses = [Dose(time=s.label, elemental_mg=elemental, compound_mg=compound) for s in slots]
    times = listing(list(dict.fromkeys(s.label for s in slots)), kb)
    for window in windows:
        ctx.add(
            "dose_times_fasting",
            medicine=window.label,
            times=times,
            before=window.before_h,
            after=window.after_h,
            sources=rules.dose_clock.sources,
        )
    ctx.add(
        "dose_plan_made",
        dose=dose,
        form_name=form.name,
        compound=float(compound),
        doses=n,
        sources=(*rules.plan_form.sources, *ref.sources),
    )
    stop_if = [
        ctx.text("stop_if_excess"),
        ctx.text("stop_if_target", target=ref.target_mg),
        ctx.text("stop_if_doctor"),
    ]
    sources = list(
        dict.fromkeys(
            (
                *ref.sources,
                *rules.plan_form.sources,
                *rules.plan_round_to_mg.sources,
                *rules.plan_review_weeks.sources,
                *rules.plan_times.sources,
                *(rules.dose_clock.sources if windows else ()),
            )
        )
    )
    return DosePlan(
        supplement_mg_per_day=dose,
        form=form.id,
        form_name=form.name,
        elemental_fraction=form.elemental_fraction,
        compound_mg_per_dose=compound,
        doses_per_day=n,
        doses=doses,
        review_after_weeks=[int(w) for w in rules.plan_review_weeks.values],
        stop_if=stop_if,
        spacing=spacing,
        food_alternatives=[
            s.model_copy(
                update={"portions_for_gap": round(gap / s.mg, 1) if gap > 0 and s.mg else None}
            )
            for s in food_suggestions(ctx.foods, kb)
        ],
        sources=sources,
    )


@functools.lru_cache(maxsize=4)
def food_suggestions(foods: FoodSource, kb: Knowledge) -> tuple[FoodSuggestion, ...]:
    """Everyday magnesium-rich foods, richest per household portion first."""
    picks: list[FoodSuggestion] = []
    for ref in kb.rules.suggest_foods.foods:
        food = foods.get(ref.ndb)
        portion = food.portion(ref.portion)
        if portion is None or food.mg_per_100g is None:
            raise DataError(f"rules: suggested food {ref.ndb} has no portion {ref.portion!r}")
        picks.append(
            FoodSuggestion(
                ndb=food.ndb,
                description=food.description,
                portion=portion.label,
                grams=portion.grams,
                mg=round(food.mg_per_100g * portion.grams / 100, 1),
                portions_for_gap=None,
            )
        )
    picks.sort(key=lambda s: -s.mg)
    return tuple(picks[: kb.rules.suggest_foods.count])
