"""A person's own reference intake and supplemental upper limit."""

from __future__ import annotations

from typing import Literal, NamedTuple

from magwise.bounds import MAX_AGE_YEARS
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.knowledge._models import IntakeTable

Sex = Literal["female", "male"]


class Reference(NamedTuple):
    """The personal values of one standard."""

    standard: str
    standard_name: str
    target_name: str
    target_mg: float | None
    ear_mg: float | None
    supplement_ul_mg: float | None
    min_doses_per_day: int
    sources: tuple[str, ...]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "standard": self.standard,
            "standard_name": self.standard_name,
            "target_name": self.target_name,
            "target_mg": self.target_mg,
            "ear_mg": self.ear_mg,
            "supplement_ul_mg": self.supplement_ul_mg,
            "min_doses_per_day": self.min_doses_per_day,
            "sources": list(self.sources),
            "notes": list(self.notes),
        }


def _state(pregnant: bool, lactating: bool) -> Literal["none", "pregnant", "lactating"]:
    if pregnant and lactating:
        raise InputError("pregnant/lactating", "choose one of pregnant or lactating, not both")
    return "pregnant" if pregnant else "lactating" if lactating else "none"


def _lookup(
    tables: tuple[IntakeTable, ...], age_months: float, sex: Sex
) -> tuple[float | None, IntakeTable | None]:
    for table in tables:
        for row in table.rows:
            if row.contains(age_months):
                value = row.male if sex == "male" else row.female
                if value is not None:
                    return value, table
    return None, None


def personal_reference(
    *,
    sex: Sex,
    age_years: float,
    pregnant: bool = False,
    lactating: bool = False,
    standard: str | None = None,
    kb: Knowledge | None = None,
) -> Reference:
    """Target, EAR and supplemental upper limit for a person under one standard."""
    kb = kb or load_knowledge()
    std = kb.standard(standard or kb.default_standard)
    if sex not in ("female", "male"):
        raise InputError("sex", f"unknown sex {sex!r}; accepted: female, male")
    if not 0 <= age_years <= MAX_AGE_YEARS:
        raise InputError(
            "age", f"{age_years} is out of range; accepted: 0 to {MAX_AGE_YEARS} years"
        )
    state = _state(pregnant, lactating)
    if state != "none" and sex != "female":
        raise InputError(state, f"{state} applies to sex 'female' only")
    age_months = age_years * 12
    sources: list[str] = list(std.sources)
    notes: list[str] = []

    def value(kind: str) -> float | None:
        for wanted in [state, "none"] if state != "none" else ["none"]:
            found, table = _lookup(kb.intake_tables_of(std.id, wanted, kind), age_months, sex)
            if found is not None and table is not None:
                for src in table.sources:
                    if src not in sources:
                        sources.append(src)
                if table.note and table.note not in notes:
                    notes.append(table.note)
                return found
        return None

    target = value("target")
    ear = value("ear")
    ul: float | None = None
    min_doses = 1
    for limits in kb.limit_tables:
        if std.id in limits.standards:
            min_doses = limits.min_doses_per_day
            for src in limits.sources:
                if src not in sources:
                    sources.append(src)
            for row in limits.rows:
                if row.contains(age_months):
                    ul = row.value_mg
            if limits.note:
                notes.append(limits.note)
    return Reference(
        standard=std.id,
        standard_name=std.name,
        target_name=std.target_name,
        target_mg=target,
        ear_mg=ear,
        supplement_ul_mg=ul,
        min_doses_per_day=min_doses,
        sources=tuple(sources),
        notes=tuple(notes),
    )
