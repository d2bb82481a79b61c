"""Background work in production: tasks are rows in the database, run by a worker.

A mail server that is down delays a notification but loses none: the worker
tries again later, with a growing wait.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from steunen.models import Case, ContactPreference
from steunpunt.mail import retry_delay
from steunpunt.roles import Role
from tests.factories import UserFactory
from tests.steunen.helpers import ask, form_data

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    return settings


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def mail_server_down(settings) -> None:
    # Nothing listens on port 9 of loopback: connecting is refused, as with a server that is down.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }


def mail_server_back(settings) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_a_question_is_mailed_to_staff_by_the_worker_not_the_request(database_tasks):
    UserFactory(username="sanne", email="sanne@steunpunt.example", roles=[Role.MEDEWERKER])
    case, _code = ask()
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert [m.subject for m in mail.outbox] == [f"Nieuwe vraag {case.reference}"]
    assert "thuis" not in mail.outbox[0].body  # the question never travels by mail


def test_a_question_and_its_notification_are_saved_by_one_commit(database_tasks, client):
    # One commit: no moment where the question is saved and its notification
    # not yet (a crash there would leave staff unwarned), and one disk flush
    # per question instead of two (the load benchmark's "submit a question").
    UserFactory(username="sanne", email="sanne@steunpunt.example", roles=[Role.MEDEWERKER])
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/vraag/", form_data())
    assert "Dit is uw code" in response.text
    statements = [q["sql"] for q in queries.captured_queries]
    assert statements.count("COMMIT") == 1
    after_the_commit = statements[statements.index("COMMIT") + 1 :]
    assert not [sql for sql in after_the_commit if sql.startswith(("INSERT", "UPDATE"))]
    run_worker()
    assert [m.subject for m in mail.outbox] == [f"Nieuwe vraag {Case.objects.get().reference}"]


def test_a_question_that_is_not_saved_leaves_no_notification(database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask()
        raise RuntimeError("the database refused the rest of the transaction")
    run_worker()
    assert not Case.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert mail.outbox == []


def test_a_mail_server_that_is_down_delays_the_notification_but_loses_none(
    database_tasks, time_machine
):
    UserFactory(username="sanne", email="sanne@steunpunt.example", roles=[Role.MEDEWERKER])
    time_machine.move_to(timezone.now(), tick=False)
    mail_server_down(database_tasks)
    case, _code = ask()

    run_worker()  # attempt 1 fails
    run_worker()  # attempt 2 is not due yet
    assert mail.outbox == []
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.args_kwargs["kwargs"] == {"delivery_attempt": 2}

    time_machine.shift(retry_delay(1) + timedelta(seconds=1))
    run_worker()  # attempt 2 fails too: the next wait is longer
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").get().args_kwargs["kwargs"] == {
        "delivery_attempt": 3
    }

    mail_server_back(database_tasks)
    time_machine.shift(retry_delay(2) + timedelta(seconds=1))
    run_worker()
    assert [m.subject for m in mail.outbox] == [f"Nieuwe vraag {case.reference}"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_after_the_last_attempt_the_failure_stays_visible(database_tasks):
    database_tasks.MAIL_ATTEMPTS = 2
    UserFactory(username="sanne", email="sanne@steunpunt.example", roles=[Role.MEDEWERKER])
    mail_server_down(database_tasks)
    ask()
    run_worker()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_asker_is_mailed_at_the_address_the_case_has_when_the_mail_goes(database_tasks):
    from steunen import actions

    staff = UserFactory(username="sanne", roles=[Role.MEDEWERKER])
    case, _code = ask(contact_preference=ContactPreference.EMAIL, email="ouder@voorbeeld.nl")
    actions.send_answer(case=case, by=staff, body="Bel de school gerust.")
    # The task holds the case number, never the address or the answer.
    for row in DBTaskResult.objects.all():
        assert "ouder@voorbeeld.nl" not in str(row.args_kwargs)
    run_worker()
    assert ["ouder@voorbeeld.nl"] in [m.to for m in mail.outbox]
    assert all("Bel de school" not in m.body for m in mail.outbox)


def test_the_scheduler_knows_every_periodic_task():
    from crontask import scheduler

    import informeren.tasks  # noqa: F401
    import signaleren.tasks  # noqa: F401
    import steunen.tasks  # noqa: F401
    import steunpunt.tasks  # noqa: F401

    names = {job.name for job in scheduler.get_jobs()}
    assert {
        "send_reminders",
        "flush_read_counts",
        "retention",
        "meeting_retention",
        "prepare_quarter_report",
        "prune_task_results",
    } <= names
