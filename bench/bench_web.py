"""Benchmark the web API over real HTTP on 127.0.0.1.

The server is ``magwise serve`` (uvicorn with httptools and uvloop, one process)
pinned to the first CPU; the load generator is a second process pinned to the
second CPU and only ever talks to 127.0.0.1. Every endpoint is measured on the
same server, in rounds that take the endpoints in turn, so that a busy moment of
the machine falls on all of them alike. In each round and for each endpoint:

* the maximum rate: a closed loop of 8 keep-alive connections for 5 s, run by
  ``wrk`` (a C load generator, with a Lua script for the POST body) when it is
  installed, else by the asyncio client of this file (``--generator python``);
* the server's CPU time per request over that run (from ``/proc``): what each
  endpoint really costs, much less sensitive than req/s to the rest of the
  machine; and how busy the server and the load generator were (a server well
  under 100% busy was starved by other processes, or held back by the client);
* the latency at half that rate: an open loop (the asyncio client of this
  file) that sends requests on a fixed schedule for 5 s and counts each latency
  from its scheduled time, so that a stall cannot hide the requests behind it.

Every run is bounded in time (5 s, and a subprocess timeout) and in count
(``MAX_REQUESTS``; a run that reaches it is reported as cut short). The figures
are the medians over the rounds; "share of health" is the median of the
per-round ratios. After the HTTP runs, the work of one assess request is timed
in-process (CPU time), stage by stage, to show where the server's time goes.

Run from the repository root:

    .venv/bin/python bench/bench_web.py [--rounds 3] [--generator wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from bench_assess import seven_day_case

HOST = "127.0.0.1"
CONNECTIONS = 8
SECONDS = 5.0
MAX_REQUESTS = 500_000
ROUNDS = 3
SERVER_CPU, CLIENT_CPU = 0, 1
QUERIES = [
    "almonds",
    "oats cooked",
    "spinach boiled",
    "dark chocolate",
    "black beans",
    "pumpkin seeds",
    "banana",
    "whole wheat bread",
    "brown rice",
    "tofu",
    "milk",
    "salmon",
]

Spec = list[list[str]]  # [[method, path, body], ...], sent in turn


# -- the Python load generator (second process) -------------------------------


def _token(port: int) -> str:
    """The server's CSRF token, which every POST carries (local mode)."""
    with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/csrf", timeout=10) as answer:
        token: str = json.load(answer)["csrf_token"]
    return token


def _request_bytes(method: str, path: str, body: bytes, port: int, token: str) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        head += f"X-CSRF-Token: {token}\r\n"
    return (head + "\r\n").encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def _closed(port: int, requests: list[bytes], seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    counter = 0

    async def worker() -> None:
        nonlocal counter, errors
        reader, writer = await asyncio.open_connection(HOST, port)
        while time.perf_counter() < stop and counter < MAX_REQUESTS:
            request = requests[counter % len(requests)]
            counter += 1
            start = time.perf_counter()
            if await _exchange(reader, writer, request) != 200:
                errors += 1
            latencies.append(time.perf_counter() - start)
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    elapsed = time.perf_counter() - began
    return _summary(latencies, elapsed, errors, cut=counter >= MAX_REQUESTS)


async def _open(port: int, requests: list[bytes], seconds: float, rate: float) -> dict[str, Any]:
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(CONNECTIONS * 4):
        pool.put_nowait(await asyncio.open_connection(HOST, port))
    latencies: list[float] = []
    errors = 0
    total = min(int(rate * seconds), MAX_REQUESTS)

    async def one(index: int, due: float) -> None:
        nonlocal errors
        connection = await pool.get()
        if await _exchange(*connection, requests[index % len(requests)]) != 200:
            errors += 1
        latencies.append(time.perf_counter() - due)
        pool.put_nowait(connection)

    began = time.perf_counter()
    tasks = []
    index = 0
    while index < total:  # every half millisecond, send what is due
        due_now = min(total, int((time.perf_counter() - began) * rate) + 1)
        while index < due_now:
            tasks.append(asyncio.create_task(one(index, began + index / rate)))
            index += 1
        await asyncio.sleep(0.0005)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    while not pool.empty():
        pool.get_nowait()[1].close()
    return _summary(latencies, elapsed, errors, cut=False)


def _summary(latencies: list[float], elapsed: float, errors: int, cut: bool) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "seconds": elapsed,
        "rps": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "cut": cut,
    }


def _pin(pid: int, cpu: int) -> None:
    """Keep a process on one CPU (Linux), so that server and client do not trade places."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(pid, {cpu})


def load(args: argparse.Namespace) -> None:
    _pin(0, CLIENT_CPU)
    spec: Spec = json.loads(Path(args.load).read_text())
    token = _token(args.port)
    requests = [_request_bytes(m, p, b.encode(), args.port, token) for m, p, b in spec]
    try:
        import uvloop

        factory: Any = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        if args.rate:
            result = runner.run(_open(args.port, requests, args.seconds, args.rate))
        else:
            result = runner.run(_closed(args.port, requests, args.seconds))
    print(json.dumps(result))


# -- wrk (second process) -----------------------------------------------------

_WRK_REPORT = """
local served = 0
function response(status, headers, body)
  served = served + 1
  if served >= %(limit)d then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %%d, "seconds": %%f, "errors": %%d, "p50_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _lua_string(text: str) -> str:
    """A Lua string literal: printable ASCII as is, every other byte as a decimal escape."""
    escaped = []
    for char in text:
        if char.isascii() and char.isprintable() and char not in '"\\':
            escaped.append(char)
        else:
            escaped.extend(f"\\{byte:03d}" for byte in char.encode())
    return '"' + "".join(escaped) + '"'


def _wrk_script(spec: Spec, token: str) -> str:
    """A wrk script sending the requests of ``spec`` in turn and reporting JSON when done."""
    lines = []
    if len(spec) == 1:  # one fixed request: wrk sends the same bytes without calling Lua
        method, path, body = spec[0]
        lines += [f"wrk.method = {_lua_string(method)}", f"wrk.path = {_lua_string(path)}"]
        if body:
            lines += [
                'wrk.headers["Content-Type"] = "application/json"',
                f'wrk.headers["X-CSRF-Token"] = {_lua_string(token)}',
                f"wrk.body = {_lua_string(body)}",
            ]
    else:
        # built in init(): only then does wrk.format know the Host header the server checks
        lines += ["local requests, turn = {}, 0", "function init(args)"]
        for method, path, body in spec:
            json_with_token = (
                '{["Content-Type"] = "application/json", '
                f'["X-CSRF-Token"] = {_lua_string(token)}}}'
            )
            headers = json_with_token if body else "nil"
            lines.append(
                f"table.insert(requests, wrk.format({_lua_string(method)}, {_lua_string(path)}, "
                f"{headers}, {_lua_string(body) if body else 'nil'}))"
            )
        lines.append("end")
        lines.append("function request() turn = turn % #requests + 1; return requests[turn] end")
    return "\n".join(lines) + _WRK_REPORT % {"limit": MAX_REQUESTS}  # wrk runs one thread


def _run_wrk(port: int, script: Path) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS:.0f}s", "-s", str(script)]
    command.append(f"http://{HOST}:{port}/")
    out = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        timeout=SECONDS + 60,
        preexec_fn=lambda: _pin(0, CLIENT_CPU),
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["cut"] = result["requests"] >= MAX_REQUESTS
    result["rps"] = result["requests"] / result["seconds"]
    return result


# -- the benchmark (first process) --------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _start_server(port: int) -> subprocess.Popen[bytes]:
    magwise = Path(sys.executable).parent / "magwise"
    server = subprocess.Popen(
        [str(magwise), "serve", "--host", HOST, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pin(server.pid, SERVER_CPU)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("magwise serve did not start")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, all its threads (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    """CPU time of the finished load generators (the server is still running)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_python(port: int, spec: Path, rate: float | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--load", str(spec), "--port", str(port)]
    command += ["--seconds", str(SECONDS)]
    if rate:
        command += ["--rate", f"{rate:.1f}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=SECONDS + 60)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _endpoints() -> dict[str, Spec]:
    case = json.dumps(seven_day_case())
    return {
        "GET /api/v1/health": [["GET", "/api/v1/health", ""]],
        "POST /api/v1/assess (7 days x 10 foods)": [["POST", "/api/v1/assess", case]],
        "GET /api/v1/foods?q= (12 queries)": [
            ["GET", f"/api/v1/foods?q={quote_plus(q)}&limit=10", ""] for q in QUERIES
        ],
    }


def _stages() -> list[tuple[str, float]]:
    """The work of one assess request in-process, stage by stage, and of one food search
    (median seconds)."""
    from pydantic import TypeAdapter

    from magwise.advisor import assess
    from magwise.case import parse_case
    from magwise.foods import load_foods
    from magwise.knowledge import load_knowledge
    from magwise.web.api.assess import result_json
    from magwise.web.api.models import SearchHitOut

    text = json.dumps(seven_day_case())
    kb, foods = load_knowledge(), load_foods()
    case = parse_case(text)
    result = assess(case, knowledge=kb, foods=foods)
    hits = TypeAdapter(list[SearchHitOut])
    turn = iter(range(10**9))

    def search() -> bytes:  # the 12 queries in turn, as the HTTP runs send them
        query = QUERIES[next(turn) % len(QUERIES)]
        return hits.dump_json([SearchHitOut.of(hit) for hit in foods.search(query, 10, "en")])

    stages: list[tuple[str, Any]] = [
        ("parse_case (JSON text -> Case)", lambda: parse_case(text)),
        ("assess (Case -> Result)", lambda: assess(case, knowledge=kb, foods=foods)),
        ("result_json (Result -> bytes)", lambda: result_json(result)),
        ("food search and its JSON (12 queries in turn)", search),
    ]
    timings = []
    for name, work in stages:
        runs = []
        for _ in range(20):
            start = time.process_time()  # CPU time, as for the server above
            for _ in range(96):
                work()
            runs.append((time.process_time() - start) / 96)
        timings.append((name, statistics.median(runs)))
    return timings


def _through_app() -> tuple[float, float, float]:
    """CPU per request of health and of assess answered by the app in this process, with
    every middleware but no socket and no server (``magwise.web.inprocess``), and the
    assess work of ``_stages`` timed again in this process, now that it holds the app.

    Health and assess take turns in each of the 20 runs; medians in seconds.
    """
    import asyncio

    from magwise.advisor import assess
    from magwise.case import parse_case
    from magwise.foods import load_foods
    from magwise.knowledge import load_knowledge
    from magwise.web.api.assess import result_json
    from magwise.web.app import create_app
    from magwise.web.inprocess import call

    app = create_app()
    text = json.dumps(seven_day_case())
    body = text.encode()
    kb, foods = load_knowledge(), load_foods()

    async def run() -> tuple[float, float, float]:
        host = {"host": "localhost"}  # the in-process server's own name (port 80)
        token = json.loads((await call(app, "GET", "/api/v1/csrf", b"", host)).body)
        post = {
            **host,
            "content-type": "application/json",
            "content-length": str(len(body)),
            "x-csrf-token": token["csrf_token"],
        }
        answer = await call(app, "POST", "/api/v1/assess", body, post)
        if answer.status != 200 or answer.body != result_json(
            assess(parse_case(text), knowledge=kb, foods=foods)
        ):
            raise SystemExit(f"in-process assess answered {answer.status}, not the result")
        runs: dict[str, list[float]] = {"health": [], "assess": [], "work": []}
        for _ in range(20):
            for name, times in runs.items():
                start = time.process_time()
                for _ in range(96):
                    if name == "health":
                        await call(app, "GET", "/api/v1/health", b"", host)
                    elif name == "assess":
                        await call(app, "POST", "/api/v1/assess", body, post)
                    else:
                        result_json(assess(parse_case(text), knowledge=kb, foods=foods))
                times.append((time.process_time() - start) / 96)
        health, answered, work = (statistics.median(runs[n]) for n in runs)
        return health, answered, work

    return asyncio.run(run())


def main(rounds: int, generator: str) -> None:
    endpoints = _endpoints()
    before = os.getloadavg()[0]
    port = _free_port()
    server = _start_server(port)
    results: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {n: [] for n in endpoints}
    try:
        with tempfile.TemporaryDirectory() as directory:
            specs, scripts = {}, {}
            for index, (name, spec) in enumerate(endpoints.items()):
                specs[name] = Path(directory) / f"spec{index}.json"
                specs[name].write_text(json.dumps(spec))
                scripts[name] = Path(directory) / f"wrk{index}.lua"
                scripts[name].write_text(_wrk_script(spec, _token(port)))

            def closed(name: str) -> dict[str, Any]:
                cpu, client = _cpu_seconds(server.pid), _children_cpu_seconds()
                if generator == "wrk":
                    top = _run_wrk(port, scripts[name])
                else:
                    top = _run_python(port, specs[name])
                top["cpu_ms"] = (_cpu_seconds(server.pid) - cpu) * 1000 / top["requests"]
                top["busy"] = top["cpu_ms"] * top["requests"] / 1000 / top["seconds"]
                top["client_busy"] = (_children_cpu_seconds() - client) / top["seconds"]
                return top

            for name in endpoints:  # warm up
                closed(name)
            for _ in range(rounds):
                for name in endpoints:
                    top = closed(name)
                    half = _run_python(port, specs[name], rate=top["rps"] / 2)
                    results[name].append((top, half))
    finally:
        server.terminate()
        server.wait(10)

    def med(name: str, which: int, key: str) -> float:
        return float(statistics.median(run[which][key] for run in results[name]))

    health_name, assess, search_name = results
    health = results[health_name]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"generator {generator}; {rounds} rounds of {SECONDS:.0f} s runs; "
        f"load average before/after: {before:.2f}/{os.getloadavg()[0]:.2f}"
    )
    print(
        "| Endpoint | max req/s | share of health | server CPU per request "
        "| server / client busy | p50 / p99 at max | req/s at half | p50 / p99 at half | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        share = statistics.median(
            r[0]["rps"] / h[0]["rps"] for r, h in zip(runs, health, strict=True)
        )
        errors = sum(r[0]["errors"] + r[1]["errors"] for r in runs)
        cut = any(r[0]["cut"] or r[1]["cut"] for r in runs)
        print(
            f"| `{name}` | {med(name, 0, 'rps'):,.0f} | {share:.0%} "
            f"| {med(name, 0, 'cpu_ms'):.3f} ms "
            f"| {med(name, 0, 'busy'):.0%} / {med(name, 0, 'client_busy'):.0%} "
            f"| {med(name, 0, 'p50_ms'):.2f} / {med(name, 0, 'p99_ms'):.2f} ms "
            f"| {med(name, 1, 'rps'):,.0f} "
            f"| {med(name, 1, 'p50_ms'):.2f} / {med(name, 1, 'p99_ms'):.2f} ms "
            f"| {errors}{' (count bound reached)' if cut else ''} |"
        )
    failed = sum(run[0]["errors"] + run[1]["errors"] for runs in results.values() for run in runs)
    if failed:
        print(
            f"\nWarning: {failed} responses were errors (not 2xx): the runs with errors "
            "measured error pages, not the endpoint, and their figures are not valid."
        )
    starved = sum(run[0]["busy"] < 0.9 for runs in results.values() for run in runs)
    if starved:
        print(
            f"\nWarning: in {starved} maximum-rate runs the server was less than 90% busy: "
            "other processes held a CPU, so those figures understate the server."
        )
    print()
    print("Per round (max req/s; p99 at half):")
    for name, runs in results.items():
        rows = ", ".join(f"{r[0]['rps']:,.0f}; {r[1]['p99_ms']:.2f} ms" for r in runs)
        print(f"- `{name}`: {rows}")
    print()
    print("The work of one request in-process (CPU time, median of 20 x 96):")
    stages = _stages()
    for stage, seconds in stages:
        print(f"- {stage}: {seconds * 1000:.3f} ms")
    ceiling = med(health_name, 0, "cpu_ms")
    print(f"- the whole of the server's CPU per health request: {ceiling:.3f} ms")
    print()
    # What the HTTP layer adds: an assess (search) request costs at least a health
    # request (HTTP, routing, the middleware, a JSON answer) plus its own work done
    # in-process; the ratio of the server's CPU per request to that sum is the layer's
    # overhead beyond health's (goal: at most 1.2).
    work = {
        assess: sum(seconds for _, seconds in stages[:3]) * 1000,
        search_name: stages[3][1] * 1000,
    }
    print("Server CPU per request over (health's + the same work in-process); goal at most 1.2:")
    for name, own in work.items():
        ratio = med(name, 0, "cpu_ms") / (ceiling + own)
        per_round = ", ".join(
            f"{run[0]['cpu_ms'] / (h[0]['cpu_ms'] + own):.2f}"
            for run, h in zip(results[name], health, strict=True)
        )
        print(
            f"- `{name}`: {med(name, 0, 'cpu_ms'):.3f} / ({ceiling:.3f} + {own:.3f}) ms "
            f"= **{ratio:.2f}** (rounds: {per_round})"
        )
    # Where an assess request's time beyond health's goes: the app's own handling of
    # it (middleware, routing, reading the body, writing the answer) is what the app
    # adds in-process beyond the work; the rest is the server's (sockets, uvicorn) and
    # the work itself costing more in a process that also serves HTTP.
    health_app, assess_app, work_app = _through_app()
    print()
    print("The same app in this process, no socket (CPU per request, median of 20 x 96):")
    print(f"- health: {health_app * 1000:.3f} ms; assess: {assess_app * 1000:.3f} ms")
    print(
        f"- the assess work again, in this process now that it holds the app: "
        f"{work_app * 1000:.3f} ms (above: {work[assess]:.3f} ms)"
    )
    added = (assess_app - health_app - work_app) * 1000
    print(
        f"- what the app adds to assess beyond health's handling and the work: {added:.3f} ms; "
        f"over HTTP the server adds {med(assess, 0, 'cpu_ms') - ceiling - work_app * 1000:.3f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--generator",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="what drives the maximum-rate runs (default: wrk if installed)",
    )
    parser.add_argument("--load", help="(internal) run the Python load generator on this spec")
    parser.add_argument("--port", type=int)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--rate", type=float)
    arguments = parser.parse_args()
    if arguments.load:
        load(arguments)
    else:
        main(arguments.rounds, arguments.generator)
