"""In-process ``assess`` of the 7-day, 10-foods case: pure Python against the compiled
core (``MAGWISE_COMPILE=1``, mypyc; see setup.py), and optionally another checkout.

Each round runs one child process per build, in turn, and each child reports the
median of 15 repeats of 1,000 calls. Run from the repository root:

    .venv/bin/python bench/bench_compiled_core.py --rounds 5 [--before OTHER/src]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests._compiled import build_compiled, with_compiled  # noqa: E402

CHILD = """
import statistics, sys, timeit
sys.path.insert(0, "bench")
from bench_assess import seven_day_case
import magwise.advisor.intake as core
from magwise import assess, load_foods, parse_case
case = parse_case(seven_day_case())
foods = load_foods()
for _ in range(500):
    assess(case, foods=foods)
runs = timeit.repeat(lambda: assess(case, foods=foods), number=1000, repeat=15)
print(statistics.median(runs) / 1000 * 1e6, core.__file__)
"""


def one_run(env: dict[str, str]) -> tuple[float, str]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    us, module = done.stdout.split()
    return float(us), module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, help="the src directory of another checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        compiled = build_compiled(Path(directory))
        builds = {"pure Python": dict(os.environ), "compiled": with_compiled(compiled)}
        if args.before is not None:
            builds = {"before": {**os.environ, "PYTHONPATH": str(args.before)}, **builds}
        times: dict[str, list[float]] = {name: [] for name in builds}
        for _ in range(args.rounds):
            for name, env in builds.items():
                us, module = one_run(env)
                times[name].append(us)
                if name == "compiled":
                    assert not module.endswith(".py"), module
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.rounds} rounds")
    print("| Build | Median µs | Rounds (µs) | Ratio to pure Python, per round |")
    print("|---|---:|---|---|")
    pure = times["pure Python"]
    for name, runs in times.items():
        ratios = ", ".join(f"{t / p:.2f}" for t, p in zip(runs, pure, strict=True))
        shown = ", ".join(f"{t:.0f}" for t in runs)
        print(f"| {name} | {statistics.median(runs):.1f} | {shown} | {ratios} |")


if __name__ == "__main__":
    main()
