"""Goals, a published year report and its public annual summary for the demo region.

Idempotent: goals are matched on period, scope and measure; a report is made
only where none exists for its period, and published only where the rule
of nested periods allows it (signaleren/figures.py), so it fits beside the
reports other parts of the demo may publish.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from signaleren import actions
from signaleren.models import AnnualSummary, Goal, Measure, Report
from signaleren.periods import Period, PeriodKind, calendar_period

# Demo goals: (measure, gemeente, target, explanation). Written for the demo.
DEMO_GOALS = [
    (
        Measure.WITHIN_PROMISE,
        "",
        Decimal(90),
        "Ouders en jongeren horen snel van ons. Wie een vraag stelt, krijgt binnen twee "
        "werkdagen een eerste antwoord.",
    ),
    (
        Measure.EVALUATION,
        "",
        Decimal("4.0"),
        "Wie ons om hulp vroeg, moet zich gehoord en geholpen voelen.",
    ),
    (
        Measure.YOUTH_SHARE,
        "",
        Decimal(20),
        "Jongeren weten het steunpunt zelf te vinden, niet alleen via hun ouders. We gaan "
        "daarom langs bij de mbo- en vo-scholen.",
    ),
    (
        Measure.REACH,
        "",
        Decimal(40),
        "Het steunpunt is bekend in de hele regio.",
    ),
    (
        Measure.REACH,
        "Ravensloot",
        Decimal(40),
        "In de kleinste gemeente willen we even bekend zijn als in de rest van de regio.",
    ),
    (
        Measure.FIRST_ANSWER_HOURS,
        "",
        Decimal(24),
        "Een eerste antwoord binnen een dag, voor de helft van de vragen of meer.",
    ),
]


def _goals_for(period: Period, by: User) -> None:
    for measure, gemeente, target, explanation in DEMO_GOALS:
        if measure == Measure.REACH and period.kind != PeriodKind.YEAR:
            target = target / 4  # a quarter: a quarter of the questions of a year
        Goal.objects.update_or_create(
            period_start=period.start,
            period_end=period.end,
            samenwerkingsverband=None,
            measure=measure,
            gemeente=gemeente,
            defaults={"target": target, "explanation": explanation, "created_by": by},
        )


def _published_report(period: Period, title: str, foreword: str, by: User) -> Report | None:
    report = Report.objects.filter(
        period_start=period.start, period_end=period.end, samenwerkingsverband=None
    ).first()
    if report is None:
        report = Report.objects.create(
            title=title,
            period_start=period.start,
            period_end=period.end,
            foreword=foreword,
            composed_by=by,
        )
    if not report.is_published and actions.publishing_problem(report) is None:
        report = actions.publish(report=report, by=by)
    return report if report.is_published else None


def load_goals_and_summary(*, coordinator: User) -> None:
    """Goals for last year and this year, the two quarters before this one (published,
    so a goal has a figure from the period before), last year's report and its
    public summary."""
    today = timezone.localdate()
    last_year = calendar_period(PeriodKind.YEAR, date(today.year - 1, 6, 1))
    last_quarter = calendar_period(PeriodKind.QUARTER, today).previous()
    for period in (last_year, calendar_period(PeriodKind.YEAR, today)):
        _goals_for(period, coordinator)
    for quarter in (last_quarter.previous(), last_quarter):
        _goals_for(quarter, coordinator)
        _published_report(
            quarter,
            f"Signaleringsrapportage {quarter.name()}",
            "Een voorbeeldrapportage met verzonnen vragen.",
            coordinator,
        )
    year_report = _published_report(
        last_year,
        f"Jaarrapportage {last_year.start.year}",
        "Een voorbeeld van een jaarrapportage, met verzonnen vragen.",
        coordinator,
    )
    if year_report and not AnnualSummary.objects.filter(year=last_year.start.year).exists():
        actions.publish_summary(report=year_report, by=coordinator)


def load_demo(data: dict[str, Any]) -> list[str]:
    """This pillar's demo, after the other two (its figures count their records)."""
    load_goals_and_summary(coordinator=User.objects.get(username="coordinator"))
    return [f"{Goal.objects.count()} goals, {Report.objects.count()} reports."]
