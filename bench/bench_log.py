"""Benchmark the personal log: a year of entries, one cold ``magwise log``, the record.

Builds a year of daily entries (10 foods, 2 supplements, water and one shedding
count a day) in a temporary database, then measures the wall time of a cold
``magwise log food`` (a new process, as a person types it) and of
``Store.record(person)`` for the whole year.

Run from the repository root (the food index is built first if missing):

    .venv/bin/python bench/bench_log.py
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Literal

from magwise import load_foods
from magwise.record import FoodEntry, SheddingEntry, SupplementEntry, WaterEntry
from magwise.store import Store

MAGWISE = Path(sys.executable).parent / "magwise"
CLI_RUNS, RECORD_RUNS, DAYS = 10, 10, 365
FOODS = ["11457", "12061", "20137", "09040", "01077", "08120", "15076", "12014", "16015", "12006"]


def build_year(url: str) -> tuple[int, float]:
    """A year of entries, one transaction a day; (entries, seconds)."""
    foods = load_foods()
    described = {ndb: foods.get(ndb).description for ndb in FOODS}
    start = time.perf_counter()
    entries = 0
    first = dt.date.today() - dt.timedelta(days=DAYS)
    with Store.open(url) as store:
        me = store.local_person()
        for offset in range(DAYS):
            day = first + dt.timedelta(days=offset)
            day_entries = [
                *(
                    FoodEntry(0, day, ndb, 40.0 + 5 * i, None, 1.0, described[ndb])
                    for i, ndb in enumerate(FOODS)
                ),
                SupplementEntry(0, day, "Magnesium citrate 150", "citrate", 150.0, 1.0),
                SupplementEntry(0, day, "Multivitamin", "oxide", 50.0, 1.0),
                WaterEntry(0, day, 1.5, 108.0, "gerolsteiner"),
                SheddingEntry(0, day, 80 + offset % 40, "daily_count"),
            ]
            store.add(me, *day_entries)
            entries += len(day_entries)
    return entries, time.perf_counter() - start


def cold_log(env: dict[str, str], *args: str) -> list[float]:
    runs = []
    for _ in range(CLI_RUNS):
        begin = time.perf_counter()
        subprocess.run(
            [str(MAGWISE), "log", *args],
            check=True,
            capture_output=True,
            env=env,
        )
        runs.append(time.perf_counter() - begin)
    return runs


def record_times(url: str, driver: Literal["sqlite3", "sqlalchemy"]) -> list[float]:
    runs = []
    with Store.open(url, driver=driver) as store:
        me = store.local_person()
        for _ in range(RECORD_RUNS):
            begin = time.perf_counter()
            store.record(me)
            runs.append(time.perf_counter() - begin)
    return runs


def main() -> None:
    load_foods()  # builds the index if it is missing
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'year.sqlite3'}"
        entries, build_seconds = build_year(url)
        env = {**os.environ, "MAGWISE_DATABASE_URL": url}
        log_runs = cold_log(env, "food", "pumpkin seeds", "30g")
        symptom_runs = cold_log(env, "symptom", "cramps")
        record_sqlite = record_times(url, "sqlite3")
        record_engine = record_times(url, "sqlalchemy")
        size = Path(url.removeprefix("sqlite:///")).stat().st_size
    ms = 1000.0
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print("| Measure | Result | Goal | Runs |")
    print("|---|---:|---:|---|")
    print(
        f"| build a year ({entries:,} entries, one transaction a day) | {build_seconds:.2f} s "
        f"| | once |"
    )
    print(f"| database size | {size / 1e6:.1f} MB | | |")
    print(
        f'| cold `magwise log food "pumpkin seeds" 30g` | {statistics.median(log_runs):.3f} s '
        f"| < 0.3 s | wall, median of {CLI_RUNS} |"
    )
    print(
        f"| cold `magwise log symptom cramps` (reads the knowledge base) | "
        f"{statistics.median(symptom_runs):.3f} s | | wall, median of {CLI_RUNS} |"
    )
    print(
        f"| `Store.record(person)`, a year, sqlite3 | "
        f"{statistics.median(record_sqlite) * ms:.1f} ms | | median of {RECORD_RUNS} |"
    )
    print(
        f"| `Store.record(person)`, a year, SQLAlchemy | "
        f"{statistics.median(record_engine) * ms:.1f} ms | | median of {RECORD_RUNS} |"
    )


if __name__ == "__main__":
    main()
