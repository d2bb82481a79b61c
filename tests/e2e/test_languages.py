"""A parent who reads Arabic switches to Arabic, reads a topic right to left, asks, and
comes back with the code; every page in Arabic, mirrored, and without axe violations."""

import pytest

from steunen.models import Case
from tests.e2e.conftest import axe_violations, describe
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "ابني لا يذهب إلى المدرسة منذ شهرين. ماذا يمكنني أن أفعل؟"


def assert_arabic_and_mirrored(page) -> None:
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The header is mirrored: the site's name starts at the right.
    name = page.locator(".site-header__name").bounding_box()
    width = page.viewport_size["width"]
    assert name["x"] + name["width"] > width / 2, name
    violations = axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
    assert not violations, describe(violations)


def test_an_arabic_reading_parent_reads_asks_and_returns_in_arabic(browser, page, live_server):
    published_topic(
        "thuiszitten",
        title="Thuiszitten",
        body="<p>Zit uw kind thuis zonder school? Dan zoekt de school samen met u een plek.</p>",
    )

    # The parent lands on the Dutch home page and picks their language.
    page.goto("/")
    switcher = page.get_by_role("navigation", name="Taal (Language)")
    arabic = switcher.get_by_role("link", name="العربية")
    assert arabic.get_attribute("lang") == "ar"
    arabic.click()
    page.wait_for_url("**/ar/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("مساعدة في")
    assert_arabic_and_mirrored(page)

    # A topic: not translated yet, so the Dutch text, marked Dutch, with a note in Arabic.
    page.goto("/ar/informatie/thuiszitten/")
    assert_arabic_and_mirrored(page)
    assert page.get_by_text("هذا النص غير متوفر بلغتك بعد").is_visible()
    title = page.get_by_role("heading", level=1)
    assert title.get_attribute("lang") == "nl" and title.get_attribute("dir") == "ltr"
    # "Lees voor" in Arabic, where the browser can speak.
    if page.evaluate("'speechSynthesis' in window"):
        group = page.get_by_role("group", name="قراءة النص بصوت عالٍ")
        assert group.get_by_role("button", name="اقرأ بصوت عالٍ").is_visible()

    # The question, in Arabic.
    page.get_by_role("navigation", name="القائمة الرئيسية").get_by_role(
        "link", name="اطرح سؤالاً"
    ).click()
    page.wait_for_url("**/ar/vraag/")
    assert_arabic_and_mirrored(page)
    parent = page.get_by_label("وليّ أمر أو مُربٍّ")
    if not parent.is_checked():
        parent.check()
    page.get_by_label("ما سؤالك؟").fill(QUESTION)
    page.get_by_role("button", name="أرسل سؤالك").click()
    page.wait_for_selector("#return-code")
    assert page.get_by_role("heading", level=1).inner_text() == "أُرسل سؤالك"
    code = page.locator("#return-code").inner_text().strip()
    assert len(code) == 19
    assert_arabic_and_mirrored(page)
    assert Case.objects.get().language == "ar"

    # Later, in a fresh browser, with only the code.
    later = browser.new_context(base_url=live_server.url, locale="ar").new_page()
    later.set_default_timeout(10_000)
    later.goto("/ar/vraag/terug/")
    assert_arabic_and_mirrored(later)
    later.get_by_label("رمزك").fill(code)
    later.get_by_role("button", name="افتح سؤالي").click()
    later.wait_for_url("**/ar/vraag/terug/gesprek/")
    assert QUESTION in later.locator(".conversation").inner_text()
    assert_arabic_and_mirrored(later)


def test_without_javascript_there_is_no_read_aloud_button(browser, live_server):
    published_topic("zorgplicht", title="Zorgplicht", body="<p>De school zoekt een plek.</p>")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/ar/informatie/zorgplicht/")
    assert page.locator("[data-read-aloud]").is_hidden()
    assert page.locator("[data-read-aloud] button").count() == 0
    context.close()
