"""A visitor opens the portal in a real browser."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import axe_violations, describe

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_has_no_serious_accessibility_violations(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Hulp bij passend onderwijs"
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_htmx_loads_from_our_own_server(page):
    page.goto("/")
    assert page.evaluate("typeof htmx") == "object"


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Direct naar de inhoud"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_three_shift_presses_leave_the_site_without_a_way_back(page, live_server, settings):
    settings.QUICK_EXIT_URL = live_server.url + reverse("healthz")
    page.goto(reverse("privacy"))
    page.goto("/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/healthz")
    page.go_back()
    # The home page was replaced in history: Back skips it.
    assert page.url.endswith(reverse("privacy"))


def test_typing_capitals_does_not_trigger_the_quick_exit(page, live_server, settings):
    settings.QUICK_EXIT_URL = live_server.url + reverse("healthz")
    page.goto(reverse("account:login"))
    page.goto("/")
    page.keyboard.press("Shift+A")
    page.keyboard.press("Shift+B")
    page.keyboard.press("Shift+C")
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/"


def test_quick_exit_button_replaces_the_page(page, live_server, settings):
    settings.QUICK_EXIT_URL = live_server.url + reverse("healthz")
    page.goto(reverse("privacy"))
    page.goto("/")
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url("**/healthz")
    page.go_back()
    assert page.url.endswith(reverse("privacy"))


def test_layout_fits_a_320_pixel_screen(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
