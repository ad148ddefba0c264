"""``magwise backup`` and ``magwise restore``: a verified copy of a running SQLite log."""

from __future__ import annotations

from pathlib import Path

import click

from magwise.cli._log_options import db_option


def _size(n: int) -> str:
    return f"{n / 1024:.0f} kB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _holding(persons: int, entries: int) -> str:
    people = "1 person" if persons == 1 else f"{persons} persons"
    return f"{entries} {'entry' if entries == 1 else 'entries'} of {people}"


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@db_option
def backup(out: Path, db: str | None) -> None:
    """Copy your SQLite log to OUT while magwise may be running.

    The copy is one consistent snapshot (SQLite's online backup), checked
    (integrity check, the same number of entries) before it is given its name.
    For PostgreSQL use pg_dump, or `magwise export` (docs/store.md).

    \b
    magwise backup magwise-2026-12-04.sqlite3
    """
    from magwise.store._backup import backup as make_backup

    made = make_backup(out, db)
    click.echo(
        f"Backup written to {made.path}: {_holding(made.persons, made.entries)}, "
        f"integrity checked ({_size(made.size_bytes)})."
    )


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the log without asking.")
@db_option
def restore(file: Path, yes: bool, db: str | None) -> None:
    """Put the backup FILE in place of your SQLite log.

    The current log is first kept beside it (NAME.before-restore-TIME.sqlite3),
    so a restore can be undone by restoring that file.
    """
    from magwise.store._backup import check_backup
    from magwise.store._backup import restore as put_back

    offered = check_backup(file)
    if not yes:
        click.confirm(
            f"Replace your log with {file} ({_holding(offered.persons, offered.entries)})? "
            "The current log is kept aside",
            abort=True,
        )
    done = put_back(file, db)
    kept = f"; the previous log is kept as {done.kept.path}" if done.kept else ""
    click.echo(
        f"Restored {file}: your log holds {_holding(done.log.persons, done.log.entries)}{kept}."
    )
