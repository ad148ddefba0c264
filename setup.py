"""Build magwise. Everything but the compiled core is declared in pyproject.toml.

``MAGWISE_COMPILE=1`` compiles the advisor core (``magwise.advisor`` and
``magwise.reference``) to C extension modules with mypyc, as a release wheel would
ship it; it needs mypy and a C compiler, so it is built without build isolation:

    MAGWISE_COMPILE=1 .venv/bin/pip wheel --no-build-isolation --no-deps -w dist .

Without it (editable installs, ``./scripts/run``) magwise is pure Python, and the
compiled wheel answers the same bytes (tests/test_compiled_core.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setuptools import setup

ROOT = Path(__file__).parent
#: left as Python: mypyc does not compile a NamedTuple class with methods (advisor/_bounds.py)
NOT_COMPILED = {"_bounds.py"}


def compiled_core() -> list[Any]:
    if os.environ.get("MAGWISE_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    advisor = ROOT / "src" / "magwise" / "advisor"
    files = [str(p) for p in sorted(advisor.glob("*.py")) if p.name not in NOT_COMPILED]
    files.append(str(ROOT / "src" / "magwise" / "reference.py"))
    return mypycify(files, opt_level="3")


setup(ext_modules=compiled_core())
