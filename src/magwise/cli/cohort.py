"""``magwise cohort``: assess many people's diaries at once (DuckDB, or Dask on a cluster)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import click

from magwise.cli._options import standard_option

# a file, a directory of parts or a glob, local or a URL: cohort mode checks it
_INPUT = "a Parquet or CSV file, a directory of parts or a glob"


@click.group()
def cohort() -> None:
    """Assess a whole cohort: food diaries and recalls of many people at once."""


@cohort.command("assess")
@click.option("--people", required=True, metavar="INPUT", help=f"People table: {_INPUT}.")
@click.option("--foods", required=True, metavar="INPUT", help="Food entries (like --people).")
@click.option("--supplements", metavar="INPUT", help="Supplement entries.")
@click.option("--water", metavar="INPUT", help="Water entries.")
@click.option("--labs", metavar="INPUT", help="Blood results (serum magnesium).")
@standard_option
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "dask"]),
    default="duckdb",
    show_default=True,
    help="duckdb: this machine, in-process. dask: a Dask cluster (--scheduler) or, "
    "without one, a local cluster of worker processes.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler address (tcp://host:8786) for --engine dask; without it a local "
    "cluster of processes is started for the run.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the results.",
)
@click.option("--quiet", is_flag=True, help="No progress bars and no summary table.")
def assess_cohort(  # noqa: PLR0917 (one parameter per option)
    people: str,
    foods: str,
    supplements: str | None,
    water: str | None,
    labs: str | None,
    standard: str | None,
    engine: str,
    scheduler: str | None,
    out: Path,
    quiet: bool,
) -> None:
    """Assess every person of a cohort, as `magwise assess` would one by one.

    Writes to OUT: people.parquet (one result per person), summary.parquet and
    summary.csv (shares below the target, below the EAR, above the supplemental
    upper limit, by sex and age band, with 95% Wilson intervals),
    bad_rows.parquet and bad_rows.csv (every rejected row: file, row, column,
    reason) and two SVG charts. The tables are described in docs/cohort.md.
    """
    # A run makes few reference cycles: Python's cycle collector would spend some 40 ms
    # finding next to nothing, and as much again at exit going over every object left.
    gc.disable()
    try:
        _assess(people, foods, supplements, water, labs, standard, engine, scheduler, out, quiet)
    finally:
        gc.freeze()  # what is left goes with the process, uncollected
        gc.enable()


def _assess(  # noqa: PLR0917 (one parameter per option)
    people: str,
    foods: str,
    supplements: str | None,
    water: str | None,
    labs: str | None,
    standard: str | None,
    engine: str,
    scheduler: str | None,
    out: Path,
    quiet: bool,
) -> None:
    if engine == "duckdb":
        from magwise.cohort._start import begin

        begin(foods, people)  # DuckDB reads and sums the foods while the rest is imported
    from magwise.cohort import assess_cohort as run

    kwargs: dict[str, Any] = {
        "supplements": supplements,
        "water": water,
        "labs": labs,
        "standard": standard,
        "engine": engine,
        "scheduler": scheduler,
    }
    if quiet:
        result = run(people, foods, **kwargs)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bars:
            tasks: dict[str, TaskID] = {}

            def progress(stage: str, share: float) -> None:
                if stage not in tasks:
                    tasks[stage] = bars.add_task(stage, total=1.0)
                bars.update(tasks[stage], completed=share)

            result = run(people, foods, progress=progress, **kwargs)
    files = result.write(out)
    if not quiet:
        console.print(_summary_table(result))
    n = result.people_frame.num_rows
    assessed = f"{n:,} {'person' if n == 1 else 'people'} assessed"
    click.echo(f"{assessed} ({result.standard}); wrote:")
    for path in files:
        click.echo(f"  {path}")
    bad = result.bad_rows_frame.num_rows
    if bad:
        rows = f"{bad:,} {'row' if bad == 1 else 'rows'}"
        click.echo(f"magwise: {rows} rejected; see {out / 'bad_rows.csv'}", err=True)


def _summary_table(result: Any) -> Any:
    """The whole cohort and each sex: count, share and 95% interval of each measure."""
    from rich.table import Table

    from magwise.cohort import MEASURES

    table = Table(title=f"Cohort summary ({result.standard}); 95% Wilson intervals")
    for heading in ("group", "measure", "n", "count", "share", "95% CI"):
        table.add_column(heading, justify="left" if heading in ("group", "measure") else "right")
    for row in result.summary.to_pylist():
        if row["grouping"] not in ("all", "sex"):
            continue
        table.add_row(
            row["sex"] or "all",
            MEASURES[row["measure"]][1],
            f"{row['n']:,}",
            f"{row['count']:,}",
            f"{row['share']:.1%}",
            f"{row['ci_low']:.1%}-{row['ci_high']:.1%}",
        )
    return table


@cohort.command("tables")
def tables() -> None:
    """List the input tables and their columns."""
    from magwise.cohort import TABLES

    for table in TABLES.values():
        click.echo(f"{table.name}: {table.meaning}")
        for c in table.columns:
            need = "required" if c.required else "optional"
            click.echo(f"  {c.name:<14} {c.kind:<7} {need:<9} {c.meaning}")
