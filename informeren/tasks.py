"""Periodic work of the informeren pillar, run by the scheduler (`manage.py crontask`).

The tasks themselves live beside the code they belong to; this module only
gives them their schedule (the scheduler imports every app's `tasks`).
"""

from crontask import cron
from django.tasks import task

from informeren.meetings import forget_participants, send_reminders
from informeren.reviews import send_review_reminders
from informeren.searchlog import forget_old_search_counts
from informeren.subscription import pull_minute, pull_national_feed
from informeren.usage import flush_read_counts

# Reminders go out in the morning of the day before a meeting.
cron("0 8 * * *")(send_reminders)
# Reads are flushed by the first read after a minute; this catches quiet times.
cron("*/10 * * * *")(flush_read_counts)
# Search counts older than thirteen months go (informeren/searchlog.py).
cron("45 3 * * *")(forget_old_search_counts)
# Page owners hear on the first of the month which of their pages are due for review.
cron("0 7 1 * *")(send_review_reminders)
# A region with a national hub pulls its feed hourly, at a minute of its own (issue 26).
cron(f"{pull_minute()} * * * *")(pull_national_feed)


@cron("30 3 * * *")
@task
def meeting_retention() -> int:
    """Daily: names and e-mails of sign-ups go MEETING_RETENTION_DAYS after the meeting."""
    return forget_participants()
