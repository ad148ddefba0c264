from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from magwise.foods import FoodIndex


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
