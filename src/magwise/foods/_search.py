"""Rank SR28 foods for what a person types.

A query becomes slots, one per word, each with the index terms it accepts and
how well: the word itself, its synonyms, a compound it forms with its
neighbour ("brazil nuts" -> "brazilnuts"), and for a word SR28 never uses, the
terms it begins or the terms it resembles (typos). Postings give the
candidates; the best hundred or so are then scored in full:

- coverage: the share of the query found in the description, each word
  weighted by its rarity and by where it stands (leading segments count most);
- the name: the leading segment (after a category such as "Nuts,") should be
  explained by the query, so "almonds" prefers "Nuts, almonds" to
  "Nuts, almond paste";
- extra words cost a little, words naming a product made from the food
  ("butter", "flour", "juice") cost a lot;
- preparation: a query without one prefers the raw or plain food, a query
  with one ("cooked", "poached") prefers foods prepared that way;
- brands, baby foods, fast and restaurant foods sink;
- a food whose magnesium SR28 does not give sinks below an equivalent one
  whose magnesium is known.

The same ranker reads German names (``_german``): it is given the table of
German names and the German lexicon, and folds the query the German way.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from magwise.foods._lexicon import PHRASE_WORDS, Lexicon
from magwise.foods._store import FoodTable, decode_terms
from magwise.foods._text import ASIDE, terms

_CANDIDATES = 120
_MIN_HEAD, _COMPOUND_HEAD = 4, 0.7  # a German compound's last part: length, match quality
_SYNONYM, _COMPOUND, _PREFIX, _FUZZY = 0.8, 0.9, 0.85, 0.9
_AWAY_FROM_HEAD, _IN_ASIDE, _NUMBER_IN_ASIDE = 0.9, 0.85, 0.4
_WELL_ANALYSED = 130  # nutrients SR28 reports for a thoroughly analysed food
_UNKNOWN_MAGNESIUM = 0.6  # points a food without a magnesium value sinks
_VARIANT = 0.6  # a variant not asked for ("reduced fat", "light") sinks below the food
_ADDED = 0.3  # an ingredient added "with" the food, not asked for
_WITH = frozenset({"with", "mit"})
_ASIDE_COST = 0.2
_MADE_UP = frozenset({"prepared", "reconstituted", "diluted", "zubereitet"})
_WITHOUT = frozenset({"without", "not", "no", "ohne", "nicht", "kein", "keine"})
_NEAR_RANGE, _RANGE_SPAN = 0.7, 20.0  # a number just outside a range SR28 gives


@dataclass(frozen=True, slots=True)
class _Slot:
    word: str
    accepts: dict[str, float]
    weight: float
    preparation: bool


def _extra_cost(segment: int) -> float:
    """What an unmatched word costs: early segments name the food, later ones detail it."""
    if segment < 0:
        return 0.1
    return (0.35, 0.35, 0.25)[segment] if segment < 3 else 0.15


class Ranker:
    """Scores foods of a ``FoodTable`` against queries."""

    def __init__(
        self,
        table: FoodTable,
        lexicon: Lexicon,
        read: Callable[[str], list[str]] = terms,
        split_compounds: bool = False,
    ) -> None:
        self._table = table
        self._lexicon = lexicon
        self._read = read
        self._split_compounds = split_compounds
        self._size = len(table)
        self._parsed: dict[int, tuple[list[str], list[int]]] = {}
        self._group_penalty = [lexicon.group_penalties.get(g, 0.0) for g in table.groups]
        self._preparation = lexicon.natural | lexicon.cooking | lexicon.processing
        self._vocabulary: list[str] | None = None
        self._endings: dict[str, list[str]] | None = None
        self._strict: frozenset[str] = frozenset()
        self._negated = False

    @property
    def table(self) -> FoodTable:
        """The foods this ranker scores."""
        return self._table

    def knows(self, word: str) -> bool:
        """Whether this ranker's index or lexicon knows every term of ``word`` as it is."""
        lexicon = self._lexicon
        read = self._read(word)
        return bool(read) and all(
            term in self._table.postings or term in lexicon.synonyms or term in lexicon.phrases
            for term in read
        )

    def search(
        self, query: str, limit: int, strict: frozenset[str] = frozenset()
    ) -> list[tuple[int, float]]:
        """Food numbers and scores, best first; empty when nothing matches.

        Words in ``strict`` are matched only as they are, never as a prefix or
        a typo: another language knows them as they are.
        """
        self._strict = strict
        read = self._read(query)
        self._negated = any(word in _WITHOUT for word in read)
        slots = self._slots(read)
        candidates = self._candidates(slots)
        scored = [(self._score(number, slots), number) for number in candidates]
        best = heapq.nlargest(limit, scored, key=lambda item: (item[0], -item[1]))
        return [(number, round(score, 3)) for score, number in best]

    # -- the query --------------------------------------------------------

    def _slots(self, read: list[str]) -> list[_Slot]:
        words = self._phrased(read)
        if self._split_compounds:
            words = [part for word in words for part in self._split(word)]
        meaningful = [word for word in words if word not in self._lexicon.stop]
        words = meaningful or words
        slots = []
        for index, word in enumerate(words):
            accepts = self._accepts(word)
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(words):
                    first, second = sorted((index, neighbour))
                    compound = words[first] + words[second]
                    if compound in self._table.postings:
                        accepts.setdefault(compound, _COMPOUND)
            if accepts or _number(word) is not None:  # a number may fall in a range
                weight = max((self._rarity(t) * w for t, w in accepts.items()), default=0.0)
                weight = weight or self._rarity(word)
                slots.append(_Slot(word, accepts, weight, word in self._preparation))
        return slots

    def _phrased(self, read: list[str]) -> list[str]:
        """The query's words, everyday names ("hot dog", "pepitas") put in SR28's words."""
        phrases = self._lexicon.phrases
        words: list[str] = []
        position = 0
        while position < len(read):
            for length in range(min(PHRASE_WORDS, len(read) - position), 0, -1):
                name = " ".join(read[position : position + length])
                if name in phrases:  # the longest everyday name first
                    words.extend(phrases[name])
                    position += length
                    break
            else:
                words.append(read[position])
                position += 1
        return words

    def _split(self, word: str) -> tuple[str, ...]:
        """A compound the index does not know, cut into a known head and a known last word.

        "Kürbiskernbrot" becomes "kurbiskern" + "brot", "Sojajoghurt" "soja" +
        "joghurt": the last part must be a word of the index, the first a word
        or the beginning of one.
        """
        postings = self._table.postings
        lexicon = self._lexicon
        if len(word) < 7 or not word.isalpha() or word in postings or word in self._strict:
            return (word,)
        if word in lexicon.synonyms:
            return (word,)
        for cut in range(len(word) - 3, 2, -1):
            head, tail = word[:cut], word[cut:]
            if (tail not in postings and tail not in lexicon.stop) or len(head) < 4:
                continue
            folded = self._read(head)  # "makrelen" is read as "makrel"
            if len(folded) == 1 and folded[0] in postings:
                return (folded[0], tail)
            if (
                head in postings
                or head in lexicon.synonyms
                or head in self._preparation
                or any(term.startswith(head) for term in self._terms())
            ):
                return (head, tail)
        return (word,)

    def _compounds_ending_in(self, word: str) -> list[str]:
        """Index words longer than ``word`` that end in it, the first part a word itself
        of at least three letters ("rotlachs", "buckellachs" for "lachs")."""
        if self._endings is None:
            endings: dict[str, list[str]] = {}
            for term in self._terms():
                if term.isalpha() and len(term) > _MIN_HEAD + 2:
                    endings.setdefault(term[-_MIN_HEAD:], []).append(term)
            self._endings = endings
        return [
            term
            for term in self._endings.get(word[-_MIN_HEAD:], ())
            if term.endswith(word) and len(term) - len(word) >= 3
        ]

    def _terms(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = list(self._table.postings)
        return self._vocabulary

    def _accepts(self, word: str) -> dict[str, float]:
        postings = self._table.postings
        accepts = {word: 1.0} if word in postings else {}
        for synonym in self._lexicon.synonyms.get(word, ()):
            if synonym in postings:
                accepts.setdefault(synonym, _SYNONYM)
        if self._split_compounds and len(word) >= _MIN_HEAD and word.isalpha():
            # A German compound is a kind of its last part: "Lachs" finds "Buckellachs"
            for term in self._compounds_ending_in(word):
                accepts.setdefault(term, _COMPOUND_HEAD)
        if accepts or not word.isalpha() or word in self._strict:
            return accepts
        if len(word) >= 4:
            for term in postings:
                if term.startswith(word):
                    accepts[term] = _PREFIX
        from rapidfuzz import fuzz, process

        for term, similarity, _ in process.extract(
            word, self._terms(), scorer=fuzz.ratio, score_cutoff=80, limit=3
        ):
            accepts.setdefault(term, _FUZZY * similarity / 100)
        return accepts

    def _rarity(self, term: str) -> float:
        count = len(self._table.postings.get(term, b"")) // 2
        return max(0.5, math.log(self._size / (1 + count)))

    # -- candidates -------------------------------------------------------

    def _candidates(self, slots: list[_Slot]) -> list[int]:
        """Foods matching the query's food words, the most promising first."""
        content = [slot for slot in slots if not slot.preparation] or slots
        # Numbers ("70 %", "0,1 %") rank the foods the words find; they find none themselves.
        content = [slot for slot in content if not slot.word[:1].isdigit()] or content
        totals: dict[int, float] = {}
        for slot in content:
            best: dict[int, float] = {}
            for term, quality in slot.accepts.items():
                for postings, where in (
                    (self._table.postings, _AWAY_FROM_HEAD),
                    (self._table.head_postings, 1.0),
                ):
                    value = quality * where
                    for number in memoryview(postings.get(term, b"")).cast("H"):
                        if best.get(number, 0.0) < value:
                            best[number] = value
            for number, value in best.items():
                totals[number] = totals.get(number, 0.0) + value * slot.weight
        if not totals:
            return []
        floor = max(totals.values()) * 0.5
        return heapq.nlargest(
            _CANDIDATES,
            (number for number, total in totals.items() if total >= floor),
            key=lambda number: (totals[number], -self._length(number)),
        )

    def _length(self, number: int) -> int:
        return len(self._parse(number)[0])

    def _parse(self, number: int) -> tuple[list[str], list[int]]:
        parsed = self._parsed.get(number)
        if parsed is None:
            parsed = self._parsed[number] = decode_terms(self._table.terms[number])
        return parsed

    # -- scoring ----------------------------------------------------------

    def _score(self, number: int, slots: list[_Slot]) -> float:
        lexicon = self._lexicon
        words, segments = self._parse(number)
        head = [word for word, segment in zip(words, segments, strict=True) if segment == 0]
        # A head of category words only ("Nuts,", "Alcoholic beverage,") names no food.
        category = (
            frozenset(head)
            if head and all(w in lexicon.category or w in lexicon.stop for w in head)
            else None
        )
        name_segments = (0, 1) if category else (0,)

        matched = [False] * len(words)
        found = total = 0.0
        places: list[int | None] = []
        for slot in slots:
            best, place = 0.0, None
            for position, word in enumerate(words):
                quality = slot.accepts.get(word)
                if quality is None:
                    continue
                if position and words[position - 1] in _WITHOUT and not self._negated:
                    continue  # "salted" is not "without salt added"
                matched[position] = True
                segment = segments[position]
                if segment == ASIDE:
                    # a number in an aside details a mix ("45-59% cacao solids 90%")
                    quality *= _NUMBER_IN_ASIDE if word[:1].isdigit() else _IN_ASIDE
                elif segment not in name_segments:
                    quality *= _AWAY_FROM_HEAD
                if quality > best:
                    best, place = quality, position
            start, distance = (None, 0.0) if best else _in_range(slot.word, words, segments)
            if start is not None:
                # "50 %" is in "45- 59%": the range SR28 gives holds the number asked for;
                # "90 %" is nearest "70-85%" when no range holds it
                matched[start] = matched[start + 1] = True
                best = _NUMBER_IN_ASIDE if segments[start] == ASIDE else 1.0
                if distance:
                    best *= _NEAR_RANGE * max(0.0, 1.0 - distance / _RANGE_SPAN)
                place = start
            found += best * slot.weight
            total += slot.weight
            places.append(place)
        coverage = found / total if total else 0.0

        score = 10 * coverage + 1.5 * self._name_share(words, segments, matched, category)
        score += 0.4 * _phrases(places, segments)
        # a query asking for a variant ("lowfat", "2 %") leaves the choice of variant to its words
        plain = not any(slot.word in lexicon.variant or slot.word[:1].isdigit() for slot in slots)
        score -= min(self._extra_words(words, segments, matched, category, plain), 2.5)
        whole_grain = _whole_grain_at(words)  # "whole" here makes a variant, not the whole food
        generic = sum(1 for word in words if word in lexicon.generic) - len(whole_grain)
        score += 0.25 * min(generic, 3)
        if plain and whole_grain and not any(matched[p] for p in whole_grain):
            score -= _VARIANT  # "Bagels, whole grain white" is a variant of a plain bagel
        score += self._preparation_fit(words, segments, matched, slots)
        score += 0.4 * min(self._table.analysed[number], _WELL_ANALYSED) / _WELL_ANALYSED
        score -= self._group_penalty[self._table.group_of[number]]
        if self._table.branded[number]:
            score -= lexicon.brand_penalty
        if math.isnan(self._table.mg[number]):
            score -= _UNKNOWN_MAGNESIUM
        return score

    def _name_share(
        self,
        words: list[str],
        segments: list[int],
        matched: list[bool],
        category: frozenset[str] | None,
    ) -> float:
        """How much of the food's name (its leading segment) the query explains."""
        lexicon = self._lexicon
        name_segments = (0, 1) if category else (0,)
        category_words = category or frozenset()
        ignored = lexicon.stop | lexicon.generic | self._preparation
        if category:
            ignored = ignored | lexicon.qualifier
        name = [
            hit
            for word, segment, hit in zip(words, segments, matched, strict=True)
            if segment in name_segments
            and not (segment == 0 and word in category_words)
            and not (word in category_words and word not in lexicon.derived)
            and word not in ignored
        ]
        return sum(name) / len(name) if name else 1.0

    def _extra_words(
        self,
        words: list[str],
        segments: list[int],
        matched: list[bool],
        category: frozenset[str] | None,
        plain: bool = True,
    ) -> float:
        """What the words the query does not ask for cost (variants too when it asks ``plain``)."""
        lexicon = self._lexicon
        shift = 1 if category else 0
        category_words = category or frozenset()
        cost = 0.0
        aside = 0.0  # an aside in parentheses details the food; its words cost little together
        added = -2  # the segment of a "with ..." naming something added to the food
        for word, segment, hit in zip(words, segments, matched, strict=True):
            if word in _WITH:
                added = segment
            if hit or (segment == 0 and word in category_words) or word in lexicon.stop:
                continue
            if word in self._preparation:
                continue
            in_name = 0 <= segment <= shift
            if in_name and word in category_words and word not in lexicon.derived:
                continue  # "Nuts, cashew nuts": the category said again
            if segment == added and word.isalpha() and word not in lexicon.qualifier:
                cost += _ADDED  # "with raisins and spice": an ingredient not asked for
            if word in lexicon.unlike or (in_name and word in lexicon.derived):
                cost += 0.8
            elif plain and word in lexicon.variant and segment != ASIDE:
                cost += _VARIANT
            elif word in lexicon.qualifier or word in lexicon.generic or not word.isalpha():
                cost += 0.05 if in_name else 0.0
            elif segment == shift + 1 and word in lexicon.derived:
                cost += 0.5
            elif segment == ASIDE:
                aside += _extra_cost(segment)
            else:
                cost += _extra_cost(segment - shift)
        return cost + min(aside, _ASIDE_COST)

    def _preparation_fit(
        self, words: list[str], segments: list[int], matched: list[bool], slots: list[_Slot]
    ) -> float:
        """Reward a food prepared the way the query asks (raw when it asks nothing)."""
        lexicon = self._lexicon
        asked = {slot.word for slot in slots} & self._preparation
        wants_cooked = bool(asked & lexicon.cooking)
        wants_natural = bool(asked & lexicon.natural)
        is_cooked = any(word in lexicon.cooking for word in words)
        is_natural = any(word in lexicon.natural for word in words)
        processed = 0
        for position, word in enumerate(words):
            if word not in lexicon.processing or matched[position] or segments[position] == ASIDE:
                continue
            if position and words[position - 1] in _WITHOUT:
                continue  # "not sweetened" is the plain food
            following = words[position + 1 : position + 3]
            if following[:1] and (following[0] in lexicon.cooking or following[0] in _MADE_UP):
                continue  # "dry roasted" is a way of roasting; "powder, prepared" is the drink
            if following == ["or", "bottled"]:
                continue  # "canned or bottled": how a drink is sold, not a processed food
            processed += 1
        fit = -0.3 * min(processed, 3)
        if not {"salt", "salted"} & asked and _salted(words):
            fit -= 0.2
        if wants_cooked:
            fit -= 1.5 if is_natural else 0.0
        elif wants_natural:
            fit -= 1.5 if is_cooked else 0.0
        elif is_natural or not (is_cooked or processed):
            fit += 0.5
        elif is_cooked:
            fit -= 0.4
        return fit


_GRAIN = frozenset({"grain", "wheat"})


def _whole_grain_at(words: list[str]) -> list[int]:
    """Positions of "whole" that begins "whole grain" or "whole wheat"."""
    return [p for p, word in enumerate(words[:-1]) if word == "whole" and words[p + 1] in _GRAIN]


def _number(word: str) -> float | None:
    try:
        return float(word) if word[:1].isdigit() else None
    except ValueError:
        return None


def _in_range(word: str, words: list[str], segments: list[int]) -> tuple[int | None, float]:
    """Where a range of two numbers ("45-59") holding the number ``word`` begins,
    else the nearest such range and how far the number lies outside it."""
    asked = _number(word)
    if asked is None:
        return None, 0.0
    nearest: tuple[int | None, float] = (None, 0.0)
    for position, (low, high) in enumerate(itertools.pairwise(words)):
        first, last = _number(low), _number(high)
        if first is None or last is None or segments[position] != segments[position + 1]:
            continue
        if first < asked < last:
            return position, 0.0
        if first < last:
            distance = first - asked if asked <= first else asked - last
            if nearest[0] is None or distance < nearest[1]:
                nearest = (position, distance)
    return nearest if nearest[1] < _RANGE_SPAN else (None, 0.0)


def _phrases(places: list[int | None], segments: list[int]) -> int:
    """Query words found side by side, in order, within one segment."""
    return sum(
        1
        for first, second in itertools.pairwise(places)
        if first is not None
        and second is not None
        and second == first + 1
        and segments[first] == segments[second]
    )


def _salted(words: list[str]) -> bool:
    """Whether SR28 says salt was added ("with salt", "salt added", "salted")."""
    return "salted" in words or any(
        word == "salt" and words[position - 1] != "without"
        for position, word in enumerate(words)
        if position
    )
