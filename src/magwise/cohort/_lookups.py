"""Codes, foods, forms and units of a cohort, resolved by the same functions ``assess`` uses.

A column holds few distinct values (some thousand NDB numbers, a dozen forms);
each distinct value is resolved once in Python and the answer joined back to
the rows, so the cohort accepts exactly what a case file accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from magwise.cohort._schema import Field, Schema
from magwise.errors import InputError
from magwise.lab_tests import LAB_TESTS

if TYPE_CHECKING:
    import numpy as np

    from magwise.advisor._context import FoodSource
    from magwise.knowledge import Knowledge

Resolver = Callable[[Any], dict[str, Any]]


def _schema(*fields: tuple[str, str]) -> Schema:
    return tuple(Field(name, kind) for name, kind in fields)


def text_of(raw: Any) -> str:
    """A raw cell as text: integers without a decimal point."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def resolve_rows(values: Iterable[Any], resolver: Resolver, schema: Schema) -> dict[str, list[Any]]:
    """The lookup table as lists of cells (``None``: empty), one per column of ``schema``.

    Lists of codes stay out: no check reads them.
    """
    rows = [{"raw_text": text_of(v), **resolver(v)} for v in values]
    return {
        field.name: [row[field.name] for row in rows]
        for field in schema
        if not field.type.endswith("[]")
    }


def resolve_all(
    values: Iterable[Any], resolver: Resolver, schema: Schema
) -> dict[str, np.ndarray[Any, Any]]:
    """The lookup table as NumPy columns: text as objects, other values as floats.

    ``None`` is NaN in a float column (1.0 / 0.0 for true / false); the engine
    casts each column to its type in ``schema``.
    """
    import numpy as np

    columns: dict[str, np.ndarray[Any, Any]] = {}
    kinds = {field.name: field.type for field in schema}
    for name, cells in resolve_rows(values, resolver, schema).items():
        if kinds[name] == "VARCHAR":
            columns[name] = np.array(cells, dtype=object)
        else:
            columns[name] = np.array(
                [np.nan if cell is None else float(cell) for cell in cells], dtype=np.float64
            )
    return columns


FOOD = _schema(("raw_text", "VARCHAR"), ("mg", "DOUBLE"), ("problem", "VARCHAR"))


def food_resolver(foods: FoodSource) -> Resolver:
    from magwise.foods import FoodIndex

    def magnesium(ndb: str) -> float | None:
        return foods.get(ndb).mg_per_100g

    # the food index answers without making a Food for each of thousands of NDB numbers
    lookup = foods.magnesium if isinstance(foods, FoodIndex) else magnesium

    def resolve(raw: Any) -> dict[str, Any]:
        try:
            mg = lookup(text_of(raw))
        except InputError as exc:
            return {"mg": None, "problem": exc.message}
        return {"mg": mg, "problem": None}

    return resolve


FORM = _schema(
    ("raw_text", "VARCHAR"),
    ("fraction", "DOUBLE"),
    ("absorbed", "BOOLEAN"),
    ("problem", "VARCHAR"),
)


def form_resolver(kb: Knowledge) -> Resolver:
    def resolve(raw: Any) -> dict[str, Any]:
        form = kb.form(text_of(raw))
        if form is None:
            return {
                "fraction": None,
                "absorbed": None,
                "problem": f"unknown supplement form {text_of(raw)!r}; accepted: "
                f"{', '.join(kb.forms)} (or their names, see 'magwise codes forms')",
            }
        return {"fraction": form.elemental_fraction, "absorbed": form.absorbed, "problem": None}

    return resolve


UNIT = _schema(
    ("raw_text", "VARCHAR"),
    # for each lab test: the divisor assess uses (value / divisor is the value in the
    # test's canonical unit, bit for bit; NaN: not a unit of that test) ...
    *((f"per_{test}", "DOUBLE") for test in LAB_TESTS),
    # ... and the error of the unit given for that test (empty: accepted)
    *((f"problem_{test}", "VARCHAR") for test in LAB_TESTS),
    ("problem", "VARCHAR"),  # never set: which error applies depends on the test
)


def unit_resolver(kb: Knowledge) -> Resolver:
    """A unit's divisor and error for each lab test, as ``units.resolve_lab_unit`` finds them."""
    from magwise.knowledge._models import LabUnit
    from magwise.units import from_mmol_per_l, resolve_lab_unit

    def resolve(raw: Any) -> dict[str, Any]:
        text = text_of(raw)
        out: dict[str, Any] = {"problem": None}
        for test in LAB_TESTS:
            try:
                unit = resolve_lab_unit(test, text, kb=kb)
            except InputError as exc:
                out[f"per_{test}"] = None
                out[f"problem_{test}"] = exc.message
                continue
            # the divisor of units.lab_to_canonical
            out[f"per_{test}"] = (
                unit.per_canonical
                if isinstance(unit, LabUnit)
                else from_mmol_per_l(1.0, unit.name, kb)
            )
            out[f"problem_{test}"] = None
        return out

    return resolve


TEST = _schema(("raw_text", "VARCHAR"), ("code", "VARCHAR"), ("problem", "VARCHAR"))


def test_resolver(raw: Any) -> dict[str, Any]:
    text = text_of(raw)
    if text not in LAB_TESTS:
        return {
            "code": None,
            "problem": f"{text!r} is not accepted; accepted: {', '.join(LAB_TESTS)}",
        }
    return {"code": text, "problem": None}


SEX = _schema(("raw_text", "VARCHAR"), ("sex", "TINYINT"), ("problem", "VARCHAR"))
SEXES = ("female", "male")


def sex_resolver(raw: Any) -> dict[str, Any]:
    text = text_of(raw).strip().lower()
    if text not in SEXES:
        return {"sex": None, "problem": f"{text_of(raw)!r} is not accepted; accepted: female, male"}
    return {"sex": SEXES.index(text), "problem": None}


def _codes_schema(*flags: str) -> Schema:
    return _schema(
        ("raw_text", "VARCHAR"),
        ("codes", "VARCHAR[]"),
        *((flag, "BOOLEAN") for flag in flags),
        ("problem", "VARCHAR"),
    )


#: contraindicated: forbids self-supplementation; kidney: kidney disease (``Condition.kidney``)
CONDITIONS = _codes_schema("contraindicated", "kidney")
#: raises_mg: raises serum magnesium; contains_mg: a magnesium source (antacid, laxative)
MEDICATIONS = _codes_schema("raises_mg", "contains_mg")


#: what the rules read of a person's symptoms (advisor.referral.refer), each a flag that
#: any of them has: "in" where they count as signs of too much magnesium (a magnesium
#: source, a high serum value or kidney disease), "out" where they do not
SYMPTOM_FLAGS = (
    "excess",  # a sign of too much magnesium, in context (signals "excess")
    "severe",  # ... and a severe one (severe_excess)
    "mild",  # ... and not a severe one
    "urgent_in",  # urgent, and not a severe sign of excess (that finding is urgent itself)
    "urgent_out",  # urgent
    "refer_in",  # sends to a doctor, not urgent, not a severe sign of excess
    "refer_out",  # sends to a doctor, not urgent
    "hypermg",  # with a serum value above the range, urgent (hypermg_sign)
)
SYMPTOMS = _codes_schema(*SYMPTOM_FLAGS)


def split_codes(raw: Any) -> list[str]:
    """A codes cell: a list, or text separated by ';'. Empty items are ignored."""
    items = raw if isinstance(raw, list | tuple) else text_of(raw).split(";")
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def condition_resolver(kb: Knowledge) -> Resolver:
    """Flags: a condition that forbids self-supplementation; kidney disease."""

    def resolve(raw: Any) -> dict[str, Any]:
        codes = split_codes(raw)
        found = [kb.conditions.find(code) for code in codes]
        known = [f for f in found if f is not None]
        if len(known) < len(found):
            unknown = [c for c, f in zip(codes, found, strict=True) if f is None]
            return {
                "codes": codes,
                "contraindicated": None,
                "kidney": None,
                "problem": _unknown("condition", unknown, kb),
            }
        return {
            "codes": codes,
            "contraindicated": any(f.contraindicated for f in known),
            "kidney": any(f.kidney for f in known),
            "problem": None,
        }

    return resolve


def medication_resolver(kb: Knowledge) -> Resolver:
    """Flags: a medicine that raises serum magnesium; one that contains magnesium."""

    def resolve(raw: Any) -> dict[str, Any]:
        codes = split_codes(raw)
        found = [kb.medications.find(code) for code in codes]
        known = [f for f in found if f is not None]
        if len(known) < len(found):
            unknown = [c for c, f in zip(codes, found, strict=True) if f is None]
            return {
                "codes": codes,
                "raises_mg": None,
                "contains_mg": None,
                "problem": _unknown("medication", unknown, kb),
            }
        effects = {kb.medication_class(f.code).effect for f in known}
        return {
            "codes": codes,
            "raises_mg": "raises_mg" in effects,
            "contains_mg": "contains_mg" in effects,
            "problem": None,
        }

    return resolve


def symptom_resolver(kb: Knowledge) -> Resolver:
    """The flags of ``SYMPTOM_FLAGS`` for a cell of symptoms."""

    def resolve(raw: Any) -> dict[str, Any]:
        codes = split_codes(raw)
        found = [kb.symptoms.find(code) for code in codes]
        known = [f for f in found if f is not None]
        if len(known) < len(found):
            unknown = [c for c, f in zip(codes, found, strict=True) if f is None]
            return {
                "codes": codes,
                **dict.fromkeys(SYMPTOM_FLAGS),
                "problem": _unknown("symptom", unknown, kb),
            }
        excess = [s for s in known if "excess" in s.signals]
        severe = [s for s in excess if s.severe_excess]
        return {
            "codes": codes,
            "excess": bool(excess),
            "severe": bool(severe),
            "mild": any(not s.severe_excess for s in excess),
            "urgent_in": any(s.urgent and s not in severe for s in known),
            "urgent_out": any(s.urgent for s in known),
            "refer_in": any(s.refer and not s.urgent and s not in severe for s in known),
            "refer_out": any(s.refer and not s.urgent for s in known),
            "hypermg": any(s.hypermg_sign for s in known),
            "problem": None,
        }

    return resolve


def _unknown(kind: str, names: list[str], kb: Knowledge) -> str:
    book = {"condition": kb.conditions, "medication": kb.medications, "symptom": kb.symptoms}[kind]
    try:
        book.resolve(names[0], kind)
    except InputError as exc:
        return exc.message
    return f"unknown {kind} {names[0]!r}"  # pragma: no cover - resolve raised above
