"""What one assessment carries between its rules: inputs, knowledge, findings."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypedDict

from magwise import l10n
from magwise.case import Case
from magwise.foods import Food, RankedFood
from magwise.knowledge import Knowledge
from magwise.reference import Reference
from magwise.result import Severity

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


class FindingFields(TypedDict):
    """A finding's fields: validated as a ``Finding`` with the rest of the result."""

    code: str
    severity: Severity
    message: str
    sources: list[str]


@dataclass
class Context:
    case: Case
    kb: Knowledge
    foods: FoodSource
    reference: Reference
    findings: list[FindingFields] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # the codes of ``findings``
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (severity, reason)
    hair_trigger: str | None = None  # the trigger a telogen effluvium fits, as in a sentence

    def text(self, key: str, **fields: object) -> str:
        return self.kb.texts[key].format(**{k: self._show(v) for k, v in fields.items()})

    def _show(self, value: object) -> object:
        """A field of a text: a number as a person reads it, in the knowledge's language
        ("313.5" in English, "313,5" in German; numbers inside a given text too)."""
        if isinstance(value, float):
            value = number(value)
        elif not isinstance(value, str):
            return value
        language = self.kb.language
        return value if language == "en" else l10n.decimals(value, language)

    def number(self, value: float) -> str:
        """``number(value)`` as the knowledge base's language writes it (312,4 in German)."""
        return str(self._show(float(value)))

    def add(self, code: str, *, sources: Iterable[str] = (), **fields: object) -> None:
        """Raise a finding from the catalogue, filling in its fields."""
        entry = self.kb.findings[code]
        show = self._show
        shown = {k: show(v) for k, v in fields.items()}
        # the catalogue names each source once (checked when it is loaded)
        srcs = list(dict.fromkeys((*entry.sources, *sources))) if sources else list(entry.sources)
        self.findings.append(
            {
                "code": code,
                "severity": entry.severity,
                "message": entry.message.format(**shown),
                "sources": srcs,
            }
        )
        self.codes.add(code)
        if entry.reason is not None:
            self.reasons.append((entry.severity, entry.reason.format(**shown)))

    def has(self, code: str) -> bool:
        return code in self.codes
