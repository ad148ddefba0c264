"""The data directory is where platformdirs puts it, read without importing platformdirs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magwise._datadir import data_dir

_NAME = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="/\\"),
    min_size=1,
    max_size=8,
)
_PATH = st.lists(_NAME, min_size=0, max_size=3).map("/".join)
# absolute, relative, "~"-led, empty or unset, with doubled and trailing slashes
_VALUE = st.one_of(
    st.none(),
    st.just(""),
    _PATH.map(lambda p: "/" + p),
    _PATH.map(lambda p: "//" + p + "/"),
    _PATH,
    _PATH.map(lambda p: "~/" + p),
)


def _environment(home: str | None, xdg: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_DATA_HOME")}
    env.pop("MAGWISE_DATA_DIR", None)
    if home is not None:
        env["HOME"] = home
    if xdg is not None:
        env["XDG_DATA_HOME"] = xdg
    return env


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is read directly on Linux")
@settings(max_examples=300, deadline=None)
@given(home=_VALUE, xdg=_VALUE)
def test_the_data_directory_is_platformdirs_own_for_any_home_and_xdg_setting(
    home: str | None, xdg: str | None
) -> None:
    with mock.patch.dict(os.environ, _environment(home, xdg), clear=True):
        try:
            expected = Path(platformdirs.user_data_dir("magwise"))
        except RuntimeError:  # no home directory can be named: magwise says the same
            with pytest.raises(RuntimeError):
                data_dir()
            return
        assert data_dir() == expected


def test_magwise_data_dir_wins(tmp_path: Path) -> None:
    with mock.patch.dict(os.environ, {"MAGWISE_DATA_DIR": str(tmp_path), "HOME": "/nowhere"}):
        assert data_dir() == tmp_path


def test_a_command_finds_its_data_without_importing_platformdirs(tmp_path: Path) -> None:
    """The common case (Linux, an absolute $HOME) costs no import of platformdirs."""
    env = _environment(str(tmp_path), None)
    probe = (
        "import sys; from magwise._datadir import data_dir; print(data_dir()); "
        "print('platformdirs' in sys.modules, 'tempfile' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown[0] == str(tmp_path / ".local" / "share" / "magwise")
    assert shown[1:] == (["True", "True"] if sys.platform != "linux" else ["False", "False"])
