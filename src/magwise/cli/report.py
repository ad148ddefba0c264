"""``magwise report``: a self-contained HTML or PDF report to print or hand to a doctor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from magwise.cli._options import standard_option
from magwise.cli.progress import as_date, date_option, db_option


@click.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the report: a .html or .pdf file.",
)
@date_option("--from", "from_", "First day of the report (YYYY-MM-DD); default: the first logged.")
@date_option("--to", "to", "Last day of the report (YYYY-MM-DD); default: today.")
@standard_option
@db_option
def report(
    out: Path,
    from_: dt.datetime | None,
    to: dt.datetime | None,
    standard: str | None,
    db_url: str | None,
) -> None:
    """Write a report of your log: HTML (--out report.html) or PDF (--out report.pdf).

    Profile, intake per day (food, water, supplements) against your target and
    the supplement limit, shedding counts with weekly medians and the baseline,
    blood results against the reference range, symptoms on a timeline, the
    current assessment with every finding and its sources, and the dose plan.
    Charts are inline SVG: the file needs no network and prints in black and white.
    """
    from magwise.errors import InputError
    from magwise.report import write_report
    from magwise.store import Store

    start, end = as_date(from_, "from"), as_date(to, "to") or dt.date.today()
    if start is not None and start > end:
        raise InputError("--from", f"{start} is after --to {end}")
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise InputError("--out", f"{out.name!r}: the report is written as .html or .pdf")
    with Store.open(db_url) as store:
        record = store.record(store.local_person(), start=start, end=end)
    write_report(record, out, start=start, end=end, today=end, standard=standard)
    click.echo(f"Report written to {out}")
