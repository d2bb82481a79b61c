"""Calendar periods: the only periods a board report covers.

A report is about a month, a quarter, a half year, a school year (1 August to
31 July) or a calendar year. Such periods either lie apart or one lies wholly
inside the other, except that a school year cuts across the quarter, half
year and calendar year it starts in; see signaleren/figures.py for what that
means for publishing. The coordinator's live figures still take any dates.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


class PeriodError(ValueError):
    """A period that cannot be reported on; the message is for the user."""


class PeriodKind(models.TextChoices):
    MONTH = "maand", _("Maand")
    QUARTER = "kwartaal", _("Kwartaal")
    HALF_YEAR = "halfjaar", _("Halfjaar")
    SCHOOL_YEAR = "schooljaar", _("Schooljaar")
    YEAR = "jaar", _("Kalenderjaar")


def _month_start(year: int, month: int) -> date:
    """The first day of a month, counting months past December into the next years."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def calendar_period(kind: str, day: date) -> "Period":
    """The period of this kind that holds the day."""
    if kind == PeriodKind.SCHOOL_YEAR:
        first = day.year if day.month >= 8 else day.year - 1
        return Period(date(first, 8, 1), date(first + 1, 7, 31))
    per_kind: dict[str, int] = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6}
    months = per_kind.get(kind, 12)
    first_month = months * ((day.month - 1) // months) + 1
    start = date(day.year, first_month, 1)
    return Period(start, _month_start(day.year, first_month + months) - timedelta(days=1))


def quarter_of(day: date) -> "Period":
    return calendar_period(PeriodKind.QUARTER, day)


def _a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("De periode eindigt voordat hij begint.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def kind(self) -> PeriodKind | None:
        """Which calendar period this is, or None for other dates."""
        for kind in PeriodKind:
            if calendar_period(kind, self.start) == self:
                return kind
        return None

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.end and other.start <= self.end

    def previous(self) -> "Period":
        """The calendar period of the same kind before this one; for other dates,
        as many days just before."""
        if self.kind:
            return calendar_period(self.kind, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        if self.kind:
            return calendar_period(self.kind, _a_year_earlier(self.start))
        return Period(_a_year_earlier(self.start), _a_year_earlier(self.end))

    def bounds(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(self.start, time.min))
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return start, end

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} t/m {self.end:%d-%m-%Y}"

    def name(self) -> str:
        """'Kwartaal 3 2026', 'Schooljaar 2025-2026', 'maart 2026'; the dates otherwise."""
        year = self.start.year
        match self.kind:
            case PeriodKind.MONTH:
                return f"{MONTHS[self.start.month - 1]} {year}"
            case PeriodKind.QUARTER:
                return f"Kwartaal {(self.start.month + 2) // 3} {year}"
            case PeriodKind.HALF_YEAR:
                return f"{'Eerste' if self.start.month == 1 else 'Tweede'} halfjaar {year}"
            case PeriodKind.SCHOOL_YEAR:
                return f"Schooljaar {year}-{year + 1}"
            case PeriodKind.YEAR:
                return f"Kalenderjaar {year}"
        return self.label()

    def value(self) -> str:
        """How the compose form names a calendar period: 'kwartaal:2026-07-01'."""
        return f"{self.kind}:{self.start:%Y-%m-%d}"

    @classmethod
    def from_value(cls, value: str) -> "Period":
        kind, _, start = value.partition(":")
        try:
            period = calendar_period(PeriodKind(kind), date.fromisoformat(start))
        except ValueError as error:
            raise PeriodError("Kies een periode uit de lijst.") from error
        if period.start.isoformat() != start:
            raise PeriodError("Kies een periode uit de lijst.")
        return period


# How many periods of each kind the compose form offers, newest first.
OFFERED = {
    PeriodKind.QUARTER: 12,
    PeriodKind.MONTH: 36,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.SCHOOL_YEAR: 4,
    PeriodKind.YEAR: 4,
}


def ended_periods(today: date) -> dict[PeriodKind, list[Period]]:
    """The calendar periods that are over, per kind, newest first."""
    offered = {}
    for kind, count in OFFERED.items():
        periods = [calendar_period(kind, today).previous()]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        offered[kind] = periods
    return offered
