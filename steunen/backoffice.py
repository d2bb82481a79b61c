"""The back office of a case: advice from a colleague or an expert, and escalation.

A consultation is an internal thread (a question and replies) about a case
that the asker never sees: it is not a Message, so no page or mail of the
asker can show it by a wrong filter. It has its own promise (an answer
within CONSULTATION_WORKING_DAYS working days) and its own notification to
the consulted colleague. An escalation flags the case for the coordinator
with a reason until a coordinator handles it. The texts are encrypted like
internal notes and erased with them.

Imported at the end of steunen/models.py so Django finds the models; the
workflows are in steunen/backoffice_actions.py.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steunpunt.crypto import EncryptedTextField


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def unanswered(self) -> "ConsultationQuerySet":
        return self.filter(answered_at__isnull=True)

    def for_consultee(self, user: User) -> "ConsultationQuerySet":
        """What a colleague was asked and has not answered yet: their to do."""
        return self.unanswered().filter(consultee=user)


class Consultation(models.Model):
    """A medewerker asks a colleague (a staff user) or a named expert for advice."""

    case = models.ForeignKey("steunen.Case", on_delete=models.CASCADE, related_name="consultations")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A colleague in the portal, who is notified and answers here ...
    consultee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collega"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations_asked",
    )
    # ... or an expert outside it, by name (e.g. "onderwijsconsulent J. de Vries"),
    # asked by phone or mail; whoever asked writes the expert's advice down here.
    expert_name = models.CharField(_("deskundige"), max_length=120, blank=True)
    question = EncryptedTextField(_("vraag"))
    due_at = models.DateTimeField(_("advies beloofd voor"))
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("adviesvraag")
        verbose_name_plural = _("adviesvragen")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["consultee", "answered_at"], name="consultation_todo"),
        ]

    def __str__(self) -> str:
        return f"Adviesvraag {self.pk}"

    @property
    def consulted(self) -> str:
        """Who was asked, by name."""
        if self.consultee is not None:
            return self.consultee.get_full_name() or self.consultee.get_username()
        return self.expert_name

    def is_late(self, now: datetime | None = None) -> bool:
        return self.answered_at is None and self.due_at <= (now or timezone.now())


class ConsultationReply(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # An expert outside the portal who wrote through their link (steunen/expertlinks.py).
    expert_name = models.CharField(_("deskundige"), max_length=120, blank=True)
    body = EncryptedTextField(_("reactie"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Reactie {self.pk}"

    @property
    def written_by(self) -> str:
        if self.author is not None:
            return self.author.get_full_name() or self.author.get_username()
        return self.expert_name or "–"


class Escalation(models.Model):
    """A case flagged for the coordinator, with the reason, until a coordinator handles it."""

    case = models.ForeignKey("steunen.Case", on_delete=models.CASCADE, related_name="escalations")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = EncryptedTextField(_("reden"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolution = EncryptedTextField(_("afgehandeld met"), blank=True)

    class Meta:
        verbose_name = _("escalatie")
        verbose_name_plural = _("escalaties")
        ordering = ["created_at", "id"]
        constraints = [
            # At most one open escalation per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(resolved_at__isnull=True),
                name="escalation_one_open_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Escalatie {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
