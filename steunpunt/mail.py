"""Email as background tasks that outlive a mail server that is down.

A notification is a task (see TASKS in the settings). When the mail server
cannot be reached or answers "try again later" (4xx), the task enqueues
itself again with a growing wait, up to MAIL_ATTEMPTS times; a permanent
refusal (5xx) fails at once and stays visible in the task table. The log
names the task and the error type only: never an address or a text.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.db import router, transaction
from django.tasks import Task, TaskContext, task
from django.utils import timezone

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """Wait before the next attempt: 1, 2, 4, ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempt - 1), 60))


def is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    # No connection, a dropped connection, a timeout: the server may come back.
    return isinstance(error, (smtplib.SMTPServerDisconnected, OSError))


def mail_task[**P](func: Callable[P, object]) -> Task[P, object]:
    """Make ``func`` (which sends mail) a task that tries again when mail is down.

    The task takes ``func``'s arguments (``delivery_attempt`` is its own, for the retries).
    """

    def deliver(
        context: TaskContext[Any, Any], /, *args: Any, delivery_attempt: int = 1, **kwargs: Any
    ) -> object:
        try:
            return func(*args, **kwargs)
        except (smtplib.SMTPException, OSError) as error:
            this_task = context.task_result.task
            last = delivery_attempt >= settings.MAIL_ATTEMPTS
            if last or not is_temporary(error) or not this_task.get_backend().supports_defer:
                raise
            later = timezone.now() + retry_delay(delivery_attempt)
            this_task.using(run_after=later).enqueue(
                *args, delivery_attempt=delivery_attempt + 1, **kwargs
            )
            logger.warning(
                "Mail task %s not delivered (%s); attempt %d of %d follows at %s",
                this_task.name,
                type(error).__name__,
                delivery_attempt + 1,
                settings.MAIL_ATTEMPTS,
                later.isoformat(timespec="seconds"),
            )
            return None

    # The task is found again by module and name, so it takes func's; not
    # functools.wraps, whose __wrapped__ would hide the context argument.
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(deliver, attribute, getattr(func, attribute))
    return cast("Task[P, object]", task(takes_context=True)(deliver))


def send_after_commit(mail: Task[..., object], *args: Any) -> None:
    """Have ``mail`` sent once the current transaction has committed.

    Where tasks are rows in this same database (the database backend, in
    production), the task is written inside the transaction: the worker sees
    it only after the commit, a rollback takes it away with the rest, and the
    one commit that saves a case saves its notification too. So no
    notification is lost between two commits, and a question costs the disk
    one commit, not two. Outside a transaction that is an ordinary enqueue.

    Other backends (the immediate one in development and tests) run the task
    on enqueue, so they are called after the commit. robust: what the
    transaction saved is saved and acknowledged to the user even if that
    fails; the error is logged, and staff still find the case in their inbox.
    """
    if _tasks_are_rows_in(transaction.get_connection().alias, mail):
        mail.enqueue(*args)
    else:
        transaction.on_commit(lambda: mail.enqueue(*args), robust=True)


def _tasks_are_rows_in(alias: str, mail: Task[..., object]) -> bool:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(mail.get_backend(), DatabaseBackend) and (
        router.db_for_write(DBTaskResult) == alias
    )
