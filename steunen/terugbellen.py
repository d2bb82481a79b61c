"""Call-back requests ("bel mij terug"): an asker asks to be called in a window.

A request always belongs to a case (a new one, or the one the asker opened
with their return code). Its promise is the end of the chosen window; until
staff record the call ("teruggebeld") or a failed try ("niet bereikt") the
case waits in the inbox marked as a call-back, late once the window passed.
The phone number and the short note are encrypted like the case's own fields.

Imported at the end of steunen/models.py so Django finds the model; the
workflows are in steunen/terugbel_actions.py.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from steunpunt.crypto import EncryptedTextField


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("Nog terugbellen")
    CALLED = "gebeld", _("Teruggebeld")
    NOT_REACHED = "niet_bereikt", _("Niet bereikt")


class CallbackQuerySet(models.QuerySet["CallbackRequest"]):
    def open(self) -> "CallbackQuerySet":
        return self.filter(status=CallbackStatus.OPEN)

    def late(self, now: datetime | None = None) -> "CallbackQuerySet":
        """Open requests whose window has passed without a call recorded."""
        return self.open().filter(window_end__lte=now or timezone.now())


class CallbackRequest(models.Model):
    """A request to be called back between ``window_start`` and ``window_end``."""

    case = models.ForeignKey("steunen.Case", on_delete=models.CASCADE, related_name="callbacks")
    window_start = models.DateTimeField(_("bellen vanaf"))
    window_end = models.DateTimeField(_("bellen uiterlijk"))
    phone = EncryptedTextField(_("telefoonnummer"))
    # What it is about, in a few words (optional): for staff and the asker only.
    note = EncryptedTextField(_("waarover"), blank=True)
    status = models.CharField(
        max_length=12, choices=CallbackStatus.choices, default=CallbackStatus.OPEN
    )
    # How often staff called without reaching the asker.
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Set by the form so pressing "send" twice makes one request.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("terugbelverzoek")
        verbose_name_plural = _("terugbelverzoeken")
        ordering = ["window_start", "id"]
        indexes = [models.Index(fields=["status", "window_end"], name="callback_status_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")),
                name="callback_window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Terugbelverzoek {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == CallbackStatus.OPEN

    def is_late(self, now: datetime | None = None) -> bool:
        return self.is_open and self.window_end <= (now or timezone.now())

    @property
    def when(self) -> str:
        """ "dinsdag 8 december 2026, 10.00-11.00" in the page's language."""
        return window_label(self.window_start, self.window_end)

    @property
    def short(self) -> str:
        """For the timeline: "08-12-2026 10.00-11.00", nothing of the asker."""
        start, end = timezone.localtime(self.window_start), timezone.localtime(self.window_end)
        return f"{start:%d-%m-%Y %H.%M}-{end:%H.%M}"


def window_label(start: datetime, end: datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{dateformat.format(start, 'l j F Y')}, {start:%H.%M}-{end:%H.%M}"
