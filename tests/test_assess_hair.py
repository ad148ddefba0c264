"""The hair-loss screen: red flags, ranked contributors, and the plain word on magnesium."""

from __future__ import annotations

from typing import Any

import pytest
from tests._cases import codes, make_case, serum, water_only

from magwise import assess
from magwise.errors import UnknownCode


def hair(**fields: Any) -> dict[str, Any]:
    return {"pattern": "diffuse", **fields}


def ranked(result: Any) -> list[str]:
    return [c.code for c in result.hair.contributors]


def test_postpartum_shedding_ranks_telogen_effluvium_first() -> None:
    result = assess(
        make_case(
            hair=hair(shedding_per_day=150, triggers=[{"kind": "childbirth", "weeks_ago": 12}])
        )
    )
    assert ranked(result)[0] == "telogen_effluvium"
    assert result.hair is not None and result.hair.shedding == "above_normal"
    assert "hair_telogen_effluvium" in codes(result)


@pytest.mark.parametrize(("weeks", "fits"), [(3, False), (4, True), (26, True), (27, False)])
def test_telogen_window(weeks: float, fits: bool) -> None:
    result = assess(make_case(hair=hair(triggers=[{"kind": "high_fever", "weeks_ago": weeks}])))
    assert ("telogen_effluvium" in ranked(result)) is fits


def test_pattern_and_family_history_rank_androgenetic_first() -> None:
    result = assess(
        make_case(profile={"sex": "male"}, hair=hair(pattern="crown", family_history=True))
    )
    assert ranked(result)[0] == "androgenetic_alopecia"
    assert result.refer_to_doctor is False


def test_patches_refer_to_a_doctor() -> None:
    result = assess(make_case(hair=hair(pattern="patchy")))
    assert ranked(result)[0] == "alopecia_areata"
    assert result.refer_to_doctor is True
    assert "hair_red_flag_patchy" in codes(result)


@pytest.mark.parametrize("sign", ["redness", "scaling", "pain", "scarring"])
def test_scalp_red_flags_refer(sign: str) -> None:
    result = assess(make_case(hair=hair(scalp=[sign])))
    assert result.refer_to_doctor is True
    assert "hair_red_flag_scalp" in codes(result)


def test_itching_alone_does_not_refer() -> None:
    assert assess(make_case(hair=hair(scalp=["itching"]))).refer_to_doctor is False


@pytest.mark.parametrize("symptom", ["fatigue", "unexplained_weight_loss"])
def test_hair_loss_with_systemic_signs_refers(symptom: str) -> None:
    result = assess(make_case(hair=hair(), symptoms=[symptom]))
    assert result.refer_to_doctor is True
    assert "hair_red_flag_systemic" in codes(result)


@pytest.mark.parametrize(("weeks", "refer"), [(26, False), (26.5, True)])
def test_long_shedding_refers(weeks: float, refer: bool) -> None:
    result = assess(make_case(hair=hair(duration_weeks=weeks)))
    assert result.refer_to_doctor is refer


@pytest.mark.parametrize(
    ("count", "shedding"), [(50, "normal"), (100, "normal"), (101, "above_normal")]
)
def test_normal_shedding_is_50_to_100(count: float, shedding: str) -> None:
    result = assess(make_case(hair=hair(shedding_per_day=count)))
    assert result.hair is not None and result.hair.shedding == shedding


def test_magnesium_is_a_contributor_only_when_low() -> None:
    adequate = assess(make_case(hair=hair(), labs=[serum(0.9)]))
    assert "magnesium" not in ranked(adequate)
    low = assess(make_case(hair=hair(), labs=[serum(0.72)]))
    assert "magnesium" in ranked(low)
    mg = next(c for c in low.hair.contributors if c.code == "magnesium")  # type: ignore[union-attr]
    assert any("No controlled trial" in r for r in mg.reasons)


def test_every_result_says_no_trial_shows_magnesium_treats_hair_loss() -> None:
    for case in (make_case(), make_case(hair=hair()), make_case(days=[water_only(10)])):
        result = assess(case)
        assert "hair_mg_no_evidence" in codes(result)
        assert any("No controlled trial" in f.message for f in result.findings)


def test_tests_with_evidence_are_suggested() -> None:
    result = assess(make_case(hair=hair()))
    assert result.hair is not None
    joined = " ".join(result.hair.tests)
    for test in ("Ferritin", "TSH", "Vitamin D", "Zinc"):
        assert test in joined


def test_claims_are_answered_with_sources() -> None:
    result = assess(make_case(hair=hair()))
    answered = {c.code: c for c in result.claims}
    assert "1 in 2" in answered["prevalence"].answer or "50% by 50" in answered["prevalence"].answer
    assert "bmj_aga" in answered["prevalence"].sources
    assert "No controlled trial" in answered["mg_treats_hair_loss"].answer


def test_unknown_trigger_names_field() -> None:
    with pytest.raises(UnknownCode) as err:
        assess(make_case(hair=hair(triggers=[{"kind": "chilbirth", "weeks_ago": 8}])))
    assert err.value.field == "hair.triggers[0].kind"
    assert "childbirth" in err.value.message


def test_no_hair_section_is_not_judged() -> None:
    result = assess(make_case(days=[water_only(300)]))
    assert result.hair is None
    assert any(item.startswith("hair") for item in result.not_judged)


@pytest.mark.parametrize(
    ("count", "code"),
    [
        (0, "hair_shedding_below_normal"),
        (49, "hair_shedding_below_normal"),
        (50, "hair_shedding_normal"),
        (100, "hair_shedding_normal"),
    ],
)
def test_few_hairs_are_not_called_within_the_normal_range(count: float, code: str) -> None:
    result = assess(make_case(hair=hair(shedding_per_day=count)))
    assert result.hair is not None and result.hair.shedding == "normal"
    shedding = [c for c in codes(result) if c.startswith("hair_shedding_")]
    assert shedding == [code]


@pytest.mark.parametrize(
    ("weeks_ago", "duration", "onset"),
    [(12, 10, None), (12, 8, 4), (30, 10, 20), (30, 2, None), (12, None, 12)],
)
def test_telogen_effluvium_counts_from_the_trigger_to_the_onset(
    weeks_ago: float, duration: float | None, onset: float | None
) -> None:
    """Onset = weeks since the trigger minus how long the hair loss has lasted."""
    trigger = [{"kind": "childbirth", "weeks_ago": weeks_ago}]
    result = assess(make_case(hair=hair(duration_weeks=duration, triggers=trigger)))
    found = [f.message for f in result.findings if f.code == "hair_telogen_effluvium"]
    if onset is None:
        assert found == []
    else:
        assert len(found) == 1 and f"starting about {onset:g} weeks after" in found[0]
