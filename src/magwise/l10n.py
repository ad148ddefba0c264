"""Numbers, dates and plural forms in a person's language, through Babel.

One place for how a page (or a printed report) writes a number: "310,5 mg" and
"4. Dezember 2026" in German, "310.5 mg" and "December 4, 2026" in English.
Every function takes the language code ("en", "de"); a language Babel does not
know falls back to English.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

#: The most decimals a number is written with (fewer when they are zeros).
DIGITS = 2


@functools.cache
def _locale(lang: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def number(value: float | None, lang: str, digits: int = DIGITS, *, group: bool = True) -> str:
    """``value`` with at most ``digits`` decimals, written as ``lang`` writes numbers.

    ``number(310.5, "de")`` -> "310,5"; ``number(1234, "de")`` -> "1.234";
    ``number(2.0, "en")`` -> "2". ``None`` is "". ``group=False`` leaves out the
    thousands separator (a value put back into a form field).
    """
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" if group else "0"
    if digits > 0:
        pattern += "." + "#" * digits
    rounded = round(float(value), digits)
    if rounded == 0:
        rounded = 0.0  # never "-0"
    return str(format_decimal(rounded, format=pattern, locale=_locale(lang)))


_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d+)(?![\d.])")


def decimals(text: str, lang: str) -> str:
    """Every decimal number written in ``text`` ("313.5 mg", "0.7–1.1") with ``lang``'s
    decimal sign: "313,5 mg", "0,7–1,1" in German. Whole numbers, dates (2026-12-04)
    and versions (1.2.3) stay as they are."""
    from babel.numbers import get_decimal_symbol

    sign = get_decimal_symbol(_locale(lang))
    if sign == ".":
        return text
    return _DECIMAL.sub(lambda m: f"{m[1]}{sign}{m[2]}", text)


def fixed(value: float, lang: str, digits: int) -> str:
    """``value`` with exactly ``digits`` decimals: ``fixed(0.7, "de", 2)`` -> "0,70"."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(round(float(value), digits), format=pattern, locale=_locale(lang)))


def mg(value: float | None, lang: str, digits: int = 1) -> str:
    """Milligrams: "310,5 mg" (German), "310.5 mg" (English); "—" when unknown."""
    return "—" if value is None else f"{number(value, lang, digits)} mg"


def date(day: dt.date | str | None, lang: str, style: str = "long") -> str:
    """A day as ``lang`` writes it: "4. Dezember 2026", "December 4, 2026".

    ``style`` is Babel's ("short", "medium", "long", "full"); an ISO date given as
    text is read first; ``None`` is "".
    """
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        try:
            when = dt.date.fromisoformat(day)
        except ValueError:
            return day
    else:
        when = day
    from babel.dates import format_date

    return str(format_date(when, format=style, locale=_locale(lang)))


def date_range(first: dt.date, last: dt.date, lang: str) -> str:
    """Two days as one span: "1.–28. November 2026", "November 1 – 28, 2026"."""
    from babel.dates import format_interval

    return str(format_interval(first, last, "yMMMd", locale=_locale(lang)))


def plural_form(count: float, lang: str) -> str:
    """The plural category of ``count`` in ``lang``: "one" or "other" in English and German
    (Babel's CLDR rules: "zero", "one", "two", "few", "many", "other")."""
    return str(_locale(lang).plural_form(count))
