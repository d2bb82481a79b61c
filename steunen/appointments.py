"""Appointment workflows: publish slots, book, move, cancel, remind, the calendar file.

Each action locks the slot it fills (``select_for_update``) and reads its
places taken (``Slot.booked``) with that lock, so two askers can never take
the last place together (and the constraint ``slot_never_overbooked`` would
refuse it anyway). Booking, moving, cancelling and erasing keep ``booked`` in
the same transaction. The case a booking belongs to gets the booking on its
timeline.
Mail goes after the commit, as a task; it names the time, never the question.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steunen.actions import _locked, _save
from steunen.afspraken import Booking, BookingStatus, Slot, SlotKind, day_bounds, hash_token
from steunen.models import (
    AskerType,
    Case,
    CaseEvent,
    CaseWorkflowError,
    Channel,
    ContactPreference,
    EventKind,
    Status,
    hash_code,
    new_return_code,
    response_due,
)
from steunpunt.mail import mail_task, send_after_commit

TAKEN_MESSAGE = gettext_lazy(
    "Dit tijdstip is net door iemand anders gekozen. Kies hieronder een ander tijdstip."
)


class BookingError(Exception):
    """A booking that cannot be made or changed. ``reason`` says why; the message is Dutch."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason  # "taken", "past", "cancelled", "twice", "closed"
        self.message = message


def _event(case: Case, kind: str, *, actor: User | None = None, detail: str = "") -> None:
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, detail=detail[:200])


def _short(slot: Slot) -> str:
    """For the timeline: when and how, nothing of the asker."""
    start = timezone.localtime(slot.starts_at)
    return f"{start:%d-%m-%Y %H.%M}, {slot.get_kind_display().lower()}"


# --- Staff: publishing and cancelling slots -------------------------------------------


@dataclass(frozen=True)
class SeriesPlan:
    """What the series form asks: one weekday's hours, cut into slots, for some weeks."""

    kind: str
    first_day: date
    start: time
    end: time
    slot_minutes: int
    buffer_minutes: int
    capacity: int
    weeks: int
    place: str = ""
    video_url: str = ""
    staff: User | None = None

    def times(self) -> list[tuple[datetime, datetime]]:
        """Every (start, end) of the series, in local time made aware."""
        found = []
        length = timedelta(minutes=self.slot_minutes)
        step = length + timedelta(minutes=self.buffer_minutes)
        for week in range(self.weeks):
            day = self.first_day + timedelta(weeks=week)
            at = timezone.make_aware(datetime.combine(day, self.start))
            until = timezone.make_aware(datetime.combine(day, self.end))
            while at + length <= until:
                found.append((at, at + length))
                at += step
        return found

    def first_clash(self) -> Slot | None:
        """A time already published for the same person (or the team) that one of
        this series' times overlaps: publishing both would let two askers book one
        medewerker at once."""
        overlaps = Q()
        for start, end in self.times():
            overlaps |= Q(starts_at__lt=end, ends_at__gt=start)
        if not overlaps:
            return None
        return (
            Slot.objects.filter(overlaps, staff=self.staff, cancelled_at__isnull=True)
            .order_by("starts_at")
            .first()
        )


class SeriesClash(Exception):
    """The series overlaps a time already published (``slot``); nothing was made."""

    def __init__(self, slot: Slot):
        super().__init__(slot.when)
        self.slot = slot


@transaction.atomic
def create_series(*, plan: SeriesPlan, by: User) -> list[Slot]:
    """Publish the slots of ``plan`` (every one in the future); returns them.

    Raises SeriesClash when one overlaps a time already published for the same
    person: the form sent twice (a double click) makes its times once.
    """
    # One series at a time per publisher: the second of a double click waits here,
    # then finds the first one's times as a clash.
    User.objects.select_for_update().filter(pk=by.pk).first()
    clash = plan.first_clash()
    if clash is not None:
        raise SeriesClash(clash)
    series = secrets.token_hex(8)
    now = timezone.now()
    slots = [
        Slot(
            kind=plan.kind,
            starts_at=start,
            ends_at=end,
            place=plan.place if plan.kind == SlotKind.PLACE else "",
            video_url=plan.video_url if plan.kind == SlotKind.VIDEO else "",
            staff=plan.staff,
            capacity=plan.capacity,
            buffer_minutes=plan.buffer_minutes,
            series=series,
            created_by=by,
        )
        for start, end in plan.times()
        if start > now
    ]
    return Slot.objects.bulk_create(slots)


@transaction.atomic
def cancel_slot(*, slot: Slot, by: User) -> int:
    """Take a slot off the schedule; its bookings are cancelled and their askers told.

    Returns how many bookings it cancelled.
    """
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    if locked.cancelled_at is not None:
        return 0
    now = timezone.now()
    locked.cancelled_at = now
    locked.booked = 0  # every booking on it is cancelled below
    locked.save(update_fields=["cancelled_at", "booked"])
    slot.cancelled_at, slot.booked = now, 0
    cancelled = 0
    for booking in locked.bookings.active().select_related("case"):
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        _event(
            booking.case,
            EventKind.BOOKING_CANCELLED,
            actor=by,
            detail=f"{_short(locked)} (door het steunpunt)",
        )
        if booking.email:
            send_after_commit(send_slot_cancelled, booking.pk)
        cancelled += 1
    return cancelled


# --- The asker: booking, moving, cancelling -------------------------------------------


def _check_state(slot: Slot, now: datetime) -> None:
    """The slot is not cancelled nor past (or raise with the reason). No query."""
    if slot.cancelled_at is not None:
        raise BookingError(
            "cancelled",
            _("Dit tijdstip gaat niet door. Kies hieronder een ander tijdstip."),
        )
    if slot.is_past(now):
        raise BookingError(
            "past", _("Dit tijdstip is al voorbij. Kies hieronder een ander tijdstip.")
        )


def _check_open(slot: Slot, now: datetime) -> None:
    """The slot as read (with its lock, for a booking) can still be booked, or raise why."""
    _check_state(slot, now)
    if slot.is_full:
        raise BookingError("taken", str(TAKEN_MESSAGE))


def _new_case(
    *,
    asker_type: str,
    name: str,
    email: str,
    phone: str,
    at: datetime,
    slot: Slot,
    code: str,
    due: datetime,
) -> Case:
    """A case for an asker who had none yet: it starts with the appointment, not a question.

    ``code`` and the promise ``due`` are made by ``book`` before it takes the lock.
    """
    return Case.objects.create(
        code_hash=hash_code(code),
        channel=Channel.WEB,
        asker_type=asker_type,
        name=name,
        email=email,
        phone=phone,
        contact_preference=ContactPreference.EMAIL if email else ContactPreference.NONE,
        status=Status.NIEUW,
        assignee_id=slot.staff_id,
        created_at=at,
        response_due_at=due,
        # Staff act at the appointment itself; until then the case waits in the queue.
        attention_at=min(due, slot.starts_at),
    )


@dataclass(frozen=True)
class Booked:
    booking: Booking
    token: str  # the link's token: shown on the receipt, never stored plain
    code: str  # the return code of a new case; "" when the booking joined one


TWICE_MESSAGE = gettext_lazy("Deze afspraak is al gemaakt. U hoeft niets meer te doen.")


def book(
    *,
    slot: Slot,
    name: str = "",
    email: str = "",
    phone: str = "",
    asker_type: str = AskerType.OUDER,
    case: Case | None = None,
    submission_token: str | None = None,
) -> Booked:
    """Take a place on ``slot`` for an asker, in ``case`` or in a new case.

    Raises BookingError when the slot is full, past or cancelled, or when
    this form was sent before (``reason == "twice"``). Nothing is saved then.
    """
    args = {"name": name, "email": email, "phone": phone, "asker_type": asker_type}
    try:
        return _book(slot=slot, case=case, submission_token=submission_token, **args)
    except BookingError as refused:
        # Refused: was it because this very form was sent before (and booked)? Asked
        # after the rollback, so it costs the slot's lock nothing. A form sent twice
        # at once, or again while there is room, is stopped by the unique
        # submission_token of the booking itself.
        if (
            refused.reason != "twice"
            and submission_token
            and Booking.objects.filter(submission_token=submission_token).exists()
        ):
            raise BookingError("twice", str(TWICE_MESSAGE)) from refused
        raise


@transaction.atomic
def _book(
    *,
    slot: Slot,
    name: str,
    email: str,
    phone: str,
    asker_type: str,
    case: Case | None,
    submission_token: str | None,
) -> Booked:
    """The booking itself, with the slot's row lock held as briefly as can be.

    Every other booker of the slot waits for that lock, so what does not
    depend on the places left is done before it is taken (the return code and
    the link's token, with their keyed hashes). A refused booker does nothing
    under it but read the places taken, which came with the lock, and roll
    back. Only the winner writes: the places taken, the case with its promise
    date, the booking and the timeline; the commit ends the lock. Mail and the
    receipt's .ics come after the commit, in the view.
    """
    now = timezone.now()
    _check_state(slot, now)  # on the copy read before: no lock for a cancelled or past slot
    token = secrets.token_urlsafe(24)
    token_hash = hash_token(token)
    code = new_return_code() if case is None else ""

    # The lock: from here to the commit, other bookers of this slot wait.
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    _check_open(locked, now)  # no query: the places taken came with the lock
    locked.take_place()
    events = []
    if case is None:
        case = _new_case(
            asker_type=asker_type,
            name=name,
            email=email,
            phone=phone,
            at=now,
            slot=locked,
            code=code,
            due=appointment_promise(now, locked),
        )
        events.append(CaseEvent(case=case, kind=EventKind.CREATED, detail="via afspraak"))
    else:
        case = Case.objects.select_for_update().get(pk=case.pk)
        try:
            case.check_writable()
        except CaseWorkflowError as error:  # erased or merged meanwhile
            raise BookingError("closed", str(error)) from error
    events.append(CaseEvent(case=case, kind=EventKind.BOOKING_MADE, detail=_short(locked)[:200]))
    try:
        booking = Booking.objects.create(
            slot=locked,
            case=case,
            name=name,
            email=email,
            phone=phone,
            token_hash=token_hash,
            token=token,
            submission_token=submission_token,
            created_at=now,
        )
    except IntegrityError as error:
        # The same form sent twice at once, and the other request was first. Raising
        # leaves this atomic block, which rolls the whole booking back.
        raise BookingError("twice", str(TWICE_MESSAGE)) from error
    CaseEvent.objects.bulk_create(events)
    return Booked(booking=booking, token=token, code=code)


def appointment_promise(now: datetime, slot: Slot) -> datetime:
    """What a case that starts with an appointment promises: the conversation itself
    (at the latest its end), and never less time than a written answer gets."""
    return max(response_due(now), slot.ends_at)


@transaction.atomic
def record_held(*, booking: Booking, by: User) -> None:
    """Staff had the conversation: it counts as the first answer, like a call-back made.

    Until then a case that started with the appointment promises the conversation
    (``appointment_promise``); it is late only when that time passed unrecorded.
    """
    locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if not locked.can_be_held():
        raise CaseWorkflowError(
            _("Dit gesprek kan niet worden vastgelegd: het is afgezegd, nog niet begonnen "
              "of al vastgelegd.")
        )  # fmt: skip
    case = _locked(locked.case)
    now = timezone.now()
    locked.held_at, locked.held_by = now, by
    locked.save(update_fields=["held_at", "held_by"])
    booking.held_at, booking.held_by = now, by
    changed = case.record_spoken(now, by)
    # Next for staff: a reply still unanswered, or the next appointment on the case.
    upcoming = case.bookings.upcoming().exclude(pk=locked.pk).first()
    pending = [upcoming.slot.starts_at] if upcoming else []
    if case.unanswered_reply and case.attention_at:
        pending.append(case.attention_at)
    case.attention_at = min(pending) if pending else None
    _save(locked.case, case, [*changed, "attention_at"])
    _event(case, EventKind.BOOKING_HELD, actor=by, detail=_short(locked.slot))


def find_booking(token: str) -> Booking | None:
    if not token:
        return None
    return (
        Booking.objects.select_related("slot", "case")
        .filter(token_hash=hash_token(token), case__erased_at__isnull=True)
        .first()
    )


def _locked_booking(booking: Booking) -> Booking:
    locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if not locked.can_change():
        raise BookingError(
            "closed",
            _("Deze afspraak kan niet meer veranderen: hij is afgezegd of al voorbij."),
        )
    return locked


@transaction.atomic
def cancel_booking(*, booking: Booking) -> None:
    """The asker cancels: the place is free again."""
    # The slot first, then the booking: the order every other action locks them in
    # (booking, moving, cancelling a slot), so none of them can deadlock with this.
    Slot.objects.select_for_update().filter(pk=booking.slot_id).first()
    locked = _locked_booking(booking)
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    Slot.objects.free_place(locked.slot_id)
    booking.status, booking.cancelled_at = locked.status, locked.cancelled_at
    _event(
        locked.case, EventKind.BOOKING_CANCELLED, detail=f"{_short(locked.slot)} (door de vrager)"
    )


@transaction.atomic
def move_booking(*, booking: Booking, to: Slot) -> None:
    """The asker chooses another time; the old place is free again."""
    # Both slots locked, lowest id first, so two moves the other way never deadlock.
    ids = sorted({booking.slot_id, to.pk})
    slots = {s.pk: s for s in Slot.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    locked = _locked_booking(booking)
    target = slots[to.pk]
    if target.pk == locked.slot_id:
        return
    _check_open(target, timezone.now())
    old = locked.slot
    locked.slot = target
    locked.reminded_at = None
    locked.save(update_fields=["slot", "reminded_at"])
    target.take_place()  # both slots are locked above
    Slot.objects.free_place(old.pk)
    booking.slot, booking.reminded_at = target, None
    _keep_promise(locked.case, target)
    _event(locked.case, EventKind.BOOKING_MOVED, detail=f"{_short(old)} → {_short(target)}")


def _keep_promise(case: Case, to: Slot) -> None:
    """A case that is only this appointment (no question written, no answer yet)
    promises the conversation: moved to a later time, its promise moves along."""
    locked = _locked(case, check=False)  # moving is the asker's right on any case they hold
    if locked.first_response_at is not None or locked.messages.exists():
        return
    due = max(locked.response_due_at, to.ends_at)
    if due != locked.response_due_at:
        locked.response_due_at = due
        locked.attention_at = min(due, to.starts_at)
        _save(case, locked, ["response_due_at", "attention_at"])


def other_slots(slot: Slot | None = None, *, limit: int = 8) -> list[Slot]:
    """Free times to offer instead: of the same kind first."""
    free = Slot.objects.bookable()
    if slot is not None:
        free = free.exclude(pk=slot.pk)
    if slot is not None:
        same = list(free.filter(kind=slot.kind)[:limit])
        if same:
            return same
    return list(free[:limit])


# --- Staff: the day -------------------------------------------------------------------


def day_schedule(day: date, *, staff: User | None = None) -> list[tuple[Slot, list[Booking]]]:
    """The slots of ``day`` (of one staff member and the team's, or all) with their bookings."""
    slots = Slot.objects.on_day(day).select_related("staff")
    if staff is not None:
        slots = slots.of_staff(staff)
    shown = list(slots)
    bookings: dict[int, list[Booking]] = {slot.pk: [] for slot in shown}
    for booking in Booking.objects.active().filter(slot__in=shown).select_related("case"):
        bookings[booking.slot_id].append(booking)
    return [(slot, bookings[slot.pk]) for slot in shown]


# --- The calendar file ------------------------------------------------------------------


def _host() -> str:
    return settings.SITE_URL.split("//")[-1].split("/")[0]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def calendar_file(booking: Booking) -> bytes:
    """An iCalendar (RFC 5545) file of the appointment, written by the icalendar library.

    It carries the time, the kind and the place or link: no name, no question.
    """
    slot = booking.slot
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Steunpunt//Afspraken//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"afspraak-{booking.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", _("Afspraak met %(name)s") % {"name": settings.STEUNPUNT_NAME})
    if slot.kind == SlotKind.PLACE:
        event.add("location", slot.place)
        how = _("Spreekuur op locatie: %(place)s.") % {"place": slot.place}
    elif slot.kind == SlotKind.VIDEO:
        event.add("location", slot.video_url)
        how = _("Videogesprek via deze link: %(url)s") % {"url": slot.video_url}
    elif booking.phone:
        how = _("Wij bellen u op het nummer dat u gaf.")
    else:
        how = _("U belt ons zelf op %(phone)s.") % {"phone": settings.STEUNPUNT_PHONE}
    manage = absolute(reverse("steunen:afspraak_manage", args=[booking.token]))
    event.add(
        "description",
        how + "\n" + _("Verzetten of afzeggen: %(url)s") % {"url": manage},
    )
    event.add("url", manage)
    event.add("status", "CANCELLED" if not booking.is_active else "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


# --- Mail -------------------------------------------------------------------------------


def _mail_context(booking: Booking) -> dict[str, Any]:
    return {
        "booking": booking,
        "slot": booking.slot,
        "manage_url": absolute(reverse("steunen:afspraak_manage", args=[booking.token])),
        "steunpunt_name": settings.STEUNPUNT_NAME,
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
    }


@task
def send_appointment_reminders() -> int:
    """Remind every asker with an email address of tomorrow's appointment, once.

    Runs every hour of the day (steunen/tasks.py): a booking made or moved to
    tomorrow after the morning's run is reminded at the next one.

    Marked as reminded inside the lock before the mail is queued: a second
    run the same day sends nothing again. Each mail is a task of its own.
    """
    start, end = day_bounds(timezone.localdate() + timedelta(days=1))
    due = Booking.objects.active().filter(
        reminded_at__isnull=True,
        slot__cancelled_at__isnull=True,
        slot__starts_at__gte=start,
        slot__starts_at__lt=end,
    )
    sent = 0
    with transaction.atomic():
        for booking in due.select_for_update(of=("self",)).select_related("slot"):
            if not booking.email:  # encrypted: the database cannot filter on it
                continue
            Booking.objects.filter(pk=booking.pk).update(reminded_at=timezone.now())
            send_after_commit(send_appointment_reminder, booking.pk)
            sent += 1
    return sent


@mail_task
def send_appointment_reminder(booking_id: int) -> None:
    booking = (
        Booking.objects.select_related("slot")
        .filter(pk=booking_id, status=BookingStatus.BOOKED)
        .first()
    )
    if booking is None or not booking.email:
        return  # cancelled or erased meanwhile
    send_mail(
        subject=_("Morgen: uw afspraak met %(name)s") % {"name": settings.STEUNPUNT_NAME},
        message=render_to_string("steunen/email/afspraak_reminder.txt", _mail_context(booking)),
        from_email=None,
        recipient_list=[booking.email],
    )


@mail_task
def send_slot_cancelled(booking_id: int) -> None:
    booking = Booking.objects.select_related("slot").filter(pk=booking_id).first()
    if booking is None or not booking.email:
        return
    send_mail(
        subject=_("Uw afspraak gaat niet door"),
        message=render_to_string("steunen/email/afspraak_cancelled.txt", _mail_context(booking)),
        from_email=None,
        recipient_list=[booking.email],
    )
