"""Lines that tests add to the end of pytest's report (figures such as the matrix's counts)."""

from __future__ import annotations

#: Printed by ``conftest.pytest_terminal_summary`` after the run.
SUMMARY: list[str] = []
