"""``magwise progress``: the assessment of the last days and the verdict of the follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from magwise.cli._options import standard_option

if TYPE_CHECKING:
    from rich.console import Console

    from magwise.progress.result import ProgressResult

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_url",
        default=None,
        metavar="URL",
        help="Database URL (default: $MAGWISE_DATABASE_URL, else the local SQLite file).",
    )(func)


def date_option(name: str, dest: str, help: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            name, dest, type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help
        )(func)

    return decorate


def as_date(value: dt.datetime | None, field: str = "date") -> dt.date | None:
    """The day of ``value``; an InputError naming ``field`` outside the days a log holds."""
    from magwise.store._inputs import check_day

    return None if value is None else check_day(field, value.date())


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the progress result as JSON.")
@date_option("--from", "from_", "Read the log from this day (YYYY-MM-DD); default: all of it.")
@date_option("--as-of", "as_of", "Judge as of this day (YYYY-MM-DD); default: today.")
@standard_option
@db_option
def progress(
    as_json: bool,
    from_: dt.datetime | None,
    as_of: dt.datetime | None,
    standard: str | None,
    db_url: str | None,
) -> None:
    """Judge your progress: the last 7 days assessed, and the shedding trend.

    Reads your log, assesses the last 7 days of intake with the profile in force
    today, the latest blood results and the symptoms of the last 14 days, then
    judges the follow-up: intake per week against your target and the upper
    limit, how closely a dose plan was followed, and shedding counts against the
    first two weeks (too_early before 12 weeks, then improving, no_change or
    worse). No improvement at 12 or 24 weeks, shedding that gets worse, signs of
    too much magnesium or a high blood result send you to a doctor.
    """
    from magwise.progress import progress as judge
    from magwise.store import Store

    today = as_date(as_of, "as-of") or dt.date.today()
    with Store.open(db_url) as store:
        record = store.record(store.local_person(), start=as_date(from_, "from"), end=today)
    result = judge(record, today=today, standard=standard)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    from magwise.cli.render import render_result

    render_result(result)
    render_progress(result)


def render_progress(result: ProgressResult, console: Console | None = None) -> None:
    """The follow-up: shedding verdict and weekly medians, intake per week, adherence."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    p = result.progress
    shed = p.shedding
    method = f" ({shed.method.replace('_', ' ')})" if shed.method else ""
    console.print(
        f"[bold]Shedding{method}: {p.verdict.replace('_', ' ')}[/bold] — {shed.verdict_reason}",
        highlight=False,
    )
    if shed.baseline_median is not None:
        change = f", {shed.change_percent:+g} %" if shed.change_percent is not None else ""
        console.print(
            f"Baseline median {shed.baseline_median:g} a day ({shed.baseline_start} to "
            f"{shed.baseline_end}); last weeks {shed.recent_median:g}{change}; trend "
            f"{shed.slope_per_week:+g} a day per week (Theil-Sen)."
            if shed.recent_median is not None and shed.slope_per_week is not None
            else f"Baseline median {shed.baseline_median:g} a day.",
            highlight=False,
        )
    table = Table(title="Per week", title_justify="left", show_edge=False)
    for column in ("week", "from", "intake mg/day", "target", "supplements", "UL", "hairs/day"):
        table.add_column(column, justify="left" if column == "from" else "right")
    medians = {w.start: w for w in shed.weeks}
    intake = {w.start: w for w in p.intake_weeks}
    for start in sorted({*medians, *intake}):
        i, m = intake.get(start), medians.get(start)
        either = i or m
        table.add_row(
            str(either.week) if either is not None else "",
            str(start),
            f"{i.total_mg:g}" if i else "",
            f"{i.target_mg:g}" if i and i.target_mg is not None else "",
            f"{i.supplement_mg:g}" if i else "",
            f"{i.supplement_ul_mg:g}" if i and i.supplement_ul_mg is not None else "",
            f"{m.median:g}" if m and m.median is not None else "",
        )
    if p.intake_weeks or shed.weeks:
        console.print(table)
    for plan in p.adherence:
        share = "—" if plan.share is None else f"{plan.share:.0%}"
        console.print(
            f"Plan from {plan.started}: {plan.supplement_mg_per_day:g} mg a day as {plan.form}; "
            f"taken on {plan.taken_days} of {plan.planned_days} days ({share}).",
            highlight=False,
        )
    if p.labs:
        from magwise.labs import range_text
        from magwise.store._store import lab_value

        labs = Table(title="Lab results", title_justify="left", show_edge=False)
        for column in ("date", "test", "result", "lab's range", "against it", "magwise"):
            labs.add_column(column)
        for lab in p.labs:
            low_high = range_text(lab.range_low, lab.range_high)
            labs.add_row(
                str(lab.date),
                lab.test.replace("_", " "),
                f"{lab_value(lab.value, lab.comparator)} {lab.unit}",
                f"{low_high} {lab.unit}" if low_high else "",
                lab.against_lab_range or "",
                (lab.judged or "").replace("_", " "),
            )
        console.print(labs)
