"""Appointments: times staff publish (Slot) and the bookings of askers on them (Booking).

A booking always belongs to a case: a new one, or the case the asker opened
with their return code. What identifies the asker is encrypted like the
case's own fields; a booking holds no question text.

Imported at the end of steunen/models.py so Django finds the models.
"""

import hashlib
import hmac
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from steunpunt.crypto import EncryptedTextField


class SlotKind(models.TextChoices):
    PLACE = "plek", _("Spreekuur op locatie")
    PHONE = "telefoon", _("Telefonisch")
    VIDEO = "video", _("Videogesprek")


class BookingStatus(models.TextChoices):
    BOOKED = "geboekt", _("Geboekt")
    CANCELLED = "afgezegd", _("Afgezegd")


def hash_token(token: str) -> str:
    """Keyed hash of a booking's link token (the link opens the booking, like a code)."""
    key = settings.RETURN_CODE_KEY.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, timezone.make_aware(
        datetime.combine(day + timedelta(days=1), datetime.min.time())
    )


class SlotQuerySet(models.QuerySet["Slot"]):
    def bookable(self, now: datetime | None = None) -> "SlotQuerySet":
        """Slots an asker can still choose: not cancelled, in the future, with room."""
        now = now or timezone.now()
        return (
            self.filter(cancelled_at__isnull=True, starts_at__gt=now)
            .filter(booked__lt=models.F("capacity"))
            .order_by("starts_at", "id")
        )

    def free_place(self, slot_id: int) -> None:
        """A booking on the slot is cancelled or moved away: its place is free again.

        Called in the transaction that changes the booking (the count is ``Slot.booked``).
        """
        self.filter(pk=slot_id).update(booked=models.F("booked") - 1)

    def on_day(self, day: date) -> "SlotQuerySet":
        start, end = day_bounds(day)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def of_staff(self, user: User) -> "SlotQuerySet":
        """A staff member's own slots and the team's (no one named)."""
        return self.filter(Q(staff=user) | Q(staff__isnull=True))


class Slot(models.Model):
    """A time an asker can book: a spreekuur at a place, a phone call or a video call."""

    kind = models.CharField(_("soort"), max_length=10, choices=SlotKind.choices)
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    place = models.CharField(_("plek"), max_length=200, blank=True)
    video_url = models.URLField(_("link voor het videogesprek"), blank=True)
    # Null: the team's slot, whoever is on duty.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slots",
    )
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"), default=1)
    # The places taken: how many of its bookings are not cancelled. Kept by the
    # actions in steunen/appointments.py (and the erasure of a case) under the
    # slot's row lock, so a booker reads it with the lock itself, in one query.
    booked = models.PositiveSmallIntegerField(_("geboekte plaatsen"), default=0, editable=False)
    buffer_minutes = models.PositiveSmallIntegerField(_("pauze na afloop (minuten)"), default=0)
    # Slots made together (one series form) share this, so they can be found together.
    series = models.CharField(max_length=32, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraaktijd")
        verbose_name_plural = _("afspraaktijden")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="slot_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_at_least_one"),
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="slot_never_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.when}"

    @property
    def when(self) -> str:
        """ "dinsdag 8 december 2026, 09.00-09.30" in Dutch."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{dateformat.format(start, 'l j F Y')}, {start:%H.%M}-{end:%H.%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity

    def take_place(self) -> None:
        """One more place taken; on a row locked by the caller's transaction
        (``Slot.objects.free_place`` gives one back)."""
        self.booked += 1
        self.save(update_fields=["booked"])

    @property
    def where(self) -> str:
        """Where it happens, for the asker (a video link only on their own pages)."""
        if self.kind == SlotKind.PLACE:
            return self.place
        if self.kind == SlotKind.PHONE:
            return str(_("Telefonisch"))
        return str(_("Online, via een videolink"))


class BookingQuerySet(models.QuerySet["Booking"]):
    def active(self) -> "BookingQuerySet":
        return self.filter(status=BookingStatus.BOOKED)

    def upcoming(self) -> "BookingQuerySet":
        """Booked and not yet begun: what an asker can still move or cancel."""
        return (
            self.active()
            .filter(slot__starts_at__gt=timezone.now())
            .select_related("slot")
            .order_by("slot__starts_at")
        )


class Booking(models.Model):
    """An asker's place on a slot. Part of a case; no question text in it."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    case = models.ForeignKey("steunen.Case", on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    name = EncryptedTextField(_("naam of voorletters"), blank=True)
    email = EncryptedTextField(_("e-mailadres"), blank=True)
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    # The link in the receipt and the reminder: its hash finds the booking,
    # the token itself is kept encrypted so "Mijn vraag" can show the link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token = EncryptedTextField(editable=False)
    # Set by the form so pressing "book" twice makes one booking.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Staff recorded that the conversation took place (appointments.record_held).
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["slot__starts_at", "id"]

    def __str__(self) -> str:
        return f"Afspraak {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED

    def can_change(self, now: datetime | None = None) -> bool:
        """Moving or cancelling is possible until the appointment begins."""
        return self.is_active and not self.slot.is_past(now)

    def can_be_held(self, now: datetime | None = None) -> bool:
        """Staff can record the conversation once its time has begun."""
        return self.is_active and self.held_at is None and self.slot.is_past(now)

    def display_name(self) -> str:
        return self.name or str(_("Anoniem"))
