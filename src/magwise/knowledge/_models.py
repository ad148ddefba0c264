"""Validated shapes of the knowledge-base data files."""

from __future__ import annotations

import re
from typing import Annotated, Literal, NamedTuple, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([my])\s*$")


def _months(value: object) -> object:
    """Read an age such as "4m" or "19y" as months."""
    if isinstance(value, str):
        m = _AGE.match(value)
        if m is None:
            raise ValueError(f"age {value!r}: write months as '4m' or years as '19y'")
        number = float(m.group(1))
        return number if m.group(2) == "m" else number * 12
    return value


Months = Annotated[float, BeforeValidator(_months)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Sourced(Model):
    """Anything that names its sources."""

    sources: tuple[str, ...] = Field(min_length=1)
    note: str | None = None


class Source(Model):
    id: str
    organisation: str
    title: str
    year: int
    url: str
    confirmed: bool = True
    note: str | None = None


class Band(Model):
    """An age band [from, to) in months; `to` None has no upper end."""

    from_months: Months = Field(alias="from")
    to_months: Months | None = Field(default=None, alias="to")

    def contains(self, age_months: float) -> bool:
        return self.from_months <= age_months and (
            self.to_months is None or age_months < self.to_months
        )


class IntakeRow(Band):
    male: float | None = None
    female: float | None = None


class IntakeTable(Model):
    standard: str
    state: Literal["none", "pregnant", "lactating"] = "none"
    kind: Literal["target", "ear"] = "target"
    source: str
    note: str | None = None
    rows: tuple[IntakeRow, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,)


class Standard(Model):
    id: str
    name: str
    target_name: str
    language: str
    default: bool = False
    sources: tuple[str, ...]
    note: str | None = None


class LimitRow(Band):
    value_mg: float | None = None


class LimitTable(Model):
    standards: tuple[str, ...]
    source: tuple[str, ...]
    min_doses_per_day: int
    note: str | None = None
    rows: tuple[LimitRow, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return self.source


class SupplementForm(Sourced):
    id: str
    name: str
    formula: str | None = None
    elemental_fraction: float = Field(default=0.0, ge=0, le=1)
    organic: bool = False
    absorbed: bool = True
    aliases: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _absorbed_forms_have_formula(self) -> SupplementForm:
        if self.absorbed and (self.formula is None or self.elemental_fraction <= 0):
            raise ValueError(f"form {self.id}: an absorbed form needs a formula and a fraction")
        if not self.absorbed and self.elemental_fraction != 0:
            raise ValueError(f"form {self.id}: a topical form counts as 0")
        return self


class Value(Sourced):
    value: float


class SerumUnit(Model):
    name: str
    basis: Literal["molar", "mass", "charge"]
    volume_l: float = Field(gt=0)
    aliases: tuple[str, ...] = ()


class Chemistry(Sourced):
    molar_mass_g_per_mol: float = Field(gt=0)
    valence: int = Field(gt=0)


class SerumThresholds(Model):
    deficient_below: Value
    low_below: Value
    low_normal_below: Value
    high_above: Value
    urgent_at_or_above: Value
    urgent_below: Value
    compare_decimals: Value

    @model_validator(mode="after")
    def _ordered(self) -> SerumThresholds:
        order = [
            self.urgent_below.value,
            self.deficient_below.value,
            self.low_below.value,
            self.low_normal_below.value,
            self.high_above.value,
            self.urgent_at_or_above.value,
        ]
        if order != sorted(order):
            raise ValueError("serum thresholds must rise: urgent < deficient < low < ... < urgent")
        return self


class Plausible(Model):
    min: Value
    max: Value


class LabCode(Sourced):
    system: str
    code: str
    display: str
    unit: str
    test: str


class Statement(Model):
    text: str
    sources: tuple[str, ...] = Field(min_length=1)


class Serum(Model):
    schema_version: int
    chemistry: Chemistry
    unit: tuple[SerumUnit, ...]
    thresholds: SerumThresholds
    plausible: Plausible
    lab_code: tuple[LabCode, ...]
    caveat: Statement
    rbc: Statement


class LabUnit(Sourced):
    """A unit a lab other than magnesium is reported in (kidney.toml, hair_labs.toml)."""

    test: Literal["egfr", "creatinine", "ferritin", "tsh", "vitamin_d", "zinc"]
    name: str
    kind: Literal["mass", "molar", "units", "rate"] = Field(
        description="What the unit measures per volume; a LOINC code names one kind."
    )
    per_canonical: float = Field(gt=0, description="How many of this unit make one canonical unit.")
    aliases: tuple[str, ...] = ()


class KidneyThresholds(Model):
    egfr_contraindicated_below: Value
    egfr_doctor_below: Value
    kidney_check_age_years: Value

    @model_validator(mode="after")
    def _ordered(self) -> KidneyThresholds:
        if self.egfr_contraindicated_below.value >= self.egfr_doctor_below.value:
            raise ValueError("kidney: egfr_contraindicated_below must be below egfr_doctor_below")
        return self


class Kidney(Model):
    schema_version: int
    unit: tuple[LabUnit, ...]
    lab_code: tuple[LabCode, ...]
    thresholds: KidneyThresholds


class HairLabThresholds(Model):
    ferritin_low_below: Value
    vitamin_d_low_below: Value


class HairLabs(Model):
    """Ferritin, TSH, vitamin D and zinc: the other results the hair screen recommends."""

    schema_version: int
    unit: tuple[LabUnit, ...]
    lab_code: tuple[LabCode, ...]
    thresholds: HairLabThresholds


class Coded(Sourced):
    """An entry a person can name by its code or one of its aliases."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    aliases: tuple[str, ...] = ()


class Symptom(Coded):
    signals: tuple[Literal["deficiency", "excess", "hair_red_flag"], ...]
    hair_causes: tuple[str, ...] = ()
    severe_excess: bool = False
    refer: bool = False
    urgent: bool = False
    #: With a serum value above the range, this symptom makes it urgent (MSD, NIH ODS).
    hypermg_sign: bool = False


class Condition(Coded):
    contraindicated: bool = False
    risk: bool = False
    hair_cause: str | None = None
    #: Kidney disease: magnesium is not cleared safely (symptoms then count as excess).
    kidney: bool = False


class Medication(Model):
    """One medicine; a label that sets its own spacing overrides its class's."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    aliases: tuple[str, ...] = ()
    medicine_before_h: float | None = Field(default=None, gt=0)
    medicine_after_h: float | None = Field(default=None, gt=0)
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _own_spacing(self) -> Medication:
        has = (self.medicine_before_h is not None, self.medicine_after_h is not None)
        if has[0] != has[1]:
            raise ValueError(f"medicine {self.code}: give both spacing hours or neither")
        if has[0] and not self.sources:
            raise ValueError(f"medicine {self.code}: its own spacing needs its label as a source")
        return self


MedicationEffect = Literal[
    "absorption",
    "lowers_mg",
    "raises_mg",
    "low_mg_risk",
    "lowers_mg_absorption",
    "avoid_with_mg",
    "contains_mg",
]


class MemberSpacing(Model):
    """How far apart one medicine and magnesium are taken, and on whose word."""

    medicine_before_h: float
    medicine_after_h: float
    sources: tuple[str, ...]


class MedicationClass(Coded):
    """A class of medicines and its effect.

    ``absorption``: magnesium lowers the medicine's absorption (spacing hours);
    ``lowers_mg``: the medicine lowers magnesium status; ``raises_mg``: it can raise
    serum magnesium; ``low_mg_risk``: low magnesium makes it more dangerous;
    ``lowers_mg_absorption``: it lowers the absorption of magnesium;
    ``avoid_with_mg``: its label advises against magnesium at any spacing;
    ``contains_mg``: it contains magnesium (antacids, laxatives): a magnesium source.
    ``fasting_morning``: taken on waking on an empty stomach (label), so planned
    magnesium doses keep its spacing from the morning.
    """

    effect: MedicationEffect
    medicine_before_h: float | None = Field(default=None, gt=0)
    medicine_after_h: float | None = Field(default=None, gt=0)
    fasting_morning: bool = False
    members: tuple[Medication, ...]

    @model_validator(mode="after")
    def _spacing(self) -> MedicationClass:
        has = self.medicine_before_h is not None and self.medicine_after_h is not None
        if (self.effect == "absorption") != has:
            raise ValueError(f"class {self.code}: spacing hours go with effect 'absorption' only")
        for member in self.members:
            if member.medicine_before_h is not None and self.effect != "absorption":
                raise ValueError(f"medicine {member.code}: spacing hours need effect 'absorption'")
        if self.fasting_morning and self.effect != "absorption":
            raise ValueError(f"class {self.code}: a fasting medicine needs its spacing")
        return self

    def spacing(self, code: str) -> MemberSpacing | None:
        """The spacing of member ``code``: its own label's, else the class's."""
        if self.effect != "absorption":
            return None
        member = next(m for m in self.members if m.code == code)
        if member.medicine_before_h is not None and member.medicine_after_h is not None:
            return MemberSpacing(
                medicine_before_h=member.medicine_before_h,
                medicine_after_h=member.medicine_after_h,
                sources=member.sources,
            )
        assert self.medicine_before_h is not None and self.medicine_after_h is not None
        return MemberSpacing(
            medicine_before_h=self.medicine_before_h,
            medicine_after_h=self.medicine_after_h,
            sources=(*member.sources, *self.sources),
        )


class HairPattern(Coded):
    red_flag: bool = False
    diffuse: bool = False
    points_to: str | None = None


class Trigger(Coded):
    points_to: str = "telogen_effluvium"
    also: tuple[str, ...] = ()


class ScalpSign(Coded):
    red_flag: bool = False


class Cause(Coded):
    tests: tuple[str, ...]


class LabTest(Coded):
    pass


class HairFacts(Model):
    normal_shedding_min: Value
    normal_shedding_max: Value
    te_onset_min_weeks: Value
    te_onset_max_weeks: Value
    chronic_shedding_weeks: Value
    growth_cm_per_month: Value
    recovery_months_min: Value
    recovery_months_max: Value


class ScreenWeights(Model):
    strong: Value
    typical: Value
    supporting: Value
    possible: Value


class Screen(Sourced):
    always_tests: tuple[str, ...]
    diffuse_checks: tuple[str, ...]


class Hair(Model):
    schema_version: int
    facts: HairFacts
    screen_weights: ScreenWeights
    screen: Screen
    pattern: tuple[HairPattern, ...]
    trigger: tuple[Trigger, ...]
    scalp: tuple[ScalpSign, ...]
    cause: tuple[Cause, ...]
    test: tuple[LabTest, ...]


class Claim(Model):
    code: str
    claim: str
    answer: str
    sources: tuple[str, ...] = Field(min_length=1)


class Values(Sourced):
    values: tuple[str | float, ...]


class PlanForm(Sourced):
    form: str


class FoodRef(Model):
    ndb: str = Field(pattern=r"^\d{5}$")
    portion: str


class SuggestFoods(Sourced):
    count: int = Field(gt=0)
    foods: tuple[FoodRef, ...] = Field(min_length=1)


class DoseSlot(Model):
    key: str = Field(pattern=r"^[a-z_]+$")
    hour: float = Field(ge=0, lt=24)
    label: str


class DoseClock(Sourced):
    """The clock hour each planned time of day stands for."""

    fasting_medicine_hour: float = Field(ge=0, lt=24)
    slots: tuple[DoseSlot, ...] = Field(min_length=1)

    def slot(self, key: str) -> DoseSlot:
        return next(s for s in self.slots if s.key == key)


class Rules(Model):
    schema_version: int
    adult_age_years: Value
    plan_round_to_mg: Value
    plan_min_mg: Value
    plan_review_weeks: Values
    plan_form: PlanForm
    plan_times: Values
    dose_clock: DoseClock
    suggest_foods: SuggestFoods

    @model_validator(mode="after")
    def _times_on_the_clock(self) -> Rules:
        keys = [s.key for s in self.dose_clock.slots]
        if len(set(keys)) != len(keys):
            raise ValueError("rules: dose_clock names a slot twice")
        hours = [s.hour for s in self.dose_clock.slots]
        if hours != sorted(hours):
            raise ValueError("rules: dose_clock slots must run from morning to evening")
        unknown = [t for t in self.plan_times.values if t not in keys]
        if unknown:
            raise ValueError(f"rules: plan_times {unknown} are not dose_clock slots {keys}")
        return self


class FindingText(Model):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    severity: Literal["info", "warning", "urgent"]
    message: str
    sources: tuple[str, ...] = ()
    refer: bool = False
    reason: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _referral_has_reason(self) -> FindingText:
        if (self.refer or self.severity == "urgent") and not self.reason:
            raise ValueError(f"finding {self.code}: a referral or urgent finding needs a reason")
        if len(set(self.sources)) != len(self.sources):
            raise ValueError(f"finding {self.code}: names a source twice")
        return self


class ProgressParams(Model):
    """Parameters and texts of the progress verdicts (progress.toml)."""

    schema_version: int
    verdict_weeks: Value
    dermatologist_weeks: Value
    worse_after_weeks: Value
    baseline_weeks: Value
    recent_weeks: Value
    min_counts_per_week: Value
    alpha: Value
    symptom_days: Value
    intake_days: Value
    texts: dict[str, str]

    @model_validator(mode="after")
    def _ordered(self) -> ProgressParams:
        weeks = (self.worse_after_weeks, self.verdict_weeks, self.dermatologist_weeks)
        if [w.value for w in weeks] != sorted(w.value for w in weeks):
            raise ValueError("progress weeks must rise: worse_after <= verdict <= dermatologist")
        if self.baseline_weeks.value >= self.worse_after_weeks.value:
            raise ValueError("progress: the baseline must end before worse_after_weeks")
        if not 0 < self.alpha.value < 1:
            raise ValueError("progress: alpha must lie between 0 and 1")
        return self


RoleValue = Literal["unlikely", "possible", "cannot_tell"]
SerumLevel = Literal["low", "low_normal", "normal", "high", "none"]
IntakeLevel = Literal["clearly_low", "below", "meets", "none"]
StatusValue = Literal["deficient", "low", "adequate", "high", "unknown"]


class RoleFacts(NamedTuple):
    """What the role rules read of one assessment (role.toml names the levels)."""

    serum: SerumLevel
    intake: IntakeLevel
    status: StatusValue
    other_cause: bool


class RoleRule(Model):
    """One rule of magnesium's role: its answer holds when all its conditions do."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    value: RoleValue
    serum: tuple[SerumLevel, ...] = ()
    intake: tuple[IntakeLevel, ...] = ()
    status: tuple[StatusValue, ...] = ()
    other_cause: bool | None = None
    text: str
    sources: tuple[str, ...] = Field(min_length=1)

    @property
    def unconditional(self) -> bool:
        return not (self.serum or self.intake or self.status) and self.other_cause is None

    def holds(self, facts: RoleFacts) -> bool:
        return (
            (not self.serum or facts.serum in self.serum)
            and (not self.intake or facts.intake in self.intake)
            and (not self.status or facts.status in self.status)
            and (self.other_cause is None or facts.other_cause == self.other_cause)
        )


class CauseText(Model):
    """What the answer says of the hair screen's most likely other cause."""

    code: str
    text: str
    text_trigger: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)


class RoleParams(Model):
    target_over_ear: Value
    clear_cause_min_score: Value


class Role(Model):
    """role.toml: the rules and texts of magnesium's role in the hair loss."""

    schema_version: int
    texts: dict[str, str]
    caveat: Statement
    params: RoleParams
    rule: tuple[RoleRule, ...] = Field(min_length=1)
    cause: tuple[CauseText, ...]

    @model_validator(mode="after")
    def _complete(self) -> Role:
        codes = [r.code for r in self.rule]
        if len(set(codes)) != len(codes):
            raise ValueError("role: a rule code appears twice")
        if not self.rule[-1].unconditional:
            raise ValueError("role: the last rule must have no condition")
        if any(r.unconditional for r in self.rule[:-1]):
            raise ValueError("role: only the last rule may have no condition")
        needed = {"question", "other_cause", *get_args(RoleValue)}
        missing = needed - set(self.texts)
        if missing:
            raise ValueError(f"role: texts {sorted(missing)} are missing")
        if self.params.target_over_ear.value <= 1:
            raise ValueError("role: target_over_ear must be above 1")
        return self

    def first(self, facts: RoleFacts) -> RoleRule:
        """The first rule whose conditions hold (the last rule always does)."""
        return next(r for r in self.rule if r.holds(facts))

    def cause_text(self, code: str) -> CauseText:
        return next(c for c in self.cause if c.code == code)


def _prepare() -> None:
    """The models' validators and serializers, from a prepared file when there is one
    (the knowledge base itself is read back without them; a first validation, say of
    a medicine's spacing, would otherwise build one)."""
    from pathlib import Path

    from magwise._prepared import prepare_models

    prepare_models(globals(), Model, Path(__file__).parent)


_prepare()
