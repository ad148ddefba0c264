"""FHIR R4 lab import: magnesium Observations in, everything else skipped or refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from magwise import load_knowledge
from magwise.cli import cli
from magwise.errors import InputError
from magwise.fhir import LabResult, read_labs
from magwise.store import Store

SAMPLES = Path(__file__).parent / "data" / "fhir"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_a_single_observation() -> None:
    found = read_labs(sample("observation-mmol.json"))
    assert found.results == (
        LabResult(
            day=dt.date(2026, 11, 20),
            test="serum_magnesium",
            value=0.72,
            unit="mmol/L",
            range_low=0.7,
            range_high=1.1,
            loinc="2601-3",
            source="resource (Observation/mg-serum-1)",
        ),
    )
    assert (found.skipped, found.without_result) == (0, 0)


def test_a_bundle_keeps_the_labs_magwise_reads_and_counts_the_rest() -> None:
    found = read_labs(sample("bundle-mixed.json"))
    ferritin, september, tsh, november = found.results
    assert (ferritin.test, ferritin.value, ferritin.unit) == ("ferritin", 18, "ng/mL")
    assert (september.value, september.unit, september.loinc) == (1.7, "mg/dL", "19123-9")
    assert (september.range_low, september.range_high) == (1.7, 2.2)
    assert september.day == dt.date(2026, 9, 3)
    assert (tsh.test, tsh.value, tsh.unit) == ("tsh", 2.1, "mIU/L")  # UCUM m[IU]/L
    assert (november.value, november.unit, november.day) == (1.62, "mEq/L", dt.date(2026, 11, 20))
    assert found.skipped == 1  # a patient
    assert found.without_result == 1  # entered in error


def test_the_codes_come_from_the_knowledge_base() -> None:
    codes = {c.code for c in load_knowledge().serum.lab_code}
    assert codes == {"19123-9", "2601-3"}


def test_an_unrelated_code_is_skipped() -> None:
    found = read_labs(sample("wrong-code.json"))
    assert (found.results, found.skipped) == ((), 1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "wrong-unit.json",
            r"entry\[1\] \(Observation/mg-serum-grams\) valueQuantity: unit 'mg/L'",
        ),
        ("unit-does-not-fit-code.json", "unit 'mmol/L' does not fit LOINC 19123-9"),
        ("malformed.json", "file: not valid JSON at line 6, column 3"),
        ("missing-value.json", r"entry\[1\] \(Observation/mg-no-value\): valueQuantity is missing"),
    ],
)
def test_a_malformed_magnesium_result_is_refused_naming_the_entry(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_labs(sample(name))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"effectiveDateTime": None, "issued": None}, "has no date"),
        ({"effectiveDateTime": "2026-11"}, "not a full date"),
        ({"valueQuantity": {"value": "0.7", "code": "mmol/L"}}, "'0.7' is not a number"),
        ({"valueQuantity": {"value": 0.7}}, "has no unit"),
        ({"valueQuantity": {"value": 72, "code": "mmol/L"}}, "not a possible serum magnesium"),
    ],
)
def test_each_part_of_an_observation_is_checked(change: dict[str, object], message: str) -> None:
    resource = json.loads(sample("observation-mmol.json"))
    for key, value in change.items():
        if value is None:
            resource.pop(key, None)
        else:
            resource[key] = value
    with pytest.raises(InputError, match=message):
        read_labs(resource)


def test_not_fhir_is_refused() -> None:
    with pytest.raises(InputError, match="resourceType"):
        read_labs("{}")
    with pytest.raises(InputError, match="JSON object"):
        read_labs("[1, 2]")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    monkeypatch.setenv("MAGWISE_DATABASE_URL", url)
    return url


def test_import_labs_stores_results_once(db: str) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["import-labs", str(SAMPLES / "bundle-mixed.json")])
    assert out.exit_code == 0, out.output
    assert "4 lab result(s) imported" in out.stdout
    assert "skipped 1 unrelated resource(s)" in out.stdout
    again = runner.invoke(cli, ["import-labs", str(SAMPLES / "bundle-mixed.json")])
    assert "0 lab result(s) imported; 4 already stored" in again.stdout
    with Store.open(db) as store:
        labs = store.record(store.local_person()).labs
    assert [(lab.day, lab.value, lab.unit) for lab in labs] == [
        (dt.date(2026, 9, 3), 18, "ng/mL"),
        (dt.date(2026, 9, 3), 1.7, "mg/dL"),
        (dt.date(2026, 9, 3), 2.1, "mIU/L"),
        (dt.date(2026, 11, 20), 1.62, "mEq/L"),
    ]


def test_import_labs_refuses_a_bad_file_and_writes_nothing(db: str) -> None:
    out = CliRunner().invoke(cli, ["import-labs", str(SAMPLES / "wrong-unit.json")])
    assert out.exit_code == 2
    assert out.stderr.startswith("magwise: error: entry[1]")
    with Store.open(db) as store:
        assert store.record(store.local_person()).labs == ()
