"""axe-core finds nothing on any public page, in any language, at any width.

Every page of the demo region (tests/public_pages.py) in every language, checked by
axe (WCAG 2.0 to 2.2 A and AA, and axe's best practices; every impact) at 1280, 375
and 320 px wide and with the text at 200 % (the root font size doubled, as a
browser's text zoom does), all four in one load of the page. The pages of an asker's
own question (receipts, conversation, evaluation) are reached through their forms.
A page that only shows another's template with other data (a second checklist, a
filtered list: Demo.dutch_only) is checked in Dutch only. The demo loaded once, two
browser windows that run axe at the same time: a few minutes in all.
"""

import pytest
from django.db import connection

from tests.e2e.conftest import AXE_JS
from tests.public_pages import PREFIXES, demo_pages, load_demo

pytestmark = pytest.mark.django_db(transaction=True)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (1280, 375, 320)
HEIGHT = 800
# Started without waiting, so that two pages (two renderer processes) run at once.
START_AXE = """(tags) => {
    window.__axeResult = axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
    }).then(result => result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || ''))
    })));
}"""
AXE_RESULT = "() => window.__axeResult"
SETTINGS = (
    *((f"{width} px", width, "") for width in WIDTHS),
    ("200 % text", WIDTHS[0], "200%"),
)


class Findings:
    """Violations by rule, with where they were found: "page at width"."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def check(self, pages: list, labels: list[str]) -> None:
        """Check the loaded pages (each with its label) at every width and the large text."""
        for name, width, font_size in SETTINGS:
            for page in pages:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                page.evaluate("(size) => document.documentElement.style.fontSize = size", font_size)
                page.evaluate(START_AXE, TAGS)
            for page, label in zip(pages, labels, strict=True):
                self._record(page.evaluate(AXE_RESULT), f"{label} at {name}")

    def _record(self, violations: list[dict], where: str) -> None:
        for violation in violations:
            key = f"{violation['id']} ({violation['impact']}): {violation['help']}"
            self.found.setdefault(key, []).append(f"{where}: {'; '.join(violation['nodes'])}")

    def report(self) -> str:
        return "\n".join(
            f"{rule}\n    " + "\n    ".join(places[:6]) + (f"\n    ... {len(places)} in all")
            for rule, places in sorted(self.found.items())
        )


def submit(page, field: str) -> None:
    """Send the form of this field the way its button does (puzzle.js listens to it)."""
    with page.expect_navigation():
        page.locator(field).evaluate("el => el.form.requestSubmit()")


def test_no_axe_violation_on_any_public_page_in_any_language(browser, live_server, settings):
    if connection.vendor != "sqlite":
        # The pages are the same on either database; CI runs the suite on both.
        pytest.skip("checked once, in the run on SQLite")
    settings.QUESTIONS_PER_HOUR = 1000
    settings.RETURN_CODE_ATTEMPTS = 1000
    settings.RETURN_CODE_FAILURE_DELAY = 0
    load_demo()
    demo = demo_pages()
    findings = Findings()
    # axe comes with every page, before its own scripts (through the DevTools protocol,
    # so the page's strict CSP stays on).
    axe = AXE_JS.read_text(encoding="utf-8")
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.add_init_script(axe)
    page = context.new_page()
    page.set_default_timeout(20_000)

    # Two pages in two windows: while one runs axe, so does the other.
    other_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    other_context.add_init_script(axe)
    pages = [page, other_context.new_page()]
    pages[1].set_default_timeout(20_000)
    for prefix in PREFIXES:
        paths = [p for p in dict.fromkeys(demo.paths) if not (prefix and p in demo.dutch_only)]
        for pair in (paths[i : i + len(pages)] for i in range(0, len(paths), len(pages))):
            for each, path in zip(pages, pair, strict=False):
                response = each.goto(prefix + path)
                assert response.status == 200, (prefix + path, response.status)
            findings.check(pages[: len(pair)], [prefix + path for path in pair])

        # The asker's own pages, through their forms.
        for form, asker_type in (("/vraag/", "ouder"), ("/vraag/kind/", "")):
            page.goto(prefix + form)
            if asker_type:
                page.locator(f"input[name=asker_type][value={asker_type}]").check()
            page.locator("#id_question").fill("Mijn kind zit al weken thuis. Wat nu?")
            submit(page, "#id_question")
            page.wait_for_selector("#return-code")
            findings.check([page], [f"{prefix}{form} (receipt)"])
        for asker, name in ((demo.asker, "conversation"), (demo.youth, "youth conversation")):
            page.goto(f"{prefix}/vraag/terug/")
            page.locator("#id_code").fill(asker.code)
            submit(page, "#id_code")
            page.wait_for_url("**/vraag/terug/gesprek/")
            findings.check([page], [f"{prefix}/vraag/terug/gesprek/ ({name})"])
        page.goto(f"{prefix}/vraag/terug/")
        page.locator("#id_code").fill(demo.closed.code)
        submit(page, "#id_code")
        page.wait_for_url("**/vraag/terug/gesprek/")
        page.goto(f"{prefix}/vraag/terug/beoordeling/")
        findings.check([page], [f"{prefix}/vraag/terug/beoordeling/"])
        context.clear_cookies()

    context.close()
    other_context.close()
    assert not findings.found, findings.report()
