"""'Snel weg' ends the visit: after it, a new tab or Back shows no conversation."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db
QUESTION = "Mijn dochter wordt gepest en de school doet niets."


@pytest.fixture(autouse=True)
def _no_delay(settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    settings.QUICK_EXIT_URL = "https://neutraal.example/"


@pytest.fixture
def asker(client):
    """A browser with its question open, as after typing the code."""
    _case, code = ask(QUESTION)
    client.post(reverse("steunen:return"), code_data(code))
    assert QUESTION in client.get(reverse("steunen:conversation")).text
    return client


def test_the_beacon_ends_the_conversation_for_every_tab(asker):
    # A new tab sends the same session cookie: the test client keeps it.
    cookie = asker.cookies["sessionid"].value
    response = asker.post(reverse("quick_exit"))
    assert response.status_code == 204
    new_tab = Client()
    new_tab.cookies["sessionid"] = cookie
    page = new_tab.get(reverse("steunen:conversation"))
    assert page.status_code == 302
    assert page["Location"] == reverse("steunen:return")
    assert asker.get(reverse("steunen:conversation"))["Location"] == reverse("steunen:return")


def test_the_beacon_needs_no_csrf_token(client, db):
    strict = Client(enforce_csrf_checks=True)
    _case, code = ask(QUESTION)
    page = strict.get(reverse("steunen:return"))
    token = page.context["csrf_token"]
    strict.post(reverse("steunen:return"), code_data(code, csrfmiddlewaretoken=token))
    assert strict.get(reverse("steunen:conversation")).status_code == 200
    assert strict.post(reverse("quick_exit")).status_code == 204
    assert strict.get(reverse("steunen:conversation")).status_code == 302


def test_without_javascript_the_link_ends_the_session_and_goes_to_the_neutral_site(asker):
    response = asker.get(reverse("quick_exit"))
    assert response.status_code == 302
    assert response["Location"] == "https://neutraal.example/"
    assert "no-store" in response["Cache-Control"]
    # Back to the conversation (no-store, so the browser asks again): gone.
    assert asker.get(reverse("steunen:conversation"))["Location"] == reverse("steunen:return")


def test_the_button_goes_through_our_server_and_the_script_knows_the_neutral_site(client):
    page = client.get(reverse("home")).text
    assert f'href="{reverse("quick_exit")}"' in page
    assert 'data-quick-exit-to="https://neutraal.example/"' in page
    assert f'data-quick-exit-end="{reverse("quick_exit")}"' in page


def test_the_shift_hint_is_hidden_until_the_script_finds_a_keyboard(client):
    page = client.get(reverse("home")).text
    assert '<p class="quick-exit__hint" hidden data-quick-exit-hint>' in page


def test_error_pages_have_the_same_quick_exit(client):
    page = client.get("/bestaat-niet/").text
    assert f'href="{reverse("quick_exit")}"' in page
    assert "data-quick-exit-hint" in page


@pytest.mark.urls("tests.steunpunt.urls_broken")
def test_the_standalone_error_page_has_the_quick_exit_through_our_server(client):
    client.raise_request_exception = False
    page = client.get("/kapot/").text
    assert f'href="{reverse("quick_exit")}"' in page
    assert 'data-quick-exit-to="https://neutraal.example/"' in page


def test_quick_exit_also_ends_a_staff_login(medewerker):
    staff = client_for(medewerker)
    assert staff.get(reverse("steunen:inbox")).status_code == 200
    staff.post(reverse("quick_exit"))
    assert staff.get(reverse("steunen:inbox")).status_code == 302


def test_nothing_else_is_accepted(client, db):
    assert client.put(reverse("quick_exit")).status_code == 405
