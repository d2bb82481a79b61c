"""A link of their own for an expert outside the portal who was asked for advice.

A medewerker who asks a named expert (Consultation.expert_name) can make a
personal link for them. The link is signed (django.core.signing, with a salt of
its own) and carries the link's id and a random nonce of which only a hash is
stored, so a copy of the database makes no working link. It expires after
LINK_VALID_DAYS days, works once (writing the advice uses it up) and a newer
link for the same question replaces the older one. Behind it the expert reads
the advice question and nothing else of the case (no conversation, no asker,
no reference), and writes their advice once; it lands in the internal
consultation thread as a reply by the expert, answers the consultation and
tells the medewerker who asked. Making, opening and using a link are audited.

Imported at the end of steunen/models.py so Django finds the model.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from steunpunt.models import AuditAction, AuditEntry

if TYPE_CHECKING:  # steunen.backoffice imports this module
    from steunen.backoffice import Consultation, ConsultationReply

LINK_VALID_DAYS = 14
SALT = "steunen.expert-advice-link"


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


class ExpertLink(models.Model):
    """One personal link for the expert of one consultation. Holds no content."""

    consultation = models.ForeignKey(
        "steunen.Consultation", on_delete=models.CASCADE, related_name="expert_links"
    )
    nonce_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)  # first opened by the expert
    used_at = models.DateTimeField(null=True, blank=True)  # the advice was written
    replaced_at = models.DateTimeField(null=True, blank=True)  # a newer link took over

    class Meta:
        verbose_name = "advieslink voor een deskundige"
        verbose_name_plural = "advieslinks voor deskundigen"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Advieslink {self.pk}"


class LinkState(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # forged, mistyped or never made
    EXPIRED = "expired"  # too old, or replaced by a newer link
    USED = "used"  # the advice was given already
    CLOSED = "closed"  # the case takes nothing any more (erased) or was answered otherwise


@dataclass(frozen=True)
class Found:
    state: LinkState
    link: ExpertLink | None = None


def make_link(*, consultation: "Consultation", by: User) -> str:
    """A new personal link (an absolute URL) for the consultation's expert; audited.

    Older links of this consultation stop working.
    """
    if consultation.consultee_id is not None or not consultation.expert_name:
        raise ValueError("only a consultation of an expert outside the portal has a link")
    nonce = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        # The consultation's row lock: two links made at the same moment end with one valid.
        type(consultation).objects.select_for_update().get(pk=consultation.pk)
        ExpertLink.objects.filter(
            consultation=consultation, used_at__isnull=True, replaced_at__isnull=True
        ).update(replaced_at=now)
        link = ExpertLink.objects.create(
            consultation=consultation,
            nonce_hash=_hash(nonce),
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=LINK_VALID_DAYS),
        )
        AuditEntry.record(actor=by, action=AuditAction.EXPERT_LINK_MADE, obj=consultation.case)
    token = signing.dumps([link.pk, nonce], salt=SALT, compress=False)
    return settings.SITE_URL.rstrip("/") + reverse("steunen:expert_advice", args=[token])


def find(token: str, *, lock: bool = False) -> Found:
    """What the token opens, checked: signature, age, the stored nonce, use and case."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_VALID_DAYS))
    except signing.SignatureExpired:
        return Found(LinkState.EXPIRED)
    except (signing.BadSignature, ValueError, TypeError):
        return Found(LinkState.UNKNOWN)
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return Found(LinkState.UNKNOWN)
    links = ExpertLink.objects.select_related("consultation", "consultation__case")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(pk=pk).first()
    if link is None or not hmac.compare_digest(link.nonce_hash, _hash(nonce)):
        return Found(LinkState.UNKNOWN)
    if link.used_at is not None:
        return Found(LinkState.USED, link)
    if link.replaced_at is not None or link.expires_at <= timezone.now():
        return Found(LinkState.EXPIRED, link)
    case = link.consultation.case
    if case.erased_at is not None or link.consultation.answered_at is not None:
        return Found(LinkState.CLOSED, link)
    return Found(LinkState.OK, link)


def _expert(link: ExpertLink) -> str:
    return f"deskundige {link.consultation.expert_name}"[:150]


def record_opened(link: ExpertLink) -> None:
    """The expert read the question: audited every time, the first time kept on the link."""
    with transaction.atomic():
        if link.opened_at is None:
            link.opened_at = timezone.now()
            ExpertLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(
                opened_at=link.opened_at
            )
        AuditEntry.record(
            actor=None,
            action=AuditAction.EXPERT_LINK_OPENED,
            obj=link.consultation.case,
            username=_expert(link),
        )


class LinkRefused(Exception):
    def __init__(self, state: LinkState):
        super().__init__(state.value)
        self.state = state


@transaction.atomic
def give_advice(*, token: str, body: str) -> "ConsultationReply":
    """The expert's advice, once: a reply in the thread that answers the consultation."""
    from steunen.backoffice import Consultation, ConsultationReply
    from steunen.backoffice_actions import notify_advice_given
    from steunen.models import Case, CaseEvent, CaseWorkflowError, EventKind
    from steunpunt.mail import send_after_commit

    found = find(token, lock=True)
    if found.state != LinkState.OK or found.link is None:
        raise LinkRefused(found.state)
    link = found.link
    case = Case.objects.select_for_update().get(pk=link.consultation.case_id)
    try:
        case.check_writable()
    except CaseWorkflowError as closed:
        raise LinkRefused(LinkState.CLOSED) from closed
    consultation = Consultation.objects.select_for_update().get(pk=link.consultation_id)
    now = timezone.now()
    reply = ConsultationReply.objects.create(
        consultation=consultation,
        author=None,
        expert_name=consultation.expert_name,
        body=body,
        created_at=now,
    )
    if consultation.answered_at is None:
        consultation.answered_at = now
        consultation.save(update_fields=["answered_at"])
    link.used_at = now
    link.save(update_fields=["used_at"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.ADVICE_GIVEN,
        detail=f"door {consultation.expert_name} (via de advieslink)"[:200],
    )
    AuditEntry.record(
        actor=None, action=AuditAction.EXPERT_ADVICE_GIVEN, obj=case, username=_expert(link)
    )
    asker = consultation.asked_by
    if asker is not None and asker.email:
        send_after_commit(notify_advice_given, case.pk, case.reference, asker.email)
    return reply
