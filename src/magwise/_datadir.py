"""The user's magwise data directory: the food index, prepared copies, the local log.

``$MAGWISE_DATA_DIR`` wins. Otherwise it is where ``platformdirs`` puts an
application's data. On Linux that is the XDG rule, read here directly in the
common case: platformdirs itself takes a few milliseconds to import (it imports
``tempfile`` and ``shutil``), a noticeable share of a short command. Whenever
the case is not the common one (another system, a relative or missing
``$HOME``), platformdirs answers.
"""

from __future__ import annotations

import os
import posixpath
import sys
from pathlib import Path

VARIABLE = "MAGWISE_DATA_DIR"
APP = "magwise"


def data_dir() -> Path:
    """The user's magwise data directory (``$MAGWISE_DATA_DIR`` wins)."""
    configured = os.environ.get(VARIABLE)
    if configured:
        return Path(configured)
    return Path(_xdg_data_dir() or _platformdirs_data_dir())


def _xdg_data_dir() -> str | None:
    """platformdirs' ``user_data_dir`` on Linux with an absolute ``$HOME``; else None."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    base = os.environ.get("XDG_DATA_HOME", "")
    if not posixpath.isabs(base):  # platformdirs ignores a relative or empty value
        home = os.environ.get("HOME", "")
        if not posixpath.isabs(home):
            return None
        base = posixpath.join(home, ".local/share")
    return posixpath.join(base, APP)


def _platformdirs_data_dir() -> str:
    import platformdirs

    return platformdirs.user_data_dir(APP)
