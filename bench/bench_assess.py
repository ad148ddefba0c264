"""Benchmark the advisor core: in-process ``assess`` and a cold ``magwise assess``.

Run from the repository root (the food index is built first if missing):

    .venv/bin/python bench/bench_assess.py
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from magwise import assess, load_foods, parse_case

MAGWISE = Path(sys.executable).parent / "magwise"
ROUNDS, CLI_RUNS = 5000, 15
FOODS = ["11457", "12061", "20137", "09040", "01077", "08120", "15076", "12014", "16015", "12006"]


def seven_day_case() -> dict[str, Any]:
    """A week of ten foods a day, two supplements, water, a serum result, symptoms, hair."""
    return {
        "version": 1,
        "profile": {"sex": "female", "age_years": 34, "medications": ["levothyroxine"]},
        "days": [
            {
                "date": f"2026-11-{day + 1:02d}",
                "foods": [{"food": ndb, "grams": 40 + 5 * i} for i, ndb in enumerate(FOODS)],
                "supplements": [
                    {"form": "citrate", "elemental_mg": 100},
                    {"form": "magnesium oil", "elemental_mg": 50},
                ],
                "water": [{"liters": 1.5, "mg_per_liter": 20}],
            }
            for day in range(7)
        ],
        "labs": [{"test": "serum_magnesium", "value": 0.72, "unit": "mmol/L"}],
        "symptoms": ["muscle_cramps"],
        "hair": {
            "pattern": "diffuse",
            "shedding_per_day": 140,
            "duration_weeks": 10,
            "triggers": [{"kind": "childbirth", "weeks_ago": 12}],
        },
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def in_process(raw: dict[str, Any]) -> tuple[list[float], list[float]]:
    case = parse_case(raw)
    foods = load_foods()
    for _ in range(200):  # warm caches
        assess(case, foods=foods)
    assess_runs, parse_runs = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        assess(case, foods=foods)
        assess_runs.append(time.perf_counter() - start)
    for _ in range(ROUNDS // 5):
        start = time.perf_counter()
        parse_case(raw)
        parse_runs.append(time.perf_counter() - start)
    return assess_runs, parse_runs


def cold(path: Path, *args: str) -> list[float]:
    runs = []
    for _ in range(CLI_RUNS):
        start = time.perf_counter()
        subprocess.run([str(MAGWISE), "assess", str(path), *args], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    return runs


def main() -> None:
    raw = seven_day_case()
    load_foods()  # builds the index if it is missing
    assess_runs, parse_runs = in_process(raw)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "case.json"
        path.write_text(json.dumps(raw), encoding="utf-8")
        cold_json = cold(path, "--json")
        cold_text = cold(path)
    ms = 1000.0
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print("| Measure | Result | Runs |")
    print("|---|---:|---|")
    print(
        f"| assess, 7 days x 10 foods, median | {statistics.median(assess_runs) * ms:.3f} ms "
        f"| {ROUNDS} in one process |"
    )
    print(f"| assess, p99 | {percentile(assess_runs, 0.99) * ms:.3f} ms | |")
    print(
        f"| parse_case (JSON object -> Case), median | "
        f"{statistics.median(parse_runs) * ms:.3f} ms | {ROUNDS // 5} |"
    )
    print(
        f"| cold `magwise assess case.json --json` | {statistics.median(cold_json):.3f} s "
        f"| wall, median of {CLI_RUNS} |"
    )
    print(
        f"| cold `magwise assess case.json` (report) | {statistics.median(cold_text):.3f} s "
        f"| wall, median of {CLI_RUNS} |"
    )


if __name__ == "__main__":
    main()
