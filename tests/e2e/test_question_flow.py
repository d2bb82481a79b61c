"""A youth asks anonymously, a medewerker answers, the youth comes back with the code."""

import pytest

from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_youth_asks_staff_answers_youth_returns_with_code(browser, page, live_server, settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    UserFactory(username="sanne", roles=[Role.MEDEWERKER])

    # The youth asks, without a name.
    page.goto("/vraag/?voor=jongere")
    assert page.get_by_role("heading", level=1).inner_text() == "Stel je vraag"
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_label("Wat is je vraag?").fill(
        "Mijn mentor luistert niet naar mij. Wat kan ik doen?"
    )
    page.get_by_role("button", name="Verstuur je vraag").click()
    code = page.locator("#return-code").inner_text().strip()
    assert len(code) == 19
    assert code not in page.url
    assert not axe_violations(page), describe(axe_violations(page))

    # A medewerker answers in the inbox.
    staff = log_in(browser, live_server, "sanne")
    staff.goto("/medewerkers/vragen/")
    # Filtering swaps the results in place with htmx.
    staff.get_by_label("Status", exact=True).select_option("nieuw")
    staff.wait_for_url("**status=nieuw**")
    assert staff.locator("#results").count() == 1
    staff.locator("table tbody th a").first.click()
    assert "Mijn mentor luistert niet" in staff.locator(".conversation").inner_text()
    staff.get_by_label("Antwoord aan de vrager").fill(
        "Goed dat je het vraagt. Je mag een gesprek vragen."
    )
    staff.get_by_role("button", name="Verstuur antwoord").click()
    staff.wait_for_selector("text=Uw antwoord is verstuurd.")
    assert "Wacht op vrager" in staff.locator(".badges").first.inner_text()
    assert not axe_violations(staff), describe(axe_violations(staff))

    # The youth comes back in a fresh browser with only the code.
    youth = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    youth.goto("/vraag/terug/")
    youth.get_by_label("Uw code").fill(code.lower())
    youth.get_by_role("button", name="Open mijn vraag").click()
    youth.wait_for_url("**/vraag/terug/gesprek/")
    assert "Je mag een gesprek vragen." in youth.locator(".conversation").inner_text()
    youth.get_by_label("Uw reactie").fill("Dank je, dat ga ik doen.")
    youth.get_by_role("button", name="Verstuur reactie").click()
    youth.wait_for_selector("text=Uw reactie is verstuurd.")
    assert "Dank je, dat ga ik doen." in youth.locator(".conversation").inner_text()
    assert not axe_violations(youth), describe(axe_violations(youth))

    # The code was never in any address the browser visited.
    history = youth.evaluate("performance.getEntriesByType('navigation').map(e => e.name)")
    assert all(code not in url for url in history)
