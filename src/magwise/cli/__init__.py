"""The ``magwise`` command line: a thin face over the library.

Subcommands live in their own modules and are imported only when used, so that
``magwise foods search`` starts fast.
"""

from __future__ import annotations

import gc
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


#: Commands that run long or hold a server open: they keep Python's usual collection of
#: cyclic garbage (see ``run``).
_LONG_RUNNING = frozenset({"serve", "cohort"})
#: Objects allocated between two collections of the youngest generation while a short
#: command runs: about twice what ``magwise assess`` allocates from start to end, so that
#: starting it collects no garbage, while a longer command still collects regularly.
_SHORT_COMMAND_YOUNG_OBJECTS = 100_000
_USUAL_GC_THRESHOLD = gc.get_threshold()


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            if cmd_name in _LONG_RUNNING:
                gc.set_threshold(*_USUAL_GC_THRESHOLD)
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
    """Run the command line on ``argv`` (default: the process's arguments); ends in
    ``SystemExit``."""
    cli.main(args=argv, prog_name="magwise")


def run() -> None:
    """Entry point of the ``magwise`` console script and of ``python -m magwise``:
    ``main``, then a quick exit.

    Two things a short command does not need, each measured in docs/benchmarks.md:
    collecting cyclic garbage while its modules are imported (Python would traverse
    the tens of thousands of objects the imports create several times; the youngest
    generation is collected after ``_SHORT_COMMAND_YOUNG_OBJECTS`` allocations instead
    of 700, and ``serve`` and ``cohort`` keep the usual threshold), and taking apart
    every module and object one by one at the end: when the command returns, the exit
    functions run and the output is flushed as at any exit, and the process ends.
    Where that cannot be done safely (threads still running, output that cannot be
    flushed, a message as the exit status), the interpreter exits as usual.
    """
    gc.set_threshold(_SHORT_COMMAND_YOUNG_OBJECTS, *_USUAL_GC_THRESHOLD[1:])
    try:
        main()
    except SystemExit as done:
        _exit_now(done)
        raise


def _exit_now(done: SystemExit) -> None:
    """End the process with ``done``'s status after the exit functions and a flush of
    the output; return (to exit as usual) where that is not safe."""
    import atexit
    import os
    import threading

    status = done.code
    if threading.active_count() > 1 or not (status is None or isinstance(status, int)):
        return  # threads to wait for, or a message to print: the interpreter's own exit
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a closed or broken stream: reported as the interpreter reports it
    os._exit(status or 0)
