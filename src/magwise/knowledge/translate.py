"""The knowledge base's texts in other languages.

The English data files hold every number, rule, code and source; a language's
file ``data/<language>.toml`` holds only texts, each under the key of the English
text it translates (``english_texts`` lists these keys: the English file's name,
then its table, code and field). A translated knowledge base has the same
numbers, rules, codes, aliases and sources as the English one: only messages,
reasons, headline texts, claims and display names differ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from magwise.errors import DataError
from magwise.knowledge.codebook import CodeBook

if TYPE_CHECKING:
    from magwise.knowledge import Knowledge

__all__ = ["LANGUAGES", "english_texts", "read_translation", "translate"]

#: Languages the knowledge base's texts come in; English is the source.
LANGUAGES = ("en", "de")


def english_texts(kb: Knowledge) -> dict[str, str]:
    """Every translatable text of ``kb`` by its key (``file.table.code[.field]``)."""
    out: dict[str, str] = {}
    for key, text in kb.texts.items():
        out[f"findings.texts.{key}"] = text
    for finding in kb.findings.values():
        out[f"findings.finding.{finding.code}.message"] = finding.message
        if finding.reason is not None:
            out[f"findings.finding.{finding.code}.reason"] = finding.reason
    for claim in kb.claims.values():
        out[f"claims.claim.{claim.code}.claim"] = claim.claim
        out[f"claims.claim.{claim.code}.answer"] = claim.answer
    for condition in kb.conditions:
        out[f"conditions.condition.{condition.code}"] = condition.label
    for symptom in kb.symptoms:
        out[f"symptoms.symptom.{symptom.code}"] = symptom.label
    for cls in kb.medication_classes:
        out[f"medications.class.{cls.code}"] = cls.label
        for member in cls.members:
            out[f"medications.member.{member.code}"] = member.label
    for form in kb.forms.values():
        out[f"supplement_forms.form.{form.id}"] = form.name
    for table, book in (
        ("pattern", kb.patterns),
        ("trigger", kb.triggers),
        ("scalp", kb.scalp_signs),
        ("test", kb.lab_tests),
    ):
        for entry in book:
            out[f"hair.{table}.{entry.code}"] = entry.label
    for cause in kb.causes:
        out[f"hair.cause.{cause.code}"] = cause.label
        if cause.note is not None:
            out[f"hair.cause_note.{cause.code}"] = cause.note
    for key, text in kb.progress.texts.items():
        out[f"progress.texts.{key}"] = text
    for key, text in kb.report_texts.items():
        out[f"report.texts.{key}"] = text
    for standard in kb.standards.values():
        out[f"reference_intakes.standard.{standard.id}"] = standard.target_name
    out["serum.caveat"] = kb.serum.caveat.text
    out["serum.rbc"] = kb.serum.rbc.text
    for slot in kb.rules.dose_clock.slots:
        out[f"rules.dose_clock.{slot.key}"] = slot.label
    role = kb.role
    for key, text in role.texts.items():
        out[f"role.texts.{key}"] = text
    out["role.caveat"] = role.caveat.text
    for rule in role.rule:
        out[f"role.rule.{rule.code}"] = rule.text
    for cause_text in role.cause:
        out[f"role.cause.{cause_text.code}.text"] = cause_text.text
        if cause_text.text_trigger is not None:
            out[f"role.cause.{cause_text.code}.text_trigger"] = cause_text.text_trigger
    return out


def _flatten(table: Mapping[str, Any], prefix: str, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            out.update(_flatten(value, name, where))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise DataError(f"{where}: {name} must be a text, not {value!r}")
    return out


def read_translation(language: str, data_dir: Path) -> dict[str, str]:
    """The texts of ``language`` by key (``english_texts`` names the keys)."""
    import tomllib  # only when the texts are read again, not from the prepared copy

    name = f"{language}.toml"
    try:
        data = tomllib.loads((data_dir / name).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"knowledge translation {name}: {exc}") from exc
    return _flatten(data, "", name)


T = TypeVar("T")


def translate(kb: Knowledge, language: str, data_dir: Path) -> None:
    """Replace the texts of ``kb`` (an English knowledge base) by those of ``language``.

    Every English text needs its translation and every translation an English
    text; otherwise a ``DataError`` names the keys.
    """
    english = english_texts(kb)
    texts = read_translation(language, data_dir)
    missing = sorted(set(english) - set(texts))
    extra = sorted(set(texts) - set(english))
    if missing or extra:
        raise DataError(
            f"knowledge translation {language!r}: missing {missing or 'none'}; "
            f"without an English text {extra or 'none'}"
        )

    def text(key: str) -> str:
        return texts[key]

    def labelled(book: CodeBook[Any], key: str) -> CodeBook[Any]:
        return CodeBook(
            book.kind, [e.model_copy(update={"label": text(f"{key}.{e.code}")}) for e in book]
        )

    def each(items: Mapping[str, T], update: Callable[[T], T]) -> dict[str, T]:
        return {name: update(item) for name, item in items.items()}

    kb.language = language
    kb.texts = {key: text(f"findings.texts.{key}") for key in kb.texts}
    kb.findings = each(
        kb.findings,
        lambda f: f.model_copy(
            update={
                "message": text(f"findings.finding.{f.code}.message"),
                "reason": None if f.reason is None else text(f"findings.finding.{f.code}.reason"),
            }
        ),
    )
    kb.claims = each(
        kb.claims,
        lambda c: c.model_copy(
            update={
                "claim": text(f"claims.claim.{c.code}.claim"),
                "answer": text(f"claims.claim.{c.code}.answer"),
            }
        ),
    )
    kb.conditions = labelled(kb.conditions, "conditions.condition")
    kb.symptoms = labelled(kb.symptoms, "symptoms.symptom")
    kb.medication_classes = tuple(
        cls.model_copy(
            update={
                "label": text(f"medications.class.{cls.code}"),
                "members": tuple(
                    m.model_copy(update={"label": text(f"medications.member.{m.code}")})
                    for m in cls.members
                ),
            }
        )
        for cls in kb.medication_classes
    )
    kb.index_medications()
    kb.forms = each(
        kb.forms, lambda f: f.model_copy(update={"name": text(f"supplement_forms.form.{f.id}")})
    )
    hair = kb.hair
    causes = tuple(
        c.model_copy(
            update={
                "label": text(f"hair.cause.{c.code}"),
                "note": None if c.note is None else text(f"hair.cause_note.{c.code}"),
            }
        )
        for c in hair.cause
    )
    kb.hair = hair.model_copy(
        update={
            "pattern": tuple(labelled(kb.patterns, "hair.pattern")),
            "trigger": tuple(labelled(kb.triggers, "hair.trigger")),
            "scalp": tuple(labelled(kb.scalp_signs, "hair.scalp")),
            "test": tuple(labelled(kb.lab_tests, "hair.test")),
            "cause": causes,
        }
    )
    kb.index_hair()
    kb.progress = kb.progress.model_copy(
        update={"texts": {key: text(f"progress.texts.{key}") for key in kb.progress.texts}}
    )
    kb.report_texts = {key: text(f"report.texts.{key}") for key in kb.report_texts}
    kb.standards = each(
        kb.standards,
        lambda s: s.model_copy(update={"target_name": text(f"reference_intakes.standard.{s.id}")}),
    )
    serum = kb.serum
    kb.serum = serum.model_copy(
        update={
            "caveat": serum.caveat.model_copy(update={"text": text("serum.caveat")}),
            "rbc": serum.rbc.model_copy(update={"text": text("serum.rbc")}),
        }
    )
    rules = kb.rules
    clock = rules.dose_clock
    slots = tuple(
        s.model_copy(update={"label": text(f"rules.dose_clock.{s.key}")}) for s in clock.slots
    )
    kb.rules = rules.model_copy(update={"dose_clock": clock.model_copy(update={"slots": slots})})
    role = kb.role
    kb.role = role.model_copy(
        update={
            "texts": {key: text(f"role.texts.{key}") for key in role.texts},
            "caveat": role.caveat.model_copy(update={"text": text("role.caveat")}),
            "rule": tuple(
                r.model_copy(update={"text": text(f"role.rule.{r.code}")}) for r in role.rule
            ),
            "cause": tuple(
                c.model_copy(
                    update={
                        "text": text(f"role.cause.{c.code}.text"),
                        "text_trigger": None
                        if c.text_trigger is None
                        else text(f"role.cause.{c.code}.text_trigger"),
                    }
                )
                for c in role.cause
            ),
        }
    )
