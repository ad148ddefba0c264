"""Benchmark the web API over real HTTP on 127.0.0.1.

The server is ``magwise serve`` in one process; the load generator is this file in
a second process (``--load``): a small asyncio HTTP/1.1 client over keep-alive
connections. For each endpoint it measures the maximum rate (closed loop: a few
connections, each sending its next request when the answer arrives) and then the
latency at half that rate (open loop: requests sent on a fixed schedule; latency
is counted from the scheduled time, so a slow answer cannot hide later delays).
Every run is bounded in time and in count, and only ever talks to 127.0.0.1.

Run from the repository root:

    .venv/bin/python bench/bench_web.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench_assess import seven_day_case

HOST = "127.0.0.1"
CONNECTIONS = 8
SECONDS = 5.0
MAX_REQUESTS = 200_000
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


# -- the load generator (second process) --------------------------------------


def _request_bytes(method: str, path: str, body: bytes) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
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
    return _summary(latencies, elapsed, errors)


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
    return _summary(latencies, elapsed, errors)


def _summary(latencies: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "rps": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def _pin(cpu: int) -> None:
    """Keep this process on one CPU (Linux), so that server and client do not trade places."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {cpu})


def load(args: argparse.Namespace) -> None:
    _pin(1)
    spec = json.loads(Path(args.load).read_text())
    requests = [_request_bytes(m, p, b.encode()) for m, p, b in spec["requests"]]
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
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(server.pid, {0})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("magwise serve did not start")


def _run_load(port: int, spec: Path, rate: float | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--load", str(spec), "--port", str(port)]
    command += ["--seconds", str(SECONDS)]
    if rate:
        command += ["--rate", f"{rate:.1f}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main() -> None:
    case = json.dumps(seven_day_case())
    endpoints = {
        "GET /api/v1/health": [["GET", "/api/v1/health", ""]],
        "POST /api/v1/assess (7 days x 10 foods)": [["POST", "/api/v1/assess", case]],
        "GET /api/v1/foods?q= (12 queries)": [
            ["GET", f"/api/v1/foods?q={q.replace(' ', '+')}&limit=10", ""] for q in QUERIES
        ],
    }
    before = os.getloadavg()[0]
    port = _free_port()
    server = _start_server(port)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as directory:
            for name, requests in endpoints.items():
                spec = Path(directory) / "spec.json"
                spec.write_text(json.dumps({"requests": requests}))
                _run_load(port, spec)  # warm up
                top = _run_load(port, spec)
                half = _run_load(port, spec, rate=top["rps"] / 2)
                rows.append((name, top, half))
    finally:
        server.terminate()
        server.wait(10)
    ceiling = rows[0][1]["rps"]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"load average before/after: {before:.2f}/{os.getloadavg()[0]:.2f}"
    )
    print(
        "| Endpoint | max req/s | share of health | p50 / p99 at max | "
        "req/s at half | p50 / p99 at half | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, top, half in rows:
        print(
            f"| `{name}` | {top['rps']:,.0f} | {top['rps'] / ceiling:.0%} "
            f"| {top['p50_ms']:.2f} / {top['p99_ms']:.2f} ms "
            f"| {half['rps']:,.0f} | {half['p50_ms']:.2f} / {half['p99_ms']:.2f} ms "
            f"| {top['errors'] + half['errors']} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--load", help="(internal) run the load generator on this spec")
    parser.add_argument("--port", type=int)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--rate", type=float)
    arguments = parser.parse_args()
    if arguments.load:
        load(arguments)
    else:
        main()
