"""Housekeeping of the task table itself, run by the scheduler (`manage.py crontask`)."""

from crontask import cron
from django.conf import settings
from django.core.management import call_command
from django.tasks import task


@cron("15 4 * * *")
@task
def prune_task_results() -> None:
    """Finished tasks hold ids in their arguments: keep them a day, failures a month."""
    if settings.TASKS_BACKEND != "database":
        return
    call_command("prune_db_task_results", min_age_days=1, failed_min_age_days=30, verbosity=0)
