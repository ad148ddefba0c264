"""axe-core, the accessibility rules, run in a real Chromium page.

axe-core comes from npm (``tests/axe/package.json``, pinned in its lock file);
``scripts/test`` installs it with ``npm ci --prefix tests/axe``. Its script is added
to every page of a browser context before the page's own scripts, by the browser
itself, so the pages' Content-Security-Policy stays as it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import BrowserContext, Page

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

#: The WCAG 2.0, 2.1 and 2.2 rules of levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")


def axe_version() -> str:
    package = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))
    return str(package["version"])


def add_axe(context: BrowserContext) -> None:
    """Every page the context opens from now on has ``window.axe``."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core is not installed ({AXE} is missing): run "
            "`npm ci --prefix tests/axe` (scripts/test does so)"
        )
    context.add_init_script(path=str(AXE))


def violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG A and AA rules the page as it is now breaks (axe-core's ``violations``)."""
    page.wait_for_load_state("load")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(WCAG_TAGS),
    )
    return list(result["violations"])


def described(found: list[dict[str, Any]]) -> str:
    """The violations in words: each rule, its impact and the elements that break it."""
    lines = []
    for rule in found:
        lines.append(f"  {rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"][:6]:
            target = " ".join(str(t) for t in node["target"])
            summary = str(node.get("failureSummary", "")).replace("\n", " ")
            lines.append(f"    {target}: {summary[:300]}")
    return "\n".join(lines)
