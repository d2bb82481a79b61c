"""A coordinator sets a goal and publishes a year report with its public summary."""

from datetime import date, timedelta

import pytest

from informeren.models import PupilCount, Sector, SwvGemeente
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import SamenwerkingsverbandFactory, UserFactory
from tests.signaleren.test_figures import received

pytestmark = pytest.mark.django_db(transaction=True)


def test_goal_report_and_public_summary_pass_axe(browser, live_server, page):
    UserFactory(username="karim", roles=[Role.COORDINATOR])
    swv = SamenwerkingsverbandFactory(code="PO 99-01")
    SwvGemeente.objects.create(gemeente="Lindewaarde", sector=Sector.PO, samenwerkingsverband=swv)
    PupilCount.objects.create(gemeente="Lindewaarde", sector=Sector.PO, year=2025, pupils=3000)
    for n in range(15):
        received(date(2025, 3, 1) + timedelta(days=n), asker_type="ouder", gemeente="Lindewaarde")

    coordinator = log_in(browser, live_server, "karim")
    coordinator.goto("/signalen/doelen/nieuw/")
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))
    coordinator.get_by_label("Periode").select_option(label="Kalenderjaar 2025")
    coordinator.get_by_label("Waar gaat het doel over").select_option(
        label="Aantal vragen ontvangen"
    )
    coordinator.get_by_label("Streefwaarde").fill("veel")
    coordinator.get_by_role("button", name="Doel opslaan").click()
    coordinator.wait_for_selector("text=Vul een getal in, bijvoorbeeld 85 of 4,5.")
    coordinator.get_by_label("Streefwaarde").fill("12")
    coordinator.get_by_role("button", name="Doel opslaan").click()
    coordinator.wait_for_selector("text=Het doel is opgeslagen")
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))

    coordinator.goto("/signalen/rapportages/nieuw/")
    coordinator.get_by_label("Titel").fill("Jaarrapportage 2025")
    coordinator.get_by_label("Periode").select_option(label="Kalenderjaar 2025")
    coordinator.get_by_role("button", name="Opslaan en voorbeeld bekijken").click()
    coordinator.get_by_role("button", name="Publiceren").click()
    coordinator.wait_for_selector("text=De rapportage is gepubliceerd")
    goals = coordinator.locator("#doelen").inner_text()
    assert "Aantal vragen ontvangen" in goals and "Gehaald" in goals
    assert "Bereik per gemeente" in coordinator.content()
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))
    coordinator.get_by_role("button", name="Publiek jaaroverzicht publiceren").click()
    coordinator.wait_for_selector("text=Het jaaroverzicht staat nu op de website")

    page.goto("/jaarverslag/")
    page.get_by_role("link", name="Jaaroverzicht 2025").click()
    assert "Wij kregen 15 vragen." in page.content()
    assert not axe_violations(page), describe(axe_violations(page))
