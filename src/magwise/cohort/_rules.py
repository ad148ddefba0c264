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
from magwise.result import ACTIONS

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

# advisor.intake.NG_PER_TENTH_MG (not imported: that would load the whole advisor)
NG_PER_TENTH_MG = 100_000


@dataclass
class People:
    """What the rules read of each person (one array element per person)."""

    sex: npt.NDArray[np.int8]  # index into SEXES
    state: npt.NDArray[np.int8]  # index into STATES
    age_years: Floats
    contraindicated: Bools
    raises_mg: Bools  # takes a medicine that raises serum magnesium
    days: npt.NDArray[np.int64]  # 0: no intake data
    food_sum: Ints  # sums over all days in whole ng (advisor.intake.to_ng): exact
    water_sum: Ints
    supplement_sum: Ints
    supplements_taken: Bools
    serum_mmol: Floats  # latest serum result, unrounded mmol/L; NaN: none
    serum_comparator: npt.NDArray[np.int8]  # index into COMPARATORS; -1: an exact value
    egfr: Floats  # latest eGFR, mL/min/1.73 m²; NaN: none
    egfr_comparator: npt.NDArray[np.int8]
    creatinine: Floats  # latest serum creatinine, mg/dL; NaN: none
    creatinine_comparator: npt.NDArray[np.int8]


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
    # assess.intake.mean_mg: float(total_ng) / (days * 1e6)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = p.days.astype(np.float64) * 1e6
        return (
            p.food_sum.astype(np.float64) / scale,
            p.water_sum.astype(np.float64) / scale,
            p.supplement_sum.astype(np.float64) / scale,
        )


def tenths(total_ng: Ints, days: Ints) -> Ints:
    """assess.intake.tenths: the mean in whole tenths of a mg, exactly, half to even."""
    divisor = np.maximum(days, 1) * NG_PER_TENTH_MG
    q, r = np.divmod(total_ng, divisor)
    up = (2 * r > divisor) | ((2 * r == divisor) & (q % 2 == 1))
    out: Ints = q + up
    return out


def judge(p: People, grid: ReferenceGrid, kb: Knowledge) -> dict[str, npt.NDArray[np.generic]]:
    n = len(p.days)
    target, ear, ul = grid.lookup(p.sex, p.state, p.age_years)
    has_intake = p.days > 0
    has_target = ~np.isnan(target)

    # -- intake (assess.intake.compute_intake): round each mean, total = sum of rounded parts
    food, water, supp = _means(p)
    parts = [tenths(t, p.days) for t in (p.food_sum, p.water_sum, p.supplement_sum)]
    food_mg, water_mg, supp_mg = (t / 10 for t in parts)
    total_mg = (parts[0] + parts[1] + parts[2]) / 10

    # -- findings that can be judged from cohort columns (codes as in findings.toml)
    found: dict[str, Bools] = {}
    with np.errstate(invalid="ignore"):
        found["intake_below_target"] = has_intake & has_target & (total_mg < target)
        found["intake_below_ear"] = has_intake & ~np.isnan(ear) & (total_mg < ear)
        taken = has_intake & p.supplements_taken
        found["supplement_no_ul"] = taken & np.isnan(ul)
        found["supplement_above_ul"] = taken & ~np.isnan(ul) & (supp > ul)

        # -- serum (assess.serum.judge_serum): the value rounded to 4 places, compared
        # with the thresholds to their precision
        t = kb.serum.thresholds
        mmol = py_round(p.serum_mmol, 4)
        judged = py_round(mmol, int(t.compare_decimals.value))
        has_serum = ~np.isnan(mmol)
        serum_status = np.select(
            [
                judged < t.deficient_below.value,
                judged < t.low_below.value,
                judged <= t.high_above.value,
                has_serum,
            ],
            ["deficient", "low", "adequate", "high"],
            default="",
        )
        found["serum_deficient"] = serum_status == "deficient"
        found["serum_low"] = serum_status == "low"
        found["serum_high"] = serum_status == "high"
        found["serum_urgent_high"] = has_serum & (judged >= t.urgent_at_or_above.value)
        found["serum_urgent_low"] = has_serum & (judged < t.urgent_below.value)

    # -- status (assess.assess): serum first, else intake against the target
    by_intake = has_intake & has_target
    status = np.where(
        has_serum,
        serum_status,
        np.where(by_intake, np.where(total_mg < target, "low", "adequate"), "unknown"),
    )
    basis = np.where(has_serum, "serum", np.where(by_intake, "intake", "none"))
    low = (status == "low") | (status == "deficient")
    with np.errstate(invalid="ignore"):
        # food and water alone (assess.assess): supplements may have begun after the test
        found["serum_low_despite_intake"] = has_serum & low & by_intake & (food + water >= target)

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
        | found["serum_low_despite_intake"]
    )
    planned = low & has_target & has_intake & ~excluded
    step = kb.rules.plan_round_to_mg.value
    minimum = kb.rules.plan_min_mg.value
    with np.errstate(invalid="ignore"):
        natural = np.where(has_intake, food, 0.0) + np.where(has_intake, water, 0.0)
        gap = target - natural
        rounded = np.ceil(np.maximum(gap, 0.0) / step) * step
        dose = np.minimum(np.maximum(rounded, minimum), ul)
    dose = np.where(planned, dose, np.nan)

    # -- the first action (assess: advisor.action.choose_action, by precedence)
    action = first_action(
        {
            "urgent_care": urgent,
            "lower_supplements": found["supplement_above_ul"] & ~planned,
            "see_doctor": refer,
            "follow_plan": planned,
            # status unknown, or a plan waits for days of intake (no_plan_without_intake)
            "log_more": (status == "unknown") | (low & has_target & ~excluded & ~has_intake),
        },
        n,
    )

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
        "action": action,
    }


def first_action(applies: dict[str, Bools], n: int) -> npt.NDArray[np.int8]:
    """Each person's first action whose condition holds, as its place in ``ACTIONS``.

    The last action (nothing needed) holds when no other does.
    """
    unknown = set(applies) - set(ACTIONS)
    assert not unknown, unknown
    out = np.full(n, len(ACTIONS) - 1, dtype=np.int8)
    for k in range(len(ACTIONS) - 2, -1, -1):  # the first that holds is written last
        holds = applies.get(ACTIONS[k])
        if holds is not None:
            out[holds] = k
    return out


def _judged(raised: Bools, judged: Bools) -> Floats:
    """1.0 / 0.0 where judged, NaN where not (stored as a nullable boolean)."""
    return np.where(judged, raised.astype(np.float64), np.nan)
