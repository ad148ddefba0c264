"""The report: self-contained HTML with valid inline SVG, and a PDF of a few pages."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._records import counts, day, intake, record

from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.knowledge import load_knowledge
from magwise.record import LabEntry, NoteEntry, PersonRecord, PlanEntry, SymptomEntry
from magwise.report import render_html, render_pdf, write_report
from magwise.report.charts import Bar, intake_chart, nice_max
from magwise.report.context import by_lab_range

KB = load_knowledge()
SECTIONS = ("profile", "summary", "intake", "shedding", "labs", "symptoms", "plan", "findings")


def full_record(days: int = 100) -> PersonRecord:
    return record(
        **intake(days, supplement_mg=100),
        shedding=counts(days, lambda i: 150 - i * 0.6, noise=12, seed=2, keep=0.9),
        labs=(
            LabEntry(1, day(3), "serum_magnesium", 0.72, "mmol/L", 0.66, 1.07),
            LabEntry(2, day(80), "serum_magnesium", 2.0, "mg/dL"),
        ),
        symptoms=(SymptomEntry(1, day(30), "cramps"), SymptomEntry(2, day(60), "diarrhoea")),
        notes=(NoteEntry(1, day(20), "Started citrate"), NoteEntry(2, day(90), "Late note")),
        plans=(PlanEntry(1, day(20), 100, "citrate"),),
    )


@pytest.fixture(scope="module")
def html(food_index: FoodIndex) -> str:
    return render_html(full_record(), today=day(99), knowledge=KB, foods=food_index)


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", page, re.S)]


def test_html_has_every_section(html: str) -> None:
    for section in (*SECTIONS, "sources"):
        assert f'<section id="{section}"' in html, section
    assert html.count("It does not diagnose or prescribe") >= 3


def test_charts_are_valid_svg(html: str) -> None:
    charts = svgs(html)
    assert len(charts) == 4  # intake, shedding, blood, symptoms
    for chart in charts:
        assert chart.tag == "{http://www.w3.org/2000/svg}svg"
        assert chart.find("{http://www.w3.org/2000/svg}title") is not None


def test_charts_do_not_rely_on_colour(html: str) -> None:
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', html))
    greys = {c for c in colours if len(set(c[1:].lower())) == 1}
    assert colours == greys
    assert "stroke-dasharray" in html
    assert "pattern" in html


def test_no_external_resources(html: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<script" not in html
    assert "@import" not in html
    assert "url(http" not in html
    # the sources' links are printed as text for the reader
    assert "https://doi.org/10.1214/aoms/1177730491" in html


def test_report_names_findings_and_their_sources(html: str) -> None:
    assert "progress_excess_symptoms" not in html  # codes stay internal; messages are shown
    assert "signs of too much magnesium" in html
    for source_id in ("aad_shedding", "mann_whitney1947", "scf2001"):
        assert f'<span class="id">{source_id}</span>' in html


def test_report_is_deterministic(food_index: FoodIndex, html: str) -> None:
    again = render_html(full_record(), today=day(99), knowledge=KB, foods=food_index)
    assert again == html


def test_dates_filter(food_index: FoodIndex) -> None:
    page = render_html(full_record(), start=day(0), end=day(50), knowledge=KB, foods=food_index)
    assert "Started citrate" in page
    assert "Late note" not in page
    assert "2.0 mg/dL" not in page
    assert f"Period {day(0)} to {day(50)}" in page


def test_long_period_is_charted_by_week(food_index: FoodIndex) -> None:
    page = render_html(full_record(200), today=day(199), knowledge=KB, foods=food_index)
    assert "mean mg per logged day, by week" in page
    svgs(page)


def test_empty_record(food_index: FoodIndex) -> None:
    page = render_html(record(), today=day(0), knowledge=KB, foods=food_index)
    assert "No food, water or supplements were logged" in page
    assert "No shedding counts were logged" in page
    assert "No blood results were logged" in page
    assert svgs(page) == []


def test_record_without_profile(food_index: FoodIndex) -> None:
    page = render_html(PersonRecord(1, ()), today=day(0), knowledge=KB, foods=food_index)
    assert "No profile is kept yet" in page


@pytest.fixture(scope="module")
def pdf(html: str) -> bytes:
    return render_pdf(html)


def test_pdf(pdf: bytes, html: str) -> None:
    from weasyprint import HTML

    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = len(HTML(string=html).render().pages)
    assert 2 <= pages <= 8, pages


def test_write_report_picks_the_format(tmp_path: Path, food_index: FoodIndex) -> None:
    out = write_report(record(), tmp_path / "r.html", today=day(0), knowledge=KB, foods=food_index)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(InputError, match=r"\.html or \.pdf"):
        write_report(record(), tmp_path / "r.docx", today=day(0))


@pytest.mark.parametrize(
    ("target", "ul", "food"), [(300, 250, 178), (310, 250, 450), (400, 350, 120), (250, 350, 60)]
)
def test_the_intake_legend_clears_the_line_labels(target: int, ul: int, food: int) -> None:
    """The swatches and names of the legend never sit on the target's or the limit's label."""
    texts = {
        "chart_date": "%d %b",
        "chart_mg_per_day": "mg/day",
        "chart_target": "target {mg} mg",
        "chart_limit": "supplement limit {mg}",
        "chart_food": "food",
        "chart_water": "water",
        "chart_supplements": "supplements",
    }
    bar = Bar(dt.date(2026, 12, 4), 1, 0.0, 0.0, float(food))
    svg = ET.fromstring(intake_chart([bar], target, ul, title="Intake", texts=texts))
    ns = "{http://www.w3.org/2000/svg}"
    words = {t.text: float(t.get("y", "0")) for t in svg.iter(f"{ns}text")}
    lines = [words[f"target {target} mg"], words[f"supplement limit {ul}"]]
    legend = [words[name] for name in ("food", "water", "supplements")]
    for line in lines:  # text baselines: letters reach about 7 px above them
        assert all(abs(line - name) >= 10 for name in legend), (lines, legend)


def test_nice_axis_maximum() -> None:
    assert nice_max(0) == 1
    assert nice_max(431) == 500
    assert nice_max(1.07) == 1.2
    assert nice_max(95) == 100


# ---- the commands -------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    pytest.importorskip("magwise.store")
    from magwise.record import ProfileVersion
    from magwise.store import Store

    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with Store.open(url) as store:
        me = store.local_person()
        store.set_profile(me, ProfileVersion(valid_from=day(0), sex="female", age_years=34))
        for entry in counts(90, lambda i: 150 - i):
            store.add_shedding(me, entry.day, entry.count, entry.method)
        store.add_water(me, day(89), liters=1.5, mg_per_liter=100)
    return url


def test_progress_command(db: str) -> None:
    import json

    from click.testing import CliRunner

    from magwise.cli import cli

    as_of = ["--as-of", str(day(89)), "--db", db]
    result = CliRunner().invoke(cli, ["progress", "--json", *as_of])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["progress"]["verdict"] == "improving"
    assert data["progress"]["shedding"]["method"] == "daily_count"
    readable = CliRunner().invoke(cli, ["progress", *as_of])
    assert readable.exit_code == 0, readable.output
    assert "Shedding (daily count): improving" in readable.output


def test_report_command(db: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from magwise.cli import cli

    out = tmp_path / "report.html"
    args = ["report", "--db", db, "--from", str(day(0)), "--to", str(day(89)), "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Weekly" not in result.output
    assert '<section id="shedding"' in out.read_text(encoding="utf-8")


def test_report_command_rejects_bad_input(db: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from magwise.cli import cli

    bad = CliRunner().invoke(cli, ["report", "--db", db, "--out", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2
    assert ".html or .pdf" in bad.output
    swapped = ["report", "--db", db, "--from", "2026-05-01", "--to", "2026-04-01"]
    assert CliRunner().invoke(cli, [*swapped, "--out", str(tmp_path / "r.html")]).exit_code == 2


def test_dates_are_plain_dates() -> None:
    assert isinstance(day(1), dt.date)


# -- labs by their laboratory's range, supplements and the plan in effect -------------------


def _rows(page: str, table_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="data {table_class}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert table is not None, table_class
    return [
        re.findall(r"<td>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def test_each_lab_is_judged_by_its_laboratorys_range_beside_magwises(html: str) -> None:
    texts = KB.progress.texts
    first, second = _rows(html, "labs")
    # date, test, result, mmol/L, lab's range, by the lab's range, by magwise
    assert first[4:] == ["0.66-1.07 mmol/L", texts["lab_in"], texts["lab_below"]]
    assert second[4:6] == ["—", ""]  # no range logged: "—", and no judgement by it


def test_a_lab_magwise_does_not_judge_is_judged_by_its_own_range(food_index: FoodIndex) -> None:
    labs = (
        LabEntry(1, day(3), "creatinine", 1.4, "mg/dL", 0.5, 1.1),
        LabEntry(2, day(4), "egfr", 75, "mL/min/1.73 m²", 90, None),
        LabEntry(3, day(5), "egfr", 95, "mL/min/1.73 m²", None, None, ">"),
    )
    page = render_html(record(labs=labs), today=day(10), knowledge=KB, foods=food_index)
    rows = _rows(page, "labs")
    texts = KB.progress.texts
    assert [r[4:] for r in rows] == [
        ["0.5-1.1 mg/dL", texts["lab_above"], ""],
        ["≥ 90 mL/min/1.73 m²", texts["lab_below"], ""],
        ["—", "", ""],
    ]


@given(
    low=st.floats(0, 100),
    width=st.floats(0.1, 100),
    value=st.floats(0, 300),
)
def test_the_lab_range_verdict_agrees_with_the_range(
    low: float, width: float, value: float
) -> None:
    high = low + width
    verdict = by_lab_range(LabEntry(1, day(0), "creatinine", value, "mg/dL", low, high))
    assert verdict == ("lab_below" if value < low else "lab_above" if value > high else "lab_in")
    # "< value": decided only when the whole span below value is below the range
    below = by_lab_range(LabEntry(1, day(0), "creatinine", value, "mg/dL", low, high, "<"))
    assert below == ("lab_below" if value <= low else None)
    assert by_lab_range(LabEntry(1, day(0), "creatinine", value, "mg/dL")) is None


def test_supplements_taken_and_the_plan_in_effect_are_listed(html: str) -> None:
    (row,) = _rows(html, "products")
    # product, form, mg each, a day (mean), mg a day, taken on
    assert row[2:5] == ["100", "1", "100"]
    assert row[5].startswith("100 days, ")
    plan = re.search(r'<p id="plan-in-effect">(.*?)</p>\s*<ul>(.*?)</ul>', html, re.S)
    assert plan is not None
    assert f"In effect since {day(20).isoformat()}:" in plan.group(1)
    assert "100 mg of magnesium a day as" in plan.group(1)
    doses = re.findall(r"<li>(.*?)</li>", plan.group(2))
    assert len(doses) >= 2 and all(d.endswith(" mg magnesium") for d in doses)
    total = sum(float(d.split(": ")[1].split(" ")[0]) for d in doses)
    assert total == pytest.approx(100, abs=0.1 * len(doses))


def test_a_stopped_plan_is_not_in_effect(food_index: FoodIndex) -> None:
    stopped = record(**intake(30), plans=(PlanEntry(1, day(2), 200, "citrate", day(9)),))
    page = render_html(stopped, today=day(29), knowledge=KB, foods=food_index)
    assert 'id="plan-in-effect"' not in page
