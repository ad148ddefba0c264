"""Serum magnesium units: conversions derived from the molar mass and the valence.

mmol/L is the canonical unit. mg/dL and mEq/L follow from the knowledge base's
molar mass (g/mol) and valence; no conversion factor is written in code.
"""

from __future__ import annotations

from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.knowledge._models import LabUnit, SerumUnit


def _per_mmol_per_l(unit: SerumUnit, kb: Knowledge) -> float:
    """How many of ``unit`` make 1 mmol/L."""
    chem = kb.serum.chemistry
    per_litre = {
        "molar": 1.0,  # mmol per litre
        "mass": chem.molar_mass_g_per_mol,  # mg per litre (g/mol = mg/mmol)
        "charge": float(chem.valence),  # mEq per litre
    }[unit.basis]
    return per_litre * unit.volume_l


def resolve_unit(name: str, field: str = "unit", kb: Knowledge | None = None) -> SerumUnit:
    """The serum unit called ``name`` (aliases and case are forgiven)."""
    kb = kb or load_knowledge()
    unit = kb.unit(name)
    if unit is None:
        accepted = ", ".join(u.name for u in kb.serum.unit)
        raise InputError(field, f"unknown unit {name!r}; accepted: {accepted}")
    return unit


def to_mmol_per_l(value: float, unit: str, kb: Knowledge | None = None) -> float:
    """Convert a serum magnesium value in ``unit`` to mmol/L."""
    kb = kb or load_knowledge()
    return value / _per_mmol_per_l(resolve_unit(unit, kb=kb), kb)


def from_mmol_per_l(value: float, unit: str, kb: Knowledge | None = None) -> float:
    """Convert a serum magnesium value in mmol/L to ``unit``."""
    kb = kb or load_knowledge()
    return value * _per_mmol_per_l(resolve_unit(unit, kb=kb), kb)


def convert(value: float, from_unit: str, to_unit: str, kb: Knowledge | None = None) -> float:
    """Convert a serum magnesium value between any two known units."""
    return from_mmol_per_l(to_mmol_per_l(value, from_unit, kb), to_unit, kb)


def unit_names(kb: Knowledge | None = None) -> list[str]:
    return [u.name for u in (kb or load_knowledge()).serum.unit]


def resolve_lab_unit(
    test: str, name: str, field: str = "unit", kb: Knowledge | None = None
) -> SerumUnit | LabUnit:
    """The unit called ``name`` for a lab ``test`` (magnesium, eGFR, creatinine)."""
    kb = kb or load_knowledge()
    unit = kb.lab_unit(test, name)
    if unit is None:
        accepted = ", ".join(kb.lab_unit_names(test))
        raise InputError(field, f"unknown unit {name!r} for {test}; accepted: {accepted}")
    return unit


def lab_to_canonical(value: float, test: str, unit: str, kb: Knowledge | None = None) -> float:
    """A lab value in its test's canonical unit: mmol/L for magnesium, mL/min/1.73 m²
    for eGFR, mg/dL for creatinine."""
    kb = kb or load_knowledge()
    found = resolve_lab_unit(test, unit, kb=kb)
    if isinstance(found, SerumUnit):
        return value / _per_mmol_per_l(found, kb)
    return value / found.per_canonical
