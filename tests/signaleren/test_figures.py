"""Every aggregate against numbers worked out by hand on a small dataset."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from informeren.models import Thema
from signaleren.figures import compute, hidden_cells
from signaleren.periods import Period, PeriodError, quarter_of
from steunen import actions
from steunen.models import Case, TimeEntry
from tests.factories import OrganisatieFactory, SamenwerkingsverbandFactory
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db

Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def received(day: date, **kwargs) -> Case:
    case, _ = ask(**kwargs)
    Case.objects.filter(pk=case.pk).update(created_at=at(day))
    case.refresh_from_db()
    return case


def table(figures: dict, key: str) -> dict:
    return next(t for t in figures["tables"] if t["key"] == key)


def rows(figures: dict, key: str) -> dict[str, str]:
    return {row["label"]: row["display"] for row in table(figures, key)["rows"]}


@pytest.fixture
def quarter(medewerker):
    """Q3 2026: 14 parents, 3 youths; 2 by phone; 1 thuiszitter; the previous quarter 11 parents."""
    for n in range(14):
        received(
            date(2026, 7, 1) + timedelta(days=n),
            asker_type="ouder",
            themes=Thema.objects.filter(slug="aanmelden"),
        )
    for n in range(3):
        received(date(2026, 8, 1) + timedelta(days=n), asker_type="jongere", thuiszitter=(n == 0))
    for case in Case.objects.filter(asker_type="jongere")[:2]:
        Case.objects.filter(pk=case.pk).update(channel="telefoon")
    for n in range(11):
        received(date(2026, 4, 1) + timedelta(days=n), asker_type="ouder")
    received(date(2026, 10, 2), asker_type="ander")  # after the period: never counted
    return medewerker


def publish_quarter(by, start: date, end: date) -> None:
    from signaleren.actions import publish
    from signaleren.models import Report

    publish(report=Report.objects.create(title="x", period_start=start, period_end=end), by=by)


def test_counts_per_asker_type_with_suppression_and_trend(quarter, coordinator):
    publish_quarter(coordinator, date(2026, 4, 1), date(2026, 6, 30))
    figures = compute(Q3, None, threshold=10)
    assert rows(figures, "asker_type") == {
        "Ouder of verzorger": "14",
        "Jongere (12 jaar of ouder)": "< 10",
        "Kind (jonger dan 12)": "< 10",
        "Iemand anders": "< 10",
    }
    assert table(figures, "asker_type")["total"]["display"] == "17"
    parents = table(figures, "asker_type")["rows"][0]
    assert parents["previous"] == "11" and parents["trend"] == "hoger"


def test_a_single_small_cell_gets_a_complementary_cell_hidden(quarter):
    figures = compute(Q3, None, threshold=10)
    # Thuiszitter: 1 yes, 16 no, total 17. Showing 16 would give away the 1; and
    # "< 10" beside 16 would not be true.
    assert rows(figures, "thuiszitter") == {"Ja": "verborgen", "Nee": "verborgen"}
    assert table(figures, "thuiszitter")["total"]["display"] == "17"


def test_a_total_is_never_shown_beside_parts_that_cannot_add_up_to_it(db):
    received(date(2026, 8, 3), thuiszitter=True)
    for _ in range(10):
        received(date(2026, 8, 4))
    figures = compute(Q3, None, threshold=3)
    # It said "Ja < 3 · Nee < 3 · Totaal 11": two numbers under 3 never make 11.
    assert rows(figures, "thuiszitter") == {"Ja": "verborgen", "Nee": "verborgen"}
    for each in figures["tables"]:
        total = each.get("total", {}).get("value")
        if total is None:
            continue
        shown = sum(row["value"] for row in each["rows"] if row["value"] is not None)
        displays = [row["display"] for row in each["rows"] if row["value"] is None]
        assert shown <= total
        if "verborgen" not in displays:
            assert displays == ["< 3"] * len(displays)
            assert shown + 2 * len(displays) >= total, each["title"]


def test_hidden_values_are_not_stored_anywhere_in_the_figures(quarter):
    figures = compute(Q3, None, threshold=10)
    for row in table(figures, "thuiszitter")["rows"]:
        assert row["value"] is None


def test_several_small_cells_hide_each_other(quarter):
    figures = compute(Q3, None, threshold=10)
    # web 15, telefoon 2, e-mail 0, inloop 0: three cells are hidden, so none of
    # them follows from the total and web may be shown.
    assert rows(figures, "channel") == {
        "Website": "15",
        "Telefoon": "< 10",
        "E-mail": "< 10",
        "Inloop": "< 10",
    }


def test_lower_threshold_shows_more(quarter):
    figures = compute(Q3, None, threshold=2)
    assert rows(figures, "asker_type")["Jongere (12 jaar of ouder)"] == "3"
    assert rows(figures, "channel") == {
        "Website": "15",
        "Telefoon": "2",
        "E-mail": "< 2",
        "Inloop": "< 2",
    }


def test_themes_are_counted_per_theme(quarter):
    figures = compute(Q3, None, threshold=10)
    assert rows(figures, "themes")["Aanmelden en toelating"] == "14"
    assert "total" not in table(figures, "themes")


def test_swv_filter(quarter):
    swv = SamenwerkingsverbandFactory(code="VO 98-01")
    Case.objects.filter(asker_type="ouder", created_at__month=7).update(samenwerkingsverband=swv)
    figures = compute(Q3, swv, threshold=10)
    assert table(figures, "asker_type")["total"]["display"] == "14"


def test_outcomes_time_and_response(quarter):
    user = quarter
    cases = list(Case.objects.filter(created_at__month=7).order_by("created_at")[:12])
    for case in cases:
        actions.send_answer(case=case, by=user, body="antwoord")
        actions.close(case=case, by=user, outcome="informatie")
        Case.objects.filter(pk=case.pk).update(
            first_response_at=case.created_at + timedelta(hours=5),
            closed_at=case.created_at + timedelta(days=4),
        )
        TimeEntry.objects.create(
            case=case, author=user, minutes=30, activity="telefoon", date=date(2026, 7, 20)
        )
    figures = compute(Q3, None, threshold=10)
    assert rows(figures, "outcome")["Informatie gegeven"] == "12"
    assert figures["response"]["median_hours_first_answer"] == 5.0
    assert figures["response"]["median_days_to_close"] == 4.0
    assert figures["time"]["total_hours"] == 6.0
    assert figures["time"]["median_minutes"] == 30
    activity = {row["label"]: row["display"] for row in figures["time"]["by_activity"]}
    assert activity["Telefoon"] == "6,0"
    assert activity["Gesprek"] == "< 10 vragen"


def test_referrals_by_kind_of_organisation(quarter):
    organisatie = OrganisatieFactory(soort="onderwijsconsulent")
    for case in Case.objects.filter(created_at__month=7)[:10]:
        actions.refer(case=case, by=quarter, organisatie=organisatie)
        case.referrals.update(created_at=at(date(2026, 7, 15)))
    figures = compute(Q3, None, threshold=10)
    assert rows(figures, "referral")["Onderwijsconsulenten"] == "10"


def test_a_period_without_data_is_empty_but_valid(db):
    figures = compute(Period(date(2020, 1, 1), date(2020, 3, 31)), None, threshold=10)
    assert table(figures, "asker_type")["total"]["display"] == "< 10"
    assert figures["response"]["median_hours_first_answer"] is None
    assert figures["usage"] == []


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(PeriodError):
        Period(date(2026, 9, 30), date(2026, 7, 1))


def test_previous_period_and_quarters():
    assert Q3.previous() == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_of(date(2026, 11, 23)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_of(date(2026, 2, 1)) == Period(date(2026, 1, 1), date(2026, 3, 31))


def test_complementary_suppression_rules():
    assert hidden_cells({"a": 3, "b": 20, "c": 30}, 10, additive=True) == {"a", "b"}
    assert hidden_cells({"a": 3, "b": 4, "c": 30}, 10, additive=True) == {"a", "b"}
    assert hidden_cells({"a": 3, "b": 20}, 10, additive=False) == {"a"}
    assert hidden_cells({"a": 12, "b": 20}, 10, additive=True) == set()


def test_each_row_is_compared_with_the_same_period_a_year_before(quarter, coordinator):
    for n in range(12):
        received(date(2025, 7, 1) + timedelta(days=n), asker_type="ouder")
    assert compute(Q3, None, threshold=10)["year_before"] is None  # not published
    publish_quarter(coordinator, date(2025, 7, 1), date(2025, 9, 30))
    figures = compute(Q3, None, threshold=10)
    parents = table(figures, "asker_type")["rows"][0]
    assert parents["year_before"] == "12"
    assert parents["year_trend"] == "hoger"
    youths = table(figures, "asker_type")["rows"][1]
    assert youths["year_trend"] == ""


def test_evaluation_scores_appear_only_from_the_threshold(quarter):
    from steunen.models import Evaluation

    for score in [5, 4, 5, 3, 5, 4, 5, 5, 4]:
        Evaluation.objects.create(day=date(2026, 8, 1), listened=score, helped=4, recommend=5)
    assert compute(Q3, None, threshold=10)["evaluation"]["listened"] is None
    Evaluation.objects.create(day=date(2026, 8, 2), listened=5, helped=4, recommend=5)
    evaluation = compute(Q3, None, threshold=10)["evaluation"]
    assert evaluation["count"]["display"] == "10"
    assert evaluation["listened"] == "4,5"
    assert evaluation["recommend"] == "5,0"
