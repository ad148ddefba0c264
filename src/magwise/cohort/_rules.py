"""The advisor's rules over whole columns of people: the same rules as ``assess``.

Every number comes from the knowledge base: reference values (through
``personal_reference``), the upper limits, serum thresholds, the plan's rounding
step and minimum, the adult age, and which findings send a person to a doctor
or are urgent. The steps follow ``magwise.assess`` one by one; its module and
function are named at each step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from magwise.cohort._reference import ReferenceGrid
from magwise.knowledge import Knowledge

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

_EPS = np.finfo(np.float64).eps


@dataclass
class People:
    """What the rules read of each person (one array element per person)."""

    sex: npt.NDArray[np.int8]  # index into SEXES
    state: npt.NDArray[np.int8]  # index into STATES
    age_years: Floats
    contraindicated: Bools
    raises_mg: Bools  # takes a medicine that raises serum magnesium
    days: npt.NDArray[np.int64]  # 0: no intake data
    food_sum: Floats  # sums over all days, in the order assess adds them
    water_sum: Floats
    supplement_sum: Floats
    entries: npt.NDArray[np.int64]  # rows summed (for the rounding-error bound)
    supplements_taken: Bools
    serum_mmol: Floats  # latest serum result, unrounded mmol/L; NaN: none


def py_round(values: Floats, digits: int) -> Floats:
    """Python's ``round`` (correctly rounded, half to even on the exact value), elementwise.

    NumPy's rounding (scale, round to integer, unscale) gives the same double
    except near a tie, where scaling may cross it; there Python's ``round`` decides.
    """
    scaled = values * 10.0**digits
    with np.errstate(invalid="ignore"):
        near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    out = np.round(values, digits)
    where = np.flatnonzero(near_tie)
    if where.size:
        out[where] = [round(v, digits) for v in values[where].tolist()]
    return out


def _means(p: People) -> tuple[Floats, Floats, Floats]:
    # assess.intake.compute_intake: mean = total / n
    with np.errstate(invalid="ignore", divide="ignore"):
        days = p.days.astype(np.float64)
        return p.food_sum / days, p.water_sum / days, p.supplement_sum / days


def near_boundary(p: People, grid: ReferenceGrid, kb: Knowledge) -> Bools:
    """People whose result could change with the order of summation.

    Sums computed in any order differ from ``assess``'s left-to-right sums by at
    most a few units in the last place per term. Where a mean lies that close
    to a point where its 0.1 mg rounding, the plan's rounding step or the upper
    limit flips, the sums are recomputed in ``assess``'s order.
    """
    food, water, supp = _means(p)
    slack = 4.0 * (p.entries + p.days + 4).astype(np.float64) * _EPS
    near = np.zeros(len(p.days), dtype=np.bool_)
    for mean in (food, water, supp):
        tol = slack * mean + 1e-300
        tenths = mean * 10
        dist = np.abs(tenths - np.floor(tenths) - 0.5) / 10
        near |= dist <= tol + 4 * _EPS * mean
    target, _, ul = grid.lookup(p.sex, p.state, p.age_years)
    step = kb.rules.plan_round_to_mg.value
    natural = food + water
    gap = target - natural
    tol = slack * natural + 4 * _EPS * (np.abs(target) + natural) + 1e-300
    near |= np.abs(gap - step * np.round(gap / step)) <= tol
    near |= np.abs(gap) <= tol
    near |= np.abs(supp - ul) <= slack * supp + 4 * _EPS * np.abs(ul) + 1e-300
    return near & (p.days > 0)


def judge(p: People, grid: ReferenceGrid, kb: Knowledge) -> dict[str, npt.NDArray[np.generic]]:
    n = len(p.days)
    target, ear, ul = grid.lookup(p.sex, p.state, p.age_years)
    has_intake = p.days > 0
    has_target = ~np.isnan(target)

    # -- intake (assess.intake.compute_intake): round each mean, total = sum of rounded parts
    food, water, supp = _means(p)
    food_mg, water_mg, supp_mg = py_round(food, 1), py_round(water, 1), py_round(supp, 1)
    total_mg = py_round(food_mg + water_mg + supp_mg, 1)

    # -- findings that can be judged from cohort columns (codes as in findings.toml)
    found: dict[str, Bools] = {}
    with np.errstate(invalid="ignore"):
        found["intake_below_target"] = has_intake & has_target & (total_mg < target)
        found["intake_below_ear"] = has_intake & ~np.isnan(ear) & (total_mg < ear)
        taken = has_intake & p.supplements_taken
        found["supplement_no_ul"] = taken & np.isnan(ul)
        found["supplement_above_ul"] = taken & ~np.isnan(ul) & (supp > ul)

        # -- serum (assess.serum.judge_serum): thresholds on the value rounded to 4 places
        t = kb.serum.thresholds
        mmol = py_round(p.serum_mmol, 4)
        has_serum = ~np.isnan(mmol)
        serum_status = np.select(
            [
                mmol < t.deficient_below.value,
                mmol < t.low_below.value,
                mmol <= t.high_above.value,
                has_serum,
            ],
            ["deficient", "low", "adequate", "high"],
            default="",
        )
        found["serum_deficient"] = serum_status == "deficient"
        found["serum_low"] = serum_status == "low"
        found["serum_high"] = serum_status == "high"
        found["serum_urgent_high"] = has_serum & (mmol >= t.urgent_at_or_above.value)
        found["serum_urgent_low"] = has_serum & (mmol < t.urgent_below.value)

    # -- status (assess.assess): serum first, else intake against the target
    by_intake = has_intake & has_target
    status = np.where(
        has_serum,
        serum_status,
        np.where(by_intake, np.where(total_mg < target, "low", "adequate"), "unknown"),
    )
    basis = np.where(has_serum, "serum", np.where(by_intake, "intake", "none"))
    low = (status == "low") | (status == "deficient")

    # -- referral (assess.referral.refer)
    pregnant_or_lactating = p.state != 0
    found["contraindication"] = p.contraindicated
    found["pregnancy_lactation_doctor"] = pregnant_or_lactating & (p.supplements_taken | low)
    found["minor_doctor"] = p.age_years < kb.rules.adult_age_years.value
    refer = np.zeros(n, dtype=np.bool_)
    urgent = np.zeros(n, dtype=np.bool_)
    for code, raised in found.items():
        entry = kb.finding(code)
        if entry.refer:
            refer |= raised
        if entry.severity == "urgent":
            urgent |= raised

    # -- plan (assess.planner.plan_exclusions, planned_dose)
    excluded = (
        found["minor_doctor"]
        | pregnant_or_lactating
        | p.contraindicated
        | urgent
        | np.isnan(ul)
        | p.raises_mg
    )
    planned = low & has_target & ~excluded
    step = kb.rules.plan_round_to_mg.value
    minimum = kb.rules.plan_min_mg.value
    with np.errstate(invalid="ignore"):
        natural = np.where(has_intake, food, 0.0) + np.where(has_intake, water, 0.0)
        gap = target - natural
        rounded = np.ceil(np.maximum(gap, 0.0) / step) * step
        dose = np.minimum(np.maximum(rounded, minimum), ul)
    dose = np.where(planned, dose, np.nan)

    nan = np.full(n, np.nan)
    return {
        "days": p.days,
        "food_mg": np.where(has_intake, food_mg, nan),
        "water_mg": np.where(has_intake, water_mg, nan),
        "supplement_mg": np.where(has_intake, supp_mg, nan),
        "total_mg": np.where(has_intake, total_mg, nan),
        "target_mg": target,
        "ear_mg": ear,
        "supplement_ul_mg": ul,
        "serum_mmol_per_l": mmol,
        "status": status,
        "status_basis": basis,
        # judged only where intake and the value exist (NaN: not judged)
        "below_target": _judged(found["intake_below_target"], has_intake & has_target),
        "below_ear": _judged(found["intake_below_ear"], has_intake & ~np.isnan(ear)),
        "above_ul": _judged(found["supplement_above_ul"], has_intake & ~np.isnan(ul)),
        "refer_to_doctor": refer,
        "urgent": urgent,
        "supplement_mg_per_day": dose,
    }


def _judged(raised: Bools, judged: Bools) -> Floats:
    """1.0 / 0.0 where judged, NaN where not (stored as a nullable boolean)."""
    return np.where(judged, raised.astype(np.float64), np.nan)
