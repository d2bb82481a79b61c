"""Call-back workflows: an asker asks to be called, staff record the call or a failed try.

Each action locks the case (steunen/actions.py ``_locked``), saves only what
it changed and writes its CaseEvent. The promise of a call-back is the end
of its window: the case's attention moment is the end of its earliest open
window, so the inbox puts it where it must be and marks it late after.
Mail to staff goes after the commit and names the window, never the number
or the note.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steunen import notifications
from steunen.actions import _event, _locked, _save
from steunen.models import (
    AskerType,
    Case,
    CaseWorkflowError,
    Channel,
    ContactPreference,
    EventKind,
    Language,
    Status,
    hash_code,
    new_return_code,
)
from steunen.terugbellen import CallbackRequest, CallbackStatus
from steunpunt.mail import mail_task, send_after_commit


class CallbackError(Exception):
    """A request that cannot be taken. ``reason`` says why; the message is for the asker."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason  # "twice", "closed"
        self.message = message


@dataclass(frozen=True)
class Requested:
    callback: CallbackRequest
    code: str  # the return code of a new case; "" when the request joined one


def _next_attention(case: Case) -> datetime | None:
    """When staff must act next on a case, after a call-back was dealt with."""
    ends = list(
        CallbackRequest.objects.open().filter(case=case).values_list("window_end", flat=True)
    )
    if case.unanswered_reply and case.attention_at:
        ends.append(case.attention_at)
    if case.first_response_at is None and case.is_open:
        ends.append(case.response_due_at)
    return min(ends) if ends else None


@transaction.atomic
def request_callback(
    *,
    phone: str,
    window_start: datetime,
    window_end: datetime,
    name: str = "",
    note: str = "",
    asker_type: str = AskerType.OUDER,
    language: str = Language.NL,
    case: Case | None = None,
    submission_token: str | None = None,
) -> Requested:
    """Ask to be called between ``window_start`` and ``window_end``, in ``case`` or a new one.

    A new case starts with the request (channel telefoon): its promise is the
    window's end. A case opened with the return code is worked on again (a
    closed or waiting case goes back to "in behandeling"). Raises
    CallbackError when this form was sent before or the case takes nothing new.
    """
    if (
        submission_token
        and CallbackRequest.objects.filter(submission_token=submission_token).exists()
    ):
        raise CallbackError("twice", _("Uw verzoek is al verstuurd. U hoeft niets meer te doen."))
    now = timezone.now()
    code = ""
    if case is None:
        code = new_return_code()
        case = Case.objects.create(
            code_hash=hash_code(code),
            channel=Channel.TELEFOON,
            asker_type=asker_type,
            language=language if language in Language.values else Language.NL,
            name=name,
            phone=phone,
            contact_preference=ContactPreference.PHONE,
            status=Status.NIEUW,
            created_at=now,
            response_due_at=window_end,
            attention_at=window_end,
        )
        _event(case, EventKind.CREATED, detail="via terugbelverzoek")
    else:
        locked = Case.objects.select_for_update().get(pk=case.pk)
        try:
            locked.check_writable()
        except CaseWorkflowError as error:  # erased or merged meanwhile
            raise CallbackError("closed", str(error)) from error
        changed = ["attention_at"]
        if locked.status == Status.AFGEROND:
            changed += locked.reopen(now)
            _event(locked, EventKind.REOPENED, detail="door een terugbelverzoek")
        elif locked.status == Status.WACHT_OP_VRAGER:
            changed += locked.move_to(Status.IN_BEHANDELING)
        locked.attention_at = min(filter(None, [locked.attention_at, window_end]))
        _save(case, locked, changed)
        case = locked
    try:
        with transaction.atomic():
            callback = CallbackRequest.objects.create(
                case=case,
                window_start=window_start,
                window_end=window_end,
                phone=phone,
                note=note,
                submission_token=submission_token,
                created_at=now,
            )
    except IntegrityError as error:
        # The same form sent twice at once, and the other request was first.
        raise CallbackError(
            "twice", _("Uw verzoek is al verstuurd. U hoeft niets meer te doen.")
        ) from error
    _event(case, EventKind.CALLBACK_REQUESTED, detail=callback.short)
    assignee_email = case.assignee.email if case.assignee else ""
    send_after_commit(
        notify_staff_of_callback, case.pk, case.reference, callback.short, assignee_email
    )
    return Requested(callback=callback, code=code)


def _locked_callback(case: Case, callback: CallbackRequest) -> tuple[Case, CallbackRequest]:
    locked = _locked(case)
    row = CallbackRequest.objects.select_for_update().get(pk=callback.pk, case=locked)
    if not row.is_open:
        raise CaseWorkflowError("Dit terugbelverzoek is al afgehandeld.")
    return locked, row


@transaction.atomic
def record_called(*, case: Case, callback: CallbackRequest, by: User) -> None:
    """Staff called the asker back: the request is done, and counts as the first answer."""
    locked, row = _locked_callback(case, callback)
    now = timezone.now()
    row.status = CallbackStatus.CALLED
    row.done_at, row.done_by = now, by
    row.save(update_fields=["status", "done_at", "done_by"])
    changed = locked.record_spoken(now, by)
    locked.attention_at = _next_attention(locked)
    _save(case, locked, [*changed, "attention_at"])
    _event(locked, EventKind.CALLBACK_DONE, actor=by, detail=row.short)


@transaction.atomic
def record_not_reached(
    *,
    case: Case,
    callback: CallbackRequest,
    by: User,
    retry: tuple[datetime, datetime] | None,
) -> None:
    """Staff called but did not reach the asker; with ``retry`` they try again in that
    window (the promise moves to its end), without it the request ends here."""
    locked, row = _locked_callback(case, callback)
    row.attempts += 1
    old = row.short
    fields = ["attempts"]
    case_fields = ["attention_at"]
    if retry is not None:
        if locked.first_response_at is None and locked.response_due_at == row.window_end:
            # The case's promise was this call: the asker was not there, so it moves along.
            locked.response_due_at = retry[1]
            case_fields.append("response_due_at")
        row.window_start, row.window_end = retry
        fields += ["window_start", "window_end"]
        detail = f"poging {row.attempts} ({old}), opnieuw {row.short}"
    else:
        row.status = CallbackStatus.NOT_REACHED
        row.done_at, row.done_by = timezone.now(), by
        fields += ["status", "done_at", "done_by"]
        detail = f"poging {row.attempts} ({old}), niet opnieuw"
    row.save(update_fields=fields)
    locked.attention_at = _next_attention(locked)
    _save(case, locked, case_fields)
    _event(locked, EventKind.CALLBACK_NOT_REACHED, actor=by, detail=detail)


@mail_task
def notify_staff_of_callback(
    case_id: int, reference: str, window: str, assignee_email: str
) -> None:
    """A call-back request came in: to its handler, or to the team for a new case."""
    notifications._mail_staff(
        [assignee_email] if assignee_email else notifications.staff_addresses(),
        f"Terugbelverzoek {reference}: {window}",
        "steunen/email/staff_callback.txt",
        case_id,
        reference,
    )
