"""A report a person can print or hand to a doctor: HTML with inline SVG, or PDF.

``render_html(record)`` builds the page from the record and ``progress(record)``;
``render_pdf(html)`` lays it out with WeasyPrint; ``write_report(record, path)``
picks the format from the file name. Charts are hand-written SVG (``charts``):
no JavaScript, no network, the same bytes for the same record.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path
from typing import Any

from magwise.advisor import FoodSource
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.record import PersonRecord
from magwise.report.context import report_context

__all__ = ["render_html", "render_pdf", "restrict", "write_report"]


def restrict(record: PersonRecord, start: dt.date | None, end: dt.date | None) -> PersonRecord:
    """The record's entries from ``start`` to ``end`` (inclusive); plans that overlap."""

    def inside(day: dt.date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    return replace(
        record,
        foods=tuple(e for e in record.foods if inside(e.day)),
        supplements=tuple(e for e in record.supplements if inside(e.day)),
        water=tuple(e for e in record.water if inside(e.day)),
        shedding=tuple(e for e in record.shedding if inside(e.day)),
        symptoms=tuple(e for e in record.symptoms if inside(e.day)),
        labs=tuple(e for e in record.labs if inside(e.day)),
        notes=tuple(e for e in record.notes if inside(e.day)),
        plans=tuple(
            p
            for p in record.plans
            if (end is None or p.started <= end)
            and (start is None or p.stopped is None or p.stopped >= start)
        ),
    )


def render_html(
    record: PersonRecord,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    standard: str | None = None,
    knowledge: Knowledge | None = None,
    foods: FoodSource | None = None,
) -> str:
    """The report as one self-contained HTML document."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    kb = knowledge or load_knowledge()
    today = today or end or dt.date.today()
    context: dict[str, Any] = report_context(
        restrict(record, start, end),
        start=start,
        end=end,
        today=today,
        standard=standard,
        kb=kb,
        foods=foods,
    )
    env = Environment(
        loader=PackageLoader("magwise.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.globals["food_name"] = functools.partial(_food_name, lang=kb.language, foods=foods)
    env.globals["food_portion"] = functools.partial(_food_portion, lang=kb.language)
    return env.get_template("report.html.j2").render(**context)


def _food_name(ndb: str, description: str, *, lang: str, foods: object) -> str:
    """A food as the report's language names it (German names in a German report)."""
    from magwise.foods import food_name

    return food_name(ndb, description, lang, foods)


def _food_portion(portion: str, *, lang: str) -> str:
    """A household measure in the report's language ("1 cup" is "1 Tasse" in German)."""
    from magwise.foods._measures_de import german_measure_label

    return german_measure_label(portion) if lang == "de" else portion


def _num(value: float | None) -> str:
    """250.0 -> '250', 12.5 -> '12.5', None -> '—'."""
    return "—" if value is None else f"{value:g}"


def render_pdf(html: str) -> bytes:
    """The HTML report laid out as a PDF (A4) with WeasyPrint."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except OSError as exc:  # Pango or HarfBuzz missing
        raise InputError(
            "out", f"PDF needs the Pango library ({exc}); write .html instead"
        ) from None
    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def write_report(record: PersonRecord, out: Path, **options: Any) -> Path:
    """Write the report to ``out``: HTML for ``.html``/``.htm``, PDF for ``.pdf``."""
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InputError("out", f"{out.name!r}: the report is written as .html or .pdf")
    html = render_html(record, **options)
    if suffix == ".pdf":
        out.write_bytes(render_pdf(html))
    else:
        out.write_text(html, encoding="utf-8")
    return out
