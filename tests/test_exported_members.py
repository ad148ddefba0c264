"""The public names of the package are what they should be."""

from __future__ import annotations

import importlib
import inspect

import magwise


def test_public_names() -> None:
    assert sorted(magwise.__all__) == sorted(
        [
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
    )
    for name in magwise.__all__:
        assert getattr(magwise, name) is not None, name


def test_assess_is_the_function_whatever_was_imported_first() -> None:
    # importing the advisor's modules must not shadow the public function
    importlib.import_module("magwise.advisor.planner")
    importlib.import_module("magwise.advisor.intake")
    from magwise import assess

    assert inspect.isfunction(assess)
    assert assess is magwise.assess
    assert next(iter(inspect.signature(assess).parameters)) == "case"
