"""Imports check codes: an unknown condition, medication, scalp sign, hair pattern,
trigger, symptom, unit, form, standard or food is refused with its field named,
before anything is written, by the API, the Data page and ``magwise import``.
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.cli import cli
from magwise.examples.diary import seed_example
from magwise.foods import FoodIndex
from magwise.store import Store
from magwise.store._export import parse_export
from magwise.web import Settings, create_app

Change = Callable[[dict[str, Any]], None]


def _set(kind: str, field: str, value: Any, index: int = 0) -> Change:
    def change(doc: dict[str, Any]) -> None:
        doc[kind][index][field] = value

    return change


def _trigger(doc: dict[str, Any]) -> None:
    doc["profiles"][0]["triggers"][0]["kind"] = "full_moon"


UNKNOWN: dict[str, Change] = {
    "profiles[0].conditions[1]": _set("profiles", "conditions", ["kidney_disease", "gout"]),
    "profiles[0].medications[0]": _set("profiles", "medications", ["aspirin_forte"]),
    "profiles[0].scalp[0]": _set("profiles", "scalp", ["glitter"]),
    "profiles[0].hair_pattern": _set("profiles", "hair_pattern", "zigzag"),
    "profiles[0].standard": _set("profiles", "standard", "who"),
    "profiles[0].triggers[0].kind": _trigger,
    "symptoms[0].code": _set("symptoms", "code", "hiccups"),
    "labs[0].unit": _set("labs", "unit", "mg/furlong"),
    "products[0].form": _set("products", "form", "unobtainium"),
    "plans[0].form": _set("plans", "form", "unobtainium"),
    "supplements[0].form": _set("supplements", "form", "unobtainium"),
    "foods[0].ndb": _set("foods", "ndb", "99999"),
    "foods[1].portion": _set("foods", "portion", "1 bucket", index=1),
}
# a name where the code belongs is refused too: the log keeps codes only
NAMES: dict[str, Change] = {
    "symptoms[0].code": _set("symptoms", "code", "Muscle cramps"),
    "foods[0].ndb": _set("foods", "ndb", "1001"),
}


@pytest.fixture
def export(tmp_path: Path, food_index: FoodIndex) -> dict[str, Any]:
    """The example log's export (it holds every kind of code)."""
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    with Store.open(url) as store:
        me = store.local_person()
        assert seed_example(store, me)
    app = create_app(Settings(database_url=url, warm_up=False))
    with local_client(app) as client:
        doc: dict[str, Any] = client.get("/api/v1/me/export").json()
    return doc


@pytest.fixture
def client(database_url: str, food_index: FoodIndex) -> Iterator[TestClient]:
    with Store.open(database_url) as store:
        assert seed_example(store, store.local_person())
    app = create_app(Settings(database_url=database_url, warm_up=False))
    with local_client(app) as client:
        yield client


def changed(doc: dict[str, Any], change: Change) -> dict[str, Any]:
    copied = copy.deepcopy(doc)
    change(copied)
    return copied


def test_the_export_itself_is_accepted(export: dict[str, Any]) -> None:
    parse_export(copy.deepcopy(export))


@pytest.mark.parametrize("field", list(UNKNOWN))
def test_unknown_codes_are_refused_by_the_api(
    client: TestClient, export: dict[str, Any], field: str
) -> None:
    before = client.get("/api/v1/me/export").json()
    answer = client.post(
        "/api/v1/me/import", params={"replace": "true"}, json=changed(export, UNKNOWN[field])
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["field"] == field
    assert client.get("/api/v1/me/export").json() == before  # nothing written


@pytest.mark.parametrize(("field", "change"), list(NAMES.items()))
def test_names_instead_of_codes_are_refused(
    export: dict[str, Any], field: str, change: Change
) -> None:
    from magwise.errors import InputError

    with pytest.raises(InputError) as refused:
        parse_export(changed(export, change))
    assert refused.value.field == field


@pytest.mark.parametrize("field", ["profiles[0].conditions[1]", "foods[0].ndb", "labs[0].unit"])
def test_unknown_codes_are_refused_by_the_page_and_the_cli(
    export: dict[str, Any], field: str, tmp_path: Path, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    with Store.open(url) as store:
        assert seed_example(store, store.local_person())
        held = store.counts(store.local_person())
    text = json.dumps(changed(export, UNKNOWN[field]))
    app = create_app(Settings(database_url=url, warm_up=False))
    with local_client(app) as client:
        page = client.post(
            "/data/import",
            data={"replace": "yes"},
            files={"file": ("e.json", text.encode(), "application/json")},
        )
    assert page.status_code == 422
    # the page says in plain words which entry of the file and which of its values
    kind, _, rest = field.partition("[")
    name = [part for part in rest.split(".") if part and not part[0].isdigit()][-1]
    shown = html.unescape(page.text)
    assert f"entry 1 of “{kind}”" in shown and f"“{name.partition('[')[0]}”" in shown
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    out = CliRunner().invoke(cli, ["import", str(tmp_path / "bad.json"), "--db", url, "--replace"])
    assert out.exit_code == 2, out.output
    assert out.stderr.startswith(f"magwise: error: {field}: ")
    with Store.open(url) as store:
        assert store.counts(store.local_person()) == held
