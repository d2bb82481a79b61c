"""An expert outside the portal gets a link of their own for the advice asked of them.

Behind the signed link the expert reads the advice question (nothing else of the
case) and writes their advice once; it lands in the internal thread. A forged,
mistyped, expired, replaced or used link gets a calm Dutch page. Audited.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import actions, backoffice_actions, expertlinks
from steunen.backoffice import ConsultationReply
from steunen.expertlinks import ExpertLink
from steunen.models import CaseEvent, EventKind
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.steunen.helpers import ask
from tests.steunpunt.test_valid_html import java, vnu_errors  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

QUESTION = "Mijn dochter met dyslexie krijgt geen verlengde toetstijd meer. Mag dat?"
ADVICE_ASKED = "Mag een school de verlengde tijd zomaar stoppen? Wat zou jij de ouder adviseren?"
ADVICE = "Nee: het staat in het OPP. Laat de ouder een gesprek met de intern begeleider vragen."


def expert_consultation(medewerker):
    case, _ = ask(QUESTION)
    actions.send_answer(case=case, by=medewerker, body="Geheim antwoord aan de moeder 9911.")
    consultation = backoffice_actions.ask_advice(
        case=case, by=medewerker, question=ADVICE_ASKED, expert_name="J. de Vries"
    )
    return case, consultation


def link_on_case_page(staff: Client, case, consultation) -> str:
    response = staff.post(
        reverse("steunen:case_expert_link", args=[case.pk, consultation.pk]), follow=True
    )
    assert response.status_code == 200
    found = re.search(r'value="(http[^"]+/advies/[^"]+/)"', response.text)
    assert found, "the link is shown once on the case page"
    return found.group(1)


def path_of(url: str) -> str:
    return "/advies/" + url.split("/advies/", 1)[1]


def test_the_expert_reads_only_the_advice_question_and_writes_advice_once(
    medewerker, coordinator, django_capture_on_commit_callbacks
):
    medewerker.email = "sanne@steunpunt.example"
    medewerker.save()
    case, consultation = expert_consultation(medewerker)
    staff = client_for(medewerker)
    url = path_of(link_on_case_page(staff, case, consultation))
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPERT_LINK_MADE, actor=medewerker, object_id=str(case.pk)
    ).exists()

    expert = Client()
    page = expert.get(url)
    assert page.status_code == 200
    assert ADVICE_ASKED in page.text
    assert "Beste J. de Vries" in page.text
    # Nothing else of the case: not the asker's question, nor the answer, nor the reference.
    for secret in (QUESTION, "9911", case.reference):
        assert secret not in page.text
    assert page["X-Robots-Tag"] == "noindex"
    opened = AuditEntry.objects.get(action=AuditAction.EXPERT_LINK_OPENED)
    assert opened.actor is None and opened.actor_username == "deskundige J. de Vries"
    assert opened.object_id == str(case.pk)

    # An empty advice: a Dutch message, nothing saved, the link still works.
    empty = expert.post(url, {"body": "   "})
    assert "Schrijf eerst uw advies." in empty.text
    assert not ConsultationReply.objects.exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = expert.post(url, {"body": ADVICE})
    assert "Dank u wel voor uw advies" in done.text
    reply = ConsultationReply.objects.get()
    assert (reply.body, reply.author, reply.expert_name) == (ADVICE, None, "J. de Vries")
    consultation.refresh_from_db()
    assert consultation.answered_at is not None
    event = CaseEvent.objects.filter(case=case, kind=EventKind.ADVICE_GIVEN).get()
    assert "J. de Vries" in event.detail and ADVICE not in event.detail
    assert AuditEntry.objects.filter(action=AuditAction.EXPERT_ADVICE_GIVEN).count() == 1
    (told,) = mail.outbox
    assert told.to == ["sanne@steunpunt.example"] and ADVICE not in told.body

    # The advice is in the internal thread on the case page, by the expert.
    case_page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert ADVICE in case_page and "J. de Vries (via de advieslink)" in case_page
    # The asker never sees it.
    assert ADVICE not in actions.conversation_text(case)

    # Used: once only.
    again = expert.get(url)
    assert again.status_code == 410
    assert "U heeft uw advies al gegeven" in again.text
    twice = expert.post(url, {"body": "Nog iets."})
    assert twice.status_code == 410
    assert ConsultationReply.objects.count() == 1


def test_a_forged_or_mistyped_link_gets_a_calm_page(medewerker):
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    link = ExpertLink.objects.get()
    forged = [
        url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:],  # one character off
        "/advies/niets/",
        # Signed right, but with a nonce of our own: no such link.
        "/advies/"
        + signing.dumps([link.pk, "geraden"], salt=expertlinks.SALT, compress=False)
        + "/",
        # Another salt (another kind of signed value of the site).
        "/advies/" + signing.dumps([link.pk, "x"], compress=False) + "/",
    ]
    for each in forged:
        page = Client().get(each)
        assert page.status_code == 404, each
        assert "Deze link kennen we niet" in page.text
        assert ADVICE_ASKED not in page.text
    assert not AuditEntry.objects.filter(action=AuditAction.EXPERT_LINK_OPENED).exists()


def test_an_expired_link_and_a_replaced_link_stop_working(medewerker):
    case, consultation = expert_consultation(medewerker)
    staff = client_for(medewerker)
    first = path_of(link_on_case_page(staff, case, consultation))
    second = path_of(link_on_case_page(staff, case, consultation))
    replaced = Client().get(first)
    assert replaced.status_code == 410 and "Deze link is verlopen" in replaced.text
    assert Client().get(second).status_code == 200

    ExpertLink.objects.filter(replaced_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = Client().post(second, {"body": ADVICE})
    assert expired.status_code == 410 and "Deze link is verlopen" in expired.text
    assert not ConsultationReply.objects.exists()


def test_the_signature_itself_expires(medewerker, settings, monkeypatch):
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    later = timezone.now() + timedelta(days=expertlinks.LINK_VALID_DAYS, minutes=1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    page = Client().get(url)
    assert page.status_code == 410 and "Deze link is verlopen" in page.text


def test_an_erased_case_closes_the_link(medewerker):
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    actions.erase_personal_data(case=case, by=medewerker, reason="op verzoek")
    page = Client().get(url)
    assert page.status_code in (404, 410)
    assert ADVICE_ASKED not in page.text


def test_a_link_only_for_an_expert_outside_the_portal(medewerker, coordinator):
    case, _ = ask()
    colleague = backoffice_actions.ask_advice(
        case=case, by=medewerker, consultee=coordinator, question="Wat vind jij?"
    )
    response = client_for(medewerker).post(
        reverse("steunen:case_expert_link", args=[case.pk, colleague.pk])
    )
    assert response.status_code == 404
    assert not ExpertLink.objects.exists()


def test_a_link_stored_in_the_database_cannot_be_rebuilt_from_it(medewerker):
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    link = ExpertLink.objects.get()
    nonce = signing.loads(url.split("/")[2], salt=expertlinks.SALT)[1]
    assert nonce not in str(ExpertLink.objects.values().get())
    assert link.nonce_hash != nonce


@pytest.mark.usefixtures("java")
def test_the_expert_pages_are_valid_html(medewerker, tmp_path):
    case, consultation = expert_consultation(medewerker)
    staff = client_for(medewerker)
    url = path_of(link_on_case_page(staff, case, consultation))
    expert = Client()
    pages = {
        "question": expert.get(url).text,
        "empty advice": expert.post(url, {"body": ""}).text,
        "unknown": expert.get("/advies/niets/").text,
        "case page with the link": staff.post(
            reverse("steunen:case_expert_link", args=[case.pk, consultation.pk])
        ).text,
    }
    pages["done"] = expert.post(url, {"body": ADVICE}).text
    pages["used"] = expert.get(url).text
    assert vnu_errors(pages, tmp_path) == {}
