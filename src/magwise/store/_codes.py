"""The codes an import holds, checked against the knowledge base and the food database.

An export names conditions, medications, scalp signs, hair patterns, triggers,
symptoms, serum units, supplement forms, standards and SR28 foods by their codes.
An import is refused at the first code this magwise does not know, naming the
field (``profiles[0].conditions[1]``), before anything is written: a log must not
hold codes that its pages and the assessment cannot read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.knowledge.codebook import CodeBook
from magwise.record import PersonRecord

if TYPE_CHECKING:
    from magwise.foods import FoodIndex
    from magwise.store._store import Product


def _code(book: CodeBook[Any], code: str, field: str) -> None:
    if code in book:
        return
    entry = book.find(code)
    if entry is not None:
        raise InputError(field, f"{code!r} is a name, not a code; the code is {entry.code!r}")
    book.resolve(code, field)  # unknown: the error names the accepted codes


def _codes(book: CodeBook[Any], codes: Iterable[str], field: str) -> None:
    for index, code in enumerate(codes):
        _code(book, code, f"{field}[{index}]")


def _form(kb: Knowledge, form: str | None, field: str) -> None:
    if form is not None and form not in kb.forms:
        raise InputError(
            field, f"unknown supplement form {form!r}; accepted: {', '.join(kb.forms)}"
        )


def check_codes(
    record: PersonRecord,
    products: list[Product],
    kb: Knowledge | None = None,
    foods: FoodIndex | None = None,
) -> None:
    """Refuse the first code in ``record`` or ``products`` that is unknown, naming its field."""
    kb = kb or load_knowledge()
    for number, profile in enumerate(record.profiles):
        at = f"profiles[{number}]"
        if profile.standard is not None and profile.standard not in kb.standards:
            raise InputError(
                f"{at}.standard",
                f"unknown standard {profile.standard!r}; accepted: {', '.join(kb.standards)}",
            )
        _codes(kb.conditions, profile.conditions, f"{at}.conditions")
        _codes(kb.medications, profile.medications, f"{at}.medications")
        _codes(kb.scalp_signs, profile.scalp, f"{at}.scalp")
        if profile.hair_pattern is not None:
            _code(kb.patterns, profile.hair_pattern, f"{at}.hair_pattern")
        for index, trigger in enumerate(profile.triggers):
            _code(kb.triggers, trigger.kind, f"{at}.triggers[{index}].kind")
    for number, symptom in enumerate(record.symptoms):
        _code(kb.symptoms, symptom.code, f"symptoms[{number}].code")
    for number, lab in enumerate(record.labs):
        unit = kb.lab_unit(lab.test, lab.unit)
        if unit is None or unit.name != lab.unit:
            accepted = ", ".join(kb.lab_unit_names(lab.test))
            raise InputError(
                f"labs[{number}].unit", f"unknown unit {lab.unit!r}; accepted: {accepted}"
            )
    for number, product in enumerate(products):
        _form(kb, product.form, f"products[{number}].form")
    for number, plan in enumerate(record.plans):
        _form(kb, plan.form, f"plans[{number}].form")
    for number, supplement in enumerate(record.supplements):
        _form(kb, supplement.form, f"supplements[{number}].form")
    if record.foods:
        _check_foods(record, foods)


def _check_foods(record: PersonRecord, foods: FoodIndex | None) -> None:
    from magwise.foods import load_foods

    foods = foods or load_foods()
    for number, entry in enumerate(record.foods):
        at = f"foods[{number}]"
        try:
            food = foods.get(entry.ndb)
        except InputError as error:
            raise InputError(f"{at}.ndb", error.message) from None
        if food.ndb != entry.ndb:
            raise InputError(f"{at}.ndb", f"{entry.ndb!r}; write the 5 digits, {food.ndb!r}")
        if entry.portion is not None and food.portion(entry.portion) is None:
            measures = ", ".join(repr(p.label) for p in food.portions) or "none in SR28"
            raise InputError(
                f"{at}.portion",
                f"{entry.portion!r} is not a measure of {food.description}; accepted: {measures}",
            )
