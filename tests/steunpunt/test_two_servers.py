"""Two app servers, one database, one Redis: nothing a visitor does is tied to one server.

This backs the claims of docs/scaling.md: sessions live in the database, the
CSRF check needs only the shared SECRET_KEY, and the page cache and its
invalidation live in Redis. Each server is a bin/serve (granian) process of its own,
as behind a load balancer.
"""

import re
import time

import pytest
from django_otp.oath import TOTP

from steunen.demo import DEMO_CODE
from steunpunt.management.commands.load_demo import DEMO_PASSWORD, demo_totp_key
from tests.servers import (
    Portal,
    Visitor,
    hidden_field,
    production_database,
    read_back,
    return_code,
    shell,
)

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module")
def servers():
    with production_database(REDIS_URL) as env:
        school_pk = shell(
            "from informeren.models import School; print(School.objects.order_by('pk')[0].pk)",
            env,
        )
        with Portal(env, workers=1) as first, Portal(env, workers=1) as second:
            yield first, second, int(school_pk)


def test_a_session_started_on_one_server_goes_on_on_the_other(servers):
    first, second, _ = servers
    asker = Visitor(first.url)
    asker.get("/vraag/terug/")
    opened = asker.post("/vraag/terug/", {"code": DEMO_CODE})
    assert opened.status == 302
    # The same browser, the next request lands on the other server.
    asker.base_url = second.url
    conversation = asker.get("/vraag/terug/gesprek/")
    assert conversation.status == 200
    assert "/vraag/terug/sluiten/" in conversation.text  # the open conversation, not the code form


def test_a_form_from_one_server_is_accepted_by_the_other(servers):
    first, second, _ = servers
    parent = Visitor(first.url)
    form = parent.get("/vraag/")
    parent.base_url = second.url
    page = parent.post(
        "/vraag/",
        {
            "submission_token": hidden_field(form.text, "submission_token"),
            "asker_type": "ouder",
            "question": "Kan mijn zoon met een rugzakje naar het vmbo?",
            "contact_preference": "geen",
        },
    )
    assert page.status == 200
    code = return_code(page.text)
    # And the first server opens it with the code.
    assert "rugzakje naar het vmbo" in read_back(first.url, code)


def signed_in(url: str, username: str) -> Visitor:
    """A demo user past both steps (each demo user signs in once per module: one TOTP code)."""
    user = Visitor(url)
    user.get("/account/login/")
    login = user.post("/account/login/", {"username": username, "password": DEMO_PASSWORD})
    assert login.status == 302, login.status
    user.get("/account/tweestaps/")
    key = bytes.fromhex(demo_totp_key(username))
    verified = user.post("/account/tweestaps/", {"token": f"{TOTP(key).token():06d}"})
    assert verified.status == 302
    return user


def test_a_question_sent_to_one_server_is_in_the_inbox_on_the_other_at_once(servers):
    first, second, _ = servers
    staff = signed_in(second.url, "medewerker")

    def new_questions() -> int:
        inbox = staff.get("/medewerkers/vragen/")
        assert inbox.status == 200
        return int(re.search(r"Nieuw: <strong>(\d+)</strong>", inbox.text).group(1))

    before = new_questions()
    assert new_questions() == before  # the second look comes from what the server kept
    parent = Visitor(first.url)
    form = parent.get("/vraag/")
    sent = parent.post(
        "/vraag/",
        {
            "submission_token": hidden_field(form.text, "submission_token"),
            "asker_type": "ouder",
            "question": "Wie betaalt de taxi naar de nieuwe school?",
            "contact_preference": "geen",
        },
    )
    assert sent.status == 200
    assert new_questions() == before + 1  # no waiting: the inbox asks Redis every time


def test_an_edit_on_one_server_refreshes_the_cached_page_on_the_other(servers):
    first, second, school_pk = servers
    school_page = f"/scholen/{school_pk}/"
    before = Visitor(second.url).get(school_page)
    assert before.status == 200
    assert Visitor(second.url).get(school_page).text == before.text  # from the cache

    editor = signed_in(first.url, "redacteur")
    profile = editor.get(f"/redactie/scholen/{school_pk}/")
    assert profile.status == 200
    saved = editor.post(
        f"/redactie/scholen/{school_pk}/",
        {
            "profile_summary": "Kleine klassen en een vaste coach voor elke leerling.",
            "profile_checked_at": "2026-11-01",
        },
    )
    assert saved.status == 302, saved.text[:500]

    # The other server asks Redis for the content generation once a second.
    saved_at = time.monotonic()
    while "Kleine klassen en een vaste coach" not in Visitor(second.url).get(school_page).text:
        assert time.monotonic() - saved_at < 3, "the other server still shows the old page"
        time.sleep(0.1)
