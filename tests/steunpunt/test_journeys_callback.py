"""Journeys for the call-back form (/vraag/terugbellen/): three visitors in turn, after
a passer-by warmed the pages, through the test client and the real server (the fixtures
and helpers of tests/steunpunt/test_journeys.py)."""

import re

from tests.servers import Page, Visitor, return_code
from tests.steunpunt.test_journeys import (  # noqa: F401 (site and real_server are fixtures)
    CODE,
    VISITORS,
    expect,
    open_form,
    open_question,
    others,
    real_server,
    site,
    unique,
    warm_up,
)

DAY_OPTION = re.compile(r'<option value="(\d{4}-\d{2}-\d{2})"')


def request_callback(visitor: Visitor, note: str, phone: str, *, youth: bool = False) -> Page:
    path = "/vraag/terugbellen/" + ("?voor=jongere" if youth else "")
    page = open_form(visitor, path, "Bel me terug" if youth else "Bel mij terug")
    # Not today, whose windows may be passing while the test runs: the next open day.
    day = DAY_OPTION.findall(page.text)[1]
    return visitor.post(
        path,
        {"phone": phone, "day": day, "window": "10:00", "note": note},
        form="terugbelformulier",
    )


def test_three_parents_in_turn_ask_to_be_called_back_and_each_sees_only_their_own(site):  # noqa: F811
    warm_up(site, "/vraag/terugbellen/", "/vraag/terug/", "/")
    notes = unique(
        [
            "Graag bellen over het gesprek op school",
            "Bellen over de overstap naar het vo",
            "Bellen over het ontwikkelingsperspectief",
        ]
    )
    phones = ["06 1010 1010", "06 2020 2020", "06 3030 3030"]
    parents = [site.visitor() for _ in range(VISITORS)]
    codes = []
    for parent, note, phone in zip(parents, notes, phones, strict=True):
        receipt = request_callback(parent, note, phone)
        expect(receipt, 200, "Wij bellen u terug", "Dit is uw code", "10.00-11.00")
        codes.append(return_code(receipt.text))
        assert CODE.fullmatch(codes[-1] or ""), f"no return code on the receipt: {codes[-1]!r}"
    assert len(set(codes)) == VISITORS
    for n, (parent, code) in enumerate(zip(parents, codes, strict=True)):
        conversation = open_question(parent, code)
        expect(conversation, 200, "Terugbellen", notes[n], absent=others(notes, n))


def test_three_youths_in_turn_ask_to_be_called_back_in_their_own_words(site):  # noqa: F811
    warm_up(site, "/vraag/terugbellen/?voor=jongere")
    notes = unique(["Ruzie met mijn mentor", "Ik wil van school wisselen", "Hulp bij toetsen"])
    for n, note in enumerate(notes):
        receipt = request_callback(site.visitor(), note, f"06 4040 404{n}", youth=True)
        expect(receipt, 200, "We bellen je terug", "Dit is je code", absent=others(notes, n))
