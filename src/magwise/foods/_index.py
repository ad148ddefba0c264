"""The food index: look up, search and rank SR28 foods by magnesium."""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from magwise.errors import InputError
from magwise.foods import _store
from magwise.foods._german import german_terms, strip_accents
from magwise.foods._model import Food, Portion, RankedFood, SearchHit
from magwise.foods._serving import serving
from magwise.foods._text import terms

if TYPE_CHECKING:
    from magwise.foods._search import Ranker

Per = Literal["100g", "100kcal", "portion"]
Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "de")
PER_CHOICES: tuple[Per, ...] = ("100g", "100kcal", "portion")
_OTHER_LANGUAGE = 3.0
"""Points the matches in the language that knows fewer of a query's words give up."""
MIN_KCAL_PER_100G = 10.0
"""Foods below this energy density (water, tea, coffee) are left out of the
per-100-kcal ranking: their ratio is huge while their share of a day is nil."""


def _unknown_to_none(value: float) -> float | None:
    return None if math.isnan(value) else value


class FoodIndex:
    """Every SR28 food with its magnesium, energy and household portions."""

    def __init__(self, table: _store.FoodTable, path: Path | None = None) -> None:
        self._table = table
        self.path = path
        self._number = {ndb: number for number, ndb in enumerate(table.ndbs)}
        self._foods: dict[int, Food] = {}
        self._ranker: Ranker | None = None
        self._german: tuple[Ranker, list[int]] | None = None
        self._german_names: dict[str, str] | None = None

    @classmethod
    def load(
        cls, path: Path | None = None, progress: Callable[[int, int], None] | None = None
    ) -> FoodIndex:
        """Open the index at ``path`` (default: the data directory), building it if needed."""
        path = path or _store.default_path()
        table = _store.read(path)
        if table is None:
            table = _store.build(path, progress)
        return cls(table, path)

    @classmethod
    def build(
        cls, path: Path | None = None, progress: Callable[[int, int], None] | None = None
    ) -> FoodIndex:
        """Rebuild the index at ``path`` from the SR28 files, whatever is there."""
        path = path or _store.default_path()
        return cls(_store.build(path, progress), path)

    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[Food]:
        """Every food, in the order of SR28."""
        return (self._food(number) for number in range(len(self._table)))

    def groups(self) -> list[str]:
        """The SR28 food group names, alphabetically."""
        return sorted(self._table.groups)

    def get(self, ndb: str) -> Food:
        """The food with NDB number ``ndb`` ("01001"; "1001" is read as "01001")."""
        return self._food(self._number_of(ndb))

    def magnesium(self, ndb: str) -> float | None:
        """``get(ndb).mg_per_100g`` (the same errors), without making the ``Food``: what
        cohort mode asks of thousands of NDB numbers."""
        return _unknown_to_none(self._table.mg[self._number_of(ndb)])

    def _number_of(self, ndb: str) -> int:
        text = str(ndb).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 5):
            raise InputError(
                "ndb", f"expected a 5-digit SR28 NDB number such as 11457, got {ndb!r}"
            )
        number = self._number.get(text.zfill(5))
        if number is None:
            raise InputError(
                "ndb",
                f"no SR28 food has NDB number {text.zfill(5)}; "
                "find one with 'magwise foods search'",
            )
        return number

    def search(self, query: str, limit: int = 10, lang: Language = "en") -> list[SearchHit]:
        """Foods matching ``query`` in English or German, best first.

        The query is read both ways, against SR28's descriptions and against the
        German names; the language that knows more of the query's words leads
        (the person's language, ``lang``, when both know as many), the other only
        fills in below it. ``lang`` also picks the language of each hit's ``name``.
        """
        if not query.strip():
            raise InputError("query", "expected words describing a food, such as 'hemp seeds'")
        if limit <= 0:
            raise InputError("limit", f"expected a positive number, got {limit}")
        if lang not in LANGUAGES:
            raise InputError("lang", f"expected one of {', '.join(LANGUAGES)}, got {lang!r}")
        english, (german, rows) = self._rankers()
        plain = strip_accents(query)  # "Müsli" read in English is "Musli", not "m" + "sli"
        words = query.split()
        known_in_english = [word for word in words if english.knows(strip_accents(word))]
        known_in_german = [word for word in words if german.knows(word)]
        english_only = frozenset(term for word in known_in_english for term in german_terms(word))
        german_only = frozenset(
            term for word in known_in_german for term in terms(strip_accents(word))
        )
        # The language that knows more of the query's words leads; the other
        # only fills in below it. When neither knows more, both count alike.
        lead = len(known_in_german) - len(known_in_english)
        if lead == 0 and known_in_english:
            # words both languages spell alike (Paprika, Tofu): the person's language leads
            lead = 1 if lang == "de" else -1
        if lead > 0:  # the English reading only fills in: no prefixes or typos for it
            german_only = frozenset(terms(plain))
        elif lead < 0:
            english_only = frozenset(german_terms(query))
        english_margin = _OTHER_LANGUAGE if lead > 0 else 0.0
        german_margin = _OTHER_LANGUAGE if lead < 0 else 0.0
        best: dict[int, float] = {
            number: score - english_margin
            for number, score in english.search(plain, limit + 5, german_only)
        }
        for row, score in german.search(query, 3 * limit + 10, english_only):
            number, fair = rows[row], score - german_margin
            if fair > best.get(number, -math.inf):
                best[number] = fair
        ranked = heapq.nsmallest(
            limit, best.items(), key=lambda item: (-item[1], self._table.ndbs[item[0]])
        )
        return [
            SearchHit(self._food(number), score, self.name(self._food(number), lang))
            for number, score in ranked
        ]

    def name(self, food: Food, lang: Language = "en") -> str:
        """The name of ``food`` in ``lang``: German when the table has one, else SR28's."""
        if lang == "de":
            if self._german_names is None:
                german, _ = self._rankers()[1]
                table = german.table
                names: dict[str, str] = {}
                for ndb, text in zip(table.ndbs, table.descriptions, strict=True):
                    names.setdefault(ndb, text)  # a food's first row is its name
                self._german_names = names
            return self._german_names.get(food.ndb, food.description)
        return food.description

    def name_of(self, ndb: str, description: str, lang: str = "en") -> str:
        """The name to show for food ``ndb`` in ``lang``, ``description`` being the one it
        was logged with: its German name on German pages (when the table has one), else
        ``description`` (an own food's name, an SR28 food in English)."""
        if lang != "de" or ndb not in self._number:
            return description
        return self.name(self._food(self._number[ndb]), "de")

    def _rankers(self) -> tuple[Ranker, tuple[Ranker, list[int]]]:
        if self._ranker is None or self._german is None:
            from magwise.foods._german import load_german_table
            from magwise.foods._lexicon import load_german_lexicon, load_lexicon
            from magwise.foods._search import Ranker

            self._ranker = Ranker(self._table, load_lexicon())
            directory = None if self.path is None else self.path.parent
            table, rows = load_german_table(self._table, directory)
            self._german = (Ranker(table, load_german_lexicon(), german_terms, True), rows)
        return self._ranker, self._german

    def top(self, per: Per = "100g", group: str | None = None, limit: int = 20) -> list[RankedFood]:
        """Foods richest in magnesium per 100 g, per 100 kcal or per serving.

        Foods whose magnesium is unknown are left out. ``per="portion"`` uses each
        food's serving: its largest household portion within a helping's size
        (see ``_serving.serving``).
        """
        if per not in PER_CHOICES:
            raise InputError("per", f"expected one of {', '.join(PER_CHOICES)}, got {per!r}")
        if limit <= 0:
            raise InputError("limit", f"expected a positive number, got {limit}")
        wanted = None if group is None else self._table.groups.index(self.resolve_group(group))
        table = self._table
        values: list[tuple[float, str, int, Portion | None]] = []
        for number, mg in enumerate(table.mg):
            if math.isnan(mg) or (wanted is not None and table.group_of[number] != wanted):
                continue
            if per == "100g":
                values.append((mg, table.ndbs[number], number, None))
            elif per == "100kcal":
                kcal = table.kcal[number]
                if kcal >= MIN_KCAL_PER_100G:
                    values.append((mg / kcal * 100, table.ndbs[number], number, None))
            else:
                portion = serving(self._food(number))
                if portion is not None:
                    values.append((mg * portion.grams / 100, table.ndbs[number], number, portion))
        best = heapq.nsmallest(limit, values, key=lambda value: (-value[0], value[1]))
        return [RankedFood(self._food(number), mg, per, portion) for mg, _, number, portion in best]

    def resolve_group(self, name: str) -> str:
        """The food group called ``name`` (any case; a unique part of the name will do)."""
        wanted = " ".join(name.lower().split())
        for group in self._table.groups:
            if group.lower() == wanted:
                return group
        partial = [group for group in self._table.groups if wanted and wanted in group.lower()]
        if len(partial) == 1:
            return partial[0]
        from rapidfuzz import fuzz, process

        close = process.extractOne(
            wanted, self._table.groups, scorer=fuzz.partial_ratio, processor=str.lower
        )
        hint = f"did you mean '{close[0]}'? " if close and close[1] >= 55 else ""
        raise InputError(
            "group",
            f"unknown food group {name!r}; {hint}accepted: {'; '.join(self.groups())}",
        )

    def _food(self, number: int) -> Food:
        food = self._foods.get(number)
        if food is None:
            table = self._table
            food = Food(
                ndb=table.ndbs[number],
                description=table.descriptions[number],
                group=table.groups[table.group_of[number]],
                mg_per_100g=_unknown_to_none(table.mg[number]),
                kcal_per_100g=_unknown_to_none(table.kcal[number]),
                portions=tuple(
                    Portion(amount, unit, grams)
                    for amount, unit, grams in _store.decode_portions(table.portions[number])
                ),
            )
            self._foods[number] = food
        return food


@functools.cache
def load_foods() -> FoodIndex:
    """The default food index, loaded (or built) once per process."""
    return FoodIndex.load()
