"""The return-code form carries the question form's puzzle (issue 19): solved by
the page's script, or a short wait without JavaScript, never counted as a guess."""

import re

import pytest
from django.test import Client

from steunpunt import puzzle
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db

RETURN = "/vraag/terug/"


def puzzle_on(page: str) -> str:
    match = re.search(r'<form[^>]*id="codeformulier".*?name="puzzle" value="([^"]+)"', page, re.S)
    assert match, "the code form carries no puzzle"
    return match.group(1)


@pytest.fixture
def code(settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    return ask()[1]


def test_a_code_with_the_solved_puzzle_opens_the_question_at_once(client, code):
    fresh = puzzle_on(client.get(RETURN).text)
    sent = {"code": code, "puzzle": fresh, "puzzle_answer": puzzle.solve(fresh)}
    response = client.post(RETURN, sent)
    assert response.status_code == 302
    assert response["Location"] == "/vraag/terug/gesprek/"


def test_without_javascript_a_quick_press_asks_to_press_again(client, code, settings):
    fresh = puzzle_on(client.get(RETURN).text)
    response = client.post(RETURN, {"code": code, "puzzle": fresh})
    page = response.text
    assert response.status_code == 200
    assert "Uw vraag is nog niet geopend." in page
    assert "Druk dan nog een keer op de knop." in page
    assert "/vraag/terug/gesprek/" not in page
    assert puzzle_on(page) == fresh  # the same puzzle: its wait goes on
    # Pressed again once the wait is over, with the same page, the code opens.
    settings.PUZZLE_WAIT_SECONDS = 0  # the seconds asked for have passed
    again = client.post(RETURN, {"code": code, "puzzle": puzzle_on(page)})
    assert again.status_code == 302


def test_the_field_keeps_the_code_as_it_does_on_a_wrong_code(client, code):
    wrong = "ABCD-EFGH-JKLM-NPQR"
    fresh = puzzle_on(client.get(RETURN).text)
    waiting = client.post(RETURN, {"code": wrong, "puzzle": fresh}).text
    assert f'value="{wrong}"' in waiting
    assert "Deze code kennen wij niet" not in waiting


def test_a_wait_is_not_counted_as_a_guess(client, code, settings):
    settings.RETURN_CODE_ATTEMPTS = 2
    for _ in range(5):  # pressed quickly again and again, without JavaScript
        fresh = puzzle_on(client.get(RETURN).text)
        assert (
            client.post(RETURN, {"code": "ABCD-EFGH-JKLM-NPQR", "puzzle": fresh}).status_code == 200
        )
    fresh = puzzle_on(client.get(RETURN).text)
    sent = {"code": code, "puzzle": fresh, "puzzle_answer": puzzle.solve(fresh)}
    assert client.post(RETURN, sent).status_code == 302


def test_a_code_without_any_puzzle_does_not_open(code):
    response = Client().post(RETURN, {"code": code})
    assert response.status_code == 200
    assert "Druk dan nog een keer op de knop." in response.text
