"""The case file: the public input contract of ``magwise.assess`` (version 1).

Validation here is about shape and ranges; codes (conditions, medications,
symptoms, hair patterns, triggers, scalp signs), supplement forms, foods and
portions are checked against the knowledge base and the food database when the
case is assessed, so that every error names its field path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from magwise.bounds import (
    MAX_AGE_YEARS,
    MAX_COUNT,
    MAX_DURATION_WEEKS,
    MAX_ELEMENTAL_MG,
    MAX_GRAMS,
    MAX_LITERS,
    MAX_MG_PER_100G,
    MAX_MG_PER_LITER,
    MAX_SHEDDING,
    MAX_WEEKS_AGO,
    SHOWN_CHARS,
)
from magwise.errors import InputError
from magwise.jsontext import check_depth, loads

CASE_VERSION = 1


def _field_error(field: str, message: str) -> PydanticCustomError:
    """An error of a model's check that names one of its fields (``parse_case`` adds it
    to the path)."""
    return PydanticCustomError("field_error", "{message}", {"field": field, "message": message})


def _iso_day(value: Any) -> Any:
    """A day as JSON writes it, ``YYYY-MM-DD`` (or a ``date``): not a timestamp."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value  # the date itself is checked next
    raise PydanticCustomError("date_type", "Input should be a date as text, YYYY-MM-DD")


def _version(value: Any) -> Any:
    """The version as a whole number: ``true`` or ``1.0`` is not version 1."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

#: A number (an integer is one too); not ``true`` and not ``"34"``.
Number = Annotated[float, Strict()]
#: ``true`` or ``false``; not ``"yes"`` and not ``1``.
Flag = Annotated[bool, Strict()]
#: A day, ``YYYY-MM-DD``, from JSON text and from a decoded object alike.
IsoDay = Annotated[dt.date, BeforeValidator(_iso_day)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Profile(_Model):
    sex: Literal["female", "male"]
    age_years: Number = Field(
        ge=0, le=MAX_AGE_YEARS, description="Age in years; decimals for infants."
    )
    pregnant: Flag = False
    lactating: Flag = False
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
    food: str = Field(
        description="SR28 NDB number, e.g. '11457'; with mg_per_100g, any name or id of a "
        "food from a label (e.g. 'own:12')."
    )
    grams: Number | None = Field(default=None, ge=0, le=MAX_GRAMS)
    portion: str | None = Field(default=None, description="One of the food's household measures.")
    count: Number = Field(default=1, gt=0, le=MAX_COUNT, description="How many portions.")
    mg_per_100g: Number | None = Field(
        default=None,
        ge=0,
        le=MAX_MG_PER_100G,
        description="Magnesium per 100 g from the food's label, for a food not in SR28 "
        "(then give grams).",
    )
    name: str | None = Field(default=None, max_length=200, description="The food's name.")

    @model_validator(mode="after")
    def _amount(self) -> FoodEntry:
        if (self.grams is None) == (self.portion is None):
            raise ValueError("give either grams or portion (with an optional count)")
        if self.mg_per_100g is not None and self.grams is None:
            raise ValueError("a food with mg_per_100g is given in grams")
        return self


class SupplementEntry(_Model):
    form: str | None = Field(
        default=None, description="Salt or product form (magwise codes forms)."
    )
    elemental_mg: Number | None = Field(default=None, ge=0, le=MAX_ELEMENTAL_MG)
    compound_mg: Number | None = Field(default=None, ge=0, le=MAX_ELEMENTAL_MG)
    count: Number = Field(default=1, gt=0, le=MAX_COUNT, description="Units taken that day.")
    name: str | None = Field(default=None, max_length=200, description="Product name.")

    @model_validator(mode="after")
    def _amount(self) -> SupplementEntry:
        if (self.elemental_mg is None) == (self.compound_mg is None):
            raise ValueError("give either elemental_mg (from the label) or compound_mg with a form")
        if self.compound_mg is not None and self.form is None:
            raise ValueError("compound_mg needs a form to convert it to elemental magnesium")
        return self


class WaterEntry(_Model):
    liters: Number = Field(ge=0, le=MAX_LITERS)
    mg_per_liter: Number = Field(ge=0, le=MAX_MG_PER_LITER)
    name: str | None = Field(default=None, max_length=200)


class Day(_Model):
    date: IsoDay
    foods: tuple[FoodEntry, ...] = ()
    supplements: tuple[SupplementEntry, ...] = ()
    water: tuple[WaterEntry, ...] = ()


#: The lab tests a case may carry (``magwise.knowledge.LAB_TESTS``).
LabTest = Literal[
    "serum_magnesium", "rbc_magnesium", "egfr", "creatinine", "ferritin", "tsh", "vitamin_d", "zinc"
]
#: FHIR ``valueQuantity.comparator``: the true value is below, at most, above or at
#: least ``value``.
Comparator = Literal["<", "<=", ">", ">="]


class Lab(_Model):
    test: LabTest = Field(
        default="serum_magnesium",
        description="serum_magnesium, rbc_magnesium, egfr (mL/min/1.73 m²), creatinine "
        "(serum creatinine, mg/dL or µmol/L), or one of the other results the hair screen "
        "recommends: ferritin (µg/L or ng/mL), tsh (mIU/L or µIU/mL), vitamin_d (25-OH "
        "vitamin D, ng/mL or nmol/L) or zinc (µg/dL or µmol/L).",
    )
    value: Number = Field(ge=0)
    unit: str = Field(
        description="Magnesium: mmol/L, mg/dL or mEq/L; egfr: mL/min/1.73 m²; "
        "creatinine: mg/dL or µmol/L; ferritin: µg/L or ng/mL; tsh: mIU/L or µIU/mL; "
        "vitamin_d: ng/mL or nmol/L; zinc: µg/dL or µmol/L; aliases such as umol/L are "
        "accepted."
    )
    comparator: Comparator | None = Field(
        default=None,
        description="As FHIR valueQuantity.comparator: the true value is '<', '<=', '>' or "
        "'>=' value (e.g. a lab reports '< 0.5' or eGFR '> 90'); none: value is exact.",
    )
    date: IsoDay | None = None
    range_low: Number | None = Field(
        default=None,
        ge=0,
        description="The low end of the lab's own reference range, in the result's unit, "
        "if given (either end may be given alone).",
    )
    range_high: Number | None = Field(
        default=None,
        ge=0,
        description="The high end of the lab's own reference range, in the result's unit.",
    )

    @model_validator(mode="after")
    def _range(self) -> Lab:
        low, high = self.range_low, self.range_high
        if low is not None and high is not None and low >= high:
            raise _field_error(
                "range_low",
                f"{low:g} is not below range_high {high:g}; the low end of the "
                "lab's range must be below its high end",
            )
        return self


def lab_range(low: float | None, high: float | None) -> dict[str, float]:
    """The ``range_low``/``range_high`` fields of a lab for a case built from a log:
    those given, or none when the low end is not below the high end (a result
    stored before such a range was refused)."""
    if low is not None and high is not None and low >= high:
        return {}
    ends = {"range_low": low, "range_high": high}
    return {name: value for name, value in ends.items() if value is not None}


class Trigger(_Model):
    kind: str
    weeks_ago: Number = Field(ge=0, le=MAX_WEEKS_AGO)


class Hair(_Model):
    pattern: str | None = None
    shedding_per_day: Number | None = Field(default=None, ge=0, le=MAX_SHEDDING)
    duration_weeks: Number | None = Field(default=None, ge=0, le=MAX_DURATION_WEEKS)
    family_history: Flag | None = None
    triggers: tuple[Trigger, ...] = ()
    scalp: tuple[str, ...] = ()


class Case(_Model):
    """A person's case: profile, days of intake, blood results, symptoms, hair."""

    version: Annotated[Literal[1], BeforeValidator(_version)] = 1
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
            name = str(part)
            name = name if len(name) <= SHOWN_CHARS else f"{name[:SHOWN_CHARS]}…"
            path += f".{name}" if path else name
    return path or "case"


def _message(error: Any) -> str:
    from magwise.store._inputs import shown

    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "is not a field of the case file (see 'magwise schema case')"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"{shown(error['input'])} is not accepted; accepted: {ctx.get('expected', '')}"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bounds = {
            "greater_than_equal": f"at least {ctx.get('ge')}",
            "greater_than": f"more than {ctx.get('gt')}",
            "less_than_equal": f"at most {ctx.get('le')}",
            "less_than": f"less than {ctx.get('lt')}",
        }[kind]
        return f"{shown(error['input'])} is out of range; accepted: a number {bounds}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "field_error":
        return str(ctx["message"])
    if kind in {"float_type", "bool_type", "date_type"}:
        accepted = {
            "float_type": "not a number; accepted: a number, e.g. 34 or 0.5 (not in quotes)",
            "bool_type": "not true or false; accepted: true, false (not in quotes)",
            "date_type": 'not a date; accepted: a date as text, "YYYY-MM-DD"',
        }[kind]
        return f"{shown(error['input'])} is {accepted}"
    msg = str(error["msg"])
    return f"{msg[0].lower()}{msg[1:]} (got {shown(error.get('input'))})"


def parse_case(data: str | bytes | dict[str, Any]) -> Case:
    """Validate a case from JSON text (``bytes``: UTF-8) or a decoded object; errors name
    the field path."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")  # a byte order mark is forgiven
        except UnicodeDecodeError:
            raise InputError("case", "a case file is UTF-8 encoded JSON text") from None
    if isinstance(data, str):
        try:  # one pass, parsing and validating together: a valid case takes this path
            # (its fields nest a few levels at most, far within MAX_DEPTH; Pydantic's parser
            # stops deeper text itself, which the check below then words)
            return Case.model_validate_json(data)
        except ValidationError:
            pass  # parse and validate in two steps, for the error message below
        check_depth(data, "case")
        from json import JSONDecodeError

        try:
            data = loads(data, "case")
        except JSONDecodeError as exc:
            raise InputError(
                "case", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    if not isinstance(data, dict):
        raise InputError("case", "a case file is a JSON object (see 'magwise example case')")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        if first["type"] == "field_error":
            loc += (str((first.get("ctx") or {})["field"]),)
        raise InputError(field_path(loc), _message(first)) from None


def _prepare() -> None:
    """The models' validators and serializers, from a prepared file when there is one."""
    from pathlib import Path

    from magwise._prepared import prepare_models

    prepare_models(globals(), _Model, Path(__file__).parent)


_prepare()
