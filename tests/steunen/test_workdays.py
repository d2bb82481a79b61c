from datetime import date, datetime

from steunen.workdays import add_working_days


def test_two_working_days_from_a_tuesday_is_thursday():
    assert add_working_days(datetime(2026, 11, 24, 10, 0), 2) == datetime(2026, 11, 26, 10, 0)


def test_the_weekend_does_not_count():
    # Thursday 14:00 + 2 working days = Monday 14:00
    assert add_working_days(datetime(2026, 11, 26, 14, 0), 2) == datetime(2026, 11, 30, 14, 0)


def test_a_question_on_saturday_counts_from_monday_morning():
    assert add_working_days(datetime(2026, 11, 28, 22, 0), 2) == datetime(2026, 12, 2, 9, 0)


def test_holidays_do_not_count():
    christmas = [date(2026, 12, 25), date(2026, 12, 28)]
    # Thursday 24 Dec + 2: Friday 25 and Monday 28 are closed -> Tuesday 29, Wednesday 30.
    assert add_working_days(datetime(2026, 12, 24, 11, 0), 2, christmas) == datetime(
        2026, 12, 30, 11, 0
    )
