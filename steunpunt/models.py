"""Cross-cutting records: the audit log of who looked at or changed what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CASE_VIEWED = "case_viewed", _("vraag bekeken")
    CASE_CREATED_BY_STAFF = "case_created_by_staff", _("vraag ingevoerd door medewerker")
    CASE_EXPORTED = "case_exported", _("gesprek gedownload")
    CASE_MERGED = "case_merged", _("vragen samengevoegd")
    CASE_MERGE_UNDONE = "case_merge_undone", _("samenvoegen teruggedraaid")
    REPORT_PUBLISHED = "report_published", _("rapportage gepubliceerd")
    LOGIN = "login", _("ingelogd")
    SECOND_FACTOR = "second_factor", _("tweede stap bevestigd")
    LOGIN_FAILED = "login_failed", _("inloggen mislukt")
    ROLES_CHANGED = "roles_changed", _("taken gewijzigd")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("account uitgezet")
    CHANGE_SUBMITTED = "change_submitted", _("wijziging ingediend")
    CHANGE_APPROVED = "change_approved", _("wijziging goedgekeurd")
    CHANGE_REJECTED = "change_rejected", _("wijziging afgekeurd")
    CHANGE_PUBLISHED = "change_published", _("wijziging gepubliceerd")
    PAGE_CHECKED = "page_checked", _("pagina gecontroleerd zonder wijziging")
    CONSENT_RECORDED = "consent_recorded", _("toestemming vastgelegd")
    CONSENT_VIEWED = "consent_viewed", _("toestemming bekeken")
    HOLIDAY_ADDED = "holiday_added", _("feestdag toegevoegd")
    HOLIDAY_REMOVED = "holiday_removed", _("feestdag verwijderd")


class AuditEntry(models.Model):
    """Who did what to which record, and when. Never the content itself."""

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    actor_username = models.CharField(_("gebruikersnaam"), max_length=150)
    action = models.CharField(_("actie"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("soort"), max_length=40)
    object_id = models.CharField(_("nummer"), max_length=40)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_id}"

    @classmethod
    def record(
        cls, *, actor, action: str, obj: models.Model | None = None, username: str = ""
    ) -> "AuditEntry":
        """Add a line. The log is append-only: nothing in the product edits or deletes it."""
        return cls.objects.create(
            actor=actor,
            actor_username=actor.get_username() if actor else username[:150],
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
        )
