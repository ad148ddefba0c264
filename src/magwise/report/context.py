"""What the report shows, gathered from the record, the progress result and the knowledge."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from markupsafe import Markup

from magwise.advisor import FoodSource
from magwise.errors import InputError
from magwise.knowledge import Knowledge
from magwise.knowledge._models import Source
from magwise.progress import ProgressResult, daily_intake, progress
from magwise.record import PersonRecord
from magwise.report import charts
from magwise.store._store import lab_value
from magwise.units import resolve_unit, to_mmol_per_l

#: Periods longer than this are charted as weekly means rather than daily bars.
DAILY_BARS_MAX_DAYS = 120


def _sources(result: ProgressResult | None, kb: Knowledge) -> list[Source]:
    if result is None:
        return []
    ids: list[str] = [*result.reference.sources]
    for f in result.findings:
        ids += f.sources
    if result.dose_plan is not None:
        ids += result.dose_plan.sources
        for spacing in result.dose_plan.spacing:
            ids += spacing.sources
    if result.hair is not None:
        ids += result.hair.sources
        for c in result.hair.contributors:
            ids += c.sources
    for claim in result.claims:
        ids += claim.sources
    ids += result.progress.sources
    return [kb.sources[i] for i in dict.fromkeys(ids) if i in kb.sources]


def _intake_chart(
    result: ProgressResult,
    record: PersonRecord,
    today: dt.date,
    kb: Knowledge,
    foods: Any,
    *,
    narrow: bool = False,
) -> tuple[Markup | None, str]:
    per_day = daily_intake(record, today=today, knowledge=kb, foods=foods)
    if not per_day:
        return None, ""
    texts = kb.progress.texts
    span = (per_day[-1].date - per_day[0].date).days + 1
    if span <= DAILY_BARS_MAX_DAYS:
        bars = [charts.Bar(d.date, 1, d.supplement_mg, d.water_mg, d.food_mg) for d in per_day]
        note = texts["chart_intake_daily"]
    else:
        bars = [
            charts.Bar(w.start, 7, w.supplement_mg, w.water_mg, w.food_mg)
            for w in result.progress.intake_weeks
        ]
        note = texts["chart_intake_weekly"]
    ref = result.reference
    svg = charts.intake_chart(
        bars,
        ref.target_mg,
        ref.supplement_ul_mg,
        title=texts["chart_intake_title"].format(note=note),
        texts=texts,
        lang=kb.language,
        narrow=narrow,
    )
    return Markup(svg), note


def _shedding_chart(
    result: ProgressResult, record: PersonRecord, kb: Knowledge, narrow: bool = False
) -> Markup | None:
    shed = result.progress.shedding
    if shed.method is None:
        return None
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for e in record.shedding:
        if e.method == shed.method and e.day <= result.progress.as_of:
            by_day[e.day].append(e.count)
    counts = [(day, sum(v) / len(v)) for day, v in sorted(by_day.items())]
    weekly = [(w.start, w.median) for w in shed.weeks if w.median is not None]
    facts, texts = kb.hair.facts, kb.progress.texts
    normal = (
        (facts.normal_shedding_min.value, facts.normal_shedding_max.value)
        if shed.method == "daily_count"
        else None
    )
    return Markup(
        charts.shedding_chart(
            counts,
            weekly,
            shed.baseline_median,
            normal,
            title=texts["chart_shedding_title"].format(method=texts[f"method_{shed.method}"]),
            texts=texts,
            lang=kb.language,
            narrow=narrow,
        )
    )


def _labs(
    record: PersonRecord, kb: Knowledge, first: dt.date, last: dt.date, narrow: bool = False
) -> tuple[list[dict[str, Any]], Markup | None]:
    """The lab results as rows, and serum magnesium charted over the report's period."""
    thresholds, texts = kb.serum.thresholds, kb.progress.texts
    low, high = thresholds.low_below.value, thresholds.high_above.value
    decimals = int(thresholds.compare_decimals.value)
    rows: list[dict[str, Any]] = []
    points: list[tuple[dt.date, float]] = []
    for lab in record.labs:
        mmol: float | None = None
        if lab.test == "serum_magnesium":
            try:
                mmol = to_mmol_per_l(lab.value, resolve_unit(lab.unit, kb=kb).name, kb)
            except InputError:
                mmol = None
        judged = ""
        if mmol is not None:
            shown = round(mmol, decimals)  # judged as shown, as the advisor does
            verdict = "lab_below" if shown < low else "lab_above" if shown > high else "lab_in"
            if lab.comparator is None:
                points.append((lab.day, mmol))  # only exact values are charted
            elif lab.comparator.startswith("<"):
                # "< 0.5": the true value lies below; judged only when that decides it
                verdict = "lab_below" if shown <= low else ""
            else:
                verdict = "lab_above" if shown >= high else ""
            judged = texts[verdict] if verdict else ""
        sign = f"{lab.comparator} " if lab.comparator else ""
        rows.append(
            {
                "day": lab.day,
                "test": texts[f"lab_test_{lab.test}"],
                "value": f"{lab_value(lab.value, lab.comparator)} {lab.unit}",
                "mmol": None if mmol is None else f"{sign}{mmol:.2f}",
                "lab_range": (
                    f"{lab.range_low:g}-{lab.range_high:g} {lab.unit}"
                    if lab.range_low is not None and lab.range_high is not None
                    else ""
                ),
                "judged": judged,
            }
        )
    if not points:
        return rows, None
    svg = charts.lab_chart(
        points,
        low=low,
        high=high,
        first=first,
        last=last,
        title=texts["chart_lab_title"],
        texts=texts,
        lang=kb.language,
        narrow=narrow,
    )
    return rows, Markup(svg)


def _symptoms(
    record: PersonRecord, kb: Knowledge, first: dt.date, last: dt.date, narrow: bool = False
) -> tuple[list[tuple[str, list[dt.date], bool]], Markup | None]:
    """(label, days, sign of excess) per symptom, and their timeline."""
    by_code: dict[str, list[dt.date]] = defaultdict(list)
    for s in record.symptoms:
        by_code[s.code].append(s.day)
    rows: list[tuple[str, list[dt.date], bool]] = []
    for code, days in by_code.items():
        entry = kb.symptoms.find(code)
        excess = entry is not None and "excess" in entry.signals
        rows.append((entry.label if entry else code, sorted(days), excess))
    if not rows:
        return rows, None
    logged = [d for _, days, _ in rows for d in days]
    texts = kb.progress.texts
    svg = charts.symptom_timeline(
        rows,
        min(first, *logged),
        max(last, *logged),
        title=texts["chart_symptoms_title"],
        texts=texts,
        lang=kb.language,
        narrow=narrow,
    )
    return rows, Markup(svg)


def report_context(
    record: PersonRecord,
    *,
    start: dt.date | None,
    end: dt.date | None,
    today: dt.date,
    standard: str | None,
    kb: Knowledge,
    foods: FoodSource | None,
    narrow: bool = False,
) -> dict[str, Any]:
    """Everything the template renders; with ``narrow``, each chart also drawn for a
    phone's width (``<name>_svg_narrow``), as the Progress page shows it there."""
    if foods is None:
        from magwise.foods import load_foods

        foods = load_foods()
    result = (
        progress(record, today=today, standard=standard, knowledge=kb, foods=foods)
        if record.profiles
        else None
    )
    ctx: dict[str, Any] = {
        "today": today,
        "start": start,
        "end": end,
        "record": record,
        "profile": record.profile_on(today) if record.profiles else None,
        "result": result,
        "texts": kb.progress.texts,
        "disclaimer": kb.texts["disclaimer"],
        "knowledge_version": kb.version,
        "sources": _sources(result, kb),
        "notes": record.notes,
        "min_counts": kb.progress.min_counts_per_week.value,
        "intake_svg": None,
        "intake_note": "",
        "shedding_svg": None,
    }
    if result is not None:
        first = result.progress.first_day or today
        last = result.progress.last_day or today
        ctx["period"] = (start or first, end or last)
        ctx["intake_svg"], ctx["intake_note"] = _intake_chart(result, record, today, kb, foods)
        ctx["shedding_svg"] = _shedding_chart(result, record, kb)
    else:
        ctx["period"] = (start, end)
    first, last = ctx["period"]
    ctx["labs"], ctx["labs_svg"] = _labs(record, kb, first or today, last or today)
    ctx["symptoms"], ctx["symptoms_svg"] = _symptoms(record, kb, first or today, last or today)
    ctx["serum_range"] = (kb.serum.thresholds.low_below.value, kb.serum.thresholds.high_above.value)
    if narrow:
        ctx.update(_narrow_charts(ctx, record, today, kb, foods))
    return ctx


def _narrow_charts(
    ctx: dict[str, Any], record: PersonRecord, today: dt.date, kb: Knowledge, foods: Any
) -> dict[str, Markup | None]:
    """Each chart of ``ctx`` drawn again for a phone's width."""
    result: ProgressResult | None = ctx["result"]
    first, last = ctx["period"]
    first, last = first or today, last or today
    return {
        "intake_svg_narrow": (
            _intake_chart(result, record, today, kb, foods, narrow=True)[0] if result else None
        ),
        "shedding_svg_narrow": _shedding_chart(result, record, kb, narrow=True) if result else None,
        "labs_svg_narrow": _labs(record, kb, first, last, narrow=True)[1],
        "symptoms_svg_narrow": _symptoms(record, kb, first, last, narrow=True)[1],
    }
