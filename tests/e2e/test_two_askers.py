"""Two parents ask in turn, each in a browser of their own, and each reads only their own question.

The question form once answered 403 to every visitor after the first: a cache
kept the first visitor's form with its CSRF token. Here two browser contexts
(cookies of their own) ask one after the other on the live server.
"""

import pytest

from tests.e2e.conftest import axe_violations, describe

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = [
    "Mijn zoon krijgt geen extra hulp meer bij rekenen. Mag de school dat stoppen?",
    "Mijn dochter mag niet mee op kamp omdat ze een rolstoel heeft. Wat kan ik doen?",
]


def shown(page) -> str:
    """What the visitor sees, for a failure message."""
    return f"{page.url}: {page.locator('main').inner_text()[:400]!r}"


def test_two_parents_ask_in_turn_and_each_reads_only_their_own_question(
    browser, live_server, settings
):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    contexts = [browser.new_context(base_url=live_server.url, locale="nl-NL") for _ in QUESTIONS]
    try:
        parents = [context.new_page() for context in contexts]
        codes = []
        for parent, question in zip(parents, QUESTIONS, strict=True):
            parent.set_default_timeout(10_000)
            parent.goto("/vraag/")
            parent.get_by_label("Wat is uw vraag?").fill(question)
            with parent.expect_navigation():
                parent.get_by_role("button", name="Verstuur uw vraag").click()
            heading = parent.get_by_role("heading", level=1).inner_text()
            assert heading == "Uw vraag is verstuurd", shown(parent)
            codes.append(parent.locator("#return-code").inner_text().strip())
        assert len(set(codes)) == len(QUESTIONS), "both parents got the same code"
        assert not axe_violations(parents[-1]), describe(axe_violations(parents[-1]))

        for n, (parent, code) in enumerate(zip(parents, codes, strict=True)):
            parent.goto("/vraag/terug/")
            parent.get_by_label("Uw code").fill(code)
            with parent.expect_navigation():
                parent.get_by_role("button", name="Open mijn vraag").click()
            assert parent.url.endswith("/vraag/terug/gesprek/"), shown(parent)
            conversation = parent.locator(".conversation").inner_text()
            assert QUESTIONS[n] in conversation, shown(parent)
            other = QUESTIONS[1 - n]
            assert other not in parent.content(), "a parent sees the other parent's question"
    finally:
        for context in contexts:
            context.close()
