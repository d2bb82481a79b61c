"""Journeys with several visitors: every public form, sent by three visitors in turn.

Why: the question form once answered 403 to every visitor after the first,
because a cache in the process kept the first visitor's form with its CSRF
token. No test had a second visitor. Here every public POST form is loaded
and sent by three visitors, one after the other, each with a cookie jar of
their own, after a passer-by has loaded every page first (the caches are
warm). Each visitor sends what a browser sends: the fields of the page *that
visitor* loaded, the CSRF token taken from that HTML (tests/servers.py,
``Visitor``). Each answer is checked as the visitor sees it: a receipt with a
code, the conversation with their own words and never another visitor's.

Every journey runs twice:

- ``test-client``: Django's test client, one ``Client(enforce_csrf_checks=True)``
  per visitor, on the database of the suite (SQLite or PostgreSQL);
- ``real-server``: the portal as production runs it (bin/serve: granian with
  two worker processes, DEBUG off) with PostgreSQL and Redis, one server for
  the whole module.

Staff do their part (answering, closing a case) through the actions, not
through their pages, which are no public forms; on the real server through
manage.py shell. The cancel link comes from the confirmation mail, on the
real server from the mail a worker (manage.py db_worker) sends.

The outside expert's advice link (no login, a link of their own) is such a form too.

Besides the forms, two ways to end a visit: "Klaar: sluit mijn vraag op dit
apparaat" (a form) and "Snel weg", whose script sends a beacon (a bare POST)
and whose link, without JavaScript, goes through the portal.
"""

import json
import re
import secrets
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_string
from email.message import Message
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from informeren.models import Meeting, MeetingKind
from steunen import actions, backoffice_actions, expertlinks
from steunen.backoffice import Consultation
from steunen.models import Outcome, normalise_code
from steunpunt.roles import Role
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic
from tests.servers import (
    Page,
    Portal,
    Visitor,
    manage,
    production_database,
    return_code,
    shell,
)

REDIS_URL = "redis://127.0.0.1:6379/13"  # 12 and 14 belong to other tests
VISITORS = 3
CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}")
MEETING_TITLE = "Ouderavond over het ontwikkelingsperspectief"
CANCEL_LINK = re.compile(r"/bijeenkomsten/afmelden/[\w-]+/")


# --- Where the journeys run -------------------------------------------------------------


class Site:
    """A portal to visit, and what staff and the mail do there."""

    topic_slug: str
    meeting_pk: int

    def visitor(self) -> Visitor:
        raise NotImplementedError

    def staff_answer(self, answers: dict[str, str]) -> None:
        """A medewerker answers each asker's question (return code -> answer)."""
        raise NotImplementedError

    def staff_close(self, codes: list[str]) -> None:
        """A medewerker closes each of these askers' questions."""
        raise NotImplementedError

    def cancel_link(self, email: str) -> str:
        """The cancel link (a path) in the sign-up confirmation mailed to ``email``."""
        raise NotImplementedError

    def expert_links(self, questions: list[str]) -> list[str]:
        """A medewerker asks an outside expert each question; each expert's link (a path)."""
        raise NotImplementedError

    def advice_given(self, questions: list[str]) -> list[list[str]]:
        """What each of these questions' experts wrote back (the replies), in order."""
        raise NotImplementedError

    def run(self, function: Callable[[Any], Any], payload: Any) -> Any:
        """``function(payload)`` where this site keeps its data (JSON in, JSON out): what
        staff prepare or look up for a journey of another module (tests/steunpunt/)."""
        raise NotImplementedError


class ClientVisitor(Visitor):
    """A visitor through Django's test client, with a CSRF check as in production.

    What the site commits is committed for this visitor: callbacks waiting
    for the commit (mail) run after each request, as they do in production.
    """

    def __init__(self, on_commit: Callable):
        super().__init__("http://testserver")
        self.client = Client(enforce_csrf_checks=True)
        self.on_commit = on_commit

    def cookie(self, name: str) -> str | None:
        morsel = self.client.cookies.get(name)
        return morsel.value if morsel else None

    def _request(self, method: str, path: str, body: bytes | None, headers: dict) -> Page:
        headers = dict(headers)
        content_type = headers.pop("Content-Type", "")
        with self.on_commit(execute=True):
            response = self.client.generic(
                method, path, body or b"", content_type=content_type, headers=headers
            )
        found = Message()
        for name, value in response.items():
            found[name] = value
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return Page(response.status_code, content.decode(errors="replace"), found, path)


STAFF = "journeys-medewerker"


def make_region() -> tuple[int, str]:
    """What the journeys visit: a meeting with room and a published page; and a medewerker.

    Run in the test's database, and by manage.py shell for the real server.
    """
    UserFactory(username=STAFF, roles=[Role.MEDEWERKER])
    topic = published_topic(
        "passend-onderwijs",
        title="Passend onderwijs",
        body="Elke school moet een passende plek zoeken.",
    )
    start = timezone.now() + timedelta(days=14)
    meeting = Meeting.objects.create(
        title=MEETING_TITLE, kind=MeetingKind.INFOAVOND, description="Wat staat erin?",
        starts_at=start, ends_at=start + timedelta(hours=2), place="Bibliotheek", capacity=20,
    )  # fmt: skip
    return meeting.pk, topic.slug


def staff_work(*, answer: dict[str, str], close: list[str]) -> None:
    """The medewerker answers questions (return code -> answer) and closes others."""
    staff = User.objects.get(username=STAFF)
    for code, body in answer.items():
        case = actions.find_case_by_code(normalise_code(code))
        actions.send_answer(case=case, by=staff, body=body)
    for code in close:
        case = actions.find_case_by_code(normalise_code(code))
        actions.close(case=case, by=staff, outcome=Outcome.INFORMATIE)


def expert_links(questions: list[str]) -> list[str]:
    """For each question a case of its own, asked of an expert outside the portal; the links."""
    staff = User.objects.get(username=STAFF)
    paths = []
    for n, question in enumerate(questions, 1):
        case, _code = actions.submit_question(question="Een vraag.", asker_type="ouder")
        consultation = backoffice_actions.ask_advice(
            case=case, by=staff, question=question, expert_name=f"Deskundige {n}"
        )
        url = expertlinks.make_link(consultation=consultation, by=staff)
        paths.append(urllib.parse.urlsplit(url).path)
    return paths


def advice_given(questions: list[str]) -> list[list[str]]:
    found = []
    for question in questions:
        (consultation,) = [c for c in Consultation.objects.all() if c.question == question]
        found.append([reply.body for reply in consultation.replies.order_by("pk")])
    return found


class ClientSite(Site):
    def __init__(self, *, on_commit: Callable):
        self.on_commit = on_commit
        self.meeting_pk, self.topic_slug = make_region()

    def visitor(self) -> Visitor:
        return ClientVisitor(self.on_commit)

    def staff_answer(self, answers: dict[str, str]) -> None:
        with self.on_commit(execute=True):
            staff_work(answer=answers, close=[])

    def staff_close(self, codes: list[str]) -> None:
        with self.on_commit(execute=True):
            staff_work(answer={}, close=codes)

    def expert_links(self, questions: list[str]) -> list[str]:
        with self.on_commit(execute=True):
            return expert_links(questions)

    def advice_given(self, questions: list[str]) -> list[list[str]]:
        return advice_given(questions)

    def run(self, function: Callable[[Any], Any], payload: Any) -> Any:
        with self.on_commit(execute=True):
            return json.loads(json.dumps(function(payload)))

    def cancel_link(self, email: str) -> str:
        for sent in mail.outbox:
            if sent.to == [email] and CANCEL_LINK.search(sent.body):
                return CANCEL_LINK.search(sent.body).group(0)
        raise AssertionError(f"no confirmation with a cancel link was mailed to {email}")


class ServerSite(Site):
    """The production server (bin/serve); staff work and mail go through manage.py."""

    def __init__(self, portal: Portal, env: dict[str, str]):
        self.portal = portal
        self.env = env
        self.mails: list[Message] = []
        made = shell(f"from {__name__} import make_region; print(*make_region())", env)
        meeting_pk, self.topic_slug = made.split()
        self.meeting_pk = int(meeting_pk)

    def visitor(self) -> Visitor:
        return Visitor(self.portal.url)

    def _staff(self, *, answer: dict[str, str], close: list[str]) -> None:
        work = json.dumps({"answer": answer, "close": close})
        command = f"import json, os; from {__name__} import staff_work; "
        command += 'staff_work(**json.loads(os.environ["JOURNEY_STAFF"]))'
        shell(command, {**self.env, "JOURNEY_STAFF": work})

    def staff_answer(self, answers: dict[str, str]) -> None:
        self._staff(answer=answers, close=[])

    def staff_close(self, codes: list[str]) -> None:
        self._staff(answer={}, close=codes)

    def run(self, function: Callable[[Any], Any], payload: Any) -> Any:
        name = function.__name__
        command = f"import json, os; from {function.__module__} import {name}; "
        command += f'print(json.dumps({name}(json.loads(os.environ["JOURNEY_PAYLOAD"]))))'
        printed = shell(command, {**self.env, "JOURNEY_PAYLOAD": json.dumps(payload)})
        return json.loads(printed.strip().splitlines()[-1])

    def expert_links(self, questions: list[str]) -> list[str]:
        return self.run(expert_links, questions)

    def advice_given(self, questions: list[str]) -> list[list[str]]:
        return self.run(advice_given, questions)

    def cancel_link(self, email: str) -> str:
        found = self._cancel_link(email)
        if found is None:
            # Mail is a task in the database: a worker sends what waits, here to stdout.
            printed = manage(
                "db_worker", "--batch", "--no-startup-delay", "-v", "0",
                env={**self.env, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            )  # fmt: skip
            self.mails += [message_from_string(m) for m in printed.split("\n" + "-" * 79 + "\n")]
            found = self._cancel_link(email)
        if found is None:
            raise AssertionError(f"no confirmation with a cancel link was mailed to {email}")
        return found

    def _cancel_link(self, email: str) -> str | None:
        for sent in self.mails:
            if sent["To"] != email:
                continue
            for part in sent.walk():
                if part.get_content_type() == "text/plain":
                    found = CANCEL_LINK.search(part.get_payload(decode=True).decode())
                    if found:
                        return found.group(0)
        return None


@pytest.fixture(scope="module")
def real_server() -> Iterator[ServerSite]:
    settings = {
        # Every visitor here comes from 127.0.0.1: one client to the rate limits.
        "QUESTIONS_PER_HOUR": "1000",
        "SIGNUPS_PER_HOUR": "1000",
    }
    with (
        production_database(REDIS_URL, demo=False, **settings) as env,
        Portal(env, workers=2) as portal,  # two processes: visitors land on either
    ):
        yield ServerSite(portal, env)


@pytest.fixture(params=[pytest.param("test-client", marks=pytest.mark.django_db), "real-server"])
def site(request, settings) -> Site:
    if request.param == "real-server":
        return request.getfixturevalue("real_server")
    settings.RETURN_CODE_FAILURE_DELAY = 0
    return ClientSite(on_commit=request.getfixturevalue("django_capture_on_commit_callbacks"))


# --- What a visitor sees ----------------------------------------------------------------


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def seen(page: Page) -> str:
    """What the visitor sees of a page, in a line or three: for failure messages."""
    parts = [f"status {page.status}"]
    if page.headers.get("Location"):
        parts.append(f"to {page.headers['Location']}")
    for tag in ("title", "h1"):
        found = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", page.text, re.S)
        if found:
            parts.append(f"{tag}: {_text(found.group(1))!r}")
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', page.text, re.S)
    if errors:
        parts.append("errors: " + "; ".join(_text(e) for e in errors if _text(e)))
    main = re.search(r"<main[^>]*>(.*?)</main>", page.text, re.S)
    parts.append("shows: " + _text(main.group(1) if main else page.text)[:400])
    return "\n  ".join(parts)


def expect(
    page: Page, status: int, *texts: str, absent: tuple[str, ...] = (), to: str | None = None
) -> Page:
    """The page is what a user should get, or the test fails saying what they got instead."""
    problems = []
    if page.status != status:
        problems.append(f"status {page.status}, not {status}")
    if to is not None and page.headers.get("Location") != to:
        problems.append(f"sent to {page.headers.get('Location')!r}, not {to!r}")
    problems += [f"{t!r} missing" for t in texts if t not in page.text]
    problems += [f"{t!r} shown (someone else's)" for t in absent if t in page.text]
    if problems:
        raise AssertionError(f"{page.url}: " + ", ".join(problems) + "\n  " + seen(page))
    return page


def open_form(visitor: Visitor, path: str, *texts: str) -> Page:
    """Load a page with a form to send; it must never be one that others are served."""
    page = expect(visitor.get(path), 200, *texts)
    if "csrfmiddlewaretoken" in page.text:
        # A page with a CSRF token is this visitor's: a proxy must not keep it.
        cache_control = page.headers.get("Cache-Control", "")
        assert "public" not in cache_control, f"{path} is public ({cache_control}) with a token"
    return page


def link(page: Page, words: str) -> str:
    """The address of the link with these words, as a visitor would click it."""
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>\s*{re.escape(words)}', page.text)
    if not found:
        raise AssertionError(f"{page.url}: no link {words!r}\n  " + seen(page))
    return found.group(1)


def snel_weg(page: Page) -> dict[str, str]:
    """The "Snel weg" button of a page: its link, where it ends the visit, where it goes."""
    found = re.search(r"<a [^>]*data-quick-exit-button[^>]*>", page.text)
    if not found:
        raise AssertionError(f"{page.url}: no Snel weg button\n  " + seen(page))
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', found.group(0)))
    return {
        "href": attributes["href"],
        "end": attributes.get("data-quick-exit-end", ""),
        "to": attributes.get("data-quick-exit-to", attributes["href"]),
    }


def warm_up(site: Site, *paths: str) -> None:
    """A passer-by loads every page first, so that what is kept of it is warm."""
    passer_by = site.visitor()
    for path in paths:
        expect(passer_by.get(path), 200)


def unique(texts: list[str]) -> list[str]:
    """Texts no other journey on the same server uses (the real server lives for the module)."""
    mark = secrets.token_hex(3)
    return [f"{text} (kenmerk {mark}-{n})" for n, text in enumerate(texts, 1)]


QUESTIONS = [
    "Mijn zoon mag niet meer mee met de plusklas. Mag de school dat zomaar besluiten?",
    "Mijn dochter zit al zes weken thuis zonder school. Wie moet nu iets doen?",
    "De school wil een OPP opstellen maar wij zijn het er niet mee eens. Wat nu?",
]
ANSWERS = [
    "Dat mag de school niet zonder overleg met u. Vraag om een gesprek.",
    "De leerplichtambtenaar en het samenwerkingsverband moeten helpen. Wij bellen u.",
    "U mag het OPP niet ondertekenen en toch meepraten. Wij leggen het uit.",
]


def ask(visitor: Visitor, question: str, *, youth: bool = False, path: str = "") -> str:
    """Ask a question through the form (``path``: the child's form); the return code."""
    path = path or ("/vraag/?voor=jongere" if youth else "/vraag/")
    open_form(visitor, path, "Stel je vraag" if youth else "Stel uw vraag")
    receipt = visitor.post(path, {"question": question}, form="vraagformulier")
    expect(
        receipt,
        200,
        "Je vraag is verstuurd" if youth else "Uw vraag is verstuurd",
        "Dit is je code" if youth else "Dit is uw code",
    )
    code = return_code(receipt.text)
    assert code and CODE.fullmatch(code), f"no return code on the receipt: {code!r}"
    return code


def open_question(visitor: Visitor, code: str) -> Page:
    """Come back with the code, as on /vraag/terug/; the conversation page."""
    open_form(visitor, "/vraag/terug/", "Vul de code in")
    opened = visitor.post("/vraag/terug/", {"code": code}, form="codeformulier")
    expect(opened, 302, to="/vraag/terug/gesprek/")
    return expect(visitor.get("/vraag/terug/gesprek/"), 200, "Berichten", "Reageren")


def others(texts: list[str], n: int) -> tuple[str, ...]:
    return tuple(text for i, text in enumerate(texts) if i != n)


# --- The journeys -----------------------------------------------------------------------


def test_three_parents_in_turn_each_get_a_receipt_and_read_their_own_answer(site):
    warm_up(site, "/vraag/", "/vraag/terug/")
    questions, answers = unique(QUESTIONS), unique(ANSWERS)
    parents = [site.visitor() for _ in range(VISITORS)]
    codes, tokens = [], []
    for parent, question in zip(parents, questions, strict=True):
        open_form(parent, "/vraag/", "Stel uw vraag", "Verstuur uw vraag")
        tokens.append(dict(parent.form("/vraag/", "vraagformulier").controls)["submission_token"])
        receipt = parent.post("/vraag/", {"question": question}, form="vraagformulier")
        expect(receipt, 200, "Uw vraag is verstuurd", "Dit is uw code", "Wat gebeurt er nu?")
        codes.append(return_code(receipt.text))
        assert CODE.fullmatch(codes[-1] or ""), f"no return code on the receipt: {codes[-1]!r}"
    assert len(set(codes)) == VISITORS, "two parents got the same code"
    assert len(set(tokens)) == VISITORS, "two parents got the same form (one visit's token)"

    site.staff_answer(dict(zip(codes, answers, strict=True)))
    for n, (parent, code) in enumerate(zip(parents, codes, strict=True)):
        conversation = open_question(parent, code)
        expect(
            conversation,
            200,
            questions[n],
            answers[n],
            absent=others(questions, n) + others(answers, n),
        )


def test_three_youths_in_turn_ask_in_plain_words_and_read_their_own_question(site):
    warm_up(site, "/vraag/?voor=jongere", "/vraag/terug/")
    questions = unique(
        [
            "Mijn mentor luistert niet naar mij als ik zeg dat het te druk is in de klas.",
            "Ik wil naar een andere school maar mijn ouders weten niet hoe dat moet.",
            "Ik mag niet mee op kamp omdat ik extra hulp nodig heb. Is dat eerlijk?",
        ]
    )
    youths = [site.visitor() for _ in range(VISITORS)]
    codes = [
        ask(youth, question, youth=True) for youth, question in zip(youths, questions, strict=True)
    ]
    assert len(set(codes)) == VISITORS
    for n, (youth, code) in enumerate(zip(youths, codes, strict=True)):
        expect(open_question(youth, code), 200, questions[n], absent=others(questions, n))


def test_three_children_in_turn_ask_on_their_own_form_and_read_their_own_question(site):
    warm_up(site, "/vraag/kind/", "/vraag/terug/")
    questions = unique(
        [
            "Ik word gepest in de pauze en de juf ziet het niet.",
            "Ik snap de sommen niet en ik krijg geen hulp.",
            "Ik wil in de klas blijven bij mijn vrienden.",
        ]
    )
    children = [site.visitor() for _ in range(VISITORS)]
    codes = [
        ask(child, question, youth=True, path="/vraag/kind/")
        for child, question in zip(children, questions, strict=True)
    ]
    assert len(set(codes)) == VISITORS
    for n, (child, code) in enumerate(zip(children, codes, strict=True)):
        expect(open_question(child, code), 200, questions[n], absent=others(questions, n))


def test_three_askers_open_only_their_own_question_with_their_code_on_another_device(site):
    questions = unique(QUESTIONS)
    codes = [ask(site.visitor(), question) for question in questions]
    warm_up(site, "/vraag/terug/")
    for n, code in enumerate(codes):
        elsewhere = site.visitor()  # another phone or computer: only the code is the same
        expect(open_question(elsewhere, code), 200, questions[n], absent=others(questions, n))
    # Someone who never entered a code sees nobody's question.
    stranger = site.visitor()
    expect(stranger.get("/vraag/terug/gesprek/"), 302, to="/vraag/terug/")
    expect(stranger.get("/vraag/terug/"), 200, "Vul de code in", absent=tuple(questions))


def test_three_askers_in_turn_reply_and_see_their_own_reply_only(site):
    questions = unique(QUESTIONS)
    replies = unique(
        [
            "Dank u. Het gesprek met school is volgende week dinsdag.",
            "De leerplichtambtenaar heeft nog niet gebeld. Kunt u helpen?",
            "Wij hebben het OPP nog niet getekend. Wat schrijven wij erbij?",
        ]
    )
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    warm_up(site, "/vraag/terug/")
    for n, (asker, code) in enumerate(zip(askers, codes, strict=True)):
        open_question(asker, code)
        sent = asker.post("/vraag/terug/gesprek/", {"body": replies[n]})
        expect(sent, 302, to="/vraag/terug/gesprek/")
        expect(
            asker.get("/vraag/terug/gesprek/"),
            200,
            "Uw reactie is verstuurd",
            questions[n],
            replies[n],
            absent=others(questions, n) + others(replies, n),
        )


def test_three_askers_in_turn_rate_the_help_after_their_question_was_closed(site):
    questions = unique(QUESTIONS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    site.staff_close(codes)
    warm_up(site, "/vraag/terug/")
    remarks = unique(["Fijn en snel geholpen.", "Het duurde lang.", "Goed uitgelegd."])
    for n, (asker, code) in enumerate(zip(askers, codes, strict=True)):
        conversation = open_question(asker, code)
        expect(conversation, 200, "Hoe was onze hulp?", "Wij hebben uw vraag afgerond")
        # The questions have a page of their own.
        expect(asker.get("/vraag/terug/beoordeling/"), 200, "Voelde u zich gehoord?")
        rated = asker.post(
            "/vraag/terug/beoordeling/",
            {"listened": "5", "helped": "4", "recommend": str(3 + n), "remark": remarks[n]},
        )
        expect(rated, 302, to="/vraag/terug/gesprek/")
        expect(
            asker.get("/vraag/terug/gesprek/"),
            200,
            "Dank u wel voor uw beoordeling.",
            questions[n],
            absent=("Hoe was onze hulp?", *others(questions, n)),
        )


def test_three_askers_in_turn_download_their_own_conversation(site):
    questions, answers = unique(QUESTIONS), unique(ANSWERS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    site.staff_answer(dict(zip(codes, answers, strict=True)))
    warm_up(site, "/vraag/terug/")
    for n, (asker, code) in enumerate(zip(askers, codes, strict=True)):
        conversation = open_question(asker, code)
        download = asker.get(link(conversation, "Download het gesprek"))
        expect(
            download,
            200,
            questions[n],
            answers[n],
            absent=others(questions, n) + others(answers, n),
        )
        disposition = download.headers.get("Content-Disposition", "")
        assert disposition == 'attachment; filename="mijn-vraag.txt"', disposition


def test_three_askers_in_turn_delete_their_own_question_and_the_others_stay(site):
    questions = unique(QUESTIONS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    warm_up(site, "/vraag/terug/")
    for n, (asker, code) in enumerate(zip(askers, codes, strict=True)):
        # The questions deleted before this one took nothing of this asker's with them.
        conversation = open_question(asker, code)
        expect(conversation, 200, questions[n], absent=others(questions, n))
        confirm = open_form(asker, link(conversation, "Verwijder mijn vraag"), "Dit kan niet")
        deleted = asker.post(confirm.url, {"confirm": "on"})
        expect(deleted, 200, "Uw vraag is verwijderd", "Uw code werkt niet meer")
    for code in codes:
        again = site.visitor()
        open_form(again, "/vraag/terug/", "Vul de code in")
        refused = again.post("/vraag/terug/", {"code": code}, form="codeformulier")
        expect(refused, 200, "Deze code kennen wij niet", absent=tuple(questions))


def test_three_parents_in_turn_sign_up_for_a_meeting_and_cancel_with_their_own_link(site):
    meeting = f"/bijeenkomsten/{site.meeting_pk}/"
    warm_up(site, meeting)
    names = ["A.B.", "Fatima", "J. de Vries"]
    emails = [f"ouder{n}-{secrets.token_hex(3)}@voorbeeld.nl" for n in range(VISITORS)]
    parents = [site.visitor() for _ in range(VISITORS)]

    def places_left(page: Page) -> int:
        found = re.search(r"Nog (\d+) plaats(en)? vrij", page.text)
        assert found, f"{meeting}: no places shown\n  {seen(page)}"
        return int(found.group(1))

    first = None
    for n, parent in enumerate(parents):
        page = open_form(parent, meeting, MEETING_TITLE, "Aanmelden")
        first = places_left(page) if first is None else first
        assert places_left(page) == first - n, "the page shows places of before a sign-up"
        signed_up = parent.post(meeting, {"name": names[n], "email": emails[n]}, form="aanmelden")
        expect(signed_up, 200, "U bent aangemeld", MEETING_TITLE)

    for n, parent in enumerate(parents):
        cancel = site.cancel_link(emails[n])
        expect(parent.get(cancel), 200, "Wilt u zich afmelden", MEETING_TITLE)
        expect(parent.post(cancel, {}), 200, "U bent afgemeld", MEETING_TITLE)
        expect(parent.get(cancel), 404, "Deze afmeldlink werkt niet")
    assert places_left(site.visitor().get(meeting)) == first


def test_three_readers_in_turn_say_whether_a_page_helped_them(site):
    topic = f"/informatie/{site.topic_slug}/"
    warm_up(site, topic)
    remarks = unique(["Duidelijk verhaal.", "Te veel moeilijke woorden.", "Precies wat ik zocht."])
    for n, reader in enumerate(site.visitor() for _ in range(VISITORS)):
        # The page is the same for everyone: no other reader's thanks on it.
        expect(reader.get(topic), 200, "Heeft deze informatie u geholpen?", absent=("Dank u wel!",))
        sent = reader.post(
            f"{topic}reactie/", {"helpful": "nee" if n == 1 else "ja", "remark": remarks[n]}
        )
        expect(sent, 302, to=f"{topic}?bedankt=1#reactie")
        thanks = reader.get(f"{topic}?bedankt=1")
        expect(thanks, 200, "Dank u wel!", "Met uw reactie maken wij de informatie beter.")


def test_three_askers_in_turn_close_their_question_on_this_device_and_only_their_own(site):
    questions = unique(QUESTIONS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    warm_up(site, "/vraag/terug/")
    for asker, code in zip(askers, codes, strict=True):
        open_question(asker, code)
    for n, asker in enumerate(askers):
        # Those who closed before did not close this asker's question.
        expect(asker.get("/vraag/terug/gesprek/"), 200, questions[n], absent=others(questions, n))
        closed = asker.post("/vraag/terug/sluiten/", {})
        expect(closed, 302, to="/vraag/terug/")
        expect(
            asker.get("/vraag/terug/"),
            200,
            "Uw vraag is gesloten op dit apparaat",
            absent=tuple(questions),
        )
        expect(asker.get("/vraag/terug/gesprek/"), 302, to="/vraag/terug/")


def test_three_askers_in_turn_leave_with_snel_weg_and_only_their_own_question_closes(site):
    questions = unique(QUESTIONS)
    askers = [site.visitor() for _ in range(VISITORS)]
    codes = [ask(asker, question) for asker, question in zip(askers, questions, strict=True)]
    warm_up(site, "/vraag/terug/")
    for asker, code in zip(askers, codes, strict=True):
        open_question(asker, code)
    for n, asker in enumerate(askers):
        # Those who left before did not close this asker's question.
        conversation = asker.get("/vraag/terug/gesprek/")
        expect(conversation, 200, questions[n], absent=others(questions, n))
        button = snel_weg(conversation)
        if n % 2 == 0:
            # With JavaScript: a beacon ends the visit as the neutral site replaces the page.
            assert button["end"], "the Snel weg button names no address to end the visit"
            expect(asker.beacon(button["end"]), 204)
        else:
            # Without JavaScript: the link goes through the portal to the neutral site.
            expect(asker.get(button["href"]), 302, to=button["to"])
        expect(asker.get("/vraag/terug/gesprek/"), 302, to="/vraag/terug/")


ADVICE_QUESTIONS = [
    "Mag een school een leerling met autisme weigeren voor de plusklas?",
    "Welke hulp kan een kind met dyslexie in het voortgezet onderwijs krijgen?",
    "Wie betaalt het vervoer naar een school voor speciaal onderwijs?",
]


def test_three_experts_in_turn_give_advice_through_their_own_link_once(site):
    questions = unique(ADVICE_QUESTIONS)
    advice = unique(["Nee, niet zonder onderzoek.", "Extra tijd bij toetsen.", "De gemeente."])
    links = site.expert_links(questions)
    warm_up(site, *links)  # each expert glanced at the link on their phone first
    experts = [site.visitor() for _ in range(VISITORS)]
    for n, (expert, path) in enumerate(zip(experts, links, strict=True)):
        page = open_form(expert, path, "Uw advies gevraagd", f"Deskundige {n + 1}", questions[n])
        expect(page, 200, absent=others(questions, n))
        assert "no-store" in page.headers.get("Cache-Control", ""), "a link's page may be kept"
        done = expert.post(path, {"body": advice[n]})
        expect(done, 200, "Dank u wel voor uw advies")
        # The link has done its work: opened again, it says so and takes nothing more.
        expect(expert.get(path), 410, absent=(questions[n],))
    assert site.advice_given(questions) == [[text] for text in advice]
