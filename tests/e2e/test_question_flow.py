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
    youth.get_by_label("Je reactie").fill("Dank je, dat ga ik doen.")
    youth.get_by_role("button", name="Verstuur reactie").click()
    youth.wait_for_selector("text=Je reactie is verstuurd.")
    assert "Dank je, dat ga ik doen." in youth.locator(".conversation").inner_text()
    assert not axe_violations(youth), describe(axe_violations(youth))

    # The code was never in any address the browser visited.
    history = youth.evaluate("performance.getEntriesByType('navigation').map(e => e.name)")
    assert all(code not in url for url in history)


ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def test_a_parent_on_a_small_phone_finishes_the_form_and_keeps_the_code_on_one_line(
    browser, live_server
):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/vraag/")
    email = page.get_by_label("Uw e-mailadres")
    assert email.is_hidden()  # until "Per e-mail" is chosen
    assert page.get_by_label("Uw telefoonnummer").is_hidden()
    assert not axe_violations(page, ALL_IMPACTS), describe(axe_violations(page, ALL_IMPACTS))

    # Sent without a question: the title says so and the summary has the focus.
    page.get_by_label("Per e-mail").check()
    assert email.is_visible()
    page.get_by_role("button", name="Verstuur uw vraag").click()
    assert page.title().startswith("Fout: Stel uw vraag")
    assert page.locator("[data-error-summary]").evaluate("e => e === document.activeElement")
    assert "Schrijf uw vraag op." in page.locator(".error-summary").inner_text()
    assert email.is_visible()  # the choice came back, so did its field
    assert not axe_violations(page, ALL_IMPACTS), describe(axe_violations(page, ALL_IMPACTS))
    page.get_by_role("link", name="Wat is uw vraag?: Schrijf uw vraag op.").click()
    assert page.get_by_label("Wat is uw vraag?").evaluate("e => e === document.activeElement")

    page.get_by_label("Wat is uw vraag?").fill("Mijn dochter mag niet mee op schoolreis.")
    email.fill("ouder@voorbeeld.nl")
    page.get_by_role("button", name="Verstuur uw vraag").click()
    code = page.locator("#return-code")
    assert len(code.inner_text().strip()) == 19
    box = code.bounding_box()
    line = code.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert box["height"] < 1.5 * line, (box, line)  # one line
    assert code.evaluate("e => e.scrollWidth <= e.clientWidth")  # and none of it cut off
    assert box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not axe_violations(page, ALL_IMPACTS), describe(axe_violations(page, ALL_IMPACTS))
    page.locator(".receipt").get_by_role("link", name="Mijn vraag").click()
    page.wait_for_url("**/vraag/terug/")
    context.close()


def test_without_javascript_the_contact_fields_still_follow_the_choice(
    browser, live_server, settings
):
    settings.PUZZLE_WAIT_SECONDS = 1  # without JavaScript the form asks a short wait
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/vraag/?voor=jongere")
    assert page.get_by_label("Je e-mailadres").is_hidden()
    page.get_by_label("Per telefoon").check()
    assert page.get_by_label("Je telefoonnummer").is_visible()
    assert page.get_by_label("Wanneer kunnen we je bellen?").is_visible()
    assert page.get_by_label("Je e-mailadres").is_hidden()
    page.get_by_label("Wat is je vraag?").fill("Mag ik zelf kiezen naar welke school ik ga?")
    page.get_by_label("Je telefoonnummer").fill("0612345678")
    page.get_by_role("button", name="Verstuur je vraag").click()
    # Without the script that solves the puzzle, sent within a second of the
    # page: the form asks to press once more in a moment (steunpunt/puzzle.py).
    if "Je vraag is nog niet verstuurd" in page.locator("main").inner_text():
        page.wait_for_timeout(1100)
        page.get_by_role("button", name="Verstuur je vraag").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Je vraag is verstuurd"
    assert "We bellen je op het nummer dat je gaf." in page.locator("main").inner_text()
    context.close()
