"""The proof of work on the question form: solved by the page's own script, or a
short wait without JavaScript; made for each visit, never kept for others."""

import re
import time

import pytest
from django.test import Client

from steunen.models import Case
from steunpunt import puzzle
from steunpunt.cache import kept_form_fields
from tests.servers import Visitor, return_code
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db


def puzzle_on(page: str) -> str:
    match = re.search(r'name="puzzle" value="([^"]+)"', page)
    assert match, "the form carries no puzzle"
    return match.group(1)


def test_each_visit_gets_a_puzzle_of_its_own_also_when_the_form_comes_from_the_cache():
    pages = [Client().get("/vraag/").text for _ in range(3)]  # the second and third: warm
    puzzles = {puzzle_on(page) for page in pages}
    assert len(puzzles) == 3
    assert all('src="/static/js/puzzle.' in page for page in pages)


def test_a_kept_fragment_can_never_hold_a_puzzle():
    with pytest.raises(ValueError, match="token of one visitor"):
        kept_form_fields("test-fields", lambda: '<input type="hidden" name="puzzle" value="x">')


def test_a_question_with_the_solved_puzzle_goes_at_once(client):
    page = client.get("/vraag/").text
    fresh = puzzle_on(page)
    answer = puzzle.solve(fresh)
    response = client.post("/vraag/", form_data(puzzle=fresh, puzzle_answer=answer))
    assert "Dit is uw code" in response.text
    assert Case.objects.count() == 1


def test_without_javascript_the_question_goes_after_a_short_wait_with_nothing_lost(
    client, settings
):
    settings.PUZZLE_WAIT_SECONDS = 1
    fresh = puzzle_on(client.get("/vraag/").text)
    data = form_data(puzzle=fresh, question="Mijn dochter krijgt geen extra hulp. Wat kan ik doen?")
    first = client.post("/vraag/", data)
    assert first.status_code == 200
    assert "Uw vraag is nog niet verstuurd" in first.text
    assert "druk dan nog een keer op de knop" in first.text
    assert "Mijn dochter krijgt geen extra hulp." in first.text  # what was typed stays
    assert puzzle_on(first.text) == fresh  # the same puzzle: its wait goes on
    assert Case.objects.count() == 0

    time.sleep(1.1)
    second = client.post("/vraag/", data)
    assert "Dit is uw code" in second.text
    assert Case.objects.count() == 1


def test_the_youth_form_asks_to_wait_in_its_own_words(client, settings):
    fresh = puzzle_on(client.get("/vraag/?voor=jongere").text)
    page = client.post("/vraag/?voor=jongere", form_data(puzzle=fresh, voor="jongere"))
    assert "Je vraag is nog niet verstuurd" in page.text


def test_a_solved_puzzle_counts_once(client):
    fresh = puzzle_on(client.get("/vraag/").text)
    answer = puzzle.solve(fresh)
    client.post("/vraag/", form_data(puzzle=fresh, puzzle_answer=answer, submission_token="a"))
    again = client.post(
        "/vraag/", form_data(puzzle=fresh, puzzle_answer=answer, submission_token="b")
    )
    assert "Uw vraag is nog niet verstuurd" in again.text
    assert Case.objects.count() == 1


def test_a_puzzle_made_up_by_the_sender_does_not_count(client):
    made_up = "1:abcd:1:not-signed"
    page = client.post("/vraag/", form_data(puzzle=made_up, puzzle_answer="0"))
    assert "Uw vraag is nog niet verstuurd" in page.text
    assert puzzle_on(page.text) != made_up
    assert Case.objects.count() == 0


def test_a_wrong_answer_counts_as_none(client):
    fresh = puzzle_on(client.get("/vraag/").text)
    wrong = str(int(puzzle.solve(fresh)) + 1)
    while puzzle.solves(fresh, wrong, int(fresh.split(":")[2])):
        wrong = str(int(wrong) + 1)
    page = client.post("/vraag/", form_data(puzzle=fresh, puzzle_answer=wrong))
    assert "Uw vraag is nog niet verstuurd" in page.text


@pytest.fixture
def live_server(live_server, settings):
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


def test_many_visitors_in_turn_each_ask_after_the_caches_are_warm(live_server, settings):
    settings.QUESTIONS_PER_HOUR = 100
    codes = set()
    for number in range(6):
        parent = Visitor(live_server.url)
        assert parent.get("/vraag/").status == 200
        page = parent.post(
            "/vraag/",
            {
                "asker_type": "ouder",
                "question": f"Vraag {number}: hoe vraag ik een gesprek aan?",
                "contact_preference": "geen",
            },
            form="vraagformulier",
        )
        codes.add(return_code(page.text))
    assert None not in codes and len(codes) == 6
