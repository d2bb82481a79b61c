"""Workflows on cases. Each one records itself on the case's timeline.

Mail goes out after the transaction commits, through background tasks.
"""

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from informeren.models import Organisatie, Samenwerkingsverband, School, SwvGemeente, Thema
from steunen import buddy_actions, mailthread, notifications
from steunen.afspraken import Booking, BookingStatus, Slot
from steunen.attachments import delete_all, store
from steunen.backoffice import Consultation, Escalation
from steunen.buddies import BuddyWish, CaseMember, MemberStatus
from steunen.models import (
    Activity,
    Attachment,
    Case,
    CaseEvent,
    CaseMerge,
    CaseWorkflowError,
    Channel,
    ContactPreference,
    Evaluation,
    EventKind,
    InternalNote,
    Language,
    Message,
    Outcome,
    Referral,
    ReferralConsent,
    Sender,
    Status,
    TimeEntry,
    hash_code,
    new_return_code,
    response_due,
)
from steunen.terugbellen import CallbackRequest, CallbackStatus
from steunpunt.mail import send_after_commit
from steunpunt.models import AuditAction, AuditEntry


def _event(
    case: Case, kind: str, *, actor: User | None = None, detail: StrOrPromise = ""
) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, detail=str(detail)[:200])


@transaction.atomic
def submit_question(
    *,
    asker_type: str,
    question: str,
    themes: Iterable[Thema] = (),
    school_type: str = "",
    school: School | None = None,
    samenwerkingsverband: Samenwerkingsverband | None = None,
    gemeente: str = "",
    thuiszitter: bool = False,
    name: str = "",
    contact_preference: str = ContactPreference.NONE,
    email: str = "",
    phone: str = "",
    phone_times: str = "",
    channel: str = Channel.WEB,
    submission_token: str | None = None,
    entered_by: User | None = None,
    language: str = Language.NL,
) -> tuple[Case, str]:
    """Create a case from a question and return it with its return code.

    The code exists only in the return value: the case keeps its hash.
    Staff who enter a phone or walk-in question count as having answered.
    """
    code = new_return_code()
    now = timezone.now()
    school_type = school_type or (school.school_type if school else "")
    if school and not samenwerkingsverband:
        samenwerkingsverband = school.samenwerkingsverband
    if not samenwerkingsverband:
        samenwerkingsverband = SwvGemeente.swv_for(gemeente, school_type)
    by_staff = entered_by is not None
    due = response_due(now)
    case = Case.objects.create(
        code_hash=hash_code(code),
        submission_token=submission_token,
        channel=channel,
        asker_type=asker_type,
        language=language if language in Language.values else Language.NL,
        school_type=school_type,
        school=school,
        samenwerkingsverband=samenwerkingsverband,
        gemeente=gemeente,
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


def _locked(case: Case, *, check: bool = True) -> Case:
    """The case's row, locked until the transaction ends, checked that it takes changes.

    Two requests on one case (an asker's reply racing a staff close) run one
    after the other on fresh rows, and each saves only the fields it changed.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if check:
        locked.check_writable()
    return locked


def _save(case: Case, locked: Case, fields: list[str]) -> None:
    """Save what changed, and show it on the caller's copy too."""
    fields = list(dict.fromkeys(fields))
    if fields:
        locked.save(update_fields=fields)
    for name in fields:
        setattr(case, name, getattr(locked, name))


@transaction.atomic
def reply_as_asker(*, case: Case, body: str) -> Message:
    locked = _locked(case)
    now = timezone.now()
    message = Message.objects.create(case=locked, sender=Sender.ASKER, body=body, created_at=now)
    reopened = locked.status == Status.AFGEROND
    _save(case, locked, locked.record_asker_reply(now))
    if reopened:
        _event(locked, EventKind.REOPENED, detail="door reactie van de vrager")
    _event(locked, EventKind.ASKER_REPLIED)
    assignee_email = locked.assignee.email if locked.assignee else ""
    send_after_commit(
        notifications.notify_staff_of_reply, locked.pk, locked.reference, assignee_email
    )
    send_after_commit(
        notifications.notify_readers_of_reply, locked.pk, locked.reference, assignee_email
    )
    buddy_actions.notify_buddies_of_reply(case=locked)  # the buddy on the case, if any
    return message


@transaction.atomic
def send_answer(
    *, case: Case, by: User, body: str, attachment: tuple[str, bytes, str] | None = None
) -> Message:
    """Send a message to the asker; the ball is then with the asker.

    ``attachment`` is a file checked and cleaned by attachments.prepare: it is
    stored encrypted with the answer, for the asker to download with their code.
    """
    locked = _locked(case)
    now = timezone.now()
    message = Message.objects.create(
        case=locked, sender=Sender.STAFF, author=by, body=body, created_at=now
    )
    if attachment:
        try:
            store(locked, attachment, message=message)
        except OSError as error:
            raise CaseWorkflowError(
                str(_("Het bestand kon niet worden bewaard. Het antwoord is niet verstuurd."))
            ) from error
    old_status = locked.status
    _save(case, locked, locked.record_answer(now))
    _event(locked, EventKind.MESSAGE_SENT, actor=by)
    if old_status != locked.status:
        _event(
            locked,
            EventKind.STATUS_CHANGED,
            actor=by,
            detail=f"{Status(old_status).label} → {locked.get_status_display()}",
        )
    if locked.email and locked.channel == Channel.EMAIL:
        # Asked by e-mail, answered by e-mail, in the case's thread (no code to log in with).
        send_after_commit(mailthread.mail_answer, message.pk)
    elif locked.email:
        send_after_commit(notifications.notify_asker_of_answer, locked.pk)
    return message


@transaction.atomic
def add_note(*, case: Case, by: User, body: str) -> InternalNote:
    locked = _locked(case)
    note = InternalNote.objects.create(case=locked, author=by, body=body)
    _event(locked, EventKind.NOTE_ADDED, actor=by)
    return note


@transaction.atomic
def change_status(*, case: Case, by: User, status: str) -> None:
    locked = _locked(case)
    if status == locked.status:
        return
    old = locked.get_status_display()
    _save(case, locked, locked.change_status(status, timezone.now()))
    _event(
        locked, EventKind.STATUS_CHANGED, actor=by, detail=f"{old} → {locked.get_status_display()}"
    )


@transaction.atomic
def assign(*, case: Case, by: User, assignee: User | None) -> None:
    locked = _locked(case)
    if assignee == locked.assignee:
        return
    _save(case, locked, locked.assign_to(assignee))
    name = assignee.get_full_name() or assignee.get_username() if assignee else "niemand"
    _event(locked, EventKind.ASSIGNED, actor=by, detail=f"naar {name}")


@transaction.atomic
def set_themes(*, case: Case, by: User, themes: Iterable[Thema]) -> None:
    locked = _locked(case)
    themes = list(themes)
    if {t.pk for t in themes} == set(locked.themes.values_list("pk", flat=True)):
        return
    locked.themes.set(themes)
    _event(locked, EventKind.THEMES_CHANGED, actor=by, detail=", ".join(t.name for t in themes))


@transaction.atomic
def set_samenwerkingsverband(
    *, case: Case, by: User, samenwerkingsverband: Samenwerkingsverband | None
) -> None:
    """Staff correct the SWV a question belongs to (None: unknown)."""
    locked = _locked(case)
    if locked.samenwerkingsverband_id == (samenwerkingsverband and samenwerkingsverband.pk):
        return
    locked.samenwerkingsverband = samenwerkingsverband
    _save(case, locked, ["samenwerkingsverband"])
    _event(
        locked,
        EventKind.SWV_CHANGED,
        actor=by,
        detail=samenwerkingsverband.code if samenwerkingsverband else "onbekend",
    )


@transaction.atomic
def set_urgent(*, case: Case, by: User, urgent: bool) -> None:
    locked = _locked(case)
    if urgent == locked.urgent:
        return
    locked.urgent = urgent
    _save(case, locked, ["urgent"])
    _event(locked, EventKind.URGENCY_CHANGED, actor=by, detail="spoed" if urgent else "geen spoed")


@transaction.atomic
def log_time(*, case: Case, by: User, minutes: int, activity: str, on: date) -> TimeEntry:
    locked = _locked(case)
    entry = TimeEntry.objects.create(
        case=locked, author=by, minutes=minutes, activity=activity, date=on
    )
    _event(
        locked,
        EventKind.TIME_LOGGED,
        actor=by,
        detail=f"{minutes} min {Activity(activity).label.lower()}",
    )
    return entry


@transaction.atomic
def refer(
    *,
    case: Case,
    by: User,
    organisatie: Organisatie,
    consent: str = "",
    handover: bool = False,
    handover_note: str = "",
    follow_up_on: date | None = None,
) -> Referral:
    """Refer the asker to an organisation (steunen/referrals.py).

    A handover of the asker's details (``handover``, or a note of what is
    handed over) needs their consent: without it CaseWorkflowError.
    """
    handover = handover or bool(handover_note)
    if handover and consent != ReferralConsent.YES:
        raise CaseWorkflowError(
            str(_("Zonder toestemming van de vrager geeft u geen gegevens door."))
        )
    locked = _locked(case)
    referral = Referral.objects.create(
        case=locked,
        organisatie=organisatie,
        author=by,
        consent=consent,
        handover=handover,
        handover_note=handover_note,
        follow_up_on=follow_up_on,
    )
    detail = organisatie.name
    if handover:
        detail += " · warme overdracht"
    if follow_up_on:
        detail += f" · nabellen op {follow_up_on:%d-%m-%Y}"
    _event(locked, EventKind.REFERRED, actor=by, detail=detail)
    return referral


@transaction.atomic
def record_follow_up(*, referral: Referral, by: User) -> bool:
    """The promised follow-up of a referral is done: off the list, on the timeline.

    False when it was already recorded (by a colleague, or a second click).
    """
    locked = _locked(referral.case, check=False)
    row = Referral.objects.select_for_update().get(pk=referral.pk)
    if row.followed_up_at is not None or row.follow_up_on is None:
        return False
    row.followed_up_at = timezone.now()
    row.followed_up_by = by
    row.save(update_fields=["followed_up_at", "followed_up_by"])
    referral.followed_up_at, referral.followed_up_by = row.followed_up_at, by
    _event(locked, EventKind.FOLLOWED_UP, actor=by, detail=row.organisatie.name)
    return True


@transaction.atomic
def close(*, case: Case, by: User, outcome: str) -> None:
    locked = _locked(case)
    _save(case, locked, locked.close(outcome, timezone.now()))
    _event(locked, EventKind.CLOSED, actor=by, detail=Outcome(outcome).label)
    if locked.email:
        send_after_commit(notifications.invite_evaluation, locked.pk)


@transaction.atomic
def reopen(*, case: Case, by: User) -> None:
    locked = _locked(case)
    _save(case, locked, locked.reopen())
    _event(locked, EventKind.REOPENED, actor=by)


@transaction.atomic
def evaluate(
    *, case: Case, listened: int, helped: int, recommend: int, remark: str = ""
) -> Evaluation | None:
    """The asker's rating of a closed case: one per case (None when there is one already)."""
    locked = _locked(case, check=False)
    if locked.is_open or Evaluation.objects.filter(case=locked).exists():
        return None
    return Evaluation.objects.create(
        case=locked, listened=listened, helped=helped, recommend=recommend, remark=remark
    )


@transaction.atomic
def answer_reopen_question(*, case: Case, reopen: bool) -> bool:
    """After an unhappy rating: should we look at the question again? True if reopened.

    Yes moves the closed case back to "in behandeling" through the state
    machine, on the timeline, and tells its handler (or the team when it has
    none). The question is asked once; a second answer changes nothing.
    """
    locked = _locked(case)
    evaluation = Evaluation.objects.select_for_update().filter(case=locked).first()
    if evaluation is None or not evaluation.is_unhappy or evaluation.reopen_wanted is not None:
        return False
    evaluation.reopen_wanted = reopen
    evaluation.save(update_fields=["reopen_wanted"])
    if not reopen or locked.is_open:
        return False
    _save(case, locked, locked.reopen_for_asker(timezone.now()))
    _event(locked, EventKind.REOPENED, detail="op verzoek van de vrager na de beoordeling")
    assignee_email = locked.assignee.email if locked.assignee else ""
    send_after_commit(
        notifications.notify_staff_of_reopen, locked.pk, locked.reference, assignee_email
    )
    send_after_commit(
        notifications.notify_readers_of_reopen, locked.pk, locked.reference, assignee_email
    )
    return True


@transaction.atomic
def delete_evaluation_remark(*, evaluation: Evaluation, by: User) -> None:
    """The coordinator removes a remark (the scores stay for the figures); audited."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not locked.remark:
        return
    locked.remark = ""
    locked.save(update_fields=["remark"])
    evaluation.remark = ""
    AuditEntry.record(actor=by, action=AuditAction.REMARK_DELETED, obj=locked.case or locked)


# What moves with a merge, by the key CaseMerge.moved keeps it under.
# The rows that go along to the case that lives on (each model's one manager).
MOVING: dict[str, type[models.Model]] = {
    "message": Message,
    "internalnote": InternalNote,
    "timeentry": TimeEntry,
    "referral": Referral,
    "caseevent": CaseEvent,
    "attachment": Attachment,
    "booking": Booking,
    "callbackrequest": CallbackRequest,
    "consultation": Consultation,
}
MERGE_FILLS = (
    "name", "email", "phone", "phone_times", "school", "samenwerkingsverband", "gemeente",
)  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# How far a person is on a case: a row of theirs that goes further wins in a merge.
_MEMBER_RANK = {MemberStatus.DECLINED: 0, MemberStatus.INVITED: 1, MemberStatus.ACCEPTED: 2}
_MEMBER_FIELDS = ("role", "status", "added_at", "added_by_id", "answered_at")


def _swap_memberships(pairs: list[list[int]]) -> None:
    """Exchange what two rows of one person say (role, status, dates), each on its case.

    A merge does this when the person's row on the merged-away case goes further
    (a buddy who works on it) than their row on the target (an invitation they
    declined there); undoing the merge does the same again, which puts both back.
    """
    for first_pk, second_pk in pairs:
        rows = {m.pk: m for m in CaseMember.objects.filter(pk__in=[first_pk, second_pk])}
        if len(rows) != 2:
            continue  # one of them was removed meanwhile: nothing to exchange
        first, second = rows[first_pk], rows[second_pk]
        for field in _MEMBER_FIELDS:
            mine, theirs = getattr(first, field), getattr(second, field)
            setattr(first, field, theirs)
            setattr(second, field, mine)
        CaseMember.objects.bulk_update([first, second], list(_MEMBER_FIELDS))


def _move_members(source: Case, target: Case, *, by: User) -> dict[str, list[Any]]:
    """The people on ``source`` (buddy, meelezers) and the asker's wish for a buddy go
    along to ``target``. Whoever is on the target already (as a member or as its
    behandelaar) is not put on it twice: their row stays with the merged case, but
    when it goes further there (an active buddy, against an invitation they declined
    or have not answered on the target), the two rows exchange what they say.
    Returns what moved, by MOVING-style key, for ``undo_merge``."""
    on_target = {m.user_id: m for m in CaseMember.objects.filter(case=target).select_for_update()}
    members = list(CaseMember.objects.filter(case=source).select_related("user"))
    moving = [m for m in members if m.user_id not in on_target and m.user_id != target.assignee_id]
    staying = [m for m in members if m not in moving]
    swapped = [
        [m.pk, on_target[m.user_id].pk]
        for m in staying
        if m.user_id in on_target
        and _MEMBER_RANK[MemberStatus(m.status)]
        > _MEMBER_RANK[MemberStatus(on_target[m.user_id].status)]
    ]
    CaseMember.objects.filter(pk__in=[m.pk for m in moving]).update(case=target)
    _swap_memberships(swapped)
    moved: dict[str, list[Any]] = {
        "casemember": [m.pk for m in moving],
        "buddywish": [],
        "casemember_swapped": swapped,
    }
    wish = BuddyWish.objects.filter(case=source).first()
    if wish is not None and not BuddyWish.objects.filter(case=target).exists():
        BuddyWish.objects.filter(pk=wish.pk).update(case=target)
        moved["buddywish"] = [wish.pk]
    if moving or staying:
        came = ", ".join(f"{m.get_role_display().lower()} {m.name}" for m in moving)
        parts = [f"mee van {source.reference}: {came}"] if moving else []
        if staying:
            parts.append(f"stond er al op: {', '.join(m.name for m in staying)}")
        _event(target, EventKind.MEMBER_ADDED, actor=by, detail="; ".join(parts))
    return moved


def _move_members_back(record: CaseMerge, source: Case, target: Case, *, by: User) -> None:
    """Undo ``_move_members``: who came along goes back to the case they came from."""
    back = list(
        CaseMember.objects.filter(
            pk__in=record.moved.get("casemember", []), case=target
        ).select_related("user")
    )
    CaseMember.objects.filter(pk__in=[m.pk for m in back]).update(case=source)
    _swap_memberships(record.moved.get("casemember_swapped", []))
    BuddyWish.objects.filter(pk__in=record.moved.get("buddywish", []), case=target).update(
        case=source
    )
    if back:
        names = ", ".join(f"{m.get_role_display().lower()} {m.name}" for m in back)
        _event(
            target,
            EventKind.MEMBER_REMOVED,
            actor=by,
            detail=f"terug naar {source.reference}: {names}",
        )


@transaction.atomic
def merge(*, source: Case, target: Case, by: User) -> CaseMerge:
    """Fold ``source`` into ``target`` once staff confirmed both are the same asker.

    Conversation, notes, time, referrals, timeline and files move; the
    source's return code keeps working and opens the target. What moved is
    recorded (CaseMerge), so ``undo_merge`` can put it all back until the
    asker has been answered on the target.
    """
    if source.pk == target.pk:
        raise CaseWorkflowError(str(_("Een vraag kan niet met zichzelf samengaan.")))
    # Lock both rows in one order (lowest id first), so two merges never deadlock.
    first, second = sorted([source.pk, target.pk])
    rows = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second])}
    source_row, target_row = rows[source.pk], rows[target.pk]
    source_row.check_writable()
    target_row.check_writable()
    record = CaseMerge(
        source=source_row,
        target=target_row,
        by=by,
        themes_added=list(
            source_row.themes.exclude(pk__in=target_row.themes.values("pk")).values_list(
                "pk", flat=True
            )
        ),
        target_before={
            "urgent": target_row.urgent,
            "thuiszitter": target_row.thuiszitter,
            "unanswered_reply": target_row.unanswered_reply,
            "created_at": _iso(target_row.created_at),
        },
        source_before={
            "status": source_row.status,
            "outcome": source_row.outcome,
            "closed_at": _iso(source_row.closed_at),
            "attention_at": _iso(source_row.attention_at),
        },
    )
    for key, model in MOVING.items():
        ids = list(model._default_manager.filter(case=source_row).values_list("pk", flat=True))
        record.moved[key] = ids
        model._default_manager.filter(pk__in=ids).update(case=target_row)
    record.moved |= _move_members(source_row, target_row, by=by)
    target_row.themes.add(*record.themes_added)
    target_row.urgent = target_row.urgent or source_row.urgent
    target_row.thuiszitter = target_row.thuiszitter or source_row.thuiszitter
    target_row.unanswered_reply = target_row.unanswered_reply or source_row.unanswered_reply
    target_row.created_at = min(target_row.created_at, source_row.created_at)
    for field in MERGE_FILLS:
        if not getattr(target_row, field) and getattr(source_row, field):
            setattr(target_row, field, getattr(source_row, field))
            record.filled_fields.append(field)
    target_row.save(
        update_fields=[
            "urgent", "thuiszitter", "unanswered_reply", "created_at", *record.filled_fields
        ]
    )  # fmt: skip
    source_row.merged_into = target_row
    if source_row.is_open:
        source_row.close(Outcome.ANDERS, timezone.now())
    source_row.save(
        update_fields=[
            "merged_into", "status", "outcome", "closed_at", "attention_at", "unanswered_reply"
        ]
    )  # fmt: skip
    record.save()
    _event(target_row, EventKind.MERGED, actor=by, detail=f"{source_row.reference} toegevoegd")
    _event(source_row, EventKind.MERGED, actor=by, detail=f"opgegaan in {target_row.reference}")
    AuditEntry.record(actor=by, action=AuditAction.CASE_MERGED, obj=target_row)
    return record


@transaction.atomic
def undo_merge(*, record: CaseMerge, by: User) -> Case:
    """Put back what a merge moved; the source case lives on by itself again."""
    record = CaseMerge.objects.select_for_update().get(pk=record.pk)
    if not record.can_be_undone():
        raise CaseWorkflowError(
            str(
                _(
                    "Dit samenvoegen kan niet meer terug: de vrager heeft op de samengevoegde "
                    "vraag al antwoord gekregen."
                )
            )
        )
    first, second = sorted([record.source_id, record.target_id])
    rows = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second])}
    source, target = rows[record.source_id], rows[record.target_id]
    target.check_writable()
    for key, model in MOVING.items():
        moved = record.moved.get(key, [])
        model._default_manager.filter(pk__in=moved, case=target).update(case=source)
    _move_members_back(record, source, target, by=by)
    target.themes.remove(*record.themes_added)
    before = record.target_before
    target.urgent = before["urgent"]
    target.thuiszitter = before["thuiszitter"]
    target.unanswered_reply = before["unanswered_reply"]
    target.created_at = datetime.fromisoformat(before["created_at"])
    for field in record.filled_fields:
        setattr(target, field, None if field in ("school", "samenwerkingsverband") else "")
    target.save(
        update_fields=[
            "urgent", "thuiszitter", "unanswered_reply", "created_at", *record.filled_fields
        ]
    )  # fmt: skip
    previous = record.source_before
    source.merged_into = None
    source.status = previous["status"]
    source.outcome = previous["outcome"]
    source.closed_at = previous["closed_at"] and datetime.fromisoformat(previous["closed_at"])
    source.attention_at = previous["attention_at"] and datetime.fromisoformat(
        previous["attention_at"]
    )
    source.save(update_fields=["merged_into", "status", "outcome", "closed_at", "attention_at"])
    record.undone_at = timezone.now()
    record.undone_by = by
    record.save(update_fields=["undone_at", "undone_by"])
    _event(target, EventKind.MERGE_UNDONE, actor=by, detail=f"{source.reference} weer apart")
    _event(source, EventKind.MERGE_UNDONE, actor=by, detail=f"weer los van {target.reference}")
    AuditEntry.record(actor=by, action=AuditAction.CASE_MERGE_UNDONE, obj=target)
    return source


@transaction.atomic
def erase_personal_data(*, case: Case, by: User | None = None, reason: str) -> None:
    """Remove everything that could identify the asker; keep what the statistics need.

    Kept: themes, types, school type, SWV, dates, minutes, outcome, referrals
    and the timeline (which never holds content). Removed: every message and
    note, name, contact details, the school, the remark of the evaluation
    (its scores stay) and the return code (it stops working). From then on
    the case takes nothing new (Case.check_writable).
    """
    # A merged case is erased too (retention reaches it); an erased one stays as it is.
    locked = _locked(case, check=False)
    if locked.erased_at is not None:
        return
    Message.objects.filter(case=locked).delete()
    InternalNote.objects.filter(case=locked).delete()
    # What was handed over to an organisation is about the asker; the referral stays.
    Referral.objects.filter(case=locked).update(handover_note="")
    Evaluation.objects.filter(case=locked).update(remark="")
    # Appointments: who booked goes; a coming one is cancelled, its place free again.
    coming = Booking.objects.filter(case=locked, status=BookingStatus.BOOKED)
    for slot_id in coming.order_by("slot_id").values_list("slot_id", flat=True):
        Slot.objects.free_place(slot_id)
    coming.update(status=BookingStatus.CANCELLED, cancelled_at=timezone.now())
    Booking.objects.filter(case=locked).update(name="", email="", phone="", token="")
    # Call-backs: the number and the note go, an open one ends; the back office's texts go
    # with the notes (steunen/terugbellen.py, steunen/backoffice.py).
    CallbackRequest.objects.filter(case=locked, status=CallbackStatus.OPEN).update(
        status=CallbackStatus.NOT_REACHED, done_at=timezone.now()
    )
    CallbackRequest.objects.filter(case=locked).update(phone="", note="")
    Consultation.objects.filter(case=locked).delete()
    Escalation.objects.filter(case=locked).delete()
    delete_all(locked)
    changed = _coarsen_dates(locked)
    locked.name = locked.email = locked.phone = locked.phone_times = ""
    locked.contact_preference = ContactPreference.NONE
    locked.school = None
    locked.code_hash = f"erased-{locked.pk}-{secrets.token_hex(16)}"
    locked.submission_token = None
    locked.erased_at = timezone.now()
    changed += [
        "name", "email", "phone", "phone_times", "contact_preference", "school", "code_hash",
        "submission_token", "erased_at",
    ]  # fmt: skip
    if locked.is_open:
        changed += locked.close(locked.outcome or Outcome.ANDERS, timezone.now())
    locked.attention_at = None
    locked.unanswered_reply = False
    _save(case, locked, [*changed, "attention_at", "unanswered_reply"])
    _event(locked, EventKind.ERASED, actor=by, detail=reason)


def _coarsen_dates(case: Case) -> list[str]:
    """Keep dates only by week (Monday noon), with the same durations, so an
    erased case cannot be matched to a call or a visit on a known day.
    Returns the case's fields it changed."""
    created = timezone.localtime(case.created_at)
    week = created.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(
        days=created.weekday()
    )
    shift = created - week
    for field in ("created_at", "response_due_at", "first_response_at", "closed_at"):
        value = getattr(case, field)
        if value is not None:
            setattr(case, field, value - shift)
    changed = ["created_at", "response_due_at", "first_response_at", "closed_at"]
    for entry in case.time_entries.all():
        entry.date = entry.date - timedelta(days=entry.date.weekday())
        entry.save(update_fields=["date"])
    CaseEvent.objects.filter(case=case).update(created_at=week)
    return changed


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
    # A remark whose case is gone altogether goes with the same period.
    Evaluation.objects.filter(case__isnull=True, day__lt=cutoff.date()).exclude(remark="").update(
        remark=""
    )
    return count


def record_export(*, case: Case, by: User | None = None) -> None:
    """The conversation left the system as a file: on the timeline, and audited for staff."""
    _event(case, EventKind.EXPORTED, actor=by)
    if by is not None:
        AuditEntry.record(actor=by, action=AuditAction.CASE_EXPORTED, obj=case)
