"""The case file: the public input contract of ``magwise.assess`` (version 1).

Validation here is about shape and ranges; codes (conditions, medications,
symptoms, hair patterns, triggers, scalp signs), supplement forms, foods and
portions are checked against the knowledge base and the food database when the
case is assessed, so that every error names its field path.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from magwise.bounds import (
    MAX_AGE_YEARS,
    MAX_COUNT,
    MAX_DURATION_WEEKS,
    MAX_ELEMENTAL_MG,
    MAX_GRAMS,
    MAX_LITERS,
    MAX_MG_PER_LITER,
    MAX_SHEDDING,
    MAX_WEEKS_AGO,
)
from magwise.errors import InputError

CASE_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Profile(_Model):
    sex: Literal["female", "male"]
    age_years: float = Field(
        ge=0, le=MAX_AGE_YEARS, description="Age in years; decimals for infants."
    )
    pregnant: bool = False
    lactating: bool = False
    conditions: tuple[str, ...] = Field(default=(), description="Condition codes (magwise codes).")
    medications: tuple[str, ...] = Field(default=(), description="Medication codes.")

    @model_validator(mode="after")
    def _state(self) -> Profile:
        if self.pregnant and self.lactating:
            raise ValueError("choose one of pregnant or lactating, not both")
        if (self.pregnant or self.lactating) and self.sex != "female":
            raise ValueError("pregnant and lactating apply to sex 'female' only")
        return self


class FoodEntry(_Model):
    food: str = Field(description="SR28 NDB number, e.g. '11457'.")
    grams: float | None = Field(default=None, ge=0, le=MAX_GRAMS)
    portion: str | None = Field(default=None, description="One of the food's household measures.")
    count: float = Field(default=1, gt=0, le=MAX_COUNT, description="How many portions.")

    @model_validator(mode="after")
    def _amount(self) -> FoodEntry:
        if (self.grams is None) == (self.portion is None):
            raise ValueError("give either grams or portion (with an optional count)")
        return self


class SupplementEntry(_Model):
    form: str | None = Field(
        default=None, description="Salt or product form (magwise codes forms)."
    )
    elemental_mg: float | None = Field(default=None, ge=0, le=MAX_ELEMENTAL_MG)
    compound_mg: float | None = Field(default=None, ge=0, le=MAX_ELEMENTAL_MG)
    count: float = Field(default=1, gt=0, le=MAX_COUNT, description="Units taken that day.")
    name: str | None = Field(default=None, max_length=200, description="Product name.")

    @model_validator(mode="after")
    def _amount(self) -> SupplementEntry:
        if (self.elemental_mg is None) == (self.compound_mg is None):
            raise ValueError("give either elemental_mg (from the label) or compound_mg with a form")
        if self.compound_mg is not None and self.form is None:
            raise ValueError("compound_mg needs a form to convert it to elemental magnesium")
        return self


class WaterEntry(_Model):
    liters: float = Field(ge=0, le=MAX_LITERS)
    mg_per_liter: float = Field(ge=0, le=MAX_MG_PER_LITER)
    name: str | None = Field(default=None, max_length=200)


class Day(_Model):
    date: dt.date
    foods: tuple[FoodEntry, ...] = ()
    supplements: tuple[SupplementEntry, ...] = ()
    water: tuple[WaterEntry, ...] = ()


class Lab(_Model):
    test: Literal["serum_magnesium", "rbc_magnesium"] = "serum_magnesium"
    value: float = Field(ge=0)
    unit: str
    date: dt.date | None = None
    range_low: float | None = Field(
        default=None, ge=0, description="The lab's own range, if given."
    )
    range_high: float | None = Field(default=None, ge=0)


class Trigger(_Model):
    kind: str
    weeks_ago: float = Field(ge=0, le=MAX_WEEKS_AGO)


class Hair(_Model):
    pattern: str | None = None
    shedding_per_day: float | None = Field(default=None, ge=0, le=MAX_SHEDDING)
    duration_weeks: float | None = Field(default=None, ge=0, le=MAX_DURATION_WEEKS)
    family_history: bool | None = None
    triggers: tuple[Trigger, ...] = ()
    scalp: tuple[str, ...] = ()


class Case(_Model):
    """A person's case: profile, days of intake, blood results, symptoms, hair."""

    version: Literal[1] = 1
    standard: str | None = Field(default=None, description="dge (default), efsa or nih.")
    profile: Profile
    days: tuple[Day, ...] = ()
    labs: tuple[Lab, ...] = ()
    symptoms: tuple[str, ...] = ()
    hair: Hair | None = None

    @model_validator(mode="after")
    def _unique_days(self) -> Case:
        dates = [d.date for d in self.days]
        if len(dates) != len(set(dates)):
            raise ValueError("each date may appear only once in days")
        return self


def field_path(loc: tuple[int | str, ...]) -> str:
    """('days', 2, 'foods', 0, 'grams') -> 'days[2].foods[0].grams'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part and not str(part).startswith("function-"):
            path += f".{part}" if path else str(part)
    return path or "case"


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "is not a field of the case file (see 'magwise schema case')"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"{error['input']!r} is not accepted; accepted: {ctx.get('expected', '')}"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bounds = {
            "greater_than_equal": f"at least {ctx.get('ge')}",
            "greater_than": f"more than {ctx.get('gt')}",
            "less_than_equal": f"at most {ctx.get('le')}",
            "less_than": f"less than {ctx.get('lt')}",
        }[kind]
        return f"{error['input']!r} is out of range; accepted: a number {bounds}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    msg = str(error["msg"])
    return f"{msg[0].lower()}{msg[1:]} (got {error.get('input')!r})"


def parse_case(data: str | bytes | dict[str, Any]) -> Case:
    """Validate a case from JSON text or a decoded object; errors name the field path."""
    if isinstance(data, str | bytes):
        try:  # one pass, parsing and validating together: a valid case takes this path
            return Case.model_validate_json(data)
        except ValidationError:
            pass  # parse and validate in two steps, for the error message below
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InputError(
                "case", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    if not isinstance(data, dict):
        raise InputError("case", "a case file is a JSON object (see 'magwise example case')")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise InputError(field_path(tuple(first["loc"])), _message(first)) from None
