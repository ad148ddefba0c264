"""Cohort mode on partitioned inputs and a real Dask cluster (scheduler and worker processes)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from magwise.cohort import _dask, assess_cohort
from magwise.errors import InputError
from magwise.foods import FoodIndex

BIN = Path(sys.executable).parent
TABLES = ("people", "foods", "supplements", "water", "labs")


def cohort(food_index: FoodIndex, people: int = 300, rows: int = 6000) -> dict[str, pa.Table]:
    """A cohort with some rows of every kind of problem (fixed seed)."""
    rng = np.random.default_rng(15)
    ndbs = np.array([food.ndb for food in food_index])[:400]
    ids = np.arange(1, people + 1)
    sex = rng.choice(["female", "male"], people)
    pregnant = np.where((sex == "female") & (rng.random(people) < 0.1), "true", "")
    pregnant[rng.random(people) < 0.1] = " "  # blanks: not pregnant
    who = rng.integers(1, people + 11, rows)  # some people who are not in the people table
    grams = rng.integers(1, 400, rows).astype(float)
    grams[rng.random(rows) < 0.01] = -5.0
    ndb = ndbs[rng.integers(0, len(ndbs), rows)]
    ndb[rng.random(rows) < 0.01] = "99999"
    day = np.datetime64("2026-01-05") + rng.integers(0, 7, rows)
    takers = ids[rng.random(people) < 0.3]
    drinkers = ids[rng.random(people) < 0.4]
    tested = ids[rng.random(people) < 0.2]
    return {
        "people": pa.table(
            {
                "person_id": ids,
                "sex": sex,
                "age_years": rng.integers(1, 90, people).astype(float),
                "pregnant": pregnant,
            }
        ),
        "foods": pa.table(
            {
                "person_id": who,
                "date": day.astype("datetime64[D]"),
                "ndb": ndb,
                "grams": grams,
            }
        ),
        "supplements": pa.table(
            {
                "person_id": takers,
                "date": np.full(len(takers), np.datetime64("2026-01-05", "D")),
                "form": rng.choice(["citrate", "oxide", "topical"], len(takers)),
                "elemental_mg": rng.choice([100.0, 250.0, 400.0], len(takers)),
            }
        ),
        "water": pa.table(
            {
                "person_id": drinkers,
                "date": np.full(len(drinkers), np.datetime64("2026-01-06", "D")),
                "liters": np.round(rng.uniform(0.5, 2.0, len(drinkers)), 2),
                "mg_per_liter": rng.integers(2, 100, len(drinkers)).astype(float),
            }
        ),
        "labs": pa.table(
            {
                "person_id": tested,
                "value": np.round(rng.normal(0.85, 0.15, len(tested)), 2),
                "unit": np.full(len(tested), "mmol/L"),
            }
        ),
    }


def single_files(where: Path, tables: dict[str, pa.Table]) -> dict[str, str]:
    where.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, where / f"{name}.parquet")
    return {name: str(where / f"{name}.parquet") for name in tables}


def partitioned(where: Path, tables: dict[str, pa.Table], fmt: str = "parquet") -> dict[str, str]:
    """Each table in parts: foods in hive directories by week day, the others in three parts."""
    given = {}
    for name, table in tables.items():
        folder = where / name
        if name == "foods" and fmt == "parquet":
            bucket = pa.array(np.arange(table.num_rows) % 3).cast(pa.string())
            for value in ("0", "1", "2"):
                part = folder / f"part={value}"
                part.mkdir(parents=True)
                rows = table.filter(pa.compute.equal(bucket, value))
                pq.write_table(rows, part / "rows.parquet", row_group_size=500)
            given[name] = str(folder)
            continue
        folder.mkdir(parents=True)
        cuts = np.linspace(0, table.num_rows, 4).astype(int)
        for i in range(3):
            rows = table.slice(cuts[i], cuts[i + 1] - cuts[i])
            if fmt == "parquet":
                pq.write_table(rows, folder / f"part-{i}.parquet")
            else:
                pcsv.write_csv(rows, folder / f"part-{i}.csv")
        given[name] = str(folder / f"*.{fmt}") if name == "water" else str(folder)
    return given


def run(files: dict[str, str], food_index: FoodIndex, **kwargs: Any) -> Any:
    return assess_cohort(
        files["people"],
        files["foods"],
        supplements=files["supplements"],
        water=files["water"],
        labs=files["labs"],
        food_index=food_index,
        **kwargs,
    )


def written(result: Any, out: Path) -> dict[str, Any]:
    """What a run wrote: the Parquet tables sorted by person and row, the CSV files' bytes."""
    result.write(out)
    people = pq.read_table(out / "people.parquet").sort_by("person_id")
    bad = pq.read_table(out / "bad_rows.parquet").sort_by(
        [("table", "ascending"), ("row", "ascending")]
    )
    return {
        "people": people,
        "bad_rows": bad,
        "summary": pq.read_table(out / "summary.parquet"),
        "bad_rows.csv": (out / "bad_rows.csv").read_bytes(),
        "summary.csv": (out / "summary.csv").read_bytes(),
    }


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    for name, mine in a.items():
        assert mine == b[name] if isinstance(mine, bytes) else mine.equals(b[name]), name


# -- inputs ------------------------------------------------------------------------------------
def test_directories_and_globs_give_the_single_files_result(
    tmp_path: Path, food_index: FoodIndex
) -> None:
    tables = cohort(food_index)
    whole = written(run(single_files(tmp_path / "one", tables), food_index), tmp_path / "o1")
    assert whole["bad_rows"].num_rows > 100  # the planted problems are there
    parts = written(run(partitioned(tmp_path / "parts", tables), food_index), tmp_path / "o2")
    # the file column names the input as given and rows count through the parts, in
    # their order (the foods' hive directories hold every third row): the rest is the same
    problems = ["table", "person_id", "column", "value", "reason"]
    assert sorted(whole.pop("bad_rows").select(problems).to_pylist(), key=str) == sorted(
        parts.pop("bad_rows").select(problems).to_pylist(), key=str
    )
    assert parts.pop("bad_rows.csv") != whole.pop("bad_rows.csv")
    assert_same(whole, parts)


def test_csv_parts_give_the_parquet_result(tmp_path: Path, food_index: FoodIndex) -> None:
    tables = cohort(food_index, people=80, rows=900)
    parquet = run(single_files(tmp_path / "one", tables), food_index)
    csv = run(partitioned(tmp_path / "csv", tables, "csv"), food_index)
    assert parquet.people.equals(csv.people)
    assert parquet.summary.equals(csv.summary)


def test_row_numbers_count_through_the_parts(tmp_path: Path, food_index: FoodIndex) -> None:
    tables = cohort(food_index, people=20, rows=30)
    files = partitioned(tmp_path, tables, "csv")
    bad = run(files, food_index).bad_rows.filter(
        pa.compute.equal(pa.compute.field("table"), "foods")
    )
    rows = tables["foods"].to_pylist()
    for row in bad.to_pylist():  # the row reported is the row of the table read part by part
        assert str(rows[row["row"] - 1]["person_id"]) == row["person_id"]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_empty_and_blank_booleans_are_false(
    fmt: str, tmp_path: Path, food_index: FoodIndex
) -> None:
    people = pa.table(
        {
            "person_id": [1, 2, 3, 4],
            "sex": ["female", "female", "male", "female"],
            "age_years": [30.0, 30.0, 30.0, 30.0],
            "pregnant": ["", "  ", "", "true"],
            "lactating": [" ", "", "", ""],
        }
    )
    foods = pa.table({"person_id": [1], "date": ["2026-01-01"], "ndb": ["11457"], "grams": [1.0]})
    for name, table in (("people", people), ("foods", foods)):
        if fmt == "parquet":
            pq.write_table(table, tmp_path / f"{name}.parquet")
        else:
            pcsv.write_csv(table, tmp_path / f"{name}.csv")
    result = assess_cohort(
        tmp_path / f"people.{fmt}", tmp_path / f"foods.{fmt}", food_index=food_index
    )
    assert result.bad_rows.num_rows == 0
    assert result.people.column("state").to_pylist() == ["none", "none", "none", "pregnant"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("nowhere", "people input nowhere: no such file or directory"),
        ("nowhere.parquet", "people input nowhere.parquet: no such file"),
        ("empty", "people input empty: no .parquet or .csv files found"),
        ("*.nothing", "no .parquet or .csv files found"),
        ("mixed", "holds both Parquet and CSV files"),
    ],
)
def test_inputs_that_name_no_table(
    given: str, message: str, tmp_path: Path, food_index: FoodIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "mixed").mkdir()
    tables = cohort(food_index, people=5, rows=5)
    pq.write_table(tables["people"], tmp_path / "mixed" / "a.parquet")
    pcsv.write_csv(tables["people"], tmp_path / "mixed" / "b.csv")
    files = single_files(tmp_path, tables)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=message):
        run({**files, "people": given}, food_index)


def test_a_scheduler_needs_the_dask_engine(tmp_path: Path, food_index: FoodIndex) -> None:
    files = single_files(tmp_path, cohort(food_index, people=5, rows=5))
    with pytest.raises(InputError, match="scheduler: a Dask scheduler's address needs the dask"):
        run(files, food_index, scheduler="tcp://127.0.0.1:8786")


# -- lean start -----------------------------------------------------------------------------
def test_duckdb_command_imports_no_dask_pandas_or_web_stack(
    tmp_path: Path, food_index: FoodIndex
) -> None:
    files = partitioned(tmp_path / "in", cohort(food_index))
    args = [
        "cohort", "assess", "--people", files["people"], "--foods", files["foods"],
        "--water", files["water"], "--labs", files["labs"], "--quiet", "--out", str(tmp_path / "o"),
    ]  # fmt: skip
    code = (
        "import sys\nfrom magwise.cli import main\ntry:\n    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "heavy = ('dask', 'distributed', 'pandas', 'fastapi', 'starlette', 'uvicorn', "
        "'jinja2', 'sqlalchemy', 'magwise.web', 'magwise.store', 'weasyprint')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "o" / "people.parquet").is_file()


# -- Dask on real processes -----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Cluster:
    """A ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, torn down at the end."""

    def __init__(self, workers: int, log: Path) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.log = log
        self.processes: list[subprocess.Popen[bytes]] = []
        port = self.address.rsplit(":", 1)[1]
        self._start(
            "scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", port,
                          "--no-dashboard"]
        )  # fmt: skip
        self.workers = [
            self._start(
                f"worker-{i}",
                [
                    str(BIN / "dask"),
                    "worker",
                    self.address,
                    "--host",
                    "127.0.0.1",
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                ],
            )
            for i in range(workers)
        ]
        self.wait_for(workers)

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        with (self.log / f"{name}.log").open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def wait_for(self, workers: int, timeout: float = 60) -> None:
        from distributed import Client

        with Client(self.address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=timeout)

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(2, tmp_path)
    try:
        yield running
    finally:
        running.close()


@pytest.mark.slow
def test_a_real_cluster_gives_the_duckdb_tables(
    cluster: Cluster, tmp_path: Path, food_index: FoodIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_dask, "PIECE_MIN", 700)  # many pieces: a row group in runs of rows
    tables = cohort(food_index)
    files = partitioned(tmp_path / "in", tables)
    duck = written(run(files, food_index), tmp_path / "duck")
    dask = written(run(files, food_index, engine="dask", scheduler=cluster.address), tmp_path / "d")
    assert_same(duck, dask)
    assert all(p.poll() is None for p in cluster.processes)  # both workers did the work


@pytest.mark.slow
def test_a_worker_killed_mid_run(
    cluster: Cluster, tmp_path: Path, food_index: FoodIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scheduler runs the dead worker's tasks again on the other: same tables, or one error."""
    monkeypatch.setattr(_dask, "PIECE_MIN", 300)
    files = partitioned(tmp_path / "in", cohort(food_index, people=400, rows=12000))
    duck = written(run(files, food_index), tmp_path / "duck")
    killed = []

    def progress(stage: str, share: float) -> None:
        if stage == "intake" and share < 1 and not killed:  # the pieces are in memory
            os.kill(cluster.workers[0].pid, signal.SIGKILL)
            killed.append(stage)

    failed = None
    try:
        result = run(files, food_index, engine="dask", scheduler=cluster.address, progress=progress)
    except InputError as exc:  # failing is allowed, cleanly
        failed = str(exc)
    assert killed
    if failed is not None:
        assert "\n" not in failed
        assert failed.startswith("scheduler: ")
        return
    assert cluster.workers[0].wait(timeout=10) == -signal.SIGKILL
    assert_same(duck, written(result, tmp_path / "dask"))


@pytest.mark.slow
def test_unreachable_scheduler_is_one_line_and_writes_nothing(
    tmp_path: Path, food_index: FoodIndex
) -> None:
    files = single_files(tmp_path / "in", cohort(food_index, people=5, rows=5))
    address = f"tcp://127.0.0.1:{_free_port()}"  # nobody listens
    command = [
        str(BIN / "magwise"), "cohort", "assess", "--people", files["people"],
        "--foods", files["foods"], "--engine", "dask", "--scheduler", address, "--quiet",
        "--out", str(tmp_path / "out"),
    ]  # fmt: skip
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith(
        f"magwise: error: scheduler: cannot reach the Dask scheduler at {address}"
    )
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in"]  # no temporary directory left


@pytest.mark.slow
def test_a_file_the_workers_cannot_read(tmp_path: Path, food_index: FoodIndex) -> None:
    """Its footer reads (the client plans with it) but its data pages are damaged."""
    files = single_files(tmp_path / "in", cohort(food_index, people=50, rows=4000))
    foods = Path(files["foods"])
    data = bytearray(foods.read_bytes())
    data[100:4000] = os.urandom(3900)
    foods.write_bytes(bytes(data))
    command = [
        str(BIN / "magwise"), "cohort", "assess", "--people", files["people"],
        "--foods", files["foods"], "--engine", "dask", "--quiet", "--out", str(tmp_path / "out"),
    ]  # fmt: skip
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"magwise: error: input: a Dask worker cannot read {foods}")
    assert not (tmp_path / "out").exists()
