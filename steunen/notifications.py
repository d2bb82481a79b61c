"""Emails about cases. None of them carries the question, an answer or a code."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from steunen.models import Case
from steunpunt.mail import mail_task
from steunpunt.roles import Role, users_with_role


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def staff_addresses() -> list[str]:
    """Everyone who handles new questions: medewerkers and coordinators."""
    users = users_with_role(Role.MEDEWERKER, Role.COORDINATOR)
    return sorted({u.email for u in users if u.email})


def _mail_staff(
    recipients: list[str], subject: str, template: str, case_id: int, reference: str
) -> None:
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):  # staff read Dutch, at Dutch URLs
        url = _absolute(reverse("steunen:case", args=[case_id]))
        body = render_to_string(template, {"reference": reference, "url": url})
    send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)


@mail_task
def notify_staff_of_new_case(case_id: int, reference: str) -> None:
    _mail_staff(
        staff_addresses(),
        f"Nieuwe vraag {reference}",
        "steunen/email/staff_new_case.txt",
        case_id,
        reference,
    )


@mail_task
def notify_staff_of_reply(case_id: int, reference: str, assignee_email: str) -> None:
    _mail_staff(
        [assignee_email] if assignee_email else staff_addresses(),
        f"Nieuwe reactie op vraag {reference}",
        "steunen/email/staff_reply.txt",
        case_id,
        reference,
    )


def reader_addresses(case_id: int, *, besides: str = "") -> list[str]:
    """The meelezers of a case who may still read it, looked up when the mail goes.

    A meelezer is told only while they could open the case themselves
    (Case.objects.visible_to: an active medewerker or coordinator, not on the
    SWV board, the case not merged away); ``besides`` (the behandelaar's
    address, mailed already) is left out.
    """
    from steunen.buddies import CaseMember, MemberRole, MemberStatus  # models import it last

    readers = [
        member.user
        for member in CaseMember.objects.filter(
            case_id=case_id,
            role=MemberRole.MEELEZER,
            status=MemberStatus.ACCEPTED,
            user__is_active=True,
        ).select_related("user")
    ]
    return sorted(
        {
            reader.email
            for reader in readers
            if reader.email
            and reader.email != besides
            and Case.objects.visible_to(reader).filter(pk=case_id, erased_at__isnull=True).exists()
        }
    )


@mail_task
def notify_readers_of_reply(case_id: int, reference: str, assignee_email: str) -> None:
    """The asker wrote again: the meelezers hear of it as the behandelaar does.

    Without a behandelaar the whole team was mailed, meelezers included.
    """
    if not assignee_email:
        return
    _mail_staff(
        reader_addresses(case_id, besides=assignee_email),
        f"Nieuwe reactie op vraag {reference}, waar u meeleest",
        "steunen/email/reader_reply.txt",
        case_id,
        reference,
    )


@mail_task
def notify_readers_of_reopen(case_id: int, reference: str, assignee_email: str) -> None:
    """The asker asked to look at their question again: the meelezers hear of it too."""
    if not assignee_email:
        return
    _mail_staff(
        reader_addresses(case_id, besides=assignee_email),
        f"Vraag {reference}, waar u meeleest, is heropend na de beoordeling",
        "steunen/email/reader_reopened.txt",
        case_id,
        reference,
    )


@mail_task
def notify_staff_of_reopen(case_id: int, reference: str, assignee_email: str) -> None:
    """An asker, unhappy with the help, asked us to look at their question again."""
    _mail_staff(
        [assignee_email] if assignee_email else staff_addresses(),
        f"Vraag {reference} is heropend na de beoordeling",
        "steunen/email/staff_reopened.txt",
        case_id,
        reference,
    )


def _asker_email(case_id: int) -> tuple[str, str]:
    """Read at sending time: an asker who removed the case or the address gets nothing.

    With the language the question was asked in: the mail goes out in it.
    """
    found = Case.objects.filter(pk=case_id).values_list("email", "language").first()
    return found or ("", settings.LANGUAGE_CODE)


@mail_task
def notify_asker_of_answer(case_id: int) -> None:
    email, language = _asker_email(case_id)
    if not email:
        return
    with translation.override(language):
        send_mail(
            subject=_("Er is een nieuw antwoord"),
            message=render_to_string(
                "steunen/email/asker_new_answer.txt",
                {
                    "url": _absolute(reverse("steunen:return")),
                    "steunpunt_name": settings.STEUNPUNT_NAME,
                    "steunpunt_phone": settings.STEUNPUNT_PHONE,
                },
            ),
            from_email=None,
            recipient_list=[email],
        )


@mail_task
def invite_evaluation(case_id: int) -> None:
    email, language = _asker_email(case_id)
    if not email:
        return
    with translation.override(language):
        send_mail(
            subject=_("Hoe was onze hulp?"),
            message=render_to_string(
                "steunen/email/asker_evaluation.txt",
                {
                    "url": _absolute(reverse("steunen:return")),
                    "steunpunt_name": settings.STEUNPUNT_NAME,
                },
            ),
            from_email=None,
            recipient_list=[email],
        )


@mail_task
def notify_coordinators_of_unread_mail(count: int) -> None:
    """Mails the intake could not read wait in the mailbox's quarantine folder: a
    coordinator looks at them there. Nothing of those mails is in this one."""
    from steunen.mailintake import QUARANTINE_FOLDER

    coordinators = sorted({u.email for u in users_with_role(Role.COORDINATOR) if u.email})
    if not coordinators:
        return
    body = render_to_string(
        "steunen/email/staff_unread_mail.txt", {"count": count, "folder": QUARANTINE_FOLDER}
    )
    send_mail(
        subject=f"{count} e-mail(s) in de mailbox konden niet worden gelezen",
        message=body,
        from_email=None,
        recipient_list=coordinators,
    )
