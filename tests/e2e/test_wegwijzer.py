"""A parent whose child stays at home walks the wegwijzer, without and with JavaScript."""

import pytest

from tests.e2e.conftest import axe_violations, describe
from tests.informeren.test_wegwijzer import build_region

pytestmark = pytest.mark.django_db(transaction=True)

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
RESULT = "/wegwijzer/?wie=ouder&wat=thuis&school=vo&gemeente=Lindewaarde"


def _clean(page) -> None:
    found = axe_violations(page, ALL_IMPACTS)
    assert not found, describe(found)


def _answer(page, question: str, choice: str, button: str = "Volgende vraag") -> None:
    assert page.get_by_role("heading", level=1).inner_text() == question
    page.get_by_label(choice).check()
    page.get_by_role("button", name=button).click()


def _check_result(page) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == "Dit kan u helpen"
    main = page.locator("main")
    assert main.get_by_role("link", name="Als uw kind thuiszit").get_attribute("href") == (
        "/informatie/thuiszitten/"
    )
    assert main.get_by_role("link", name="Wijkteam Lindewaarde").is_visible()
    assert main.get_by_role("link", name="Onderwijsconsulenten").is_visible()
    assert main.get_by_role("link", name="Jeugdteam Veldmeer").count() == 0
    assert main.get_by_role("link", name="Koffieochtend voor ouders").is_visible()


def _check_question_form(page) -> None:
    page.get_by_role("link", name="Stel uw vraag").click()
    page.wait_for_url("**/vraag/?**")
    assert page.get_by_label("Ouder of verzorger").is_checked()
    assert page.get_by_label("Op wat voor school zit uw kind?").input_value() == "vo"
    assert page.get_by_label("Mijn kind zit nu thuis, zonder school").is_checked()
    assert page.get_by_label("Als het niet goed gaat op school").is_checked()


def test_a_parent_whose_child_stays_at_home_without_javascript(browser, live_server):
    build_region()
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/")
    page.get_by_role("link", name="Gebruik de wegwijzer").click()
    page.wait_for_url("**/wegwijzer/")
    _answer(page, "Wie zoekt er hulp?", "Ik ben ouder of verzorger")
    page.wait_for_url("**/wegwijzer/?wie=ouder")
    _answer(page, "Wat is er aan de hand?", "Mijn kind zit thuis en gaat niet naar school")
    _answer(page, "Om wat voor school gaat het?", "Middelbare school: vmbo, havo of vwo")
    # One step back, and on again: the answers so far stay in the address.
    page.get_by_role("link", name="Vorige vraag").click()
    _answer(page, "Om wat voor school gaat het?", "Middelbare school: vmbo, havo of vwo")
    _answer(page, "In welke gemeente woont u?", "Lindewaarde", button="Bekijk wat er is")
    page.wait_for_url(f"**{RESULT}")
    _check_result(page)
    assert context.cookies() == []  # nothing kept about the visitor
    _check_question_form(page)
    context.close()


def test_a_parent_whose_child_stays_at_home_with_javascript(browser, live_server):
    build_region()
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/wegwijzer/")
    _clean(page)
    # Marks this very document: a full page load would lose it.
    page.evaluate("window.sameDocument = true")
    beacons = []
    page.on("request", lambda r: beacons.append(r.url) if "/gelezen/" in r.url else None)
    steps = [
        ("Wie zoekt er hulp?", "Ik ben ouder of verzorger", "Volgende vraag", "wie=ouder"),
        (
            "Wat is er aan de hand?",
            "Mijn kind zit thuis en gaat niet naar school",
            "Volgende vraag",
            "wat=thuis",
        ),
        (
            "Om wat voor school gaat het?",
            "Middelbare school: vmbo, havo of vwo",
            "Volgende vraag",
            "school=vo",
        ),
        ("In welke gemeente woont u?", "Lindewaarde", "Bekijk wat er is", "gemeente=Lindewaarde"),
    ]
    for question, choice, button, in_address in steps:
        _answer(page, question, choice, button)
        page.wait_for_url(f"**{in_address}")  # htmx moves the address along
        page.locator("main h1:focus").wait_for()  # the new question has the focus
        assert page.evaluate("window.sameDocument") is True
        _clean(page)
    assert page.url.endswith(RESULT)
    assert page.title().startswith("Dit kan u helpen")
    _check_result(page)
    # The result swapped in is counted once, as "a parent, child at home", and nothing more.
    page.wait_for_timeout(300)
    assert [url.removeprefix(live_server.url) for url in beacons] == ["/gelezen/wegwijzer/3/"]
    # The answers are in the address, not in the browser's storage.
    assert "Lindewaarde" not in page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert context.cookies() == []
    # Back goes to the question before, whole.
    page.go_back()
    page.wait_for_url("**school=vo")
    page.get_by_role("heading", level=1, name="In welke gemeente woont u?").wait_for()
    assert page.locator(".site-header").count() == 1  # the page once, not inside itself
    page.go_forward()
    page.wait_for_url(f"**{RESULT}")
    page.get_by_role("heading", level=1, name="Dit kan u helpen").wait_for()
    _check_result(page)
    _check_question_form(page)
    _clean(page)
    context.close()


def test_a_shared_result_opens_as_it_was_on_a_small_phone(browser, live_server):
    build_region()
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto(RESULT)
    _check_result(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    _clean(page)
    page.goto("/wegwijzer/?wie=ouder&wat=thuis&school=vo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    _clean(page)
    context.close()
