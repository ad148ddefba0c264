"""The result: the public output contract of ``magwise.assess`` (version 1)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from magwise.case import Comparator

RESULT_VERSION = 1

#: The first thing to do, in order of precedence: the rules choose the first that
#: applies, and the headline starts with its text.
Action = Literal[
    "urgent_care",
    "stop_magnesium",
    "lower_supplements",
    "see_doctor",
    "follow_plan",
    "log_more",
    "nothing_needed",
]
ACTIONS: tuple[Action, ...] = get_args(Action)

#: Magnesium's role in the hair loss: never "likely" or "the cause", since no controlled
#: trial shows that magnesium prevents or treats hair loss.
RoleValue = Literal["unlikely", "possible", "cannot_tell"]
ROLE_VALUES: tuple[RoleValue, ...] = get_args(RoleValue)

Status = Literal["deficient", "low", "adequate", "high", "unknown"]
StatusBasis = Literal["serum", "intake", "none"]
Severity = Literal["info", "warning", "urgent"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class DayIntake(_Model):
    date: dt.date
    food_mg: float
    water_mg: float
    supplement_mg: float
    total_mg: float


class Intake(_Model):
    """Mean elemental magnesium per day over the days given (mg)."""

    days: int
    food_mg: float
    water_mg: float
    supplement_mg: float = Field(
        description="Supplemental magnesium: counts toward the upper limit."
    )
    total_mg: float
    per_day: list[DayIntake]
    unknown_mg_entries: int = Field(
        default=0,
        description="Food entries whose magnesium the food database does not give: "
        "left out of the sums, so food_mg and total_mg are lower bounds when above 0.",
    )


class Reference(_Model):
    standard: str
    standard_name: str
    target_name: str
    target_mg: float | None
    ear_mg: float | None
    supplement_ul_mg: float | None = Field(description="Upper limit for supplemental magnesium.")
    min_doses_per_day: int
    sources: list[str]
    notes: list[str]


class Serum(_Model):
    """The latest serum magnesium result, converted to mmol/L."""

    value: float
    unit: str
    mmol_per_l: float
    date: dt.date | None
    comparator: Comparator | None = Field(
        default=None,
        description="As the lab wrote it: the true value is '<', '<=', '>' or '>=' value.",
    )


class Finding(_Model):
    code: str
    severity: Severity
    message: str
    sources: list[str] = Field(min_length=1)


class Dose(_Model):
    time: str
    elemental_mg: float
    compound_mg: float


class Spacing(_Model):
    medication: str
    label: str
    medicine_before_h: float
    medicine_after_h: float
    advice: str
    sources: list[str]


class FoodSuggestion(_Model):
    ndb: str
    description: str
    portion: str
    grams: float
    mg: float
    portions_for_gap: float | None = Field(
        description="Portions a day that would close the gap by this food alone."
    )


class DosePlan(_Model):
    supplement_mg_per_day: float = Field(
        description="Elemental magnesium per day from all supplements, replacing what is taken now."
    )
    form: str
    form_name: str
    elemental_fraction: float
    compound_mg_per_dose: float
    doses_per_day: int
    doses: list[Dose]
    review_after_weeks: list[int]
    stop_if: list[str]
    spacing: list[Spacing]
    food_alternatives: list[FoodSuggestion]
    sources: list[str]


class Contributor(_Model):
    code: str
    label: str
    score: float = Field(description="Relative weight of the reasons; higher ranks first.")
    reasons: list[str]
    tests: list[str]
    sources: list[str]


class HairScreen(_Model):
    shedding: Literal["normal", "above_normal", "unknown"]
    contributors: list[Contributor]
    tests: list[str] = Field(description="Checks with evidence to ask a doctor for.")
    magnesium_evidence: str
    sources: list[str]


class OtherCause(_Model):
    """The hair screen's most likely cause other than magnesium."""

    code: str = Field(description="The cause's code in the hair screen's contributors.")
    label: str
    text: str
    sources: list[str] = Field(min_length=1)


class MagnesiumRole(_Model):
    """The answer to the person's own question: is magnesium behind the hair loss?"""

    value: RoleValue = Field(
        description="unlikely, possible or cannot_tell; never 'likely': no controlled trial "
        "shows that magnesium prevents or treats hair loss."
    )
    label: str = Field(description="The value in words.")
    rule: str = Field(description="The code of the rule that chose the value (docs/rules.md).")
    text: str = Field(
        description="One sentence saying why; a 'possible' answer ends with the caveat that "
        "no trial shows magnesium treats hair loss."
    )
    other_cause: OtherCause | None = Field(
        description="The hair screen's most likely other cause, when it points to a clear one."
    )
    sources: list[str] = Field(min_length=1)


class ClaimAnswer(_Model):
    code: str
    claim: str
    answer: str
    sources: list[str]


class Result(_Model):
    version: Literal[1] = 1
    knowledge_version: str
    headline: str
    action: Action = Field(
        description="The first thing to do; the headline starts with it. In order of "
        "precedence: urgent_care (seek medical help today), stop_magnesium, "
        "lower_supplements, see_doctor, follow_plan, log_more, nothing_needed."
    )
    magnesium_role: MagnesiumRole = Field(
        description="Is magnesium behind the hair loss? Shown after the headline's action, "
        "which it never overrides."
    )
    intake: Intake | None
    reference: Reference
    serum: Serum | None
    status: Status
    status_basis: StatusBasis
    refer_to_doctor: bool
    urgent: bool
    dose_plan: DosePlan | None
    findings: list[Finding]
    hair: HairScreen | None
    claims: list[ClaimAnswer]
    not_judged: list[str] = Field(description="What could not be judged from the case, and why.")
    disclaimer: str


def _prepare() -> None:
    """The models' validators and serializers, from a prepared file when there is one."""
    from pathlib import Path

    from magwise._prepared import prepare_models

    prepare_models(globals(), _Model, Path(__file__).parent)


_prepare()
