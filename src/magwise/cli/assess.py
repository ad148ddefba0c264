"""``magwise assess``, ``magwise schema`` and ``magwise example``."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click

from magwise.cli._options import standard_option


@click.command()
@click.argument("case_file", type=click.File("rb"), metavar="CASE.json")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@standard_option
def assess(case_file: BinaryIO, as_json: bool, standard: str | None) -> None:
    """Assess a case file (CASE.json, or - for standard input).

    Prints a readable report: the headline (status, what to do, whether to see a
    doctor and why), intake against your reference value and the upper limit,
    blood results, the hair-loss screen, the dose plan and every finding with its
    sources. `magwise example case` prints a complete case file to start from.
    """
    from magwise.advisor import assess as run
    from magwise.case import parse_case

    case = parse_case(case_file.read())
    result = run(case, standard=standard)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    from magwise.cli.render import render_result

    render_result(result)


@click.command()
@click.argument("which", type=click.Choice(["case", "result", "progress"]))
def schema(which: str) -> None:
    """Print the JSON Schema of the case file, the result or the progress result."""
    from magwise.schemas import schema_json

    click.echo(schema_json(which))


@click.group()
def example() -> None:
    """Print examples to start from."""


@example.command("case")
def example_case() -> None:
    """Print a complete example case file."""
    from magwise.examples import example_case_text

    sys.stdout.write(example_case_text())
