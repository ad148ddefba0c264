"""A report a person can print or hand to a doctor: HTML with inline SVG, or PDF.

``render_html(record)`` builds the page from the record and ``progress(record)``;
``render_pdf(html)`` lays it out with WeasyPrint; ``write_report(record, path)``
picks the format from the file name. Charts are hand-written SVG (``charts``):
no JavaScript, no network, the same bytes for the same record.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from magwise.advisor import FoodSource
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.knowledge.codebook import CodeBook
from magwise.record import PersonRecord
from magwise.report.context import report_context
from magwise.report.formats import Formats
from magwise.report.photos import AreaPhotos, report_photos

__all__ = ["AreaPhotos", "render_html", "render_pdf", "report_photos", "restrict", "write_report"]


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
    photos: Sequence[AreaPhotos] = (),
) -> str:
    """The report as one self-contained HTML document, in the language of ``knowledge``.

    ``photos``: the scalp photos to show (``report_photos`` picks the first and the
    latest of each area), embedded in the page as ``data:`` URIs.
    """
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
    fmt: Formats = context["fmt"]
    env.filters["num"] = fmt.num
    env.filters["plain"] = fmt.plain
    env.filters["signed"] = fmt.signed
    env.filters["day"] = fmt.day
    env.filters["date"] = fmt.date
    env.globals.update(_helpers(kb, fmt, foods))
    env.globals["food_name"] = functools.partial(_food_name, lang=kb.language, foods=foods)
    env.globals["food_portion"] = functools.partial(_food_portion, lang=kb.language)
    context["photos"] = list(photos)
    return env.get_template("report.html.j2").render(**context)


def _helpers(kb: Knowledge, fmt: Formats, foods: object) -> dict[str, Callable[..., Any]]:
    """Functions the template calls: display names of codes in the report's language."""
    books: dict[str, CodeBook[Any]] = {
        "conditions": kb.conditions,
        "medications": kb.medications,
        "patterns": kb.patterns,
        "scalp_signs": kb.scalp_signs,
        "triggers": kb.triggers,
        "lab_tests": kb.lab_tests,
    }

    def labels(book: str, codes: Sequence[str]) -> list[str]:
        found = (books[book].find(code) for code in codes)
        return [
            entry.label if entry is not None else code.replace("_", " ")
            for code, entry in zip(codes, found, strict=True)
        ]

    def form_name(code: str) -> str:
        form = kb.forms.get(code)
        return form.name if form is not None else code

    def food_alternatives(items: Sequence[Any]) -> str:
        line = kb.report_texts["food_alternative"]
        return "; ".join(
            line.format(
                food=_food_name(f.ndb, f.description, lang=kb.language, foods=foods),
                portion=_food_portion(f.portion, lang=kb.language),
                mg=fmt.plain(f.mg),
            )
            for f in items
        )

    return {"labels": labels, "form_name": form_name, "food_alternatives": food_alternatives}


def _food_name(ndb: str, description: str, *, lang: str, foods: object) -> str:
    """A food as the report's language names it (German names in a German report)."""
    from magwise.foods import food_name

    return food_name(ndb, description, lang, foods)


def _food_portion(portion: str, *, lang: str) -> str:
    """A household measure in the report's language ("1 cup" is "1 Tasse" in German)."""
    from magwise.foods._measures_de import german_measure_label

    return german_measure_label(portion) if lang == "de" else portion


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
