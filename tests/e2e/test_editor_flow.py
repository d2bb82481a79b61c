"""An editor writes a page, a validator approves it, a visitor finds it by search."""

import pytest

from steunpunt.roles import Role
from tests.conftest import totp_code
from tests.e2e.conftest import axe_violations, describe
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(browser, live_server, username):
    """Password, then the code from the authenticator app."""
    from django.contrib.auth.models import User

    code = totp_code(User.objects.get(username=username))
    page = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    page.goto("/account/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/account/")
    return page


def test_editor_writes_validator_approves_visitor_finds(browser, page, live_server):
    UserFactory(username="tom", roles=[Role.REDACTEUR])
    UserFactory(username="esra", roles=[Role.VALIDATOR])

    editor = log_in(browser, live_server, "tom")
    editor.goto("/redactie/")
    editor.get_by_role("link", name="Nieuwe pagina").click()
    editor.get_by_label("Titel", exact=True).fill("Een buddy voor ouders")
    editor.get_by_label("Samenvatting", exact=True).fill(
        "Praten met een ouder die het zelf heeft meegemaakt."
    )
    body = editor.get_by_label("Landelijke tekst voor ouders")
    body.fill("Een **ervaringsdeskundige** ouder luistert en denkt mee.")
    editor.wait_for_selector("#live-preview strong")  # live preview through htmx
    assert not axe_violations(editor), describe(axe_violations(editor))
    editor.get_by_role("button", name="Opslaan").click()
    editor.get_by_role("button", name="Ter beoordeling aanbieden").click()
    editor.wait_for_selector("text=ter beoordeling bij een validator")
    review_url = editor.url

    validator = log_in(browser, live_server, "esra")
    validator.goto(review_url)
    assert not axe_violations(validator), describe(axe_violations(validator))
    validator.get_by_role("button", name="Goedkeuren").click()
    validator.wait_for_selector("text=De versie is goedgekeurd")
    validator.get_by_role("button", name="Publiceren").click()
    validator.wait_for_selector("text=De versie is gepubliceerd")

    page.goto("/zoeken/?q=buddy")
    page.get_by_role("link", name="Een buddy voor ouders").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Een buddy voor ouders"
    assert "Gecontroleerd op" in page.content()
    assert not axe_violations(page), describe(axe_violations(page))
