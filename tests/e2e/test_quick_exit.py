"""'Snel weg' in a real browser: in reach on a long page on a phone, and the visit is over.

After it, a new tab in the same browser shows no conversation and Back does
not bring it back: the beacon ended the session on the server, and the
conversation is never kept by the browser (no-store).
"""

import pytest
from django.urls import reverse

from steunen import actions
from tests.e2e.conftest import axe_violations, describe
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db(transaction=True)
QUESTION = "Mijn dochter wordt gepest en de school doet niets."
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
PHONE = {"width": 320, "height": 640}


@pytest.fixture(autouse=True)
def _neutral_site_on_our_server(settings, live_server):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    # This machine has no network: the health check stands in for the neutral site.
    settings.QUICK_EXIT_URL = live_server.url + reverse("healthz")


@pytest.fixture
def long_conversation():
    case, code = ask(QUESTION)
    for number in range(12):
        actions.reply_as_asker(
            case=case,
            body=f"Aanvulling {number}: vandaag ging het weer mis op het schoolplein. " * 4,
        )
    return code


def _open(page, code):
    page.goto(reverse("steunen:return"))
    page.get_by_label("Uw code").fill(code)
    page.get_by_role("button", name="Open mijn vraag").click()
    # Without the script that solves the puzzle, sent within a moment of the page:
    # it asks to press once more (steunpunt/puzzle.py).
    if "nog een keer op de knop" in page.locator("main").inner_text():
        page.wait_for_timeout(1100)
        page.get_by_role("button", name="Open mijn vraag").click()
    page.wait_for_selector(f"text={QUESTION}")


def _context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    context.set_default_timeout(10_000)
    return context


def _button_is_in_view_and_on_top(page) -> bool:
    return page.evaluate(
        """() => {
            const button = document.querySelector('[data-quick-exit-button]');
            const box = button.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            return box.top >= 0 && box.bottom <= window.innerHeight
                && button.contains(document.elementFromPoint(x, y));
        }"""
    )


def test_snel_weg_on_a_long_conversation_on_a_phone_ends_it(
    browser, live_server, long_conversation
):
    context = _context(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    _open(page, long_conversation)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # No keyboard on a phone: no Shift hint.
    assert not page.locator("[data-quick-exit-hint]").is_visible()
    assert not axe_violations(page, ALL_IMPACTS), describe(axe_violations(page, ALL_IMPACTS))

    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > PHONE["height"]  # a long page, scrolled far down
    assert _button_is_in_view_and_on_top(page)

    with page.expect_request(lambda request: request.url.endswith(reverse("quick_exit"))) as sent:
        page.get_by_role("link", name="Snel weg").tap()
    assert sent.value.method == "POST"  # the beacon
    page.wait_for_url("**/healthz")
    sent.value.response()  # the server has answered it

    new_tab = context.new_page()
    new_tab.goto(reverse("steunen:conversation"))
    assert new_tab.url.endswith(reverse("steunen:return"))
    assert QUESTION not in new_tab.content()

    # The conversation was replaced in the history: Back reaches at most the code form.
    page.go_back()
    assert not page.url.endswith(reverse("steunen:conversation"))
    assert QUESTION not in page.content()
    context.close()


def test_at_200_percent_text_the_bar_stays_slim_and_hides_no_focused_field(
    browser, live_server, long_conversation
):
    context = _context(browser, live_server, viewport=PHONE)
    page = context.new_page()
    _open(page, long_conversation)
    # Twice the text size, as a browser's text setting does (CSSOM, allowed by the CSP).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    bar = page.locator("[data-quick-exit]").bounding_box()
    button = page.locator("[data-quick-exit-button]").bounding_box()
    assert bar["width"] <= PHONE["width"]
    assert button["x"] + button["width"] <= PHONE["width"]
    assert bar["height"] < PHONE["height"] / 5  # one line
    # At the top the bar sits above the page, not over it.
    assert page.locator(".site-header").bounding_box()["y"] >= bar["y"] + bar["height"] - 1

    # From the bottom of the page, back up with Shift+Tab to the reply field:
    # it comes into view below the bar, not under it (WCAG 2.4.11).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.name") == "body":
            break
    assert page.evaluate("document.activeElement.name") == "body"
    field = page.get_by_label("Uw reactie").bounding_box()
    bar = page.locator("[data-quick-exit]").bounding_box()
    assert page.evaluate("window.scrollY") > 0
    assert bar["y"] == 0  # stuck to the top
    assert field["y"] >= bar["height"]
    assert _button_is_in_view_and_on_top(page)

    # The skip link (or any #link) scrolls its target to just below the bar.
    page.evaluate("location.hash = '#inhoud'")
    heading = page.get_by_role("heading", name="Mijn vraag", level=1).bounding_box()
    assert page.evaluate("window.scrollY") > 0
    assert heading["y"] >= bar["height"]
    context.close()


def test_the_shift_hint_shows_only_with_a_keyboard_and_a_script(browser, live_server):
    desktop = _context(browser, live_server, viewport={"width": 1280, "height": 800})
    page = desktop.new_page()
    page.goto("/")
    assert page.get_by_text("Of druk drie keer op de Shift-toets.").is_visible()
    desktop.close()

    without_script = _context(
        browser, live_server, viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = without_script.new_page()
    page.goto("/")
    assert not page.get_by_text("Of druk drie keer op de Shift-toets.").is_visible()
    without_script.close()


def test_without_javascript_the_link_ends_the_session_too(
    browser, live_server, long_conversation, settings
):
    settings.PUZZLE_WAIT_SECONDS = 1  # without JavaScript the form asks a short wait
    context = _context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    _open(page, long_conversation)
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url("**/healthz")

    new_tab = context.new_page()
    new_tab.goto(reverse("steunen:conversation"))
    assert new_tab.url.endswith(reverse("steunen:return"))
    assert QUESTION not in new_tab.content()

    # Without a script the page cannot leave the history, but Back asks the
    # server again (no-store) and the server no longer opens the question.
    page.go_back()
    assert QUESTION not in page.content()
    context.close()
