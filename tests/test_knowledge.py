"""The knowledge base, value by value against the sourced fact sheet.

The expected tables below are copied from the fact sheet (D-A-CH 2021, EFSA 2015,
IOM 1997, the SCF 2001 and IOM upper limits, the serum conversions and
thresholds, and the elemental fraction of each supplement form). A change to a
number in ``knowledge/data`` must change the table here too.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from magwise.errors import DataError, InputError, UnknownCode
from magwise.knowledge import DATA_DIR, Knowledge, load_knowledge
from magwise.knowledge._models import Condition
from magwise.knowledge.codebook import CodeBook, normalise
from magwise.knowledge.formula import element_counts, elemental_fraction, molar_mass
from magwise.reference import Reference, personal_reference
from magwise.units import from_mmol_per_l

KB = load_knowledge()

Band = tuple[float, float | None, float | None, float | None]  # from, to (months), male, female

# ---- §1a D-A-CH / DGE 2021 (Schätzwerte), mg/day -----------------------------
DGE: list[Band] = [
    (0, 4, 24, 24),
    (4, 12, 80, 80),
    (12, 48, 170, 170),
    (48, 84, 190, 190),
    (84, 120, 240, 240),
    (120, 156, 260, 230),
    (156, 180, 280, 240),
    (180, 228, 330, 260),
    (228, 300, 350, 300),
    (300, 612, 350, 300),
    (612, 780, 350, 300),
    (780, None, 350, 300),
]
DGE_PREGNANT = 300
DGE_LACTATING = 300

# ---- §1c EFSA 2015 adequate intakes, mg/day (none under 7 months) ---------------
EFSA: list[Band] = [
    (0, 7, None, None),
    (7, 12, 80, 80),
    (12, 36, 170, 170),
    (36, 120, 230, 230),
    (120, 216, 300, 250),
    (216, None, 350, 300),
]
EFSA_PREGNANT = 300
EFSA_LACTATING = 300

# ---- §1d IOM 1997 / NIH: RDA (AI for infants) and EAR, mg/day -----------------
NIH_RDA: list[Band] = [
    (0, 7, 30, 30),
    (7, 12, 75, 75),
    (12, 48, 80, 80),
    (48, 108, 130, 130),
    (108, 168, 240, 240),
    (168, 228, 410, 360),
    (228, 372, 400, 310),
    (372, 612, 420, 320),
    (612, 852, 420, 320),
    (852, None, 420, 320),
]
NIH_EAR: list[Band] = [
    (0, 12, None, None),
    (12, 48, 65, 65),
    (48, 108, 110, 110),
    (108, 168, 200, 200),
    (168, 228, 340, 300),
    (228, 372, 330, 255),
    (372, 612, 350, 265),
    (612, 852, 350, 265),
    (852, None, 350, 265),
]
# (age years, RDA, EAR): pregnancy and lactation, by age band (<=18, 19-30, 31-50)
NIH_PREGNANT = [(15, 400, 335), (18.99, 400, 335), (19, 350, 290), (30.99, 350, 290)]
NIH_PREGNANT += [(31, 360, 300), (50, 360, 300)]
NIH_LACTATING = [(15, 360, 300), (18.99, 360, 300), (19, 310, 255), (30.99, 310, 255)]
NIH_LACTATING += [(31, 320, 265), (50, 320, 265)]

# ---- §2 upper limits for supplemental magnesium, mg/day ------------------------
UL_EU = [(0, 48, None), (48, None, 250)]  # SCF 2001 / EFSA; none under 4 years
UL_NIH = [(0, 12, None), (12, 48, 65), (48, 108, 110), (108, None, 350)]

STANDARD_TARGET_NAMES = {
    "dge": "estimated value",
    "efsa": "adequate intake",
    "nih": "recommended dietary allowance",
}


def _edges(from_months: float, to_months: float | None) -> Iterator[float]:
    """Ages in years at the start of a band, inside it and just before its end."""
    yield from_months / 12
    if to_months is None:
        yield from_months / 12 + 10
        yield 130
    else:
        yield (from_months + to_months) / 24
        yield to_months / 12 - 0.01


def _cases(table: list[Band]) -> list[tuple[str, float, float | None]]:
    cases = []
    for start, end, male, female in table:
        for age in _edges(start, end):
            cases.append(("male", age, male))
            cases.append(("female", age, female))
    return cases


def ref(sex: str, age: float, standard: str, **state: bool) -> Reference:
    return personal_reference(sex=sex, age_years=age, standard=standard, **state)  # type: ignore[arg-type]


# ---- reference intakes -----------------------------------------------------------


@pytest.mark.parametrize(("sex", "age", "expected"), _cases(DGE))
def test_dge_targets(sex: str, age: float, expected: float) -> None:
    r = ref(sex, age, "dge")
    assert r.target_mg == expected
    assert r.ear_mg is None  # D-A-CH 2021 sets estimates, no requirement


@pytest.mark.parametrize(("sex", "age", "expected"), _cases(EFSA))
def test_efsa_targets(sex: str, age: float, expected: float | None) -> None:
    r = ref(sex, age, "efsa")
    assert r.target_mg == expected
    assert r.ear_mg is None  # EFSA could not derive average requirements


@pytest.mark.parametrize(("sex", "age", "expected"), _cases(NIH_RDA))
def test_nih_rda(sex: str, age: float, expected: float) -> None:
    assert ref(sex, age, "nih").target_mg == expected


@pytest.mark.parametrize(("sex", "age", "expected"), _cases(NIH_EAR))
def test_nih_ear(sex: str, age: float, expected: float | None) -> None:
    assert ref(sex, age, "nih").ear_mg == expected


@pytest.mark.parametrize(
    ("sex", "age", "target"),
    [
        ("female", 18.99, 260),  # 15 to <19
        ("female", 19, 300),  # 19 to <25
        ("male", 18.99, 330),
        ("male", 19, 350),
        ("female", 0.5, 80),  # 6 months: 4 to <12 months
        ("male", 4 / 12, 80),  # exactly 4 months
        ("male", 3 / 12, 24),
        ("male", 65, 350),
    ],
)
def test_dge_named_edges(sex: str, age: float, target: float) -> None:
    assert ref(sex, age, "dge").target_mg == target


def test_default_standard_is_dge() -> None:
    r = personal_reference(sex="female", age_years=30)
    assert r.standard == "dge"
    assert r.target_mg == 300


@pytest.mark.parametrize("age", [15, 18.99, 19, 25, 45])
@pytest.mark.parametrize(
    ("standard", "pregnant", "lactating"),
    [
        ("dge", DGE_PREGNANT, DGE_LACTATING),
        ("efsa", EFSA_PREGNANT, EFSA_LACTATING),
    ],
)
def test_eu_pregnancy_and_lactation(
    standard: str, pregnant: float, lactating: float, age: float
) -> None:
    assert ref("female", age, standard, pregnant=True).target_mg == pregnant
    assert ref("female", age, standard, lactating=True).target_mg == lactating


@pytest.mark.parametrize(("age", "rda", "ear"), NIH_PREGNANT)
def test_nih_pregnancy(age: float, rda: float, ear: float) -> None:
    r = ref("female", age, "nih", pregnant=True)
    assert (r.target_mg, r.ear_mg) == (rda, ear)


@pytest.mark.parametrize(("age", "rda", "ear"), NIH_LACTATING)
def test_nih_lactation(age: float, rda: float, ear: float) -> None:
    r = ref("female", age, "nih", lactating=True)
    assert (r.target_mg, r.ear_mg) == (rda, ear)


@pytest.mark.parametrize(("standard", "words"), STANDARD_TARGET_NAMES.items())
def test_standard_names_what_the_target_is(standard: str, words: str) -> None:
    assert words in ref("female", 40, standard).target_name


@pytest.mark.parametrize("standard", ["dge", "efsa", "nih"])
def test_reference_sources_are_registered(standard: str) -> None:
    r = ref("female", 40, standard)
    assert r.sources
    assert set(r.sources) <= set(KB.sources)
    assert set(KB.standard(standard).sources) <= set(r.sources)


# ---- upper limits ------------------------------------------------------------------


def _ul_cases(
    standards: tuple[str, ...], table: list[tuple[float, float | None, float | None]]
) -> list[tuple[str, float, float | None]]:
    return [
        (standard, age, value)
        for standard in standards
        for start, end, value in table
        for age in _edges(start, end)
    ]


@pytest.mark.parametrize(
    ("standard", "age", "expected"),
    _ul_cases(("dge", "efsa"), UL_EU) + _ul_cases(("nih",), UL_NIH),
)
def test_supplemental_upper_limits(standard: str, age: float, expected: float | None) -> None:
    for sex in ("female", "male"):
        r = ref(sex, age, standard)
        assert r.supplement_ul_mg == expected
        assert r.min_doses_per_day == 2


@pytest.mark.parametrize(("standard", "ul"), [("dge", 250), ("efsa", 250), ("nih", 350)])
@pytest.mark.parametrize("state", ["pregnant", "lactating"])
@pytest.mark.parametrize("age", [17, 30])
def test_upper_limit_holds_in_pregnancy_and_lactation(
    standard: str, ul: float, state: str, age: float
) -> None:
    assert ref("female", age, standard, **{state: True}).supplement_ul_mg == ul


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sex": "female", "age_years": -0.01}, "age"),
        ({"sex": "female", "age_years": 130.5}, "age"),
        ({"sex": "other", "age_years": 30}, "sex"),
        ({"sex": "male", "age_years": 30, "pregnant": True}, "pregnant"),
        ({"sex": "male", "age_years": 30, "lactating": True}, "lactating"),
        ({"sex": "female", "age_years": 30, "pregnant": True, "lactating": True}, "pregnant"),
        ({"sex": "female", "age_years": 30, "standard": "who"}, "standard"),
    ],
)
def test_reference_rejects_bad_input(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as exc:
        personal_reference(**kwargs)
    assert exc.value.field.startswith(field)


def test_reference_as_dict_shape() -> None:
    d = ref("female", 30, "nih").as_dict()
    assert d["standard"] == "nih"
    assert (d["target_mg"], d["ear_mg"], d["supplement_ul_mg"]) == (310, 255, 350)
    assert d["min_doses_per_day"] == 2
    assert isinstance(d["sources"], list)
    assert "iom1997" in d["sources"]
    assert isinstance(d["notes"], list)


# ---- §3 serum ---------------------------------------------------------------------


def test_serum_chemistry() -> None:
    chem = KB.serum.chemistry
    assert chem.molar_mass_g_per_mol == 24.305
    assert chem.valence == 2


@pytest.mark.parametrize(
    ("name", "mmol", "mg_dl"),
    [
        ("deficient_below", 0.70, 1.7),  # hypomagnesaemia <0.70 mmol/L = 1.7 mg/dL
        ("low_below", 0.75, 1.8),  # classic range 0.75-0.95 mmol/L (1.8-2.3 mg/dL)
        ("low_normal_below", 0.85, 2.1),  # MaGNet cut-off 0.85 mmol/L (2.07 mg/dL)
        ("high_above", 1.05, 2.6),  # hypermagnesaemia >1.05 mmol/L (>2.6 mg/dL)
        ("urgent_below", 0.5, 1.2),  # symptoms below about 0.5 mmol/L (1.2 mg/dL)
        ("urgent_at_or_above", 2.0, 4.9),  # conservative end of 1.74-2.61 mmol/L
    ],
)
def test_serum_thresholds(name: str, mmol: float, mg_dl: float) -> None:
    value = getattr(KB.serum.thresholds, name).value
    assert value == mmol
    assert round(from_mmol_per_l(value, "mg/dL"), 1) == mg_dl


def test_urgent_threshold_within_toxicity_range() -> None:
    # ODS: toxicity symptoms usually appear above 1.74-2.61 mmol/L
    assert 1.74 <= KB.serum.thresholds.urgent_at_or_above.value <= 2.61


def test_loinc_codes() -> None:
    codes = {(c.code, c.unit) for c in KB.serum.lab_code}
    assert codes == {("19123-9", "mg/dL"), ("2601-3", "mmol/L")}


# ---- §4 supplement forms ---------------------------------------------------------

ATOMIC_WEIGHTS = {
    "Mg": 24.305,
    "C": 12.011,
    "H": 1.008,
    "O": 15.999,
    "N": 14.007,
    "S": 32.06,
    "Cl": 35.45,
}

# id: (formula, M g/mol, % Mg, mg compound per 100 mg Mg)
FORMS: dict[str, tuple[str, float, float, int]] = {
    "oxide": ("MgO", 40.30, 60.3, 166),
    "hydroxide": ("Mg(OH)2", 58.32, 41.7, 240),
    "carbonate": ("MgCO3", 84.31, 28.8, 347),
    "carbonate_basic": ("4MgCO3·Mg(OH)2·4H2O", 467.63, 26.0, 385),
    "chloride": ("MgCl2", 95.21, 25.5, 392),
    "chloride_hexahydrate": ("MgCl2·6H2O", 203.30, 12.0, 836),
    "sulfate": ("MgSO4", 120.36, 20.2, 495),
    "sulfate_heptahydrate": ("MgSO4·7H2O", 246.47, 9.9, 1014),
    "citrate": ("Mg3(C6H5O7)2", 451.11, 16.2, 619),
    "citrate_nonahydrate": ("Mg3(C6H5O7)2·9H2O", 613.25, 11.9, 841),
    "citrate_tetradecahydrate": ("Mg3(C6H5O7)2·14H2O", 703.32, 10.4, 965),
    "hydrogen_citrate": ("MgC6H6O7", 214.41, 11.3, 882),
    "bisglycinate": ("Mg(C2H4NO2)2", 172.42, 14.1, 709),
    "bisglycinate_dihydrate": ("Mg(C2H4NO2)2·2H2O", 208.45, 11.7, 858),
    "malate": ("MgC4H4O5", 156.38, 15.5, 643),
    "malate_trihydrate": ("MgC4H4O5·3H2O", 210.42, 11.6, 866),
    "lactate": ("Mg(C3H5O3)2", 202.44, 12.0, 833),
    "lactate_dihydrate": ("Mg(C3H5O3)2·2H2O", 238.47, 10.2, 981),
    "aspartate": ("Mg(C4H6NO4)2", 288.50, 8.4, 1187),
    "aspartate_dihydrate": ("Mg(C4H6NO4)2·2H2O", 324.52, 7.5, 1335),
    "aspartate_tetrahydrate": ("Mg(C4H6NO4)2·4H2O", 360.56, 6.7, 1483),
    "aspartate_hydrochloride_trihydrate": ("Mg(C4H6NO4)Cl·3H2O", 245.90, 9.9, 1012),
    "gluconate": ("Mg(C6H11O7)2", 414.60, 5.9, 1706),
    "gluconate_dihydrate": ("Mg(C6H11O7)2·2H2O", 450.63, 5.4, 1854),
    "orotate": ("Mg(C5H3N2O4)2", 334.48, 7.3, 1376),
    "orotate_dihydrate": ("Mg(C5H3N2O4)2·2H2O", 370.51, 6.6, 1524),
    "threonate": ("Mg(C4H7O5)2", 294.50, 8.3, 1212),
    "pidolate": ("Mg(C5H6NO3)2", 280.52, 8.7, 1154),
    "taurate": ("Mg(C2H6NO3S)2", 272.57, 8.9, 1121),
}


def test_atomic_weights() -> None:
    assert KB.atomic_weights == ATOMIC_WEIGHTS
    assert molar_mass("H2O", ATOMIC_WEIGHTS) == pytest.approx(18.015)


def test_every_absorbed_form_is_checked_here() -> None:
    absorbed = {f.id for f in KB.forms.values() if f.absorbed}
    assert absorbed == set(FORMS)


@pytest.mark.parametrize(("form_id", "row"), FORMS.items())
def test_form_values(form_id: str, row: tuple[str, float, float, int]) -> None:
    formula, mass, percent, per_100 = row
    form = KB.forms[form_id]
    assert form.formula == formula
    computed = elemental_fraction(formula, ATOMIC_WEIGHTS)
    assert molar_mass(formula, ATOMIC_WEIGHTS) == pytest.approx(mass, abs=0.0051)
    assert round(computed * 100, 1) == percent
    assert round(100 / computed) == per_100
    # the stored fraction agrees with the formula and shows the same percentage
    assert form.elemental_fraction == pytest.approx(computed, abs=0.00005)
    assert round(form.elemental_fraction * 100, 1) == percent


def test_worked_example_trimagnesium_citrate() -> None:
    assert 3 * ATOMIC_WEIGHTS["Mg"] == pytest.approx(72.915)
    assert elemental_fraction("Mg3(C6H5O7)2", ATOMIC_WEIGHTS) == pytest.approx(0.1616, abs=5e-5)


@pytest.mark.parametrize(
    ("name", "form_id"),
    [
        ("glycinate", "bisglycinate"),
        ("Magnesium Glycinate", "bisglycinate"),
        ("Epsom salt", "sulfate_heptahydrate"),
        ("citrate", "citrate"),
        ("Magnesium citrate", "citrate"),
        ("Magnesium citrate nonahydrate", "citrate_nonahydrate"),
        ("MAGNESIUM-OXIDE", "oxide"),
        ("  magnesium   l-threonate ", "threonate"),
        ("magnesium chloride hexahydrate", "chloride_hexahydrate"),
    ],
)
def test_form_aliases(name: str, form_id: str) -> None:
    form = KB.form(name)
    assert form is not None
    assert form.id == form_id
    assert form.absorbed


@pytest.mark.parametrize(
    "name", ["magnesium oil", "Epsom bath", "spray", "bath flakes", "magnesium cream", "roll-on"]
)
def test_topical_names_are_not_absorbed(name: str) -> None:
    form = KB.form(name)
    assert form is not None
    assert form.absorbed is False
    assert form.elemental_fraction == 0


def test_unknown_form_is_none() -> None:
    assert KB.form("magnesium unobtainium") is None


# ---- sources and integrity ---------------------------------------------------------


def _cited_ids(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every (where, source id) in a raw TOML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("source", "sources") and isinstance(item, str):
                yield where, item
            elif (
                key in ("source", "sources")
                and isinstance(item, list)
                and all(isinstance(i, str) for i in item)
            ):
                yield from ((where, i) for i in item)
            else:
                yield from _cited_ids(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _cited_ids(item, f"{where}[{i}]")


def _raw(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def test_source_ids_are_unique_and_complete() -> None:
    raw = _raw("sources.toml")["source"]
    ids = [s["id"] for s in raw]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(KB.sources)
    for s in KB.sources.values():
        assert s.url
        assert s.title
        assert s.organisation
        assert 1900 < s.year < 2100


def test_every_cited_source_exists() -> None:
    files = sorted(p.name for p in DATA_DIR.glob("*.toml") if p.name != "sources.toml")
    assert "reference_intakes.toml" in files
    cited = [pair for name in files for pair in _cited_ids(_raw(name), name)]
    assert len(cited) > 100
    unknown = [(where, i) for where, i in cited if i not in KB.sources]
    assert unknown == []


def test_policy_source_is_registered() -> None:
    policy = KB.source("magwise_policy")
    assert policy.url == "docs/knowledge.md"


def test_source_lookup() -> None:
    assert KB.source(" IOM1997 ").id == "iom1997"
    with pytest.raises(InputError) as exc:
        KB.source("who2020")
    assert exc.value.field == "source"
    assert "iom1997" in exc.value.message


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unmodified_copy_loads(data_copy: Path) -> None:
    kb = Knowledge(data_dir=data_copy)
    assert kb.sources.keys() == KB.sources.keys()
    assert kb.forms.keys() == KB.forms.keys()


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("conditions.toml", 'sources = ["nih_ods"]', 'sources = ["nih_odz"]'),
        ("upper_limits.toml", 'source = ["scf2001", "bfr2017"]', 'source = ["scf2001", "bfr"]'),
        ("reference_intakes.toml", 'source = "efsa2015"', 'source = "efsa2016"'),
        ("serum.toml", 'sources = ["loinc"]', 'sources = ["loinc_org"]'),
    ],
)
def test_unknown_source_is_rejected(data_copy: Path, name: str, old: str, new: str) -> None:
    _replace(data_copy / name, old, new)
    with pytest.raises(DataError, match="unknown source"):
        Knowledge(data_dir=data_copy)


def test_fraction_not_matching_formula_is_rejected(data_copy: Path) -> None:
    _replace(
        data_copy / "supplement_forms.toml",
        "elemental_fraction = 0.1616",
        "elemental_fraction = 0.1716",
    )
    with pytest.raises(DataError, match=r"differs from 0\.1616"):
        Knowledge(data_dir=data_copy)


def test_broken_toml_is_a_data_error(data_copy: Path) -> None:
    _replace(data_copy / "serum.toml", "valence = 2", "valence = ")
    with pytest.raises(DataError, match=r"serum\.toml"):
        Knowledge(data_dir=data_copy)


def test_form_alias_used_twice_is_rejected(data_copy: Path) -> None:
    _replace(data_copy / "supplement_forms.toml", '"milk of magnesia"', '"epsom salt"')
    with pytest.raises(DataError, match="used by two forms"):
        Knowledge(data_dir=data_copy)


def test_finding_naming_a_source_twice_is_rejected(data_copy: Path) -> None:
    _replace(
        data_copy / "findings.toml",
        'sources = ["grober2017", "kass2017"]',
        'sources = ["grober2017", "kass2017", "grober2017"]',
    )
    with pytest.raises(ValueError, match="transdermal_not_counted: names a source twice"):
        Knowledge(data_dir=data_copy)


# ---- §5 contraindications and spacing ------------------------------------------


def test_contraindicated_conditions() -> None:
    contraindicated = {c.code for c in KB.conditions if c.contraindicated}
    assert contraindicated == {
        "kidney_disease",
        "dialysis",
        "anuria",
        "heart_block",
        "myasthenia_gravis",
        "dehydration",
        "struvite_stones",
    }


@pytest.mark.parametrize(
    ("medicine", "before_h", "after_h"),
    [
        ("levothyroxine", 4, 4),  # at least 4 h apart
        ("ciprofloxacin", 2, 6),  # 2 h before or 6 h after
        ("doxycycline", 2, 6),  # 2 h before or 4-6 h after: the longer
        ("alendronate", 4, 4),  # 3-4 h: the longer
        ("gabapentin", 2, 2),
        ("iron", 4, 4),
    ],
)
def test_medication_spacing(medicine: str, before_h: float, after_h: float) -> None:
    code = KB.medications.resolve(medicine, "medications").code
    cls = KB.medication_class(code)
    assert cls.effect == "absorption"
    gap = cls.spacing(code)
    assert gap is not None
    assert (gap.medicine_before_h, gap.medicine_after_h) == (before_h, after_h)


@pytest.mark.parametrize("medicine", ["omeprazole", "furosemide", "hydrochlorothiazide"])
def test_medicines_that_lower_magnesium(medicine: str) -> None:
    assert KB.medication_class(medicine).effect == "lowers_mg"


# ---- formula parser ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "counts"),
    [
        ("MgO", {"Mg": 1, "O": 1}),
        ("Mg(OH)2", {"Mg": 1, "O": 2, "H": 2}),
        ("MgCl2·6H2O", {"Mg": 1, "Cl": 2, "H": 12, "O": 6}),
        ("MgCl2*6H2O", {"Mg": 1, "Cl": 2, "H": 12, "O": 6}),
        ("Mg3(C6H5O7)2·9H2O", {"Mg": 3, "C": 12, "H": 28, "O": 23}),
        ("4MgCO3·Mg(OH)2·4H2O", {"Mg": 5, "C": 4, "O": 18, "H": 10}),
        ("Mg(C2H6NO3S)2", {"Mg": 1, "C": 4, "H": 12, "N": 2, "O": 6, "S": 2}),
    ],
)
def test_element_counts(formula: str, counts: dict[str, int]) -> None:
    assert dict(element_counts(formula)) == counts


@pytest.mark.parametrize(
    "formula",
    [
        "",
        "Mg(OH",
        "MgOH)2",
        "mgo",
        "Mg O",
        "Mg2+",
        "Mg0",
        "0MgO",
        "Mg()",
        "Mg(OH)0",
        "MgO·",
        "MgCl2··6H2O",
    ],
)
def test_malformed_formula_is_rejected(formula: str) -> None:
    with pytest.raises(ValueError, match="formula"):
        element_counts(formula)


def test_formula_with_unknown_element_is_rejected() -> None:
    with pytest.raises(ValueError, match="no atomic weight for Xe"):
        molar_mass("MgXe", ATOMIC_WEIGHTS)


# ---- code books --------------------------------------------------------------------


def _condition(code: str, *aliases: str) -> Condition:
    return Condition(code=code, label=code.title(), aliases=aliases, sources=("iom1997",))


@pytest.fixture
def book() -> CodeBook[Condition]:
    return CodeBook(
        "condition",
        [
            _condition("kidney_disease", "CKD", "renal insufficiency"),
            _condition("heart_block", "AV block"),
            _condition("dialysis"),
        ],
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("kidney_disease", "kidney_disease"),
        ("Kidney Disease", "kidney_disease"),
        ("kidney-disease", "kidney_disease"),
        ("  KIDNEY   disease ", "kidney_disease"),
        ("ckd", "kidney_disease"),
        ("Renal-Insufficiency", "kidney_disease"),
        ("av_block", "heart_block"),
        ("AV-Block", "heart_block"),
    ],
)
def test_codebook_finds_codes_and_aliases(book: CodeBook[Condition], name: str, code: str) -> None:
    entry = book.find(name)
    assert entry is not None
    assert entry.code == code
    assert book.resolve(name, "conditions").code == code


def test_codebook_basics(book: CodeBook[Condition]) -> None:
    assert len(book) == 3
    assert book.codes() == ["kidney_disease", "heart_block", "dialysis"]
    assert "dialysis" in book
    assert "ckd" not in book  # membership is by code, not alias
    assert book.get("dialysis").code == "dialysis"
    assert book.find("liver disease") is None


def test_codebook_suggests_close_match(book: CodeBook[Condition]) -> None:
    with pytest.raises(UnknownCode) as exc:
        book.resolve("kidny disease", "case.conditions[0]")
    assert exc.value.field == "case.conditions[0]"
    assert "Did you mean 'kidney_disease'?" in exc.value.message
    assert "kidney_disease, heart_block, dialysis" in exc.value.message


def test_codebook_without_close_match(book: CodeBook[Condition]) -> None:
    with pytest.raises(UnknownCode) as exc:
        book.resolve("zzzz", "conditions")
    assert "Did you mean" not in exc.value.message
    assert "Accepted: kidney_disease" in exc.value.message


def test_codebook_rejects_duplicate_code() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        CodeBook("condition", [_condition("dialysis"), _condition("dialysis")])


def test_codebook_rejects_shared_alias() -> None:
    with pytest.raises(ValueError, match="used by two entries"):
        CodeBook("condition", [_condition("a", "kidney"), _condition("b", "Kidney")])


def test_normalise() -> None:
    assert normalise("  AV-block_Type  2 ") == "av block type 2"


@pytest.mark.parametrize(
    ("book_name", "alias", "code"),
    [
        ("conditions", "CKD", "kidney_disease"),
        ("conditions", "AV block", "heart_block"),
        ("medications", "Synthroid", "levothyroxine"),
        ("medications", "cipro", "ciprofloxacin"),
        ("symptoms", "pins and needles", "numbness_tingling"),
        ("patterns", "bald patches", "patchy"),
        ("triggers", "postpartum", "childbirth"),
        ("scalp_signs", "dandruff", "scaling"),
        ("lab_tests", "TSH", "tsh"),
    ],
)
def test_shipped_code_books(book_name: str, alias: str, code: str) -> None:
    entry = getattr(KB, book_name).resolve(alias, book_name)
    assert entry.code == code
