"""The thread of an e-mailed case: its token, its Message-IDs, and the mails the asker gets.

A case that came in by e-mail is answered by e-mail. Every mail the
steunpunt sends on it carries the case's token in the subject
("[V00042-k7d9m2xq]") and in its Message-ID, so the asker's reply finds its
case again by either (steunen/mailintake.py). The token is an HMAC of the
case's number under a key of the site: whoever has not received a mail of
the case cannot make one up, and a wrong token is compared in constant time
and leads nowhere (the mail becomes a case of its own).

The receipt carries no question text; an answer carries what the staff
member wrote (the asker chose e-mail, and has no return code to read it with).
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from steunen import attachments
from steunen.models import CODE_ALPHABET, Case, Message, case_reference
from steunpunt.mail import mail_task

TOKEN_LENGTH = 8  # 8 symbols of 32: 40 bits
TOKEN_ALPHABET = CODE_ALPHABET.lower()
SUBJECT_TAG = re.compile(r"\[V(\d{5,12})-([0-9a-z]{8})\]", re.IGNORECASE)
# <V00042-k7d9m2xq.3f9a...@domain>: the Message-IDs of our own mails.
OUR_MESSAGE_ID = re.compile(r"<V(\d{5,12})-([0-9a-z]{8})\.[0-9a-z]+@", re.IGNORECASE)


def thread_token(case_id: int) -> str:
    key = hashlib.sha256(f"mail-thread:{settings.RETURN_CODE_KEY}".encode()).digest()
    digest = hmac.new(key, str(case_id).encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5])
    return "".join(TOKEN_ALPHABET[(number >> (5 * i)) & 31] for i in range(TOKEN_LENGTH))


def subject_tag(case_id: int) -> str:
    return f"[{case_reference(case_id)}-{thread_token(case_id)}]"


def intake_address() -> str:
    return settings.MAIL_INTAKE_ADDRESS


def _domain() -> str:
    return intake_address().rpartition("@")[2] or "steunpunt.invalid"


def thread_root_id(case_id: int) -> str:
    """The receipt's Message-ID: every later mail of the case refers to it."""
    return f"<{case_reference(case_id)}-{thread_token(case_id)}.0@{_domain()}>"


def new_message_id(case_id: int) -> str:
    return f"<{case_reference(case_id)}-{thread_token(case_id)}.{secrets.token_hex(8)}@{_domain()}>"


def _valid(number: str, token: str) -> int | None:
    case_id = int(number)
    return case_id if hmac.compare_digest(token.lower(), thread_token(case_id)) else None


def claimed_cases(subject: str, header_ids: str) -> list[int]:
    """The cases a mail says it belongs to, by a token that holds; best first.

    ``header_ids`` is In-Reply-To and References together. A token that does
    not hold is ignored, as if the mail named no case.
    """
    found = [
        *(m.groups() for m in SUBJECT_TAG.finditer(subject or "")),
        *(m.groups() for m in OUR_MESSAGE_ID.finditer(header_ids or "")),
    ]
    cases = [case_id for number, token in found if (case_id := _valid(number, token))]
    return list(dict.fromkeys(cases))


def _from() -> str:
    return f"{settings.STEUNPUNT_NAME} <{intake_address()}>"


def _send(
    *,
    case_id: int,
    to: str,
    subject: str,
    body: str,
    headers: dict[str, str],
    files: list[tuple[str, bytes, str]] | None = None,
) -> None:
    EmailMessage(
        subject=f"{subject} {subject_tag(case_id)}",
        body=body,
        from_email=_from(),
        to=[to],
        reply_to=[intake_address()],
        headers={"Message-ID": new_message_id(case_id), **headers},
        attachments=files or None,
    ).send()


def _asker(case_id: int) -> str:
    """Read at sending time: an erased case or a removed address gets nothing."""
    found = Case.objects.filter(pk=case_id, erased_at__isnull=True).values_list("email", flat=True)
    return found.first() or ""


def _clean_header_id(value: str) -> str:
    """A Message-ID to refer to, or "" for anything that is not one (no header injection)."""
    value = (value or "").strip()
    return value if re.fullmatch(r"<[^<>\s]{1,250}>", value) else ""


@mail_task
def send_receipt(case_id: int, in_reply_to: str = "", refused: list[str] | None = None) -> None:
    """Tell the asker that their mail is now a question, with its number; never its text."""
    _send_receipt(
        case_id,
        in_reply_to,
        refused or [],
        "steunen/email/mail_receipt.txt",
        thread_root_id(case_id),
    )


@mail_task
def send_too_large(case_id: int, in_reply_to: str = "") -> None:
    """A mail over MAIL_INTAKE_MAX_BYTES: kept in the mailbox, the asker asked to send less."""
    _send_receipt(
        case_id, in_reply_to, [], "steunen/email/mail_too_large.txt", new_message_id(case_id)
    )


def _send_receipt(
    case_id: int, in_reply_to: str, refused: list[str], template: str, message_id: str
) -> None:
    email = _asker(case_id)
    if not email:
        return
    body = render_to_string(
        template,
        {
            "reference": case_reference(case_id),
            "refused": refused,
            "steunpunt_name": settings.STEUNPUNT_NAME,
            "steunpunt_phone": settings.STEUNPUNT_PHONE,
            "days": settings.FIRST_RESPONSE_WORKING_DAYS,
            "max_mb": settings.MAIL_INTAKE_MAX_BYTES // (1024 * 1024),
        },
    )
    root = thread_root_id(case_id)
    parent = _clean_header_id(in_reply_to)
    headers = {
        # An automatic answer (RFC 3834): other robots do not answer it back.
        "Auto-Submitted": "auto-replied",
        "References": f"{parent} {root}".strip(),
    }
    if parent:
        headers["In-Reply-To"] = parent
    EmailMessage(
        # Nothing of the asker's mail in the subject: it may hold the question.
        subject=f"{_('Wij hebben uw e-mail ontvangen')} {subject_tag(case_id)}",
        body=body,
        from_email=_from(),
        to=[email],
        reply_to=[intake_address()],
        headers={"Message-ID": message_id, **headers},
    ).send()


def _mail_message(message_id: int, subject: str, template: str, *, files: bool) -> None:
    """A message of the steunpunt on an e-mailed case, as a mail in the case's thread
    (that asker has no code to read it with on the website); ``files``: with the
    files that went with it."""
    message = Message.objects.select_related("case").filter(pk=message_id).first()
    if message is None:
        return
    email = _asker(message.case_id)
    if not email:
        return
    root = thread_root_id(message.case_id)
    _send(
        case_id=message.case_id,
        to=email,
        subject=subject,
        body=render_to_string(
            template, {"body": message.body, "steunpunt_name": settings.STEUNPUNT_NAME}
        ),
        headers={"In-Reply-To": root, "References": root},
        files=[
            (file.download_name, attachments.read(file), attachments.CONTENT_TYPES[file.kind])
            for file in message.attachments.all()
        ]
        if files
        else None,
    )


@mail_task
def mail_answer(message_id: int) -> None:
    """A staff answer, with its file: this asker reads by e-mail."""
    _mail_message(
        message_id, _("Antwoord op uw vraag"), "steunen/email/mail_answer.txt", files=True
    )


@mail_task
def mail_buddy_message(message_id: int) -> None:
    """A buddy's message (a buddy sends no files)."""
    _mail_message(
        message_id, _("Bericht van uw buddy"), "steunen/email/mail_buddy.txt", files=False
    )
