"""The ``magwise`` command line: a thin face over the library.

Subcommands live in their own modules and are imported only when used, so that
``magwise foods search`` starts fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from magwise.errors import ENVIRONMENT_EXIT_STATUS, MagwiseError, StorageError

# command name -> "module:attribute"
_COMMANDS: dict[str, str] = {
    "sources": "magwise.cli.knowledge:sources",
    "reference": "magwise.cli.knowledge:reference",
    "codes": "magwise.cli.knowledge:codes",
    "foods": "magwise.cli.foods:foods",
    "assess": "magwise.cli.assess:assess",
    "schema": "magwise.cli.assess:schema",
    "example": "magwise.cli.assess:example",
    "cohort": "magwise.cli.cohort:cohort",
    "serve": "magwise.cli.serve:serve",
    "log": "magwise.cli.log:log",
    "today": "magwise.cli.log:today",
    "history": "magwise.cli.log:history",
    "undo": "magwise.cli.log:undo",
    "recent": "magwise.cli.log_days:recent",
    "meal": "magwise.cli.log_days:meal",
    "edit": "magwise.cli.log_days:edit",
    "profile": "magwise.cli.named:profile",
    "product": "magwise.cli.named:product",
    "water": "magwise.cli.named:water",
    "plan": "magwise.cli.named:plan",
    "export": "magwise.cli.data:export",
    "import": "magwise.cli.data:import_",
    "import-labs": "magwise.cli.data:import_labs",
    "forget": "magwise.cli.data:forget",
    "backup": "magwise.cli.backup:backup",
    "restore": "magwise.cli.backup:restore",
    "calendar": "magwise.cli.calendar:calendar",
    "progress": "magwise.cli.progress:progress",
    "report": "magwise.cli.report:report",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            module_name, attr = self._lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; every bad input becomes one line on stderr and exit 2."""
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.Abort:
            click.echo("magwise: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            fail(" ".join(exc.format_message().split()))
        except StorageError as exc:
            fail(" ".join(str(exc).split()), status=ENVIRONMENT_EXIT_STATUS)
        except MagwiseError as exc:
            fail(" ".join(str(exc).split()))
        except BrokenPipeError:
            sys.exit(0)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(
    cls=LazyGroup, lazy=_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="magwise")
def cli() -> None:
    """magwise: is magnesium behind your hair loss? An evidence-based advisor.

    magwise informs; it does not diagnose or prescribe. Discuss every plan with a doctor.
    """


def fail(message: str, status: int = 2) -> None:
    """Print a one-line error to stderr and exit with ``status``: 2 for bad input,
    ``ENVIRONMENT_EXIT_STATUS`` (3) for a fault of the disk or the database."""
    click.echo(f"magwise: error: {message}", err=True)
    sys.exit(status)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``magwise`` console script."""
    cli.main(args=argv, prog_name="magwise")
