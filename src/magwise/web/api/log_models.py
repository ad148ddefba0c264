"""Request and response bodies of a person's log (``/api/v1/me``).

Bodies forbid unknown fields, so a misspelt field is a 422 that names it rather
than a value silently ignored. Bounds that need the knowledge base or the food
database (codes, forms, units, portions) are checked by the same functions the
command line uses, and answered with the same messages.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from magwise.bounds import (
    FIRST_DAY,
    LAST_DAY,
    MAX_AGE_YEARS,
    MAX_COUNT,
    MAX_ELEMENTAL_MG,
    MAX_GRAMS,
    MAX_LITERS,
    MAX_MG_PER_LITER,
    MAX_PLAN_MG_PER_DAY,
    MAX_SHEDDING,
)
from magwise.case import Comparator, LabTest
from magwise.record import (
    FoodEntry,
    LabEntry,
    NoteEntry,
    PlanEntry,
    ProfileVersion,
    SheddingEntry,
    SupplementEntry,
    SymptomEntry,
    WaterEntry,
)
from magwise.result import Finding
from magwise.store import Entry, Product, describe

EntryKind = Literal["food", "supplement", "water", "shedding", "symptom", "lab", "note"]
ENTRY_KINDS: tuple[EntryKind, ...] = (
    "food",
    "supplement",
    "water",
    "shedding",
    "symptom",
    "lab",
    "note",
)

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: Any) -> Any:
    """A date as JSON writes it (YYYY-MM-DD), and nothing else (not a timestamp),
    from 1900 to 2999 (a log's days; weeks before and after them stay dates).
    """
    day = value
    if isinstance(value, str) and _ISO_DAY.match(value):
        day = dt.date.fromisoformat(value)
    if not isinstance(day, dt.date):
        raise ValueError("expected a date, YYYY-MM-DD")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"expected a date from {FIRST_DAY} to {LAST_DAY}")
    return day


#: A date in ISO form only: "0" or 1700000000 is not read as a timestamp.
IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


def _range(low: float, high: float | None = None, *, above: bool = False) -> dict[str, Any]:
    """A number's accepted range (``magwise.bounds``) in the OpenAPI description.

    Only described here: the endpoint checks it, in its own words, as every other
    face does (``store._inputs.check_number``). ``above``: more than ``low``.
    """
    schema: dict[str, Any] = {"exclusiveMinimum" if above else "minimum": low}
    if high is not None:
        schema["maximum"] = high
    return schema


_DAY = Field(
    default=None,
    description="The day (YYYY-MM-DD), not in the future; default today.",
)
_NO_NUL = r"^[^\x00]*$"
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=_NO_NUL)]
Code = Annotated[str, Field(min_length=1, max_length=100, pattern=_NO_NUL)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


# -- the profile ----------------------------------------------------------------


class TriggerIn(_In):
    kind: Code = Field(description="A trigger code or alias, e.g. childbirth.")
    on: IsoDate


class TriggerOut(BaseModel):
    kind: str
    on: dt.date


class ProfileIn(_In):
    """What changes from ``date`` on; a field left out keeps its value, ``null`` clears it.

    A first profile needs ``sex`` and ``age_years``.
    """

    date: IsoDate | None = _DAY
    sex: Literal["female", "male"] | None = None
    age_years: float | None = Field(
        default=None,
        description="Age in years on that day.",
        json_schema_extra=_range(0, MAX_AGE_YEARS),
    )
    pregnant: bool | None = None
    lactating: bool | None = None
    standard: Code | None = Field(default=None, description="dge, efsa or nih; null: default.")
    conditions: list[Code] | None = Field(default=None, max_length=50)
    medications: list[Code] | None = Field(default=None, max_length=50)
    hair_pattern: Code | None = None
    hair_loss_since: IsoDate | None = None
    family_history: bool | None = None
    scalp: list[Code] | None = Field(default=None, max_length=50)
    triggers: list[TriggerIn] | None = Field(default=None, max_length=50)
    name: str | None = Field(
        default=None, max_length=200, description="Shown in the report only; null clears it."
    )
    birth_date: IsoDate | None = Field(
        default=None, description="Date of birth, shown in the report only; null clears it."
    )


class ProfileVersionOut(BaseModel):
    valid_from: dt.date
    sex: Literal["female", "male"]
    age_years: float = Field(description="Age on valid_from.")
    pregnant: bool
    lactating: bool
    standard: str | None
    conditions: list[str]
    medications: list[str]
    hair_pattern: str | None
    hair_loss_since: dt.date | None
    family_history: bool | None
    scalp: list[str]
    triggers: list[TriggerOut]
    name: str | None = None
    birth_date: dt.date | None = None

    @classmethod
    def of(cls, version: ProfileVersion) -> ProfileVersionOut:
        return cls(
            valid_from=version.valid_from,
            sex=version.sex,
            age_years=version.age_years,
            pregnant=version.pregnant,
            lactating=version.lactating,
            standard=version.standard,
            conditions=list(version.conditions),
            medications=list(version.medications),
            hair_pattern=version.hair_pattern,
            hair_loss_since=version.hair_loss_since,
            family_history=version.family_history,
            scalp=list(version.scalp),
            triggers=[TriggerOut(kind=t.kind, on=t.on) for t in version.triggers],
            name=version.name,
            birth_date=version.birth_date,
        )


class ProfileOut(BaseModel):
    """The profile in force now and every version, oldest first."""

    current: ProfileVersionOut
    versions: list[ProfileVersionOut]


class ProfileSaved(BaseModel):
    stored: bool = Field(description="False when the change said nothing new.")
    version: ProfileVersionOut = Field(description="The profile from the given day.")


# -- entries in -------------------------------------------------------------------


class FoodIn(_In):
    """A food by SR28 NDB number with grams, or a household portion of it and a count."""

    date: IsoDate | None = _DAY
    ndb: Annotated[
        str, Field(min_length=1, max_length=20, description="e.g. 12014, or own:3 (own food).")
    ]
    grams: float | None = Field(
        default=None,
        description="Weight in grams (or give portion).",
        json_schema_extra=_range(0, MAX_GRAMS, above=True),
    )
    portion: Name | None = Field(default=None, description="A household measure, e.g. '1 oz'.")
    count: float = Field(
        default=1,
        description="How many portions.",
        json_schema_extra=_range(0, MAX_COUNT, above=True),
    )
    meal: Literal["breakfast", "lunch", "dinner", "snack"] | None = None


class SupplementIn(_In):
    """A product defined under /products, by name; or elemental mg with a form or a name."""

    date: IsoDate | None = _DAY
    product: Name | None = None
    units: float = Field(
        default=1,
        description="Tablets, capsules or scoops.",
        json_schema_extra=_range(0, MAX_COUNT, above=True),
    )
    elemental_mg: float | None = Field(
        default=None,
        description="Elemental mg per unit, for a product not defined.",
        json_schema_extra=_range(0, MAX_ELEMENTAL_MG),
    )
    form: Code | None = Field(default=None, description="Salt form, e.g. citrate.")


class WaterIn(_In):
    """Litres of water with mg/L from the label, or a water named under /waters."""

    date: IsoDate | None = _DAY
    liters: float = Field(json_schema_extra=_range(0, MAX_LITERS, above=True))
    mg_per_liter: float | None = Field(default=None, json_schema_extra=_range(0, MAX_MG_PER_LITER))
    water: Name | None = Field(default=None, description="A named water (instead of mg_per_liter).")


class SheddingIn(_In):
    date: IsoDate | None = _DAY
    count: int = Field(json_schema_extra=_range(0, MAX_SHEDDING))
    method: Code = Field(default="daily", description="daily, comb or wash.")


class SymptomIn(_In):
    date: IsoDate | None = _DAY
    code: Code = Field(description="A symptom code or alias, e.g. cramps.")


class LabIn(_In):
    date: IsoDate | None = _DAY
    value: float = Field(
        description="The result; a serum value must be possible in its unit.",
        json_schema_extra=_range(0, above=True),
    )
    unit: Code = Field(
        description="Magnesium: mmol/L, mg/dL or mEq/L; egfr: mL/min/1.73 m²; "
        "creatinine: mg/dL or µmol/L; ferritin: µg/L or ng/mL; tsh: mIU/L or µIU/mL; "
        "vitamin_d: ng/mL or nmol/L; zinc: µg/dL or µmol/L."
    )
    test: Code = Field(
        default="serum",
        description="serum, rbc, egfr, creatinine, ferritin, tsh, vitamin_d or zinc.",
    )
    comparator: Code | None = Field(
        default=None,
        description="As the lab wrote it: '<', '<=', '>' or '>=' value (e.g. '< 0.5'); "
        "none: the value is exact.",
    )
    range_low: float | None = Field(
        default=None,
        description="The lab's own range (low end), in the result's unit; may be given alone.",
        json_schema_extra=_range(0, MAX_ELEMENTAL_MG),
    )
    range_high: float | None = Field(
        default=None,
        description="The lab's own range (high end), in the result's unit; may be given alone.",
        json_schema_extra=_range(0, MAX_ELEMENTAL_MG),
    )


class NoteIn(_In):
    date: IsoDate | None = _DAY
    text: Annotated[str, Field(min_length=1, max_length=10_000, pattern=_NO_NUL)]


# -- entries out -------------------------------------------------------------------


class _EntryOut(BaseModel):
    id: int
    date: dt.date
    summary: str = Field(description="The entry in one line, as the command line shows it.")


class FoodEntryOut(_EntryOut):
    kind: Literal["food"] = "food"
    ndb: str = Field(description="An SR28 NDB number, or own:N for an own food.")
    description: str
    grams: float | None
    portion: str | None
    count: float
    mg_per_100g: float | None = Field(
        default=None, description="An own food's magnesium per 100 g when it was logged."
    )
    meal: Literal["breakfast", "lunch", "dinner", "snack"] | None = None


class SupplementEntryOut(_EntryOut):
    kind: Literal["supplement"] = "supplement"
    product: str
    form: str | None
    elemental_mg_per_unit: float
    units: float


class WaterEntryOut(_EntryOut):
    kind: Literal["water"] = "water"
    liters: float
    mg_per_liter: float
    name: str | None


class SheddingEntryOut(_EntryOut):
    kind: Literal["shedding"] = "shedding"
    count: int
    method: Literal["daily_count", "comb_test", "wash_count"]


class SymptomEntryOut(_EntryOut):
    kind: Literal["symptom"] = "symptom"
    code: str


class LabEntryOut(_EntryOut):
    kind: Literal["lab"] = "lab"
    test: LabTest
    value: float
    unit: str
    range_low: float | None
    range_high: float | None
    comparator: Comparator | None = Field(
        default=None, description="'<', '<=', '>' or '>=' value, as the lab wrote it."
    )


class NoteEntryOut(_EntryOut):
    kind: Literal["note"] = "note"
    text: str


EntryOut = Annotated[
    FoodEntryOut
    | SupplementEntryOut
    | WaterEntryOut
    | SheddingEntryOut
    | SymptomEntryOut
    | LabEntryOut
    | NoteEntryOut,
    Field(discriminator="kind"),
]

_OUT: dict[type[object], type[_EntryOut]] = {
    FoodEntry: FoodEntryOut,
    SupplementEntry: SupplementEntryOut,
    WaterEntry: WaterEntryOut,
    SheddingEntry: SheddingEntryOut,
    SymptomEntry: SymptomEntryOut,
    LabEntry: LabEntryOut,
    NoteEntry: NoteEntryOut,
}


def entry_out(entry: Entry) -> _EntryOut:
    """An entry of the store as the API answers it."""
    import dataclasses

    fields = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)}
    fields["date"] = fields.pop("day")
    return _OUT[type(entry)](**fields, summary=describe(entry))


# -- products, waters, plans -----------------------------------------------------------


class ProductIn(_In):
    """Elemental mg per unit from the label (preferred), or compound mg with the form."""

    elemental_mg: float | None = Field(default=None, json_schema_extra=_range(0, MAX_ELEMENTAL_MG))
    compound_mg: float | None = Field(default=None, json_schema_extra=_range(0, MAX_ELEMENTAL_MG))
    form: Code | None = Field(default=None, description="Salt form, e.g. citrate.")


class ProductOut(BaseModel):
    name: str
    elemental_mg_per_unit: float
    form: str | None

    @classmethod
    def of(cls, product: Product) -> ProductOut:
        return cls(
            name=product.name,
            elemental_mg_per_unit=product.elemental_mg_per_unit,
            form=product.form,
        )


class ProductSaved(ProductOut):
    replaced: bool = Field(description="True when a product of that name was redefined.")


class WaterNameIn(_In):
    mg_per_liter: float = Field(json_schema_extra=_range(0, MAX_MG_PER_LITER))


class WaterOut(BaseModel):
    name: str
    mg_per_liter: float


class WaterSaved(WaterOut):
    replaced: bool = Field(description="True when a water of that name was renamed.")


class PlanIn(_In):
    date: IsoDate | None = Field(default=None, description="The first day; default today.")
    mg_per_day: float = Field(
        description="Elemental magnesium a day.",
        json_schema_extra=_range(0, MAX_PLAN_MG_PER_DAY, above=True),
    )
    form: Code | None = Field(default=None, description="Salt form; default the plan form.")


class PlanStopIn(_In):
    date: IsoDate | None = Field(default=None, description="The last day; default today.")


class PlanOut(BaseModel):
    id: int
    started: dt.date
    stopped: dt.date | None
    supplement_mg_per_day: float
    form: str

    @classmethod
    def of(cls, plan: PlanEntry) -> PlanOut:
        return cls(
            id=plan.id,
            started=plan.started,
            stopped=plan.stopped,
            supplement_mg_per_day=plan.supplement_mg_per_day,
            form=plan.form,
        )


# -- today ---------------------------------------------------------------------------


class IntakeToday(BaseModel):
    food_mg: float
    water_mg: float
    supplement_mg: float
    total_mg: float


class Today(BaseModel):
    """A day's entries and its intake against the target and the supplemental upper limit.

    ``intake`` and the reference are null until a profile is set.
    """

    date: dt.date
    entries: list[EntryOut]
    profile_set: bool
    intake: IntakeToday | None
    standard: str | None
    standard_name: str | None
    target_mg: float | None = Field(description="The day's target; null when none is set.")
    to_go_mg: float | None = Field(description="Target minus intake, at least 0.")
    supplement_ul_mg: float | None = Field(
        description="Upper limit for supplemental magnesium (food and water do not count)."
    )
    supplement_above_ul: bool
    findings: list[Finding] = Field(description="Warnings and urgent findings of the day.")


# -- data ------------------------------------------------------------------------------


class Counts(BaseModel):
    """Entries per kind, then profile versions, products, named waters, plans and photos."""

    food: int
    supplement: int
    water: int
    shedding: int
    symptom: int
    lab: int
    note: int
    profiles: int
    products: int
    waters: int
    plans: int
    photos: int = 0
    own_foods: int = 0
    meals: int = 0


class Imported(BaseModel):
    entries: int = Field(description="Entries written.")
    counts: Counts = Field(description="What the store holds for you now.")


class LabsImported(BaseModel):
    imported: list[LabEntryOut]
    already_stored: int = Field(description="Results the log held already (not stored twice).")
    skipped: int = Field(description="Resources that are not observations of a lab magwise reads.")
    without_result: int = Field(description="Such observations without a result (status).")


class _Export(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class ExportTrigger(_Export):
    kind: str
    on: IsoDate


class ExportPerson(_Export):
    name: str


class ExportProduct(_Export):
    name: str
    form: str | None
    elemental_mg_per_unit: float


class ExportWater(_Export):
    name: str
    mg_per_liter: float


class ExportPlan(_Export):
    started: IsoDate
    stopped: IsoDate | None
    supplement_mg_per_day: float
    form: str


class ExportProfile(_Export):
    valid_from: IsoDate
    sex: Literal["female", "male"]
    age_years: float
    pregnant: bool
    lactating: bool
    standard: str | None
    conditions: list[str]
    medications: list[str]
    hair_pattern: str | None
    hair_loss_since: IsoDate | None
    family_history: bool | None
    scalp: list[str]
    triggers: list[ExportTrigger]
    name: str | None = None
    birth_date: IsoDate | None = None


class ExportFood(_Export):
    date: IsoDate
    ndb: str
    grams: float | None
    portion: str | None
    count: float
    description: str
    mg_per_100g: float | None = None
    meal: Literal["breakfast", "lunch", "dinner", "snack"] | None = None


class ExportOwnFood(_Export):
    name: str
    mg_per_100g: float
    kcal_per_100g: float | None
    barcode: str | None
    name_de: str | None
    name_en: str | None
    portion: str | None
    portion_grams: float | None


class ExportMealItem(_Export):
    ndb: str
    grams: float | None
    portion: str | None
    count: float
    description: str
    mg_per_100g: float | None
    meal: Literal["breakfast", "lunch", "dinner", "snack"] | None


class ExportMeal(_Export):
    name: str
    items: list[ExportMealItem]


class ExportSupplement(_Export):
    date: IsoDate
    product: str
    form: str | None
    elemental_mg_per_unit: float
    units: float


class ExportWaterEntry(_Export):
    date: IsoDate
    liters: float
    mg_per_liter: float
    name: str | None


class ExportShedding(_Export):
    date: IsoDate
    count: int
    method: Literal["daily_count", "comb_test", "wash_count"]


class ExportSymptom(_Export):
    date: IsoDate
    code: str


class ExportLab(_Export):
    date: IsoDate
    test: LabTest
    value: float
    unit: str
    range_low: float | None
    range_high: float | None
    comparator: Comparator | None = None


class ExportNote(_Export):
    date: IsoDate
    text: str


class ExportPhoto(_Export):
    date: IsoDate
    area: str = Field(description="hairline, temples, crown or part_line.")
    media_type: str = Field(description="The picture's type: image/jpeg as magwise stores it.")
    data: str = Field(description="The picture, base64 (RFC 4648).")


class ExportDocument(_Export):
    """Everything kept for a person (docs/export.md): what ``magwise export`` writes."""

    format: Literal["magwise-export"]
    version: Literal[1]
    person: ExportPerson
    profiles: list[ExportProfile]
    products: list[ExportProduct]
    waters: list[ExportWater]
    plans: list[ExportPlan]
    foods: list[ExportFood]
    supplements: list[ExportSupplement]
    water: list[ExportWaterEntry]
    shedding: list[ExportShedding]
    symptoms: list[ExportSymptom]
    labs: list[ExportLab]
    notes: list[ExportNote]
    own_foods: list[ExportOwnFood] = []
    meals: list[ExportMeal] = []
    photos: list[ExportPhoto] = []


class ImportDocument(_Export):
    """An export to import: ``GET /api/v1/me/export``'s document; a kind left out is empty."""

    format: Literal["magwise-export"]
    version: Literal[1]
    person: ExportPerson
    profiles: list[ExportProfile] = []
    products: list[ExportProduct] = []
    waters: list[ExportWater] = []
    plans: list[ExportPlan] = []
    foods: list[ExportFood] = []
    supplements: list[ExportSupplement] = []
    water: list[ExportWaterEntry] = []
    shedding: list[ExportShedding] = []
    symptoms: list[ExportSymptom] = []
    labs: list[ExportLab] = []
    notes: list[ExportNote] = []
    own_foods: list[ExportOwnFood] = []
    meals: list[ExportMeal] = []
    photos: list[ExportPhoto] = []
