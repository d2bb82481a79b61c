"""Periodic work of the steunen pillar, run by the scheduler (`manage.py crontask`)."""

from crontask import cron
from django.tasks import task

from steunen.actions import apply_retention
from steunen.appointments import send_appointment_reminders


@cron("30 3 * * *")
@task
def retention() -> dict[str, int]:
    """Daily: erase the personal data of cases past their retention period; the statistics stay.

    Meeting sign-ups are informeren's: informeren/tasks.py forgets them.
    """
    return {"cases": apply_retention()}


# Appointment reminders go out the day before (steunen/appointments.py): from the
# morning on, every hour until the evening, so that an appointment booked or moved
# to tomorrow later in the day is reminded too (each booking once).
cron("0 8-20 * * *")(send_appointment_reminders)


@cron("*/5 * * * *")
@task
def poll_mailbox() -> dict[str, int]:
    """Every five minutes: mails in the steunpunt's mailbox become cases (steunen/mailintake.py).

    With the mail server away it logs the error type and waits for the next
    run; nothing is marked handled that was not taken in.
    """
    from steunen import mailintake

    if not mailintake.configured():
        return {}
    try:
        return mailintake.poll().as_dict()
    except mailintake.MailboxUnavailable:
        return {"unavailable": 1}
