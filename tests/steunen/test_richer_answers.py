"""Richer answers: a file with an answer, canned answers with placeholders, a promise per reply."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import actions
from steunen.canned import fill
from steunen.models import AskerType, Attachment, CannedAnswer, Case
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.factories import OrganisatieFactory
from tests.informeren.helpers import published_topic
from tests.steunen.helpers import ask, code_data
from tests.steunpunt.test_valid_html import java, vnu_errors  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")


def _asker(code: str) -> Client:
    client = Client()
    assert client.post(reverse("steunen:return"), code_data(code)).status_code == 302
    return client


def _answer(staff: Client, case: Case, body: str, upload=None):
    data = {"answer-body": body}
    if upload is not None:
        data["answer-attachment"] = upload
    return staff.post(reverse("steunen:case_answer", args=[case.pk]), data)


# --- A file with an answer -----------------------------------------------------------


def test_a_file_staff_send_with_an_answer_reaches_only_its_asker(medewerker, settings):
    staff = client_for(medewerker)
    askers = []
    for n in range(3):
        case, code = ask(f"Vraag {n}: welke school past?")
        upload = SimpleUploadedFile(f"folder{n}.pdf", PDF, content_type="application/pdf")
        assert _answer(staff, case, f"Hierbij de folder {n}.", upload).status_code == 302
        askers.append((case, _asker(code)))
    files = {a.case_id: a for a in Attachment.objects.all()}
    assert len(files) == 3
    for case, client in askers:
        mine = files[case.pk]
        assert mine.message is not None and mine.message.case_id == case.pk
        stored = (Path(settings.PRIVATE_FILES_ROOT) / mine.token).read_bytes()
        assert b"%PDF" not in stored  # encrypted on disk
        page = client.get(reverse("steunen:conversation")).text
        assert mine.download_name in page
        download = client.get(reverse("steunen:asker_attachment", args=[mine.token]))
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        assert download["Content-Disposition"].startswith("attachment;")
        for other in files.values():
            if other.case_id != case.pk:
                assert other.download_name not in page
                answer = client.get(reverse("steunen:asker_attachment", args=[other.token]))
                assert answer.status_code == 404


def test_staff_download_of_an_answer_file_is_audited(medewerker, coordinator):
    case, _code = ask()
    upload = SimpleUploadedFile("uitleg.pdf", PDF, content_type="application/pdf")
    _answer(client_for(medewerker), case, "Zie de uitleg.", upload)
    file = Attachment.objects.get()
    before = AuditEntry.objects.filter(actor=coordinator).count()
    colleague = client_for(coordinator)
    page = colleague.get(reverse("steunen:case", args=[case.pk])).text
    assert reverse("steunen:case_attachment", args=[case.pk, file.token]) in page
    download = colleague.get(reverse("steunen:case_attachment", args=[case.pk, file.token]))
    assert download.content.startswith(b"%PDF")
    entries = AuditEntry.objects.filter(actor=coordinator).order_by("id")[before:]
    assert [e.action for e in entries] == [AuditAction.CASE_VIEWED, AuditAction.CASE_EXPORTED]
    assert all(e.object_id == str(case.pk) for e in entries)


def test_a_file_that_is_not_allowed_is_refused_and_the_answer_kept(medewerker):
    case, _code = ask()
    upload = SimpleUploadedFile("script.exe", b"MZ\x90\x00 niet goed", content_type="text/plain")
    response = _answer(client_for(medewerker), case, "Mijn antwoord dat ik typte.", upload)
    assert response.status_code == 200
    assert "Alleen een PDF, PNG of JPG kan mee." in response.text
    assert "Mijn antwoord dat ik typte." in response.text
    assert not case.messages.filter(sender="staff").exists()
    assert not Attachment.objects.exists()


def test_a_file_too_large_is_refused(medewerker, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    case, _code = ask()
    upload = SimpleUploadedFile("groot.pdf", PDF + b"0" * 200, content_type="application/pdf")
    response = _answer(client_for(medewerker), case, "Met een groot bestand.", upload)
    assert "Dit bestand is te groot." in response.text
    assert not Attachment.objects.exists()


def test_erasure_removes_the_answer_file_from_the_disk(medewerker, settings):
    case, _code = ask()
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    _answer(client_for(medewerker), case, "Met bijlage.", upload)
    path = Path(settings.PRIVATE_FILES_ROOT) / Attachment.objects.get().token
    assert path.exists()
    actions.erase_personal_data(case=case, by=medewerker, reason="test")
    assert not path.exists() and not Attachment.objects.exists()


# --- Canned answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Beste {naamm}, welkom.", "{naamm} kennen wij niet."),
        (
            "Lees {onderwerp:bestaat-niet}.",
            "{onderwerp:bestaat-niet}: er is geen onderwerp met die korte naam.",
        ),
        ("Lees {onderwerp:}.", "Bij {onderwerp:} hoort de korte naam van een onderwerp"),
    ],
)
def test_an_unknown_placeholder_is_refused_and_the_text_kept(medewerker, body, message):
    staff = client_for(medewerker)
    response = staff.post(
        reverse("steunen:canned_answer_new"), {"title": "Proef", "body": body, "youth_body": ""}
    )
    assert response.status_code == 200
    assert message in response.text
    assert body in response.text  # what was typed is still there
    assert not CannedAnswer.objects.exists()


def test_an_unknown_placeholder_in_the_youth_text_is_refused_too(medewerker):
    response = client_for(medewerker).post(
        reverse("steunen:canned_answer_new"),
        {"title": "Proef", "body": "Hallo {naam}.", "youth_body": "Hoi {jij}!"},
    )
    assert "{jij} kennen wij niet." in response.text
    assert "Hoi {jij}!" in response.text
    assert not CannedAnswer.objects.exists()


def test_placeholders_are_filled_in_when_staff_insert_the_canned_answer(medewerker, settings):
    settings.STEUNPUNT_NAME = "Steunpunt Lindewaarde"
    settings.SITE_URL = "https://steunpunt.example.nl"
    published_topic("zorgplicht", title="Zorgplicht")
    staff = client_for(medewerker)
    response = staff.post(
        reverse("steunen:canned_answer_new"),
        {
            "title": "Zorgplicht",
            "body": (
                "Beste {naam},\nU hoort van {steunpunt} voor {beloofd}. "
                "Lees {onderwerp:zorgplicht}."
            ),
            "youth_body": "Hoi {naam}! Lees {onderwerp:zorgplicht}. Groet, {steunpunt}",
        },
    )
    assert response.status_code == 302
    canned = CannedAnswer.objects.get()
    # Asked on Thursday 3 December 2026: two working days later is Monday 7 December.
    with time_machine.travel(datetime(2026, 12, 3, 10, 0, tzinfo=AMSTERDAM), tick=False):
        case, _ = ask(name="Fatima de Vries")
    page = staff.get(reverse("steunen:case", args=[case.pk]), {"standaardantwoord": canned.pk})
    text = page.text
    assert "Beste Fatima de Vries," in text
    assert "U hoort van Steunpunt Lindewaarde voor maandag 7 december." in text
    assert "https://steunpunt.example.nl/informatie/zorgplicht/" in text

    with time_machine.travel(datetime(2026, 12, 3, 10, 0, tzinfo=AMSTERDAM), tick=False):
        anonymous, _ = ask()
    assert fill(canned, anonymous).startswith("Beste,\nU hoort van")  # no name: no gap

    young, _ = ask(asker_type=AskerType.JONGERE, name="Sem")
    filled = fill(canned, young)
    assert filled == (
        "Hoi Sem! Lees https://steunpunt.example.nl/informatie/zorgplicht/jongeren/. "
        "Groet, Steunpunt Lindewaarde"
    )
    child, _ = ask(asker_type=AskerType.KIND)
    assert fill(canned, child).startswith("Hoi! Lees https://steunpunt.example.nl/informatie/")
    assert "/zorgplicht/kinderen/" in fill(canned, child)


def test_without_a_youth_text_a_youth_gets_the_usual_text():
    canned = CannedAnswer.objects.create(title="Kort", body="Dank u wel, {naam}.")
    young, _ = ask(asker_type=AskerType.JONGERE)
    assert fill(canned, young) == "Dank u wel,."  # the name goes, with its space


def test_an_unpublished_topic_is_refused(medewerker):
    from informeren.models import Topic

    Topic.objects.create(slug="concept-pagina", title="Nog niet af")
    response = client_for(medewerker).post(
        reverse("steunen:canned_answer_new"),
        {"title": "Proef", "body": "Lees {onderwerp:concept-pagina}.", "youth_body": ""},
    )
    assert "{onderwerp:concept-pagina}: dat onderwerp is nog niet gepubliceerd." in response.text


# --- A promise for a reply after an answer -------------------------------------------


def test_a_reply_after_an_answer_gets_a_new_promise_shown_as_due(medewerker):
    # Asked Monday 30 November 2026; answered Tuesday; the asker writes again on Friday.
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM), tick=False):
        case, code = ask("Mijn zoon mag niet meer naar school.")
    first_promise = case.response_due_at
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM), tick=False):
        actions.send_answer(case=case, by=medewerker, body="Wij bellen de school.")
    with time_machine.travel(datetime(2026, 12, 4, 11, 0, tzinfo=AMSTERDAM), tick=False):
        page = _asker(code).post(
            reverse("steunen:conversation"), {"body": "De school belt niet terug."}, follow=True
        )
        assert "U krijgt uiterlijk dinsdag 8 december antwoord." in page.text
    case.refresh_from_db()
    # Same rule as the first promise: two working days (the weekend does not count).
    assert case.reply_due_at == datetime(2026, 12, 8, 11, 0, tzinfo=AMSTERDAM)
    assert case.response_due_at == first_promise  # the figures keep the first promise
    with time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=AMSTERDAM), tick=False):
        staff = client_for(medewerker)
        inbox = staff.get(reverse("steunen:inbox")).text
        assert 'badge--soon">Antwoord bijna te laat' in inbox
        soon = staff.get(reverse("steunen:inbox"), {"wachttijd": "bijna"}).text
        assert case.reference in soon
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=AMSTERDAM), tick=False):
        staff = client_for(medewerker)
        late = staff.get(reverse("steunen:inbox"), {"wachttijd": "te_laat"}).text
        assert case.reference in late and 'badge--late">Antwoord te laat' in late
        # Answered: nothing promised any more.
        actions.send_answer(case=case, by=medewerker, body="De school belt u morgen.")
        assert 'badge--late">Antwoord te laat' not in staff.get(reverse("steunen:inbox")).text


def test_a_second_reply_before_the_answer_keeps_the_first_reply_promise(medewerker):
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM), tick=False):
        case, _code = ask()
        actions.send_answer(case=case, by=medewerker, body="Antwoord.")
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM), tick=False):
        actions.reply_as_asker(case=case, body="Nog een vraag.")
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        actions.reply_as_asker(case=case, body="En nog een.")
    case.refresh_from_db()
    assert case.reply_due_at == datetime(2026, 12, 3, 10, 0, tzinfo=AMSTERDAM)
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=AMSTERDAM), tick=False):
        actions.send_answer(case=case, by=medewerker, body="Antwoord twee.")
        actions.reply_as_asker(case=case, body="Dank, en nog iets.")
    case.refresh_from_db()
    assert case.reply_due_at == datetime(2026, 12, 9, 10, 0, tzinfo=AMSTERDAM)


def test_a_youth_reads_the_reply_promise_in_je(medewerker):
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM), tick=False):
        case, code = ask("Ik word gepest.", asker_type=AskerType.JONGERE)
        actions.send_answer(case=case, by=medewerker, body="Wat vervelend. Vertel eens meer?")
        actions.reply_as_asker(case=case, body="Het gebeurt elke dag.")
        page = _asker(code).get(reverse("steunen:conversation")).text
    assert (
        "We hebben je reactie gekregen. Je krijgt uiterlijk woensdag 2 december antwoord." in page
    )


@pytest.mark.usefixtures("java")
def test_the_conversation_with_a_card_and_a_file_is_valid_html(medewerker, tmp_path):
    pages = {}
    for asker_type in (AskerType.OUDER, AskerType.JONGERE):
        case, code = ask(asker_type=asker_type)
        actions.refer(
            case=case,
            by=medewerker,
            organisatie=OrganisatieFactory(phone="030 1234567", website="https://a.example.nl"),
            consent="ja",
            handover=True,
            follow_up_on=timezone.localdate(),
        )
        upload = SimpleUploadedFile("folder.pdf", PDF, content_type="application/pdf")
        _answer(client_for(medewerker), case, "Zie https://steunpunt.example.nl/info/.", upload)
        pages[asker_type] = _asker(code).get(reverse("steunen:conversation")).text
    staff = client_for(medewerker)
    pages["follow_ups"] = staff.get(reverse("steunen:follow_ups")).text
    assert vnu_errors(pages, tmp_path) == {}


def test_an_asker_by_e_mail_gets_the_file_with_the_answer_mail(
    medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    from steunen.models import Channel

    case, _code = ask(channel=Channel.EMAIL, email="ouder@voorbeeld.nl")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_answer(
            case=case, by=medewerker, body="Hierbij de brief.", attachment=("pdf", PDF, "")
        )
    (mail,) = mailoutbox
    assert mail.to == ["ouder@voorbeeld.nl"]
    ((name, content, mimetype),) = mail.attachments
    assert name == Attachment.objects.get().download_name
    assert content == PDF and mimetype == "application/pdf"


def test_the_answer_box_says_truly_where_the_answer_goes(medewerker):
    on_the_web, _ = ask("Via de website.", email="ouder@voorbeeld.nl")
    by_mail, _ = ask("Per e-mail gevraagd.", email="ouder@voorbeeld.nl")
    Case.objects.filter(pk=by_mail.pk).update(channel="email")
    staff = client_for(medewerker)
    web_page = staff.get(reverse("steunen:case", args=[on_the_web.pk])).text
    assert "zonder de inhoud" in web_page
    assert "De vrager kan het downloaden bij het gesprek" in web_page
    mail_page = staff.get(reverse("steunen:case", args=[by_mail.pk])).text
    assert "zonder de inhoud" not in mail_page  # the mail carries the answer itself
    assert "met de tekst en het bestand erin" in mail_page
    assert "Het gaat mee in de e-mail aan de vrager." in mail_page
