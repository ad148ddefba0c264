"""What one assessment carries between its rules: inputs, knowledge, findings."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from magwise import l10n
from magwise.case import Case
from magwise.foods import Food, RankedFood
from magwise.knowledge import Knowledge
from magwise.reference import Reference
from magwise.result import Finding

Per = Literal["100g", "100kcal", "portion"]


class FoodSource(Hashable, Protocol):
    """What the assessment needs of the food database."""

    def get(self, ndb: str) -> Food: ...

    def top(
        self, per: Per = "100g", group: str | None = None, limit: int = 20
    ) -> list[RankedFood]: ...


def number(value: float) -> str:
    """A number as a person reads it: 300, 312.4, 0.68."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0") if abs(value) < 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def listing(items: Iterable[str], kb: Knowledge) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + kb.texts["and"] + items[-1]


@dataclass
class Context:
    case: Case
    kb: Knowledge
    foods: FoodSource
    reference: Reference
    findings: list[Finding] = field(default_factory=list)
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (severity, reason)
    hair_trigger: str | None = None  # the trigger a telogen effluvium fits, as in a sentence

    def text(self, key: str, **fields: object) -> str:
        return self.kb.texts[key].format(**{k: self._show(v) for k, v in fields.items()})

    def _show(self, value: object) -> object:
        """A field of a text: a number as a person reads it, in the knowledge's language
        ("313.5" in English, "313,5" in German; numbers inside a given text too)."""
        shown = _show(value)
        if self.kb.language == "en" or not isinstance(shown, str):
            return shown
        return l10n.decimals(shown, self.kb.language)

    def number(self, value: float) -> str:
        """``number(value)`` as the knowledge base's language writes it (312,4 in German)."""
        return str(self._show(float(value)))

    def add(self, code: str, *, sources: Iterable[str] = (), **fields: object) -> None:
        """Raise a finding from the catalogue, filling in its fields."""
        entry = self.kb.finding(code)
        shown = {k: self._show(v) for k, v in fields.items()}
        srcs = list(dict.fromkeys((*entry.sources, *sources)))
        self.findings.append(
            Finding(
                code=code,
                severity=entry.severity,
                message=entry.message.format(**shown),
                sources=srcs,
            )
        )
        if entry.reason is not None:
            self.reasons.append((entry.severity, entry.reason.format(**shown)))

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.findings)


def _show(value: object, language: str = "en") -> object:
    """A field of a text as the text's language writes it: 312.4, in German 312,4."""
    if isinstance(value, float):
        text = number(value)
        return text if language == "en" else text.replace(".", ",")
    return value
