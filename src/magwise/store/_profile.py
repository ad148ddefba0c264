"""A new profile version from the one in force and what a person changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from magwise.bounds import FIRST_DAY, MAX_AGE_YEARS
from magwise.errors import InputError
from magwise.record import HairTrigger, ProfileVersion
from magwise.store._inputs import parse_day

if TYPE_CHECKING:
    from magwise.case import Case
    from magwise.knowledge import Knowledge

_SEXES = {"female": "female", "f": "female", "woman": "female", "male": "male", "m": "male"}
_SEXES["man"] = "male"
#: How the command line spells the profile's fields (``updated_profile(names=...)``).
CLI_NAMES = {"sex": "--sex", "pregnant": "--pregnant", "lactating": "--lactating"}


def parse_trigger(text: str, kb: Knowledge, today: dt.date | None = None) -> HairTrigger:
    """``KIND:DATE``, e.g. ``childbirth:2026-08-20``."""
    kind, sep, when = text.partition(":")
    if not sep:
        raise InputError("trigger", f"{text!r}; accepted: KIND:DATE, e.g. childbirth:2026-08-20")
    code = kb.triggers.resolve(kind.strip(), "trigger").code
    return HairTrigger(code, parse_day(when.strip(), today))


#: The longest name kept (the column's width).
MAX_NAME_CHARS = 200


def person_name(value: object) -> str | None:
    """The name a person gives for their report; blank clears it."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if len(text) > MAX_NAME_CHARS:
        raise InputError(
            "name", f"is {len(text)} characters long; accepted: up to {MAX_NAME_CHARS}"
        )
    if any(ord(c) < 32 for c in text):
        raise InputError("name", "holds a control character; accepted: a name in plain text")
    return text or None


def birth_date(value: object, on: dt.date) -> dt.date | None:
    """A date of birth: a day from ``FIRST_DAY`` up to ``on``; None clears it."""
    if value is None or value == "":
        return None
    day = value if isinstance(value, dt.date) else parse_day(str(value))
    if not FIRST_DAY <= day <= on:
        raise InputError(
            "birth_date", f"{day} is not accepted; accepted: a day from {FIRST_DAY} to {on}"
        )
    return day


def updated_profile(
    current: ProfileVersion | None,
    on: dt.date,
    changes: dict[str, Any],
    kb: Knowledge,
    *,
    names: Mapping[str, str] | None = None,
) -> ProfileVersion:
    """The profile from ``on``: ``current`` carried to that day, with ``changes``.

    ``names`` spells the fields in errors as the caller's face shows them (the
    command line: ``{"sex": "--sex", ...}``); the JSON field names otherwise.

    ``changes`` holds only what the person gave: ``sex``, ``age_years``,
    ``pregnant``, ``lactating``, ``standard``, ``conditions``, ``medications``,
    ``hair_pattern``, ``hair_loss_since``, ``family_history``, ``scalp``,
    ``triggers`` (codes and aliases are resolved here), ``name`` and
    ``birth_date`` (shown in the report only). The age carries over
    (growing with time) unless a different whole age is given.
    """
    values: dict[str, Any] = {}
    if "sex" in changes:
        sex = _SEXES.get(str(changes["sex"]).strip().lower())
        if sex is None:
            raise InputError("sex", f"{changes['sex']!r}; accepted: female, male")
        values["sex"] = sex
    if "age_years" in changes:
        age = float(changes["age_years"])
        if not 0 <= age <= MAX_AGE_YEARS:
            raise InputError(
                "age", f"{age:g} is out of range; accepted: 0 to {MAX_AGE_YEARS:g} years"
            )
        carried = current.age_on(on) if current is not None else None
        same_year = carried is not None and age == int(age) and math.floor(carried) == age
        values["age_years"] = carried if same_year else age
    for flag in ("pregnant", "lactating", "family_history"):
        if flag in changes:
            values[flag] = changes[flag]
    if "standard" in changes:
        standard = changes["standard"]
        values["standard"] = None if standard is None else kb.standard(str(standard)).id
    books = {
        "conditions": (kb.conditions, "condition"),
        "medications": (kb.medications, "medication"),
        "scalp": (kb.scalp_signs, "scalp"),
    }
    for name, (book, field) in books.items():
        if name in changes:
            codes = (book.resolve(str(item), field).code for item in changes[name])
            values[name] = tuple(dict.fromkeys(codes))
    if "hair_pattern" in changes:
        pattern = changes["hair_pattern"]
        values["hair_pattern"] = (
            None if pattern is None else kb.patterns.resolve(str(pattern), "hair-pattern").code
        )
    if "hair_loss_since" in changes:
        values["hair_loss_since"] = changes["hair_loss_since"]
    if "triggers" in changes:
        values["triggers"] = tuple(changes["triggers"])
    if "name" in changes:
        values["name"] = person_name(changes["name"])
    if "birth_date" in changes:
        values["birth_date"] = birth_date(changes["birth_date"], on)

    if current is None:
        missing = [name for name in ("sex", "age_years") if name not in values]
        if missing:
            raise InputError(
                missing[0].removesuffix("_years"),
                "a first profile needs --sex and --age (e.g. --sex female --age 34)",
            )
        version = ProfileVersion(valid_from=on, **values)
    else:
        carried_age = current.age_on(on)
        base = dataclasses.replace(current, valid_from=on, age_years=carried_age)
        version = dataclasses.replace(base, **values)
    if values.get("pregnant") and "lactating" not in values:
        version = dataclasses.replace(version, lactating=False)
    if values.get("lactating") and "pregnant" not in values:
        version = dataclasses.replace(version, pregnant=False)
    spelled = {"sex": "sex", "pregnant": "pregnant", "lactating": "lactating", **(names or {})}
    if version.pregnant and version.lactating:
        raise InputError(
            "pregnant", f"choose one of {spelled['pregnant']} or {spelled['lactating']}, not both"
        )
    if (version.pregnant or version.lactating) and version.sex != "female":
        raise InputError(
            "pregnant",
            f"{spelled['pregnant']} and {spelled['lactating']} apply to "
            f"{spelled['sex']} female only",
        )
    return version


def changes_from_case(case: Case, today: dt.date, kb: Knowledge) -> dict[str, Any]:
    """The profile a case file describes, as ``updated_profile`` takes it.

    Durations become days: hair loss for ``duration_weeks`` began that many weeks
    before ``today``, and each trigger ``weeks_ago`` weeks before it.
    """

    def weeks_before(weeks: float) -> dt.date:
        return today - dt.timedelta(days=round(weeks * 7))

    p = case.profile
    changes: dict[str, Any] = {
        "sex": p.sex,
        "age_years": p.age_years,
        "pregnant": p.pregnant,
        "lactating": p.lactating,
        "conditions": list(p.conditions),
        "medications": list(p.medications),
        "standard": case.standard,
    }
    hair = case.hair
    if hair is not None:
        changes["hair_pattern"] = hair.pattern
        changes["family_history"] = hair.family_history
        changes["scalp"] = list(hair.scalp)
        changes["hair_loss_since"] = (
            None if hair.duration_weeks is None else weeks_before(hair.duration_weeks)
        )
        changes["triggers"] = [
            HairTrigger(
                kb.triggers.resolve(trigger.kind, "hair.triggers").code,
                weeks_before(trigger.weeks_ago),
            )
            for trigger in hair.triggers
        ]
    return changes
