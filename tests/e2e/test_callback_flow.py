"""A parent asks to be called back, first at a time we are closed; a medewerker sees the
request in the inbox and records the call; the parent finds it in the conversation."""

import pytest

from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_asks_to_be_called_back_staff_record_the_call(browser, page, live_server, settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    UserFactory(username="sanne", roles=[Role.MEDEWERKER])

    page.goto("/vraag/terugbellen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bel mij terug"
    assert not axe_violations(page), describe(axe_violations(page))
    # Without a number: the form says so, and the note stays.
    days = page.locator("#id_day option").all()
    day = days[2].get_attribute("value")  # not today: its windows may be passing
    page.locator("#id_day").select_option(day)
    page.get_by_role("radio", name="10.00-11.00").check()
    page.get_by_label("Waar gaat het over?").fill("Een gesprek op school")
    page.get_by_role("button", name="Bel mij terug").click()
    page.wait_for_selector("text=Vul uw telefoonnummer in. Daarop bellen wij u.")
    assert page.title().startswith("Fout:")
    assert page.get_by_label("Waar gaat het over?").input_value() == "Een gesprek op school"
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_label("Uw telefoonnummer").fill("06 1234 5678")
    page.locator("#id_day").select_option(day)
    page.get_by_role("radio", name="10.00-11.00").check()
    page.get_by_role("button", name="Bel mij terug").click()
    page.wait_for_selector("text=Wij bellen u terug")
    code = page.locator("#return-code").inner_text().strip()
    assert len(code) == 19
    assert not axe_violations(page), describe(axe_violations(page))

    staff = log_in(browser, live_server, "sanne")
    staff.goto("/medewerkers/vragen/?soort=terugbellen")
    row = staff.locator("tbody tr").first
    assert "Terugbellen" in row.inner_text() and "10.00-11.00" in row.inner_text()
    assert not axe_violations(staff), describe(axe_violations(staff))
    row.get_by_role("link").first.click()
    assert "06 1234 5678" in staff.locator(".callbacks").inner_text()
    assert not axe_violations(staff), describe(axe_violations(staff))
    staff.get_by_role("button", name="Teruggebeld").click()
    staff.wait_for_selector("text=Teruggebeld: het staat op de tijdlijn.")
    assert "Teruggebeld" in staff.locator(".timeline").inner_text()

    parent = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    parent.goto("/vraag/terug/")
    parent.get_by_label("Uw code").fill(code)
    parent.get_by_role("button", name="Open mijn vraag").click()
    parent.wait_for_url("**/vraag/terug/gesprek/")
    section = parent.locator("section", has=parent.get_by_role("heading", name="Terugbellen"))
    assert "gebeld" in section.inner_text() and "Een gesprek op school" in section.inner_text()
    assert not axe_violations(parent), describe(axe_violations(parent))
