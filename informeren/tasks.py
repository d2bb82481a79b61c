"""Periodic work of the informeren pillar, run by the scheduler (`manage.py crontask`).

The tasks themselves live beside the code they belong to; this module only
gives them their schedule (the scheduler imports every app's `tasks`).
"""

from crontask import cron

from informeren.meetings import send_reminders
from informeren.reviews import send_review_reminders
from informeren.searchlog import forget_old_search_counts
from informeren.usage import flush_read_counts

# Reminders go out in the morning of the day before a meeting.
cron("0 8 * * *")(send_reminders)
# Reads are flushed by the first read after a minute; this catches quiet times.
cron("*/10 * * * *")(flush_read_counts)
# Search counts older than thirteen months go (informeren/searchlog.py).
cron("45 3 * * *")(forget_old_search_counts)
# Page owners hear on the first of the month which of their pages are due for review.
cron("0 7 1 * *")(send_review_reminders)
