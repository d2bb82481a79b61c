"""The board report says what people looked for: searches per theme, suppressed."""

import json
from datetime import date

import pytest
from django.urls import reverse

from informeren.models import (
    DailyReads,
    ReadKind,
    SearchCount,
    Thema,
    WegwijzerAudience,
    WegwijzerSituation,
)
from informeren.wegwijzer import OUTCOME_NUMBERS
from signaleren import actions
from signaleren.models import Report
from signaleren.periods import Period
from signaleren.searches import NO_PAGE, search_figures
from tests.conftest import client_for
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db

Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))


def searched(query: str, searches: int, without_result: int = 0, month=date(2026, 8, 1)):
    SearchCount.objects.create(
        month=month, query=query, searches=searches, without_result=without_result
    )


@pytest.fixture
def pages():
    thuis = published_topic(
        "thuiszitten", title="Thuiszitten", body="Uw kind zit thuis en gaat niet naar school."
    )
    thuis.themes.set(Thema.objects.filter(slug="niet-goed"))
    vervoer = published_topic(
        "leerlingenvervoer", title="Leerlingenvervoer", body="Met de taxi of het busje naar school."
    )
    vervoer.themes.set(Thema.objects.filter(slug="ondersteuning"))


def test_searches_are_counted_per_theme_of_the_best_page(pages):
    searched("thuiszitten", 30)
    searched("thuiszitten", 12, month=date(2026, 9, 1))
    searched("leerlingenvervoer", 15)
    searched("qwxzv", 11, without_result=11)
    searched("thuiszitten", 99, month=date(2026, 10, 1))  # another quarter
    figures = search_figures(Q3, threshold=10)
    assert figures["searches"]["display"] == "68"
    assert figures["without_result"]["display"] == "11"
    themes = {row["label"]: row["display"] for row in figures["themes"]}
    assert themes == {
        "Als het niet goed gaat op school": "42",
        "Ondersteuning op school": "15",
        NO_PAGE: "11",
    }
    assert figures["found_nothing"] == [{"label": "qwxzv", "value": 11, "display": "11"}]


def test_a_small_count_is_hidden_and_one_more_where_the_total_gives_it_away(pages):
    searched("thuiszitten", 40)
    searched("leerlingenvervoer", 4)
    searched("qwxzv", 12, without_result=12)
    figures = search_figures(Q3, threshold=10)
    themes = {row["label"]: row["display"] for row in figures["themes"]}
    # The rows add up to the total (56): hiding the 4 alone, total minus the rest gives it.
    assert themes == {
        "Als het niet goed gaat op school": "40",
        "Ondersteuning op school": "verborgen",
        NO_PAGE: "verborgen",
    }
    assert figures["searches"]["display"] == "56"


def test_a_rare_query_is_never_named(pages):
    searched("thuiszitten", 40)
    searched("mijn zoon jan de vries", 3, without_result=3)  # one family's words
    searched("qwxzv", 9, without_result=9)
    figures = search_figures(Q3, threshold=10)
    assert figures["found_nothing"] == []
    assert "jan de vries" not in json.dumps(figures)
    assert "qwxzv" not in json.dumps(figures)


def test_a_quiet_period_shows_only_that_there_were_few_searches(pages):
    searched("thuiszitten", 6)
    figures = search_figures(Q3, threshold=10)
    assert figures["searches"]["display"] == "< 10"
    assert figures["themes"] == []


def test_the_report_says_what_people_looked_for_and_keeps_it_when_published(pages, coordinator):
    searched("thuiszitten", 25)
    report = Report.objects.create(
        title="Rapportage Q3", period_start=Q3.start, period_end=Q3.end, composed_by=coordinator
    )
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert "Waar mensen naar zochten" in page
    assert "Als het niet goed gaat op school" in page
    actions.publish(report=report, by=coordinator)
    report.refresh_from_db()
    assert report.frozen["searches"]["searches"]["display"] == "25"
    SearchCount.objects.all().delete()  # counts go after 13 months; the report stays
    page = client_for(coordinator).get(reverse("signaleren:report", args=[report.pk])).text
    assert "Op de site is 25 keer gezocht" in page


def route_read(audience, situation, n: int, day=date(2026, 8, 3)):
    DailyReads.objects.create(
        kind=ReadKind.WEGWIJZER,
        object_id=OUTCOME_NUMBERS[(audience, situation)],
        day=day,
        count=n,
    )


def test_the_report_says_where_the_wegwijzer_led_with_small_counts_hidden(pages, coordinator):
    route_read(WegwijzerAudience.OUDER, WegwijzerSituation.THUIS, 20)
    route_read(WegwijzerAudience.JONGERE, WegwijzerSituation.THUIS, 6)
    route_read(WegwijzerAudience.OUDER, WegwijzerSituation.SCHOOL, 14)
    route_read(WegwijzerAudience.KIND, WegwijzerSituation.NIET_GOED, 3)
    route_read(WegwijzerAudience.OUDER, WegwijzerSituation.SCHOOL, 50, day=date(2026, 10, 2))
    routes = search_figures(Q3, threshold=10)["routes"]
    assert routes["total"]["display"] == "43"
    situations = {row["label"]: row["display"] for row in routes["situations"]}
    # 3 is under 10; it is the only small one, so the smallest other one goes too.
    assert situations == {
        "Thuis, zonder school": "26",
        "Op zoek naar een school": "verborgen",
        "Het gaat niet goed op school": "verborgen",
    }
    audiences = {row["label"]: row["display"] for row in routes["audiences"]}
    assert audiences["Ouder of verzorger"] == "34"
    assert "34" not in (audiences["Jongere (12 jaar of ouder)"], audiences["Kind (jonger dan 12)"])
    assert audiences["Kind (jonger dan 12)"] != "3"

    report = Report.objects.create(
        title="Rapportage Q3", period_start=Q3.start, period_end=Q3.end, composed_by=coordinator
    )
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert "De wegwijzer" in page
    assert "43 keer is de wegwijzer helemaal doorlopen" in page
    assert "Thuis, zonder school" in page


def test_a_quiet_wegwijzer_shows_no_rows(pages):
    route_read(WegwijzerAudience.OUDER, WegwijzerSituation.THUIS, 4)
    routes = search_figures(Q3, threshold=10)["routes"]
    assert routes["total"]["display"] == "< 10"
    assert routes["situations"] == [] and routes["audiences"] == []
