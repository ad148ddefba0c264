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
from magwise.record import LabEntry, PersonRecord, SupplementEntry
from magwise.report import charts
from magwise.report.formats import Formats
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
    ids += result.magnesium_role.sources
    if result.magnesium_role.other_cause is not None:
        ids += result.magnesium_role.other_cause.sources
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


def _lab_range(lab: LabEntry, fmt: Formats) -> str:
    """The laboratory's own range as it printed it, or "" when none was logged."""
    low, high = lab.range_low, lab.range_high
    if low is not None and high is not None:
        return f"{fmt.num(low)}-{fmt.num(high)} {lab.unit}"
    if low is not None:
        return f"≥ {fmt.num(low)} {lab.unit}"
    if high is not None:
        return f"≤ {fmt.num(high)} {lab.unit}"
    return ""


def by_lab_range(lab: LabEntry) -> str | None:
    """``lab_below``, ``lab_in`` or ``lab_above`` by the laboratory's own range;
    None when no range was logged or a "<"/">" value does not decide it."""
    low, high = lab.range_low, lab.range_high
    if low is None and high is None:
        return None
    value, sign = lab.value, lab.comparator or ""
    if sign.startswith("<"):  # the true value lies at or below ``value``
        if low is not None and value <= low:
            return "lab_below"
        return "lab_in" if high is not None and value <= high and low is None else None
    if sign.startswith(">"):  # the true value lies at or above ``value``
        if high is not None and value >= high:
            return "lab_above"
        return "lab_in" if low is not None and value >= low and high is None else None
    if low is not None and value < low:
        return "lab_below"
    if high is not None and value > high:
        return "lab_above"
    return "lab_in"


def _test_name(test: str, kb: Knowledge) -> str:
    text = kb.progress.texts.get(f"lab_test_{test}")
    if text is not None:
        return text
    entry = kb.lab_tests.find(test)
    return entry.label if entry is not None else test.replace("_", " ")


def _labs(
    record: PersonRecord,
    kb: Knowledge,
    first: dt.date,
    last: dt.date,
    fmt: Formats | None = None,
    *,
    narrow: bool = False,
) -> tuple[list[dict[str, Any]], Markup | None]:
    """The lab results as rows, and serum magnesium charted over the report's period.

    Each row is judged twice: ``by_lab`` against the range its laboratory printed
    (any test, when the entry carries one) and ``judged`` against magwise's own
    range (serum magnesium).
    """
    fmt = fmt or Formats(kb.language)
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
        by_lab = by_lab_range(lab)
        rows.append(
            {
                "day": lab.day,
                "test": _test_name(lab.test, kb),
                "value": f"{sign}{fmt.num(lab.value)} {lab.unit}",
                "mmol": None if mmol is None else f"{sign}{fmt.fixed(mmol, 2)}",
                "lab_range": _lab_range(lab, fmt),
                "judged": judged,
                "by_lab": texts[by_lab] if by_lab else "",
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


def _products(record: PersonRecord, kb: Knowledge) -> list[dict[str, Any]]:
    """Each supplement product logged: its form and strength, how much a day, on which days."""
    by_product: dict[tuple[str, str | None, float], list[SupplementEntry]] = defaultdict(list)
    for entry in record.supplements:
        by_product[(entry.product, entry.form, entry.elemental_mg_per_unit)].append(entry)
    rows: list[dict[str, Any]] = []
    for (name, form, mg_each), entries in by_product.items():
        days = sorted({e.day for e in entries})
        units = sum(e.units for e in entries) / len(days)
        known = kb.forms.get(form) if form else None
        rows.append(
            {
                "product": name,
                "form": known.name if known is not None else (form or ""),
                "mg_each": mg_each,
                "units_per_day": round(units, 2),
                "mg_per_day": round(units * mg_each, 1),
                "days": len(days),
                "first": days[0],
                "last": days[-1],
            }
        )
    return rows


def plan_in_effect(
    record: PersonRecord, result: ProgressResult | None, today: dt.date, kb: Knowledge
) -> dict[str, Any] | None:
    """The plan the person follows on ``today``, with its doses at their times of day:
    those of the assessment's plan where it has one, else the rules' plan times."""
    running = [
        p for p in record.plans if p.started <= today and (p.stopped is None or p.stopped >= today)
    ]
    if not running:
        return None
    plan = running[-1]
    if result is not None and result.dose_plan is not None and result.dose_plan.doses:
        times = [d.time for d in result.dose_plan.doses]
    else:
        clock = kb.rules.dose_clock
        times = [clock.slot(str(key)).label for key in kb.rules.plan_times.values]
    form = kb.forms.get(plan.form)
    return {
        "started": plan.started,
        "mg": plan.supplement_mg_per_day,
        "form": kb.in_sentence(form.name) if form is not None else plan.form,
        "doses": [(time, round(plan.supplement_mg_per_day / len(times), 1)) for time in times],
    }


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


def identity(record: PersonRecord, today: dt.date) -> dict[str, Any]:
    """The name and date of birth the person gave, if any (the profile in force)."""
    if not record.profiles:
        return {"name": None, "birth_date": None}
    profile = record.profile_on(today)
    return {"name": profile.name, "birth_date": profile.birth_date}


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
    fmt = Formats(kb.language)
    ctx: dict[str, Any] = {
        "fmt": fmt,
        # trusted words of the knowledge base; Markup.format escapes what is filled in
        "T": {key: Markup(text) for key, text in kb.report_texts.items()},
        "kb": kb,
        "today": today,
        "start": start,
        "end": end,
        "record": record,
        "profile": record.profile_on(today) if record.profiles else None,
        "identity": identity(record, today),
        "result": result,
        "texts": kb.progress.texts,
        "role_texts": kb.role.texts,
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
    ctx["labs"], ctx["labs_svg"] = _labs(record, kb, first or today, last or today, fmt)
    ctx["products"] = _products(record, kb)
    ctx["plan_in_effect"] = plan_in_effect(record, result, end or today, kb)
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
        "labs_svg_narrow": _labs(record, kb, first, last, ctx["fmt"], narrow=True)[1],
        "symptoms_svg_narrow": _symptoms(record, kb, first, last, narrow=True)[1],
    }
