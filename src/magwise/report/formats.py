"""Numbers and dates as the report's language writes them.

English keeps the report's long-standing forms (``250``, ``12.5``, ISO dates), so
an English report reads as it always has; other languages go through Babel in
their locale: ``310,5``, ``1.234``, ``4. Dezember 2026`` (prose) and
``04.12.2026`` (table cells). The digits are the same in every language: a number
is first written as English writes it, then spelled in the locale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

#: Babel's pattern for a number whose digits are already chosen (no rounding here).
_ANY_DECIMALS = "#,##0.##########"


@dataclass(frozen=True)
class Formats:
    """The number and date forms of one language (``"en"``, ``"de"``)."""

    language: str = "en"

    @property
    def english(self) -> bool:
        return self.language == "en"

    def _spell(self, english: str) -> str:
        if self.english:
            return english
        from babel.numbers import format_decimal

        sign = "+" if english.startswith("+") else ""
        return sign + format_decimal(Decimal(english), format=_ANY_DECIMALS, locale=self.language)

    def num(self, value: float | None) -> str:
        """250.0 -> '250', 12.5 -> '12.5' ('12,5' in German), None -> '—'."""
        return "—" if value is None else self._spell(f"{value:g}")

    def plain(self, value: object) -> str:
        """A value as English has always printed it (``300.0``); spelled by Babel elsewhere."""
        if self.english or not isinstance(value, int | float):
            return str(value)
        return self.num(float(value))

    def fixed(self, value: float, places: int) -> str:
        """``value`` with exactly ``places`` decimals: 0.72 -> '0.72' ('0,72')."""
        english = f"{value:.{places}f}"
        if self.english:
            return english
        from babel.numbers import format_decimal

        pattern = "#,##0." + "0" * places if places else "#,##0"
        return format_decimal(Decimal(english), format=pattern, locale=self.language)

    def signed(self, value: float) -> str:
        """+12.5 / -3 with their sign, as ``%+g`` writes them."""
        return self._spell(f"{value:+g}")

    def day(self, value: dt.date | None) -> str:
        """A date in a sentence: '2026-12-04' in English, '4. Dezember 2026' in German."""
        if value is None:
            return ""
        if self.english:
            return value.isoformat()
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.language)

    def date(self, value: dt.date | None) -> str:
        """A date in a table cell: '2026-12-04' in English, '04.12.2026' in German."""
        if value is None:
            return ""
        if self.english:
            return value.isoformat()
        from babel.dates import format_date

        return format_date(value, format="medium", locale=self.language)
