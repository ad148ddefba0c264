"""Where a cold ``magwise assess case.json --json`` spends its CPU time, step by step.

Run from the repository root in a fresh process (the food index and the prepared
copies exist after one ``magwise assess``):

    .venv/bin/python bench/bench_cold.py case.json
"""

from __future__ import annotations

import sys
import time

STEPS: list[tuple[str, float]] = []
_LAST = [0.0]  # CPU time since the process began: Python's own start is the first step


def step(name: str) -> None:
    now = time.process_time()
    STEPS.append((name, now - _LAST[0]))
    _LAST[0] = now


def main(path: str) -> None:
    import gc

    from magwise.cli import _SHORT_COMMAND_YOUNG_OBJECTS, _USUAL_GC_THRESHOLD

    # as ``magwise.cli.run`` starts a short command: no collection while it imports
    gc.set_threshold(_SHORT_COMMAND_YOUNG_OBJECTS, *_USUAL_GC_THRESHOLD[1:])
    step("Python's start, Click and magwise.cli")
    import click  # noqa: F401 - what the command line imports first
    import pydantic.main  # noqa: F401

    step("pydantic")
    import magwise.case

    step("magwise.case (its models; validators from the prepared copy)")
    import magwise.result

    step("magwise.result")
    from magwise.knowledge import load_knowledge

    step("magwise.knowledge (its models)")
    load_knowledge()
    step("load_knowledge (the prepared copy)")
    from magwise.advisor import assess

    step("magwise.advisor")
    from magwise.foods import load_foods

    load_foods()
    step("magwise.foods and the food index")
    with open(path, "rb") as file:
        case = magwise.case.parse_case(file.read())
    step("parse_case")
    result = assess(case)
    step("assess")
    result.model_dump_json(indent=2)
    step("the result's JSON")
    for name, seconds in STEPS:
        print(f"- {name}: {seconds * 1000:.1f} ms")
    print(f"- total: {sum(s for _, s in STEPS) * 1000:.1f} ms CPU")


if __name__ == "__main__":
    main(sys.argv[1])
