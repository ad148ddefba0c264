"""The start questionnaire: its answers as a case file.

The form sends plain fields (``sex``, ``age_years``, repeated ``food`` /
``food_amount`` / ``food_unit`` ...); ``case_from_form`` turns them into a case
file for ``magwise.assess`` with one typical day. Blank answers are left out, so
that the result says what it could not judge.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from magwise.errors import InputError

if TYPE_CHECKING:
    from magwise.knowledge import Knowledge
    from magwise.web.i18n import Messages

Form = Mapping[str, Sequence[str]]
GRAMS = "g"

#: first part of a case field path -> the id of the form element to point at
_ANCHORS = {
    "profile.sex": "sex-female",
    "profile.age_years": "age_years",
    "profile.conditions": "section-health",
    "profile.medications": "section-health",
    "profile": "section-profile",
    "standard": "standard",
    "days": "section-day",
    "labs": "serum_value",
    "symptoms": "section-symptoms",
    "hair": "section-hair",
}


def anchor(field: str) -> str:
    """The id of the form element that a case field path points to."""
    for prefix, element in _ANCHORS.items():
        if field.startswith(prefix):
            return element
    return "main"


#: a case field path (pattern) -> the locale key of the label the form shows for it
_LABELS = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"profile\.sex", "profile.sex"),
        (r"profile\.age_years", "profile.age"),
        (r"profile\.(pregnant|lactating)", "profile.state"),
        (r"profile\.conditions", "health.conditions"),
        (r"profile\.medications", "health.medications"),
        (r"profile", "profile.legend"),
        (r"standard", "start.standard"),
        (r"days\[0\]\.water\[0\]\.liters", "day.water_liters"),
        (r"days\[0\]\.water\[0\]\.mg_per_liter", "day.water_mg"),
        (r"days\[0\]\.water", "day.water"),
        (r"days\[0\]\.foods", "day.foods"),
        (r"days\[0\]\.supplements", "day.supplements"),
        (r"days", "day.legend"),
        (r"labs\[0\]\.value", "blood.value"),
        (r"labs\[0\]\.unit", "blood.unit"),
        (r"labs\[0\]\.date", "blood.date"),
        (r"labs", "blood.legend"),
        (r"symptoms", "symptoms.legend"),
        (r"hair\.pattern", "hair.pattern"),
        (r"hair\.shedding_per_day", "hair.shedding"),
        (r"hair\.duration_weeks", "hair.duration"),
        (r"hair\.family_history", "hair.family"),
        (r"hair\.scalp", "hair.scalp"),
        (r"hair\.triggers", "hair.triggers"),
        (r"hair", "hair.legend"),
    )
)
_FOOD_ROW = re.compile(r"days\[0\]\.foods\[(\d+)\]")
_SUPPLEMENT_ROW = re.compile(r"days\[0\]\.supplements\[(\d+)\]")
_TRIGGER = re.compile(r"hair\.triggers\[(\d+)\]")


def label(field: str, t: Messages, form: Form, kb: Knowledge) -> str:
    """The label the questionnaire shows for a case field path, in the page's language.

    ``days[0].foods[1].grams`` -> "Foods 2: Amount"; a path no label is known
    for is shown as it is.
    """
    if found := _FOOD_ROW.match(field):
        return f"{t('day.foods')} {int(found[1]) + 1}: {t('day.amount')}"
    if found := _SUPPLEMENT_ROW.match(field):
        return f"{t('day.supplement', n=int(found[1]) + 1)}: {t('day.supplement_mg')}"
    if found := _TRIGGER.match(field):
        ticked = form.get("trigger", [])
        index = int(found[1])
        trigger = kb.triggers.find(ticked[index]) if index < len(ticked) else None
        if trigger is not None:
            return f"{trigger.label}: {t('hair.weeks_ago')}"
    for pattern, key in _LABELS:
        if pattern.match(field):
            return t(key)
    return t("form_error.this_form")


def _label_key(field: str) -> str | None:
    """The locale key of the label (and of its ``form_hint``) of a case field path."""
    if _FOOD_ROW.match(field):
        return "day.foods"
    if _SUPPLEMENT_ROW.match(field):
        return "day.supplement_mg"
    if _TRIGGER.match(field):
        return "hair.weeks_ago"
    return next((key for pattern, key in _LABELS if pattern.match(field)), None)


def shown(error: InputError, t: Messages, form: Form, kb: Knowledge) -> InputError:
    """``error`` as the questionnaire shows it: the field's label, in the page's language.

    "profile.age_years: 250.0 is out of range; accepted: a number at most 130.0"
    becomes "Age (years): 250 is out of range; accepted: a number at most 130", and
    on a German page "Alter (Jahre): 250 liegt außerhalb des möglichen Bereichs; ...".
    """
    from magwise.web import form_errors

    message = form_errors.message(error, _label_key(error.field), t)
    return InputError(label(error.field, t, form, kb), message)


def first(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def _number(text: str, field: str) -> float | None:
    """A number as a person types it ('1,5' too), or None when blank."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(field, f"{text!r} is not a number") from None


def _flag(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


MILLILITRES = "ml"


def _grams_per_ml(ndb: str, field: str) -> float:
    """The density of a drink logged in ml (see ``store._inputs.grams_per_ml``)."""
    from magwise.foods import load_foods
    from magwise.store._inputs import grams_per_ml

    try:
        food = load_foods().get(ndb)
    except InputError as exc:
        raise InputError(f"{field}.food", exc.message) from None
    return grams_per_ml(food) or 1.0


def _foods(form: Form) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    rows = zip(
        form.get("food", []), form.get("food_amount", []), form.get("food_unit", []), strict=False
    )
    for ndb, amount_text, unit in rows:
        field = f"days[0].foods[{len(out)}]"
        amount = _number(amount_text, f"{field}.{'grams' if unit == GRAMS else 'count'}")
        if amount is None:
            raise InputError(f"{field}.grams", "give an amount")
        if unit == GRAMS:
            out.append({"food": ndb, "grams": amount})
        elif unit == MILLILITRES:
            out.append({"food": ndb, "grams": round(amount * _grams_per_ml(ndb, field), 3)})
        else:
            out.append({"food": ndb, "portion": unit, "count": amount})
    return out


def _supplements(form: Form) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    forms, amounts = form.get("supplement_form", []), form.get("supplement_mg", [])
    for row in range(max(len(forms), len(amounts))):
        form_id = forms[row] if row < len(forms) else ""
        mg_text = amounts[row] if row < len(amounts) else ""
        field = f"days[0].supplements[{len(out)}].elemental_mg"
        mg = _number(mg_text, field)
        if not form_id and mg is None:
            continue
        if mg is None:
            raise InputError(field, "give the elemental magnesium from the label (mg)")
        entry: dict[str, Any] = {"elemental_mg": mg}
        if form_id:
            entry["form"] = form_id
        out.append(entry)
    return out


def _hair(form: Form) -> dict[str, Any] | None:
    hair: dict[str, Any] = {}
    if first(form, "hair_pattern"):
        hair["pattern"] = first(form, "hair_pattern")
    for name in ("shedding_per_day", "duration_weeks"):
        value = _number(first(form, name), f"hair.{name}")
        if value is not None:
            hair[name] = value
    family = _flag(first(form, "family_history"))
    if family is not None:
        hair["family_history"] = family
    triggers: list[dict[str, Any]] = []
    for code in form.get("trigger", []):
        weeks = _number(first(form, f"trigger_weeks_{code}"), f"hair.triggers[{len(triggers)}]")
        if weeks is None:
            raise InputError(f"hair.triggers[{len(triggers)}].weeks_ago", "say how many weeks ago")
        triggers.append({"kind": code, "weeks_ago": weeks})
    if triggers:
        hair["triggers"] = triggers
    if form.get("scalp"):
        hair["scalp"] = list(form["scalp"])
    return hair or None


def case_from_form(form: Form, today: dt.date) -> dict[str, Any]:
    """The questionnaire's answers as a case file with one typical day."""
    state = first(form, "state")
    age = _number(first(form, "age_years"), "profile.age_years")
    profile: dict[str, Any] = {
        "sex": first(form, "sex"),
        "age_years": age,
        "pregnant": state == "pregnant",
        "lactating": state == "lactating",
        "conditions": list(form.get("conditions", [])),
        "medications": list(form.get("medications", [])),
    }
    if not profile["sex"]:
        raise InputError("profile.sex", "choose female or male")
    if age is None:
        raise InputError("profile.age_years", "give your age in years")
    day: dict[str, Any] = {"date": today.isoformat()}
    foods = _foods(form)
    if foods:
        day["foods"] = foods
    supplements = _supplements(form)
    if supplements:
        day["supplements"] = supplements
    liters = _number(first(form, "water_liters"), "days[0].water[0].liters")
    if liters is not None:
        mg = _number(first(form, "water_mg_per_liter"), "days[0].water[0].mg_per_liter")
        if mg is None:
            raise InputError("days[0].water[0].mg_per_liter", "give the magnesium in mg per litre")
        day["water"] = [{"liters": liters, "mg_per_liter": mg}]
    case: dict[str, Any] = {"version": 1, "profile": profile}
    if first(form, "standard"):
        case["standard"] = first(form, "standard")
    if len(day) > 1:
        case["days"] = [day]
    serum = _number(first(form, "serum_value"), "labs[0].value")
    if serum is not None:
        lab: dict[str, Any] = {"value": serum, "unit": first(form, "serum_unit") or "mmol/L"}
        if first(form, "serum_date"):
            lab["date"] = first(form, "serum_date")
        case["labs"] = [lab]
    if form.get("symptoms"):
        case["symptoms"] = list(form["symptoms"])
    hair = _hair(form)
    if hair is not None:
        case["hair"] = hair
    return case


def _typed(value: object) -> str:
    """A number as the form shows it: 34.0 as "34", 0.72 as "0.72"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def form_from_case(case: object) -> dict[str, list[str]]:
    """The questionnaire's answers again, from the case file ``case_from_form`` made.

    The inverse of ``case_from_form`` as far as the form goes (a drink given in ml
    comes back in grams); anything the form has no field for is left out.
    """
    doc = _as_dict(case)
    values: dict[str, list[str]] = {}

    def put(name: str, value: object) -> None:
        if value is not None and value != "":
            values.setdefault(name, []).append(_typed(value))

    profile = _as_dict(doc.get("profile"))
    put("sex", profile.get("sex"))
    put("age_years", profile.get("age_years"))
    put(
        "state",
        "pregnant"
        if profile.get("pregnant")
        else "lactating"
        if profile.get("lactating")
        else "none",
    )
    for name in ("conditions", "medications"):
        for code in _as_list(profile.get(name)):
            put(name, code)
    put("standard", doc.get("standard"))
    days = _as_list(doc.get("days"))
    day = _as_dict(days[0]) if days else {}
    for food in map(_as_dict, _as_list(day.get("foods"))):
        grams = "grams" in food
        amount = food.get("grams") if grams else food.get("count", 1)
        unit = GRAMS if grams else food.get("portion")
        if food.get("food") and amount is not None and unit:
            put("food", food["food"])
            put("food_amount", amount)
            put("food_unit", unit)
    for supplement in map(_as_dict, _as_list(day.get("supplements"))):
        values.setdefault("supplement_form", []).append(str(supplement.get("form") or ""))
        put("supplement_mg", supplement.get("elemental_mg"))
    water = [_as_dict(w) for w in _as_list(day.get("water"))]
    if water:
        put("water_liters", water[0].get("liters"))
        put("water_mg_per_liter", water[0].get("mg_per_liter"))
    labs = [_as_dict(lab) for lab in _as_list(doc.get("labs"))]
    if labs:
        put("serum_value", labs[0].get("value"))
        put("serum_unit", labs[0].get("unit"))
        put("serum_date", labs[0].get("date"))
    for code in _as_list(doc.get("symptoms")):
        put("symptoms", code)
    hair = _as_dict(doc.get("hair"))
    put("hair_pattern", hair.get("pattern"))
    put("shedding_per_day", hair.get("shedding_per_day"))
    put("duration_weeks", hair.get("duration_weeks"))
    family = hair.get("family_history")
    if isinstance(family, bool):
        put("family_history", "yes" if family else "no")
    for trigger in map(_as_dict, _as_list(hair.get("triggers"))):
        if trigger.get("kind"):
            put("trigger", trigger["kind"])
            put(f"trigger_weeks_{trigger['kind']}", trigger.get("weeks_ago"))
    for code in _as_list(hair.get("scalp")):
        put("scalp", code)
    return values
