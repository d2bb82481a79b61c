"""Periodic work of the signaleren pillar, run by the scheduler (`manage.py crontask`)."""

from crontask import cron

from signaleren.actions import prepare_quarter_report

# A draft for the quarter that ended, on the first morning of the next one.
cron("0 7 1 1,4,7,10 *")(prepare_quarter_report)
