"""What one in-process ``assess`` of the 7-day, 10-foods case is made of.

Beside the whole call it times what any pure-Python advisor with the same result
contract must do, whatever its rules:

- the result's validation: its whole model tree validated from its own fields in
  one call (the cheapest way Pydantic builds a validated ``Result``);
- the intake arithmetic: a bare loop over the case's entries that only looks each
  food up once and adds the exact nanogram sums;
- the Python calls: how many function calls one assessment makes (counted with
  ``sys.setprofile``), times the cost of calling an empty function.

Run from the repository root (the food index is built first if missing):

    .venv/bin/python bench/bench_core_floor.py --rounds 7
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_assess import seven_day_case
from magwise import assess, load_foods, parse_case
from magwise.case import Case
from magwise.foods import Food
from magwise.result import Result

CALLS = 2000


def per_call_us(fn: Callable[[], object], rounds: int) -> float:
    """The median over ``rounds`` of the mean time of ``CALLS`` calls, in µs."""
    for _ in range(CALLS // 4):
        fn()
    runs = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(CALLS):
            fn()
        runs.append((time.perf_counter() - start) / CALLS * 1e6)
    return statistics.median(runs)


def intake_arithmetic(case: Case, foods: Any) -> int:
    """The food sums alone: each food looked up once, each entry's exact nanograms."""
    floor = math.floor
    known: dict[str, Food] = {}
    total = 0
    for day in case.days:
        for entry in day.foods:
            food = known.get(entry.food)
            if food is None:
                food = known[entry.food] = foods.get(entry.food)
            mg = food.mg_per_100g
            if entry.grams is not None and mg is not None:
                total += floor(entry.grams * entry.count * mg / 100 * 1e6 + 0.5)
    return total


def calls_per_assess(run: Callable[[], object]) -> tuple[int, int]:
    """Python function calls and calls of built-in (C) functions in one ``run()``."""
    python = builtin = 0

    def counter(frame: FrameType, event: str, arg: object) -> None:
        nonlocal python, builtin
        if event == "call":
            python += 1
        elif event == "c_call":
            builtin += 1

    sys.setprofile(counter)
    try:
        run()
    finally:
        sys.setprofile(None)
    return python - 1, builtin  # less the call of ``run`` itself


def empty() -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    case = parse_case(seven_day_case())
    foods = load_foods()
    result = assess(case, foods=foods)
    fields = result.model_dump()
    assert Result.model_validate(fields) == result

    whole = per_call_us(lambda: assess(case, foods=foods), rounds)
    validation = per_call_us(lambda: Result.model_validate(fields), rounds)
    arithmetic = per_call_us(lambda: intake_arithmetic(case, foods), rounds)
    python_calls, builtin_calls = calls_per_assess(lambda: assess(case, foods=foods))
    nothing = per_call_us(lambda: None, rounds)
    python_call = per_call_us(lambda: empty(), rounds) - nothing  # noqa: PLW0108 (one more call)
    builtin_call = per_call_us(lambda: abs(-1), rounds) - nothing
    entries = sum(len(d.foods) + len(d.supplements) + len(d.water) for d in case.days)

    print(f"Python {platform.python_version()} on {platform.machine()}, {rounds} rounds")
    print("| Part | µs | Share of assess |")
    print("|---|---:|---:|")
    print(f"| whole `assess` (7 days, {entries} entries) | {whole:.1f} | 100 % |")
    print(
        f"| the result's model tree, validated in one call | {validation:.1f} "
        f"| {validation / whole:.0%} |"
    )
    print(
        f"| the food arithmetic alone (bare loop) | {arithmetic:.1f} | {arithmetic / whole:.0%} |"
    )
    calls_us = python_calls * python_call + builtin_calls * builtin_call
    print(
        f"| {python_calls} Python calls x {python_call * 1000:.0f} ns + {builtin_calls} "
        f"built-in calls x {builtin_call * 1000:.0f} ns (calling alone) | {calls_us:.1f} "
        f"| {calls_us / whole:.0%} |"
    )
    floor = validation + arithmetic + calls_us
    print(f"| sum of the three (they overlap a little) | {floor:.1f} | {floor / whole:.0%} |")


if __name__ == "__main__":
    main()
