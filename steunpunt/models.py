"""Cross-cutting records: the audit log of who looked at or changed what.

The log is a hash chain: every entry carries the hash of the one before it
and a hash of itself over its own fields, in one sequence without gaps. A
changed, removed or inserted entry breaks the chain from there on, which
`manage.py verify_audit_log` finds and names. Writers take turns on the
chain's head row (one row, updated first thing in the transaction: a row
lock on PostgreSQL, the write lock on SQLite), so two requests never
append to the same entry and the chain never forks.
"""

import hashlib
import json
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from steunpunt.crypto import EncryptedTextField, blind_index

# The "previous hash" of the first entry.
GENESIS = "0" * 64


class AuditAction(models.TextChoices):
    CASE_VIEWED = "case_viewed", _("vraag bekeken")
    CASE_CREATED_BY_STAFF = "case_created_by_staff", _("vraag ingevoerd door medewerker")
    CASE_EXPORTED = "case_exported", _("gesprek gedownload")
    CASE_MERGED = "case_merged", _("vragen samengevoegd")
    CASE_MERGE_UNDONE = "case_merge_undone", _("samenvoegen teruggedraaid")
    REPORT_PUBLISHED = "report_published", _("rapportage gepubliceerd")
    REPORT_DELETED = "report_deleted", _("concept-rapportage verwijderd")
    SUMMARY_PUBLISHED = "summary_published", _("publiek jaaroverzicht gepubliceerd")
    SUMMARY_WITHDRAWN = "summary_withdrawn", _("publiek jaaroverzicht offline gehaald")
    REPORT_SHARED = "report_shared", _("rapportage gedeeld met het landelijk steunpunt")
    LOGIN = "login", _("ingelogd")
    SECOND_FACTOR = "second_factor", _("tweede stap bevestigd")
    LOGIN_FAILED = "login_failed", _("inloggen mislukt")
    ROLES_CHANGED = "roles_changed", _("taken gewijzigd")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("account uitgezet")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("tweede stap mislukt")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("tweede stap ingesteld")
    SECOND_FACTOR_INVITED = "second_factor_invited", _("uitnodiging tweede stap gemaakt")
    PASSWORD_CHANGED = "password_changed", _("wachtwoord gewijzigd")
    PASSWORD_RESET = "password_reset", _("wachtwoord hersteld")
    CHANGE_SUBMITTED = "change_submitted", _("wijziging ingediend")
    CHANGE_APPROVED = "change_approved", _("wijziging goedgekeurd")
    CHANGE_REJECTED = "change_rejected", _("wijziging afgekeurd")
    CHANGE_PUBLISHED = "change_published", _("wijziging gepubliceerd")
    PAGE_CHECKED = "page_checked", _("pagina gecontroleerd zonder wijziging")
    CONSENT_RECORDED = "consent_recorded", _("toestemming vastgelegd")
    CONSENT_VIEWED = "consent_viewed", _("toestemming bekeken")
    STORY_WITHDRAWN = "story_withdrawn", _("ervaringsverhaal offline gehaald")
    STORY_REPUBLISHED = "story_republished", _("ervaringsverhaal weer online")
    HOLIDAY_ADDED = "holiday_added", _("feestdag toegevoegd")
    HOLIDAY_REMOVED = "holiday_removed", _("feestdag verwijderd")
    # Evaluation remarks (steunen/evaluations.py) and staff accounts (steunpunt/account.py).
    REMARK_VIEWED = "remark_viewed", _("opmerking bij beoordeling gelezen")
    REMARK_DELETED = "remark_deleted", _("opmerking bij beoordeling verwijderd")
    ACCOUNT_INVITED = "account_invited", _("nieuwe collega uitgenodigd")
    ACCOUNT_REACTIVATED = "account_reactivated", _("account weer aangezet")
    PASSWORD_SET = "password_set", _("wachtwoord ingesteld na uitnodiging")
    # A personal link for an expert outside the portal (steunen/expertlinks.py).
    EXPERT_LINK_MADE = "expert_link_made", _("advieslink voor deskundige gemaakt")
    EXPERT_LINK_OPENED = "expert_link_opened", _("adviesvraag gelezen door deskundige")
    EXPERT_ADVICE_GIVEN = "expert_advice_given", _("advies gegeven door deskundige")
    # A region deviating from the national text (informeren/actions.py record_deviation).
    NATIONAL_DEVIATION_RECORDED = (
        "national_deviation_recorded",
        _("regionale afwijking van de landelijke tekst vastgelegd"),
    )


def entry_hash(
    *,
    seq: int | None,
    prev_hash: str,
    at: datetime,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
) -> str:
    """The hash of one entry, over everything it says and the hash before it.

    The actor's user id is left out on purpose: it becomes empty when an
    account is deleted (the username stays, and is hashed).
    """
    canonical = json.dumps(
        [
            seq,
            prev_hash,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_username,
            action,
            object_type,
            object_id,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditChainHead(models.Model):
    """The end of the audit chain: its length and last hash. Exactly one row (pk 1)."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"#{self.seq} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    """Who did what to which record, and when. Never the content itself."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
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
    # The chain (see the module docstring). NULL only before fill_audit_chain ran.
    seq = models.PositiveBigIntegerField(_("volgnummer"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    entry_hash = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_id}"

    def computed_hash(self) -> str:
        return entry_hash(
            seq=self.seq,
            prev_hash=self.prev_hash,
            at=self.at,
            actor_username=self.actor_username,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
        )

    @classmethod
    def record(
        cls,
        *,
        actor: User | None,
        action: str,
        obj: models.Model | None = None,
        username: str = "",
    ) -> "AuditEntry":
        """Add a line at the end of the chain.

        The log is append-only: nothing in the product edits or deletes it.
        Inside the caller's transaction when there is one: an action that is
        rolled back leaves no entry (and no gap).
        """
        with transaction.atomic():
            head = _lock_head()
            entry = cls(
                actor=actor,
                actor_username=actor.get_username() if actor else username[:150],
                action=action,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                at=timezone.now(),
                seq=head.seq,
                prev_hash=head.last_hash,
            )
            entry.entry_hash = entry.computed_hash()
            entry.save(force_insert=True)
            AuditChainHead.objects.filter(pk=head.pk).update(last_hash=entry.entry_hash)
        return entry


def _lock_head() -> AuditChainHead:
    """Take the chain's turn: the head row, already moved on by one (seq is ours)."""
    # The UPDATE comes first: it takes the lock before anything is read, so
    # the read below sees the last writer's committed head (PostgreSQL's
    # read committed) and SQLite's write lock is held from the start.
    if not AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1):
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=1)
        except IntegrityError:
            pass  # made by a concurrent writer meanwhile
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def verify_chain() -> tuple[int, str | None]:
    """Check the whole chain: (entries checked, a description of the first break or None)."""
    expected_seq, expected_prev, checked = 1, GENESIS, 0
    entries = AuditEntry.objects.order_by("seq", "pk").iterator(chunk_size=2000)
    for entry in entries:
        where = f"entry {entry.pk} (#{entry.seq}, {entry.at:%Y-%m-%d %H:%M:%S})"
        if entry.seq is None:
            return checked, f"{where} has no place in the chain"
        if entry.seq != expected_seq:
            problem = "is out of sequence" if entry.seq < expected_seq else "follows a gap"
            return checked, f"{where} {problem}: #{expected_seq} was expected"
        if entry.prev_hash != expected_prev:
            return checked, f"{where} does not follow the entry before it (removed or changed)"
        if entry.computed_hash() != entry.entry_hash:
            return checked, f"{where} was changed after it was written"
        expected_seq, expected_prev, checked = expected_seq + 1, entry.entry_hash, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.last_hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (checked, expected_prev):
        return checked, (
            f"the chain ends at #{checked} but its head says #{head_seq}: "
            "entries were removed from the end"
        )
    return checked, None


# --- The second factor of staff accounts -------------------------------------------
#
# django-otp's own TOTPDevice and StaticToken keep the app's key and the
# recovery codes as plain text in the database. These two devices keep the
# key encrypted with the field keys (steunpunt/crypto.py) and the recovery
# codes only as keyed hashes; django-otp finds them like its own devices
# (django_otp.devices_for_user), and the TOTP arithmetic is django-otp's.


def _new_totp_key() -> str:
    return str(random_hex(20))


class AppDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238). The shared key is encrypted at rest."""

    key = EncryptedTextField(default=_new_totp_key)  # hex, as TOTPDevice.key
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("app voor de tweede stap")

    # django-otp's TOTP code as it is, on this model's (decrypted) key.
    bin_key = TOTPDevice.bin_key
    config_url = TOTPDevice.config_url
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    _read_str_from_settings = TOTPDevice._read_str_from_settings


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    return blind_index(normalise_recovery_code(code), purpose="recovery-code")


class RecoveryDevice(TimestampMixin, ThrottlingMixin, Device):
    """Recovery codes for a lost phone: each works once, and only its hash is stored."""

    class Meta(Device.Meta):
        verbose_name = _("herstelcodes")

    def get_throttle_factor(self) -> int:
        return 1

    def replace_codes(self, count: int) -> list[str]:
        """New codes (the old ones stop working), as the staff member must write them down."""
        codes = [secrets.token_hex(6) for _ in range(count)]  # 48 bits each, throttled
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, code_hash=hash_recovery_code(code)) for code in codes
        )
        return [" ".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in codes]

    # The calls below go to django-otp's mixins, which have no type hints.
    def verify_token(self, token: object) -> bool:
        allowed, _details = self.verify_is_allowed()  # type: ignore[no-untyped-call]
        if not allowed:
            return False
        used, _rows = self.codes.filter(code_hash=hash_recovery_code(str(token))).delete()
        if used:
            self.throttle_reset(commit=False)  # type: ignore[no-untyped-call]
            self.set_last_used_timestamp(commit=False)  # type: ignore[no-untyped-call]
            self.save()
            return True
        self.throttle_increment()  # type: ignore[no-untyped-call]
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"herstelcode {self.pk}"


class TakenInMail(models.Model):
    """A mail the mailbox poller made into (part of) a case (steunen/mailintake.py).

    Written in the same transaction as the case, so a mail that is read again
    (the poller stopped before it could move it) never becomes a second case.
    Holds no content and no address: a keyed hash of the mail's Message-ID and
    sender. Kept a month (``prune_taken_in_mail``), long enough for any retry.
    """

    key = models.CharField(max_length=64, unique=True)
    taken_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"e-mail {self.pk}"
