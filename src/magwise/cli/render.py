"""The readable terminal report of a result (Rich)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from magwise.knowledge import load_knowledge
from magwise.result import Finding, Result

_MARK = {"urgent": "URGENT", "warning": "warning", "info": "info"}
_STYLE = {"urgent": "bold red", "warning": "yellow", "info": "dim"}


def _mg(value: float | None) -> str:
    return "—" if value is None else f"{value:g} mg"


def _finding_row(finding: Finding) -> tuple[Text, Text, Text]:
    mark = Text(_MARK[finding.severity], style=_STYLE[finding.severity])
    return mark, Text(finding.message), Text(", ".join(finding.sources), style="cyan")


def _render_role(result: Result, texts: dict[str, str], console: Console) -> None:
    """The answer to the question, after the headline's action."""
    role = result.magnesium_role
    lines = [Text.assemble((f"{role.label}. ", "bold"), role.text)]
    if role.other_cause is not None:
        cause = role.other_cause
        lines.append(
            Text.assemble((f"{texts['other_cause']}: ", "bold"), f"{cause.label}. {cause.text}")
        )
    lines.append(Text(", ".join(role.sources), style="cyan"))
    console.print(Panel(Group(*lines), title=texts["question"], border_style="blue"))


def render_result(result: Result, console: Console | None = None) -> None:
    """Print the result as sections: headline, intake, blood, hair, plan, findings, claims."""
    console = console or Console()
    kb = load_knowledge()
    first = kb.texts[f"action_{result.action}"]  # the first thing to do
    if result.urgent:
        title, style = "URGENT — seek medical help today", "bold red"
    elif result.action in ("stop_magnesium", "lower_supplements", "see_doctor"):
        title, style = first, "bold yellow"
    elif result.refer_to_doctor:
        title, style = "See a doctor", "bold yellow"
    else:
        title, style = "magwise assessment", "bold green"
    status = Text.assemble(
        ("Status: ", "bold"),
        (f"{result.status}", "bold"),
        f" (judged from {result.status_basis})" if result.status_basis != "none" else "",
        ("   See a doctor: ", "bold"),
        "yes" if result.refer_to_doctor else "no",
        ("   Urgent: ", "bold"),
        "YES" if result.urgent else "no",
    )
    console.print(Panel(Group(Text(result.headline), status), title=title, border_style=style))
    _render_role(result, kb.role.texts, console)

    ref = result.reference
    table = Table(title="Intake per day (mean)", title_justify="left", show_edge=False)
    for column in ("", "food", "water", "supplements", "total"):
        table.add_column(column, justify="right" if column else "left")
    if result.intake is not None:
        intake = result.intake
        for day in intake.per_day:
            table.add_row(
                str(day.date),
                _mg(day.food_mg),
                _mg(day.water_mg),
                _mg(day.supplement_mg),
                _mg(day.total_mg),
            )
        table.add_row(
            Text(f"mean of {intake.days} day(s)", style="bold"),
            _mg(intake.food_mg),
            _mg(intake.water_mg),
            _mg(intake.supplement_mg),
            Text(_mg(intake.total_mg), style="bold"),
        )
        console.print(table)
    console.print(
        f"Reference ({ref.standard_name}, {ref.target_name}): {_mg(ref.target_mg)} a day "
        f"from all sources. Upper limit for supplemental magnesium: {_mg(ref.supplement_ul_mg)} "
        "a day (food and natural water do not count toward it). "
        f"[cyan]{', '.join(ref.sources)}[/cyan]",
        highlight=False,
    )
    if result.serum is not None:
        s = result.serum
        converted = "" if s.unit == "mmol/L" else f" = {s.mmol_per_l:.2f} mmol/L"
        console.print(
            f"Serum magnesium: {s.comparator + ' ' if s.comparator else ''}{s.value:g} "
            f"{s.unit}{converted}" + (f" on {s.date}" if s.date else ""),
            highlight=False,
        )

    plan = result.dose_plan
    if plan is not None:
        lines = [
            Text(
                f"{plan.supplement_mg_per_day:g} mg of magnesium a day as {plan.form_name}, "
                f"replacing what you take now:",
                style="bold",
            )
        ]
        for dose in plan.doses:
            lines.append(
                Text(f"  {dose.time}: {dose.compound_mg:g} mg compound = {dose.elemental_mg:g} mg")
            )
        for spacing in plan.spacing:
            lines.append(Text(f"  {spacing.advice}"))
        weeks = " and ".join(str(w) for w in plan.review_after_weeks)
        lines.append(Text(f"Review after {weeks} weeks. Stop if:"))
        lines.extend(Text(f"  - {reason}") for reason in plan.stop_if)
        if plan.food_alternatives:
            lines.append(Text("Or close the gap with food, e.g.:"))
            for food in plan.food_alternatives:
                extra = f", {food.portions_for_gap:g} a day" if food.portions_for_gap else ""
                lines.append(Text(f"  {food.description}: {food.portion} = {food.mg:g} mg{extra}"))
        console.print(Panel(Group(*lines), title="Dose plan (discuss with your doctor)"))

    if result.hair is not None:
        hair = result.hair
        table = Table(title="Hair loss: possible contributors", title_justify="left")
        table.add_column("contributor")
        table.add_column("why")
        for c in hair.contributors:
            table.add_row(c.label, "\n".join(f"- {reason}" for reason in c.reasons))
        console.print(table)
        console.print("Checks with evidence: " + ", ".join(hair.tests), highlight=False)
        console.print(Text(hair.magnesium_evidence, style="italic"))

    table = Table(title="Findings", title_justify="left", show_lines=False)
    table.add_column("", no_wrap=True)
    table.add_column("finding")
    table.add_column("sources")
    for finding in result.findings:
        table.add_row(*_finding_row(finding))
    console.print(table)

    for claim in result.claims:
        console.print(
            Text.assemble(
                ("Claim: ", "bold"),
                claim.claim,
                "\n",
                ("Evidence: ", "bold"),
                claim.answer,
                (f" [{', '.join(claim.sources)}]", "cyan"),
            )
        )
    for item in result.not_judged:
        console.print(f"Not judged — {item}", style="dim", highlight=False)
    console.print(Text(result.disclaimer, style="bold"))
