"""``assess_cohort``: check the tables, sum the intake, apply the rules, summarise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from magwise.advisor._context import FoodSource
from magwise.cohort import _charts, _summary
from magwise.cohort._engine import Inputs, Maps
from magwise.cohort._reference import SEXES, STATES, ReferenceGrid, band_label, reference_grid
from magwise.cohort._rules import People, judge, near_boundary
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge

Engine = Literal["duckdb", "dask"]
ENGINES: tuple[Engine, ...] = ("duckdb", "dask")
Progress = Callable[[str, float], None]

#: the per-person result columns, in order (see docs/cohort.md)
RESULT_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("sex", pa.string()),
        ("age_years", pa.float64()),
        ("state", pa.string()),
        ("age_band", pa.string()),
        ("days", pa.int64()),
        ("food_mg", pa.float64()),
        ("water_mg", pa.float64()),
        ("supplement_mg", pa.float64()),
        ("total_mg", pa.float64()),
        ("target_mg", pa.float64()),
        ("ear_mg", pa.float64()),
        ("supplement_ul_mg", pa.float64()),
        ("serum_mmol_per_l", pa.float64()),
        ("status", pa.string()),
        ("status_basis", pa.string()),
        ("below_target", pa.bool_()),
        ("below_ear", pa.bool_()),
        ("above_ul", pa.bool_()),
        ("refer_to_doctor", pa.bool_()),
        ("urgent", pa.bool_()),
        ("supplement_mg_per_day", pa.float64()),
        ("bad_rows", pa.int64()),
    ]
)

BAD_ROWS_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("table", pa.string()),
        ("row", pa.int64()),
        ("person_id", pa.string()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
    ]
)


class _Engine(Protocol):
    def load(self) -> None: ...
    def sums(self) -> pa.Table: ...
    def exact_sums(self, person_ids: pa.Array) -> pa.Table: ...
    def bad_row_count(self) -> int: ...
    def bad_rows(self) -> pa.Table: ...
    def close(self) -> None: ...


@dataclass
class CohortResult:
    """The per-person results, the bad rows and the summary of one cohort."""

    people: pa.Table
    bad_rows: pa.Table
    summary: pa.Table
    standard: str
    engine: str
    band_order: list[str]
    rechecked: int = 0  # people whose sums were redone in assess's order
    files: list[Path] = field(default_factory=list)

    def write(self, out: Path) -> list[Path]:
        """people.parquet, bad_rows.parquet/.csv, summary.parquet/.csv and two SVG charts."""
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "people.parquet", out / "bad_rows.parquet", out / "bad_rows.csv"]
        pq.write_table(self.people, written[0])
        pq.write_table(self.bad_rows, written[1])
        pcsv.write_csv(self.bad_rows, written[2])
        written += [out / "summary.parquet", out / "summary.csv"]
        pq.write_table(self.summary, written[3])
        pcsv.write_csv(self.summary, written[4])
        charts = {
            "intake_by_group.svg": _charts.intake_by_group(
                self.people, self.band_order, self.standard
            ),
            "intake_vs_target.svg": _charts.intake_vs_target(self.people, self.standard),
        }
        for name, svg in charts.items():
            (out / name).write_text(svg, encoding="utf-8")
            written.append(out / name)
        self.files = written
        return written


def _engine(
    engine: str,
    *,
    inputs: Inputs,
    kb: Knowledge,
    maps: Maps,
    progress: Progress,
    scheduler: str | None,
) -> _Engine:
    if engine == "duckdb":
        from magwise.cohort._duckdb import DuckDBEngine

        return DuckDBEngine(inputs, kb, maps, progress)
    if engine == "dask":
        from magwise.cohort._dask import DaskEngine

        return DaskEngine(inputs, kb, maps, progress, scheduler)
    raise InputError("engine", f"unknown engine {engine!r}; accepted: {', '.join(ENGINES)}")


def _quiet(stage: str, share: float) -> None:
    """The default progress callback: says nothing."""


def assess_cohort(
    people: Path | str,
    foods: Path | str,
    supplements: Path | str | None = None,
    water: Path | str | None = None,
    labs: Path | str | None = None,
    *,
    standard: str | None = None,
    engine: str = "duckdb",
    scheduler: str | None = None,
    progress: Progress | None = None,
    knowledge: Knowledge | None = None,
    food_index: FoodSource | None = None,
) -> CohortResult:
    """Assess every person of a cohort, as ``magwise.assess`` would one by one.

    ``engine`` is ``duckdb`` (one machine, the default) or ``dask`` (local
    processes, or the cluster whose scheduler address ``scheduler`` names).
    ``progress(stage, share)`` is called as the stages advance.
    """
    kb = knowledge or load_knowledge()
    if food_index is None:
        from magwise.foods import load_foods

        food_index = load_foods()
    report = progress or _quiet
    grid = reference_grid(kb, standard)
    inputs = Inputs(
        people=Path(people),
        foods=Path(foods),
        supplements=None if supplements is None else Path(supplements),
        water=None if water is None else Path(water),
        labs=None if labs is None else Path(labs),
    )
    runner = _engine(
        engine,
        inputs=inputs,
        kb=kb,
        maps=Maps(kb, food_index),
        progress=report,
        scheduler=scheduler,
    )
    try:
        report("checking the tables", 0.0)
        runner.load()
        report("checking the tables", 1.0)
        sums = runner.sums()
        folks = _people(sums)
        near = near_boundary(folks, grid, kb)
        rechecked = int(near.sum())
        if rechecked:
            exact = runner.exact_sums(sums.column("person_id").filter(pa.array(near)))
            _replace(folks, sums, exact)
        report("applying the rules", 0.0)
        result = _result(sums, folks, grid, kb)
        report("applying the rules", 1.0)
        bad = runner.bad_rows() if runner.bad_row_count() else BAD_ROWS_SCHEMA.empty_table()
    finally:
        runner.close()
    bands = [band_label(lo, hi) for lo, hi in grid.bands]
    report("summarising", 0.0)
    summary = _summary.summarise(result, bands)
    report("summarising", 1.0)
    return CohortResult(
        people=result,
        bad_rows=bad.cast(BAD_ROWS_SCHEMA),
        summary=summary,
        standard=grid.standard,
        engine=engine,
        band_order=bands,
        rechecked=rechecked,
    )


def _np(table: pa.Table, name: str, dtype: Any) -> Any:
    """A column as a writable NumPy array."""
    return np.array(table.column(name).to_numpy(zero_copy_only=False), dtype=dtype)


def _people(sums: pa.Table) -> People:
    return People(
        sex=_np(sums, "sex", np.int8),
        state=_np(sums, "state", np.int8),
        age_years=_np(sums, "age_years", np.float64),
        contraindicated=_np(sums, "contraindicated", np.bool_),
        raises_mg=_np(sums, "raises_mg", np.bool_),
        days=_np(sums, "days", np.int64),
        food_sum=_np(sums, "food_sum", np.float64),
        water_sum=_np(sums, "water_sum", np.float64),
        supplement_sum=_np(sums, "supplement_sum", np.float64),
        entries=_np(sums, "entries", np.int64),
        supplements_taken=_np(sums, "supplements_taken", np.bool_),
        serum_mmol=_np(sums, "serum_mmol", np.float64),
    )


def _replace(people: People, sums: pa.Table, exact: pa.Table) -> None:
    """Put the sums redone in assess's order in place of the fast ones."""
    where = pc.index_in(exact.column("person_id"), value_set=sums.column("person_id"))
    rows = np.asarray(where.to_numpy(zero_copy_only=False), dtype=np.int64)
    for name in ("food_sum", "water_sum", "supplement_sum"):
        getattr(people, name)[rows] = _np(exact, name, np.float64)


def _result(sums: pa.Table, people: People, grid: ReferenceGrid, kb: Knowledge) -> pa.Table:
    judged = judge(people, grid, kb)
    bands = [band_label(lo, hi) for lo, hi in grid.bands]
    band_index = grid.band(people.age_years)
    bad = _np(sums, "entry_bad", np.int64) + _np(sums, "lab_bad", np.int64)
    columns: dict[str, Any] = {
        "person_id": pc.cast(sums.column("person_id"), pa.string()),
        "sex": np.array(SEXES, dtype=object)[people.sex],
        "age_years": people.age_years,
        "state": np.array(STATES, dtype=object)[people.state],
        "age_band": np.array(bands, dtype=object)[band_index],
        **judged,
        "bad_rows": bad,
    }
    arrays = []
    for f in RESULT_SCHEMA:
        value = columns[f.name]
        if isinstance(value, pa.ChunkedArray | pa.Array):
            arrays.append(value)
            continue
        value = np.asarray(value)
        if value.dtype.kind == "f":
            mask = np.isnan(value)
            if f.type == pa.bool_():
                arrays.append(pa.array(value == 1.0, mask=mask, type=f.type))
            else:
                arrays.append(pa.array(value, mask=mask, type=f.type))
        else:
            arrays.append(pa.array(value, type=f.type))
    return pa.Table.from_arrays(arrays, schema=RESULT_SCHEMA)
