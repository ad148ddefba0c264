"""What the browser and server tests share: Debian's Chromium and ``magwise serve`` on a free port.

Chromium is ``/usr/bin/chromium`` (Debian's package), driven by Playwright with
``executable_path`` — never a downloaded browser. The server runs in a subprocess
with its own store; its log is printed when a test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from magwise.store import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Chromium (Debian: apt-get install chromium)"
)

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``magwise serve ARGS`` on a free loopback port, with its own store and log."""

    def __init__(self, where: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{where / 'magwise.sqlite3'}"
        self.log = where / "serve.log"
        self._out = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "magwise", "serve", *args, "--port", str(self.port)],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                "MAGWISE_DATABASE_URL": self.database_url,
            },
        )

    def wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"magwise serve stopped:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"magwise serve did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()

    def counts(self) -> dict[str, int]:
        """What the server's store holds, read straight from the database."""
        with Store.open(self.database_url) as store:
            return store.counts(store.local_person())

    @contextmanager
    def watch(self) -> Iterator[None]:
        """Print the server's log when the test fails."""
        try:
            yield
        except BaseException:
            self._out.flush()
            print(f"--- magwise serve log ({self.log}) ---\n{self.log.read_text()}")
            raise


@contextmanager
def running(where: Path, *args: str) -> Iterator[Server]:
    """A started server (``magwise serve ARGS``), stopped afterwards."""
    server = Server(where, *args)
    try:
        server.wait()
        yield server
    finally:
        server.stop()


@contextmanager
def serving_multi_user(database_url: str, *extra: str) -> Iterator[str]:
    """``magwise serve --multi-user`` in a process of its own on ``database_url``; its base URL."""
    port = free_port()
    env = {**os.environ, "MAGWISE_DATABASE_URL": database_url, "MAGWISE_WARM_UP": "false"}
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        [sys.executable, "-m", "magwise", "serve", "--multi-user", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as process:
        try:
            for _ in range(600):
                try:
                    with urllib.request.urlopen(f"{base}/api/v1/health", timeout=1):
                        break
                except OSError:
                    if process.poll() is not None:
                        stderr = process.stderr.read() if process.stderr else b""
                        raise AssertionError(stderr.decode()) from None
                    time.sleep(0.1)  # waiting for the server to listen; no timing asserted
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$MAGWISE_SCREENSHOT_DIR``, or a temporary directory."""
    where = os.environ.get("MAGWISE_SCREENSHOT_DIR")
    path = Path(where) if where else tmp_path_factory.mktemp("screens")
    path.mkdir(parents=True, exist_ok=True)
    return path


def settled(page: Page, selector: str) -> None:
    """Wait until htmx has wired up what it swapped into ``selector`` (it does so on settling)."""
    expect(page.locator(selector)).not_to_have_class(re.compile(r"htmx-(swapping|settling)"))


def watch_results(page: Page) -> None:
    """From now on the page keeps the query of the last food search htmx has answered."""
    page.evaluate(
        """() => document.addEventListener("htmx:afterSettle", (event) => {
            const url = event.detail.xhr ? event.detail.xhr.responseURL : "";
            if (url.includes("foods")) window.resultsFor = new URL(url).searchParams.get("q");
        })"""
    )


def results_for_what_was_typed(page: Page, search: Locator) -> None:
    """Wait (after ``watch_results``) until the food results answer all that is in the search
    field: on a slow machine a search for the first letters may be answered first."""
    page.wait_for_function("q => window.resultsFor === q", arg=search.input_value())
    settled(page, "#food-results")
