"""An editor adds a parent's story with its consent, a validator approves it, a visitor reads it."""

import pytest

from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_adds_a_story_validator_approves_visitor_sees_it_beside_the_facts(
    browser, page, live_server
):
    UserFactory(username="tom", roles=[Role.REDACTEUR])
    UserFactory(username="esra", roles=[Role.VALIDATOR])
    topic = published_topic("thuiszitten", title="Thuiszitten")

    editor = log_in(browser, live_server, "tom")
    editor.goto("/redactie/ervaringen/")
    editor.get_by_role("link", name="Nieuw verhaal").click()
    editor.get_by_label("Titel").fill("Drie maanden thuis")
    editor.get_by_label("Wie vertelt?").select_option("ouder")
    editor.get_by_label("Het verhaal").fill(
        "Mijn zoon zat drie maanden thuis. Het steunpunt hielp ons. Nu gaat hij weer naar school."
    )
    editor.get_by_label("Thuiszitten").check()
    editor.get_by_label("Wie gaf toestemming?").fill("mevrouw J. Dijkstra")
    editor.get_by_label("Datum van de toestemming").fill("2026-11-02")
    editor.get_by_label("Hoe?").select_option("email")
    assert not axe_violations(editor), describe(axe_violations(editor))
    editor.get_by_role("button", name="Wijziging opslaan").click()
    editor.get_by_role("button", name="Ter beoordeling aanbieden").click()
    editor.wait_for_selector("text=ter beoordeling bij een validator")
    review_url = editor.url

    validator = log_in(browser, live_server, "esra")
    validator.goto(review_url)
    assert not axe_violations(validator), describe(axe_violations(validator))
    validator.get_by_role("button", name="Goedkeuren").click()
    validator.wait_for_selector("text=De wijziging is goedgekeurd")
    validator.get_by_role("button", name="Publiceren").click()
    validator.wait_for_selector("text=De wijziging is gepubliceerd")

    page.goto(topic.get_absolute_url())
    story = page.get_by_role("complementary", name="Drie maanden thuis")
    assert "Ervaring van een ouder — dit is het verhaal van één persoon" in story.inner_text()
    assert "Dijkstra" not in page.content()
    assert not axe_violations(page), describe(axe_violations(page))
    story.get_by_role("link", name="Lees het hele verhaal").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Drie maanden thuis"
    assert not axe_violations(page), describe(axe_violations(page))
