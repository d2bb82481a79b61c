"""Whatever goes wrong, a visitor gets a page of ours: Dutch, in the layout, with the phone number.

Above all a question is never lost: when the CSRF check fails (a cookie the
browser did not keep, a page left open overnight) the question comes back
filled in, in a form that works.
"""

import pytest
from django.test import Client

from steunen.models import Case
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db

PHONE = "0999 12 00 00"


def a_browser_without_its_cookie() -> Client:
    return Client(enforce_csrf_checks=True)


def test_a_question_sent_without_a_valid_token_comes_back_filled_in_and_can_be_sent():
    parent = a_browser_without_its_cookie()
    typed = "Mijn dochter mag niet meer naar school. Wat kan ik doen?"
    failed = parent.post(
        "/vraag/",
        form_data(question=typed, name="Fatima", csrfmiddlewaretoken="van-een-oude-pagina"),
    )
    assert failed.status_code == 403
    page = failed.text
    assert page.startswith("<!doctype html>")
    assert '<html lang="nl">' in page and 'name="viewport"' in page
    assert "Uw vraag is nog niet verstuurd" in page
    assert typed in page and 'value="Fatima"' in page
    assert PHONE in page
    assert not Case.objects.exists()
    # The form that came back carries a token that works: sending it again succeeds.
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    submission = page.split('name="submission_token" value="', 1)[1].split('"', 1)[0]
    sent = parent.post(
        "/vraag/",
        form_data(
            question=typed, name="Fatima", csrfmiddlewaretoken=token, submission_token=submission
        ),
    )
    assert sent.status_code == 200
    assert 'id="return-code"' in sent.text
    assert Case.objects.get().messages.get().body == typed


def test_a_youth_question_comes_back_in_je_words():
    youth = a_browser_without_its_cookie()
    failed = youth.post(
        "/vraag/?voor=jongere", form_data(question="Ik word gepest.", voor="jongere")
    )
    assert failed.status_code == 403
    assert "Je vraag is nog niet verstuurd" in failed.text
    assert "Ik word gepest." in failed.text


def test_another_form_without_a_valid_token_explains_what_to_do():
    visitor = a_browser_without_its_cookie()
    failed = visitor.post("/vraag/terug/", {"code": "ABCD-EFGH-JKLM-NPQR"})
    assert failed.status_code == 403
    assert "Het formulier was verlopen" in failed.text
    assert "Verboden" not in failed.text and "CSRF-verificatie" not in failed.text
    assert PHONE in failed.text
    assert "ABCD" not in failed.text  # a code is never shown back


@pytest.mark.urls("tests.steunpunt.urls_broken")
def test_a_bad_request_is_a_page_of_ours(client):
    client.raise_request_exception = False
    response = client.get("/fout-verzoek/")
    assert response.status_code == 400
    assert "Dit verzoek klopt niet" in response.text
    assert PHONE in response.text


def test_a_childs_question_comes_back_filled_in_on_the_childs_form():
    child = a_browser_without_its_cookie()
    typed = "De juf zegt dat ik naar een andere school moet."
    failed = child.post(
        "/vraag/kind/",
        {"question": typed, "name": "Sem", "contact_preference": "geen", "submission_token": "t"},
    )
    assert failed.status_code == 403
    assert "Je vraag is nog niet verstuurd" in failed.text
    assert typed in failed.text and 'value="Sem"' in failed.text
    assert "Wat wil je vragen of vertellen?" in failed.text  # the child's own form
    assert not Case.objects.exists()


def test_without_any_cookie_the_page_says_what_to_do_if_it_fails_again():
    no_cookies = a_browser_without_its_cookie()
    failed = no_cookies.post("/vraag/", form_data(question="Mag dat?"))
    assert "uw browser stuurde geen cookie mee" in failed.text
    assert "Zet cookies voor deze website aan, of bel ons: " + PHONE in failed.text
    other = a_browser_without_its_cookie().post("/vraag/terug/", {"code": "ABCD-EFGH-JKLM-NPQR"})
    assert "Uw browser stuurde geen cookie mee" in other.text


def test_with_an_old_cookie_the_page_says_it_had_expired():
    parent = a_browser_without_its_cookie()
    parent.get("/vraag/")  # the browser keeps the cookie; the page then stays open too long
    parent.cookies["csrftoken"] = "x" * 32  # (a cookie of an earlier visit)
    failed = parent.post("/vraag/", form_data(csrfmiddlewaretoken="y" * 32))
    assert "de pagina was verlopen" in failed.text
    assert "geen cookie" not in failed.text


@pytest.mark.urls("tests.steunpunt.urls_broken")
def test_a_refused_page_tells_a_visitor_where_to_go_and_staff_whom_to_ask(client, medewerker):
    refused = client.get("/geweigerd/")
    assert refused.status_code == 403
    assert "alleen voor medewerkers" in refused.text and PHONE in refused.text
    assert "Naar mijn werkplek" not in refused.text  # a parent has none
    client.force_login(medewerker)
    staff = client.get("/geweigerd/")
    assert "Vraag het de coördinator" in staff.text and "Naar mijn werkplek" in staff.text
