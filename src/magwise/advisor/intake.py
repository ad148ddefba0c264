"""Intake: food (grams x mg/100 g), supplements (elemental or compound x fraction), water.

Amounts are added up in whole nanograms (``to_ng``): each entry's mg is turned
into an integer once, so sums are exact and the same in every order of adding
(cohort mode adds millions of rows in whatever order its engine likes and must
give the same result). Means are rounded to 0.1 mg from the exact integer sums
(``tenths``), half to even, as Python's ``round`` does on an exact value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from magwise.advisor._context import Context, listing
from magwise.case import FoodEntry
from magwise.errors import InputError
from magwise.foods import Food
from magwise.knowledge._models import SupplementForm
from magwise.result import Intake


@dataclass
class IntakeParts:
    """Mean mg per day by part, unrounded, and what the rules need to know."""

    intake: Intake | None
    food_mg: float = 0.0
    water_mg: float = 0.0
    supplement_mg: float = 0.0
    supplements_taken: bool = False
    unknown_foods: list[str] = field(default_factory=list)


NG_PER_TENTH_MG = 100_000


def _r(value: float) -> float:
    return round(value, 1)


def to_ng(mg: float) -> int:
    """An entry's mg in whole nanograms, halves rounded up.

    ``floor(mg * 1e6 + 0.5)`` in double precision: an engine computing the same
    double and the same two operations gets the same integer.
    """
    return math.floor(mg * 1e6 + 0.5)


def tenths(total_ng: int, days: int) -> int:
    """The mean ``total_ng / days`` in whole tenths of a mg, exactly, half to even."""
    divisor = days * NG_PER_TENTH_MG
    q, r = divmod(total_ng, divisor)
    if 2 * r > divisor or (2 * r == divisor and q % 2):
        q += 1
    return q


def mean_mg(total_ng: int, days: int) -> float:
    """The unrounded mean mg per day (the float the plan and the upper limit compare)."""
    return float(total_ng) / (days * 1e6)


def _portion_grams(food: Food, entry: FoodEntry, d: int, f: int) -> float:
    """The grams of ``entry``'s portions of ``food``."""
    assert entry.portion is not None
    portion = food.portion(entry.portion)
    if portion is None:
        accepted = ", ".join(p.label for p in food.portions) or "none; give grams"
        raise InputError(
            f"days[{d}].foods[{f}].portion",
            f"{entry.portion!r} is not a measure of {food.description}; accepted: {accepted}",
        )
    return portion.grams * entry.count


def compute_intake(ctx: Context) -> IntakeParts:
    case, kb = ctx.case, ctx.kb
    if not case.days:
        return IntakeParts(intake=None)
    per_day: list[dict[str, object]] = []
    totals = [0, 0, 0]  # ng
    unknown: dict[str, str] = {}
    unknown_entries = 0
    topical: list[str] = []
    oxide = False
    taken = False
    foods: dict[str, Food] = {}  # each food looked up once per case
    forms: dict[str, SupplementForm | None] = {}
    converted: set[tuple[str, float]] = set()
    ng = to_ng
    known = foods.get
    for d, day in enumerate(case.days):
        food_ng = 0
        for f, entry in enumerate(day.foods):
            label_mg = entry.mg_per_100g
            if label_mg is not None:  # a food from a label, in grams
                assert entry.grams is not None
                food_ng += ng(entry.grams * entry.count * label_mg / 100)
                continue
            food = known(entry.food)
            if food is None:
                try:
                    food = foods[entry.food] = ctx.foods.get(entry.food)
                except InputError as exc:
                    raise InputError(f"days[{d}].foods[{f}].food", exc.message) from None
            if entry.portion is None:
                assert entry.grams is not None
                grams = entry.grams * entry.count
            else:
                grams = _portion_grams(food, entry, d, f)
            mg = food.mg_per_100g
            if mg is None:
                unknown[food.ndb] = food.description
                unknown_entries += 1
            else:
                food_ng += ng(grams * mg / 100)
        supplement_ng = 0
        for s, supp in enumerate(day.supplements):
            form = None
            if supp.form is not None:
                if supp.form in forms:
                    form = forms[supp.form]
                else:
                    form = forms[supp.form] = kb.form(supp.form)
                if form is None:
                    raise InputError(
                        f"days[{d}].supplements[{s}].form",
                        f"unknown supplement form {supp.form!r}; accepted: "
                        f"{', '.join(kb.forms)} (or their names, see 'magwise codes forms')",
                    )
            if form is not None and not form.absorbed:
                topical.append(supp.name or supp.form or form.name)
                continue
            taken = True
            if supp.elemental_mg is not None:
                supplement_ng += to_ng(supp.elemental_mg * supp.count)
            else:
                assert form is not None and supp.compound_mg is not None
                elemental = supp.compound_mg * form.elemental_fraction * supp.count
                supplement_ng += to_ng(elemental)
                key = (form.id, supp.compound_mg * supp.count)
                if key not in converted:  # the same product every day: said once per case
                    converted.add(key)
                    ctx.add(
                        "compound_converted",
                        compound=supp.compound_mg * supp.count,
                        form_name=form.name,
                        elemental=_r(elemental),
                        percent=_r(form.elemental_fraction * 100),
                        sources=form.sources,
                    )
            if form is not None and form.id == "oxide":
                oxide = True
        water_ng = 0
        for w in day.water:
            water_ng += ng(w.liters * w.mg_per_liter)
        totals[0] += food_ng
        totals[1] += water_ng
        totals[2] += supplement_ng
        food_t, water_t, supplement_t = (
            tenths(food_ng, 1),
            tenths(water_ng, 1),
            tenths(supplement_ng, 1),
        )
        per_day.append(
            {
                "date": day.date,
                "food_mg": food_t / 10,
                "water_mg": water_t / 10,
                "supplement_mg": supplement_t / 10,
                "total_mg": (food_t + water_t + supplement_t) / 10,
            }
        )
    n = len(case.days)
    mean_food, mean_water, mean_supp = (mean_mg(t, n) for t in totals)
    means = [tenths(t, n) for t in totals]
    # the days arrive as their fields: validated as DayIntake within this one call
    intake = Intake.model_validate(
        {
            "days": n,
            "food_mg": means[0] / 10,
            "water_mg": means[1] / 10,
            "supplement_mg": means[2] / 10,
            "total_mg": sum(means) / 10,
            "per_day": per_day,
            "unknown_mg_entries": unknown_entries,
        }
    )
    if unknown:
        names = [f"{desc} ({ndb})" for ndb, desc in unknown.items()]
        ctx.add(
            "food_mg_unknown",
            entries=unknown_entries,
            foods=listing(names, kb),
            them=kb.texts["unknown_foods_one" if len(names) == 1 else "unknown_foods_many"],
        )
    if topical:
        ctx.add("transdermal_not_counted", names=listing(dict.fromkeys(topical), kb))
    if oxide:
        ctx.add("oxide_poorly_absorbed")
    return IntakeParts(
        intake=intake,
        food_mg=mean_food,
        water_mg=mean_water,
        supplement_mg=mean_supp,
        supplements_taken=taken,
        unknown_foods=list(unknown),
    )


def judge_intake(ctx: Context, parts: IntakeParts) -> None:
    """Findings on intake against the reference value and the supplemental upper limit."""
    ref = ctx.reference
    intake = parts.intake
    if intake is None:
        ctx.add("no_intake_data")
        return
    if ref.target_mg is not None:
        if intake.total_mg < ref.target_mg:
            ctx.add(
                "intake_below_target",
                total=intake.total_mg,
                gap=_r(ref.target_mg - intake.total_mg),
                target=ref.target_mg,
                standard=ref.standard_name,
                sources=ref.sources,
            )
        else:
            ctx.add(
                "intake_meets_target",
                total=intake.total_mg,
                target=ref.target_mg,
                standard=ref.standard_name,
                sources=ref.sources,
            )
    if ref.ear_mg is not None and intake.total_mg < ref.ear_mg:
        ctx.add("intake_below_ear", ear=ref.ear_mg)
    if parts.supplements_taken:
        if ref.supplement_ul_mg is None:
            ctx.add("supplement_no_ul", standard=ref.standard_name)
        elif parts.supplement_mg > ref.supplement_ul_mg:
            ctx.add(
                "supplement_above_ul",
                supplement=intake.supplement_mg,
                ul=ref.supplement_ul_mg,
                standard=ref.standard_name,
            )
    natural = intake.food_mg + intake.water_mg
    if parts.supplements_taken and natural > 0:
        ctx.add("food_and_water_not_limited", natural=_r(natural))
