"""The steunpunt's opening hours: the days and the call-back windows within them.

Open Monday to Friday from STEUNPUNT_OPEN_FROM to STEUNPUNT_OPEN_UNTIL,
closed on the Feestdagen (the same table the response-time promise uses,
steunen/workdays.py). A call-back window is a block of
CALLBACK_WINDOW_MINUTES within those hours.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import dateformat, timezone

from steunen.models import Feestdag


def opening_times() -> tuple[time, time]:
    return time.fromisoformat(settings.STEUNPUNT_OPEN_FROM), time.fromisoformat(
        settings.STEUNPUNT_OPEN_UNTIL
    )


def hours_label() -> dict[str, str]:
    """The opening hours as a parent reads them: {"start": "9.00", "end": "17.00"}."""
    start, end = opening_times()
    return {"start": f"{start.hour}.{start:%M}", "end": f"{end.hour}.{end:%M}"}


@dataclass(frozen=True)
class Window:
    start: time
    end: time

    @property
    def value(self) -> str:
        """What the form sends: the start, "10:00"."""
        return f"{self.start:%H:%M}"

    @property
    def label(self) -> str:
        return f"{self.start:%H.%M}-{self.end:%H.%M}"

    def on(self, day: date) -> tuple[datetime, datetime]:
        """This window on ``day``, as aware moments."""
        return (
            timezone.make_aware(datetime.combine(day, self.start)),
            timezone.make_aware(datetime.combine(day, self.end)),
        )


def windows() -> list[Window]:
    """Every window of an open day, in order."""
    opens, closes = opening_times()
    length = timedelta(minutes=settings.CALLBACK_WINDOW_MINUTES)
    found = []
    at = datetime.combine(date(2000, 1, 3), opens)
    until = datetime.combine(date(2000, 1, 3), closes)
    while at + length <= until:
        found.append(Window(at.time(), (at + length).time()))
        at += length
    return found


def window_starting(value: str) -> Window | None:
    return next((w for w in windows() if w.value == value), None)


def holidays_between(first: date, last: date) -> dict[date, str]:
    return dict(
        Feestdag.objects.filter(date__gte=first, date__lte=last).values_list("date", "name")
    )


def closed_reason(day: date, holidays: dict[date, str]) -> str:
    """ "" on an open day; otherwise why it is closed ("zaterdag", the holiday's name)."""
    if day in holidays:
        return holidays[day]
    if day.weekday() >= 5:
        return dateformat.format(day, "l")
    return ""


def open_days(*, start: date | None = None, count: int | None = None) -> list[date]:
    """The next ``count`` open days from ``start`` (today) on, today included when a
    window of it is still to come."""
    start = start or timezone.localdate()
    count = count or settings.CALLBACK_DAYS_AHEAD
    holidays = holidays_between(start, start + timedelta(days=count * 2 + 30))
    now = timezone.now()
    found: list[date] = []
    if not windows():  # no window fits the opening hours (a misconfiguration): no day
        return found
    day = start
    while len(found) < count and day < start + timedelta(days=count * 2 + 30):
        if not closed_reason(day, holidays) and any(w.on(day)[0] > now for w in windows()):
            found.append(day)
        day += timedelta(days=1)
    return found


def day_label(day: date) -> str:
    return dateformat.format(day, "l j F")
