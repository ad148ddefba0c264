"""Every code a case file may use, by kind: the rows ``magwise codes`` and the API list.

Each kind has a title and a function from the knowledge base to plain rows
(dicts of JSON values), so the command line and the web answer the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from magwise.errors import InputError

if TYPE_CHECKING:
    from magwise.knowledge import Knowledge

Row = dict[str, Any]


def _conditions(kb: Knowledge) -> list[Row]:
    return [
        {
            "code": c.code,
            "label": c.label,
            "contraindicated": c.contraindicated,
            "risk": c.risk,
            "aliases": list(c.aliases),
        }
        for c in kb.conditions
    ]


def _medications(kb: Knowledge) -> list[Row]:
    rows: list[Row] = []
    for cls in kb.medication_classes:
        for m in cls.members:
            gap = cls.spacing(m.code)
            rows.append(
                {
                    "code": m.code,
                    "label": m.label,
                    "class": cls.code,
                    "effect": cls.effect,
                    "medicine_before_h": None if gap is None else gap.medicine_before_h,
                    "medicine_after_h": None if gap is None else gap.medicine_after_h,
                    "fasting_morning": cls.fasting_morning,
                    "sources": [] if gap is None else list(gap.sources),
                    "aliases": list(m.aliases),
                }
            )
    return rows


def _symptoms(kb: Knowledge) -> list[Row]:
    return [
        {"code": s.code, "label": s.label, "signals": list(s.signals), "aliases": list(s.aliases)}
        for s in kb.symptoms
    ]


def _coded(book: Any, red_flag: bool) -> list[Row]:
    rows: list[Row] = []
    for e in book:
        row: Row = {"code": e.code, "label": e.label}
        if red_flag:
            row["red_flag"] = e.red_flag
        row["aliases"] = list(e.aliases)
        rows.append(row)
    return rows


def _forms(kb: Knowledge) -> list[Row]:
    return [
        {
            "id": f.id,
            "name": f.name,
            "formula": f.formula,
            "elemental_percent": round(f.elemental_fraction * 100, 1),
            "topical": not f.absorbed,
            "aliases": list(f.aliases),
        }
        for f in kb.forms.values()
    ]


def _units(kb: Knowledge) -> list[Row]:
    return [{"name": u.name, "basis": u.basis, "aliases": list(u.aliases)} for u in kb.serum.unit]


def _standards(kb: Knowledge) -> list[Row]:
    return [
        {"id": s.id, "name": s.name, "target_name": s.target_name, "default": s.default}
        for s in kb.standards.values()
    ]


#: kind -> (title, rows)
KINDS: dict[str, tuple[str, Callable[[Knowledge], list[Row]]]] = {
    "conditions": ("Conditions", _conditions),
    "medications": ("Medications", _medications),
    "symptoms": ("Symptoms", _symptoms),
    "hair-patterns": ("Hair patterns", lambda kb: _coded(kb.patterns, red_flag=True)),
    "triggers": ("Triggers of shedding", lambda kb: _coded(kb.triggers, red_flag=False)),
    "scalp-signs": ("Scalp signs", lambda kb: _coded(kb.scalp_signs, red_flag=True)),
    "forms": ("Supplement forms", _forms),
    "units": ("Serum units", _units),
    "tests": ("Lab tests and checks", lambda kb: _coded(kb.lab_tests, red_flag=False)),
    "standards": ("Reference standards", _standards),
}


def kind_of(name: str) -> str:
    """The kind named ``name`` (any case, ``-``/``_``/space alike); InputError if unknown."""
    key = "-".join(name.lower().replace("_", " ").replace("-", " ").split())
    if key not in KINDS:
        raise InputError("kind", f"unknown kind {name!r}; accepted: {', '.join(KINDS)}")
    return key


def rows(kb: Knowledge, kind: str | None = None) -> dict[str, list[Row]]:
    """The rows of one kind (``kind``, any spelling ``kind_of`` accepts) or of every kind."""
    kinds = [kind_of(kind)] if kind is not None else list(KINDS)
    return {k: KINDS[k][1](kb) for k in kinds}
