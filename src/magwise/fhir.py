"""Magnesium results from HL7 FHIR R4: Observation resources or Bundles of them.

Pure: text in, lab results out. An Observation is a magnesium result when one
of its ``code.coding`` is a LOINC code listed in the knowledge base
(``serum.toml`` ``[[lab_code]]``: 19123-9 mass/volume, mg/dL; 2601-3
moles/volume, mmol/L). Other resources and observations are skipped and
counted; a magnesium observation that cannot be read is rejected with the
entry and what is wrong, and nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from magwise import jsontext
from magwise.bounds import FIRST_DAY, LAST_DAY
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.knowledge._models import LabCode
from magwise.store._inputs import LabTest, check_lab

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
#: Statuses that carry no usable result (the observation is skipped, not rejected).
NO_RESULT = ("registered", "cancelled", "entered-in-error")


@dataclass(frozen=True, slots=True)
class LabResult:
    """One magnesium result read from an Observation."""

    day: dt.date
    test: LabTest
    value: float
    unit: str
    range_low: float | None
    range_high: float | None
    loinc: str
    source: str  # where it was found, e.g. "entry[2] (Observation/mg-1)"


@dataclass(frozen=True, slots=True)
class LabImport:
    results: tuple[LabResult, ...]
    skipped: int  # resources that are not magnesium observations
    without_result: int  # magnesium observations with a status in NO_RESULT


def _resources(doc: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    kind = doc.get("resourceType")
    if kind == "Bundle":
        entries = doc.get("entry", [])
        if not isinstance(entries, list):
            raise InputError("Bundle.entry", "expected a list of entries")
        for number, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
                raise InputError(f"entry[{number}]", "expected an object with a resource")
            yield f"entry[{number}]", entry["resource"]
    elif isinstance(kind, str):
        yield "resource", doc
    else:
        raise InputError(
            "resourceType", "missing; accepted: an Observation or a Bundle of Observations"
        )


def _label(where: str, resource: Mapping[str, Any]) -> str:
    ident = resource.get("id")
    return f"{where} (Observation/{ident})" if isinstance(ident, str) else where


def _lab_code(resource: Mapping[str, Any], kb: Knowledge) -> LabCode | None:
    codes = {(c.system, c.code): c for c in kb.serum.lab_code}
    code = resource.get("code")
    codings = code.get("coding", []) if isinstance(code, dict) else []
    for coding in codings if isinstance(codings, list) else []:
        if isinstance(coding, dict):
            key = (str(coding.get("system", LOINC)), str(coding.get("code")))
            found = codes.get(key)
            if found is not None:
                return found
    return None


def _day(resource: Mapping[str, Any], where: str) -> dt.date:
    period = resource.get("effectivePeriod")
    for when in (
        resource.get("effectiveDateTime"),
        resource.get("effectiveInstant"),
        period.get("start") if isinstance(period, dict) else None,
        resource.get("issued"),
    ):
        if when is None:
            continue
        try:
            day = dt.date.fromisoformat(str(when)[:10])
        except ValueError:
            raise InputError(
                where, f"date {when!r} is not a full date (YYYY-MM-DD or a dateTime)"
            ) from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise InputError(
                where, f"date {day} is out of range; accepted: {FIRST_DAY} to {LAST_DAY}"
            )
        return day
    raise InputError(where, "has no date: give effectiveDateTime (or effectivePeriod, issued)")


def _unit(quantity: Mapping[str, Any], where: str, kb: Knowledge) -> str:
    accepted = "mg/dL, mmol/L, meq/L (UCUM)"
    name = quantity.get("code") or quantity.get("unit")
    if not isinstance(name, str):
        raise InputError(where, f"has no unit; accepted: {accepted}")
    unit = kb.unit(name)
    if unit is None:
        raise InputError(where, f"unit {name!r} is not accepted; accepted: {accepted}")
    return unit.name


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(where, f"{value!r} is not a number")
    try:
        return float(value)
    except OverflowError:  # an integer beyond any float
        raise InputError(where, "the value is too large to be a measurement") from None


def _observation(
    resource: Mapping[str, Any], where: str, code: LabCode, kb: Knowledge
) -> LabResult:
    from magwise.units import convert

    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict):
        raise InputError(
            where,
            "valueQuantity is missing; a magnesium result needs valueQuantity with a value "
            "and a unit (mg/dL, mmol/L, meq/L)",
        )
    value = _number(quantity.get("value"), f"{where} valueQuantity.value")
    unit = _unit(quantity, f"{where} valueQuantity", kb)
    expected = kb.unit(code.unit)
    found = kb.unit(unit)
    assert expected is not None and found is not None
    if (expected.basis == "mass") != (found.basis == "mass"):
        raise InputError(
            f"{where} valueQuantity",
            f"unit {unit!r} does not fit LOINC {code.code} ({code.display}), "
            f"which is reported in {code.unit}",
        )
    _, test = check_lab(value, unit, code.test, kb, field=f"{where} valueQuantity.value")
    low = high = None
    ranges = resource.get("referenceRange")
    if isinstance(ranges, list) and ranges and isinstance(ranges[0], dict):
        bounds: list[float | None] = []
        for end in ("low", "high"):
            bound = ranges[0].get(end)
            if not isinstance(bound, dict) or "value" not in bound:
                bounds.append(None)
                continue
            number = _number(bound["value"], f"{where} referenceRange.{end}.value")
            has_unit = bound.get("code") or bound.get("unit")
            bound_unit = _unit(bound, f"{where} referenceRange.{end}", kb) if has_unit else unit
            bounds.append(round(convert(number, bound_unit, unit, kb), 4))
        low, high = bounds
    return LabResult(
        day=_day(resource, where),
        test=test,
        value=value,
        unit=unit,
        range_low=low,
        range_high=high,
        loinc=code.code,
        source=where,
    )


def read_labs(data: str | bytes | Mapping[str, Any], kb: Knowledge | None = None) -> LabImport:
    """The magnesium results in a FHIR Observation or Bundle (JSON text or object)."""
    kb = kb or load_knowledge()
    if isinstance(data, str | bytes):
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            data = jsontext.loads(text, "file")
        except json.JSONDecodeError as exc:
            raise InputError(
                "file", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except UnicodeDecodeError:
            raise InputError("file", "not UTF-8 text") from None
    if not isinstance(data, Mapping):
        raise InputError("file", "a FHIR resource is a JSON object")
    results: list[LabResult] = []
    skipped = without = 0
    for where, resource in _resources(data):
        if resource.get("resourceType") != "Observation":
            skipped += 1
            continue
        code = _lab_code(resource, kb)
        if code is None:
            skipped += 1
            continue
        if resource.get("status") in NO_RESULT:
            without += 1
            continue
        results.append(_observation(resource, _label(where, resource), code, kb))
    return LabImport(tuple(results), skipped, without)
