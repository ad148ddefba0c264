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
@click.option(
    "--lang",
    type=click.Choice(["en", "de"]),
    default="en",
    show_default=True,
    help="The language of the report: its words, numbers and dates.",
)
@db_option
def report(  # noqa: PLR0917 (one parameter per option)
    out: Path,
    from_: dt.datetime | None,
    to: dt.datetime | None,
    standard: str | None,
    lang: str,
    db_url: str | None,
) -> None:
    """Write a report of your log: HTML (--out report.html) or PDF (--out report.pdf).

    Profile, intake per day (food, water, supplements) against your target and
    the supplement limit, shedding counts with weekly medians and the baseline,
    blood results against the laboratory's and magwise's ranges, symptoms on a
    timeline, the supplements taken, the plan in effect, the current assessment
    with every finding and its sources, and the first and latest scalp photo of
    each area. Charts are inline SVG and photos embedded: the file needs no
    network and prints in black and white. --lang de writes it in German.
    """
    from magwise.errors import InputError
    from magwise.knowledge import load_knowledge
    from magwise.report import report_photos, write_report
    from magwise.store import Store

    start, end = as_date(from_, "from"), as_date(to, "to") or dt.date.today()
    if start is not None and start > end:
        raise InputError("--from", f"{start} is after --to {end}")
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise InputError("--out", f"{out.name!r}: the report is written as .html or .pdf")
    with Store.open(db_url) as store:
        me = store.local_person()
        record = store.record(me, start=start, end=end)
        photos = report_photos(store, me, start, end)
    write_report(
        record,
        out,
        start=start,
        end=end,
        today=end,
        standard=standard,
        knowledge=load_knowledge(lang),
        photos=photos,
    )
    click.echo(f"Report written to {out}")
