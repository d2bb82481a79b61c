"""A parent asks for a buddy; the coordinator matches; the buddy accepts, writes in the
conversation beside the behandelaar; the parent reads it with the code."""

from datetime import timedelta

import pytest
from django.utils import timezone

from informeren.models import Thema
from steunen.buddies import BuddyProfile
from steunen.models import Case
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_asks_for_a_buddy_coordinator_matches_buddy_helps(browser, page, live_server):
    UserFactory(username="karim", first_name="Karim", last_name="", roles=[Role.COORDINATOR])
    ingrid = UserFactory(
        username="ingrid", first_name="Ingrid", last_name="", roles=[Role.VRIJWILLIGER]
    )
    today = timezone.localdate()
    profile = BuddyProfile.objects.create(
        user=ingrid,
        agreement_on=today - timedelta(days=90),
        trained_on=today - timedelta(days=60),
        vog_on=today - timedelta(days=30),
        school_types=["vo"],
    )
    profile.themes.set(Thema.objects.filter(slug="niet-goed"))

    # The home page leads to the explanation, and from there to the form with the box ticked.
    page.goto("/")
    page.get_by_role("link", name="Wat is een buddy?").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Een buddy")
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_role("link", name="ik wil graag een ervaringsouder of buddy").click()
    box = page.get_by_label("Ik wil graag een ervaringsouder of buddy")
    assert box.is_checked()
    page.get_by_label("Wat is uw vraag?").fill("Mijn zoon zit thuis. Ik wil praten met iemand.")
    page.get_by_label("Als het niet goed gaat op school").check()
    page.get_by_label("Op wat voor school zit uw kind?").select_option("vo")
    page.get_by_role("button", name="Verstuur uw vraag").click()
    code = page.locator("#return-code").inner_text().strip()

    coordinator = log_in(browser, live_server, "karim")
    coordinator.goto("/medewerkers/buddys/")
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))
    # Its reference (V00042): on PostgreSQL the numbers go on from earlier tests.
    reference = Case.objects.latest("pk").reference
    coordinator.locator("main").get_by_role("link").filter(has_text=reference).first.click()
    assert "De vrager vraagt om een buddy" in coordinator.content()
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))
    coordinator.get_by_role("button", name="Nodig Ingrid uit als buddy").click()
    coordinator.wait_for_selector("text=Ingrid is uitgenodigd als buddy.")
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))

    buddy = log_in(browser, live_server, "ingrid")
    buddy.goto("/medewerkers/buddy/")
    assert not axe_violations(buddy), describe(axe_violations(buddy))
    buddy.get_by_role("button", name="Ja, ik doe mee").click()
    buddy.wait_for_selector("text=U ziet nu het gesprek met de vrager.")
    assert "Mijn zoon zit thuis." in buddy.content()
    assert buddy.locator("#notes-title").count() == 0  # no internal notes at all
    assert not axe_violations(buddy), describe(axe_violations(buddy))
    buddy.get_by_label("Bericht aan de vrager").fill("Ik heb dat ook meegemaakt. Bel gerust.")
    buddy.get_by_role("button", name="Verstuur bericht").click()
    buddy.wait_for_selector("text=Uw bericht staat in het gesprek.")

    parent = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    parent.goto("/vraag/terug/")
    parent.get_by_label("Uw code").fill(code)
    parent.get_by_role("button", name="Open mijn vraag").click()
    parent.wait_for_url("**/vraag/terug/gesprek/")
    assert "Ik heb dat ook meegemaakt. Bel gerust." in parent.content()
    assert "U heeft om een buddy gevraagd." in parent.content()
    assert not axe_violations(parent), describe(axe_violations(parent))
