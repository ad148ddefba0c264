"""The command line's quick exit: the same output, status and exit functions as a usual
exit, without taking the interpreter apart; the usual exit where threads still run."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests._cases import make_case

from magwise.cli import _LONG_RUNNING, _USUAL_GC_THRESHOLD, cli
from magwise.foods import FoodIndex


def _magwise(*args: str, code: str = "") -> subprocess.CompletedProcess[str]:
    """``magwise ARGS`` as the console script runs it, after ``code``."""
    program = (
        f"import sys\n{code}\nfrom magwise.cli import run\nsys.argv[1:] = {list(args)!r}\nrun()"
    )
    return subprocess.run(
        [sys.executable, "-c", program], check=False, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def case_file(tmp_path: Path, food_index: FoodIndex) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(make_case()), encoding="utf-8")
    return path


def test_the_answer_and_status_are_those_of_the_usual_exit(case_file: Path) -> None:
    quick = _magwise("assess", str(case_file), "--json")
    usual = subprocess.run(
        [
            sys.executable,
            "-c",
            "from magwise.cli import main; main()",
            "assess",
            str(case_file),
            "--json",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (quick.returncode, quick.stdout, quick.stderr) == (0, usual.stdout, usual.stderr)
    assert json.loads(quick.stdout)["action"]  # a whole answer, flushed


def test_bad_input_still_exits_2_with_one_line(tmp_path: Path) -> None:
    done = _magwise("assess", str(tmp_path / "missing.json"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("magwise: error:")


def test_exit_functions_run_and_output_is_flushed() -> None:
    code = (
        "import atexit\n"
        "atexit.register(lambda: sys.stderr.write('exit functions ran\\n'))\n"
        "sys.stdout.write('unflushed')"  # buffered: written only by the flush at exit
    )
    done = _magwise("--version", code=code)
    assert done.returncode == 0
    assert done.stdout.startswith("unflushed") and "magwise, version" in done.stdout
    assert done.stderr == "exit functions ran\n"


def test_a_running_thread_is_waited_for_as_usual() -> None:
    code = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), print('thread finished'))).start()"
    )
    done = _magwise("--version", code=code)
    assert done.returncode == 0
    assert done.stdout.rstrip().endswith("thread finished")


def test_a_closed_pipe_is_no_traceback(case_file: Path) -> None:
    program = "from magwise.cli import run; run()"
    with subprocess.Popen(
        [sys.executable, "-c", program, "assess", str(case_file), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()  # the reader goes away, as `| head -c 10` does
        error = process.stderr.read().decode()
        process.wait(timeout=120)
    assert "Traceback" not in error


def test_long_running_commands_keep_the_usual_garbage_collection() -> None:
    assert {"serve", "cohort"} == _LONG_RUNNING
    try:
        for name in sorted(_LONG_RUNNING):
            gc.set_threshold(100_000, 10, 10)
            with cli.make_context("magwise", [name, "--help"], resilient_parsing=True) as ctx:
                assert cli.get_command(ctx, name) is not None
            assert gc.get_threshold() == _USUAL_GC_THRESHOLD
        gc.set_threshold(100_000, 10, 10)
        with cli.make_context("magwise", ["assess"], resilient_parsing=True) as ctx:
            cli.get_command(ctx, "assess")
        assert gc.get_threshold()[0] == 100_000  # a short command keeps the raised one
    finally:
        gc.set_threshold(*_USUAL_GC_THRESHOLD)


def test_the_console_script_and_python_m_use_the_quick_exit() -> None:
    import tomllib

    root = Path(__file__).parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["magwise"] == "magwise.cli:run"
    assert "run()" in (root / "src" / "magwise" / "__main__.py").read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, ["--version"]).exit_code == 0
