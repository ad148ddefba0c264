"""JSON text read within limits: nesting depth and the length of numbers, checked first.

``json.loads`` recurses once per nesting level and turns a 5,000-digit number
into a ValueError of its own: a document nested 1,000 deep, or a number no
measurement has, would end a request in a traceback. ``loads`` refuses both as
bad input naming the field, before anything else is done with the text.
"""

from __future__ import annotations

import re
from typing import Any

from magwise.errors import InputError

MAX_DEPTH = 64
"""The deepest nesting accepted: a case, an export or a FHIR bundle needs under 10."""
MAX_DIGITS = 30
"""The longest number accepted, in characters (digits, sign, point, exponent)."""
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest (brackets within strings not counted)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return min(MAX_DEPTH, text.count("[") + text.count("{"))
    level = deepest = 0
    for token in _TOKENS.finditer(text):
        found = token.group()
        if found in "[{":
            level += 1
            deepest = max(deepest, level)
        elif found in "]}":
            level -= 1
    return deepest


def check_depth(text: str, field: str) -> None:
    """Refuse ``text`` nested deeper than ``MAX_DEPTH`` (``field`` named)."""
    if depth(text) > MAX_DEPTH:
        raise InputError(field, f"nested too deeply; accepted: at most {MAX_DEPTH} levels")


def _number(kind: type[int] | type[float], field: str) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_DIGITS:
            raise InputError(
                field, f"a number of {len(text)} characters; accepted: at most {MAX_DIGITS}"
            )
        return kind(text)

    return parse


def loads(text: str, field: str, **options: Any) -> Any:
    """``json.loads`` within the limits; ``json.JSONDecodeError`` for text that is no JSON.

    ``options`` go to ``json.loads`` (``parse_constant``, say).
    """
    check_depth(text, field)
    import json  # not on the way of a case that parses in one pass

    return json.loads(
        text, parse_int=_number(int, field), parse_float=_number(float, field), **options
    )
