"""Composing and publishing reports."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from signaleren.figures import Period, compute, quarter_of
from signaleren.models import Report, ReportStatus
from steunpunt.mail import mail_task, send_after_commit
from steunpunt.roles import Role


def period_of(report: Report) -> Period:
    return Period(report.period_start, report.period_end)


def signal_texts(report: Report, threshold: int) -> list[dict]:
    texts = []
    for signal in report.signals.prefetch_related("themes"):
        count = signal.case_count
        texts.append(
            {
                "title": signal.title,
                "description": signal.description,
                "themes": [t.name for t in signal.themes.all()],
                "period": f"{signal.period_start:%d-%m-%Y} t/m {signal.period_end:%d-%m-%Y}",
                "cases": None
                if count is None
                else (str(count) if count >= threshold else f"< {threshold}"),
            }
        )
    return texts


def preview(report: Report) -> dict:
    threshold = settings.REPORT_SUPPRESSION_THRESHOLD
    figures = compute(period_of(report), report.samenwerkingsverband, threshold=threshold)
    figures["signals"] = signal_texts(report, threshold)
    return figures


@transaction.atomic
def publish(*, report: Report, by) -> Report:
    """Freeze the report: figures and signal texts are stored as they are now."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        return report
    report.frozen = preview(report)
    report.threshold = report.frozen["threshold"]
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    return report


@task
def prepare_quarter_report() -> int | None:
    """At the start of a quarter: a draft report for the quarter that just ended."""
    last_quarter = quarter_of(quarter_of(timezone.localdate()).start - timedelta(days=1))
    exists = Report.objects.filter(
        period_start=last_quarter.start, period_end=last_quarter.end, samenwerkingsverband=None
    ).first()
    if exists:
        return None
    report = Report.objects.create(
        title=f"Signaleringsrapportage {last_quarter.label()}",
        period_start=last_quarter.start,
        period_end=last_quarter.end,
    )
    send_after_commit(notify_coordinators_of_draft, report.pk)
    return report.pk


@mail_task
def notify_coordinators_of_draft(report_id: int) -> None:
    report = Report.objects.filter(pk=report_id).first()
    coordinators = get_user_model().objects.filter(
        is_active=True, groups__name=Role.COORDINATOR.value
    )
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
