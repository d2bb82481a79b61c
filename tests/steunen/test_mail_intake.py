"""Questions by e-mail: the steunpunt's mailbox, polled over IMAP with TLS, becomes cases.

Against a real Dovecot (IMAPS, self-signed certificate) and a real SMTP
receiver for what the portal sends (tests/steunen/mailserver.py).
"""

import io
import logging
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from steunen import actions, mailintake
from steunen.mailthread import subject_tag
from steunen.models import Case, Channel, Message, Sender
from steunpunt.models import TakenInMail
from steunpunt.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PARENT = "ouder.jansen@voorbeeld.example"
QUESTION = "Mijn zoon zit al drie weken thuis omdat de school geen plek heeft."


def mail(
    body: str = QUESTION,
    *,
    sender: str = f"Petra Jansen <{PARENT}>",
    subject: str = "Vraag over thuiszitten",
    message_id: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "info@steunpunt-lindewaarde.example"
    message["Subject"] = subject
    message["Message-ID"] = (
        message_id or f"<{abs(hash((body, subject, sender)))}@voorbeeld.example>"
    )
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def poll() -> str:
    out = io.StringIO()
    call_command("poll_mailbox", stdout=out)
    return out.getvalue()


def stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (our own names)
        return [row[0] for row in cursor.fetchall()]


def to_parent(sink) -> list:
    return [m for m in sink.messages() if m["To"] == PARENT]


def the_case() -> Case:
    (case,) = Case.objects.all()
    return case


def test_a_plain_mail_becomes_a_case_and_the_asker_gets_a_receipt_without_the_question(
    dovecot, smtp_sink
):
    UserFactory(username="sanne", email="sanne@steunpunt.example", roles=[Role.MEDEWERKER])
    dovecot.append(mail(message_id="<vraag-1@voorbeeld.example>"))
    assert "cases=1" in poll()

    case = the_case()
    assert case.channel == Channel.EMAIL
    assert case.email == PARENT
    assert case.name == "Petra Jansen"
    (message,) = case.messages.all()
    assert message.sender == Sender.ASKER
    assert QUESTION in message.body and "Vraag over thuiszitten" in message.body
    # At rest the question and the address are ciphertext, as for web questions.
    assert all(value.startswith("enc2:") for value in stored("steunen_message", "body"))
    assert all(value.startswith("enc2:") for value in stored("steunen_case", "email"))

    to_asker = [m for m in smtp_sink.messages() if PARENT in m["To"]]
    (receipt,) = to_asker
    assert subject_tag(case.pk) in receipt["Subject"]
    assert case.reference in receipt.get_content()
    assert "thuis" not in receipt.get_content() and "thuis" not in receipt["Subject"]
    assert receipt["Message-ID"] and receipt["In-Reply-To"] == "<vraag-1@voorbeeld.example>"
    assert receipt["Auto-Submitted"] == "auto-replied"
    # Staff hear of it as of any question, without its text.
    (to_staff,) = [m for m in smtp_sink.messages() if "sanne@" in m["To"]]
    assert "thuis" not in to_staff.get_content()

    assert dovecot.count("INBOX") == 0
    assert dovecot.count("Verwerkt") == 1


def test_an_html_mail_is_read_as_text_never_as_html(dovecot, smtp_sink):
    html = (
        "<html><head><style>p {color: red}</style><title>Titel</title></head><body>"
        "<p>Beste steunpunt,</p><p>Mijn dochter krijgt geen <b>extra</b> hulp &amp; "
        "de school zegt nee.</p><script>alert('x')</script><ul><li>OPP</li></ul>"
        "<img src='https://tracker.example/pixel.gif'></body></html>"
    )
    message = EmailMessage()
    message["From"] = PARENT
    message["Subject"] = "Hulp op school"
    message["Message-ID"] = "<html-1@voorbeeld.example>"
    message.set_content(html, subtype="html")
    dovecot.append(message)
    poll()

    body = the_case().messages.get().body
    assert "Mijn dochter krijgt geen extra hulp & de school zegt nee." in body
    assert "- OPP" in body
    assert "<" not in body and "alert" not in body and "color" not in body
    assert "tracker" not in body


def test_a_reply_with_the_token_joins_its_case(dovecot, smtp_sink):
    dovecot.append(mail(message_id="<vraag-2@voorbeeld.example>"))
    poll()
    case = the_case()
    (receipt,) = smtp_sink.messages()

    reply = mail(
        "Hij is inmiddels aangemeld bij een andere school.\n\n"
        "Op 2 dec. 2026 om 10:00 schreef Steunpunt <info@steunpunt-lindewaarde.example>:\n"
        "> Wij hebben uw e-mail goed ontvangen.\n",
        subject="Re: " + receipt["Subject"],
        message_id="<reply-1@voorbeeld.example>",
    )
    # A reply without the token in its subject finds the case by its headers.
    by_header = mail(
        "En hij heeft een OPP.",
        subject="nog iets",
        message_id="<reply-2@voorbeeld.example>",
        headers={"In-Reply-To": receipt["Message-ID"], "References": receipt["Message-ID"]},
    )
    dovecot.append(reply, by_header)
    assert "replies=2" in poll()

    assert Case.objects.count() == 1
    bodies = [m.body for m in case.messages.all()]
    assert bodies[1] == "Hij is inmiddels aangemeld bij een andere school."  # quote left off
    assert bodies[2] == "En hij heeft een OPP."
    case.refresh_from_db()
    assert case.unanswered_reply
    assert len(smtp_sink.messages()) == 1  # a reply gets no second receipt


def test_a_forged_or_borrowed_token_never_reaches_someone_elses_case(dovecot, smtp_sink):
    dovecot.append(mail(message_id="<vraag-3@voorbeeld.example>"))
    poll()
    case = the_case()
    real_tag = subject_tag(case.pk)
    forged_tag = f"[{case.reference}-{'a' * 8}]"
    assert forged_tag != real_tag

    dovecot.append(
        # A made-up token: a new case.
        mail("Geraden token.", subject=f"Re: {forged_tag}", message_id="<f-1@x.example>"),
        # The right token from another address: a new case too.
        mail(
            "Ander adres.",
            sender="iemand.anders@elders.example",
            subject=f"Re: {real_tag}",
            message_id="<f-2@x.example>",
        ),
        # A forged Message-ID in the references.
        mail(
            "Vervalste referentie.",
            subject="Re: vraag",
            message_id="<f-3@x.example>",
            headers={"In-Reply-To": f"<{case.reference}-zzzzzzzz.1@steunpunt-lindewaarde.example>"},
        ),
    )
    assert "cases=3" in poll()

    assert [m.body for m in case.messages.all()] == [case.messages.first().body]
    assert Case.objects.count() == 4
    assert Message.objects.exclude(case=case).count() == 3


def test_automatic_replies_and_bounces_are_ignored_and_never_answered(dovecot, smtp_sink):
    bounce = EmailMessage()
    bounce["From"] = "MAILER-DAEMON@mail.voorbeeld.example"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Message-ID"] = "<bounce-1@mail.voorbeeld.example>"
    bounce.set_content("The mail could not be delivered.")
    report = (
        b"From: postbus@elders.example\r\nSubject: Bericht\r\n"
        b"Message-ID: <report-1@elders.example>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; elders.example\r\n"
        b"--r--\r\n"
    )
    dovecot.append(
        mail("Ik ben afwezig.", subject="Afwezig", headers={"Auto-Submitted": "auto-replied"}),
        mail("Ik ben er niet.", subject="Hallo", headers={"X-Autoreply": "yes"}),
        mail("Nieuwsbrief", subject="Nieuws", headers={"Precedence": "bulk"}),
        mail("Weg", subject="Vakantie", headers={"Precedence": "auto_reply"}),
        mail("Tot maandag.", subject="Automatisch antwoord: Uw vraag"),
        bounce,
        report,
    )
    assert "ignored=7" in poll()

    assert Case.objects.count() == 0
    assert smtp_sink.messages() == []
    assert dovecot.count("INBOX") == 0
    assert dovecot.count("Genegeerd") == 7


def _pdf() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, format="PNG")
    return out.getvalue()


def test_attachments_pass_the_checks_of_uploads(dovecot, smtp_sink):
    message = mail("Hierbij het OPP en een foto van de brief.")
    message.add_attachment(_pdf(), maintype="application", subtype="pdf", filename="opp.pdf")
    message.add_attachment(_png(), maintype="image", subtype="png", filename="brief.png")
    message.add_attachment(
        b"MZ\x90\x00 not a document", maintype="application", subtype="pdf", filename="nep.pdf"
    )
    dovecot.append(message)
    poll()

    case = the_case()
    assert sorted(case.attachments.values_list("kind", flat=True)) == ["pdf", "png"]
    assert all(
        (attachment.size > 0 and b"not a document" not in _read(attachment))
        for attachment in case.attachments.all()
    )
    (receipt,) = smtp_sink.messages()
    text = receipt.get_content()
    assert "Bijlage 3: Alleen een PDF, PNG of JPG kan mee." in text
    assert "nep.pdf" not in text


def _read(attachment) -> bytes:
    from steunen.attachments import read

    return read(attachment)


def _deeply_nested(levels: int) -> bytes:
    head = b"From: ouder@voorbeeld.example\r\nSubject: x\r\nMessage-ID: <deep@x>\r\n"
    head += b"MIME-Version: 1.0\r\n"
    body = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(levels)
    )
    body += b"Content-Type: text/plain\r\n\r\nhoi\r\n"
    body += b"".join(b"--b%d--\r\n" % i for i in reversed(range(levels)))
    return head + body


def test_a_mail_that_breaks_the_parser_is_quarantined_not_lost_and_not_retried(dovecot, smtp_sink):
    UserFactory(username="coco", email="coco@steunpunt.example", roles=[Role.COORDINATOR])
    broken_header = (
        b"From: ouder@voorbeeld.example\r\nSubject: vraag\r\nMessage-ID: <\r\n\r\nTekst\r\n"
    )
    dovecot.append(_deeply_nested(1500), broken_header, mail("Een gewone vraag."))
    result = poll()

    assert "quarantined=2" in result and "cases=1" in result
    assert the_case().messages.get().body.endswith("Een gewone vraag.")
    assert dovecot.count("INBOX") == 0
    assert dovecot.count("Quarantaine") == 2
    # The coordinator is told where they wait, with nothing of the mails in it.
    (told,) = [m for m in smtp_sink.messages() if "niet worden gelezen" in m["Subject"]]
    assert told["To"] == "coco@steunpunt.example" and told["Subject"].startswith("2 e-mail(s)")
    assert 'map "Quarantaine"' in told.get_content() and "Tekst" not in told.get_content()
    assert "quarantined=0" in poll()  # not tried again


def test_a_mail_of_30_mb_is_kept_in_the_mailbox_and_the_sender_asked_to_send_less(
    dovecot, smtp_sink
):
    big = mail("Hierbij alle stukken.", message_id="<groot-1@voorbeeld.example>")
    big.add_attachment(
        b"\x00" * (22 * 1024 * 1024), maintype="application", subtype="pdf", filename="alles.pdf"
    )
    raw = big.as_bytes()
    assert len(raw) > 29 * 1024 * 1024
    dovecot.append(raw)
    assert "too_large=1" in poll()

    case = the_case()
    note = case.messages.get().body
    assert "te groot" in note and "Te-groot" in note
    (kept,) = dovecot.folder_messages("Te-groot")
    assert kept[1]["Message-ID"] == "<groot-1@voorbeeld.example>"
    assert kept[1].as_bytes().count(b"\n") > 100_000  # the whole mail, attachment and all
    (answer,) = smtp_sink.messages()
    assert subject_tag(case.pk) in answer["Subject"] and "25 MB" in answer.get_content()
    assert "stukken" not in answer.get_content()


def test_with_the_mail_server_away_the_poll_fails_cleanly_and_loses_nothing(
    dovecot, smtp_sink, caplog
):
    dovecot.append(mail(message_id="<wacht-1@voorbeeld.example>"))
    dovecot.stop()
    with caplog.at_level(logging.INFO), pytest.raises(CommandError, match="nothing was lost"):
        poll()
    assert Case.objects.count() == 0
    assert PARENT not in caplog.text and "thuis" not in caplog.text

    dovecot.start()
    ((flags, _waiting),) = dovecot.folder_messages("INBOX")
    assert b"\\Seen" not in flags  # not marked read by the failed poll
    assert "cases=1" in poll()
    assert PARENT not in caplog.text and "thuis" not in caplog.text


def test_polling_twice_or_reading_a_mail_again_makes_no_second_case(dovecot, smtp_sink):
    original = mail(message_id="<twee-1@voorbeeld.example>")
    dovecot.append(original)
    poll()
    assert "cases=0" in poll()
    # A poll stopped between the commit and moving the mail reads it again:
    # the same mail back in the folder changes nothing.
    dovecot.append(original)
    assert "duplicates=1" in poll()

    assert Case.objects.count() == 1 and Message.objects.count() == 1
    assert len(smtp_sink.messages()) == 1
    assert TakenInMail.objects.count() == 1
    assert dovecot.count("INBOX") == 0


def test_a_staff_answer_on_an_emailed_case_goes_out_by_mail_in_its_thread(
    dovecot, smtp_sink, medewerker
):
    dovecot.append(mail(message_id="<vraag-9@voorbeeld.example>"))
    poll()
    case = the_case()
    (receipt,) = to_parent(smtp_sink)

    actions.send_answer(case=case, by=medewerker, body="U kunt een gesprek met de school vragen.")
    answer = to_parent(smtp_sink)[-1]
    assert answer["To"] == PARENT
    assert subject_tag(case.pk) in answer["Subject"]
    assert "U kunt een gesprek met de school vragen." in answer.get_content()
    assert answer["In-Reply-To"] == receipt["Message-ID"]
    assert answer["Message-ID"] != receipt["Message-ID"]

    # The asker answers that mail: it joins the case.
    dovecot.append(
        mail(
            "Dank u, dat ga ik doen.",
            subject="Re: " + answer["Subject"],
            message_id="<vraag-9-re@voorbeeld.example>",
            headers={"In-Reply-To": answer["Message-ID"]},
        )
    )
    assert "replies=1" in poll()
    assert case.messages.last().body == "Dank u, dat ga ik doen."


def test_the_intake_is_off_without_a_mailbox(settings):
    settings.MAIL_INTAKE_HOST = ""
    assert "off" in poll()
    assert not mailintake.configured()


def test_the_scheduled_poll_takes_mail_in_and_waits_quietly_while_the_server_is_away(
    dovecot, smtp_sink
):
    from steunen.tasks import poll_mailbox

    dovecot.append(mail(message_id="<taak-1@voorbeeld.example>"))
    assert poll_mailbox.call()["cases"] == 1
    dovecot.stop()
    assert poll_mailbox.call() == {"unavailable": 1}
    assert Case.objects.count() == 1
