"""German food names: the table of names for SR28 foods and how German words are folded.

``names_de.toml`` gives German names and synonyms (Austrian and Swiss words
among them) for the SR28 foods people log most; see its header for how it was
made and checked. German words meet on one spelling: lower case, umlauts and
their two-letter spellings folded (``Kürbiskerne``, ``Kuerbiskerne`` and
``Kurbiskerne`` are one word), ``ß`` as ``ss``, and common plural and case
endings removed (``Mandeln``/``Mandel``, ``Nüsse``/``Nuss``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import unicodedata
from array import array
from pathlib import Path
from typing import Any, NamedTuple

from magwise.errors import DataError
from magwise.foods._store import FoodTable, write_atomically
from magwise.foods._text import analyse

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "Ä": "A", "Ö": "O", "Ü": "U"})
_SPELLED = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_ENDINGS = ("enen", "ener", "enes", "ene", "ern", "en", "er", "es", "e", "n")


def fold_text(text: str) -> str:
    """``text`` in lower case with umlauts, their spellings and other accents folded."""
    folded = text.lower().translate(_UMLAUTS)
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    for spelled, vowel in _SPELLED:
        folded = folded.replace(spelled, vowel)
    return folded


def fold_word(word: str) -> str:
    """A folded German word without its plural or case ending."""
    if not word.isalpha():
        return word
    for ending in _ENDINGS:
        if ending == "n" and not word.endswith("ln"):
            continue  # "Mandeln", "Nudeln"; not "Vollkorn", "Zimtstern"
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def strip_accents(text: str) -> str:
    """``text`` without accents and umlaut dots: how an English reading sees a German word."""
    folded = text.translate(_UMLAUTS)
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def analyse_german(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Terms and segments of a German name or query (see ``_text.analyse``)."""
    return analyse(fold_text(text), fold_word)


def german_terms(text: str) -> list[str]:
    """The folded terms of a German text, in order."""
    return list(analyse_german(text)[0])


class GermanNames(NamedTuple):
    """German names by NDB number: the name shown first, then its synonyms."""

    names: dict[str, tuple[str, ...]]

    def name(self, ndb: str) -> str | None:
        """The German name of food ``ndb``; ``None`` when the table has none."""
        found = self.names.get(ndb)
        return found[0] if found else None


def parse_names(content: dict[str, object]) -> GermanNames:
    """Check the parsed contents of ``names_de.toml``."""
    names: dict[str, tuple[str, ...]] = {}
    foods = content.get("food")
    if not isinstance(foods, list):
        raise DataError("names_de.toml: expected [[food]] tables")
    for entry in foods:
        try:
            ndb, name = str(entry["ndb"]), str(entry["de"])
            also = tuple(str(other) for other in entry.get("also", []))
        except (KeyError, TypeError) as exc:
            raise DataError(f"names_de.toml: malformed food entry {entry!r}") from exc
        if ndb in names:
            raise DataError(f"names_de.toml: NDB {ndb} is named twice")
        names[ndb] = (name, *also)
    return GermanNames(names)


def _names_file() -> bytes:
    from importlib.resources import files  # not on the way of a command that needs no names

    return (files("magwise.foods") / "names_de.toml").read_bytes()


@functools.cache
def load_german_names() -> GermanNames:
    """The German name table shipped with magwise."""
    import tomllib  # only where the table is built: not on every start

    return parse_names(tomllib.loads(_names_file().decode("utf-8")))


_CACHE_FORMAT = 4  # raise when the folding or the table changes


def load_german_table(table: FoodTable, directory: Path | None) -> tuple[FoodTable, list[int]]:
    """The German table of ``german_table``, kept beside the food index in ``directory``.

    Reading the name file and cutting every name into terms takes longer than
    a command's search; the result is stored once per version of the name
    file (its digest names the cache file) and read back in milliseconds.
    """
    content = _names_file()
    digest = hashlib.blake2b(content + table.ndbs[-1].encode(), digest_size=8).hexdigest()
    path = None if directory is None else directory / f"foods-de-{_CACHE_FORMAT}-{digest}.marshal"
    if path is not None:
        try:
            cached: Any = marshal.loads(path.read_bytes())
            columns, numbers = cached
            values = dict(zip(_COLUMNS, columns, strict=True))
            values["mg"], values["kcal"] = array("d", values["mg"]), array("d", values["kcal"])
            german = FoodTable(groups=table.groups, **values)
            if len(german.ndbs) == len(numbers) == len(german.terms):
                return german, list(numbers)
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass
    import tomllib

    german, numbers = german_table(table, parse_names(tomllib.loads(content.decode("utf-8"))))
    if path is not None:
        columns = tuple(
            column.tobytes() if isinstance(column, array) else column
            for column in (getattr(german, name) for name in _COLUMNS)
        )
        with contextlib.suppress(DataError):  # a read-only data directory: build each time
            write_atomically(path, marshal.dumps((columns, numbers)))
    return german, numbers


_COLUMNS = (
    "ndbs",
    "descriptions",
    "group_of",
    "mg",
    "kcal",
    "portions",
    "terms",
    "branded",
    "analysed",
    "postings",
    "head_postings",
)


def german_table(table: FoodTable, names: GermanNames) -> tuple[FoodTable, list[int]]:
    """A table with one row per German name of a food, and the food number of each row.

    The rows carry their food's group, magnesium and energy, so the ranker
    treats a German name as it treats the SR28 description.
    """
    number_of = {ndb: number for number, ndb in enumerate(table.ndbs)}
    rows: list[tuple[int, str]] = []
    for ndb, texts in names.names.items():
        number = number_of.get(ndb)
        if number is not None:
            rows.extend((number, text) for text in texts)
    postings: dict[str, array[int]] = {}
    heads: dict[str, array[int]] = {}
    encoded = []
    for row, (_, text) in enumerate(rows):
        words, segments = analyse_german(text)
        encoded.append(" ".join(words) + "\t" + "".join(chr(98 + s) for s in segments))
        for word in set(words):
            postings.setdefault(word, array("H")).append(row)
        for word in {w for w, s in zip(words, segments, strict=True) if s in (0, 1)}:
            heads.setdefault(word, array("H")).append(row)
    numbers = [number for number, _ in rows]
    german = FoodTable(
        groups=table.groups,
        ndbs=[table.ndbs[number] for number in numbers],
        descriptions=[text for _, text in rows],
        group_of=bytes(table.group_of[number] for number in numbers),
        mg=array("d", (table.mg[number] for number in numbers)),
        kcal=array("d", (table.kcal[number] for number in numbers)),
        portions=["" for _ in numbers],
        terms=encoded,
        branded=bytes(len(numbers)),
        analysed=bytes(table.analysed[number] for number in numbers),
        postings={word: rows_.tobytes() for word, rows_ in postings.items()},
        head_postings={word: rows_.tobytes() for word, rows_ in heads.items()},
    )
    return german, numbers
