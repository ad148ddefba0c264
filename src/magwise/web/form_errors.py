"""A bad input as a page shows it: the form's own label, in the page's language.

The checks (``magwise.store._inputs``, the questionnaire, the photo and import
readers) raise ``InputError(field, message)`` with the field's internal name and
an English message, as the command line and the API show them. A page names the
label the person sees beside the field instead ("Amount", "Menge"), never the
internal name (``amount``, ``body.date``); a German page says in German what is
wrong ("„abc“ ist keine Zahl") and what the field accepts (``form_hint.*`` in
the locales). The API's JSON keeps the field path and the English message.
"""

from __future__ import annotations

import re

from magwise import l10n
from magwise.errors import InputError
from magwise.web.i18n import Messages

#: the field names every Today form shares -> the locale key of their label
_COMMON = {
    "date": "log_today.date",
    "entry": "log_today.entries",
    "meal": "log_today.meal",
    "ndb": "day.search",
    "food": "day.search",
}

#: form (the path it posts to) -> {field the checks name -> the locale key of the form's label}
FORMS: dict[str, dict[str, str]] = {
    "/today/food": {"amount": "day.amount", "unit": "day.unit", "food": "day.search"},
    "/today/supplement": {"product": "log_today.product", "units": "log_today.units"},
    "/today/product": {
        "product_name": "log_today.product_name",
        "elemental_mg": "log_today.elemental_mg",
        "form": "log_today.form",
    },
    "/today/water": {"water": "log_today.water_name", "amount": "log_today.liters"},
    "/today/water-name": {"water_name": "log_today.water_name", "mg_per_l": "log_today.mg_per_l"},
    "/today/water-typed": {
        "amount": "log_today.liters",
        "water_name": "log_today.water_name",
        "water_mg": "log_today.water_label_mg",
    },
    "/today/shedding": {"count": "log_today.count", "method": "log_today.method"},
    "/today/symptom": {"symptom": "log_today.symptom"},
    "/today/lab": {
        "lab_value": "log_today.lab_value",
        "value": "log_today.lab_value",
        "lab_test": "log_today.lab_test",
        "test": "log_today.lab_test",
        "lab_unit": "log_today.lab_unit",
        "unit": "log_today.lab_unit",
        "range": "log_today.lab_range",
    },
    "/today/profile": {"sex": "profile.sex", "age": "profile.age"},
    "/today/edit": {"amount": "log_today.amount", "new_date": "log_today.new_date"},
    "/today/copy": {"source": "log_today.copy_day"},
    "/today/meal-save": {"meal_name": "log_today.meal_name", "date": "log_today.meal"},
    "/today/meal-log": {"saved_meal": "log_today.saved_meals", "meal": "log_today.saved_meals"},
    "/today/own-food": {
        "name": "log_today.own_name",
        "own_name": "log_today.own_name",
        "mg_per_100g": "log_today.own_mg_100g",
        "mg_per_portion": "log_today.own_mg_portion",
        "portion": "log_today.own_portion",
        "kcal_per_100g": "log_today.own_kcal",
        "barcode": "log_today.own_barcode",
        "name_de": "log_today.own_name_de",
        "name_en": "log_today.own_name_en",
    },
    "/today/own-food-delete": {"own_id": "log_today.own_foods"},
    "/photos": {
        "file": "photos.field_file",
        "area": "photos.field_area",
        "date": "photos.field_date",
    },
    "/progress": {"weeks": "log_progress.period"},
    "/today": {},
}
#: the label of a form whose field is not in its table: its heading
_HEADINGS = {
    "/today/food": "log_today.add_food",
    "/today/again": "log_today.recent",
    "/today/copy": "log_today.copy_day",
    "/today/delete": "log_today.entries",
    "/today/undo": "log_today.entries",
    "/today/edit": "log_today.entries",
    "/today/own-food": "log_today.own_foods",
    "/photos": "photos.add",
    "/progress": "log_progress.period",
}

_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")
#: a whole number written as a float ("130.0"), not part of a longer number or word
_WHOLE_FLOAT = re.compile(r"(?<![\w.])(-?\d+)\.0(?![\w.])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def short_label(text: str) -> str:
    """A label without its trailing note: "Units (tablets, capsules, scoops)" -> "Units"."""
    return _PARENTHESIS.sub("", text) or text


def label_key(form: str, field: str) -> str | None:
    """The locale key of the label ``form`` shows for the checked ``field``."""
    name = field.rsplit(".", 1)[-1]
    table = FORMS.get(form, {})
    return table.get(field) or table.get(name) or _COMMON.get(name) or _HEADINGS.get(form)


# -- the German words for what the checks say in English -----------------------------

#: (pattern of the English message, key of its German text in ``form_error``)
_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (
            r"^missing\b|^give |^choose |^say |^none picked|is required|needs a name|^a name",
            "missing",
        ),
        (r"'(?P<v>[^']*)' is not a (?:number|whole number)", "not_number"),
        (r"^(?P<v>'[^']*'); accepted: a whole number", "not_number"),
        (r"(?P<v>-?[\d.]+) is out of range", "out_of_range"),
        (r"^(?P<v>-?[\d.]+); accepted: more than 0", "out_of_range"),
        (r"'(?P<v>[^']*)' is not a date", "not_date"),
        (r"input should be a valid date", "invalid_date"),
        (r"expected a date from (?P<low>\S+) to (?P<high>\S+)", "date_range"),
        (r"'(?P<v>[^']*)' is not a lab value", "not_number"),
        (r"(?P<v>\d{4}-\d\d-\d\d) is in the future", "future"),
        (r"'(?P<v>[^']*)' is not a weight or a measure of (?P<food>.*?);", "not_amount"),
        (r"'(?P<v>[^']*)' is not a volume", "not_volume"),
        (r"unknown unit '(?P<v>[^']*)'", "unit"),
        (r"'(?P<v>[^']*)' is not a range", "not_range"),
        (r"low end must be below the high end", "range_order"),
        (r"^(?P<v>[\d.]+ \S+) .*is not a possible", "impossible"),
        (r"^(?P<v>'[^']*'); accepted: a measure and its weight", "not_portion"),
        (r"no entry|is not an entry|no such own food", "no_entry"),
        (r"unknown symptom '(?P<v>[^']*)'", "unknown"),
        (r"unknown hair pattern '(?P<v>[^']*)'", "unknown"),
        (r"no meal named '(?P<v>[^']*)'", "no_meal"),
        (r"has no \w+ foods to save", "nothing_to_save"),
        (r"no SR28 food has NDB number|no own food", "no_food"),
        (r"not a photo magwise can read", "not_photo"),
        (r"^(?P<v>'[^']*'|\S+); accepted:", "not_accepted"),
    )
)
#: the bounds an English message names after "accepted:"
_BOUNDS = (
    (re.compile(r"more than (?P<low>-?[\d.]+) and at most (?P<high>-?[\d.]+)"), "above_to"),
    (re.compile(r"at least (?P<low>-?[\d.]+) and at most (?P<high>-?[\d.]+)"), "between"),
    (re.compile(r"(?P<low>-?[\d.]+) to (?P<high>-?[\d.]+)"), "between"),
    (re.compile(r"at most (?P<high>-?[\d.]+)"), "at_most"),
    (re.compile(r"at least (?P<low>-?[\d.]+)"), "at_least"),
)


def _value(text: str, lang: str) -> str:
    """A number the person typed or a bound, as the page's language writes numbers."""
    number, _, unit = text.partition(" ")
    if _NUMBER.fullmatch(number) and " " not in unit:
        return f"{l10n.number(float(number), lang, 3)} {unit}".strip()
    return text


def _german(message: str, hint: str, t: Messages) -> str:
    """The English ``message`` in German: what is wrong (when known), then what is accepted."""
    parts: list[str] = []
    for pattern, key in _PROBLEMS:
        if found := pattern.search(message):
            values = {
                k: _value(v.strip("'"), t.lang)
                for k, v in found.groupdict().items()
                if v is not None
            }
            parts.append(t(f"form_error.{key}", **values) if values else t(f"form_error.{key}"))
            break
    _, _, accepted = message.partition("accepted: ")
    for pattern, key in _BOUNDS:
        if accepted and (bounds := pattern.search(accepted)):
            values = {k: _value(v, t.lang) for k, v in bounds.groupdict().items()}
            parts.append(t(f"form_error.{key}", **values))
            break
    parts.append(hint)
    return "; ".join(parts)


def hint(key: str | None, t: Messages) -> str:
    """What the field labelled by ``key`` accepts, in words of the page's language."""
    name = (key or "").replace(".", "_")
    return t.get(f"form_hint.{name}", t("form_hint.any"))


def message(error: InputError, key: str | None, t: Messages) -> str:
    """The message of ``error`` in the page's language, numbers as it writes them."""
    if t.lang == "en":
        return _WHOLE_FLOAT.sub(r"\1", error.message)
    return _german(error.message, hint(key, t), t)


def shown(error: InputError, form: str, t: Messages) -> InputError:
    """``error`` as the page of ``form`` shows it: its label, its message in the page's words."""
    key = label_key(form, error.field)
    if error.field == "import":  # already in the page's words (the import's own check)
        return InputError(t("log_data.file"), error.message)
    label = short_label(t(key)) if key else t("form_error.this_form")
    return InputError(label, message(error, key, t))
