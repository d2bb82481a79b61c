"""A 14-year-old and a 9-year-old find their own way: every page of it says "je"."""

import re

import pytest

from informeren.models import Thema
from steunen.models import AskerType, Case
from tests.e2e.conftest import axe_violations, describe
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db(transaction=True)

# "u" or "uw" as a word, as the reader sees it.
POLITE = re.compile(r"\b(?:u|uw)\b", re.IGNORECASE)


def assert_speaks_to_them(page) -> None:
    text = page.locator("body").inner_text()
    found = [text[max(0, m.start() - 40) : m.end() + 40] for m in POLITE.finditer(text)]
    assert found == [], (page.url, found)
    assert not axe_violations(page), describe(axe_violations(page))


def test_a_youth_reads_asks_and_comes_back_with_the_code_never_called_u(page, settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    Thema.objects.filter(slug="rechten").update(youth_name="Wat mag wel en niet?")
    published_topic(
        "thuiszitten",
        title="Als uw kind thuiszit",
        summary="Gaat uw kind niet naar school? Wacht niet.",
        body="Uw kind zit thuis. Vraag de school om een gesprek.",
        title_jongeren="Als je niet naar school gaat",
        summary_jongeren="Het is niet jouw schuld, en er is hulp.",
        national_jongeren="Ga je al een tijd niet naar school? Je hebt recht op onderwijs.",
    )

    page.goto("/jongeren/")
    assert page.get_by_role("heading", level=1).inner_text() == "Voor jongeren"
    assert_speaks_to_them(page)
    page.get_by_role("link", name="Als je niet naar school gaat").click()
    page.wait_for_url("**/informatie/thuiszitten/jongeren/")
    assert "Je hebt recht op onderwijs." in page.locator(".prose").first.inner_text()
    assert_speaks_to_them(page)

    page.locator(".topic").get_by_role("link", name="Stel je vraag").click()
    page.wait_for_url(re.compile(r"/vraag/\?voor=jongere$"), timeout=30_000)
    assert_speaks_to_them(page)
    page.get_by_label("Wat is je vraag?").fill("Ik zit al weken thuis. Wie kan mij helpen?")
    page.get_by_role("button", name="Verstuur je vraag").click()
    code = page.locator("#return-code").inner_text().strip()
    assert len(code) == 19
    assert_speaks_to_them(page)

    page.locator(".receipt").get_by_role("link", name="Mijn vraag").click()
    page.wait_for_url(re.compile(r"/vraag/terug/\?voor=jongere$"), timeout=30_000)
    assert_speaks_to_them(page)
    page.get_by_label("Je code").fill(code)
    page.get_by_role("button", name="Open mijn vraag").click()
    page.wait_for_url("**/vraag/terug/gesprek/")
    assert "Ik zit al weken thuis." in page.locator(".conversation").inner_text()
    assert_speaks_to_them(page)
    assert Case.objects.get().asker_type == AskerType.JONGERE


def test_a_child_asks_from_the_children_page_with_big_buttons(page):
    published_topic(
        "pesten",
        title="Als uw kind gepest wordt",
        title_kinderen="Gepest worden",
        summary_kinderen="Op school moet je je veilig voelen.",
        national_kinderen="Word je gepest? Vertel het aan iemand die je vertrouwt.",
    )
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/kinderen/")
    assert_speaks_to_them(page)
    tile = page.get_by_role("link", name=re.compile("Gepest worden")).bounding_box()
    assert tile["height"] >= 44

    ask = page.get_by_role("link", name="Vraag het ons")
    assert ask.bounding_box()["height"] >= 44
    ask.click()
    page.wait_for_url("**/vraag/kind/")
    assert_speaks_to_them(page)
    # Few words: the question, a first name if they like, how the answer comes.
    assert page.locator("textarea, input:not([type=hidden])").count() <= 6
    page.get_by_label("Wat wil je vragen of vertellen?").fill("In de pauze doen ze gemeen.")
    send = page.get_by_role("button", name="Verstuur")
    assert send.bounding_box()["height"] >= 44
    send.click()
    assert len(page.locator("#return-code").inner_text().strip()) == 19
    assert_speaks_to_them(page)
    assert Case.objects.get().asker_type == AskerType.KIND


def test_on_a_phone_the_menu_folds_into_one_button_that_works_without_javascript(
    browser, live_server
):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/informatie/")
    wide_menu = page.locator("nav.site-nav")
    assert not wide_menu.is_visible()
    button = page.get_by_text("Menu", exact=True)
    assert button.bounding_box()["height"] >= 24
    menu = page.locator("nav.site-menu__nav")
    assert not menu.is_visible()
    button.click()
    assert menu.is_visible()
    current = menu.locator("[aria-current]")
    assert current.inner_text() == "Informatie"
    menu.get_by_role("link", name="Mijn vraag").click()
    page.wait_for_url("**/vraag/terug/")
    page.get_by_text("Menu", exact=True).click()
    assert page.locator("nav.site-menu__nav [aria-current=page]").inner_text() == "Mijn vraag"
    context.close()
