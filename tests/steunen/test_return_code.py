"""The asker comes back with the code, reads the answer and replies."""

import pytest
from django.core import mail
from django.urls import reverse

from steunen import actions
from steunen.models import Case, Message, Sender, Status
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db
RETURN = "/vraag/terug/"
CONVERSATION = "/vraag/terug/gesprek/"


@pytest.fixture(autouse=True)
def _no_delay(settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0


def open_with(client, code: str):
    return client.post(RETURN, code_data(code), follow=True)


def test_code_opens_the_conversation_without_the_code_in_any_url(client):
    _case, code = ask("Hoe vraag ik een gesprek aan?")
    response = open_with(client, code)
    assert response.redirect_chain == [(CONVERSATION, 302)]
    assert "Hoe vraag ik een gesprek aan?" in response.text
    assert code not in response.redirect_chain[0][0]
    assert "no-store" in response["Cache-Control"]


def test_code_is_forgiving_about_case_spaces_and_dashes(client):
    _case, code = ask()
    sloppy = code.lower().replace("-", " ")
    assert open_with(client, sloppy).redirect_chain == [(CONVERSATION, 302)]


def test_asker_reads_the_staff_answer_but_never_internal_notes(client, medewerker):
    case, code = ask()
    actions.send_answer(case=case, by=medewerker, body="Bel de school voor een gesprek.")
    actions.add_note(case=case, by=medewerker, body="Intern: moeder klonk boos")
    page = open_with(client, code).text
    assert "Bel de school voor een gesprek." in page
    assert "Intern: moeder klonk boos" not in page


def test_asker_replies_and_staff_see_a_new_reply(
    client, medewerker, django_capture_on_commit_callbacks
):
    case, code = ask()
    actions.send_answer(case=case, by=medewerker, body="Wat zegt de school?")
    actions.assign(case=case, by=medewerker, assignee=medewerker)
    open_with(client, code)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONVERSATION, {"body": "De school wil niet praten."}, follow=True)
    assert "Uw reactie is verstuurd" in response.text
    case.refresh_from_db()
    assert case.unanswered_reply
    assert case.status == Status.IN_BEHANDELING
    assert case.messages.last().sender == Sender.ASKER
    assert mail.outbox[-1].to == [medewerker.email]
    assert "De school wil niet praten" not in mail.outbox[-1].body


def test_empty_reply_is_refused(client):
    case, code = ask()
    open_with(client, code)
    response = client.post(CONVERSATION, {"body": "  "})
    assert "Schrijf hier uw bericht." in response.text
    assert Message.objects.filter(case=case).count() == 1


def test_wrong_codes_all_get_the_same_answer(client):
    ask()
    answers = {
        open_with(client, wrong).text.count("Deze code kennen wij niet")
        for wrong in ["AAAA-BBBB-CCCC-DDDD", "kort", "", "0000-1111-OOOO-IIII"]
        if wrong
    }
    assert len(answers) == 1
    assert 0 not in answers


def test_guessing_is_rate_limited_per_client(client, settings):
    settings.RETURN_CODE_ATTEMPTS = 3
    _case, code = ask()
    for _ in range(3):
        open_with(client, "AAAA-BBBB-CCCC-DDDD")
    response = client.post(RETURN, code_data(code))
    assert response.status_code == 429
    assert "te vaak" in response.text
    other_client = client_class_with_address("10.1.2.3")
    assert open_with(other_client, code).redirect_chain == [(CONVERSATION, 302)]


def client_class_with_address(address):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def test_the_conversation_page_needs_the_code_first(client):
    response = client.get(CONVERSATION)
    assert response.status_code == 302
    assert response["Location"] == RETURN


def test_leaving_forgets_the_case_in_this_browser(client):
    _case, code = ask()
    open_with(client, code)
    client.post(reverse("steunen:leave"))
    assert client.get(CONVERSATION).status_code == 302


def test_access_expires_after_a_while(client, settings, time_machine):
    settings.ASKER_SESSION_MINUTES = 30
    _case, code = ask()
    time_machine.move_to("2026-03-02 10:00", tick=False)
    open_with(client, code)
    time_machine.move_to("2026-03-02 10:45", tick=False)
    assert client.get(CONVERSATION).status_code == 302


def test_reply_to_a_closed_question_reopens_it(client, medewerker):
    case, code = ask()
    actions.close(case=case, by=medewerker, outcome="informatie")
    open_with(client, code)
    client.post(CONVERSATION, {"body": "Toch nog een vraag."})
    case.refresh_from_db()
    assert case.status == Status.IN_BEHANDELING
    assert case.outcome == ""


def test_asker_with_email_is_told_of_a_new_answer_without_content(
    medewerker, django_capture_on_commit_callbacks
):
    case, code = ask(contact_preference="email", email="ouder@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_answer(case=case, by=medewerker, body="Het antwoord met details.")
    sent = mail.outbox[-1]
    assert sent.to == ["ouder@voorbeeld.nl"]
    assert sent.subject == "Er is een nieuw antwoord"
    assert "details" not in sent.body
    assert code not in sent.body
    assert "/vraag/terug/" in sent.body


def test_anonymous_asker_gets_no_email(medewerker, django_capture_on_commit_callbacks):
    case, _code = ask()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_answer(case=case, by=medewerker, body="Antwoord")
    assert mail.outbox == []


def test_code_of_a_merged_case_opens_the_case_it_went_into(client, medewerker):
    first, first_code = ask("Eerste vraag")
    second, _ = ask("Tweede vraag")
    actions.merge(source=first, target=second, by=medewerker)
    page = open_with(client, first_code).text
    assert "Eerste vraag" in page and "Tweede vraag" in page
    assert Case.objects.get(pk=first.pk).merged_into == second
