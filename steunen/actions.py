"""Workflows on cases. Each one records itself on the case's timeline.

Mail goes out after the transaction commits, through background tasks.
"""

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from informeren.models import Organisatie, Samenwerkingsverband, School, Thema
from steunen import notifications
from steunen.attachments import delete_all
from steunen.models import (
    Activity,
    Case,
    CaseEvent,
    Channel,
    ContactPreference,
    EventKind,
    InternalNote,
    Message,
    Outcome,
    Referral,
    Sender,
    Status,
    TimeEntry,
    hash_code,
    new_return_code,
    response_due,
)
from steunpunt.mail import send_after_commit


def _event(case: Case, kind: str, *, actor=None, detail: str = "") -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, detail=detail[:200])


@transaction.atomic
def submit_question(
    *,
    asker_type: str,
    question: str,
    themes: Iterable[Thema] = (),
    school_type: str = "",
    school: School | None = None,
    samenwerkingsverband: Samenwerkingsverband | None = None,
    thuiszitter: bool = False,
    name: str = "",
    contact_preference: str = ContactPreference.NONE,
    email: str = "",
    phone: str = "",
    phone_times: str = "",
    channel: str = Channel.WEB,
    submission_token: str | None = None,
    entered_by=None,
) -> tuple[Case, str]:
    """Create a case from a question and return it with its return code.

    The code exists only in the return value: the case keeps its hash.
    Staff who enter a phone or walk-in question count as having answered.
    """
    code = new_return_code()
    now = timezone.now()
    if school and not samenwerkingsverband:
        samenwerkingsverband = school.samenwerkingsverband
    by_staff = entered_by is not None
    due = response_due(now)
    case = Case.objects.create(
        code_hash=hash_code(code),
        submission_token=submission_token,
        channel=channel,
        asker_type=asker_type,
        school_type=school_type or (school.school_type if school else ""),
        school=school,
        samenwerkingsverband=samenwerkingsverband,
        thuiszitter=thuiszitter,
        urgent=thuiszitter,
        name=name,
        contact_preference=contact_preference,
        email=email,
        phone=phone,
        phone_times=phone_times,
        status=Status.IN_BEHANDELING if by_staff else Status.NIEUW,
        assignee=entered_by,
        created_at=now,
        response_due_at=due,
        first_response_at=now if by_staff else None,
        attention_at=None if by_staff else due,
    )
    if themes := list(themes):
        case.themes.set(themes)
    Message.objects.create(case=case, sender=Sender.ASKER, body=question, created_at=now)
    _event(
        case,
        EventKind.CREATED,
        actor=entered_by,
        detail=f"via {case.get_channel_display().lower()}",
    )
    if not by_staff:
        send_after_commit(notifications.notify_staff_of_new_case, case.pk, case.reference)
    return case, code


def find_case_by_code(code: str) -> Case | None:
    """The case a return code opens, following merges to the case that lives on."""
    case = Case.objects.filter(code_hash=hash_code(code)).first()
    while case is not None and case.merged_into_id:
        case = case.merged_into
    return case


@transaction.atomic
def reply_as_asker(*, case: Case, body: str) -> Message:
    now = timezone.now()
    message = Message.objects.create(case=case, sender=Sender.ASKER, body=body, created_at=now)
    case.unanswered_reply = True
    case.attention_at = case.attention_at or response_due(now)
    if case.status in (Status.WACHT_OP_VRAGER, Status.AFGEROND):
        if case.status == Status.AFGEROND:
            _event(case, EventKind.REOPENED, detail="door reactie van de vrager")
            case.closed_at = None
            case.outcome = ""
        case.status = Status.IN_BEHANDELING
    case.save()
    _event(case, EventKind.ASKER_REPLIED)
    assignee_email = case.assignee.email if case.assignee else ""
    send_after_commit(notifications.notify_staff_of_reply, case.pk, case.reference, assignee_email)
    return message


@transaction.atomic
def send_answer(*, case: Case, by, body: str) -> Message:
    """Send a message to the asker; the ball is then with the asker."""
    now = timezone.now()
    message = Message.objects.create(
        case=case, sender=Sender.STAFF, author=by, body=body, created_at=now
    )
    case.first_response_at = case.first_response_at or now
    case.unanswered_reply = False
    case.attention_at = None
    old_status = case.status
    if case.is_open:
        case.status = Status.WACHT_OP_VRAGER
    case.save()
    _event(case, EventKind.MESSAGE_SENT, actor=by)
    if old_status != case.status:
        _event(
            case,
            EventKind.STATUS_CHANGED,
            actor=by,
            detail=f"{Status(old_status).label} → {case.get_status_display()}",
        )
    if case.email:
        send_after_commit(notifications.notify_asker_of_answer, case.pk)
    return message


@transaction.atomic
def add_note(*, case: Case, by, body: str) -> InternalNote:
    note = InternalNote.objects.create(case=case, author=by, body=body)
    _event(case, EventKind.NOTE_ADDED, actor=by)
    return note


@transaction.atomic
def change_status(*, case: Case, by, status: str) -> None:
    if status == case.status or status == Status.AFGEROND:
        return
    old = case.get_status_display()
    case.status = status
    if status == Status.WACHT_OP_VRAGER:
        case.attention_at = None
    elif case.attention_at is None and case.unanswered_reply:
        case.attention_at = response_due(timezone.now())
    case.save()
    _event(case, EventKind.STATUS_CHANGED, actor=by, detail=f"{old} → {case.get_status_display()}")


@transaction.atomic
def assign(*, case: Case, by, assignee) -> None:
    if assignee == case.assignee:
        return
    case.assignee = assignee
    if case.status == Status.NIEUW and assignee is not None:
        case.status = Status.IN_BEHANDELING
    case.save()
    name = assignee.get_full_name() or assignee.get_username() if assignee else "niemand"
    _event(case, EventKind.ASSIGNED, actor=by, detail=f"naar {name}")


@transaction.atomic
def set_themes(*, case: Case, by, themes: Iterable[Thema]) -> None:
    themes = list(themes)
    if {t.pk for t in themes} == set(case.themes.values_list("pk", flat=True)):
        return
    case.themes.set(themes)
    _event(case, EventKind.THEMES_CHANGED, actor=by, detail=", ".join(t.name for t in themes))


@transaction.atomic
def set_urgent(*, case: Case, by, urgent: bool) -> None:
    if urgent == case.urgent:
        return
    case.urgent = urgent
    case.save(update_fields=["urgent"])
    _event(case, EventKind.URGENCY_CHANGED, actor=by, detail="spoed" if urgent else "geen spoed")


@transaction.atomic
def log_time(*, case: Case, by, minutes: int, activity: str, on: date) -> TimeEntry:
    entry = TimeEntry.objects.create(
        case=case, author=by, minutes=minutes, activity=activity, date=on
    )
    _event(
        case,
        EventKind.TIME_LOGGED,
        actor=by,
        detail=f"{minutes} min {Activity(activity).label.lower()}",
    )
    return entry


@transaction.atomic
def refer(*, case: Case, by, organisatie: Organisatie) -> Referral:
    referral = Referral.objects.create(case=case, organisatie=organisatie, author=by)
    _event(case, EventKind.REFERRED, actor=by, detail=organisatie.name)
    return referral


@transaction.atomic
def close(*, case: Case, by, outcome: str) -> None:
    case.status = Status.AFGEROND
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.attention_at = None
    case.unanswered_reply = False
    case.save()
    _event(case, EventKind.CLOSED, actor=by, detail=Outcome(outcome).label)
    if case.email:
        send_after_commit(notifications.invite_evaluation, case.pk)


@transaction.atomic
def reopen(*, case: Case, by) -> None:
    case.status = Status.IN_BEHANDELING
    case.outcome = ""
    case.closed_at = None
    case.save()
    _event(case, EventKind.REOPENED, actor=by)


@transaction.atomic
def merge(*, source: Case, target: Case, by) -> None:
    """Fold ``source`` into ``target``: conversation, notes, time and timeline move.

    The source's return code keeps working and opens the target.
    """
    if source.pk == target.pk:
        raise ValueError("A case cannot be merged with itself")
    for model in (Message, InternalNote, TimeEntry, Referral, CaseEvent):
        model.objects.filter(case=source).update(case=target)
    target.themes.add(*source.themes.all())
    target.urgent = target.urgent or source.urgent
    target.thuiszitter = target.thuiszitter or source.thuiszitter
    target.unanswered_reply = target.unanswered_reply or source.unanswered_reply
    if target.created_at > source.created_at:
        target.created_at = source.created_at
    for field in ("name", "email", "phone", "phone_times", "school", "samenwerkingsverband"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    target.save()
    source.merged_into = target
    source.status = Status.AFGEROND
    source.outcome = Outcome.ANDERS
    source.closed_at = timezone.now()
    source.attention_at = None
    source.save()
    _event(target, EventKind.MERGED, actor=by, detail=f"{source.reference} toegevoegd")
    _event(source, EventKind.MERGED, actor=by, detail=f"opgegaan in {target.reference}")


@transaction.atomic
def erase_personal_data(*, case: Case, by=None, reason: str) -> None:
    """Remove everything that could identify the asker; keep what the statistics need.

    Kept: themes, types, school type, SWV, dates, minutes, outcome, referrals
    and the timeline (which never holds content). Removed: every message and
    note, name, contact details, the school, and the return code (it stops
    working).
    """
    Message.objects.filter(case=case).delete()
    InternalNote.objects.filter(case=case).delete()
    delete_all(case)
    _coarsen_dates(case)
    case.name = case.email = case.phone = case.phone_times = ""
    case.contact_preference = ContactPreference.NONE
    case.school = None
    case.code_hash = f"erased-{case.pk}-{secrets.token_hex(16)}"
    case.submission_token = None
    case.erased_at = timezone.now()
    if case.is_open:
        case.status = Status.AFGEROND
        case.outcome = case.outcome or Outcome.ANDERS
        case.closed_at = case.closed_at or timezone.now()
    case.attention_at = None
    case.unanswered_reply = False
    case.save()
    _event(case, EventKind.ERASED, actor=by, detail=reason)


def _coarsen_dates(case: Case) -> None:
    """Keep dates only by week (Monday noon), with the same durations, so an
    erased case cannot be matched to a call or a visit on a known day."""
    created = timezone.localtime(case.created_at)
    week = created.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(
        days=created.weekday()
    )
    shift = created - week
    for field in ("created_at", "response_due_at", "first_response_at", "closed_at"):
        value = getattr(case, field)
        if value is not None:
            setattr(case, field, value - shift)
    for entry in case.time_entries.all():
        entry.date = entry.date - timedelta(days=entry.date.weekday())
        entry.save(update_fields=["date"])
    CaseEvent.objects.filter(case=case).update(created_at=week)


def conversation_text(case: Case) -> str:
    """The conversation as a plain text file the asker can keep."""
    lines = [
        f"Uw vraag aan {settings.STEUNPUNT_NAME}",
        f"Vraag {case.reference}, gesteld op {timezone.localtime(case.created_at):%d-%m-%Y %H:%M}",
        "",
    ]
    for message in case.messages.all():
        who = "U" if message.sender == Sender.ASKER else "Steunpunt"
        lines += [
            f"--- {who}, {timezone.localtime(message.created_at):%d-%m-%Y %H:%M} ---",
            message.body,
            "",
        ]
    return "\n".join(lines)


def apply_retention(*, dry_run: bool = False) -> int:
    """Erase the personal data of cases closed longer ago than the retention period."""
    cutoff = timezone.now() - timedelta(days=settings.CASE_RETENTION_DAYS)
    due = Case.objects.filter(status=Status.AFGEROND, closed_at__lt=cutoff, erased_at__isnull=True)
    if dry_run:
        return due.count()
    count = 0
    for case in due.iterator():
        erase_personal_data(case=case, reason="bewaartermijn verlopen")
        count += 1
    return count


def record_export(*, case: Case, by=None) -> None:
    _event(case, EventKind.EXPORTED, actor=by)
