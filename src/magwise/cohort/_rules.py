"""The advisor's rules over whole columns of people: the same rules as ``assess``.

Every number comes from the knowledge base: reference values (through
``personal_reference``), the upper limits, serum and kidney thresholds, the
plan's rounding step and minimum, the adult age, and which findings send a
person to a doctor or are urgent. The steps follow ``magwise.assess`` one by one; its module and
function are named at each step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from magwise.cohort._reference import ReferenceGrid
from magwise.knowledge import Knowledge
from magwise.lab_tests import COMPARATORS
from magwise.result import ACTIONS, ROLE_VALUES

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

#: the result's status and status_basis; the rules hold each as its place here
STATUSES = ("deficient", "low", "adequate", "high", "unknown")
BASES = ("serum", "intake", "none")
#: the levels magnesium's role reads (advisor.role), as places here
SERUM_LEVELS = ("low", "low_normal", "normal", "high", "none")
INTAKE_LEVELS = ("clearly_low", "below", "meets", "none")

# advisor.intake.NG_PER_TENTH_MG (not imported: that would load the whole advisor)
NG_PER_TENTH_MG = 100_000


@dataclass
class Lab:
    """Each person's latest result of one lab test (NaN: none)."""

    value: Floats  # as given
    per: Floats  # its unit's divisor: value / per is in the test's canonical unit
    comparator: npt.NDArray[np.int8]  # index into COMPARATORS; -1: an exact value

    @property
    def given(self) -> Bools:
        given: Bools = ~np.isnan(self.value)
        return given

    @property
    def canonical(self) -> Floats:
        """units.lab_to_canonical"""
        with np.errstate(invalid="ignore"):
            out: Floats = self.value / self.per
        return out


@dataclass
class People:
    """What the rules read of each person (one array element per person)."""

    sex: npt.NDArray[np.int8]  # index into SEXES
    state: npt.NDArray[np.int8]  # index into STATES
    age_years: Floats
    contraindicated: Bools
    kidney_condition: Bools  # a condition of the kidneys (Condition.kidney)
    raises_mg: Bools  # takes a medicine that raises serum magnesium
    contains_mg: Bools  # takes a medicine that contains magnesium (antacid, laxative)
    symptoms: dict[str, Bools]  # the flags of _lookups.SYMPTOM_FLAGS
    days: npt.NDArray[np.int64]  # 0: no intake data
    food_sum: Ints  # sums over all days in whole ng (advisor.intake.to_ng): exact
    water_sum: Ints
    supplement_sum: Ints
    supplements_taken: Bools
    serum: Lab  # mmol/L
    egfr: Lab  # mL/min/1.73 m²
    creatinine: Lab  # mg/dL


@dataclass
class Bounds:
    """advisor._bounds.Bounds, elementwise: the values a result allows, from low to high."""

    low: Floats
    high: Floats
    low_open: Bools
    high_open: Bools

    @classmethod
    def of(cls, value: Floats, comparator: npt.NDArray[np.int8]) -> Bounds:
        lt, le, gt, ge = (comparator == COMPARATORS.index(c) for c in ("<", "<=", ">", ">="))
        return cls(
            low=np.where(lt | le, -math.inf, value),
            high=np.where(gt | ge, math.inf, value),
            low_open=lt | le | gt,
            high_open=lt | gt | ge,
        )

    def below(self, t: float) -> Bools:
        out: Bools = (self.high < t) | ((self.high == t) & self.high_open)
        return out

    def at_or_above(self, t: float) -> Bools:
        out: Bools = self.low >= t
        return out

    def above(self, t: float) -> Bools:
        out: Bools = (self.low > t) | ((self.low == t) & self.low_open)
        return out

    def at_or_below(self, t: float) -> Bools:
        out: Bools = self.high <= t
        return out


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

    serum = _judge_serum(p.serum, kb, found)
    mmol, serum_status, has_serum = serum["mmol"], serum["status"], p.serum.given

    # -- status (assess.assess): serum first (unless its comparator leaves it open), else
    # intake against the target; as places in STATUSES and BASES
    decided = serum_status >= 0
    by_intake = has_intake & has_target
    with np.errstate(invalid="ignore"):
        by_total = np.where(total_mg < target, STATUSES.index("low"), STATUSES.index("adequate"))
    status = np.where(
        decided, serum_status, np.where(by_intake, by_total, STATUSES.index("unknown"))
    ).astype(np.int8)
    basis = np.where(decided, 0, np.where(by_intake, 1, 2)).astype(np.int8)
    low = status <= STATUSES.index("low")  # low or deficient
    with np.errstate(invalid="ignore"):
        # food and water alone (assess.assess): supplements may have begun after the test
        found["serum_low_despite_intake"] = decided & low & by_intake & (food + water >= target)

    # -- kidneys (advisor.kidney.judge_kidney) and referral (advisor.referral.refer)
    supplement_in_question = p.supplements_taken | low
    kidney_reduced = _judge_kidney(p, kb, supplement_in_question, found)
    kidney_disease = kidney_reduced | p.kidney_condition
    pregnant_or_lactating = p.state != 0
    found["contraindication"] = p.contraindicated
    found["pregnancy_lactation_doctor"] = pregnant_or_lactating & supplement_in_question
    found["minor_doctor"] = p.age_years < kb.rules.adult_age_years.value
    # symptoms count as signs of too much magnesium only with a magnesium source, a high
    # serum value or kidney disease
    serum_high = serum_status == STATUSES.index("high")
    magnesium_source = p.supplements_taken | p.contains_mg
    context = magnesium_source | serum_high | kidney_disease
    sym = p.symptoms
    excess_counted = context & sym["excess"]
    found["severe_excess_symptoms"] = context & sym["severe"]
    found["excess_symptoms"] = context & sym["mild"]
    found["urgent_symptom"] = np.where(context, sym["urgent_in"], sym["urgent_out"])
    found["symptom_needs_doctor"] = np.where(context, sym["refer_in"], sym["refer_out"])
    # a serum value above the range is urgent with a sign of excess or kidney disease
    found["serum_high_with_symptoms"] = serum_high & sym["hypermg"]
    found["serum_high_with_kidney"] = serum_high & kidney_disease
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
        | kidney_reduced
        | excess_counted
        | serum_high
        | serum["possibly_high"]
        | urgent
        | np.isnan(ul)
        | p.raises_mg
        | found["serum_low_despite_intake"]
    )
    considered = low & has_target  # a plan is weighed (assess: status low, a target)
    planned = considered & has_intake & ~excluded
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
            # a sign of excess or a high serum value while taking magnesium
            "stop_magnesium": magnesium_source & (excess_counted | serum_high),
            "lower_supplements": found["supplement_above_ul"],
            # a finding that refers, or a reason that withholds the plan
            "see_doctor": refer | (considered & excluded),
            "follow_plan": planned,
            # status unknown, or a plan waits for days of intake (no_plan_without_intake)
            "log_more": (status == STATUSES.index("unknown"))
            | (considered & ~excluded & ~has_intake),
        },
        n,
    )

    # -- magnesium's role in the hair loss (advisor.role.judge_role): no hair columns, so
    # never a clear other cause
    role = magnesium_role(
        serum_levels(serum_status, serum["low_normal"]),
        intake_levels(total_mg, has_intake, target, ear, kb),
        status,
        kb,
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
        "serum_mmol_per_l": np.where(has_serum, mmol, nan),
        "status": status,
        "status_basis": basis,
        # judged only where intake and the value exist (NaN: not judged)
        "below_target": _judged(found["intake_below_target"], has_intake & has_target),
        "below_ear": _judged(found["intake_below_ear"], has_intake & ~np.isnan(ear)),
        "above_ul": _judged(found["supplement_above_ul"], has_intake & ~np.isnan(ul)),
        "kidney_reduced": _judged(kidney_reduced, p.egfr.given),
        "kidney_check_first": found["kidney_check_first"],
        "refer_to_doctor": refer,
        "urgent": urgent,
        "supplement_mg_per_day": dose,
        "action": action,
        "magnesium_role": role,
    }


def serum_levels(status: npt.NDArray[np.int8], low_normal: Bools) -> npt.NDArray[np.int8]:
    """advisor.role.serum_level: places in SERUM_LEVELS."""
    place = SERUM_LEVELS.index
    s = STATUSES.index
    out = np.select(
        [
            (status == s("low")) | (status == s("deficient")),
            status == s("high"),
            (status == s("adequate")) & low_normal,
            status == s("adequate"),
        ],
        [place("low"), place("high"), place("low_normal"), place("normal")],
        place("none"),
    )
    return out.astype(np.int8)


def intake_levels(
    total_mg: Floats, has_intake: Bools, target: Floats, ear: Floats, kb: Knowledge
) -> npt.NDArray[np.int8]:
    """advisor.role.intake_level: places in INTAKE_LEVELS."""
    place = INTAKE_LEVELS.index
    judged = has_intake & ~np.isnan(target)
    with np.errstate(invalid="ignore"):
        cut = np.where(np.isnan(ear), target / kb.role.params.target_over_ear.value, ear)
        out = np.select(
            [~judged, total_mg >= target, total_mg < cut],
            [place("none"), place("meets"), place("clearly_low")],
            place("below"),
        )
    return out.astype(np.int8)


def magnesium_role(
    serum: npt.NDArray[np.int8],
    intake: npt.NDArray[np.int8],
    status: npt.NDArray[np.int8],
    kb: Knowledge,
    other_cause: Bools | None = None,
) -> npt.NDArray[np.int8]:
    """Each person's answer by the first rule of role.toml that holds, as its place in
    ROLE_VALUES (the last rule holds always)."""
    n = len(serum)
    cause = np.zeros(n, dtype=np.bool_) if other_cause is None else other_cause
    out = np.zeros(n, dtype=np.int8)
    for rule in reversed(kb.role.rule):  # the first that holds is written last
        holds = np.ones(n, dtype=np.bool_)
        if rule.serum:
            holds &= np.isin(serum, [SERUM_LEVELS.index(v) for v in rule.serum])
        if rule.intake:
            holds &= np.isin(intake, [INTAKE_LEVELS.index(v) for v in rule.intake])
        if rule.status:
            holds &= np.isin(status, [STATUSES.index(v) for v in rule.status])
        if rule.other_cause is not None:
            holds &= cause == rule.other_cause
        out[holds] = ROLE_VALUES.index(rule.value)
    return out


def _judge_serum(lab: Lab, kb: Knowledge, found: dict[str, Bools]) -> dict[str, npt.NDArray[Any]]:
    """advisor.serum.judge_serum: the latest value, its status and its findings.

    The value is compared as shown (rounded to 4 places, then to the thresholds'
    precision); a value with a comparator is compared as written, its bound
    converted and rounded the same way. Status: its place in STATUSES; -1 where the
    comparator leaves it open.
    """
    t = kb.serum.thresholds
    decimals = int(t.compare_decimals.value)
    has = lab.given
    mmol = py_round(lab.canonical, 4)
    with np.errstate(invalid="ignore", divide="ignore"):
        bound = py_round(lab.value * (1.0 / lab.per), decimals)  # Bounds.scaled
    exact = lab.comparator < 0
    b = Bounds.of(np.where(exact, py_round(mmol, decimals), bound), lab.comparator)
    deficient = has & b.below(t.deficient_below.value)
    low = has & b.at_or_above(t.deficient_below.value) & b.below(t.low_below.value)
    adequate = has & b.at_or_above(t.low_below.value) & b.at_or_below(t.high_above.value)
    high = has & b.above(t.high_above.value)
    codes = [STATUSES.index(s) for s in ("deficient", "low", "adequate", "high")]
    status = np.select([deficient, low, adequate, high], codes, -1).astype(np.int8)
    found["serum_deficient"] = deficient
    found["serum_low"] = low
    found["serum_high"] = high
    found["serum_undecidable"] = has & (status < 0)
    urgent_high = has & b.at_or_above(t.urgent_at_or_above.value)
    urgent_low = has & b.below(t.urgent_below.value)
    found["serum_urgent_high"] = urgent_high
    found["serum_urgent_low"] = urgent_low
    # a high or deficient value written as a bound that allows a dangerous one ("> 1.5")
    found["serum_possibly_urgent"] = (
        ~urgent_high & high & ~b.below(t.urgent_at_or_above.value)
    ) | (~urgent_low & deficient & ~b.at_or_above(t.urgent_below.value))
    return {
        "mmol": mmol,
        "status": status,
        # in range, below the stricter cut-off (advisor.serum: serum_low_normal)
        "low_normal": adequate & b.below(t.low_normal_below.value),
        "possibly_high": has & ~b.at_or_below(t.high_above.value),
    }


def _judge_kidney(
    p: People, kb: Knowledge, supplement_in_question: Bools, found: dict[str, Bools]
) -> Bools:
    """advisor.kidney.judge_kidney: findings on kidney function; whether it is reduced."""
    t = kb.kidney.thresholds
    contra, doctor = t.egfr_contraindicated_below.value, t.egfr_doctor_below.value
    has = p.egfr.given
    b = Bounds.of(p.egfr.canonical, p.egfr.comparator)
    contraindicated = has & b.below(contra)
    reduced = has & ~contraindicated & b.at_or_above(contra) & b.below(doctor)
    normal = has & ~contraindicated & ~reduced & b.at_or_above(doctor)
    undecidable = has & ~(contraindicated | reduced | normal)
    found["egfr_contraindication"] = contraindicated
    found["egfr_reduced"] = reduced
    found["egfr_undecidable"] = undecidable
    found["creatinine_needs_egfr"] = ~has & p.creatinine.given
    found["kidney_check_first"] = (
        ~has
        & ~p.creatinine.given
        & ~p.kidney_condition
        & supplement_in_question
        & (p.age_years >= t.kidney_check_age_years.value)
    )
    out: Bools = contraindicated | reduced | undecidable
    return out


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
