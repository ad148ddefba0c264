"""Benchmark cohort mode: 10 million food rows for 100,000 people.

Generates the cohort reproducibly (fixed seed, real SR28 NDB numbers) as Parquet
in a temporary directory, then runs each contender in its own process, the
contenders taking turns in each round, and reports the medians of wall time, CPU
time and peak memory (the process's maximum resident set), and the ratio of the
hand-written query's wall time to magwise's:

- ``magwise cohort assess`` with DuckDB (the whole assessment, all outputs)
- a hand-written DuckDB query computing only each person's mean food intake
- the same per-person intake in straightforward pandas
- ``magwise cohort assess --engine dask`` (a local cluster of worker processes)
- with ``--scheduler ADDRESS``: ``magwise cohort assess --engine dask --scheduler ADDRESS``
  (a running Dask cluster, e.g. ``dask scheduler`` and ``dask worker`` on this machine)

Run from the repository root (the food index is built first if missing):

    .venv/bin/python bench/bench_cohort.py [--rows 10000000] [--people 100000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from magwise import load_foods

SEED = 20261102
TABLES = ("people", "foods", "supplements", "water", "labs")
PYTHON = sys.executable
MAGWISE = str(Path(sys.executable).parent / "magwise")
FORMS = ["citrate", "oxide", "magnesium bisglycinate", "chloride hexahydrate", "topical"]


def generate(where: Path, rows: int, people: int) -> dict[str, Path]:
    """A cohort of ``people`` with ``rows`` food entries over 7 days each."""
    rng = np.random.default_rng(SEED)
    ndbs = np.array([food.ndb for food in load_foods()])
    ids = np.arange(1, people + 1, dtype=np.int64)
    sex = rng.choice(["female", "male"], people)
    age = rng.integers(1, 91, people).astype(np.float64)
    fertile = (sex == "female") & (age >= 18) & (age <= 45)
    pregnant = fertile & (rng.random(people) < 0.04)
    lactating = fertile & ~pregnant & (rng.random(people) < 0.03)
    conditions = np.where(rng.random(people) < 0.02, "kidney_disease", "")
    pq.write_table(
        pa.table(
            {
                "person_id": ids,
                "sex": sex,
                "age_years": age,
                "pregnant": pregnant,
                "lactating": lactating,
                "conditions": conditions,
            }
        ),
        where / "people.parquet",
    )
    start = np.datetime64("2026-01-05")
    who = rng.integers(1, people + 1, rows)
    day = rng.integers(0, 7, rows)
    pq.write_table(
        pa.table(
            {
                "person_id": who,
                "date": (start + day).astype("datetime64[D]"),
                "ndb": ndbs[rng.integers(0, len(ndbs), rows)],
                "grams": rng.integers(5, 400, rows).astype(np.float64),
            }
        ),
        where / "foods.parquet",
        row_group_size=1_000_000,
    )
    takers = ids[rng.random(people) < 0.3]
    n = len(takers) * 7
    pq.write_table(
        pa.table(
            {
                "person_id": np.repeat(takers, 7),
                "date": (start + np.tile(np.arange(7), len(takers))).astype("datetime64[D]"),
                "form": np.repeat(rng.choice(FORMS, len(takers)), 7),
                "elemental_mg": np.repeat(rng.choice([100.0, 150.0, 200.0, 300.0], len(takers)), 7),
                "compound_mg": pa.nulls(n, pa.float64()),
            }
        ),
        where / "supplements.parquet",
    )
    drinkers = ids[rng.random(people) < 0.5]
    pq.write_table(
        pa.table(
            {
                "person_id": np.repeat(drinkers, 7),
                "date": (start + np.tile(np.arange(7), len(drinkers))).astype("datetime64[D]"),
                "liters": np.round(rng.uniform(0.5, 2.0, len(drinkers) * 7), 2),
                "mg_per_liter": np.repeat(rng.integers(2, 120, len(drinkers)), 7).astype(float),
            }
        ),
        where / "water.parquet",
    )
    tested = ids[rng.random(people) < 0.1]
    pq.write_table(
        pa.table(
            {
                "person_id": tested,
                "date": np.full(len(tested), np.datetime64("2026-01-10", "D")),
                "value": np.round(rng.normal(0.85, 0.1, len(tested)).clip(0.4, 1.6), 2),
                "unit": np.full(len(tested), "mmol/L"),
            }
        ),
        where / "labs.parquet",
    )
    return {name: where / f"{name}.parquet" for name in TABLES}


# mg per 100 g of every SR28 food, from the food index (None: not in SR28)
NUTRIENTS = """
from magwise import load_foods
foods = load_foods()
ndb = [f.ndb for f in foods]
mg = [f.mg_per_100g for f in foods]
"""

# DuckDB reads the nutrients as NumPy columns (NaN is NULL): pyarrow imports pandas
# on the first array it builds, which would cost this query a fifth of its time
HAND_WRITTEN = (
    NUTRIENTS
    + """
import duckdb
import numpy as np
con = duckdb.connect()
con.register("nutrients", {
    "ndb": np.array(ndb, dtype=object),
    "mg": np.array([np.nan if v is None else v for v in mg]),
})
con.sql('''
    COPY (
        WITH day AS (
            SELECT person_id, date, sum(grams * mg / 100) AS mg
            FROM read_parquet('{foods}') JOIN nutrients USING (ndb)
            GROUP BY person_id, date
        )
        SELECT person_id, sum(mg) / count(*) AS food_mg FROM day GROUP BY person_id
    ) TO '{out}' (FORMAT parquet)
''')
"""
)

PANDAS = (
    NUTRIENTS
    + """
import pandas as pd
rows = pd.read_parquet('{foods}')
rows = rows.merge(pd.DataFrame({"ndb": ndb, "mg": mg}), on="ndb", how="left")
rows["mg"] = rows["grams"] * rows["mg"] / 100
day = rows.groupby(["person_id", "date"], as_index=False)["mg"].sum()
person = day.groupby("person_id")["mg"].agg(["sum", "count"])
(person["sum"] / person["count"]).rename("food_mg").reset_index().to_parquet('{out}')
"""
)


def fill(script: str, foods: Path, out: str) -> str:
    return script.replace("{foods}", str(foods)).replace("{out}", out)


def measure(label: str, command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MB) of one process.

    The benchmark's own process stays small (the data are generated in a child),
    so a child's peak is its own, not what it inherited at fork.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{label} failed with status {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each (the median is shown)")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--scheduler", help="also run on the Dask cluster of this scheduler")
    parser.add_argument(
        "--data",
        type=Path,
        help="keep the generated cohort in this directory and reuse it on later runs "
        "(generated there if it holds no foods.parquet)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="magwise-cohort-bench-") as tmp:
        where = Path(tmp)
        data = args.data or where
        files = {n: data / f"{n}.parquet" for n in TABLES}
        if files["foods"].exists():
            print(f"reusing the cohort in {data} ({files['foods'].stat().st_size / 1e6:.0f} MB "
                  "Parquet; --rows and --people are those it was made with)")  # fmt: skip
        else:
            data.mkdir(parents=True, exist_ok=True)
            began = time.perf_counter()
            make = (
                f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                f"from pathlib import Path; from bench_cohort import generate; "
                f"generate(Path({str(data)!r}), {args.rows}, {args.people})"
            )
            subprocess.run([PYTHON, "-c", make], check=True)
            print(
                f"generated {args.rows:,} food rows for {args.people:,} people "
                f"in {time.perf_counter() - began:.1f} s "
                f"({files['foods'].stat().st_size / 1e6:.0f} MB Parquet)"
            )
        inputs = [
            "--people", str(files["people"]), "--foods", str(files["foods"]),
            "--supplements", str(files["supplements"]), "--water", str(files["water"]),
            "--labs", str(files["labs"]),
        ]  # fmt: skip
        out = str(where / "out.parquet")
        contenders = [
            ("magwise cohort (DuckDB, whole assessment)",
             [MAGWISE, "cohort", "assess", *inputs, "--quiet", "--out", str(where / "duck")]),
            ("hand-written DuckDB query (food intake only)",
             [PYTHON, "-c", fill(HAND_WRITTEN, files["foods"], out)]),
            ("pandas (food intake only)",
             [PYTHON, "-c", fill(PANDAS, files["foods"], out)]),
        ]  # fmt: skip
        if args.skip_pandas:
            contenders.pop()
        if not args.skip_dask:
            contenders.append(
                ("magwise cohort --engine dask (local)",
                 [MAGWISE, "cohort", "assess", *inputs, "--engine", "dask", "--quiet",
                  "--out", str(where / "dask")])
            )  # fmt: skip
        if args.scheduler:
            contenders.append(
                (f"magwise cohort --engine dask ({args.scheduler})",
                 [MAGWISE, "cohort", "assess", *inputs, "--engine", "dask", "--quiet",
                  "--scheduler", args.scheduler, "--out", str(where / "distributed")])
            )  # fmt: skip
        print(f"Python {platform.python_version()} on {platform.machine()}, "
              f"{os.cpu_count()} CPUs; median of {args.runs} rounds, the contenders "
              "taking turns in each round")  # fmt: skip
        # the contenders take turns, so a busy spell of the machine hits them alike
        runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in contenders}
        for _ in range(args.runs):
            for label, command in contenders:
                runs[label].append(measure(label, command))
        print(f"| {'contender':<46} | wall (s) | CPU (s) | peak memory (MB) |")
        print(f"|{'-' * 48}|---------:|--------:|-----------------:|")
        for label, _ in contenders:
            wall, cpu, memory = (statistics.median(r[i] for r in runs[label]) for i in range(3))
            print(f"| {label:<46} | {wall:8.2f} | {cpu:7.2f} | {memory:16.0f} |", flush=True)
        magwise, hand = (runs[label] for label, _ in contenders[:2])
        walls = [statistics.median(r[0] for r in rs) for rs in (magwise, hand)]
        cpus = [statistics.median(r[1] for r in rs) for rs in (magwise, hand)]
        peaks = [statistics.median(r[2] for r in rs) for rs in (magwise, hand)]
        pairs = ", ".join(f"{h[0] / m[0]:.2f}" for m, h in zip(magwise, hand, strict=True))
        print(
            f"hand-written / magwise: wall {walls[1] / walls[0]:.2f} (each round: {pairs}), "
            f"CPU {cpus[1] / cpus[0]:.2f}; peak memory magwise / hand-written "
            f"{peaks[0] / peaks[1]:.2f} (magwise at most {max(m[2] for m in magwise):.0f} MB)"
        )


if __name__ == "__main__":
    main()
