"""What a person types into the log, read forgivingly and checked before writing.

Every function raises ``InputError`` naming the input and what is accepted, so a
command can check everything before it opens a transaction. The bounds match
the case file's (a test keeps them equal), so a logged day is always a valid
case.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from magwise.bounds import (
    FIRST_DAY,
    LAST_DAY,
    MAX_COUNT,
    MAX_ELEMENTAL_MG,
    MAX_GRAMS,
    MAX_LITERS,
    MAX_PLAN_MG_PER_DAY,
    MAX_SHEDDING,
    SHOWN_CHARS,
)
from magwise.errors import InputError
from magwise.record import SHEDDING_METHODS, SheddingMethod

if TYPE_CHECKING:
    from magwise.case import Comparator, LabTest
    from magwise.foods import Food, Portion
    from magwise.knowledge import Knowledge


GRAMS_PER = {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}  # exact definitions
_WEIGHT_NAMES = {
    "g": "g",
    "gr": "g",
    "gram": "g",
    "grams": "g",
    "kg": "kg",
    "oz": "oz",
    "ounce": "oz",
    "ounces": "oz",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
}
LITERS_PER = {"l": 1.0, "dl": 0.1, "cl": 0.01, "ml": 0.001}
_VOLUME_NAMES = {
    "l": "l",
    "liter": "l",
    "liters": "l",
    "litre": "l",
    "litres": "l",
    "dl": "dl",
    "cl": "cl",
    "ml": "ml",
}
_METHODS: dict[str, SheddingMethod] = {
    "daily": "daily_count",
    "daily count": "daily_count",
    "count": "daily_count",
    "comb": "comb_test",
    "comb test": "comb_test",
    "60s": "comb_test",
    "60 second": "comb_test",
    "wash": "wash_count",
    "wash count": "wash_count",
    "shower": "wash_count",
}
_NUMBER = r"([0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)"
_AMOUNT = re.compile(rf"^{_NUMBER}\s*([a-zA-Z]*)$")


def shown(value: object) -> str:
    """``repr(value)`` for an error line: a text of more than ``SHOWN_CHARS``
    characters shows only its start, followed by "…" (other values likewise)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= SHOWN_CHARS else f"{value[:SHOWN_CHARS]!r}…"
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


#: Why a day outside ``FIRST_DAY``..``LAST_DAY`` is refused (the API's own words).
DAY_RANGE = f"expected a date from {FIRST_DAY} to {LAST_DAY}"


def check_day(field: str, day: dt.date) -> dt.date:
    """``day`` if a log may hold it, else an InputError naming ``field``."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(field, f"{day} is out of range; accepted: {FIRST_DAY} to {LAST_DAY}")
    return day


def parse_day(text: str | None, today: dt.date | None = None, field: str = "date") -> dt.date:
    """``None``/``today``, ``yesterday``, or an ISO date (not in the future, and one
    a log may hold: ``FIRST_DAY`` to ``LAST_DAY``)."""
    today = today or dt.date.today()
    if text is None or text.strip().lower() in ("", "today"):
        return today
    word = text.strip().lower()
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        day = dt.date.fromisoformat(word)
    except ValueError:
        raise InputError(
            field, f"{shown(text)} is not a date; accepted: today, yesterday or YYYY-MM-DD"
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(field, DAY_RANGE)
    if day > today:
        raise InputError(
            field, f"{shown(text)} is in the future; accepted: today or an earlier date"
        )
    return day


def check_since(field: str, day: dt.date, weeks: float, today: dt.date | None = None) -> dt.date:
    """``day`` when something began (hair loss, a trigger): not in the future and
    at most ``weeks`` weeks before ``today`` (``bounds.MAX_DURATION_WEEKS`` for
    hair loss, ``bounds.MAX_WEEKS_AGO`` for a trigger), as a case accepts it."""
    today = today or dt.date.today()
    earliest = today - dt.timedelta(weeks=weeks)
    if day > today:
        raise InputError(field, f"{day} is in the future; accepted: today or an earlier date")
    if day < earliest:
        raise InputError(
            field, f"{day} is more than {weeks:g} weeks ago; accepted: {earliest} to {today}"
        )
    return day


def check_number(field: str, value: float, high: float, *, positive: bool = False) -> float:
    """``value`` between 0 (or above it, when ``positive``) and ``high``."""
    low_ok = value > 0 if positive else value >= 0
    if not (low_ok and value <= high):
        lowest = "more than 0" if positive else "at least 0"
        raise InputError(
            field, f"{value:g} is out of range; accepted: {lowest} and at most {high:g}"
        )
    return value


def plan_dose(field: str, mg_per_day: float) -> float:
    """The elemental mg a day of a dose plan: more than 0, at most ``MAX_PLAN_MG_PER_DAY``."""
    return check_number(field, mg_per_day, MAX_PLAN_MG_PER_DAY, positive=True)


def parse_weight(text: str) -> float | None:
    """Grams in ``30g``, ``30 g``, ``1.5 oz``, ``0.2 kg``; ``None`` when not a weight."""
    match = _AMOUNT.match(text.strip())
    if not match:
        return None
    unit = _WEIGHT_NAMES.get(match.group(2).lower())
    if unit is None:
        return None
    return _number(match.group(1)) * GRAMS_PER[unit]


@functools.cache
def _glass() -> tuple[float, frozenset[str]]:
    """The volume of a glass and the words for it, declared in ``foods/measures.toml``."""
    import tomllib
    from importlib.resources import files

    from magwise.errors import DataError

    text = (files("magwise.foods") / "measures.toml").read_text(encoding="utf-8")
    try:
        glass = tomllib.loads(text)["glass"]
        ml, words = float(glass["ml"]), frozenset(str(w).lower() for w in glass["words"])
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"measures.toml is malformed: {exc!r}") from exc
    if not 0 < ml <= 1000 or not words:
        raise DataError(f"measures.toml: a glass of {ml} ml is not a glass")
    return ml, words


def ml_per_glass() -> float:
    """Millilitres in a glass of a drink ("1 Glas", "a glass"), as ``measures.toml`` declares."""
    return _glass()[0]


def is_glass(word: str) -> bool:
    """Whether ``word`` names a glass ("Glas", "glasses", "Gläser")."""
    return word.lower() in _glass()[1]


# Millilitres in one of SR28's volume units (US customary, exact definitions).
_ML_PER_SR28_UNIT = {
    "fl oz": 29.5735295625,
    "cup": 236.5882365,
    "tbsp": 14.78676478125,
    "tablespoon": 14.78676478125,
    "tsp": 4.92892159375,
    "teaspoon": 4.92892159375,
    "liter": 1000.0,
    "ml": 1.0,
}
# German household measures and the SR28 portion units they stand for.
_SLICE, _TBSP, _TSP, _CUP = ("slice",), ("tbsp", "tablespoon"), ("tsp", "teaspoon"), ("cup",)
_PIECE = ("medium", "fruit", "piece", "item", "unit", "large", "small")
_GERMAN_MEASURES: dict[str, tuple[str, ...]] = {
    "scheibe": _SLICE,
    "scheiben": _SLICE,
    "el": _TBSP,
    "esslöffel": _TBSP,
    "essloffel": _TBSP,
    "tl": _TSP,
    "teelöffel": _TSP,
    "teeloffel": _TSP,
    "tasse": _CUP,
    "tassen": _CUP,
    "becher": ("container",),
    "stück": _PIECE,
    "stueck": _PIECE,
    "stuck": _PIECE,
    "dose": ("can",),
    "flasche": ("bottle",),
    "packung": ("package",),
    "portion": ("serving",),
    "riegel": ("bar",),
    "filet": ("fillet",),
}
_MEASURE = re.compile(rf"^(?:{_NUMBER}\s*[x×*]?\s*)?([^\d\s][^\d]*)$")


def grams_per_ml(food: Food, default: float | None = 1.0) -> float | None:
    """The density of ``food`` from its SR28 volume portions (fl oz, cup, tbsp...);
    ``default`` (1 g/ml, water's) when SR28 measures it only by weight or count."""
    for portion in food.portions:
        unit = portion.unit.lower()
        for name, ml in _ML_PER_SR28_UNIT.items():
            if (unit == name or unit.startswith((name + " ", name + ","))) and portion.amount > 0:
                return portion.grams / (portion.amount * ml)
    return default


def volume_grams(food: Food, text: str) -> float | None:
    """Grams in a volume of ``food``: ``250ml``, ``0.5 l``, ``33 cl``, ``1 Glas``, ``2 glasses``."""
    match = _AMOUNT.match(text) or re.match(rf"^{_NUMBER}?\s*([^\d\s].*)$", text)
    if not match:
        return None
    number, unit = match.group(1), match.group(2).strip().lower()
    count = _number(number) if number else 1.0
    if unit in _VOLUME_NAMES and number:
        ml = count * LITERS_PER[_VOLUME_NAMES[unit]] * 1000
    elif is_glass(unit):
        ml = count * ml_per_glass()
    else:
        return None
    return ml * (grams_per_ml(food) or 1.0)


# A German spoon or cup where SR28 has no such portion of a food: its volume,
# weighed by the density of the food's other volume portions.
_US_SPOONS_ML = {
    _TBSP: _ML_PER_SR28_UNIT["tbsp"],
    _TSP: _ML_PER_SR28_UNIT["tsp"],
    _CUP: _ML_PER_SR28_UNIT["cup"],
}


def german_spoon_grams(food: Food, text: str) -> float | None:
    """Grams in ``2 EL``/``1 TL``/``1 Tasse`` of a food SR28 measures by another volume."""
    match = _MEASURE.match(text)
    if not match:
        return None
    ml = _US_SPOONS_ML.get(_GERMAN_MEASURES.get(match.group(2).strip().lower(), ()))
    density = grams_per_ml(food, default=None)
    if ml is None or density is None:
        return None
    count = _number(match.group(1)) if match.group(1) else 1.0
    return count * ml * density


def german_measure(food: Food, text: str) -> tuple[Portion, float] | None:
    """The SR28 portion and count meant by a German measure: ``1 Scheibe``, ``2 EL``, ``Tasse``."""
    match = _MEASURE.match(text)
    if not match:
        return None
    units = _GERMAN_MEASURES.get(match.group(2).strip().lower(), ())
    count = _number(match.group(1)) if match.group(1) else 1.0
    for unit in units:
        for portion in food.portions:
            name = portion.unit.lower()
            if (name == unit or name.startswith((unit + " ", unit + ","))) and portion.amount > 0:
                return portion, count / portion.amount
    return None


def food_amount(food: Food, words: tuple[str, ...]) -> tuple[float | None, str | None, float]:
    """(grams, portion label, count) for what follows the food's name.

    Accepted: a weight (``30g``, ``30 g``, ``1.5 oz``), a volume (``250ml``,
    ``0.5 l``, ``33cl``, ``1 glass``/``1 Glas``: SR28's volume portions give
    the density, else 1 g/ml), a household measure of the food (``"1 cup"``,
    ``oz``; in German ``1 Scheibe``, ``2 EL``, ``1 TL``, ``1 Tasse``), or a
    count and a measure (``2 "1 oz"``, ``0.5 cup``).
    """
    text = " ".join(" ".join(words).split())
    measures = ", ".join(repr(p.label) for p in food.portions) or "none in SR28"
    accepted = (
        f"a weight (30g, 1.5 oz), a volume (250ml, 0.5l, 1 glass) "
        f"or a measure of this food: {measures}"
    )
    if not text:
        raise InputError("amount", f"missing; accepted: {accepted}")
    grams = parse_weight(text)
    if grams is None:
        grams = volume_grams(food, text)
    if grams is not None:
        check_number("amount", grams, MAX_GRAMS, positive=True)
        return round(grams, 3), None, 1.0
    german = german_measure(food, text)
    if german is not None:
        check_number("count", german[1], MAX_COUNT, positive=True)
        return None, german[0].label, german[1]
    grams = german_spoon_grams(food, text)
    if grams is not None:
        check_number("amount", grams, MAX_GRAMS, positive=True)
        return round(grams, 3), None, 1.0
    portion = food.portion(text)
    count = 1.0
    if portion is None:
        match = re.match(rf"^{_NUMBER}\s*[x×*]?\s+(.+)$", text)
        if match:
            count = _number(match.group(1))
            portion = food.portion(match.group(2))
    if portion is None:
        raise InputError(
            "amount",
            f"{shown(text)} is not a weight or a measure of {food.description}; {accepted}",
        )
    check_number("count", count, MAX_COUNT, positive=True)
    return None, portion.label, count


def parse_volume(text: str) -> float:
    """Litres in ``1.5l``, ``1.5 l``, ``0,5 l``, ``500ml``, ``33 cl``, ``1 Glas``, ``2 glasses``
    or a bare number of litres."""
    words = " ".join(text.split())
    glasses = _GLASSES.match(words)
    if glasses and is_glass(glasses.group(2)):
        liters = (_number(glasses.group(1)) if glasses.group(1) else 1.0) * ml_per_glass() / 1000
        return check_number("amount", round(liters, 6), MAX_LITERS, positive=True)
    match = _AMOUNT.match(words)
    unit = _VOLUME_NAMES.get(match.group(2).lower() or "l") if match else None
    if match is None or unit is None:
        raise InputError(
            "amount",
            f"{shown(text)} is not a volume; accepted: litres (1.5l, 1.5, 0,5 l), 500ml, 33cl "
            f"or glasses (1 Glas, 2 glasses: {ml_per_glass():g} ml each)",
        )
    liters = _number(match.group(1)) * LITERS_PER[unit]
    return check_number("amount", round(liters, 6), MAX_LITERS, positive=True)


_GLASSES = re.compile(rf"^(?:{_NUMBER}\s*[x×]?\s*)?([^\d\s]+)$")


def split_volume(text: str) -> tuple[str, float | None]:
    """What a drink typed with its amount names, and the litres: "1 Glas Mineralwasser",
    "Mineralwasser 0,5 l", "33 cl tap water"; ``(text, None)`` when no volume is in it."""
    words = text.split()
    for size in (2, 1):
        for amount, rest in ((words[:size], words[size:]), (words[-size:], words[:-size])):
            if not rest or len(amount) < size:
                continue
            try:
                liters = parse_volume(" ".join(amount))
            except InputError:
                continue
            if size == 1 and re.fullmatch(_NUMBER, amount[0]):
                continue  # a bare number ("Wasser 2") says no unit
            return " ".join(rest), liters
    return text, None


def shedding_method(text: str) -> SheddingMethod:
    """``daily``, ``comb`` (60-second comb test) or ``wash`` (the full names too)."""
    key = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    for method in SHEDDING_METHODS:
        if key == method.replace("_", " "):
            return method
    if key in _METHODS:
        return _METHODS[key]
    raise InputError(
        "method",
        f"{shown(text)} is not a counting method; accepted: daily (hairs counted over a day), "
        "comb (60-second comb test), wash (hairs counted after a wash)",
    )


def shedding_count(value: int) -> int:
    return int(check_number("count", value, MAX_SHEDDING))


_RANGE_BELOW = re.compile(rf"^\s*(?:<=|<|≤|=<|up to|bis)\s*{_NUMBER}\s*$", re.IGNORECASE)
_RANGE_ABOVE = re.compile(rf"^\s*(?:>=|>|≥|=>|from|ab)\s*{_NUMBER}\s*$", re.IGNORECASE)


def parse_range(text: str, field: str = "range") -> tuple[float | None, float | None]:
    """A lab's own range as printed: ``0.7-1.1`` (also ``0.7..1.1``, ``0.7 – 1.1``),
    or one end alone: ``<4.2`` (up to 4.2), ``>30`` (from 30)."""
    accepted = "accepted: LOW-HIGH (e.g. 0.7-1.1), <HIGH (e.g. <4.2) or >LOW (e.g. >30)"
    match = re.match(rf"^\s*{_NUMBER}\s*(?:-|–|\.\.|to)\s*{_NUMBER}\s*$", text)
    if match:
        low, high = _number(match.group(1)), _number(match.group(2))
        if low >= high:
            raise InputError(field, f"{shown(text)}: the low end must be below the high end")
        return check_range(low, high, field, field)
    below, above = _RANGE_BELOW.match(text), _RANGE_ABOVE.match(text)
    if below:
        return check_range(None, _number(below.group(1)), field, field)
    if above:
        return check_range(_number(above.group(1)), None, field, field)
    raise InputError(field, f"{shown(text)} is not a range; {accepted}")


def check_range(
    low: float | None,
    high: float | None,
    low_field: str = "range_low",
    high_field: str = "range_high",
) -> tuple[float | None, float | None]:
    """The ends of a lab's own range: each at least 0 (and within the bounds of any
    amount), the low end below the high end when both are given; either may be None."""
    if low is not None:
        check_number(low_field, low, MAX_ELEMENTAL_MG)
    if high is not None:
        check_number(high_field, high, MAX_ELEMENTAL_MG, positive=True)
    if low is not None and high is not None and low >= high:
        if low_field == high_field:
            raise InputError(low_field, f"{low:g}-{high:g}: the low end must be below the high end")
        raise InputError(low_field, f"{low:g} must be below {high_field} {high:g}")
    return low, high


#: What a person may call each lab test (``--test``, the web form, the API).
LAB_TEST_NAMES: dict[str, LabTest] = {
    "serum": "serum_magnesium",
    "serum_magnesium": "serum_magnesium",
    "rbc": "rbc_magnesium",
    "rbc_magnesium": "rbc_magnesium",
    "egfr": "egfr",
    "creatinine": "creatinine",
    "ferritin": "ferritin",
    "tsh": "tsh",
    "thyrotropin": "tsh",
    "vitamin_d": "vitamin_d",
    "vitd": "vitamin_d",
    "25_oh_d": "vitamin_d",
    "25_oh_vitamin_d": "vitamin_d",
    "25(oh)d": "vitamin_d",
    "zinc": "zinc",
}
LAB_TESTS_ACCEPTED = "serum, rbc, egfr, creatinine, ferritin, tsh, vitamin_d, zinc"
#: FHIR ``valueQuantity.comparator`` values, and the signs people type for them.
COMPARATORS: tuple[Comparator, ...] = ("<", "<=", ">", ">=")
_COMPARATOR_SIGNS: dict[str, Comparator] = {
    **{c: c for c in COMPARATORS},
    "≤": "<=",
    "≥": ">=",
    "=<": "<=",
    "=>": ">=",
}
_LAB_VALUE = re.compile(rf"^\s*(<=|>=|=<|=>|<|>|≤|≥)?\s*{_NUMBER}\s*$")


def lab_test(text: str, field: str = "test") -> LabTest:
    """The lab test a name stands for (``serum``, ``egfr``; spaces and case forgiven)."""
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    test = LAB_TEST_NAMES.get(key)
    if test is None:
        raise InputError(field, f"{shown(text)} is not a lab test; accepted: {LAB_TESTS_ACCEPTED}")
    return test


def lab_comparator(text: str | None, field: str = "comparator") -> Comparator | None:
    """A comparator as FHIR writes it ("<", "<=", ">", ">="); empty or None: exact."""
    if text is None or not text.strip():
        return None
    found = _COMPARATOR_SIGNS.get(text.strip())
    if found is None:
        raise InputError(
            field, f"{shown(text)} is not a comparator; accepted: {', '.join(COMPARATORS)}"
        )
    return found


def parse_lab_value(text: str, field: str = "value") -> tuple[Comparator | None, float]:
    """A lab value as written: ``0.72``, ``<0.5``, ``> 90``, ``<= 1,2``."""
    match = _LAB_VALUE.match(text)
    if match is None:
        raise InputError(
            field,
            f"{shown(text)} is not a lab value; accepted: a number, optionally after "
            f'{", ".join(COMPARATORS)} (e.g. 0.72 or "<0.5")',
        )
    return lab_comparator(match.group(1), field), _number(match.group(2))


def check_lab(
    value: float, unit: str, test: str, kb: Knowledge, field: str = "value"
) -> tuple[str, LabTest]:
    """(canonical unit, test) of a lab result, checked as a case would check it.

    ``test`` is a name of ``LAB_TEST_NAMES``; units are those of the test
    (knowledge: serum.toml for magnesium, kidney.toml for eGFR and creatinine). A
    serum value outside the plausible range (knowledge: serum.toml) is refused with
    the likely unit mix-up named, as ``assess`` does.
    """
    from magwise.knowledge import MAGNESIUM_TESTS
    from magwise.units import resolve_lab_unit, resolve_unit, to_mmol_per_l

    test_id = lab_test(test)
    if test_id in MAGNESIUM_TESTS:
        canonical = resolve_unit(unit, "unit", kb).name
    else:
        canonical = resolve_lab_unit(test_id, unit, "unit", kb).name
    if not value > 0:
        raise InputError(field, f"{value:g} is out of range; accepted: a number more than 0")
    if test_id == "serum_magnesium":
        mmol = to_mmol_per_l(value, canonical, kb)
        low, high = kb.serum.plausible.min.value, kb.serum.plausible.max.value
        if not low <= mmol <= high:
            raise InputError(
                field,
                f"{value:g} {canonical} ({mmol:.3g} mmol/L) is not a possible serum magnesium "
                f"result (accepted: {low:g}-{high:g} mmol/L); is the unit right?",
            )
    return canonical, test_id


def supplement_form(name: str, kb: Knowledge) -> str:
    """The knowledge base's id of a supplement form (aliases forgiven)."""
    form = kb.form(name)
    if form is None:
        raise InputError(
            "form",
            f"unknown form {shown(name)}; accepted: {', '.join(kb.forms)} (see 'magwise codes')",
        )
    return form.id
