"""Clean markup in the browser (issue 21, items 5 and 6): what axe and the Nu checker
cannot see. Ticks that survive a reload, hidden buttons that stay hidden without
JavaScript, buttons that take focus like links, targets of 24 px, and the school finder
on a phone: results first, filters folded away."""

import pytest

from informeren.models import Begrip, Checklist, ChecklistItem
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


def make_checklist() -> None:
    checklist = Checklist.objects.create(slug="mijn-kind", title="Mijn kind")
    for text in ("Ik heb het OPP gelezen.", "Ik heb een gesprek gevraagd.", "Ik weet wie helpt."):
        ChecklistItem.objects.create(checklist=checklist, text=text)


def test_checklist_ticks_survive_a_reload_and_a_later_visit(page):
    make_checklist()
    page.goto("/checklists/mijn-kind/")
    assert page.get_by_text("blijft alleen op dit apparaat bewaard").is_visible()
    page.get_by_label("Ik heb het OPP gelezen.").check()
    page.get_by_label("Ik weet wie helpt.").check()
    page.reload()
    assert page.get_by_label("Ik heb het OPP gelezen.").is_checked()
    assert not page.get_by_label("Ik heb een gesprek gevraagd.").is_checked()
    assert page.get_by_label("Ik weet wie helpt.").is_checked()
    page.goto("/")
    page.goto("/checklists/mijn-kind/")
    assert page.get_by_label("Ik weet wie helpt.").is_checked()
    # "Alles uitvinken" empties the list, also after a reload.
    page.get_by_role("button", name="Alles uitvinken").click()
    page.reload()
    assert not page.get_by_label("Ik heb het OPP gelezen.").is_checked()


def test_without_javascript_no_promise_and_no_buttons_that_cannot_work(browser, live_server):
    make_checklist()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/checklists/mijn-kind/")
    # Nothing keeps the ticks without the script: the page does not promise it.
    assert not page.get_by_text("blijft alleen op dit apparaat bewaard").is_visible()
    assert not page.get_by_role("button", name="Print deze checklist").is_visible()
    assert not page.get_by_role("button", name="Alles uitvinken").is_visible()
    assert page.locator("button[hidden]:visible").count() == 0
    context.close()


def focus_style(page, selector: str) -> dict:
    page.locator(selector).first.focus()
    return page.locator(selector).first.evaluate(
        """el => { const s = getComputedStyle(el);
                   return {background: s.backgroundColor, color: s.color, shadow: s.boxShadow}; }"""
    )


def test_a_button_takes_focus_like_a_link(page):
    make_checklist()
    page.goto("/checklists/mijn-kind/")
    page.keyboard.press("Tab")  # keyboard mode: :focus-visible applies
    link = focus_style(page, "main a")
    button = focus_style(page, "button[data-checklist-clear]")
    assert button == link
    assert link["background"] == "rgb(255, 191, 71)"  # the yellow of --steunpunt-color-focus


def test_glossary_letters_are_targets_of_at_least_24_pixels(page):
    for term in ("Aanmelden", "OPP", "Zorgplicht"):
        Begrip.objects.create(term=term, slug=term.lower(), explanation=f"Uitleg van {term}.")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/begrippen/")
    letters = page.locator(".letters a")
    assert letters.count() == 3
    for index in range(3):
        box = letters.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


def test_on_a_phone_the_school_finder_shows_results_first(page):
    SchoolFactory(
        name="Basisschool De Linde", phone="0999 40 01 00", website="https://linde.example"
    )
    SchoolFactory(name="Basisschool Het Veld")
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto("/scholen/")
    # The filters are folded away: the results begin on the first screen.
    assert not page.get_by_label("Gemeente").is_visible()
    first = page.get_by_role("link", name="Basisschool De Linde", exact=True)
    assert first.bounding_box()["y"] < 700
    card = page.locator(".school-card", has=first)
    assert card.get_by_role("link", name="0999 40 01 00").get_attribute("href") == "tel:0999400100"
    website = card.get_by_role("link", name="Website Basisschool De Linde")
    assert website.get_attribute("href") == "https://linde.example"

    # Open the filters, choose one; "Wis filters" takes them all away again.
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Speciaal onderwijs", exact=True).check()
    page.get_by_role("button", name="Toon scholen").click()
    page.wait_for_url("**/scholen/?**soort=so**")
    assert page.get_by_text("0 scholen gevonden").is_visible()
    page.locator("#results").get_by_role("link", name="Wis filters").click()
    page.wait_for_url("**/scholen/")
    assert page.get_by_text("2 scholen gevonden").is_visible()


def test_on_a_wide_screen_the_filters_stand_open_beside_the_results(page):
    SchoolFactory(name="Basisschool De Linde")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/scholen/")
    if not page.evaluate("CSS.supports('selector(::details-content)')"):
        pytest.skip("this Chromium cannot show a closed <details>' content")
    assert page.get_by_label("Gemeente").is_visible()
    assert not page.locator("summary", has_text="Filters").is_visible()
    filters = page.get_by_label("Gemeente").bounding_box()
    results = page.get_by_role("link", name="Basisschool De Linde", exact=True).bounding_box()
    assert filters["x"] < results["x"]
