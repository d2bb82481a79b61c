"""Composing and publishing reports."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from signaleren.figures import Block, Published, compute
from signaleren.goals import goal_figures
from signaleren.models import AnnualSummary, Report, ReportStatus
from signaleren.periods import Period, PeriodKind, calendar_period, quarter_of
from signaleren.searches import search_figures
from steunpunt.counts import shown_count
from steunpunt.mail import mail_task, send_after_commit
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role, has_role, users_with_role


class CannotPublish(Exception):
    """The report cannot be published; the message is for the coordinator."""


def period_of(report: Report) -> Period:
    return Period(report.period_start, report.period_end)


def publishing_problem(report: Report, published: Published | None = None) -> str | None:
    """Why this draft cannot be published as it stands, or None (see signaleren/figures.py)."""
    if report.period is None:
        return (
            "Een rapportage gaat over een kalenderperiode: een maand, kwartaal, halfjaar, "
            "schooljaar of kalenderjaar. Kies er een bij Bewerken."
        )
    published = published if published is not None else Published.load()
    return published.conflict(Block.of(report.period, report.samenwerkingsverband))


def larger_periods(report: Report, published: Published, today: date) -> list[Period]:
    """Longer calendar periods to propose when most cells of a draft are hidden: the
    half year, school year or calendar year around its period (or, when that has not
    ended yet, the last one that has), those that could be published beside what is."""
    period = report.period
    if period is None:
        return []
    proposals = []
    for kind in (PeriodKind.HALF_YEAR, PeriodKind.SCHOOL_YEAR, PeriodKind.YEAR):
        larger = calendar_period(kind, period.start)
        if larger.end >= today:
            larger = calendar_period(kind, today).previous()
        if larger.days <= period.days or larger in proposals:
            continue
        if not published.conflict(Block.of(larger, report.samenwerkingsverband)):
            proposals.append(larger)
    return proposals[:2]


def signal_texts(report: Report, threshold: int) -> list[dict[str, Any]]:
    texts = []
    for signal in report.signals.prefetch_related("themes"):
        count = signal.case_count
        texts.append(
            {
                "title": signal.title,
                "description": signal.description,
                "themes": [t.name for t in signal.themes.all()],
                "period": f"{signal.period_start:%d-%m-%Y} t/m {signal.period_end:%d-%m-%Y}",
                "cases": None if count is None else shown_count(count, threshold),
            }
        )
    return texts


def preview(report: Report, published: Published | None = None) -> dict[str, Any]:
    """The figures as they would be published now, beside what is published already."""
    threshold = settings.REPORT_SUPPRESSION_THRESHOLD
    figures = compute(
        period_of(report), report.samenwerkingsverband, threshold=threshold, published=published
    )
    figures["signals"] = signal_texts(report, threshold)
    figures["searches"] = search_figures(period_of(report), threshold)
    figures["goals"] = goal_figures(
        period_of(report), report.samenwerkingsverband_id, figures, published
    )
    return figures


@transaction.atomic
def publish(*, report: Report, by: User) -> Report:
    """Freeze the report: figures and signal texts are stored as they are now, with
    who published it. Only a coordinator publishes; it may be the one who composed it.
    Raises CannotPublish when the period does not fit beside what is published."""
    if not has_role(by, Role.COORDINATOR):
        raise PermissionDenied
    # Every report locked: two reports published at once are checked one after the other.
    list(Report.objects.select_for_update().values_list("pk", flat=True))
    report = Report.objects.get(pk=report.pk)
    if report.is_published:
        return report
    published = Published.load()
    problem = publishing_problem(report, published)
    if problem:
        raise CannotPublish(problem)
    report.frozen = preview(report, published)
    report.frozen.pop("mostly_hidden", None)  # the coordinator's hint, not for the board
    report.threshold = report.frozen["threshold"]
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = by
    report.save(update_fields=["frozen", "threshold", "status", "published_at", "published_by"])
    AuditEntry.record(actor=by, action=AuditAction.REPORT_PUBLISHED, obj=report)
    return report


class CannotPublishSummary(Exception):
    """No public annual summary from this report; the message is for the coordinator."""


@transaction.atomic
def publish_summary(*, report: Report, by: User) -> AnnualSummary:
    """Make the figures of a published calendar-year report public as the annual
    summary of that year (/jaarverslag/<year>/). Only a coordinator; one per year."""
    if not has_role(by, Role.COORDINATOR):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not AnnualSummary.can_come_from(report):
        raise CannotPublishSummary(
            "Een publiek jaaroverzicht komt uit een gepubliceerde rapportage over een kalenderjaar."
        )
    year = report.period_start.year
    existing = AnnualSummary.objects.select_for_update().filter(year=year).first()
    if existing is not None:
        if existing.report_id == report.pk:
            return existing
        raise CannotPublishSummary(
            f"Over {year} staat al een publiek jaaroverzicht online. Haal dat eerst offline."
        )
    summary = AnnualSummary.objects.create(
        report=report, year=year, published_at=timezone.now(), published_by=by
    )
    AuditEntry.record(actor=by, action=AuditAction.SUMMARY_PUBLISHED, obj=summary)
    return summary


@transaction.atomic
def withdraw_summary(*, report: Report, by: User) -> None:
    """Take the public annual summary of this report offline (the report stays)."""
    if not has_role(by, Role.COORDINATOR):
        raise PermissionDenied
    summary = AnnualSummary.objects.select_for_update().filter(report=report).first()
    if summary is None:
        return
    AuditEntry.record(actor=by, action=AuditAction.SUMMARY_WITHDRAWN, obj=summary)
    summary.delete()


class CannotDelete(Exception):
    """The report cannot be deleted; the message is for the coordinator."""


@transaction.atomic
def delete_draft(*, report: Report, by: User) -> None:
    """Delete a draft report. A published report is what the board has read: it is
    never deleted. Only a coordinator deletes; the audit log keeps who did."""
    if not has_role(by, Role.COORDINATOR):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise CannotDelete("Een gepubliceerde rapportage kan niet verwijderd worden.")
    AuditEntry.record(actor=by, action=AuditAction.REPORT_DELETED, obj=report)
    report.delete()


@task
def prepare_quarter_report() -> int | None:
    """At the start of a quarter: a draft report for the quarter that just ended."""
    last_quarter = quarter_of(timezone.localdate()).previous()
    exists = Report.objects.filter(
        period_start=last_quarter.start, period_end=last_quarter.end, samenwerkingsverband=None
    ).first()
    if exists:
        return None
    report = Report(
        title=f"Signaleringsrapportage {last_quarter.name()}",
        period_start=last_quarter.start,
        period_end=last_quarter.end,
    )
    if publishing_problem(report):
        return None  # e.g. these reports go per school year: a quarter could not be published
    report.save()
    send_after_commit(notify_coordinators_of_draft, report.pk)
    return report.pk


@mail_task
def notify_coordinators_of_draft(report_id: int) -> None:
    report = Report.objects.filter(pk=report_id).first()
    coordinators = users_with_role(Role.COORDINATOR)
    recipients = sorted({u.email for u in coordinators if u.email})
    if report is None or not recipients:
        return
    url = settings.SITE_URL.rstrip("/") + reverse("signaleren:report", args=[report.pk])
    send_mail(
        subject="Concept-rapportage klaar: " + report.title,
        message=(
            "Er staat een concept-rapportage klaar voor het afgelopen kwartaal.\n"
            f"Voeg signalen en een voorwoord toe en publiceer hem: {url}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
