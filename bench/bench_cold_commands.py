"""Cold commands of this checkout against another one, in paired runs.

``magwise assess case.json --json`` (the 7-day case of ``bench_assess``),
``magwise log food "pumpkin seeds" 30g`` and ``magwise foods search "lima beans"``,
each as a whole process started as a person starts it (the ``magwise`` script of
the checkout's ``.venv``), the two checkouts taking turns in every round; wall
and CPU time, medians and the median of the per-round ratios. Each checkout runs
with its own ``.venv`` and its own copy of the data directory (its prepared
copies and the food index; a shared one would make each remove the other's
copies), found where a person's is (``$XDG_DATA_HOME/magwise``), and its own
throwaway log.

Run from the repository root (both checkouts set up, e.g. by ``./scripts/test``):

    .venv/bin/python bench/bench_cold_commands.py --before ../magwise-main [--rounds 21]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench_assess import seven_day_case

COMMANDS = {
    "magwise assess case.json --json": ["assess", "{case}", "--json"],
    'magwise log food "pumpkin seeds" 30g': ["log", "food", "pumpkin seeds", "30g"],
    'magwise foods search "lima beans"': ["foods", "search", "lima beans"],
}


def _data_dir() -> Path:
    configured = os.environ.get("MAGWISE_DATA_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_data_dir("magwise"))


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "now": Path.cwd()}
    with tempfile.TemporaryDirectory(prefix="magwise-cold-") as tmp:
        case = Path(tmp) / "case.json"
        case.write_text(json.dumps(seven_day_case()), encoding="utf-8")
        envs = {}
        for name in trees:
            # the data directory found as a person's is: by the XDG rule, not $MAGWISE_DATA_DIR
            data_home = Path(tmp) / f"xdg-{name}"
            shutil.copytree(
                _data_dir(), data_home / "magwise", ignore=shutil.ignore_patterns("*.sqlite3*")
            )
            envs[name] = dict(
                os.environ,
                XDG_DATA_HOME=str(data_home),
                MAGWISE_DATABASE_URL=f"sqlite:///{Path(tmp) / f'log-{name}.sqlite3'}",
            )
            envs[name].pop("MAGWISE_DATA_DIR", None)
            envs[name].pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed package runs
        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        bare: list[float] = []
        for round_ in range(args.rounds + 1):  # the first round writes the caches
            for label, words in COMMANDS.items():
                for name, root in trees.items():
                    magwise = str(root / ".venv" / "bin" / "magwise")  # the command a person runs
                    command = [magwise, *(w.format(case=case) for w in words)]
                    timed = _timed(command, envs[name])
                    if round_:
                        runs.setdefault((label, name), []).append(timed)
            if round_:
                python = str(trees["now"] / ".venv" / "bin" / "python")
                bare.append(_timed([python, "-c", "pass"], envs["now"])[0])
    print(f"{args.rounds} rounds, load average after: {os.getloadavg()[0]:.2f}")
    print(
        "| Command | before: wall median (min) | now: wall median (min) | now: CPU median "
        "| now / before (median of per-round ratios) |"
    )
    print("|---|---:|---:|---:|---:|")
    for label in COMMANDS:
        before, now = runs[(label, "before")], runs[(label, "now")]
        ratio = statistics.median(n[0] / b[0] for b, n in zip(before, now, strict=True))
        shown = [_ms([w for w, _ in side]) for side in (before, now)]
        cpu = statistics.median(c for _, c in now) * 1000
        print(f"| `{label}` | {shown[0]} | {shown[1]} | {cpu:.1f} ms | {ratio:.2f} |")
    print(f"| `python -c pass` | | {_ms(bare)} | | |")


def _ms(walls: list[float]) -> str:
    """Median and minimum in milliseconds."""
    return f"{statistics.median(walls) * 1000:.1f} ({min(walls) * 1000:.1f}) ms"


if __name__ == "__main__":
    main()
