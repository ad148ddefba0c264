"""Example inputs shipped with magwise."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent


def example_case_text() -> str:
    """The example case file, as JSON text."""
    return (_HERE / "case.json").read_text(encoding="utf-8")
