"""Faults in production: PostgreSQL stops in the middle of a busy moment.

The portal runs as in production (bin/serve: granian, connection reuse)
against a PostgreSQL cluster of this test's own, which the test stops and
starts again. While the database is away, pages read before still come
from the cache, everything else gets a friendly 503, and /healthz says so;
when it returns, the portal recovers by itself; and every question that was
acknowledged with a return code is there afterwards.
"""

import itertools
import os
import shutil
import threading
import time
from collections import Counter

import pytest

from tests.servers import (
    Portal,
    PrivatePostgres,
    Visitor,
    ask_question,
    clean_env,
    hidden_field,
    manage,
    postgres_bindir,
    read_back,
)

pytestmark = pytest.mark.skipif(
    postgres_bindir() is None or (os.geteuid() == 0 and not shutil.which("runuser")),
    reason="needs PostgreSQL's server programs to run a private cluster",
)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def test_postgres_stopping_mid_run_costs_no_acknowledged_question():
    postgres = PrivatePostgres().init()
    postgres.start()
    try:
        env = clean_env(
            DATABASE_URL=postgres.create_database("steunpunt"),
            QUESTIONS_PER_HOUR="100000",
            TASKS_BACKEND="database",
        )
        manage("migrate", "--noinput", env=env)
        with Portal(env, workers=2) as portal:
            acknowledged: list[tuple[str, str]] = []
            outcomes: Counter[int] = Counter()
            stop = threading.Event()

            def parents_keep_asking() -> None:
                for n in itertools.count():
                    if stop.is_set():
                        return
                    question = f"Vraag nummer {n}: mijn dochter mag niet mee op schoolreis."
                    try:
                        status, code = ask_question(Visitor(portal.url), question)
                    except OSError:
                        status, code = 0, None  # no answer at all would be a failure
                    outcomes[status] += 1
                    if code:
                        acknowledged.append((code, question))

            asker = threading.Thread(target=parents_keep_asking)
            asker.start()
            try:
                wait_for(lambda: len(acknowledged) >= 5, 60, "questions while all is well")
                assert Visitor(portal.url).get("/").status == 200  # now in the page cache
                postgres.stop()
                down_at = len(acknowledged)

                # Information that was read before stays readable without the database.
                for _ in range(5):
                    assert Visitor(portal.url).get("/").status == 200

                health = Visitor(portal.url).get("/healthz")
                assert health.status == 503
                assert '"database": "unavailable"' in health.text
                # The form itself may still come from the process's cache; sending it cannot.
                parent = Visitor(portal.url)
                form = parent.get("/vraag/")
                page = form
                if form.status == 200:
                    page = parent.post(
                        "/vraag/",
                        {
                            "submission_token": hidden_field(form.text, "submission_token"),
                            "asker_type": "ouder",
                            "question": "Komt deze vraag aan terwijl de database weg is?",
                            "contact_preference": "geen",
                        },
                    )
                assert page.status == 503
                assert "De website is even niet bereikbaar" in page.text
                assert "Dan is uw vraag nog niet bij ons aangekomen" in page.text
                assert page.headers["Retry-After"] == "30"
                wait_for(lambda: outcomes[503] >= 3, 30, "parents see the 503 page")

                postgres.start()
                wait_for(
                    lambda: Visitor(portal.url).get("/healthz").status == 200,
                    30,
                    "the portal finds the database again by itself",
                )
                wait_for(lambda: len(acknowledged) >= down_at + 5, 60, "questions after")
            finally:
                stop.set()
                asker.join(timeout=60)

            assert set(outcomes) <= {200, 503}, outcomes  # never a crash, never silence
            for code, question in acknowledged:
                assert question in read_back(portal.url, code)
    finally:
        postgres.remove()
