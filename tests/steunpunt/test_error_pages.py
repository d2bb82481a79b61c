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
