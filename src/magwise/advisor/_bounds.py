"""A lab value as written: exact, or a bound ("< 0.5", ">= 90", as FHIR's comparator)."""

from __future__ import annotations

import math
from typing import NamedTuple

from magwise.case import Comparator


class Bounds(NamedTuple):
    """The values a result allows: from ``low`` to ``high``, each end open or closed."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def of(cls, value: float, comparator: Comparator | None) -> Bounds:
        if comparator == "<":
            return cls(-math.inf, value, True, True)
        if comparator == "<=":
            return cls(-math.inf, value, True, False)
        if comparator == ">":
            return cls(value, math.inf, True, True)
        if comparator == ">=":
            return cls(value, math.inf, False, True)
        return cls(value, value)

    def scaled(self, factor: float, decimals: int | None = None) -> Bounds:
        """The same bounds in another unit (``factor`` per unit), rounded as shown."""

        def end(x: float) -> float:
            if math.isinf(x):
                return x
            return round(x * factor, decimals) if decimals is not None else x * factor

        return Bounds(end(self.low), end(self.high), self.low_open, self.high_open)

    def below(self, t: float) -> bool:
        """Every allowed value is below ``t``."""
        return self.high < t or (self.high == t and self.high_open)

    def at_or_above(self, t: float) -> bool:
        """Every allowed value is ``t`` or more."""
        return self.low >= t

    def above(self, t: float) -> bool:
        """Every allowed value is above ``t``."""
        return self.low > t or (self.low == t and self.low_open)

    def at_or_below(self, t: float) -> bool:
        """Every allowed value is ``t`` or less."""
        return self.high <= t


def written(comparator: Comparator | None, number: str) -> str:
    """'0.72' or '< 0.5': a value as the lab wrote it (``number`` as a person reads it)."""
    return number if comparator is None else f"{comparator} {number}"
