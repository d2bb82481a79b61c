"""Workflows around buddies and the people on a case (steunen/buddies.py).

Each locks the case's row, checks it still takes changes, saves and writes
its own CaseEvent, so the timeline shows who did what. The timeline's detail
holds names and roles, never case content.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from steunen import mailthread, notifications
from steunen.buddies import (
    BuddyProfile,
    BuddyWish,
    BuddyWishSource,
    CaseMember,
    MemberRole,
    MemberStatus,
)
from steunen.models import Case, CaseEvent, CaseWorkflowError, Channel, EventKind, Message, Sender
from steunpunt.mail import mail_task, send_after_commit
from steunpunt.roles import Role, has_role


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.check_writable()
    return locked


def _event(case: Case, kind: str, *, actor: User | None = None, detail: str = "") -> None:
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, detail=detail[:200])


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def wish_buddy(*, case: Case, via: str, by: User | None = None) -> bool:
    """Record that the asker would like a buddy; False when they had asked already."""
    locked = _locked(case)
    if BuddyWish.objects.filter(case=locked).exists():
        return False
    BuddyWish.objects.create(case=locked, via=via)
    _event(locked, EventKind.BUDDY_WISHED, actor=by, detail=str(BuddyWishSource(via).label))
    return True


@transaction.atomic
def invite_buddy(*, case: Case, by: User, buddy: User) -> CaseMember:
    """The coordinator asks a matchable volunteer to be the buddy on this case.

    Until the volunteer accepts they see only the invitation, not the case.
    Refused (CaseWorkflowError, in Dutch) for a closed case, a volunteer not
    in the pool or not matchable (with the reasons), or one already on it.
    """
    if not has_role(by, Role.COORDINATOR):
        raise CaseWorkflowError("Alleen een coördinator koppelt een buddy.")
    locked = _locked(case)
    if not locked.is_open:
        raise CaseWorkflowError("Deze vraag is afgerond: heropen haar eerst.")
    profile = BuddyProfile.objects.filter(user=buddy).select_related("user").first()
    if profile is None:
        raise CaseWorkflowError(f"{_name(buddy)} staat niet in de buddypool.")
    if reasons := profile.why_not_matchable():
        raise CaseWorkflowError(
            f"{profile.name} kan nu niet gekoppeld worden: " + " ".join(reasons)
        )
    existing = CaseMember.objects.select_for_update().filter(case=locked, user=buddy).first()
    if existing and existing.status != MemberStatus.DECLINED:
        raise CaseWorkflowError(f"{profile.name} staat al op deze vraag.")
    now = timezone.now()
    if existing:  # declined before, asked again
        existing.role, existing.status = MemberRole.BUDDY, MemberStatus.INVITED
        existing.added_at, existing.added_by, existing.answered_at = now, by, None
        existing.save(update_fields=["role", "status", "added_at", "added_by", "answered_at"])
        member = existing
    else:
        member = CaseMember.objects.create(
            case=locked,
            user=buddy,
            role=MemberRole.BUDDY,
            status=MemberStatus.INVITED,
            added_at=now,
            added_by=by,
        )
    _event(locked, EventKind.BUDDY_INVITED, actor=by, detail=profile.name)
    if buddy.email:
        send_after_commit(notify_buddy_of_invitation, buddy.email)
    return member


@transaction.atomic
def answer_invitation(*, member: CaseMember, by: User, accept: bool) -> CaseMember:
    """The invited volunteer says yes (they see the case from now on) or no."""
    locked_case = _locked(member.case)
    locked = CaseMember.objects.select_for_update().get(pk=member.pk)
    if locked.user_id != by.pk:
        raise CaseWorkflowError("Deze uitnodiging is niet voor u.")
    if locked.status != MemberStatus.INVITED:
        raise CaseWorkflowError("U hebt deze uitnodiging al beantwoord.")
    if accept and not locked_case.is_open:
        raise CaseWorkflowError("Deze vraag is intussen afgerond.")
    locked.status = MemberStatus.ACCEPTED if accept else MemberStatus.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    _event(
        locked_case,
        EventKind.BUDDY_ACCEPTED if accept else EventKind.BUDDY_DECLINED,
        actor=by,
        detail=_name(by),
    )
    member.status, member.answered_at = locked.status, locked.answered_at
    return locked


@transaction.atomic
def add_reader(*, case: Case, by: User, reader: User) -> CaseMember:
    """A colleague reads along (meelezer): listed on the case, beside the behandelaar."""
    if not has_role(reader, Role.MEDEWERKER, Role.COORDINATOR):
        raise CaseWorkflowError("Een meelezer is een medewerker of coördinator.")
    locked = _locked(case)
    if reader.pk == locked.assignee_id:
        raise CaseWorkflowError(f"{_name(reader)} is al de behandelaar.")
    if CaseMember.objects.filter(case=locked, user=reader).exists():
        raise CaseWorkflowError(f"{_name(reader)} staat al op deze vraag.")
    member = CaseMember.objects.create(
        case=locked, user=reader, role=MemberRole.MEELEZER, added_by=by
    )
    _event(locked, EventKind.MEMBER_ADDED, actor=by, detail=f"Meelezer: {_name(reader)}")
    return member


@transaction.atomic
def remove_member(*, member: CaseMember, by: User) -> None:
    """Take a buddy or meelezer off the case (a buddy loses access at once)."""
    locked_case = _locked(member.case)
    locked = CaseMember.objects.select_for_update().filter(pk=member.pk).first()
    if locked is None:
        return
    label = f"{locked.get_role_display()}: {_name(locked.user)}"
    locked.delete()
    _event(locked_case, EventKind.MEMBER_REMOVED, actor=by, detail=label)


@transaction.atomic
def send_buddy_message(*, case: Case, by: User, body: str) -> Message:
    """The buddy writes to the asker in the conversation, beside the behandelaar.

    It does not move the case: the behandelaar's promise and status stay as
    they are, and a reply of the asker still waits for the behandelaar.
    """
    locked = _locked(case)
    if not CaseMember.objects.filter(
        case=locked, user=by, role=MemberRole.BUDDY, status=MemberStatus.ACCEPTED
    ).exists():
        raise CaseWorkflowError("U bent geen buddy op deze vraag.")
    message = Message.objects.create(case=locked, sender=Sender.STAFF, author=by, body=body)
    _event(locked, EventKind.BUDDY_MESSAGE, actor=by)
    if locked.email and locked.channel == Channel.EMAIL:
        # Asked by e-mail: the message goes by e-mail, as the behandelaar's answers do.
        send_after_commit(mailthread.mail_buddy_message, message.pk)
    elif locked.email:
        send_after_commit(notifications.notify_asker_of_answer, locked.pk)
    return message


def notify_buddies_of_reply(*, case: Case) -> None:
    """The asker wrote again: the buddies on the case hear of it (after the commit)."""
    emails = CaseMember.objects.filter(
        case=case, role=MemberRole.BUDDY, status=MemberStatus.ACCEPTED, user__is_active=True
    ).values_list("user__email", flat=True)
    for email in sorted({e for e in emails if e}):
        send_after_commit(notify_buddy_of_reply, email, case.pk)


@mail_task
def notify_buddy_of_reply(email: str, case_id: int) -> None:
    """A seintje to the buddy: the asker wrote. No content; the link needs a login."""
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse("steunen:case", args=[case_id])
        body = render_to_string("steunen/email/buddy_reply.txt", {"url": url})
    send_mail(
        subject="Een nieuwe reactie bij een vraag waar u buddy bent",
        message=body,
        from_email=None,
        recipient_list=[email],
    )


@mail_task
def notify_buddy_of_invitation(email: str) -> None:
    """A seintje to the volunteer: an invitation waits. No case content, no reference."""
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL.rstrip("/") + reverse("steunen:buddy_mine")
        body = render_to_string("steunen/email/buddy_invited.txt", {"url": url})
    send_mail(
        subject="Een nieuwe uitnodiging als buddy",
        message=body,
        from_email=None,
        recipient_list=[email],
    )
