"""Journeys on "Mijn vraag" after the first help: three askers in turn ask for a buddy,
and three who rated the help low answer whether to look at their question again; each
only ever changes their own question. Through the test client and the real server (the
fixtures and helpers of tests/steunpunt/test_journeys.py)."""

from tests.steunpunt.test_journeys import (  # noqa: F401 (site and real_server are fixtures)
    QUESTIONS,
    VISITORS,
    ask,
    expect,
    open_form,
    open_question,
    others,
    real_server,
    site,
    unique,
    warm_up,
)

BUDDY_BUTTON = "Ik wil graag een ervaringsouder of buddy"


def test_three_askers_in_turn_ask_for_a_buddy_from_their_own_question(site):  # noqa: F811
    questions = unique(QUESTIONS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    warm_up(site, "/vraag/terug/")
    for n, (asker, code) in enumerate(zip(askers, codes, strict=True)):
        # Whoever asked before: this asker's own question still offers the buddy.
        mine = open_question(asker, code)
        expect(mine, 200, BUDDY_BUTTON, questions[n], absent=others(questions, n))
        asked = asker.post("/vraag/terug/buddy/", {})
        expect(asked, 302, to="/vraag/terug/gesprek/")
        expect(
            asker.get("/vraag/terug/gesprek/"),
            200,
            "Wij hebben uw vraag om een buddy genoteerd.",
            "U heeft om een buddy gevraagd.",
            questions[n],
            absent=(BUDDY_BUTTON, *others(questions, n)),
        )


def test_three_unhappy_askers_in_turn_say_whether_to_look_again(site):  # noqa: F811
    questions = unique(QUESTIONS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    site.staff_close(codes)
    warm_up(site, "/vraag/terug/")
    wishes = ["ja", "nee", "ja"]
    for n, (asker, code, wish) in enumerate(zip(askers, codes, wishes, strict=True)):
        open_question(asker, code)
        open_form(asker, "/vraag/terug/beoordeling/", "Voelde u zich gehoord?")
        rated = asker.post(
            "/vraag/terug/beoordeling/", {"listened": "1", "helped": "2", "recommend": "1"}
        )
        expect(rated, 302, to="/vraag/terug/beoordeling/")
        open_form(asker, "/vraag/terug/beoordeling/", "Wilt u dat we opnieuw naar uw vraag kijken?")
        answered = asker.post("/vraag/terug/beoordeling/opnieuw/", {"reopen": wish})
        expect(answered, 302, to="/vraag/terug/gesprek/")
        told = "Uw vraag staat weer open." if wish == "ja" else "Uw vraag blijft afgerond."
        expect(
            asker.get("/vraag/terug/gesprek/"), 200, told, questions[n], absent=others(questions, n)
        )
    # Each question is where its own asker put it, whatever the others chose.
    for asker, code, wish in zip(askers, codes, wishes, strict=True):
        page = open_question(asker, code)
        closed = "Wij hebben uw vraag afgerond" in page.text
        assert closed == (wish == "nee"), f"{code}: {'closed' if closed else 'open'} after {wish}"
