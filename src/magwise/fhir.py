"""Lab results from HL7 FHIR R4: Observation resources or Bundles of them.

Pure: text in, lab results out. An Observation is a result magwise reads when
one of its ``code.coding`` is a LOINC code listed in the knowledge base:
magnesium (``serum.toml`` ``[[lab_code]]``: 19123-9 mass/volume, mg/dL; 2601-3
moles/volume, mmol/L) and kidney function (``kidney.toml``: eGFR 33914-3,
62238-1, 98979-8; creatinine 2160-0 mg/dL, 14682-9 µmol/L) and the other results
the hair screen recommends (``hair_labs.toml``: ferritin, TSH, vitamin D, zinc). A
``valueQuantity.comparator`` ("<", "<=", ">", ">=") is kept as written. Other
resources and observations are skipped and counted; an observation that cannot
be read is rejected with the entry and what is wrong, and nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from magwise import jsontext
from magwise.bounds import FIRST_DAY, LAST_DAY
from magwise.case import Comparator, LabTest
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.knowledge._models import LabCode
from magwise.record import LabEntry
from magwise.store._inputs import check_lab, check_range, lab_comparator

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
#: Statuses that carry no usable result (the observation is skipped, not rejected).
NO_RESULT = ("registered", "cancelled", "entered-in-error")


@dataclass(frozen=True, slots=True)
class LabResult:
    """One lab result read from an Observation."""

    day: dt.date
    test: LabTest
    value: float
    unit: str
    range_low: float | None
    range_high: float | None
    loinc: str
    source: str  # where it was found, e.g. "entry[2] (Observation/mg-1)"
    comparator: Comparator | None = None


@dataclass(frozen=True, slots=True)
class LabImport:
    results: tuple[LabResult, ...]
    skipped: int  # resources that are not observations of a lab magwise reads
    without_result: int  # such observations with a status in NO_RESULT


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
    codes = {(c.system, c.code): c for c in kb.lab_codes}
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


def _unit(quantity: Mapping[str, Any], where: str, test: str, kb: Knowledge) -> str:
    accepted = ", ".join(kb.lab_unit_names(test)) + " (UCUM)"
    name = quantity.get("code") or quantity.get("unit")
    if not isinstance(name, str):
        raise InputError(where, f"has no unit; accepted: {accepted}")
    unit = kb.lab_unit(test, name)
    if unit is None:
        raise InputError(where, f"unit {name!r} is not accepted; accepted: {accepted}")
    return unit.name


def _fits(unit: str, code: LabCode, kb: Knowledge) -> bool:
    """Whether ``unit`` is of the kind the LOINC code reports (mass or moles)."""
    from magwise.knowledge._models import LabUnit, SerumUnit

    expected, found = kb.lab_unit(code.test, code.unit), kb.lab_unit(code.test, unit)
    if isinstance(expected, SerumUnit) and isinstance(found, SerumUnit):
        return (expected.basis == "mass") == (found.basis == "mass")
    if isinstance(expected, LabUnit) and isinstance(found, LabUnit):
        return expected.kind == found.kind
    return False


def _convert(value: float, from_unit: str, to_unit: str, test: str, kb: Knowledge) -> float:
    from magwise.units import lab_to_canonical

    return (
        value
        * lab_to_canonical(1.0, test, from_unit, kb)
        / lab_to_canonical(1.0, test, to_unit, kb)
    )


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

    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict):
        accepted = ", ".join(kb.lab_unit_names(code.test))
        raise InputError(
            where,
            f"valueQuantity is missing; a {code.test.replace('_', ' ')} result needs "
            f"valueQuantity with a value and a unit ({accepted})",
        )
    value = _number(quantity.get("value"), f"{where} valueQuantity.value")
    unit = _unit(quantity, f"{where} valueQuantity", code.test, kb)
    if not _fits(unit, code, kb):
        raise InputError(
            f"{where} valueQuantity",
            f"unit {unit!r} does not fit LOINC {code.code} ({code.display}), "
            f"which is reported in {code.unit}",
        )
    written = quantity.get("comparator")
    if written is not None and not isinstance(written, str):
        raise InputError(f"{where} valueQuantity.comparator", f"{written!r} is not a comparator")
    comparator = lab_comparator(written, f"{where} valueQuantity.comparator")
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
            bound_unit = (
                _unit(bound, f"{where} referenceRange.{end}", code.test, kb) if has_unit else unit
            )
            bounds.append(round(_convert(number, bound_unit, unit, code.test, kb), 4))
        low, high = check_range(
            bounds[0],
            bounds[1],
            f"{where} referenceRange.low.value",
            f"{where} referenceRange.high.value",
        )
    return LabResult(
        day=_day(resource, where),
        test=test,
        value=value,
        unit=unit,
        range_low=low,
        range_high=high,
        loinc=code.code,
        source=where,
        comparator=comparator,
    )


def new_entries(found: LabImport, held: Iterable[LabEntry]) -> list[LabEntry]:
    """The results of ``found`` not already among ``held``, as entries to store."""
    seen = {(lab.day, lab.test, lab.comparator, lab.value, lab.unit) for lab in held}
    out: list[LabEntry] = []
    for r in found.results:
        key = (r.day, r.test, r.comparator, r.value, r.unit)
        if key not in seen:
            seen.add(key)
            out.append(
                LabEntry(0, r.day, r.test, r.value, r.unit, r.range_low, r.range_high, r.comparator)
            )
    return out


def read_labs(data: str | bytes | Mapping[str, Any], kb: Knowledge | None = None) -> LabImport:
    """The lab results in a FHIR Observation or Bundle (JSON text or object)."""
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
