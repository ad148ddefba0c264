"""Profile versions as the store's rows hold them, and the day values rows give back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from magwise.record import HairTrigger, ProfileVersion

PROFILE_COLUMNS = (
    "valid_from, sex, age_years, pregnant, lactating, standard, conditions, medications, "
    "hair_pattern, hair_loss_since, family_history, scalp, triggers, name, birth_date"
)
_SAME_AGE_YEARS = 1 / 366  # two ages closer than a day are the same age


def day_of(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def maybe_day(value: Any) -> dt.date | None:
    return None if value is None else day_of(value)


def maybe_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def profile_from_row(row: tuple[Any, ...]) -> ProfileVersion:
    (valid_from, sex, age, pregnant, lactating, standard, conditions, medications) = row[:8]
    pattern, since, family, scalp, triggers, name, birth_date = row[8:]
    return ProfileVersion(
        valid_from=day_of(valid_from),
        sex=sex,
        age_years=float(age),
        pregnant=bool(pregnant),
        lactating=bool(lactating),
        standard=standard,
        conditions=tuple(json.loads(conditions)),
        medications=tuple(json.loads(medications)),
        hair_pattern=pattern,
        hair_loss_since=maybe_day(since),
        family_history=maybe_bool(family),
        scalp=tuple(json.loads(scalp)),
        triggers=tuple(HairTrigger(kind, day_of(on)) for kind, on in json.loads(triggers)),
        name=name,
        birth_date=maybe_day(birth_date),
    )


def profile_values(person_id: int, p: ProfileVersion) -> dict[str, object]:
    return {
        "person_id": person_id,
        "valid_from": p.valid_from,
        "sex": p.sex,
        "age_years": float(p.age_years),
        "pregnant": p.pregnant,
        "lactating": p.lactating,
        "standard": p.standard,
        "conditions": json.dumps(list(p.conditions)),
        "medications": json.dumps(list(p.medications)),
        "hair_pattern": p.hair_pattern,
        "hair_loss_since": p.hair_loss_since,
        "family_history": p.family_history,
        "scalp": json.dumps(list(p.scalp)),
        "triggers": json.dumps([[t.kind, t.on.isoformat()] for t in p.triggers]),
        "name": p.name,
        "birth_date": p.birth_date,
    }


def same_profile(old: ProfileVersion, new: ProfileVersion) -> bool:
    """True when ``new`` says nothing that ``old`` (carried to its date) does not."""
    if abs(old.age_on(new.valid_from) - new.age_years) >= _SAME_AGE_YEARS:
        return False
    carried = dataclasses.replace(old, valid_from=new.valid_from, age_years=new.age_years)
    return carried == new
