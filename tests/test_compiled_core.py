"""The compiled core: ``MAGWISE_COMPILE=1`` builds magwise.advisor and magwise.reference
with mypyc (setup.py), and that build answers every case with the same bytes as pure
Python, and passes the assessment tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests._cases import make_case
from tests._compiled import (
    COMPILED_MODULES,
    ROOT,
    answers,
    answers_of_child,
    build_compiled,
    cannot_build,
    with_compiled,
)
from tests.test_assess_clinical_cases import CASES as CLINICAL
from tests.test_assess_properties import cases as generated_cases

pytestmark = pytest.mark.slow

BAD_CASES: list[dict[str, Any]] = [
    make_case(days=[{"date": "2026-11-01", "foods": [{"food": "99999", "grams": 10}]}]),
    make_case(days=[{"date": "2026-11-01", "foods": [{"food": "12014", "portion": "bucket"}]}]),
    make_case(
        days=[{"date": "2026-11-01", "supplements": [{"form": "unobtanium", "elemental_mg": 1}]}]
    ),
    make_case(labs=[{"test": "serum_magnesium", "value": 50, "unit": "mmol/L"}]),
    make_case(labs=[{"test": "serum_magnesium", "value": 0.8, "unit": "furlongs"}]),
    make_case(profile={"sex": "male", "pregnant": True}),
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    why = cannot_build()
    if why is not None:
        pytest.fail(f"the compiled core cannot be built here: {why}")
    return build_compiled(tmp_path_factory.mktemp("compiled-core"))


def _generated(count: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(generated_cases())
    def collect(case: dict[str, Any]) -> None:
        out.append(case)

    collect()
    return out


def test_the_compiled_build_holds_extension_modules(compiled: Path) -> None:
    script = (
        "import importlib, sys\nfor m in sys.argv[1:]: print(importlib.import_module(m).__file__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *COMPILED_MODULES],
        env=with_compiled(compiled),
        capture_output=True,
        text=True,
        check=True,
    )
    files = done.stdout.split()
    assert len(files) == len(COMPILED_MODULES)
    for module, file in zip(COMPILED_MODULES, files, strict=True):
        assert file.startswith(str(compiled)), (module, file)
        assert file.endswith(".so") or file.endswith(".pyd"), (module, file)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_compiled_core_answers_the_same_bytes(compiled: Path, language: str) -> None:
    cases = [*_generated(400), *(c.case for c in CLINICAL), *BAD_CASES]
    # through JSON, as the child reads them: dates become text on both sides
    cases = json.loads(json.dumps(cases, default=str))
    pure = answers(cases, language)
    assert sum(a.startswith("error ") for a in pure) >= len(BAD_CASES)
    assert answers_of_child(compiled, cases, language) == pure


def test_the_assessment_tests_pass_on_the_compiled_core(compiled: Path) -> None:
    script = (
        "import sys\n"
        "import magwise.advisor.intake as compiled\n"
        "assert not compiled.__file__.endswith('.py'), compiled.__file__\n"
        "import pytest\n"
        "sys.exit(pytest.main(sys.argv[1:]))\n"
    )
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_assess*.py"))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            *files,
            "tests/test_cli_assess.py",
        ],
        env=with_compiled(compiled),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
