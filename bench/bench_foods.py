"""Benchmark the food database: index build, index load, search latency and quality
in English and German, cold CLI (`magwise foods search`, `magwise log food`).

Run from the repository root:

    .venv/bin/python bench/bench_foods.py
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from magwise.foods import FoodIndex

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "food_search_eval.toml"
EVAL_DE = ROOT / "tests" / "data" / "food_search_eval_de.toml"
HELDOUT = ROOT / "tests" / "data" / "food_search_heldout_en.toml"
HELDOUT_DE = ROOT / "tests" / "data" / "food_search_heldout_de.toml"
HELDOUT2 = ROOT / "tests" / "data" / "food_search_heldout2_en.toml"
HELDOUT2_DE = ROOT / "tests" / "data" / "food_search_heldout2_de.toml"
MAGWISE = Path(sys.executable).parent / "magwise"
BUILD_RUNS, LOAD_RUNS, SEARCH_ROUNDS, CLI_RUNS = 3, 20, 10, 10

_BUILD = """
import sys, time
from pathlib import Path
from magwise.foods import FoodIndex
start = time.perf_counter()
FoodIndex.load(Path(sys.argv[1]) / "foods.marshal")
print(time.perf_counter() - start)
"""


def build_seconds() -> list[float]:
    """A first build in a fresh process and a fresh directory, each run."""
    runs = []
    for _ in range(BUILD_RUNS):
        with tempfile.TemporaryDirectory() as directory:
            output = subprocess.run(
                [sys.executable, "-c", _BUILD, directory],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(float(output))
    return runs


def load_seconds(path: Path) -> list[float]:
    runs = []
    for _ in range(LOAD_RUNS):
        start = time.perf_counter()
        FoodIndex.load(path)
        runs.append(time.perf_counter() - start)
    return runs


def search_seconds(path: Path, queries: list[str]) -> tuple[float, list[float], list[float]]:
    """The first search (which reads the search vocabulary) and every later one,
    as wall time and as the process's CPU time (which other processes on a
    shared machine do not inflate)."""
    index = FoodIndex.load(path)
    start = time.perf_counter()
    index.search(queries[0])
    first = time.perf_counter() - start
    for query in queries:  # each query once, so its first reading is not timed
        index.search(query)
    runs, cpu = [], []
    for _ in range(SEARCH_ROUNDS):
        for query in queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            index.search(query)
            cpu.append(time.process_time() - start_cpu)
            runs.append(time.perf_counter() - start)
    return first, runs, cpu


def rates(path: Path, entries: list[dict[str, object]], lang: str) -> tuple[float, float]:
    """Top-1 and top-3 hit rates of magwise's search on an evaluation set."""
    index = FoodIndex.load(path)
    top1 = top3 = 0
    for entry in entries:
        found = [hit.food.ndb for hit in index.search(str(entry["text"]), 3, lang)]  # type: ignore[arg-type]
        wanted = set(entry["ndb"])  # type: ignore[arg-type]
        top1 += bool(found[:1] and found[0] in wanted)
        top3 += bool(wanted & set(found))
    return top1 / len(entries), top3 / len(entries)


def cli_seconds(data_dir: Path, *args: str) -> list[float]:
    environment = {**os.environ, "MAGWISE_DATA_DIR": str(data_dir)}
    runs = []
    for _ in range(CLI_RUNS):
        start = time.perf_counter()
        subprocess.run(
            [str(MAGWISE), *args],
            check=True,
            capture_output=True,
            env=environment,
        )
        runs.append(time.perf_counter() - start)
    return runs


def python_seconds() -> list[float]:
    """A bare Python start on the same machine: the yardstick for the CLI's wall times."""
    runs = []
    for _ in range(CLI_RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    return runs


def fts5_baseline(path: Path, entries: list[dict[str, object]]) -> tuple[float, float]:
    """Top-1 and top-3 hit rates of plain SQLite FTS5 with bm25 on the same queries."""
    import re
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE food USING fts5(ndb UNINDEXED, description)")
    db.executemany(
        "INSERT INTO food VALUES (?, ?)",
        ((food.ndb, food.description) for food in FoodIndex.load(path)),
    )
    top1 = top3 = 0
    for entry in entries:
        words = re.findall(r"[a-z0-9]+", str(entry["text"]).lower())
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute(
            "SELECT ndb FROM food WHERE food MATCH ? ORDER BY bm25(food) LIMIT 3", (match,)
        ).fetchall()
        found = [r[0] for r in rows]
        wanted = set(entry["ndb"])  # type: ignore[arg-type]
        top1 += bool(found[:1] and found[0] in wanted)
        top3 += bool(wanted & set(found))
    db.close()
    return top1 / len(entries), top3 / len(entries)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    entries = tomllib.loads(EVAL.read_text())["query"]
    queries = [entry["text"] for entry in entries]
    german = tomllib.loads(EVAL_DE.read_text(encoding="utf-8"))["query"]
    german_queries = [entry["text"] for entry in german]
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        path = data_dir / f"foods-sr28-v{_format_version()}.marshal"
        builds = build_seconds()
        FoodIndex.load(path)
        loads = load_seconds(path)
        first, searches, searches_cpu = search_seconds(path, queries)
        _, german_searches, german_cpu = search_seconds(path, german_queries)
        table = cli_seconds(data_dir, "foods", "search", "hemp", "seeds")
        as_json = cli_seconds(data_dir, "foods", "search", "hemp", "seeds", "--json")
        german_table = cli_seconds(data_dir, "foods", "search", "Kürbiskerne", "--lang", "de")
        log_food = cli_seconds(data_dir, "log", "food", "Kürbiskerne", "30g")
        bare = statistics.median(python_seconds())
        english_rates = rates(path, entries, "en")
        german_rates = rates(path, german, "de")
        heldout = tomllib.loads(HELDOUT.read_text(encoding="utf-8"))["query"]
        heldout_de = tomllib.loads(HELDOUT_DE.read_text(encoding="utf-8"))["query"]
        heldout_rates = rates(path, heldout, "en")
        heldout_de_rates = rates(path, heldout_de, "de")
        heldout2 = tomllib.loads(HELDOUT2.read_text(encoding="utf-8"))["query"]
        heldout2_de = tomllib.loads(HELDOUT2_DE.read_text(encoding="utf-8"))["query"]
        heldout2_rates = rates(path, heldout2, "en")
        heldout2_de_rates = rates(path, heldout2_de, "de")
        size = path.stat().st_size
        fts1, fts3 = fts5_baseline(path, entries)

    ms = 1000
    rows = [
        (
            "Build the index (cold, fresh process)",
            f"{statistics.median(builds):.2f} s",
            f"median of {BUILD_RUNS}",
        ),
        ("Index file size", f"{size / 1e6:.1f} MB", ""),
        ("Load the index", f"{statistics.median(loads) * ms:.1f} ms", f"median of {LOAD_RUNS}"),
        ("First search (reads both lexicons, the German table)", f"{first * ms:.1f} ms", "once"),
        (
            "Search, median",
            f"{statistics.median(searches) * ms:.2f} ms",
            f"{len(queries)} queries x {SEARCH_ROUNDS}",
        ),
        ("Search, p99", f"{percentile(searches, 0.99) * ms:.2f} ms", ""),
        (
            "Search, CPU time median / p99",
            f"{statistics.median(searches_cpu) * ms:.2f} / "
            f"{percentile(searches_cpu, 0.99) * ms:.2f} ms",
            "the same runs",
        ),
        (
            "German search, median",
            f"{statistics.median(german_searches) * ms:.2f} ms",
            f"{len(german_queries)} queries x {SEARCH_ROUNDS}",
        ),
        ("German search, p99", f"{percentile(german_searches, 0.99) * ms:.2f} ms", ""),
        (
            "German search, CPU time median / p99",
            f"{statistics.median(german_cpu) * ms:.2f} / "
            f"{percentile(german_cpu, 0.99) * ms:.2f} ms",
            "the same runs",
        ),
        (
            "English eval set, top-1 / top-3",
            f"{english_rates[0]:.1%} / {english_rates[1]:.1%}",
            f"{len(queries)} queries",
        ),
        (
            "German eval set, top-1 / top-3",
            f"{german_rates[0]:.1%} / {german_rates[1]:.1%}",
            f"{len(german_queries)} queries",
        ),
        (
            "Held-out English set, top-1 / top-3",
            f"{heldout_rates[0]:.1%} / {heldout_rates[1]:.1%}",
            f"{len(heldout)} queries",
        ),
        (
            "Held-out German set, top-1 / top-3",
            f"{heldout_de_rates[0]:.1%} / {heldout_de_rates[1]:.1%}",
            f"{len(heldout_de)} queries",
        ),
        (
            "Second held-out English set, top-1 / top-3",
            f"{heldout2_rates[0]:.1%} / {heldout2_rates[1]:.1%}",
            f"{len(heldout2)} queries",
        ),
        (
            "Second held-out German set, top-1 / top-3",
            f"{heldout2_de_rates[0]:.1%} / {heldout2_de_rates[1]:.1%}",
            f"{len(heldout2_de)} queries",
        ),
        (
            "`magwise foods search Kürbiskerne --lang de` (table)",
            f"{statistics.median(german_table):.3f} s",
            f"wall, median of {CLI_RUNS}",
        ),
        (
            "`magwise log food Kürbiskerne 30g`",
            f"{statistics.median(log_food):.3f} s",
            f"wall, median of {CLI_RUNS}",
        ),
        (
            "Bare Python start (`python -c pass`), the yardstick",
            f"{bare:.3f} s",
            f"wall, median of {CLI_RUNS}",
        ),
        (
            "Cold CLI / bare Python start: German search, log food",
            f"{statistics.median(german_table) / bare:.1f} x / "
            f"{statistics.median(log_food) / bare:.1f} x",
            "ratio of medians",
        ),
        (
            "`magwise foods search hemp seeds` (table)",
            f"{statistics.median(table):.3f} s",
            f"wall, median of {CLI_RUNS}",
        ),
        (
            "`magwise foods search hemp seeds --json`",
            f"{statistics.median(as_json):.3f} s",
            f"wall, median of {CLI_RUNS}",
        ),
    ]
    rows.append(
        (
            "Plain SQLite FTS5 + bm25 on the same queries, top-1 / top-3",
            f"{fts1:.1%} / {fts3:.1%}",
            f"{len(queries)} queries",
        )
    )
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print("| Measure | Result | Runs |")
    print("|---|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _format_version() -> int:
    from magwise.foods._store import FORMAT_VERSION

    return FORMAT_VERSION


if __name__ == "__main__":
    main()
