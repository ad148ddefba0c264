"""The same cohort, partitioned, through DuckDB, Dask on a local cluster and Dask on a
running cluster: the tables must be the same, cell for cell once sorted.

Takes the cohort ``bench_cohort.py`` generates (``--data DIR``, made there if
missing), writes its foods as a hive-partitioned directory of Parquet parts
(``bucket=N/part.parquet``, by person id) and its supplements as a glob of parts,
runs ``magwise cohort assess`` with each engine (wall time of each), and
compares people.parquet, bad_rows.parquet and summary.parquet of each run with
DuckDB's, rows sorted.

Run from the repository root, a Dask cluster running (for example
``dask scheduler --port 8793`` and two ``dask worker tcp://127.0.0.1:8793``):

    .venv/bin/python bench/bench_cohort_partitioned.py --data DIR --scheduler tcp://127.0.0.1:8793
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench_cohort import TABLES, generate

MAGWISE = str(Path(sys.executable).parent / "magwise")
OUTPUTS = ("people", "bad_rows", "summary")
BUCKETS = 8


def partition(data: Path, where: Path) -> dict[str, str]:
    """The inputs: foods as a hive-partitioned directory, supplements as a glob of parts."""
    con = duckdb.connect()
    foods = where / "foods"
    con.execute(
        f"COPY (SELECT *, person_id % {BUCKETS} AS bucket FROM '{data / 'foods.parquet'}') "
        f"TO '{foods}' (FORMAT parquet, PARTITION_BY (bucket))"
    )
    parts = where / "supplements"
    parts.mkdir()
    for i in range(2):
        con.execute(
            f"COPY (SELECT * FROM '{data / 'supplements.parquet'}' WHERE person_id % 2 = {i}) "
            f"TO '{parts / f'part-{i}.parquet'}' (FORMAT parquet)"
        )
    inputs = {name: str(data / f"{name}.parquet") for name in TABLES}
    return inputs | {"foods": str(foods), "supplements": str(parts / "part-*.parquet")}


def run(inputs: dict[str, str], out: Path, *engine: str) -> float:
    command = [MAGWISE, "cohort", "assess", "--quiet", "--out", str(out), *engine]
    for name, given in inputs.items():
        command += [f"--{name}", given]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def sorted_rows(path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    return sorted(con.sql(f"SELECT * FROM '{path}'").fetchall(), key=repr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--scheduler", help="also run on the Dask cluster of this scheduler")
    args = parser.parse_args()
    if not (args.data / "foods.parquet").exists():
        args.data.mkdir(parents=True, exist_ok=True)
        generate(args.data, args.rows, args.people)
    with tempfile.TemporaryDirectory(prefix="magwise-partitioned-") as tmp:
        where = Path(tmp)
        inputs = partition(args.data, where)
        engines = {"DuckDB": [], "Dask, local cluster": ["--engine", "dask"]}
        if args.scheduler:
            engines[f"Dask, {args.scheduler}"] = ["--engine", "dask", "--scheduler", args.scheduler]
        outs = {label: where / f"out{i}" for i, label in enumerate(engines)}
        for label, engine in engines.items():
            print(f"{label}: {run(inputs, outs[label], *engine):.2f} s", flush=True)
        first = outs["DuckDB"]
        for label, out in outs.items():
            if out == first:
                continue
            for name in OUTPUTS:
                a, b = (sorted_rows(o / f"{name}.parquet") for o in (first, out))
                print(f"{name}.parquet, {label} vs DuckDB: {'same' if a == b else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
