"""magwise: an evidence-based advisor for people who lose hair and wonder whether
magnesium is behind it.

The library is the product; the CLI, the web app and the cohort mode are thin
faces over it. Names are imported on first use so that the command line starts
fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from magwise.advisor import assess
    from magwise.case import Case, parse_case
    from magwise.errors import DataError, InputError, MagwiseError, UnknownCode
    from magwise.foods import Food, FoodIndex, Portion, load_foods
    from magwise.knowledge import Knowledge, load_knowledge
    from magwise.reference import Reference, personal_reference
    from magwise.result import Result
    from magwise.schemas import schema
    from magwise.units import convert

__all__ = [
    "Case",
    "DataError",
    "Food",
    "FoodIndex",
    "InputError",
    "Knowledge",
    "MagwiseError",
    "Portion",
    "Reference",
    "Result",
    "UnknownCode",
    "assess",
    "convert",
    "load_foods",
    "load_knowledge",
    "parse_case",
    "personal_reference",
    "schema",
]

_WHERE = {
    "assess": "magwise.advisor",
    "Case": "magwise.case",
    "parse_case": "magwise.case",
    "DataError": "magwise.errors",
    "InputError": "magwise.errors",
    "MagwiseError": "magwise.errors",
    "UnknownCode": "magwise.errors",
    "Food": "magwise.foods",
    "FoodIndex": "magwise.foods",
    "Portion": "magwise.foods",
    "load_foods": "magwise.foods",
    "Knowledge": "magwise.knowledge",
    "load_knowledge": "magwise.knowledge",
    "Reference": "magwise.reference",
    "personal_reference": "magwise.reference",
    "Result": "magwise.result",
    "schema": "magwise.schemas",
    "convert": "magwise.units",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'magwise' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
