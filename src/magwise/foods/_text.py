"""How food descriptions and queries are cut into comparable terms.

A description such as ``"Chickpeas (garbanzo beans, bengal gram), mature seeds, raw"``
becomes terms with the comma-separated segment each stands in; words in
parentheses are asides. Terms are lower case with plurals folded
(``beans`` -> ``bean``, ``berries``/``berry`` -> ``berrie``), so a query and a
description meet on the same spelling. Changing anything here changes the
stored index: raise ``FORMAT_VERSION`` in ``_store.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ASIDE = -1
"""Segment number of a term written in parentheses."""

_TOKEN = re.compile(r"[(),]|[a-z0-9]+(?:\.[0-9]+)?")
_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019")

# Two words SR28 writes both apart and together.
_JOINS = {("low", "fat"): "lowfat", ("fat", "free"): "fatfree"}
_NEGATION = "non"  # "non-soy" is one word: it must not match "soy"


def stem(word: str) -> str:
    """Fold an English plural (and a final consonant + y) to one spelling."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-1]
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ie"
    if word.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def analyse(
    text: str, fold: Callable[[str], str] = stem
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Terms of ``text`` and, for each, its comma segment (``ASIDE`` in parentheses).

    ``fold`` brings each word to the spelling both sides meet on (English plurals
    by default; ``_german.fold_word`` for German names).
    """
    terms: list[str] = []
    segments: list[int] = []
    segment = depth = 0
    for match in _TOKEN.finditer(text.lower().translate(_APOSTROPHES)):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif token == ",":
            if depth == 0:
                segment += 1
        else:
            where = ASIDE if depth else segment
            term = fold(token)
            joined = None
            if terms and segments[-1] == where:
                previous = terms[-1]
                joined = previous + term if previous == _NEGATION else _JOINS.get((previous, term))
            if joined:
                terms[-1] = joined
            else:
                terms.append(term)
                segments.append(where)
    return tuple(terms), tuple(segments)


def terms(text: str) -> list[str]:
    """The terms of ``text`` in order, ignoring segments."""
    return list(analyse(text)[0])


_BRAND = re.compile(r"\b(?!NFS\b)[A-Z][A-Z'\u2019&.-]{2,}\b")


def is_branded(description: str) -> bool:
    """Whether a description names a brand (SR28 writes brands in capitals).

    Asides do not count: "(includes USDA commodity)" marks a plain food that
    also goes to school meals, not a brand.
    """
    return _BRAND.search(_ASIDES.sub("", description)) is not None


_ASIDES = re.compile(r"\([^)]*\)")
