"""A Dutch text change marks its translations outdated (issue 21, languages).

An editor translates a published Dutch page into English, a second person
approves and publishes it; an English-reading parent reads it under /en/ with
the date of the Dutch text it follows. Then the Dutch text changes: the
English page still shows the translation, now with a note that the Dutch text
has changed and a link to it, and the editors' overview says "verouderd".
"""

import pytest

from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dutch_text_change_marks_its_translation_outdated(browser, page, live_server):
    topic = published_topic(
        "thuiszitten",
        title="Als uw kind thuiszit",
        body="Wacht niet als uw kind thuiszit. Er is hulp.",
    )
    UserFactory(username="tom", roles=[Role.REDACTEUR])
    UserFactory(username="esra", roles=[Role.VALIDATOR])

    # The editor starts the English translation from the topic's page.
    editor = log_in(browser, live_server, "tom")
    editor.goto(f"/redactie/onderwerpen/{topic.pk}/")
    editor.get_by_role("button", name="vertaling maken (Engels)").click()
    editor.get_by_label("Titel", exact=True).fill("When your child is at home")
    editor.get_by_label("Samenvatting", exact=True).fill("Do not wait: there is help.")
    editor.get_by_label("Landelijke tekst voor ouders").fill(
        "Do not wait when your child stays at home. There is help."
    )
    assert not axe_violations(editor), describe(axe_violations(editor))
    editor.get_by_role("button", name="Opslaan").click()
    editor.get_by_role("button", name="Ter beoordeling aanbieden").click()
    editor.wait_for_selector("text=De vertaling ligt nu ter beoordeling")
    review_url = editor.url

    # The author may not approve it; a second person does, and publishes it.
    assert editor.get_by_role("button", name="Goedkeuren").count() == 0
    validator = log_in(browser, live_server, "esra")
    validator.goto(review_url)
    validator.get_by_role("button", name="Goedkeuren").click()
    validator.wait_for_selector("text=De vertaling is goedgekeurd")
    validator.get_by_role("button", name="Publiceren").click()
    validator.wait_for_selector("text=De vertaling is gepubliceerd")

    # An English-reading parent reads it.
    page.goto("/en/informatie/thuiszitten/")
    assert page.get_by_role("heading", level=1).inner_text() == "When your child is at home"
    assert page.get_by_text("Translation of the Dutch text of").is_visible()
    assert page.get_by_text("The Dutch text has changed since").count() == 0
    assert page.locator("article h1").get_attribute("lang") is None
    assert not axe_violations(page), describe(axe_violations(page))

    # The Dutch text changes: a new version, approved and published by two people.
    editor.goto(f"/redactie/onderwerpen/{topic.pk}/")
    editor.get_by_role("button", name="Tekst wijzigen").click()
    editor.get_by_label("Landelijke tekst voor ouders").fill(
        "Bel het steunpunt als uw kind langer dan een week thuiszit."
    )
    editor.get_by_role("button", name="Opslaan").click()
    editor.get_by_role("button", name="Ter beoordeling aanbieden").click()
    editor.wait_for_selector("text=ter beoordeling bij een validator")
    validator.goto(editor.url)
    validator.get_by_role("button", name="Goedkeuren").click()
    validator.get_by_role("button", name="Publiceren").click()
    validator.wait_for_selector("text=De versie is gepubliceerd")

    # The English page still shows the translation, now marked outdated, with the link.
    # (Read in a new browser: the first one may keep the page it read for a few seconds.)
    page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    page.goto("/en/informatie/thuiszitten/")
    assert page.get_by_role("heading", level=1).inner_text() == "When your child is at home"
    note = page.get_by_role("note").filter(has_text="The Dutch text has changed since")
    assert note.is_visible()
    assert not axe_violations(page), describe(axe_violations(page))
    note.get_by_role("link", name="Read the new Dutch text").click()
    page.wait_for_url("**/informatie/thuiszitten/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_text("langer dan een week thuiszit").is_visible()

    # The editors' overview says which translation is outdated.
    editor.goto("/redactie/")
    row = editor.get_by_role("row").filter(
        has=editor.get_by_role("link", name="Als uw kind thuiszit")
    )
    assert "EN verouderd" in row.inner_text().replace("\xa0", " ")
    assert "AR ontbreekt" in row.inner_text().replace("\xa0", " ")
