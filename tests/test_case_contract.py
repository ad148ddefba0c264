"""The case file and the result as public contracts: schemas, versions, errors with field paths."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._cases import day, make_case
from tests.test_assess_properties import cases

from magwise import assess, parse_case, schema
from magwise.errors import InputError
from magwise.examples import example_case_text


def test_example_case_validates_against_the_case_schema() -> None:
    example = json.loads(example_case_text())
    jsonschema.Draft202012Validator(schema("case")).validate(example)
    assert example["version"] == 1


def test_example_result_validates_against_the_result_schema() -> None:
    result = assess(example_case_text())
    jsonschema.Draft202012Validator(schema("result")).validate(json.loads(result.model_dump_json()))


def test_result_has_the_contract_fields() -> None:
    out = json.loads(assess(example_case_text()).model_dump_json())
    assert out["version"] == 1
    assert set(out["intake"]) >= {
        "days",
        "food_mg",
        "water_mg",
        "supplement_mg",
        "total_mg",
        "per_day",
    }
    assert set(out["reference"]) >= {"standard", "target_mg", "supplement_ul_mg", "sources"}
    assert out["status"] in {"deficient", "low", "adequate", "high", "unknown"}
    assert out["status_basis"] in {"serum", "intake", "none"}
    assert isinstance(out["refer_to_doctor"], bool) and isinstance(out["urgent"], bool)
    for finding in out["findings"]:
        assert set(finding) == {"code", "severity", "message", "sources"}
    role = out["magnesium_role"]
    assert set(role) == {"value", "label", "rule", "text", "other_cause", "sources"}
    assert role["value"] in {"unlikely", "possible", "cannot_tell"}
    other = role["other_cause"]
    assert other is None or set(other) == {"code", "label", "text", "sources"}
    plan = out["dose_plan"]
    assert plan is None or set(plan) >= {
        "supplement_mg_per_day",
        "form",
        "compound_mg_per_dose",
        "doses_per_day",
        "review_after_weeks",
        "stop_if",
        "spacing",
        "food_alternatives",
    }


def test_schemas_are_versioned() -> None:
    assert schema("case")["$id"].endswith("/case/v1.json")
    assert schema("result")["$id"].endswith("/result/v1.json")
    assert schema("result")["properties"]["version"]["const"] == 1


def test_only_profile_is_required() -> None:
    assert schema("case")["required"] == ["profile"]
    result = assess({"profile": {"sex": "male", "age_years": 50}})
    assert result.status == "unknown"
    assert len(result.not_judged) == 3


@pytest.mark.parametrize(
    ("case", "field", "says"),
    [
        (
            make_case(days=[day(foods=[{"food": "11457", "grams": -5}])]),
            "days[0].foods[0].grams",
            "at least 0",
        ),
        (make_case(days=[day(foods=[{"food": "11457"}])]), "days[0].foods[0]", "grams or portion"),
        (
            make_case(days=[day(supplements=[{"compound_mg": 100}])]),
            "days[0].supplements[0]",
            "needs a form",
        ),
        (make_case(days=[day(water=[{"liters": 1}])]), "days[0].water[0].mg_per_liter", "required"),
        (make_case(profile={"sex": "other"}), "profile.sex", "'female' or 'male'"),
        (make_case(profile={"age_years": 200}), "profile.age_years", "at most 130"),
        (make_case(profile={"sex": "male", "pregnant": True}), "profile", "female"),
        (make_case(version=2), "version", "accepted: 1"),
        (make_case(colour="blue"), "colour", "not a field"),
        ({"days": []}, "profile", "required"),
        (make_case(days=[day("2026-11-02"), day("2026-11-02")]), "case", "once"),
        (make_case(days=[day("2026-13-40")]), "days[0].date", "date"),
        (
            make_case(
                labs=[{"value": 0.74, "unit": "mmol/L", "range_low": 1.2, "range_high": 0.7}]
            ),
            "labs[0].range_low",
            "1.2 is not below range_high 0.7",
        ),
        (
            make_case(
                labs=[
                    {"value": 0.8, "unit": "mmol/L"},
                    {"value": 0.8, "unit": "mmol/L", "range_low": 0.9, "range_high": 0.9},
                ]
            ),
            "labs[1].range_low",
            "the low end of the lab's range must be below its high end",
        ),
    ],
)
def test_errors_name_the_field_path(case: dict[str, Any], field: str, says: str) -> None:
    with pytest.raises(InputError) as err:
        parse_case(case)
    assert err.value.field == field
    assert says in err.value.message
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("case", "field", "says"),
    [
        (
            make_case(days=[day(supplements=[{"elemental_mg": 100, "name": "x" * 100_000}])]),
            "days[0].supplements[0].name",
            "string should have at most 200 characters (got '" + "x" * 60 + "'…)",
        ),
        (make_case(profile={"sex": "s" * 100_000}), "profile.sex", "'" + "s" * 60 + "'… is not"),
        (make_case(**{"k" * 100_000: 1}), "k" * 60 + "…", "is not a field of the case file"),
        (make_case(profile={"sex": "other"}), "profile.sex", "'other' is not accepted"),
        (make_case(profile={"age_years": 200.5}), "profile.age_years", "200.5 is out of range"),
    ],
)
def test_errors_echo_at_most_60_characters_of_a_value(
    case: dict[str, Any], field: str, says: str
) -> None:
    for data in (case, json.dumps(case)):
        with pytest.raises(InputError) as err:
            parse_case(data)
        assert err.value.field == field
        assert err.value.message.startswith(says)
        assert len(str(err.value)) < 300


_FOOD = {"food": "11457", "grams": 30}


@pytest.mark.parametrize(
    ("case", "field", "says"),
    [
        (
            make_case(days=[day(foods=[{**_FOOD, "grams": True}])]),
            "days[0].foods[0].grams",
            "True is not a number; accepted: a number",
        ),
        (make_case(profile={"age_years": "34"}), "profile.age_years", "'34' is not a number"),
        (make_case(profile={"pregnant": "yes"}), "profile.pregnant", "'yes' is not true or false"),
        (make_case(profile={"lactating": 1}), "profile.lactating", "1 is not true or false"),
        (make_case(hair={"family_history": "no"}), "hair.family_history", "'no' is not true"),
        (make_case(hair={"duration_weeks": "12"}), "hair.duration_weeks", "'12' is not a number"),
        (
            make_case(hair={"triggers": [{"kind": "childbirth", "weeks_ago": False}]}),
            "hair.triggers[0].weeks_ago",
            "False is not a number",
        ),
        (
            make_case(days=[day(supplements=[{"elemental_mg": "100"}])]),
            "days[0].supplements[0].elemental_mg",
            "'100' is not a number",
        ),
        (
            make_case(days=[day(water=[{"liters": "1", "mg_per_liter": 5}])]),
            "days[0].water[0].liters",
            "'1' is not a number",
        ),
        (
            make_case(labs=[{"value": "0.8", "unit": "mmol/L"}]),
            "labs[0].value",
            "'0.8' is not a number",
        ),
        (
            make_case(days=[day(date=0)]),
            "days[0].date",
            "0 is not a date; accepted: a date as text",
        ),
        (
            make_case(days=[day(date="2026-11-02T00:00")]),
            "days[0].date",
            "'2026-11-02T00:00' is not a date",
        ),
        (make_case(labs=[{"value": 0.8, "unit": "mmol/L", "date": 20261102}]), "labs[0].date", ""),
        (make_case(version=True), "version", "True is not accepted; accepted: 1"),
        (make_case(version=1.0), "version", "1.0 is not accepted; accepted: 1"),
    ],
)
def test_numbers_flags_and_days_are_strict_in_text_and_in_objects(
    case: dict[str, Any], field: str, says: str
) -> None:
    for data in (case, json.dumps(case), json.dumps(case).encode()):
        with pytest.raises(InputError) as err:
            parse_case(data)
        assert (err.value.field, err.value.message[: len(says)]) == (field, says)


def test_whole_numbers_are_numbers_and_iso_days_are_days() -> None:
    import datetime as dt

    case = make_case(
        profile={"age_years": 34, "pregnant": True},
        days=[day(foods=[_FOOD], supplements=[{"elemental_mg": 100, "count": 2}])],
        labs=[{"value": 1, "unit": "mmol/L", "date": "2026-10-28"}],
        hair={"duration_weeks": 12, "family_history": False},
    )
    for data in (case, json.dumps(case)):
        parsed = parse_case(data)
        assert parsed.profile.age_years == 34.0
        assert parsed.days[0].date == dt.date(2026, 11, 2)
        assert parsed.days[0].foods[0].grams == 30.0
        assert parsed.labs[0].date == dt.date(2026, 10, 28)
    assert parse_case({**case, "days": [{"date": dt.date(2026, 11, 2)}]}).days[0].date == (
        dt.date(2026, 11, 2)
    )


def test_a_case_that_is_not_utf8_is_named() -> None:
    with pytest.raises(InputError) as err:
        parse_case(b"\xff\xfe{")
    assert str(err.value) == "case: a case file is UTF-8 encoded JSON text"


def test_malformed_json_gives_line_and_column() -> None:
    with pytest.raises(InputError) as err:
        parse_case('{\n  "profile": {"sex": "female",,}\n}')
    assert "line 2, column" in err.value.message


def test_a_case_must_be_an_object() -> None:
    with pytest.raises(InputError, match="JSON object"):
        parse_case("[1, 2]")


def test_unknown_standard_lists_accepted() -> None:
    with pytest.raises(InputError) as err:
        assess(make_case(standard="who"))
    assert err.value.field == "standard"
    assert "dge, efsa, nih" in err.value.message


# -- JSON text and decoded objects read alike ----------------------------------------------

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(-1e4, 1e4)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)


def _read(data: Any) -> tuple[str, Any]:
    try:
        return "ok", parse_case(data).model_dump()
    except InputError as error:
        return "error", (error.field, error.message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), text_form=st.sampled_from(["str", "bytes"]))
def test_json_text_and_the_decoded_object_give_the_same_case(case: Any, text_form: str) -> None:
    text = json.dumps(case)
    assert _read(text if text_form == "str" else text.encode()) == _read(case)


@settings(max_examples=300, deadline=None)
@given(
    profile=_JSON_VALUES,
    days=_JSON_VALUES,
    extra=st.dictionaries(
        st.sampled_from(["labs", "hair", "standard", "version", "x"]), _JSON_VALUES
    ),
)
def test_json_text_and_the_decoded_object_give_the_same_errors(
    profile: Any, days: Any, extra: dict[str, Any]
) -> None:
    data = {"profile": profile, "days": days, **extra}
    assert _read(json.dumps(data)) == _read(data)
