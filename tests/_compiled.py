"""Build the compiled core (``MAGWISE_COMPILE=1``, see setup.py) into a directory.

Shared by tests/test_compiled_core.py and bench/bench_compiled_core.py: the wheel is
built from this checkout with mypyc and unpacked, so the directory can go first on
``PYTHONPATH`` in a child process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the modules setup.py compiles (all of magwise.advisor but _bounds, and reference)
COMPILED_MODULES = (
    "magwise.advisor",
    "magwise.advisor._context",
    "magwise.advisor.action",
    "magwise.advisor.dose_times",
    "magwise.advisor.hair",
    "magwise.advisor.intake",
    "magwise.advisor.kidney",
    "magwise.advisor.planner",
    "magwise.advisor.referral",
    "magwise.advisor.role",
    "magwise.advisor.serum",
    "magwise.reference",
)


def cannot_build() -> str | None:
    """Why the compiled core cannot be built here, or None."""
    if not any(shutil.which(cc) for cc in ("cc", "gcc", "clang")):
        return "no C compiler (cc, gcc or clang) on PATH"
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not include.exists():
        return f"no Python headers ({include} is missing)"
    return None


def _run(command: list[str], what: str, **options: object) -> str:
    """Run ``command`` and return its output; its error output in the error if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, **options)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    out: str = done.stdout
    return out


def build_compiled(target: Path) -> Path:
    """Build the compiled wheel of this checkout and unpack it into ``target``."""
    env = {**os.environ, "MAGWISE_COMPILE": "1"}
    with tempfile.TemporaryDirectory() as wheels:
        pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check"]
        options = ["--no-build-isolation", "--no-deps", "-w", wheels, str(ROOT)]
        _run([*pip, *options], "building the compiled core", env=env)
        wheel = next(Path(wheels).glob("magwise-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
    return target


def with_compiled(target: Path) -> dict[str, str]:
    """The environment of a child process that imports magwise from ``target``."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}


def answers(cases: list[dict[str, object]], language: str) -> list[str]:
    """Each case's ``assess`` result as JSON, or its one-line error."""
    from magwise import assess, load_knowledge
    from magwise.errors import InputError

    kb = load_knowledge(language)
    out = []
    for case in cases:
        try:
            out.append(assess(case, knowledge=kb).model_dump_json())
        except InputError as exc:
            out.append(f"error {exc.field}: {exc.message}")
    return out


def answers_of_child(target: Path, cases: list[dict[str, object]], language: str) -> list[str]:
    """``answers`` computed in a child process that imports magwise from ``target``."""
    import json

    script = (
        "import json, sys\n"
        "import magwise.advisor.intake as compiled\n"
        "assert not compiled.__file__.endswith('.py'), compiled.__file__\n"
        "from tests._compiled import answers\n"
        "print(json.dumps(answers(json.load(sys.stdin), sys.argv[1])))\n"
    )
    out = _run(
        [sys.executable, "-c", script, language],
        "the compiled core",
        input=json.dumps(cases, default=str),
        env=with_compiled(target),
        cwd=ROOT,
    )
    result: list[str] = json.loads(out)
    return result
