"""The back office of a case (issue 23 item 5): advice from a colleague or an expert in a
thread the asker never sees, with its own mail and promise; escalation to the coordinator."""

import re
from datetime import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import actions, backoffice_actions
from steunen.backoffice import Consultation, ConsultationReply, Escalation
from steunen.models import CaseEvent, ContactPreference, EventKind
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.steunen.helpers import ask, code_data

INBOX = "/medewerkers/vragen/"
QUESTION = "Mag de school mijn dochter van de plusklas halen?"
ADVICE_QUESTION = "Heeft de school hier een OPP voor nodig, denk jij? (intern)"
ADVICE_REPLY = "Ja: zonder OPP kan dat niet, wijs de ouder op de zorgplicht. (intern)"
REASON = "Ouder dreigt met de pers; graag meekijken (intern)."


def at(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


@pytest.fixture(autouse=True)
def monday(db, time_machine):
    time_machine.move_to(at(2026, 12, 7, 10, 0), tick=False)


@pytest.fixture
def asked():
    return ask(
        QUESTION, contact_preference=ContactPreference.EMAIL, email="ouder@voorbeeld.example"
    )


def _advice_url(case) -> str:
    return reverse("steunen:case_advice", args=[case.pk])


def test_a_colleague_is_asked_mailed_without_the_question_and_sees_it_in_their_to_do(
    asked, medewerker, coordinator, django_capture_on_commit_callbacks
):
    case, _code = asked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(medewerker).post(
            _advice_url(case),
            {"advice-consultee": str(coordinator.pk), "advice-question": ADVICE_QUESTION},
        )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.consultee == coordinator and consultation.asked_by == medewerker
    # Its own promise: two working days.
    assert consultation.due_at == at(2026, 12, 9, 10, 0)
    (sent,) = mail.outbox
    assert sent.to == [coordinator.email]
    assert case.reference in sent.subject and "woensdag 9 december" in sent.subject
    assert ADVICE_QUESTION not in sent.body and QUESTION not in sent.body
    assert reverse("steunen:case", args=[case.pk]) in sent.body
    event = CaseEvent.objects.get(kind=EventKind.ADVICE_ASKED)
    assert event.actor == medewerker and ADVICE_QUESTION not in event.detail
    # The colleague's to do: the inbox filter and a mark on the row.
    todo = client_for(coordinator).get(INBOX, {"soort": "advies_aan_mij"})
    assert [row.pk for row in todo.context["cases"]] == [case.pk]
    assert "Advies gevraagd, vóór wo 9 dec" in todo.text
    assert client_for(medewerker).get(INBOX, {"soort": "advies_aan_mij"}).context["cases"] == []


def test_the_colleagues_reply_answers_it_and_the_asker_of_the_advice_is_told(
    asked, medewerker, coordinator, django_capture_on_commit_callbacks
):
    case, _code = asked
    consultation = backoffice_actions.ask_advice(
        case=case, by=medewerker, consultee=coordinator, question=ADVICE_QUESTION
    )
    mail.outbox.clear()
    url = reverse("steunen:case_advice_reply", args=[case.pk, consultation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(url, {f"advies-{consultation.pk}-body": ADVICE_REPLY})
    consultation.refresh_from_db()
    assert consultation.answered_at == at(2026, 12, 7, 10, 0)
    assert [m.to for m in mail.outbox] == [[medewerker.email]]
    assert ADVICE_REPLY not in mail.outbox[0].body
    page = client_for(medewerker).get(reverse("steunen:case", args=[case.pk])).text
    assert ADVICE_QUESTION in page and ADVICE_REPLY in page
    assert "Advies gegeven: door" in page
    assert "Advies gevraagd, vóór" not in client_for(coordinator).get(INBOX).text


def test_late_advice_is_marked_in_the_inbox(asked, medewerker, coordinator, time_machine):
    case, _code = asked
    backoffice_actions.ask_advice(
        case=case, by=medewerker, consultee=coordinator, question=ADVICE_QUESTION
    )
    time_machine.move_to(at(2026, 12, 9, 11, 0), tick=False)
    page = client_for(coordinator).get(INBOX, {"soort": "advies_aan_mij"}).text
    assert "Advies gevraagd: te laat" in page
    case_page = client_for(coordinator).get(reverse("steunen:case", args=[case.pk])).text
    assert "Advies te laat" in case_page


def test_the_asker_never_sees_the_thread_nor_the_escalation(
    asked, medewerker, coordinator, django_capture_on_commit_callbacks
):
    case, code = asked
    with django_capture_on_commit_callbacks(execute=True):
        consultation = backoffice_actions.ask_advice(
            case=case, by=medewerker, consultee=coordinator, question=ADVICE_QUESTION
        )
        backoffice_actions.reply_to_advice(
            consultation=consultation, by=coordinator, body=ADVICE_REPLY
        )
        backoffice_actions.escalate(case=case, by=medewerker, reason=REASON)
        actions.send_answer(case=case, by=medewerker, body="Wij bellen u morgen.")
        actions.close(case=case, by=medewerker, outcome="informatie")
    asker = Client()
    asker.post(reverse("steunen:return"), code_data(code))
    pages = [
        asker.get(reverse("steunen:conversation")).text,
        asker.get(reverse("steunen:download")).content.decode(),
        asker.get(reverse("steunen:evaluate")).text,
    ]
    to_asker = [m for m in mail.outbox if "ouder@voorbeeld.example" in m.to]
    assert len(to_asker) == 2  # the new answer and the invitation to rate
    for text in pages + [m.subject + m.body for m in to_asker]:
        for secret in (ADVICE_QUESTION, ADVICE_REPLY, REASON, "Bij de coördinator", "Advies"):
            assert secret not in text
    assert "Wij bellen u morgen." in pages[0]


def test_an_expert_outside_the_portal_is_named_and_their_advice_written_down(
    asked, medewerker, django_capture_on_commit_callbacks
):
    case, _code = asked
    staff = client_for(medewerker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            _advice_url(case),
            {"advice-expert_name": "onderwijsconsulent J. de Vries", "advice-question": "OPP?"},
        )
    consultation = Consultation.objects.get()
    assert consultation.consultee is None and mail.outbox == []  # they are not in the portal
    url = reverse("steunen:case_advice_reply", args=[case.pk, consultation.pk])
    staff.post(url, {f"advies-{consultation.pk}-body": "Zij zegt: eerst een gesprek."})
    consultation.refresh_from_db()
    assert consultation.answered_at is not None
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert "Aan onderwijsconsulent J. de Vries (deskundige buiten het steunpunt)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"advice-question": "Wat vind jij?"},
            "Kies een collega, of vul de naam van een deskundige in.",
        ),
        (
            {
                "advice-question": "Wat vind jij?",
                "advice-consultee": "COLLEGA",
                "advice-expert_name": "Jan",
            },
            "Kies een collega óf een deskundige, niet allebei.",
        ),
        (
            {"advice-expert_name": "Jan de Vries", "advice-question": "   "},
            "Schrijf eerst uw vraag.",
        ),
        (
            {"advice-consultee": "99999", "advice-question": "Wat vind jij?"},
            "Kies een collega uit de lijst.",
        ),
        (
            {"advice-consultee": "ZELF", "advice-question": "Wat vind jij?"},
            "Kies een collega uit de lijst.",
        ),
    ],
)
def test_bad_advice_input_gets_a_clear_message_and_keeps_what_was_typed(
    asked, medewerker, coordinator, data, message
):
    case, _code = asked
    data = {
        k: v.replace("COLLEGA", str(coordinator.pk)).replace("ZELF", str(medewerker.pk))
        for k, v in data.items()
    }
    page = client_for(medewerker).post(_advice_url(case), data)
    assert page.status_code == 200 and message in page.text
    if data.get("advice-question", "").strip():
        assert data["advice-question"] in page.text
    assert Consultation.objects.count() == 0


def test_escalation_reaches_the_coordinators_and_shows_on_the_timeline_and_in_the_inbox(
    asked, medewerker, coordinator, django_capture_on_commit_callbacks
):
    case, _code = asked
    second = UserFactory(username="coord2", roles=[Role.COORDINATOR])
    mail.outbox.clear()
    url = reverse("steunen:case_escalate", args=[case.pk])
    empty = client_for(medewerker).post(url, {"escalate-reason": "  "})
    assert "Schrijf de reden op: de coördinator leest die eerst." in empty.text
    with django_capture_on_commit_callbacks(execute=True):
        client_for(medewerker).post(url, {"escalate-reason": REASON})
    (sent,) = mail.outbox
    assert sorted(sent.to) == sorted([coordinator.email, second.email])
    assert REASON not in sent.body and case.reference in sent.subject
    event = CaseEvent.objects.get(kind=EventKind.ESCALATED)
    assert event.actor == medewerker and event.detail == "naar de coördinator"
    boss = client_for(coordinator)
    flagged = boss.get(INBOX, {"soort": "coordinator"})
    assert [row.pk for row in flagged.context["cases"]] == [case.pk]
    assert "Bij de coördinator" in flagged.text
    page = boss.get(reverse("steunen:case", args=[case.pk])).text
    assert REASON in page and "Naar de coördinator: naar de coördinator" in page
    # Once is enough; a medewerker cannot close it, a coordinator can.
    client_for(medewerker).post(url, {"escalate-reason": "nog eens"})
    assert Escalation.objects.count() == 1
    resolve = reverse("steunen:case_escalation_resolve", args=[case.pk])
    assert client_for(medewerker).post(resolve).status_code == 403
    boss.post(resolve, {"resolve-resolution": "Gebeld met de ouder."})
    escalation = Escalation.objects.get()
    assert escalation.resolved_by == coordinator and not escalation.is_open
    assert boss.get(INBOX, {"soort": "coordinator"}).context["cases"] == []
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATION_RESOLVED, actor=coordinator).exists()


def test_the_board_and_buddies_see_none_of_it(asked, medewerker, bestuur, vrijwilliger):
    case, _code = asked
    consultation = backoffice_actions.ask_advice(
        case=case, by=medewerker, expert_name="Deskundige", question=ADVICE_QUESTION
    )
    backoffice_actions.escalate(case=case, by=medewerker, reason=REASON)
    posts = {
        reverse("steunen:case_advice", args=[case.pk]): {
            "advice-question": "x",
            "advice-expert_name": "y",
        },
        reverse("steunen:case_advice_reply", args=[case.pk, consultation.pk]): {
            f"advies-{consultation.pk}-body": "x"
        },
        reverse("steunen:case_escalate", args=[case.pk]): {"escalate-reason": "x"},
        reverse("steunen:case_escalation_resolve", args=[case.pk]): {},
    }
    for user in (bestuur, vrijwilliger):
        client = client_for(user)
        page = client.get(reverse("steunen:case", args=[case.pk]))
        assert page.status_code == 404
        inbox = client.get(INBOX, {"soort": "coordinator"})
        assert inbox.status_code == 403 or inbox.context["cases"] == []
        for url, data in posts.items():
            assert client.post(url, data).status_code in (403, 404)
    assert ConsultationReply.objects.count() == 0 and Consultation.objects.count() == 1
    assert Escalation.objects.get().is_open


def test_erasure_removes_the_thread_and_the_reason(asked, medewerker, coordinator):
    case, _code = asked
    consultation = backoffice_actions.ask_advice(
        case=case, by=medewerker, consultee=coordinator, question=ADVICE_QUESTION
    )
    backoffice_actions.reply_to_advice(consultation=consultation, by=coordinator, body=ADVICE_REPLY)
    backoffice_actions.escalate(case=case, by=medewerker, reason=REASON)
    actions.erase_personal_data(case=case, by=medewerker, reason="op verzoek")
    assert Consultation.objects.count() == ConsultationReply.objects.count() == 0
    assert Escalation.objects.count() == 0
    # The timeline keeps that it happened, without the words.
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {EventKind.ADVICE_ASKED, EventKind.ADVICE_GIVEN, EventKind.ESCALATED} <= kinds


def test_an_erased_case_takes_no_advice(asked, medewerker, coordinator):
    case, _code = asked
    actions.erase_personal_data(case=case, by=medewerker, reason="op verzoek")
    client_for(medewerker).post(
        _advice_url(case),
        {"advice-consultee": str(coordinator.pk), "advice-question": ADVICE_QUESTION},
    )
    assert Consultation.objects.count() == 0


def _textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, f"no text box {name}"
    return found.group(0)


def test_after_a_reply_is_sent_its_box_is_empty_and_the_other_drafts_are_kept(
    asked, medewerker, coordinator
):
    case, _code = asked
    consultation = backoffice_actions.ask_advice(
        case=case, by=medewerker, consultee=coordinator, question=ADVICE_QUESTION
    )
    url = reverse("steunen:case_advice_reply", args=[case.pk, consultation.pk])
    swapped = client_for(coordinator).post(
        url, {f"advies-{consultation.pk}-body": ADVICE_REPLY}, headers={"HX-Request": "true"}
    )
    assert swapped.status_code == 200
    # htmx keeps a text box marked hx-preserve as it was on the page (with a draft).
    sent_box = _textarea(swapped.text, f"advies-{consultation.pk}-body")
    assert "data-hx-preserve" not in sent_box  # what was just sent is not kept
    assert "data-hx-preserve" in _textarea(swapped.text, "answer-body")
    assert "data-hx-preserve" in _textarea(swapped.text, "note-body")
    assert "data-hx-preserve" in _textarea(swapped.text, "advice-question")
