"""Goals beside the figures: what was aimed at, what was measured, the period before.

Every measure is read from a report's figures after suppression (or from a
published report's frozen figures, for the period before), so a goal never
shows a number the report itself hides: where a figure is hidden the goal
reads "niet te meten". A published report keeps its goals as they were at
publication, like its figures (signaleren/actions.py `preview`).
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from signaleren.figures import Block, Published
from signaleren.models import LOWER_IS_BETTER, Goal, Measure
from signaleren.periods import Period
from signaleren.reach import decimal


def _table(figures: dict[str, Any], key: str) -> dict[str, Any]:
    return next((t for t in figures.get("tables", []) if t["key"] == key), {})


def _score(text: str | None) -> float | None:
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def measured(figures: dict[str, Any] | None, measure: str, gemeente: str = "") -> float | None:
    """The value of a measure in a report's (suppressed) figures; None when hidden."""
    if not figures:
        return None
    response = figures.get("response") or {}
    match measure:
        case Measure.QUESTIONS:
            return (_table(figures, "asker_type").get("total") or {}).get("value")
        case Measure.WITHIN_PROMISE:
            return response.get("within_promise_pct")
        case Measure.FIRST_ANSWER_HOURS:
            return response.get("median_hours_first_answer")
        case Measure.EVALUATION:
            evaluation = figures.get("evaluation") or {}
            keys = ("listened", "helped", "recommend")
            scores = [score for k in keys if (score := _score(evaluation.get(k))) is not None]
            if len(scores) < len(keys):
                return None
            return round(sum(scores) / len(scores), 1)
        case Measure.REACH:
            reach = figures.get("reach") or {}
            if not gemeente:
                return reach.get("per_1000")
            row: dict[str, Any] = next(
                (r for r in reach.get("rows", []) if r["gemeente"] == gemeente), {}
            )
            return row.get("per_1000")
        case Measure.YOUTH_SHARE:
            table = _table(figures, "asker_type")
            total = (table.get("total") or {}).get("value")
            youths: dict[str, Any] = next(
                (r for r in table.get("rows", []) if r["key"] == "jongere"), {}
            )
            if not total or youths.get("value") is None:
                return None
            share: int = round(100 * youths["value"] / total)
            return share
    return None


UNITS: dict[str, str] = {
    Measure.WITHIN_PROMISE: "%",
    Measure.YOUTH_SHARE: "%",
    Measure.FIRST_ANSWER_HOURS: " uur",
    Measure.REACH: " per 1.000 leerlingen",
}


def shown(value: float | Decimal | None, measure: str) -> str:
    """A value as the report writes it: '85%', '8,3 per 1.000 leerlingen', '4,2'."""
    if value is None:
        return "–"
    number = decimal(float(value))
    if number.endswith(",0") and measure != Measure.EVALUATION:
        number = number[:-2]
    return number + UNITS.get(measure, "")


def verdict(value: float | None, target: Decimal, measure: str) -> tuple[bool | None, str]:
    """Whether the goal was met, and the words for it (never colour alone)."""
    if value is None:
        return None, _("Niet te meten: het cijfer is verborgen of ontbreekt")
    lower = measure in LOWER_IS_BETTER
    met = value <= float(target) if lower else value >= float(target)
    return met, _("Gehaald") if met else _("Niet gehaald")


def goal_label(goal: Goal) -> str:
    label = goal.get_measure_display()
    if goal.measure == Measure.REACH:
        return f"{label}: {goal.gemeente or _('alle gemeenten samen')}"
    return str(label)


def goal_figures(
    period: Period, swv_id: int | None, figures: dict[str, Any], published: Published | None = None
) -> list[dict[str, Any]]:
    """The goals set for this period and SWV, each beside what the figures show and
    what the report published for the period before showed, JSON-ready."""
    goals = list(Goal.objects.for_block(period, swv_id))
    if not goals:
        return []
    published = published if published is not None else Published.load()
    previous = published.figures_of(Block(swv_id, period.previous()))
    rows = []
    for goal in goals:
        value = measured(figures, goal.measure, goal.gemeente)
        before = measured(previous, goal.measure, goal.gemeente) if previous else None
        met, words = verdict(value, goal.target, goal.measure)
        rows.append(
            {
                "measure": goal.measure,
                "label": goal_label(goal),
                "gemeente": goal.gemeente,
                "target": shown(goal.target, goal.measure),
                "direction": _("of lager") if goal.lower_is_better else _("of hoger"),
                "explanation": goal.explanation,
                "measured": shown(value, goal.measure),
                "previous": shown(before, goal.measure) if previous else None,
                "met": met,
                "verdict": words,
            }
        )
    return rows
