"""Questions mailed to the steunpunt's mailbox become cases (polled over IMAP with TLS).

``poll()`` (``manage.py poll_mailbox``, and the scheduler every five
minutes: steunen/tasks.py) reads every mail in MAIL_INTAKE_FOLDER and moves
each one out of it once it is handled, so no mail is read twice and none is
lost:

- a question or a reply becomes (part of) a case; the mail moves to
  ``Verwerkt`` only after the case is committed. A reply finds its case by
  the token in the subject or in In-Reply-To/References (steunen/mailthread.py),
  and only when it comes from the address the case has: anything else is a
  new case.
- an automatic answer (out of office, Auto-Submitted, Precedence: bulk) or
  a bounce moves to ``Genegeerd`` untouched, and is never answered (no loops);
- a mail over MAIL_INTAKE_MAX_BYTES is not downloaded: its headers make a
  case that says so (or join their case), the mail stays whole in
  ``Te-groot`` for staff to read in a mail program, and the sender is asked
  to send it again smaller;
- a mail the parser cannot read moves to ``Quarantaine`` at once, so it is
  neither lost nor tried again on every poll.

When the mail server or the database is away the poll stops with
``MailboxUnavailable``; what was not yet handled stays where it was and the
next poll takes it. A mail committed but not yet moved (the poll stopped in
between) is known by its ``TakenInMail`` key and is only moved next time.

Mail bodies are parsed, never rendered: HTML is reduced to its text by a
parser that only collects text (no scripts, styles or links followed).
Attachments pass the checks of uploads (steunen/attachments.py). The log
names counts, message numbers and error types: never a text or an address.
"""

import contextlib
import email
import email.policy
import hashlib
import imaplib
import logging
import re
import socket
import ssl
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage, MIMEPart
from html.parser import HTMLParser
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steunen import attachments, mailthread, notifications
from steunen.actions import reply_as_asker, submit_question
from steunen.models import AskerType, Case, Channel, ContactPreference
from steunpunt.crypto import blind_index
from steunpunt.mail import send_after_commit
from steunpunt.models import TakenInMail

logger = logging.getLogger(__name__)

DONE_FOLDER = "Verwerkt"
IGNORED_FOLDER = "Genegeerd"
QUARANTINE_FOLDER = "Quarantaine"
TOO_LARGE_FOLDER = "Te-groot"
FOLDERS = (DONE_FOLDER, IGNORED_FOLDER, QUARANTINE_FOLDER, TOO_LARGE_FOLDER)

# A mail is longer than any web question may be (5,000): a letter pasted in.
TEXT_MAX_LENGTH = 50_000
TAKEN_IN_KEPT = timedelta(days=30)


class MailboxUnavailable(Exception):
    """The mail server or the database is away: stop now, the next poll goes on."""


def configured() -> bool:
    return bool(settings.MAIL_INTAKE_HOST)


# --- Reading a mail ---------------------------------------------------------


class _TextOfHtml(HTMLParser):
    """Only the text of an HTML mail, with paragraphs and list items on lines of their own."""

    SKIPPED = {"script", "style", "head", "title", "template", "noscript", "svg", "object"}
    BLOCKS = {
        "p", "div", "br", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "section", "article", "header", "footer",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# "Op 3 dec. 2026 om 10:00 schreef Steunpunt <...>:" and its English sisters.
ATTRIBUTION = re.compile(r"^\s*(Op .+ schreef .+:|On .+ wrote:|-{2,} ?Original Message ?-{2,})\s*$")


def without_quoted_tail(text: str) -> str:
    """A reply without the earlier mail quoted beneath it (only when all of the tail is quoted)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        rest = [each for each in lines[index + 1 :] if each.strip()]
        if ATTRIBUTION.match(line) and all(each.lstrip().startswith(">") for each in rest):
            return "\n".join(lines[:index]).rstrip()
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(lines).rstrip() or text.strip()


AUTO_SUBJECTS = (
    "automatisch antwoord", "automatische reactie", "automatic reply", "autoreply", "auto:",
    "out of office", "afwezigheidsmelding", "abwesenheitsnotiz", "réponse automatique",
    "undeliverable", "onbestelbaar", "delivery status notification", "mail delivery failed",
)  # fmt: skip
ROBOT_SENDERS = ("mailer-daemon@", "postmaster@")


def automatic_reason(message: EmailMessage, sender: str) -> str:
    """Why this mail was sent by a machine ("" when a person wrote it)."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto-submitted"
    if any(message.get(name) for name in ("X-Autoreply", "X-Autorespond", "X-Autogenerated")):
        return "autoreply"
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return "precedence"
    if message.get_content_type() == "multipart/report" or message.get("X-Failed-Recipients"):
        return "bounce"
    if str(message.get("Return-Path", "")).strip() == "<>" or sender.startswith(ROBOT_SENDERS):
        return "bounce"
    if str(message.get("Subject", "")).strip().lower().startswith(AUTO_SUBJECTS):
        return "out-of-office"
    if sender and sender in {mailthread.intake_address().lower(), _address(_default_from())}:
        return "own"  # our own mail come back: never answer it
    return ""


def _default_from() -> str:
    return settings.DEFAULT_FROM_EMAIL


def _address(value: str) -> str:
    return email.utils.parseaddr(value)[1].strip().lower()


@dataclass
class IncomingMail:
    """What the intake needs of one mail. Content stays in memory; nothing here is logged."""

    key: str
    sender: str  # "" when the mail names no usable address: a case without contact
    sender_name: str
    message_id: str
    subject: str
    header_ids: str  # In-Reply-To and References
    automatic: str  # why a machine sent it, "" for a person
    text: str = ""
    files: list[tuple[str, bytes, str]] = field(default_factory=list)  # attachments.prepare()
    refused: list[str] = field(default_factory=list)  # Dutch, for the asker
    size: int = 0


def _payload(part: MIMEPart) -> bytes:
    """A leaf part's content, as sent (decoded from base64 or quoted-printable)."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _text_of(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # a charset Python does not know
        content = _payload(part).decode("utf-8", errors="replace")
    if not isinstance(content, str):
        content = bytes(content).decode("utf-8", errors="replace")
    return html_to_text(content) if part.get_content_subtype() == "html" else content.strip()


def _collect(part: MIMEPart, texts: list[str], files: list[bytes]) -> None:
    """The texts a person reads and the files they attached, from one part and those inside it."""
    content_type = part.get_content_type()
    if content_type == "message/rfc822":  # a forwarded mail: its text is part of the question
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) else inner
        texts.append("--- " + _("Doorgestuurd bericht") + " ---")
        _collect(cast(MIMEPart, inner), texts, files)  # parsed with the default policy
        return
    if part.is_multipart():
        children = list(part.iter_parts())
        if part.get_content_subtype() == "alternative" and children:
            # The same text twice: plain text when there is one, else the last (richest).
            plain = [c for c in children if c.get_content_type() == "text/plain"]
            children = [plain[-1] if plain else children[-1]]
        for child in children:
            _collect(child, texts, files)
        return
    is_file = part.get_content_disposition() == "attachment" or part.get_filename()
    if content_type in ("text/plain", "text/html") and not is_file:
        if text := _text_of(part):
            texts.append(text)
    else:
        files.append(_payload(part))


def _mail_key(message_id: str, sender: str, raw: bytes) -> str:
    """The same mail gives the same key, whichever copy and however often it is read."""
    identity = message_id or hashlib.sha256(raw).hexdigest()
    return blind_index(f"{identity}\x00{sender}", purpose="mail-intake")


def parse(raw: bytes, *, headers_only: bool = False) -> IncomingMail:
    """Read a mail (or, for one too large to fetch, only its headers).

    Any exception here means the mail cannot be read: the poller quarantines it.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    from_header = message.get("From")
    addresses = getattr(from_header, "addresses", ()) if from_header is not None else ()
    sender = addresses[0].addr_spec.strip().lower() if addresses else ""
    if "@" not in sender or len(sender) > 254:
        sender = ""
    sender_name = (addresses[0].display_name or "")[:100] if addresses and sender else ""
    message_id = str(message.get("Message-ID", "")).strip()
    mail = IncomingMail(
        key=_mail_key(message_id, sender, raw),
        sender=sender,
        sender_name=sender_name,
        message_id=message_id,
        subject=" ".join(str(message.get("Subject", "")).split())[:500],
        header_ids=f"{message.get('In-Reply-To', '')} {message.get('References', '')}",
        automatic=automatic_reason(message, sender),
        size=len(raw),
    )
    if headers_only or mail.automatic:
        return mail
    texts: list[str] = []
    found: list[bytes] = []
    _collect(message, texts, found)
    mail.text = "\n\n".join(texts)
    for number, data in enumerate(found, start=1):
        if len(mail.files) >= settings.ASKER_FILES_PER_DAY:
            mail.refused.append(
                _("Bijlage %(n)d: er kunnen hooguit %(max)d bijlagen mee met één e-mail.")
                % {"n": number, "max": settings.ASKER_FILES_PER_DAY}
            )
            continue
        try:
            mail.files.append(attachments.prepare(ContentFile(data)))
        except ValidationError as error:
            mail.refused.append(
                _("Bijlage %(n)d: %(reason)s") % {"n": number, "reason": " ".join(error.messages)}
            )
    return mail


def question_text(mail: IncomingMail, *, reply: bool) -> str:
    """What staff read of a mail: its subject (people put their question there) and its text."""
    text = without_quoted_tail(mail.text) if reply else mail.text.strip()
    if len(text) > TEXT_MAX_LENGTH:
        text = text[:TEXT_MAX_LENGTH] + "\n\n" + _("[De rest van deze e-mail is weggelaten.]")
    if mail.subject and not reply:
        text = _("Onderwerp: %(subject)s") % {"subject": mail.subject} + "\n\n" + text
    if not text.strip():
        text = _("(Deze e-mail had geen tekst.)")
    return text.strip()


# --- Taking a mail in -------------------------------------------------------


class Outcome:
    CASE = "case"
    REPLY = "reply"
    TOO_LARGE = "too_large"
    DUPLICATE = "duplicate"


def threaded_case(mail: IncomingMail) -> Case | None:
    """The case this mail answers: a token that holds AND the address that case has."""
    if not mail.sender:
        return None
    for case_id in mailthread.claimed_cases(mail.subject, mail.header_ids):
        case = Case.objects.filter(pk=case_id).first()
        while case is not None and case.merged_into_id:
            case = case.merged_into
        if case is None or case.erased_at is not None or not case.email:
            continue
        if case.email.strip().lower() == mail.sender:
            return case
    return None


def take_in(mail: IncomingMail, *, too_large: bool = False) -> str:
    """Make ``mail`` a new case or a reply on its case, with its files; in one transaction.

    The TakenInMail key is written in the same transaction: a mail read a
    second time is a DUPLICATE, and its transaction is rolled back whole.
    """
    try:
        with transaction.atomic():
            # First: a mail taken in before fails here, before any file is written.
            TakenInMail.objects.create(key=mail.key)
            outcome = _take_in(mail, too_large=too_large)
    except IntegrityError:
        if TakenInMail.objects.filter(key=mail.key).exists():
            return Outcome.DUPLICATE
        raise
    return outcome


def _take_in(mail: IncomingMail, *, too_large: bool) -> str:
    if too_large:
        text = _(
            "Deze e-mail was te groot om in te lezen (%(mb).1f MB). Hij staat in de map "
            "'%(folder)s' van de mailbox van het steunpunt. De afzender kreeg bericht en is "
            "gevraagd het kleiner opnieuw te sturen."
        ) % {"mb": mail.size / (1024 * 1024), "folder": TOO_LARGE_FOLDER}
    case = threaded_case(mail)
    if case is not None:
        reply_as_asker(case=case, body=text if too_large else question_text(mail, reply=True))
        outcome = Outcome.REPLY
    else:
        case, _code = submit_question(  # the return code is never sent by mail
            asker_type=AskerType.ANDER,
            question=text if too_large else question_text(mail, reply=False),
            channel=Channel.EMAIL,
            name=mail.sender_name,
            contact_preference=ContactPreference.EMAIL if mail.sender else ContactPreference.NONE,
            email=mail.sender,
        )
        outcome = Outcome.CASE
    for prepared in mail.files:
        attachments.store(case, prepared)
    if mail.sender and too_large:
        send_after_commit(mailthread.send_too_large, case.pk, mail.message_id)
    elif mail.sender and outcome == Outcome.CASE:
        send_after_commit(mailthread.send_receipt, case.pk, mail.message_id, mail.refused)
    return Outcome.TOO_LARGE if too_large else outcome


def prune_taken_in_mail() -> int:
    return TakenInMail.objects.filter(taken_at__lt=timezone.now() - TAKEN_IN_KEPT).delete()[0]


# --- The mailbox ------------------------------------------------------------


@dataclass
class PollResult:
    cases: int = 0
    replies: int = 0
    too_large: int = 0
    ignored: int = 0
    quarantined: int = 0
    duplicates: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(response: tuple[str, list[Any]]) -> list[Any]:
    status: str
    data: list[Any]
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP answered {status}")
    return data


class Mailbox:
    """One IMAP session on the intake folder: list, fetch without marking read, move."""

    def __init__(self) -> None:
        context = ssl.create_default_context(cafile=settings.MAIL_INTAKE_CA_FILE or None)
        timeout = settings.MAIL_INTAKE_TIMEOUT
        host, port = settings.MAIL_INTAKE_HOST, settings.MAIL_INTAKE_PORT
        if settings.MAIL_INTAKE_STARTTLS:
            self.imap = imaplib.IMAP4(host, port, timeout=timeout)
            self.imap.starttls(ssl_context=context)
        else:
            self.imap = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
        # Commands are short and answered one by one: no waiting for more to send.
        self.imap.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            _check(self.imap.login(settings.MAIL_INTAKE_USER, settings.MAIL_INTAKE_PASSWORD))
            for folder in FOLDERS:
                self.imap.create(_quoted(folder))  # "already exists" is fine
            _check(self.imap.select(_quoted(settings.MAIL_INTAKE_FOLDER)))
        except BaseException:
            self.close()
            raise
        # imaplib keeps the capabilities from before the login; ask again.
        capabilities = _check(self.imap.capability())[0].upper().split()
        self.can_move = b"MOVE" in capabilities
        self.expunge_needed = False

    def sizes(self) -> dict[int, int]:
        """Every mail waiting in the folder: its UID and its size, oldest first."""
        uids = _check(self.imap.uid("SEARCH", "UNDELETED"))[0].split()
        if not uids:
            return {}
        found = {}
        for item in _check(self.imap.uid("FETCH", b",".join(uids).decode(), "(RFC822.SIZE)")):
            match = re.search(rb"UID (\d+)", item or b"")
            size = re.search(rb"RFC822\.SIZE (\d+)", item or b"")
            if match and size:
                found[int(match[1])] = int(size[1])
        return dict(sorted(found.items()))

    def fetch_many(self, uids: list[int], *, headers_only: bool = False) -> dict[int, bytes]:
        """These mails (or their headers) by UID, without setting \\Seen; gone ones left out."""
        if not uids:
            return {}
        what = "(BODY.PEEK[HEADER])" if headers_only else "(BODY.PEEK[])"
        found = {}
        for item in _check(self.imap.uid("FETCH", ",".join(map(str, uids)), what)):
            if isinstance(item, tuple) and (match := re.search(rb"UID (\d+)", item[0])):
                found[int(match[1])] = item[1]
        return found

    def move_many(self, moves: dict[str, list[int]]) -> None:
        for folder, uids in moves.items():
            if uids:
                self.move(",".join(map(str, uids)), folder)

    def move(self, uids: str, folder: str) -> None:
        if self.can_move:
            _check(self.imap.uid("MOVE", uids, _quoted(folder)))
            return
        _check(self.imap.uid("COPY", uids, _quoted(folder)))
        _check(self.imap.uid("STORE", uids, "+FLAGS.SILENT", r"(\Deleted)"))
        self.expunge_needed = True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if getattr(self, "expunge_needed", False):
                self.imap.expunge()
        with contextlib.suppress(Exception):
            self.imap.logout()


TRANSIENT = (imaplib.IMAP4.error, imaplib.IMAP4.abort, OSError, DatabaseError)
# Mails fetched in one IMAP command, taken in under one commit and then moved
# in one command per folder: a round trip per mail would cost more than
# taking it in.
FETCH_BATCH = 50
FETCH_BATCH_BYTES = 32 * 1024 * 1024


def _batches(sizes: dict[int, int]) -> list[list[int]]:
    batches: list[list[int]] = [[]]
    total = 0
    for uid, size in sizes.items():
        size = min(size, 64 * 1024) if size > settings.MAIL_INTAKE_MAX_BYTES else size
        if batches[-1] and (len(batches[-1]) >= FETCH_BATCH or total + size > FETCH_BATCH_BYTES):
            batches.append([])
            total = 0
        batches[-1].append(uid)
        total += size
    return [batch for batch in batches if batch]


def poll() -> PollResult:
    """Take in every mail waiting in the intake folder. Raises MailboxUnavailable."""
    result = PollResult()
    try:
        prune_taken_in_mail()
        mailbox = Mailbox()
    except TRANSIENT as error:
        logger.warning("Mailbox not polled: %s", type(error).__name__)
        raise MailboxUnavailable(type(error).__name__) from error
    try:
        sizes = mailbox.sizes()
        for batch in _batches(sizes):
            large = [uid for uid in batch if sizes[uid] > settings.MAIL_INTAKE_MAX_BYTES]
            fetched = mailbox.fetch_many([uid for uid in batch if uid not in large])
            fetched |= mailbox.fetch_many(large, headers_only=True)
            moves: dict[str, list[int]] = {}
            # One commit for the batch (each mail in a savepoint of its own):
            # a disk flush per mail would cost more than taking it in.
            with transaction.atomic():
                for uid in batch:
                    if uid in fetched:
                        folder = _handle(uid, fetched.pop(uid), sizes[uid], result)
                        moves.setdefault(folder, []).append(uid)
            # Only after the commit: what the batch took in moves out of the folder.
            mailbox.move_many(moves)
    except TRANSIENT as error:
        logger.warning(
            "Mailbox poll stopped (%s); the rest waits for the next poll", type(error).__name__
        )
        raise MailboxUnavailable(type(error).__name__) from error
    finally:
        mailbox.close()
        logger.info("Mailbox polled: %s", result.as_dict())
        if result.quarantined:
            # Nothing is lost, but nobody would know: the coordinators hear of it.
            send_after_commit(notifications.notify_coordinators_of_unread_mail, result.quarantined)
    return result


def _handle(uid: int, raw: bytes, size: int, result: PollResult) -> str:
    """Take in one mail; the folder it moves to."""
    too_large = size > settings.MAIL_INTAKE_MAX_BYTES
    try:
        mail = parse(raw, headers_only=too_large)
        mail.size = size
    except Exception as error:  # whatever a hostile mail makes the parser do
        logger.warning("Mail %d cannot be read (%s): quarantined", uid, type(error).__name__)
        result.quarantined += 1
        return QUARANTINE_FOLDER
    if mail.automatic:
        logger.info("Mail %d ignored: %s", uid, mail.automatic)
        result.ignored += 1
        return IGNORED_FOLDER
    try:
        outcome = take_in(mail, too_large=too_large)
    except TRANSIENT:
        raise
    except Exception as error:  # a mail that breaks the intake must not block the others
        # No traceback: its messages could quote the mail.
        logger.warning("Mail %d not taken in (%s): quarantined", uid, type(error).__name__)
        result.quarantined += 1
        return QUARANTINE_FOLDER
    if outcome == Outcome.CASE:
        result.cases += 1
    elif outcome == Outcome.REPLY:
        result.replies += 1
    elif outcome == Outcome.TOO_LARGE:
        result.too_large += 1
    else:
        result.duplicates += 1
    return TOO_LARGE_FOLDER if too_large else DONE_FOLDER
