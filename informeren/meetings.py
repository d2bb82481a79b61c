"""Sign-up for meetings: capacity, waiting list, cancel link, calendar file, reminders."""

import hashlib
import secrets
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from informeren.models import Meeting, Registration, RegistrationStatus
from steunpunt.crypto import encrypt, read_stored
from steunpunt.mail import mail_task, send_after_commit


class SignUpError(Exception):
    """A sign-up that cannot be taken; the message is for the visitor."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_file(meeting: Meeting) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Steunpunt//Bijeenkomsten//NL")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"bijeenkomst-{meeting.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", timezone.now())
    event.add("location", meeting.place or meeting.online_url)
    event.add("description", meeting.description)
    event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar's hints leave the return type open
    return ical


@transaction.atomic
def sign_up(*, meeting: Meeting, name: str, email: str) -> Registration:
    """Take a place, or one on the waiting list when the meeting is full."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.starts_at <= timezone.now():
        raise SignUpError("Deze bijeenkomst is al geweest. Aanmelden kan niet meer.")
    email = email.strip().lower()
    email_hash = Registration.email_index(meeting.pk, email)
    if (
        meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(email_hash=email_hash)
        .exists()
    ):
        raise SignUpError("Met dit e-mailadres bent u al aangemeld voor deze bijeenkomst.")
    taken = meeting.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    status = (
        RegistrationStatus.CONFIRMED if taken < meeting.capacity else RegistrationStatus.WAITING
    )
    token = secrets.token_urlsafe(24)
    try:
        registration = Registration.objects.create(
            meeting=meeting,
            name=name.strip(),
            email=email,
            email_hash=email_hash,
            status=status,
            cancel_token_hash=_hash(token),
        )
    except IntegrityError as error:
        raise SignUpError(
            "Met dit e-mailadres bent u al aangemeld voor deze bijeenkomst."
        ) from error
    # The task's arguments are a row in the database until it runs: the token
    # goes there encrypted, like everything else that opens something.
    send_after_commit(send_confirmation, registration.pk, encrypt(token))
    return registration


def find_by_token(token: str) -> Registration | None:
    return (
        Registration.objects.select_related("meeting")
        .filter(cancel_token_hash=_hash(token))
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


@transaction.atomic
def cancel(registration: Registration) -> Registration | None:
    """Cancel a sign-up; a freed place goes to the first on the waiting list (returned)."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if not was_confirmed or meeting.starts_at <= timezone.now():
        return None
    promoted = (
        meeting.registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("created_at", "id")
        .first()
    )
    if promoted:
        promoted.status = RegistrationStatus.CONFIRMED
        promoted.save(update_fields=["status"])
        send_after_commit(send_promoted, promoted.pk)
    return promoted


def _context(registration: Registration, token: str = "") -> dict[str, object]:
    meeting = registration.meeting
    base = settings.SITE_URL.rstrip("/")
    return {
        "registration": registration,
        "meeting": meeting,
        "meeting_url": base + meeting.get_absolute_url(),
        "cancel_url": base + reverse("informeren:meeting_cancel", args=[token]) if token else "",
        "steunpunt_name": settings.STEUNPUNT_NAME,
    }


@mail_task
def send_confirmation(registration_id: int, encrypted_token: str) -> None:
    # read_stored: a task queued before the token was encrypted holds it plain.
    token = read_stored(encrypted_token)
    registration = Registration.objects.select_related("meeting").get(pk=registration_id)
    waiting = registration.status == RegistrationStatus.WAITING
    message = EmailMessage(
        subject=("Op de wachtlijst: " if waiting else "Aangemeld: ") + registration.meeting.title,
        body=render_to_string(
            "informeren/email/meeting_confirmation.txt", _context(registration, token)
        ),
        to=[registration.email],
    )
    if not waiting:
        message.attach("bijeenkomst.ics", calendar_file(registration.meeting), "text/calendar")
    message.send()


@mail_task
def send_promoted(registration_id: int) -> None:
    registration = Registration.objects.select_related("meeting").get(pk=registration_id)
    message = EmailMessage(
        subject="Er is een plek vrij: " + registration.meeting.title,
        body=render_to_string("informeren/email/meeting_promoted.txt", _context(registration)),
        to=[registration.email],
    )
    message.attach("bijeenkomst.ics", calendar_file(registration.meeting), "text/calendar")
    message.send()


@task
def send_reminders() -> int:
    """Remind everyone with a place for a meeting that starts tomorrow. Runs daily.

    Each reminder is a mail task of its own, so a mail server that is down
    delays reminders but loses none, and none is sent twice.
    """
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=start + timedelta(days=1),
    )
    sent = 0
    with transaction.atomic():
        for registration_id in due.select_for_update().values_list("pk", flat=True):
            Registration.objects.filter(pk=registration_id).update(reminded_at=timezone.now())
            send_after_commit(send_reminder, registration_id)
            sent += 1
    return sent


@mail_task
def send_reminder(registration_id: int) -> None:
    registration = (
        Registration.objects.select_related("meeting")
        .filter(pk=registration_id, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    if registration is None or not registration.email:
        return  # cancelled or forgotten meanwhile
    send_mail(
        subject="Morgen: " + registration.meeting.title,
        message=render_to_string("informeren/email/meeting_reminder.txt", _context(registration)),
        from_email=None,
        recipient_list=[registration.email],
    )


def forget_participants(*, dry_run: bool = False) -> int:
    """Remove names and emails a set number of days after a meeting (keeps the count)."""
    cutoff = timezone.now() - timedelta(days=settings.MEETING_RETENTION_DAYS)
    old = Registration.objects.filter(meeting__ends_at__lt=cutoff, anonymised_at__isnull=True)
    count = old.count()
    if not dry_run:
        old.update(name="", email="", email_hash="", anonymised_at=timezone.now())
    return count
