"""``magwise serve`` (local mode) on a given database, in a process of its own."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests._browser import free_port

DAY = "2026-12-01"


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class Serving:
    """``magwise serve`` (local mode) on ``database_url`` in a process of its own."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = free_port()
        self.token = ""
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "magwise", "serve", "--port", str(self.port)],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                "MAGWISE_DATABASE_URL": database_url,
                "MAGWISE_WARM_UP": "false",
            },
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/csrf", timeout=1) as answer:
                    # local mode: every write carries the process's CSRF token
                    self.token = str(json.loads(answer.read())["csrf_token"])
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"magwise serve did not start:\n{log.read_text()}") from None
                time.sleep(0.1)

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, str], str]:
        data = None if body is None else json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "Origin": self.base,
            "X-CSRF-Token": self.token,
        }
        request = urllib.request.Request(
            f"{self.base}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, _lower(answer.headers), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers), error.read().decode()

    def note(self, text: str, day: str = DAY) -> tuple[int, dict[str, str], str]:
        return self.request("POST", "/api/v1/me/entries/note", {"date": day, "text": text})

    def kill(self) -> None:
        """End the server at once (SIGKILL), as a crash or a power cut would."""
        self.process.kill()
        self.process.wait()
        self._out.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()


@contextlib.contextmanager
def serving(database_url: str, log: Path) -> Iterator[Serving]:
    server = Serving(database_url, log)
    try:
        yield server
    except BaseException:
        print(f"--- magwise serve log ---\n{log.read_text()}")
        raise
    finally:
        server.stop()
