"""A person's own foods (from a label) beside SR28: one food record, one search.

An own food becomes a ``Food`` whose ``ndb`` is ``"own:N"`` — never a number
SR28 could use — so everything that logs or shows a food takes it as it is.
``search_with_own`` merges the person's own foods that match a query with the
index's hits: an own food that the query names well comes first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from magwise.bounds import MAX_GRAMS, MAX_KCAL_PER_100G, MAX_MG_PER_100G
from magwise.errors import InputError
from magwise.foods._model import Food, Portion, SearchHit

OWN_PREFIX = "own:"
OWN_GROUP = "Own foods"
_PORTION = re.compile(r"^\s*(\d+(?:[.,]\d+)?)?\s*([^=]*?)\s*=\s*(\d+(?:[.,]\d+)?)\s*g\s*$")
_OWN_SCORE = 1000.0  # above any score of the index: the person's own food, named well


@dataclass(frozen=True, slots=True)
class OwnFood:
    """A food a person entered from a label; ``id`` is the store's."""

    id: int
    name: str
    mg_per_100g: float
    kcal_per_100g: float | None = None
    barcode: str | None = None
    name_de: str | None = None
    name_en: str | None = None
    portion: str | None = None  # "1 slice"
    portion_grams: float | None = None

    @property
    def key(self) -> str:
        """The id a search, a log entry and the API use: ``"own:12"``."""
        return f"{OWN_PREFIX}{self.id}"

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.name_de, self.name_en) if n)

    def name_in(self, lang: str | None) -> str:
        """The name in ``lang`` ("de" or "en") when one was given, else the name."""
        chosen = {"de": self.name_de, "en": self.name_en}.get(lang or "")
        return chosen or self.name

    def as_food(self, lang: str | None = None) -> Food:
        portions: tuple[Portion, ...] = ()
        if self.portion and self.portion_grams:
            amount, unit = _split_label(self.portion)
            portions = (Portion(amount, unit, self.portion_grams),)
        return Food(
            ndb=self.key,
            description=self.name_in(lang),
            group=OWN_GROUP,
            mg_per_100g=self.mg_per_100g,
            kcal_per_100g=self.kcal_per_100g,
            portions=portions,
        )


def is_own(key: str) -> bool:
    """True for the id of an own food (``"own:12"``)."""
    return key.startswith(OWN_PREFIX)


def own_id(key: str) -> int | None:
    """The store id in ``"own:12"``; ``None`` for anything else."""
    rest = key.strip().removeprefix(OWN_PREFIX)
    if not key.strip().startswith(OWN_PREFIX) or not rest.isdigit():
        return None
    return int(rest)


def _split_label(label: str) -> tuple[float, str]:
    match = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s+(.+)$", label)
    if match:
        return float(match.group(1).replace(",", ".")), match.group(2).strip()
    return 1.0, label.strip()


def parse_portion(text: str) -> tuple[str, float]:
    """``"1 slice=40g"`` -> ("1 slice", 40.0); the field is ``portion``."""
    match = _PORTION.match(text)
    if not match or not match.group(2):
        raise InputError(
            "portion", f"{text!r}; accepted: a measure and its weight, such as '1 slice=40g'"
        )
    amount = float((match.group(1) or "1").replace(",", "."))
    grams = float(match.group(3).replace(",", "."))
    if not (amount > 0 and 0 < grams <= MAX_GRAMS):
        raise InputError(
            "portion", f"{text!r}; the weight must be above 0 g, at most {MAX_GRAMS} g"
        )
    return f"{amount:g} {match.group(2)}", grams


def mg_per_100g_of(
    *, per_100g: float | None, per_portion: float | None, grams: float | None
) -> float:
    """Magnesium per 100 g from a label's per-100-g value or its per-portion value."""
    if (per_100g is None) == (per_portion is None):
        raise InputError("mg_per_100g", "give either mg per 100 g or mg per portion with a portion")
    if per_portion is not None:
        if grams is None:
            raise InputError("portion", "mg per portion needs the portion, such as '1 slice=40g'")
        per_100g = per_portion * 100 / grams
    assert per_100g is not None
    if not 0 <= per_100g <= MAX_MG_PER_100G:
        raise InputError(
            "mg_per_100g",
            f"{per_100g:g} mg per 100 g is out of range; accepted: 0 to {MAX_MG_PER_100G:g}",
        )
    return per_100g


def fold(text: str) -> str:
    """Text compared without case, accents or umlaut spellings (ü = ue = u)."""
    text = text.casefold()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _words(text: str) -> list[str]:
    return [w.replace("ae", "a").replace("oe", "o").replace("ue", "u") for w in fold(text).split()]


def match_own(foods: Iterable[OwnFood], query: str) -> list[tuple[OwnFood, float]]:
    """Own foods whose names hold every word of ``query`` (as a word or a word's start),
    best first: an exact name, then the shorter name."""
    wanted = _words(query)
    if not wanted:
        return []
    found: list[tuple[OwnFood, float]] = []
    for food in foods:
        best = 0.0
        for name in (*food.names(), food.barcode or ""):
            words = _words(name)
            if not words:
                continue
            if all(any(w.startswith(q) for w in words) for q in wanted):
                exact = words == wanted
                best = max(best, (2.0 if exact else 1.0) + len(wanted) / len(words))
        if best:
            found.append((food, best))
    return sorted(found, key=lambda pair: (-pair[1], pair[0].name.casefold()))


def find_own(foods: Sequence[OwnFood], text: str) -> OwnFood | None:
    """The own food named ``text`` exactly (any of its names, its ``own:N`` id or its barcode)."""
    number = own_id(text)
    if number is not None:
        return next((f for f in foods if f.id == number), None)
    wanted = fold(text)
    named = next((f for f in foods if wanted in {fold(n) for n in f.names()}), None)
    return named or next((f for f in foods if f.barcode and f.barcode == text.strip()), None)


class _Searchable(Protocol):
    def search(
        self, query: str, limit: int = 10, lang: Literal["en", "de"] = "en"
    ) -> list[SearchHit]: ...


def search_with_own(
    index: _Searchable,
    own: Sequence[OwnFood],
    query: str,
    limit: int = 10,
    lang: str | None = None,
) -> list[SearchHit]:
    """The person's own foods that match ``query`` first, then the index's hits."""
    mine = []
    for food, score in match_own(own, query):
        found = food.as_food(lang)
        mine.append(SearchHit(found, _OWN_SCORE + score, found.description))
    if len(mine) >= limit:
        return mine[:limit]
    try:
        theirs = index.search(query, limit - len(mine), "de" if lang == "de" else "en")
    except InputError:
        if mine:
            return mine
        raise
    return [*mine, *theirs]


def _name(field: str, text: str | None, *, required: bool = False) -> str | None:
    value = " ".join((text or "").split())
    if not value:
        if required:
            raise InputError(field, "missing; give the food's name, as on its label")
        return None
    if len(value) > _LONGEST_NAME:
        raise InputError(field, f"at most {_LONGEST_NAME} characters ({len(value)} given)")
    return value


_LONGEST_NAME = 200
_LONGEST_BARCODE = 40


def build_own_food(
    name: str,
    *,
    mg_per_100g: float | None = None,
    mg_per_portion: float | None = None,
    portion: str | None = None,
    kcal_per_100g: float | None = None,
    barcode: str | None = None,
    name_de: str | None = None,
    name_en: str | None = None,
    food_id: int = 0,
) -> OwnFood:
    """An own food from what a label says, every value checked (``InputError`` names it)."""
    label, grams = parse_portion(portion) if portion and portion.strip() else (None, None)
    per_100g = mg_per_100g_of(per_100g=mg_per_100g, per_portion=mg_per_portion, grams=grams)
    if kcal_per_100g is not None and not 0 <= kcal_per_100g <= MAX_KCAL_PER_100G:
        raise InputError(
            "kcal_per_100g",
            f"{kcal_per_100g:g} is out of range; accepted: 0 to {MAX_KCAL_PER_100G:g}",
        )
    code = (barcode or "").strip() or None
    if code is not None and not (code.isdigit() and len(code) <= _LONGEST_BARCODE):
        raise InputError("barcode", f"{code!r}; accepted: the digits under the bars (EAN, UPC)")
    chosen = _name("name", name, required=True)
    assert chosen is not None
    return OwnFood(
        id=food_id,
        name=chosen,
        mg_per_100g=per_100g,
        kcal_per_100g=kcal_per_100g,
        barcode=code,
        name_de=_name("name_de", name_de),
        name_en=_name("name_en", name_en),
        portion=label,
        portion_grams=grams,
    )
