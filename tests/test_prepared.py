"""Prepared copies of the knowledge base and of the case and result models: a command
that reads them answers exactly as one that builds them, a change of their sources
names another copy, and a foreign or damaged file is never trusted."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from magwise import _prepared
from magwise.examples import example_case_text
from magwise.knowledge import DATA_DIR

_RUN = """
import sys
from magwise.case import Case, parse_case
from magwise.errors import InputError
from magwise.advisor import assess
from magwise.knowledge import load_knowledge
out = []
for text in sys.stdin.read().split("\\n\\0\\n"):
    try:
        out.append(assess(parse_case(text)).model_dump_json(indent=2))
    except InputError as exc:
        out.append("error: " + str(exc))
kb = load_knowledge("de")
out.append(kb.texts["action_see_doctor"] + repr(sorted(kb.forms)))
out.append(repr(Case.model_json_schema()))
out.append(type(Case.__pydantic_validator__).__name__)
print("\\n".join(out))
"""

_CASES = [
    example_case_text(),
    example_case_text().replace('"female"', '"other"'),
    '{"version": 1, "profile": {"sex": "male", "age_years": "34"}, "days": []}',
    "[1, 2",
]


def _run(data_dir: Path) -> str:
    env = {**os.environ, "MAGWISE_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-c", _RUN],
        input="\n\0\n".join(_CASES),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def _stored(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.glob("*.pickle"))


def test_read_copies_answer_as_built_ones(tmp_path: Path) -> None:
    built = _run(tmp_path)  # nothing stored yet: everything built, then stored
    stored = _stored(tmp_path)
    assert [name.split("-")[0] for name in stored] == ["knowledge"] * 2 + ["models"] * 3
    before = {name: (tmp_path / name).stat().st_mtime_ns for name in stored}
    read = _run(tmp_path)  # everything read back
    assert read == built
    assert "error: " in read and '"status"' in read
    assert {name: (tmp_path / name).stat().st_mtime_ns for name in stored} == before


def test_a_changed_source_names_another_copy(tmp_path: Path) -> None:
    files = _prepared.sources(DATA_DIR)
    copy = tmp_path / "data"
    copy.mkdir()
    for path in files:
        (copy / path.name).write_bytes(path.read_bytes())
    same = _prepared.digest(_prepared.sources(copy))
    assert same == _prepared.digest(files)
    (copy / "rules.toml").write_bytes((copy / "rules.toml").read_bytes() + b"\n# changed\n")
    assert _prepared.digest(_prepared.sources(copy)) != same


class _Payload:
    """Unpickling this would run ``os.system``."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, ("echo pwned > pwned.txt",)


class _Writer:
    """Unpickling this would call one of magwise's own functions that writes a file."""

    def __reduce__(self) -> tuple[object, tuple[Path, bytes]]:
        from magwise.foods._store import write_atomically

        return write_atomically, (Path("written.txt"), b"x")


@pytest.mark.parametrize("payload", [_Payload(), _Writer(), b"\x80\x05garbage", b""])
def test_a_foreign_or_damaged_file_is_not_trusted(
    payload: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    content = payload if isinstance(payload, bytes) else pickle.dumps(payload)
    (tmp_path / "knowledge-en-x.pickle").write_bytes(content)
    assert _prepared.read("knowledge-en-x.pickle", ["magwise.knowledge"]) is None
    assert not (tmp_path / "pwned.txt").exists()
    assert not (tmp_path / "written.txt").exists()


def test_only_the_named_modules_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.pickle").write_bytes(pickle.dumps(_Writer()))
    assert _prepared.read("w.pickle", ["magwise.knowledge", "magwise.case"]) is None
    assert not (tmp_path / "written.txt").exists()


def test_a_damaged_copy_is_replaced(tmp_path: Path) -> None:
    first = _run(tmp_path)
    for name in _stored(tmp_path):
        (tmp_path / name).write_bytes(b"\x80\x05not a pickle")
    assert _run(tmp_path) == first
    for name in _stored(tmp_path):
        assert pickle.loads((tmp_path / name).read_bytes()) is not None


def test_without_a_writable_directory_everything_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(blocked))
    built: list[int] = []

    def build() -> list[int]:
        built.append(1)
        return [1, 2]

    for _ in range(2):
        assert _prepared.prepared("x.pickle", build, list, ["magwise.case"]) == [1, 2]
    assert built == [1, 1]


def test_a_new_copy_replaces_the_stale_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(tmp_path))
    for stale in ("knowledge-en-0000.pickle", "knowledge-en-1111.pickle"):
        (tmp_path / stale).write_bytes(b"old")
    (tmp_path / "knowledge-de-0000.pickle").write_bytes(b"other language")
    assert _prepared.prepared("knowledge-en-2222.pickle", lambda: [1], list, []) == [1]
    assert _stored(tmp_path) == ["knowledge-de-0000.pickle", "knowledge-en-2222.pickle"]
