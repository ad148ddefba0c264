"""The first action: what a person should do now, chosen by precedence.

urgent_care > stop_magnesium > lower_supplements > see_doctor > follow_plan >
log_more > nothing_needed. The headline starts with the action's text.
"""

from __future__ import annotations

from typing import NamedTuple

from magwise.result import Action


class Signals(NamedTuple):
    """What the rules found that decides the action."""

    urgent: bool = False
    stop: bool = False  # an excess signal with a magnesium source, or high serum with magnesium
    above_ul: bool = False  # supplements above the upper limit
    refer: bool = False
    plan: bool = False
    judged: bool = True  # status known (serum or intake)
    needs_log: bool = False  # a plan could be made with days of intake


def choose_action(s: Signals) -> Action:
    """The first action whose condition holds, in order of precedence."""
    if s.urgent:
        return "urgent_care"
    if s.stop:
        return "stop_magnesium"
    if s.above_ul:
        return "lower_supplements"
    if s.refer:
        return "see_doctor"
    if s.plan:
        return "follow_plan"
    if not s.judged or s.needs_log:
        return "log_more"
    return "nothing_needed"
