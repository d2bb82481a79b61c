"""Working days for the response-time promise: weekends and holidays don't count."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta


def add_working_days(start: datetime, days: int, holidays: Iterable[date] = ()) -> datetime:
    """The moment ``days`` working days after ``start``, at the same time of day.

    A question sent on a Saturday counts from Monday: the clock only runs on
    working days.
    """
    closed = set(holidays)
    moment = start
    # A start outside working days moves to the next working day's start.
    if moment.weekday() >= 5 or moment.date() in closed:
        moment = moment.replace(hour=9, minute=0, second=0, microsecond=0)
        while moment.weekday() >= 5 or moment.date() in closed:
            moment += timedelta(days=1)
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5 and moment.date() not in closed:
            remaining -= 1
    return moment
