"""The food index on disk: one marshal file of flat columns, written atomically.

The file holds a header (magic, format version, SR28 release) and one column
per field: NDB numbers and descriptions as joined text, nutrient values as
packed doubles (NaN where SR28 has no value), search terms per food and the
postings of every term. Loading it takes a few milliseconds; a missing,
corrupt or outdated file is rebuilt from the SR28 files.
"""

from __future__ import annotations

import marshal
import math
import os
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from magwise._datadir import data_dir
from magwise.errors import DataError
from magwise.foods._sr28 import RELEASE, FoodRecord, PortionRecord, Progress, read_sr28
from magwise.foods._text import analyse, is_branded

MAGIC = "magwise-foods"
FORMAT_VERSION = 2

_FIELD, _ITEM = "\x1f", "\x1e"


@dataclass(frozen=True, slots=True)
class FoodTable:
    """Every food as columns; row ``i`` of each column is the ``i``-th food."""

    groups: tuple[str, ...]
    ndbs: list[str]
    descriptions: list[str]
    group_of: bytes
    mg: array[float]
    kcal: array[float]
    portions: list[str]
    terms: list[str]
    branded: bytes
    analysed: bytes
    postings: dict[str, bytes]
    head_postings: dict[str, bytes]

    def __len__(self) -> int:
        return len(self.ndbs)


def default_path() -> Path:
    """Where the food index lives unless told otherwise."""
    return data_dir() / f"foods-{RELEASE.lower()}-v{FORMAT_VERSION}.marshal"


def encode_portions(portions: tuple[PortionRecord, ...]) -> str:
    return _ITEM.join(
        f"{amount!r}{_FIELD}{unit}{_FIELD}{grams!r}" for amount, unit, grams in portions
    )


def decode_portions(text: str) -> list[PortionRecord]:
    """The ``(amount, unit, grams)`` portions of one food's portions column."""
    if not text:
        return []
    decoded = []
    for item in text.split(_ITEM):
        amount, unit, grams = item.split(_FIELD)
        decoded.append((float(amount), unit, float(grams)))
    return decoded


def decode_terms(text: str) -> tuple[list[str], list[int]]:
    """One food's search terms and their segments (see ``_text.analyse``)."""
    words, codes = text.split("\t")
    return words.split(" "), [ord(code) - 98 for code in codes]


def _encode(groups: tuple[str, ...], records: list[FoodRecord]) -> bytes:
    nan = math.nan
    postings: dict[str, array[int]] = {}
    head_postings: dict[str, array[int]] = {}
    terms: list[str] = []
    for number, (_, description, *_) in enumerate(records):
        words, segments = analyse(description)
        terms.append(" ".join(words) + "\t" + "".join(chr(98 + s) for s in segments))
        for word in set(words):
            postings.setdefault(word, array("H")).append(number)
        for word in {w for w, s in zip(words, segments, strict=True) if s in (0, 1)}:
            head_postings.setdefault(word, array("H")).append(number)
    columns = (
        groups,
        "\n".join(r[0] for r in records),
        "\n".join(r[1] for r in records),
        bytes(r[2] for r in records),
        array("d", (nan if r[3] is None else r[3] for r in records)).tobytes(),
        array("d", (nan if r[4] is None else r[4] for r in records)).tobytes(),
        "\n".join(encode_portions(r[5]) for r in records),
        "\n".join(terms),
        bytes(is_branded(r[1]) for r in records),
        bytes(min(r[6], 255) for r in records),
        {word: numbers.tobytes() for word, numbers in postings.items()},
        {word: numbers.tobytes() for word, numbers in head_postings.items()},
    )
    return marshal.dumps((MAGIC, FORMAT_VERSION, RELEASE, columns))


def _decode(payload: bytes) -> FoodTable | None:
    try:
        content: Any = marshal.loads(payload)
        magic, version, release, columns = content
        if (magic, version, release) != (MAGIC, FORMAT_VERSION, RELEASE):
            return None
        (groups, ndbs, descriptions, group_of, mg, kcal, portions, terms) = columns[:8]
        branded, analysed, postings, heads = columns[8:]
        table = FoodTable(
            groups=groups,
            ndbs=ndbs.split("\n"),
            descriptions=descriptions.split("\n"),
            group_of=group_of,
            mg=array("d", mg),
            kcal=array("d", kcal),
            portions=portions.split("\n"),
            terms=terms.split("\n"),
            branded=branded,
            analysed=analysed,
            postings=postings,
            head_postings=heads,
        )
    except (EOFError, ValueError, TypeError, AttributeError):
        return None
    size = len(table.ndbs)
    columns_agree = all(
        len(column) == size
        for column in (table.descriptions, table.group_of, table.mg, table.kcal, table.portions)
    )
    same_size = len(table.terms) == len(table.branded) == len(table.analysed) == size
    if not (size and columns_agree and same_size):
        return None
    if max(table.group_of) >= len(table.groups) or not isinstance(table.head_postings, dict):
        return None
    return table


def build(path: Path, progress: Progress | None = None) -> FoodTable:
    """Read SR28, write the index to ``path`` atomically and return it."""
    payload = _encode(*read_sr28(progress))
    write_atomically(path, payload)
    table = _decode(payload)
    if table is None:  # pragma: no cover - the encoder and decoder disagree
        raise DataError("the food index just built does not read back")
    return table


def read(path: Path) -> FoodTable | None:
    """The index stored at ``path``, or ``None`` when missing, corrupt or outdated."""
    try:
        payload = path.read_bytes()
    except OSError:
        return None
    return _decode(payload)


def write_atomically(path: Path, payload: bytes) -> None:
    import tempfile  # only when something is written: not on a command's way

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DataError(f"cannot write the food index to {path}: {exc}") from exc
