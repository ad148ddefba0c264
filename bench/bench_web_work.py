"""Where an assess request's server CPU goes: its work timed inside the server.

``bench_web.py`` compares the server's CPU per assess request with health's plus
the same work (parse, assess, JSON) timed in a loop in its own process. This
benchmark times that work inside the server, request by request (the thread's
CPU time from ``parse_case`` to ``result_json``), while wrk (or the Python
load generator of ``bench_web.py``) keeps it busy with assess requests, and
beside it the same work in this process: in a hot loop, and each time after a
health request answered by the app in-process (``magwise.web.inprocess``),
which leaves the CPU's caches to other code as a server's requests do.

Server and load generator are pinned to their own CPU as in ``bench_web.py``.

Run from the repository root:

    .venv/bin/python bench/bench_web_work.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import bench_web
from bench_assess import seven_day_case

CALLS = 2000  # work calls per in-process measurement


def serve(port: int) -> None:
    """``magwise serve`` with the assess work of every request timed; the totals go to
    stdout as JSON when the server is stopped (SIGTERM)."""
    import magwise.web.api.assess as answering
    from magwise.cli import main

    totals = {"requests": 0, "seconds": 0.0, "began": 0.0}
    names = vars(answering)  # the module's names, as its answer() looks them up
    parse_case, result_json = names["parse_case"], names["result_json"]

    def timed_parse(text: str) -> Any:
        totals["began"] = time.thread_time()
        return parse_case(text)

    def timed_json(result: Any) -> bytes:
        body: bytes = result_json(result)
        totals["seconds"] += time.thread_time() - totals["began"]
        totals["requests"] += 1
        return body

    names["parse_case"], names["result_json"] = timed_parse, timed_json

    def stop(*_: object) -> None:
        print(json.dumps({"requests": totals["requests"], "seconds": totals["seconds"]}))
        sys.stdout.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    main(["serve", "--host", bench_web.HOST, "--port", str(port)])


def _in_process() -> tuple[float, float]:
    """Mean thread CPU time of the work in this process, hot and after a health request."""
    from magwise.advisor import assess
    from magwise.case import parse_case
    from magwise.foods import load_foods
    from magwise.knowledge import load_knowledge
    from magwise.web.api.assess import result_json
    from magwise.web.app import create_app
    from magwise.web.inprocess import call

    app = create_app()
    kb, foods = load_knowledge(), load_foods()
    text = json.dumps(seven_day_case())

    async def run(after_health: bool) -> float:
        spent = 0.0
        for _ in range(CALLS):
            if after_health:
                await call(app, "GET", "/api/v1/health", b"", {"host": "localhost"})
            start = time.thread_time()
            result_json(assess(parse_case(text), knowledge=kb, foods=foods))
            spent += time.thread_time() - start
        return spent / CALLS

    asyncio.run(run(False))  # warm up
    hot, after = [], []
    for _ in range(5):
        hot.append(asyncio.run(run(False)))
        after.append(asyncio.run(run(True)))
    return statistics.median(hot), statistics.median(after)


def main(rounds: int, generator: str) -> None:
    port = bench_web._free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)], stdout=subprocess.PIPE
    )
    bench_web._pin(server.pid, bench_web.SERVER_CPU)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://{bench_web.HOST}:{port}/api/v1/health"):
                break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)
    name = "POST /api/v1/assess (7 days x 10 foods)"
    spec = bench_web._endpoints()[name]
    cpu_ms = []
    try:
        with tempfile.TemporaryDirectory() as directory:
            spec_file, script = Path(directory) / "spec.json", Path(directory) / "wrk.lua"
            spec_file.write_text(json.dumps(spec))
            script.write_text(bench_web._wrk_script(spec, bench_web._token(port)))
            for round_ in range(rounds + 1):  # the first warms up
                before = bench_web._cpu_seconds(server.pid)
                if generator == "wrk":
                    top = bench_web._run_wrk(port, script)
                else:
                    top = bench_web._run_python(port, spec_file)
                if round_:
                    spent = bench_web._cpu_seconds(server.pid) - before
                    cpu_ms.append(spent * 1000 / top["requests"])
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
    totals = json.loads(out.decode().strip().splitlines()[-1])
    work_server = totals["seconds"] / totals["requests"] * 1000
    hot, after = (seconds * 1000 for seconds in _in_process())
    server_cpu = statistics.median(cpu_ms)
    print(f"generator {generator}; {rounds} rounds of {bench_web.SECONDS:.0f} s; "
          f"{totals['requests']:,} assess requests timed in the server")  # fmt: skip
    print("| Measure | CPU per request |")
    print("|---|---:|")
    print(f"| server CPU per assess request (rounds: "
          f"{', '.join(f'{c:.3f}' for c in cpu_ms)}) | {server_cpu:.3f} ms |")  # fmt: skip
    print(f"| the work (parse, assess, JSON) inside the server | {work_server:.3f} ms |")
    print(f"| the work in this process, hot loop | {hot:.3f} ms |")
    print(f"| the work in this process, each after a health request | {after:.3f} ms |")
    print(
        f"\nThe server's CPU per assess request beyond its work: {server_cpu - work_server:.3f} ms;"
        f" the work costs {work_server / hot:.2f}x in the server what it costs in a hot loop."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=bench_web.ROUNDS)
    parser.add_argument(
        "--generator",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
    )
    parser.add_argument("--serve", type=int, help="(internal) run the timed server on this port")
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve)
    else:
        main(arguments.rounds, arguments.generator)
