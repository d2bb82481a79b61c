"""A report covers a calendar period: a month, quarter, half year, school year or year."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from signaleren.models import Report
from signaleren.periods import Period, PeriodKind, calendar_period
from tests.conftest import client_for


@pytest.mark.django_db
def test_a_report_period_must_be_a_calendar_period():
    # The two drafts that gave away one question in December: free dates.
    for start, end in [
        (date(2025, 12, 1), date(2026, 11, 30)),
        (date(2026, 1, 1), date(2026, 11, 30)),
    ]:
        with pytest.raises(ValidationError, match="kalenderperiode"):
            Report(title="x", period_start=start, period_end=end).full_clean()
    for start, end in [
        (date(2026, 7, 1), date(2026, 7, 31)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2025, 8, 1), date(2026, 7, 31)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    ]:
        Report(title="x", period_start=start, period_end=end).full_clean()


def test_each_kind_of_period_has_a_name_a_previous_one_and_one_a_year_before():
    quarter = calendar_period(PeriodKind.QUARTER, date(2026, 8, 15))
    assert quarter == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert quarter.kind == PeriodKind.QUARTER
    assert quarter.name() == "Kwartaal 3 2026"
    assert quarter.previous() == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert quarter.year_before() == Period(date(2025, 7, 1), date(2025, 9, 30))

    school_year = calendar_period(PeriodKind.SCHOOL_YEAR, date(2026, 3, 1))
    assert school_year == Period(date(2025, 8, 1), date(2026, 7, 31))
    assert school_year.name() == "Schooljaar 2025-2026"
    assert school_year.previous() == Period(date(2024, 8, 1), date(2025, 7, 31))

    march = calendar_period(PeriodKind.MONTH, date(2024, 3, 10))
    assert march.name() == "maart 2024"
    assert march.previous() == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert march.previous().year_before() == Period(date(2023, 2, 1), date(2023, 2, 28))

    half = calendar_period(PeriodKind.HALF_YEAR, date(2026, 11, 1))
    assert half == Period(date(2026, 7, 1), date(2026, 12, 31))
    assert half.name() == "Tweede halfjaar 2026"
    assert half.previous().name() == "Eerste halfjaar 2026"

    year = calendar_period(PeriodKind.YEAR, date(2026, 11, 1))
    assert year.name() == "Kalenderjaar 2026"
    assert year.previous() == year.year_before() == Period(date(2025, 1, 1), date(2025, 12, 31))

    assert Period(date(2025, 12, 1), date(2026, 11, 30)).kind is None


def test_the_compose_form_offers_calendar_periods_never_free_dates(coordinator, time_machine):
    time_machine.move_to("2026-10-01 09:00")
    page = client_for(coordinator).get(reverse("signaleren:report_new")).text
    assert 'type="date"' not in page
    assert '<optgroup label="Kwartaal">' in page
    assert "Kwartaal 3 2026" in page
    assert "Schooljaar 2025-2026" in page
    assert "september 2026" in page.lower()
    # Only periods that are over.
    assert "Kwartaal 4 2026" not in page
    assert "Schooljaar 2026-2027" not in page
    # Last quarter is chosen, with a title to match.
    assert '<option value="kwartaal:2026-07-01" selected>' in page
    assert "Signaleringsrapportage Kwartaal 3 2026" in page


@pytest.mark.parametrize(
    "period, message",
    [
        ("2025-12-01/2026-11-30", "Kies een periode uit de lijst."),
        ("kwartaal:2026-07-02", "Kies een periode uit de lijst."),
        ("kwartaal:2099-01-01", "Kies een periode uit de lijst."),
        ("", "Kies een periode."),
    ],
)
def test_a_period_outside_the_list_is_refused(coordinator, period, message):
    response = client_for(coordinator).post(
        reverse("signaleren:report_new"), {"title": "x", "period": period}
    )
    assert message in response.text
    assert Report.objects.count() == 0
