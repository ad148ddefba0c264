"""Benchmark progress verdicts and the report over a year of daily entries.

A year of 10 foods, 2 supplements, water and one shedding count a day: in
process on a PersonRecord, and as cold ``magwise progress`` and ``magwise
report`` commands on a temporary SQLite store filled through ``magwise.store``.

Run from the repository root (the food index is built first if missing):

    .venv/bin/python bench/bench_progress.py
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from magwise.foods import load_foods
from magwise.progress import progress
from magwise.record import (
    FoodEntry,
    PersonRecord,
    PlanEntry,
    ProfileVersion,
    SheddingEntry,
    SupplementEntry,
    WaterEntry,
)
from magwise.report import render_html, render_pdf

MAGWISE = Path(sys.executable).parent / "magwise"
FOODS = ["11457", "12061", "20137", "09040", "01077", "08120", "15076", "12014", "16015", "12006"]
START = dt.date(2025, 11, 3)
DAYS = 365
TODAY = START + dt.timedelta(days=DAYS - 1)


def year() -> PersonRecord:
    rng = random.Random(7)
    foods, supplements, water, shedding = [], [], [], []
    for d in range(DAYS):
        day = START + dt.timedelta(days=d)
        for i, ndb in enumerate(FOODS):
            foods.append(FoodEntry(len(foods) + 1, day, ndb, 40.0 + 5 * i, None, 1, ndb))
        supplements.append(SupplementEntry(2 * d + 1, day, "Citrate 100", "citrate", 100, 1))
        supplements.append(SupplementEntry(2 * d + 2, day, "Glycinate 50", "glycinate", 50, 1))
        water.append(WaterEntry(d + 1, day, 1.5, 100.0))
        count = max(0, round(150 - d * 0.2 + rng.gauss(0, 15)))
        shedding.append(SheddingEntry(d + 1, day, count, "daily_count"))
    profile = ProfileVersion(START, "female", 34, hair_pattern="diffuse")
    return PersonRecord(
        1,
        (profile,),
        foods=tuple(foods),
        supplements=tuple(supplements),
        water=tuple(water),
        shedding=tuple(shedding),
        plans=(PlanEntry(1, START, 150, "citrate"),),
    )


def timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fill_store(url: str, record: PersonRecord) -> None:
    from magwise.store import Store

    with Store.open(url) as store:
        me = store.local_person()
        store.set_profile(me, record.profiles[0])
        store.add(me, *record.foods, *record.supplements, *record.water, *record.shedding)
        plan = record.plans[0]
        store.start_plan(me, plan.started, plan.supplement_mg_per_day, plan.form)


def main() -> None:
    foods = load_foods()
    record = year()
    rows: list[tuple[str, str, str, str]] = []
    t = timed(lambda: progress(record, today=TODAY, foods=foods), 5)
    rows.append(("`progress` in process (365 days)", f"{t * 1000:.0f} ms", "", "median of 5"))
    html = render_html(record, today=TODAY, foods=foods)
    t = timed(lambda: render_html(record, today=TODAY, foods=foods), 5)
    rows.append(("report HTML in process", f"{t * 1000:.0f} ms", "", "median of 5"))
    t = timed(lambda: render_pdf(html), 3)
    rows.append(("report HTML -> PDF (WeasyPrint)", f"{t:.2f} s", "", "median of 3"))

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'year.sqlite3'}"
        try:
            fill_store(url, record)
        except ImportError:
            url = ""
        if url:
            env = {**os.environ, "MAGWISE_DATABASE_URL": url}
            asof = ["--as-of", TODAY.isoformat()]
            commands = {
                "cold `magwise progress --json`": [str(MAGWISE), "progress", "--json", *asof],
                "cold `magwise report --out r.html`": [
                    str(MAGWISE),
                    "report",
                    "--to",
                    TODAY.isoformat(),
                    "--out",
                    f"{tmp}/r.html",
                ],
                "cold `magwise report --out r.pdf`": [
                    str(MAGWISE),
                    "report",
                    "--to",
                    TODAY.isoformat(),
                    "--out",
                    f"{tmp}/r.pdf",
                ],
            }
            goals = {"progress": "< 1 s", "report": "< 3 s"}
            for name, argv in commands.items():

                def run(argv: list[str] = argv) -> None:
                    subprocess.run(argv, env=env, check=True, capture_output=True)

                t = timed(run, 5)
                goal = goals["progress" if "progress" in name else "report"]
                rows.append((name, f"{t:.2f} s", goal, "wall, median of 5"))

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs:\n")
    print("| Measure | Result | Goal | Runs |\n|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
