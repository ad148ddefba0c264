"""``magwise calendar``: reminders as an iCalendar file for a phone's or a computer's calendar."""

from __future__ import annotations

from pathlib import Path

import click

from magwise.cli._log_options import db_option, open_store


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The .ics file to write.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "de"]),
    default="en",
    show_default=True,
    help="The language of the reminders.",
)
@db_option
def calendar(out: Path, lang: str, db: str | None) -> None:
    """Write your reminders as an iCalendar (RFC 5545) file to import into a calendar:
    the dose times of the plan you started, the reviews at 12 and 24 weeks, the
    shedding count and a blood test when one is due.

    \b
    magwise calendar --out magwise.ics --lang de
    """
    import datetime as dt

    from magwise.reminders import calendar_file

    with open_store(db) as (store, me):
        record = store.record(me)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    body, items = calendar_file(record, today=dt.date.today(), language=lang, stamp=stamp)
    out.write_bytes(body)
    kinds = sorted({item.kind for item in items})
    click.echo(f"Wrote {len(items)} reminders ({', '.join(kinds)}) to {out}.")
