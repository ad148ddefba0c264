"""The knowledge base: sourced data files, validated once when loaded.

Every number magwise uses to judge a person (reference values, limits, salt
fractions, serum thresholds, interactions, red flags, rule parameters) lives in
``knowledge/data/*.toml`` with a source id from ``sources.toml``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from magwise.errors import DataError, InputError
from magwise.knowledge._models import (
    Claim,
    Condition,
    FindingText,
    Hair,
    HairLabs,
    IntakeTable,
    Kidney,
    LabCode,
    LabUnit,
    LimitTable,
    Medication,
    MedicationClass,
    ProgressParams,
    Role,
    Rules,
    Serum,
    SerumUnit,
    Source,
    Standard,
    SupplementForm,
    Symptom,
    Value,
)
from magwise.knowledge.codebook import CodeBook, normalise
from magwise.knowledge.formula import elemental_fraction
from magwise.knowledge.translate import LANGUAGES, translate
from magwise.lab_tests import HAIR_LAB_TESTS, LAB_TESTS, MAGNESIUM_TESTS

__all__ = ["HAIR_LAB_TESTS", "LAB_TESTS", "MAGNESIUM_TESTS", "Knowledge", "load_knowledge"]


#: Version of the knowledge base; bumped whenever a number or rule changes.
KNOWLEDGE_VERSION = "2026.12.2"

_FRACTION_TOLERANCE = 0.0005


#: Where the shipped data files live.
DATA_DIR = Path(__file__).parent / "data"


def _read_file(name: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    import tomllib  # only when the knowledge base is read again, not from its prepared copy

    path = data_dir / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"knowledge file {name}: {exc}") from exc


def _table_file(
    name: str, key: str, model: type[Any], data_dir: Path = DATA_DIR
) -> tuple[Any, ...]:
    data = _read_file(name, data_dir)
    adapter: TypeAdapter[Any] = TypeAdapter(model)
    return tuple(adapter.validate_python(item) for item in data.get(key, ()))


class Knowledge:
    """All of magwise's sourced knowledge, validated and indexed.

    ``data_dir`` reads the data files from another directory (a modified copy, in
    tests); the product uses the shipped files through ``load_knowledge()``.
    ``language`` other than English replaces the texts by those of
    ``data_dir/<language>.toml`` (see ``magwise.knowledge.translate``).
    """

    def __init__(self, data_dir: Path | None = None, language: str = "en") -> None:
        where = DATA_DIR if data_dir is None else data_dir
        self.language = "en"

        def _read(name: str) -> dict[str, Any]:
            return _read_file(name, where)

        def _table(name: str, key: str, model: type[Any]) -> tuple[Any, ...]:
            return _table_file(name, key, model, where)

        self.version = KNOWLEDGE_VERSION
        sources = _table("sources.toml", "source", Source)
        self.sources: dict[str, Source] = {s.id: s for s in sources}
        if len(self.sources) != len(sources):
            raise DataError("sources.toml: a source id appears twice")
        intakes = _read("reference_intakes.toml")
        self.standards: dict[str, Standard] = {
            s.id: s for s in TypeAdapter(tuple[Standard, ...]).validate_python(intakes["standard"])
        }
        self.intake_tables: tuple[IntakeTable, ...] = TypeAdapter(
            tuple[IntakeTable, ...]
        ).validate_python(intakes["intake"])
        self.limit_tables: tuple[LimitTable, ...] = _table("upper_limits.toml", "limit", LimitTable)
        self._intake_index: (
            tuple[tuple[IntakeTable, ...], dict[tuple[str, str, str], tuple[IntakeTable, ...]]]
            | None
        ) = None
        forms_data = _read("supplement_forms.toml")
        weights = dict(forms_data["atomic_weights"])
        self.atomic_weights_source: str = weights.pop("source")
        self.atomic_weights: dict[str, float] = {k: float(v) for k, v in weights.items()}
        self.forms: dict[str, SupplementForm] = {
            f.id: f
            for f in TypeAdapter(tuple[SupplementForm, ...]).validate_python(forms_data["form"])
        }
        self._form_names: dict[str, str] = {}
        for form in self.forms.values():
            for name in (form.id, *form.aliases):
                key = normalise(name)
                if self._form_names.get(key, form.id) != form.id:
                    raise DataError(f"supplement form name {name!r} is used by two forms")
                self._form_names[key] = form.id
        self.serum: Serum = Serum.model_validate(_read("serum.toml"))
        self.kidney: Kidney = Kidney.model_validate(_read("kidney.toml"))
        self.hair_labs: HairLabs = HairLabs.model_validate(_read("hair_labs.toml"))
        self.symptoms = CodeBook("symptom", _table("symptoms.toml", "symptom", Symptom))
        self.conditions = CodeBook("condition", _table("conditions.toml", "condition", Condition))
        self.medication_classes: tuple[MedicationClass, ...] = _table(
            "medications.toml", "class", MedicationClass
        )
        self.index_medications()
        self.hair: Hair = Hair.model_validate(_read("hair.toml"))
        self.index_hair()
        self.rules: Rules = Rules.model_validate(_read("rules.toml"))
        self.progress: ProgressParams = ProgressParams.model_validate(_read("progress.toml"))
        self.role: Role = Role.model_validate(_read("role.toml"))
        self.claims: dict[str, Claim] = {c.code: c for c in _table("claims.toml", "claim", Claim)}
        #: The words of the printed report (report.toml), by key.
        self.report_texts: dict[str, str] = {
            str(k): str(v) for k, v in _read("report.toml")["texts"].items()
        }
        findings = _read("findings.toml")
        self.texts: dict[str, str] = dict(findings["texts"])
        self.findings: dict[str, FindingText] = {
            f.code: f
            for f in TypeAdapter(tuple[FindingText, ...]).validate_python(findings["finding"])
        }
        self._check()
        if language != "en":
            translate(self, language, where)

    def index_medications(self) -> None:
        """Index the members of ``medication_classes`` by code and alias."""
        self._class_of: dict[str, MedicationClass] = {}
        members: list[Medication] = []
        for cls in self.medication_classes:
            for member in cls.members:
                self._class_of[member.code] = cls
                members.append(member)
        self.medications = CodeBook("medication", members)

    def index_hair(self) -> None:
        """Index the entries of ``hair`` by code and alias."""
        self.patterns = CodeBook("hair pattern", self.hair.pattern)
        self.triggers = CodeBook("trigger", self.hair.trigger)
        self.scalp_signs = CodeBook("scalp sign", self.hair.scalp)
        self.causes = CodeBook("cause", self.hair.cause)
        self.lab_tests = CodeBook("test", self.hair.test)

    # -- lookups ------------------------------------------------------------
    def source(self, source_id: str) -> Source:
        """The registered source ``source_id``, or an error naming the accepted ids."""
        try:
            return self.sources[source_id.strip().lower()]
        except KeyError:
            raise InputError(
                "source", f"unknown source {source_id!r}; accepted: {', '.join(self.sources)}"
            ) from None

    def standard(self, standard_id: str) -> Standard:
        try:
            return self.standards[standard_id.lower()]
        except KeyError:
            raise InputError(
                "standard",
                f"unknown standard {standard_id!r}; accepted: {', '.join(self.standards)}",
            ) from None

    def intake_tables_of(self, standard: str, state: str, kind: str) -> tuple[IntakeTable, ...]:
        """The intake tables of one standard, state and kind, in the order of the file."""
        index = self._intake_index
        if index is None or index[0] is not self.intake_tables:  # indexed once per tables
            tables: dict[tuple[str, str, str], tuple[IntakeTable, ...]] = {}
            for t in self.intake_tables:
                key = (t.standard, t.state, t.kind)
                tables[key] = (*tables.get(key, ()), t)
            index = self._intake_index = (self.intake_tables, tables)
        return index[1].get((standard, state, kind), ())

    @property
    def default_standard(self) -> str:
        return next(s.id for s in self.standards.values() if s.default)

    def form(self, name: str) -> SupplementForm | None:
        """The supplement form a label or a person names, or None."""
        text = normalise(name)
        form_id = self._form_names.get(text)
        if form_id is None and text.startswith("magnesium "):
            form_id = self._form_names.get(text.removeprefix("magnesium "))
        return None if form_id is None else self.forms[form_id]

    def form_names(self) -> list[str]:
        return sorted(self._form_names)

    def medication_class(self, code: str) -> MedicationClass:
        return self._class_of[code]

    def unit(self, name: str) -> SerumUnit | None:
        """The serum unit called ``name`` (any case or spacing; aliases too), or None."""
        return self._unit_names.get(normalise(name).replace(" ", ""))

    @functools.cached_property
    def _unit_names(self) -> dict[str, SerumUnit]:
        names: dict[str, SerumUnit] = {}
        for unit in self.serum.unit:
            for name in (unit.name, *unit.aliases):
                names.setdefault(normalise(name).replace(" ", ""), unit)
        return names

    def lab_unit(self, test: str, name: str) -> SerumUnit | LabUnit | None:
        """The unit called ``name`` for a lab ``test`` (aliases, case and spacing
        forgiven), or None: magnesium tests take the serum units, eGFR and creatinine
        those of kidney.toml."""
        if test in MAGNESIUM_TESTS:
            return self.unit(name)

        def key(text: str) -> str:  # "µ" and "μ", "m²" and "m2" alike
            return normalise(unicodedata.normalize("NFKC", text)).replace(" ", "")

        for unit in self.lab_units:
            if unit.test == test and key(name) in {key(n) for n in (unit.name, *unit.aliases)}:
                return unit
        return None

    def lab_unit_names(self, test: str) -> list[str]:
        """The names of the units accepted for a lab ``test``."""
        if test in MAGNESIUM_TESTS:
            return [u.name for u in self.serum.unit]
        return [u.name for u in self.lab_units if u.test == test]

    @property
    def lab_units(self) -> tuple[LabUnit, ...]:
        """The units of the labs other than magnesium (kidney.toml, hair_labs.toml)."""
        return (*self.kidney.unit, *self.hair_labs.unit)

    @property
    def lab_codes(self) -> tuple[LabCode, ...]:
        """Every lab code magwise reads (serum, kidney and hair-screen labs)."""
        return (*self.serum.lab_code, *self.kidney.lab_code, *self.hair_labs.lab_code)

    def finding(self, code: str) -> FindingText:
        return self.findings[code]

    def in_sentence(self, name: str) -> str:
        """A display name as it reads inside a sentence.

        English lowers it ("with kidney disease"); German nouns keep their capital
        letters, and the German data writes each name as it reads in a sentence.
        """
        return name.lower() if self.language == "en" else name

    # -- integrity ----------------------------------------------------------
    def _cited(self) -> Iterator[tuple[str, Iterable[str]]]:
        """Every (where, source ids) pair in the knowledge base."""
        for std in self.standards.values():
            yield f"standard {std.id}", std.sources
        for table in self.intake_tables:
            yield f"intake {table.standard}/{table.state}/{table.kind}", table.sources
        for limits in self.limit_tables:
            yield f"limit {'/'.join(limits.standards)}", limits.sources
        yield "atomic weights", (self.atomic_weights_source,)
        for form in self.forms.values():
            yield f"form {form.id}", form.sources
        serum = self.serum
        yield "serum chemistry", serum.chemistry.sources
        for name, value in serum.thresholds:
            yield f"serum threshold {name}", value.sources
        for name, value in serum.plausible:
            yield f"serum plausible {name}", value.sources
        for lab in serum.lab_code:
            yield f"lab code {lab.code}", lab.sources
        for kunit in self.kidney.unit:
            yield f"lab unit {kunit.test} {kunit.name}", kunit.sources
        for klab in self.kidney.lab_code:
            yield f"lab code {klab.code}", klab.sources
        for name, value in self.kidney.thresholds:
            yield f"kidney threshold {name}", value.sources
        for hunit in self.hair_labs.unit:
            yield f"lab unit {hunit.test} {hunit.name}", hunit.sources
        for hlab in self.hair_labs.lab_code:
            yield f"lab code {hlab.code}", hlab.sources
        for name, value in self.hair_labs.thresholds:
            yield f"hair lab threshold {name}", value.sources
        yield "serum caveat", serum.caveat.sources
        yield "rbc", serum.rbc.sources
        for book in (self.symptoms, self.conditions, self.patterns, self.triggers):
            for entry in book:
                yield f"{book.kind} {entry.code}", entry.sources
        for book2 in (self.scalp_signs, self.causes, self.lab_tests):
            for entry2 in book2:
                yield f"{book2.kind} {entry2.code}", entry2.sources
        for cls in self.medication_classes:
            yield f"medication class {cls.code}", cls.sources
            for member in cls.members:
                if member.sources:
                    yield f"medicine {member.code}", member.sources
        for name, fact in self.hair.facts:
            yield f"hair fact {name}", fact.sources
        for name, weight in self.hair.screen_weights:
            yield f"screen weight {name}", weight.sources
        yield "hair screen", self.hair.screen.sources
        for name, rule in self.rules:
            if name != "schema_version":
                yield f"rule {name}", rule.sources
        for name, param in self.progress:
            if isinstance(param, Value):
                yield f"progress {name}", param.sources
        for claim in self.claims.values():
            yield f"claim {claim.code}", claim.sources
        yield "role caveat", self.role.caveat.sources
        for name, param in self.role.params:
            yield f"role {name}", param.sources
        for rule in self.role.rule:
            yield f"role rule {rule.code}", rule.sources
        for text in self.role.cause:
            yield f"role cause {text.code}", text.sources
        for finding in self.findings.values():
            yield f"finding {finding.code}", finding.sources

    def _check(self) -> None:
        for where, cited in self._cited():
            ids = tuple(cited)
            if not ids:
                raise DataError(f"knowledge: {where} names no source")
            unknown = [i for i in ids if i not in self.sources]
            if unknown:
                raise DataError(f"knowledge: {where} names unknown source(s) {unknown}")
        for table in self.intake_tables:
            if table.standard not in self.standards:
                raise DataError(f"intake table names unknown standard {table.standard!r}")
        for limits in self.limit_tables:
            for std in limits.standards:
                if std not in self.standards:
                    raise DataError(f"limit table names unknown standard {std!r}")
        for std in self.standards:
            if not any(std in t.standards for t in self.limit_tables):
                raise DataError(f"standard {std!r} has no upper-limit table")
        for form in self.forms.values():
            if form.formula is not None:
                computed = elemental_fraction(form.formula, self.atomic_weights)
                if abs(computed - form.elemental_fraction) > _FRACTION_TOLERANCE:
                    raise DataError(
                        f"form {form.id}: elemental fraction {form.elemental_fraction} "
                        f"differs from {computed:.4f} computed from {form.formula}"
                    )
        if self.rules.plan_form.form not in self.forms:
            raise DataError(f"rules: plan form {self.rules.plan_form.form!r} is not a form")
        causes = set(self.causes.codes())
        named = [
            *(p.points_to for p in self.patterns if p.points_to),
            *(c for t in self.triggers for c in (t.points_to, *t.also)),
            *(c.hair_cause for c in self.conditions if c.hair_cause),
            *(c for s in self.symptoms for c in s.hair_causes),
            *self.hair.screen.diffuse_checks,
        ]
        if not set(named) <= causes:
            raise DataError(f"hair screen names unknown causes {set(named) - causes}")
        tests = set(self.lab_tests.codes())
        if not set(self.hair.screen.always_tests) <= tests:
            raise DataError("hair screen: unknown always_tests")
        for cause in self.causes:
            if not set(cause.tests) <= tests:
                raise DataError(f"cause {cause.code}: unknown tests {set(cause.tests) - tests}")
        for code in self.lab_codes:
            if self.lab_unit(code.test, code.unit) is None:
                raise DataError(
                    f"lab code {code.code}: unit {code.unit!r} is not a {code.test} unit"
                )
        if not set(HAIR_LAB_TESTS) <= tests:
            raise DataError("hair_labs: a test the hair screen does not know")
        if sum(s.default for s in self.standards.values()) != 1:
            raise DataError("exactly one standard must be the default")
        texted = [c.code for c in self.role.cause]
        others = causes - {"magnesium"}
        if set(texted) != others or len(texted) != len(others):
            raise DataError(
                f"role.toml: each hair cause but magnesium needs one text; "
                f"missing {sorted(others - set(texted))}, unknown {sorted(set(texted) - others)}"
            )


def load_knowledge(language: str = "en") -> Knowledge:
    """The knowledge base, loaded and validated once per process and language.

    English (the default) is the source; another language of ``LANGUAGES`` has the
    same numbers, rules, codes and sources with its texts translated.
    """
    if language not in LANGUAGES:
        raise InputError("language", f"{language!r}; accepted: {', '.join(LANGUAGES)}")
    return _load(language)


@functools.cache
def _load(language: str) -> Knowledge:
    from magwise._prepared import digest, prepared, sources

    # validated once and kept (see magwise._prepared): any change of a data file or of
    # this package's code names another file
    name = f"knowledge-{language}-{digest(sources(DATA_DIR, Path(__file__).parent))}.pickle"
    return prepared(name, lambda: Knowledge(language=language), Knowledge, _STORED_MODULES)


#: The modules whose classes make up a stored knowledge base.
_STORED_MODULES = ("magwise.knowledge", "magwise.knowledge._models", "magwise.knowledge.codebook")
