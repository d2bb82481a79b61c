"""Back-office workflows: ask advice, answer it, escalate to the coordinator, handle that.

Each action locks the case, saves and writes its CaseEvent (the timeline,
whose details carry no text of the thread or the reason). The consulted
colleague and the coordinators get a mail after the commit that names the
case and the promise, never the question. Nothing of this reaches the
asker: no Message, no mail to them.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import dateformat, timezone

from steunen import notifications
from steunen.actions import _event, _locked
from steunen.backoffice import Consultation, ConsultationReply, Escalation
from steunen.models import Case, CaseWorkflowError, EventKind, Feestdag
from steunen.workdays import add_working_days
from steunpunt.mail import mail_task, send_after_commit
from steunpunt.roles import Role, users_with_role


def advice_due(start: datetime) -> datetime:
    """When advice asked at ``start`` is promised: CONSULTATION_WORKING_DAYS working days."""
    local = timezone.localtime(start)
    holidays = Feestdag.objects.filter(
        date__gte=local.date(), date__lte=local.date() + timedelta(days=60)
    ).values_list("date", flat=True)
    return add_working_days(local, settings.CONSULTATION_WORKING_DAYS, holidays)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def ask_advice(
    *, case: Case, by: User, question: str, consultee: User | None = None, expert_name: str = ""
) -> Consultation:
    """Ask a colleague (``consultee``) or a named expert outside the portal for advice."""
    if (consultee is None) == (not expert_name):
        raise CaseWorkflowError("Kies een collega of vul de naam van een deskundige in.")
    if consultee is not None and consultee.pk == by.pk:
        raise CaseWorkflowError("U kunt uzelf geen advies vragen.")
    locked = _locked(case)
    now = timezone.now()
    consultation = Consultation.objects.create(
        case=locked,
        asked_by=by,
        consultee=consultee,
        expert_name=expert_name,
        question=question,
        due_at=advice_due(now),
        created_at=now,
    )
    who = _name(consultee) if consultee else expert_name
    _event(locked, EventKind.ADVICE_ASKED, actor=by, detail=f"aan {who}")
    if consultee is not None and consultee.email:
        due = dateformat.format(timezone.localtime(consultation.due_at), "l j F")
        send_after_commit(notify_consultee, locked.pk, locked.reference, due, consultee.email)
    return consultation


@transaction.atomic
def reply_to_advice(*, consultation: Consultation, by: User, body: str) -> ConsultationReply:
    """Add to the thread. The consulted colleague's first reply (or, for an expert
    outside the portal, the first reply anyone writes down) answers the question."""
    locked = _locked(consultation.case)
    row = Consultation.objects.select_for_update().get(pk=consultation.pk, case=locked)
    reply = ConsultationReply.objects.create(consultation=row, author=by, body=body)
    answers = row.consultee_id == by.pk if row.consultee_id else True
    if row.answered_at is None and answers:
        row.answered_at = reply.created_at
        row.save(update_fields=["answered_at"])
        consultation.answered_at = row.answered_at
        _event(
            locked, EventKind.ADVICE_GIVEN, actor=by, detail=f"door {row.consulted or _name(by)}"
        )
        asker = row.asked_by
        if asker is not None and asker.pk != by.pk and asker.email:
            send_after_commit(notify_advice_given, locked.pk, locked.reference, asker.email)
    return reply


@transaction.atomic
def escalate(*, case: Case, by: User, reason: str) -> Escalation:
    """Flag the case for the coordinator, with the reason; the coordinators are mailed."""
    locked = _locked(case)
    if Escalation.objects.filter(case=locked, resolved_at__isnull=True).exists():
        raise CaseWorkflowError("Deze vraag ligt al bij de coördinator.")
    escalation = Escalation.objects.create(case=locked, by=by, reason=reason)
    _event(locked, EventKind.ESCALATED, actor=by, detail="naar de coördinator")
    send_after_commit(notify_coordinators, locked.pk, locked.reference)
    return escalation


@transaction.atomic
def resolve_escalation(*, case: Case, by: User, resolution: str = "") -> Escalation:
    """A coordinator handled the escalation (optionally saying how, for colleagues)."""
    locked = _locked(case, check=False)
    escalation = (
        Escalation.objects.select_for_update().filter(case=locked, resolved_at__isnull=True).first()
    )
    if escalation is None:
        raise CaseWorkflowError("Er is geen open escalatie bij deze vraag.")
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = by
    escalation.resolution = resolution
    escalation.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    _event(locked, EventKind.ESCALATION_RESOLVED, actor=by)
    return escalation


# --- Mail -------------------------------------------------------------------------------


def coordinator_addresses() -> list[str]:
    users = users_with_role(Role.COORDINATOR)
    return sorted({u.email for u in users if u.email})


@mail_task
def notify_consultee(case_id: int, reference: str, due: str, email: str) -> None:
    notifications._mail_staff(
        [email],
        f"Adviesvraag over vraag {reference} (graag voor {due})",
        "steunen/email/staff_consultation.txt",
        case_id,
        reference,
    )


@mail_task
def notify_advice_given(case_id: int, reference: str, email: str) -> None:
    notifications._mail_staff(
        [email],
        f"Advies gegeven bij vraag {reference}",
        "steunen/email/staff_advice_given.txt",
        case_id,
        reference,
    )


@mail_task
def notify_coordinators(case_id: int, reference: str) -> None:
    notifications._mail_staff(
        coordinator_addresses(),
        f"Vraag {reference} is naar de coördinator gestuurd",
        "steunen/email/staff_escalated.txt",
        case_id,
        reference,
    )
