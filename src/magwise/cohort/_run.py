"""``assess_cohort``: check the tables, sum the intake, apply the rules, summarise."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from magwise.cohort import _charts, _frame, _summary
from magwise.cohort._engine import BAD_ROWS_SCHEMA as BAD_ROWS_COLUMNS
from magwise.cohort._engine import Inputs, Maps
from magwise.cohort._frame import Frame
from magwise.cohort._lookups import SYMPTOM_FLAGS
from magwise.cohort._reference import SEXES, STATES, ReferenceGrid, band_label, reference_grid
from magwise.cohort._rules import BASES, STATUSES, Lab, People, judge
from magwise.cohort._schema import Field, Schema
from magwise.cohort._sums import EXACT_BELOW
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.lab_tests import COMPARATORS
from magwise.result import ACTIONS, ROLE_VALUES

if TYPE_CHECKING:
    import pyarrow as pa

    from magwise.advisor._context import FoodSource

Engine = Literal["duckdb", "dask"]
ENGINES: tuple[Engine, ...] = ("duckdb", "dask")
Progress = Callable[[str, float], None]
Columns = dict[str, Any]  # column name -> NumPy array

#: the per-person result columns, in order, with their DuckDB types (see docs/cohort.md)
RESULT_COLUMNS: Schema = tuple(
    Field(name, kind)
    for name, kind in (
        ("person_id", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("age_years", "DOUBLE"),
        ("state", "VARCHAR"),
        ("age_band", "VARCHAR"),
        ("days", "BIGINT"),
        ("food_mg", "DOUBLE"),
        ("water_mg", "DOUBLE"),
        ("supplement_mg", "DOUBLE"),
        ("total_mg", "DOUBLE"),
        ("target_mg", "DOUBLE"),
        ("ear_mg", "DOUBLE"),
        ("supplement_ul_mg", "DOUBLE"),
        ("serum_mmol_per_l", "DOUBLE"),
        ("serum_comparator", "VARCHAR"),
        ("status", "VARCHAR"),
        ("status_basis", "VARCHAR"),
        ("below_target", "BOOLEAN"),
        ("below_ear", "BOOLEAN"),
        ("above_ul", "BOOLEAN"),
        ("kidney_reduced", "BOOLEAN"),
        ("kidney_check_first", "BOOLEAN"),
        ("refer_to_doctor", "BOOLEAN"),
        ("urgent", "BOOLEAN"),
        ("supplement_mg_per_day", "DOUBLE"),
        ("action", "VARCHAR"),
        ("magnesium_role", "VARCHAR"),
        ("bad_rows", "BIGINT"),
    )
)


class _Engine(Protocol):
    def load(self) -> None: ...
    def sums(self) -> Columns: ...
    def bad_row_count(self) -> int: ...
    def bad_rows(self) -> Frame: ...
    def close(self) -> None: ...


@dataclass
class CohortResult:
    """The per-person results, the bad rows and the summary of one cohort."""

    people_frame: Frame
    bad_rows_frame: Frame
    summary_frame: Frame
    standard: str
    engine: str
    band_order: list[str]
    charts: dict[str, str] = field(default_factory=dict)  # file name -> SVG
    files: list[Path] = field(default_factory=list)

    @property
    def people(self) -> pa.Table:
        """One row per accepted person (``RESULT_SCHEMA``), as Arrow."""
        return self.people_frame.arrow()

    @property
    def bad_rows(self) -> pa.Table:
        """Every rejected row (``BAD_ROWS_SCHEMA``), as Arrow."""
        return self.bad_rows_frame.arrow()

    @property
    def summary(self) -> pa.Table:
        """Counts, shares and intervals by group, as Arrow."""
        return self.summary_frame.arrow()

    def write(self, out: Path) -> list[Path]:
        """people.parquet, bad_rows.parquet/.csv, summary.parquet/.csv and two SVG charts.

        They are written to a new directory beside ``out`` and moved into place
        once all are written: a run that fails leaves nothing half-written.
        """
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
        try:
            umask = os.umask(0)
            os.umask(umask)
            temporary.chmod(0o777 & ~umask)
            names = [path.name for path in self._write(temporary)]
            if out.exists():  # each file replaced whole
                for name in names:
                    os.replace(temporary / name, out / name)
                temporary.rmdir()
            else:
                temporary.rename(out)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        self.files = [out / name for name in names]
        return self.files

    def _write(self, out: Path) -> list[Path]:
        written = [out / "people.parquet", out / "bad_rows.parquet", out / "bad_rows.csv"]
        written += [out / "summary.parquet", out / "summary.csv"]
        self.people_frame.write_parquet(written[0])
        self.bad_rows_frame.write_parquet(written[1])
        self.bad_rows_frame.write_csv(written[2])
        self.summary_frame.write_parquet(written[3])
        self.summary_frame.write_csv(written[4])
        for name, svg in self.charts.items():
            (out / name).write_text(svg, encoding="utf-8")
            written.append(out / name)
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
    if scheduler and engine != "dask":
        raise InputError("scheduler", "a Dask scheduler's address needs the dask engine")
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
        people=str(people),
        foods=str(foods),
        supplements=None if supplements is None else str(supplements),
        water=None if water is None else str(water),
        labs=None if labs is None else str(labs),
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
        report("applying the rules", 0.0)
        columns = _columns(folks, grid, kb)
        result = _result(sums, folks, columns, grid)
        report("applying the rules", 1.0)
        bad = runner.bad_rows() if runner.bad_row_count() else _frame.empty(BAD_ROWS_COLUMNS)
    finally:
        runner.close()
    bands = [band_label(lo, hi) for lo, hi in grid.bands]
    report("summarising", 0.0)
    summary = _summary.summarise(columns, bands)
    charts = {
        "intake_by_group.svg": _charts.intake_by_group(columns, bands, grid.standard),
        "intake_vs_target.svg": _charts.intake_vs_target(columns, grid.standard),
    }
    report("summarising", 1.0)
    return CohortResult(
        people_frame=result,
        bad_rows_frame=bad,
        summary_frame=summary,
        standard=grid.standard,
        engine=engine,
        band_order=bands,
        charts=charts,
    )


def _np(columns: Columns, name: str, dtype: Any) -> Any:
    """A column as a writable NumPy array; no value is NaN (a number) or 0 / false."""
    values = columns[name]
    if isinstance(values, np.ma.MaskedArray):
        fill = np.nan if np.dtype(dtype).kind == "f" else 0
        values = np.ma.filled(values.astype(dtype), fill)
    return np.array(values, dtype=dtype)


def _ng(sums: Columns, name: str) -> Any:
    """A column of sums of whole ng as integers; they are exact below ``EXACT_BELOW``."""
    values = _np(sums, name, np.float64)
    if values.size and values.max() >= EXACT_BELOW:
        table = {"food_sum": "foods", "water_sum": "water", "supplement_sum": "supplements"}
        raise InputError(
            table[name],
            f"a person's magnesium adds up to more than {EXACT_BELOW / 1e12:,.0f} kg; "
            "check the amounts and units",
        )
    return values.astype(np.int64)


def _people(sums: Columns) -> People:
    return People(
        sex=_np(sums, "sex", np.int8),
        state=_np(sums, "state", np.int8),
        age_years=_np(sums, "age_years", np.float64),
        contraindicated=_np(sums, "contraindicated", np.bool_),
        kidney_condition=_np(sums, "kidney_condition", np.bool_),
        raises_mg=_np(sums, "raises_mg", np.bool_),
        contains_mg=_np(sums, "contains_mg", np.bool_),
        symptoms={f: _np(sums, f"symptoms_{f}", np.bool_) for f in SYMPTOM_FLAGS},
        days=_np(sums, "days", np.int64),
        food_sum=_ng(sums, "food_sum"),
        water_sum=_ng(sums, "water_sum"),
        supplement_sum=_ng(sums, "supplement_sum"),
        supplements_taken=_np(sums, "supplements_taken", np.bool_),
        serum=_lab(sums, "serum"),
        egfr=_lab(sums, "egfr"),
        creatinine=_lab(sums, "creatinine"),
    )


def _lab(sums: Columns, name: str) -> Lab:
    """The latest result of one test (``_sums.LATEST``), per person."""
    return Lab(
        value=_np(sums, f"{name}_value", np.float64),
        per=_np(sums, f"{name}_per", np.float64),
        comparator=_np(sums, f"{name}_comparator", np.int8),
    )


def _columns(people: People, grid: ReferenceGrid, kb: Knowledge) -> Columns:
    """The judged columns, with each person's sex and age band as indexes.

    Booleans that may be unjudged are floats here: 1.0, 0.0 or NaN.
    """
    return {
        "sex": people.sex,
        "age_band": grid.band(people.age_years),
        **judge(people, grid, kb),
    }


def _result(sums: Columns, people: People, columns: Columns, grid: ReferenceGrid) -> Frame:
    bands = [band_label(lo, hi) for lo, hi in grid.bands]
    labelled = {
        **columns,
        "person_id": sums["person_id"],
        "sex": _frame.Labelled(people.sex, SEXES),
        "age_years": people.age_years,
        "state": _frame.Labelled(people.state, STATES),
        "age_band": _frame.Labelled(columns["age_band"], bands),
        "status": _frame.Labelled(columns["status"], STATUSES),
        "status_basis": _frame.Labelled(columns["status_basis"], BASES),
        "action": _frame.Labelled(columns["action"], list(ACTIONS)),
        "magnesium_role": _frame.Labelled(columns["magnesium_role"], list(ROLE_VALUES)),
        "serum_comparator": _frame.Labelled(
            np.where(people.serum.comparator < 0, len(COMPARATORS), people.serum.comparator),
            [*COMPARATORS, None],  # -1, an exact value: none
        ),
        "bad_rows": _np(sums, "entry_bad", np.int64) + _np(sums, "lab_bad", np.int64),
    }
    return _frame.table(labelled, RESULT_COLUMNS)


def __getattr__(name: str) -> Any:
    """``RESULT_SCHEMA`` and ``BAD_ROWS_SCHEMA`` as Arrow schemas (pyarrow imported here)."""
    columns = {"RESULT_SCHEMA": RESULT_COLUMNS, "BAD_ROWS_SCHEMA": BAD_ROWS_COLUMNS}
    if name not in columns:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    schema = _frame.arrow_schema(columns[name])
    globals()[name] = schema
    return schema
