"""No write the server acknowledged is lost: the server is killed (SIGKILL) while several
clients write, again and again; on PostgreSQL the database server itself is also
crashed (immediate shutdown) and started again in the middle of a run.

SQLite runs in WAL mode with ``synchronous=FULL``; PostgreSQL with its defaults
for commits (``synchronous_commit=on``). Afterwards every note that was answered
201 is in the log. The counts are printed.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from pathlib import Path

import pytest
from tests._postgres import Server
from tests._serving import Serving

from magwise.store import Store

WRITERS = 4
ROUNDS = 5


class _Writers:
    """``WRITERS`` threads adding notes until told to stop; what was answered 201."""

    def __init__(self, server: Serving, round_: int) -> None:
        self.acknowledged: set[str] = set()
        self.sent = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._write, args=(server, f"r{round_}-w{n}"), daemon=True)
            for n in range(WRITERS)
        ]
        for thread in self._threads:
            thread.start()

    def _write(self, server: Serving, name: str) -> None:
        n = 0
        while not self._stop.is_set():
            text = f"{name}-{n}"
            n += 1
            try:
                status = server.note(text)[0]
            except (OSError, http.client.HTTPException):
                # the server is gone (killed), before or while it answered: an answer cut
                # short acknowledges nothing
                time.sleep(0.05)
                continue
            with self._lock:
                self.sent += 1
                if status == 201:
                    self.acknowledged.add(text)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)


def _stored(url: str) -> set[str]:
    with Store.open(url) as store:
        return {note.text for note in store.record(store.local_person()).notes}


def _kill_rounds(url: str, tmp_path: Path, postgres: Server | None) -> None:
    chance = random.Random(20261204)
    acknowledged: set[str] = set()
    sent = crashes = 0
    for round_ in range(ROUNDS):
        server = Serving(url, tmp_path / f"serve-{round_}.log")
        writers = _Writers(server, round_)
        try:
            time.sleep(chance.uniform(0.3, 1.0))
            if postgres is not None and round_ % 2 == 1:
                postgres.crash()  # the database goes down under the writers
                crashes += 1
                time.sleep(chance.uniform(0.1, 0.4))
                postgres.start()
                time.sleep(chance.uniform(0.3, 0.8))
            server.kill()
        finally:
            writers.stop()
            server.stop()
        acknowledged |= writers.acknowledged
        sent += writers.sent
    stored = _stored(url)
    lost = acknowledged - stored
    print(
        f"kills {ROUNDS}, database crashes {crashes}, writes sent {sent}, "
        f"acknowledged {len(acknowledged)}, lost {len(lost)}"
    )
    assert not lost, f"acknowledged writes lost: {sorted(lost)[:10]}"
    assert len(acknowledged) > ROUNDS * WRITERS


@pytest.mark.slow
def test_killing_the_server_loses_no_acknowledged_write_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    Store.open(url).close()
    _kill_rounds(url, tmp_path, None)


@pytest.mark.slow
def test_killing_the_server_and_crashing_postgres_loses_no_acknowledged_write(
    crashable_postgres: Server, tmp_path: Path
) -> None:
    url = crashable_postgres.url(crashable_postgres.store_database())
    _kill_rounds(url, tmp_path, crashable_postgres)
