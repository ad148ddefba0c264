"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def standard_option(func: F) -> F:
    """``--standard`` (checked against the knowledge base's standards)."""
    return click.option(
        "--standard",
        default=None,
        metavar="dge|efsa|nih",
        help="Reference standard: dge (D-A-CH 2021, default), efsa (EFSA 2015), nih (IOM 1997).",
    )(func)
