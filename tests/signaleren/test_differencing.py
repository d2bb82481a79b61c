"""No number the board reads can be worked out by subtracting one published report from
another: periods nest, and a number that would give away a small rest is hidden."""

import itertools
import random
from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from signaleren import actions
from signaleren.models import Report
from signaleren.periods import PeriodKind, calendar_period
from steunen.models import Case
from tests.conftest import client_for
from tests.factories import SamenwerkingsverbandFactory
from tests.signaleren.test_figures import received

pytestmark = pytest.mark.django_db

T = 3  # a small threshold keeps the datasets small


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.REPORT_SUPPRESSION_THRESHOLD = T


def questions(day: date, *, yes: int = 0, no: int = 0, **kwargs) -> None:
    """`yes` questions about a child at home without school, `no` others, on one day."""
    for n in range(yes + no):
        received(day, thuiszitter=n < yes, **kwargs)


def publish(by, start: date, end: date, swv=None) -> dict:
    report = Report.objects.create(
        title=f"{start} t/m {end}", period_start=start, period_end=end, samenwerkingsverband=swv
    )
    return actions.publish(report=report, by=by).frozen


def thuiszitters(frozen: dict) -> dict[str, str]:
    table = next(t for t in frozen["tables"] if t["key"] == "thuiszitter")
    return {row["label"]: row["display"] for row in table["rows"]} | {
        "Totaal": table["total"]["display"]
    }


def test_one_december_question_cannot_be_found_by_subtracting_two_reports(coordinator):
    # The drafts that showed 12 and 11: free dates no longer make a report.
    with pytest.raises(ValidationError):
        Report(
            title="x", period_start=date(2025, 12, 1), period_end=date(2026, 11, 30)
        ).full_clean()
    # With calendar periods the same attempt needs the quarter and its months.
    questions(date(2025, 10, 6), yes=3, no=3)
    questions(date(2025, 11, 6), yes=3, no=3)
    questions(date(2025, 12, 15), yes=1, no=3)  # one December question
    assert thuiszitters(publish(coordinator, date(2025, 10, 1), date(2025, 12, 31)))["Ja"] == "7"
    assert thuiszitters(publish(coordinator, date(2025, 10, 1), date(2025, 10, 31)))["Ja"] == "3"
    november = thuiszitters(publish(coordinator, date(2025, 11, 1), date(2025, 11, 30)))
    # 7 - 3 - 3 would be the one December question: November keeps it hidden.
    assert november["Ja"] == "verborgen"
    assert november["Nee"] == "verborgen"  # else Ja = total - Nee
    assert november["Totaal"] == "6"  # December has 4 questions in all: enough


def test_a_quarter_inside_a_published_half_year_hides_what_would_reveal_the_other(coordinator):
    questions(date(2026, 2, 2), yes=3, no=5)
    questions(date(2026, 5, 4), yes=1, no=5)
    assert thuiszitters(publish(coordinator, date(2026, 1, 1), date(2026, 6, 30)))["Ja"] == "4"
    first_quarter = thuiszitters(publish(coordinator, date(2026, 1, 1), date(2026, 3, 31)))
    assert first_quarter["Ja"] == "verborgen"  # 4 - 3 = the one in the second quarter


def test_a_half_year_after_its_first_quarter_hides_what_would_reveal_the_second(coordinator):
    questions(date(2026, 2, 2), yes=3, no=5)
    questions(date(2026, 5, 4), yes=1, no=5)
    assert thuiszitters(publish(coordinator, date(2026, 1, 1), date(2026, 3, 31)))["Ja"] == "3"
    half_year = thuiszitters(publish(coordinator, date(2026, 1, 1), date(2026, 6, 30)))
    assert half_year["Ja"] == "verborgen"
    assert half_year["Totaal"] == "14"


def test_a_year_made_of_four_published_quarters_shows_its_numbers(coordinator):
    for month in (2, 5, 8, 11):
        questions(date(2025, month, 3), yes=3, no=3)
    for start, end in [
        ("01-01", "03-31"),
        ("04-01", "06-30"),
        ("07-01", "09-30"),
        ("10-01", "12-31"),
    ]:
        publish(coordinator, date.fromisoformat(f"2025-{start}"), date.fromisoformat(f"2025-{end}"))
    year = thuiszitters(publish(coordinator, date(2025, 1, 1), date(2025, 12, 31)))
    # Nothing is left over to subtract, so nothing small can be found.
    assert year == {"Ja": "12", "Nee": "12", "Totaal": "24"}


def test_a_report_for_one_swv_beside_one_for_all_hides_what_gives_the_others_away(coordinator):
    swv = SamenwerkingsverbandFactory(code="VO 98-01")
    questions(date(2026, 8, 3), yes=3, no=4, samenwerkingsverband=swv)
    questions(date(2026, 8, 3), yes=1, no=4)  # no SWV given
    assert thuiszitters(publish(coordinator, date(2026, 7, 1), date(2026, 9, 30)))["Ja"] == "4"
    one_swv = thuiszitters(publish(coordinator, date(2026, 7, 1), date(2026, 9, 30), swv))
    assert one_swv["Ja"] == "verborgen"


def test_periods_that_overlap_in_part_cannot_both_be_published(coordinator):
    questions(date(2026, 7, 6), yes=3, no=3)
    publish(coordinator, date(2026, 7, 1), date(2026, 9, 30))  # Kwartaal 3 2026
    school_year = Report.objects.create(
        title="Schooljaar", period_start=date(2025, 8, 1), period_end=date(2026, 7, 31)
    )
    with pytest.raises(actions.CannotPublish, match="Kwartaal 3 2026"):
        actions.publish(report=school_year, by=coordinator)
    school_year.refresh_from_db()
    assert not school_year.is_published
    # The coordinator hears it while composing, too.
    response = client_for(coordinator).post(
        reverse("signaleren:report_edit", args=[school_year.pk]),
        {"title": "Schooljaar", "period": "schooljaar:2025-08-01"},
    )
    assert "voor een deel" in response.text
    # Months fit inside both.
    publish(coordinator, date(2026, 8, 1), date(2026, 8, 31))


def test_a_second_report_for_the_same_period_cannot_be_published(coordinator):
    publish(coordinator, date(2026, 7, 1), date(2026, 9, 30))
    again = Report.objects.create(
        title="Nog eens", period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
    )
    with pytest.raises(actions.CannotPublish, match="al een rapportage gepubliceerd"):
        actions.publish(report=again, by=coordinator)


def test_the_previous_period_is_shown_as_it_was_published(coordinator):
    questions(date(2026, 5, 4), no=5)
    questions(date(2026, 8, 3), no=6)
    # Without a published report for the quarter before, there is nothing to compare with.
    draft = Report.objects.create(
        title="Q3", period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
    )
    assert actions.preview(draft)["previous_period"] is None
    publish(coordinator, date(2026, 4, 1), date(2026, 6, 30))
    Case.objects.filter(created_at__month=5).first().delete()
    frozen = actions.publish(report=draft, by=coordinator).frozen
    parents = next(t for t in frozen["tables"] if t["key"] == "asker_type")["rows"][0]
    assert parents["label"] == "Ouder of verzorger"
    assert parents["previous"] == "5"  # as published, not the 4 of today
    assert parents["trend"] == "hoger"
    assert frozen["previous_period"].startswith("Kwartaal 2 2026")


def test_only_a_coordinator_can_publish(medewerker):
    report = Report.objects.create(
        title="Q3", period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
    )
    with pytest.raises(PermissionDenied):
        actions.publish(report=report, by=medewerker)
    report.refresh_from_db()
    assert not report.is_published


def test_the_second_hidden_number_is_one_that_cannot_be_worked_out_elsewhere(coordinator):
    def channels(day: date, **counts: int) -> None:
        for channel, n in counts.items():
            for _ in range(n):
                received(day, channel=channel)

    channels(date(2025, 10, 6), web=3, telefoon=3, email=3, inloop=3)
    channels(date(2025, 11, 6), web=3, telefoon=3, email=3, inloop=3)
    channels(date(2025, 12, 8), web=5, telefoon=3, email=4, inloop=1)
    publish(coordinator, date(2025, 10, 1), date(2025, 12, 31))
    publish(coordinator, date(2025, 10, 1), date(2025, 10, 31))
    publish(coordinator, date(2025, 11, 1), date(2025, 11, 30))  # hides inloop and e-mail
    frozen = publish(coordinator, date(2025, 12, 1), date(2025, 12, 31))
    table = next(t for t in frozen["tables"] if t["key"] == "channel")
    december = {row["key"]: row["value"] for row in table["rows"]}
    assert december["inloop"] is None
    # Telefoon in December is the quarter minus October and November (9 - 3 - 3):
    # hiding it beside inloop would leave inloop = 13 - 5 - 3 - 4 = 1.
    assert december["telefoon"] == 3
    assert december["email"] is None
    assert table["total"]["value"] == 13


def test_a_later_report_does_not_undo_what_an_earlier_one_hid(coordinator):
    for day, counts in [(date(2025, 8, 4), (4, 4, 1, 4)), (date(2025, 11, 3), (5, 4, 5, 1))]:
        for channel, n in zip(["web", "telefoon", "email", "inloop"], counts, strict=True):
            for _ in range(n):
                received(day, channel=channel)

    def channels(frozen: dict) -> list:
        table = next(t for t in frozen["tables"] if t["key"] == "channel")
        return [row["value"] for row in table["rows"]] + [table["total"]["value"]]

    # web, telefoon, e-mail, inloop, total
    assert channels(publish(coordinator, date(2025, 7, 1), date(2025, 9, 30))) == [
        4,
        4,
        None,
        None,
        13,
    ]
    assert channels(publish(coordinator, date(2025, 10, 1), date(2025, 12, 31))) == [
        5,
        None,
        5,
        None,
        15,
    ]
    # Telefoon 8 for the half year would give telefoon in the fourth quarter (8 - 4),
    # and with it inloop there: 15 - 5 - 5 - 4 = 1.
    assert channels(publish(coordinator, date(2025, 7, 1), date(2025, 12, 31))) == [
        9,
        None,
        None,
        5,
        28,
    ]


def _rref(rows: list[list[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    rows, pivots = [list(row) for row in rows], []
    for column in range(ncols):
        r = len(pivots)
        found = next((i for i in range(r, len(rows)) if rows[i][column] != 0), None)
        if found is None:
            continue
        rows[r], rows[found] = rows[found], rows[r]
        rows[r] = [x / rows[r][column] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(column)
    return rows[: len(pivots)], pivots


def derivable_sets(equations: list[list[int]], category: list[str], wanted: str):
    """Every set of unknowns of one category whose sum follows from the equations: the
    0/1 vectors in their span that are zero outside the category."""
    others = [j for j in range(len(category)) if category[j] != wanted]
    mine = [j for j in range(len(category)) if category[j] == wanted]
    rows = [[Fraction(eq[j]) for j in others + mine] for eq in equations]
    reduced, pivots = _rref(rows, len(others) + len(mine))
    within = [
        row[len(others) :] for row, p in zip(reduced, pivots, strict=True) if p >= len(others)
    ]
    basis, _pivots = _rref(within, len(mine))
    # A 0/1 vector in the span is fixed by its 0/1 values on the pivots.
    for bits in itertools.product([0, 1], repeat=len(basis)):
        vector = [
            sum(b * row[j] for b, row in zip(bits, basis, strict=True)) for j in range(len(mine))
        ]
        if any(bits) and all(x in (0, 1) for x in vector):
            yield [mine[j] for j, x in enumerate(vector) if x == 1]


@pytest.mark.parametrize("seed", [5, 8, 10])
def test_no_small_count_follows_from_all_published_reports_together(coordinator, seed):
    """Random questions over 19 months and two SWVs, sixteen random calendar reports:
    from every channel count and total the board can read, no sum of one channel
    over any months and SWVs that can be worked out is 1 or 2."""
    rng = random.Random(seed)
    months = [date(2025 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(1, 20)]
    scopes = {"A": SamenwerkingsverbandFactory(code="A 1"), "B": None, "-": None}
    scopes["B"] = SamenwerkingsverbandFactory(code="B 1")
    channels = ["web", "telefoon", "email", "inloop"]
    truth = {}
    for scope, swv in scopes.items():
        for m, month in enumerate(months):
            for channel in channels:
                n = rng.choice([0, 2, 3, 4] if channel == "web" else [0, 0, 1, 1, 2, 3])
                truth[(scope, m, channel)] = n
                for _ in range(n):
                    received(month + timedelta(days=2), channel=channel, samenwerkingsverband=swv)
    tried = 0
    while tried < 16:
        period = calendar_period(rng.choice(list(PeriodKind)), rng.choice(months))
        if period.start < months[0] or period.end > date(2026, 7, 31):
            continue
        tried += 1
        swv = rng.choice([None, None, scopes["A"], scopes["B"]])
        report = Report.objects.create(
            title="x", period_start=period.start, period_end=period.end, samenwerkingsverband=swv
        )
        try:
            actions.publish(report=report, by=coordinator)
        except actions.CannotPublish:
            report.delete()
    unknowns = sorted(truth)
    index = {key: i for i, key in enumerate(unknowns)}
    equations = []
    for report in Report.objects.published():
        inside = [s for s, swv in scopes.items() if report.samenwerkingsverband in (None, swv)]
        if report.samenwerkingsverband is not None:
            inside = [s for s in inside if s != "-"]
        spanned = [
            m for m, month in enumerate(months) if report.period_start <= month <= report.period_end
        ]
        table = next(t for t in report.frozen["tables"] if t["key"] == "channel")
        readable = [[row["key"]] for row in table["rows"] if row["value"] is not None]
        if table["total"]["value"] is not None:
            readable.append(channels)
        for summed in readable:
            equation = [0] * len(unknowns)
            for scope, m, channel in itertools.product(inside, spanned, summed):
                equation[index[(scope, m, channel)]] = 1
            equations.append(equation)
    assert len(equations) > 10
    category = [key[2] for key in unknowns]
    for channel in channels:
        for found in derivable_sets(equations, category, channel):
            count = sum(truth[unknowns[j]] for j in found)
            assert count == 0 or count >= T, [unknowns[j] for j in found]
