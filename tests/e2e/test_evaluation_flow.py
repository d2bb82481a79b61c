"""A youth rates the help badly and asks us to look again; the coordinator reads the remark."""

import pytest

from steunen import actions
from steunen.models import AskerType, Case, Status
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_youth_asks_to_look_again_and_the_coordinator_reads_the_remark(
    browser, live_server, settings
):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    coordinator = UserFactory(username="karim", roles=[Role.COORDINATOR])
    case, code = ask("Ik mag niet mee op schoolreis.", asker_type=AskerType.JONGERE)
    actions.close(case=case, by=coordinator, outcome="informatie")

    youth = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    youth.goto("/vraag/terug/")
    youth.get_by_label("Uw code").or_(youth.get_by_label("Je code")).first.fill(code)
    youth.get_by_role("button", name="Open mijn vraag").click()
    youth.get_by_role("link", name="Geef je mening").click()
    youth.wait_for_selector("text=Voelde je je gehoord?")
    assert not axe_violations(youth), describe(axe_violations(youth))
    for question, score in (
        ("Voelde je je gehoord?", "2"),
        ("Heeft onze hulp je verder geholpen?", "1"),
        ("Zou je ons aanraden aan anderen?", "2"),
    ):
        youth.get_by_role("group", name=question).get_by_label(score).check()
    youth.get_by_label("Wil je nog iets zeggen?").fill("Niemand belde de school.")
    youth.get_by_role("button", name="Verstuur").click()
    youth.wait_for_selector("text=Wil je dat we opnieuw naar je vraag kijken?")
    assert not axe_violations(youth), describe(axe_violations(youth))
    youth.get_by_label("Ja").check()
    youth.get_by_role("button", name="Verstuur").click()
    youth.wait_for_selector("text=Je vraag staat weer open.")
    assert Case.objects.get(pk=case.pk).status == Status.IN_BEHANDELING

    staff = log_in(browser, live_server, "karim")
    staff.goto("/medewerkers/vragen/")
    assert "Heropend" in staff.content()
    staff.goto("/medewerkers/beoordelingen/")
    staff.wait_for_selector("text=Niemand belde de school.")
    assert not axe_violations(staff), describe(axe_violations(staff))
    staff.get_by_role("link", name="Verwijderen").click()
    assert not axe_violations(staff), describe(axe_violations(staff))
    staff.get_by_label("Ja, verwijder deze opmerking.", exact=False).check()
    staff.get_by_role("button", name="Verwijder de opmerking").click()
    staff.wait_for_selector("text=De opmerking is verwijderd.")
    assert "Niemand belde de school." not in staff.content()
