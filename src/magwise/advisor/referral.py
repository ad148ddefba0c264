"""When to see a doctor: conditions, pregnancy, age, symptoms; and medicines."""

from __future__ import annotations

from dataclasses import dataclass, field

from magwise.advisor._context import Context, listing
from magwise.knowledge._models import Condition, MedicationClass, Symptom
from magwise.result import Spacing


@dataclass
class Profile:
    """What the rules read from the profile and symptoms, codes resolved."""

    conditions: list[Condition] = field(default_factory=list)
    medications: list[tuple[str, str, MedicationClass]] = field(default_factory=list)
    symptoms: list[Symptom] = field(default_factory=list)
    #: Symptoms that count as signs of too much magnesium in this case: those with an
    #: "excess" signal when there is a magnesium source, a high serum value or kidney
    #: disease (set by ``refer``).
    excess_counted: list[Symptom] = field(default_factory=list)

    @property
    def contraindications(self) -> list[Condition]:
        return [c for c in self.conditions if c.contraindicated]

    @property
    def excess_symptoms(self) -> list[Symptom]:
        """Symptoms that can be signs of too much magnesium, in context or not."""
        return [s for s in self.symptoms if "excess" in s.signals]

    @property
    def magnesium_medicines(self) -> list[str]:
        """Medicines that contain magnesium (antacids, laxatives): a magnesium source."""
        return [label for _, label, cls in self.medications if cls.effect == "contains_mg"]

    @property
    def raising_medicines(self) -> list[str]:
        return [label for _, label, cls in self.medications if cls.effect == "raises_mg"]

    @property
    def avoiding_medicines(self) -> list[str]:
        """Medicines whose label advises against magnesium at any spacing."""
        return [label for _, label, cls in self.medications if cls.effect == "avoid_with_mg"]


def resolve_profile(ctx: Context) -> Profile:
    kb, case = ctx.kb, ctx.case
    profile = Profile()
    for i, name in enumerate(case.profile.conditions):
        cond = kb.conditions.resolve(name, f"profile.conditions[{i}]")
        if cond not in profile.conditions:
            profile.conditions.append(cond)
    for i, name in enumerate(case.profile.medications):
        med = kb.medications.resolve(name, f"profile.medications[{i}]")
        if all(code != med.code for code, _, _ in profile.medications):
            profile.medications.append((med.code, med.label, kb.medication_class(med.code)))
    for i, name in enumerate(case.symptoms):
        symptom = kb.symptoms.resolve(name, f"symptoms[{i}]")
        if symptom not in profile.symptoms:
            profile.symptoms.append(symptom)
    return profile


def _labels(symptoms: list[Symptom], ctx: Context) -> tuple[str, str]:
    """'Muscle cramps, fatigue and nausea' as a sentence starts, and as inside one."""
    kb = ctx.kb
    inside = [kb.in_sentence(s.label) for s in symptoms]
    return listing([symptoms[0].label, *inside[1:]], kb), listing(inside, kb)


def refer(
    ctx: Context, profile: Profile, *, supplement_in_question: bool, excess_context: bool
) -> None:
    """Findings that send the person to a doctor, and the notes that go with them.

    ``excess_context``: a magnesium source, a high serum value or kidney disease, without
    which no symptom is read as a sign of too much magnesium.
    """
    kb, person = ctx.kb, ctx.case.profile
    for cond in profile.contraindications:
        ctx.add(
            "contraindication",
            condition=cond.label,
            condition_lower=kb.in_sentence(cond.label),
            sources=cond.sources,
        )
    for cond in profile.conditions:
        if cond.risk:
            ctx.add("risk_condition", condition=cond.label, sources=cond.sources)
    if (person.pregnant or person.lactating) and supplement_in_question:
        state = kb.texts["state_pregnant" if person.pregnant else "state_lactating"]
        ctx.add(
            "pregnancy_lactation_doctor",
            state=state,
            target=ctx.reference.target_mg or 0.0,
            sources=ctx.reference.sources,
        )
    adult = kb.rules.adult_age_years
    if person.age_years < adult.value:
        ctx.add("minor_doctor", adult=adult.value, sources=adult.sources)
    counted = profile.excess_symptoms if excess_context else []
    profile.excess_counted = counted
    severe = [s for s in counted if s.severe_excess]
    if severe:
        text, inside = _labels(severe, ctx)
        ctx.add(
            "severe_excess_symptoms",
            symptoms=text,
            symptoms_lower=inside,
            sources=[src for s in severe for src in s.sources],
        )
    mild = [s for s in counted if not s.severe_excess]
    if mild:
        text, _ = _labels(mild, ctx)
        ctx.add("excess_symptoms", symptoms=text, sources=[x for s in mild for x in s.sources])
    if not excess_context:
        _not_excess(ctx, profile)
    urgent = [s for s in profile.symptoms if s.urgent and s not in severe]
    if urgent:
        text, inside = _labels(urgent, ctx)
        ctx.add("urgent_symptom", symptoms=text, symptoms_lower=inside)
    refer_only = [s for s in profile.symptoms if s.refer and not s.urgent and s not in severe]
    if refer_only:
        text, inside = _labels(refer_only, ctx)
        ctx.add("symptom_needs_doctor", symptoms=text, symptoms_lower=inside)
    deficiency = [s for s in profile.symptoms if "deficiency" in s.signals]
    if deficiency:
        ctx.add(
            "deficiency_symptoms",
            symptoms=_labels(deficiency, ctx)[0],
            sources=[x for s in deficiency for x in s.sources],
        )


def _not_excess(ctx: Context, profile: Profile) -> None:
    """Symptoms that could be signs of too much magnesium, in a case without a magnesium
    source, a high serum value or kidney disease: other causes; diarrhoea loses magnesium."""
    others = [s for s in profile.excess_symptoms if s.code != "diarrhea"]
    if others:
        ctx.add("symptoms_not_excess", symptoms=_labels(others, ctx)[0])
    if any(s.code == "diarrhea" for s in profile.excess_symptoms):
        ctx.add("diarrhoea_loses_magnesium")


_EFFECT_FINDING = {
    "lowers_mg": "medication_lowers_mg",
    "raises_mg": "medication_raises_mg",
    "low_mg_risk": "medication_low_mg_risk",
    "lowers_mg_absorption": "medication_lowers_mg_absorption",
    "avoid_with_mg": "interaction_avoid",
    "contains_mg": "medication_contains_mg",
}
_LOW_SERUM = ("serum_low", "serum_deficient", "serum_urgent_low")


def interactions(ctx: Context, profile: Profile) -> list[Spacing]:
    """A finding per interacting medicine; the spacing advice for a plan.

    Each medicine's spacing is its own label's where the knowledge base has one,
    else its class's; a medicine that lowers magnesium explains a low serum value.
    """
    spacing: list[Spacing] = []
    low_serum = any(ctx.has(code) for code in _LOW_SERUM)
    for code, label, cls in profile.medications:
        gap = cls.spacing(code)
        if gap is not None:
            before, after = gap.medicine_before_h, gap.medicine_after_h
            ctx.add(
                "interaction_spacing",
                medicine=label,
                before=before,
                after=after,
                sources=gap.sources,
            )
            spacing.append(
                Spacing(
                    medication=code,
                    label=label,
                    medicine_before_h=before,
                    medicine_after_h=after,
                    advice=ctx.text("spacing_advice", medicine=label, before=before, after=after),
                    sources=list(gap.sources),
                )
            )
            continue
        ctx.add(_EFFECT_FINDING[cls.effect], medicine=label, sources=cls.sources)
        if cls.effect == "lowers_mg" and low_serum:
            ctx.add("medication_explains_low", medicine=label, sources=cls.sources)
    return spacing
