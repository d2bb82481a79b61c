"""Goals beside the figures: set by the coordinator, frozen with the report."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from informeren.models import PupilCount, Sector, SwvGemeente
from signaleren import actions
from signaleren.models import Goal, Measure, Report
from steunen.models import Case
from tests.conftest import client_for
from tests.factories import SamenwerkingsverbandFactory
from tests.signaleren.test_figures import at, received

pytestmark = pytest.mark.django_db

Q2 = (date(2026, 4, 1), date(2026, 6, 30))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def answered(day: date, *, on_time: bool, **kwargs) -> Case:
    case = received(day, **kwargs)
    due = at(day + timedelta(days=2))
    first = at(day, 15) if on_time else at(day + timedelta(days=5))
    Case.objects.filter(pk=case.pk).update(response_due_at=due, first_response_at=first)
    return case


def report(period, title="Rapportage") -> Report:
    return Report.objects.create(title=title, period_start=period[0], period_end=period[1])


def goal(period, measure=Measure.WITHIN_PROMISE, target=80, **fields) -> Goal:
    return Goal.objects.create(
        period_start=period[0], period_end=period[1], measure=measure, target=target, **fields
    )


@pytest.fixture
def two_quarters(medewerker):
    """Q2: 12 questions, 9 answered on time (75%). Q3: 20 questions, 18 on time (90%)."""
    for n in range(12):
        answered(date(2026, 4, 1) + timedelta(days=n), on_time=n < 9, asker_type="ouder")
    for n in range(20):
        answered(date(2026, 7, 1) + timedelta(days=n), on_time=n < 18, asker_type="ouder")


def goal_row(page: str) -> str:
    """The text of the goals table, tags stripped, one space between cells."""
    import re

    start = page.index('id="doelen"')
    section = page[start : page.index("</section>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_published_report_shows_goal_beside_measured_and_previous_figure(
    two_quarters, coordinator, bestuur
):
    actions.publish(report=report(Q2, "Q2"), by=coordinator)
    goal(Q3, target=85, explanation="Snel een eerste antwoord.")
    q3 = actions.publish(report=report(Q3, "Q3"), by=coordinator)
    text = goal_row(client_for(bestuur).get(q3.get_absolute_url()).text)
    assert "Eerste antwoord binnen de belofte (%)" in text
    assert "Snel een eerste antwoord." in text
    # target, measured now, the period before as published, the verdict in words
    assert "85% of hoger 90% 75% ✓ Gehaald" in text


def test_a_goal_not_met_says_so_in_words(two_quarters, coordinator, bestuur):
    goal(Q3, target=95)
    q3 = actions.publish(report=report(Q3), by=coordinator)
    text = goal_row(client_for(bestuur).get(q3.get_absolute_url()).text)
    assert "95% of hoger 90% ✗ Niet gehaald" in text


def test_lower_is_better_for_the_time_to_a_first_answer(two_quarters, coordinator):
    goal(Q3, measure=Measure.FIRST_ANSWER_HOURS, target=8)
    q3 = actions.publish(report=report(Q3), by=coordinator)
    (row,) = q3.frozen["goals"]
    assert row["direction"] == "of lager"
    assert row["measured"] == "5 uur" and row["met"] is True


def test_a_published_report_keeps_its_goals_as_they_were(two_quarters, coordinator, bestuur):
    the_goal = goal(Q3, target=85)
    q3 = actions.publish(report=report(Q3), by=coordinator)
    the_goal.target = 99
    the_goal.save()
    goal(Q3, measure=Measure.QUESTIONS, target=10)
    text = goal_row(client_for(bestuur).get(q3.get_absolute_url()).text)
    assert "85% of hoger" in text
    assert "99%" not in text and "Aantal vragen ontvangen" not in text


def test_a_goal_on_a_hidden_figure_cannot_be_measured(coordinator, medewerker):
    for n in range(12):
        answered(date(2026, 7, 1) + timedelta(days=n), on_time=True, asker_type="ouder")
    answered(date(2026, 7, 20), on_time=True, asker_type="jongere")  # 1 youth: hidden
    goal(Q3, measure=Measure.YOUTH_SHARE, target=5)
    q3 = actions.publish(report=report(Q3), by=coordinator)
    (row,) = q3.frozen["goals"]
    assert row["measured"] == "–" and row["met"] is None
    assert row["verdict"].startswith("Niet te meten")


def test_goals_of_another_swv_or_period_stay_out(two_quarters, coordinator):
    goal(Q2, target=50)
    goal(Q3, target=50, samenwerkingsverband=SamenwerkingsverbandFactory())
    q3 = actions.publish(report=report(Q3), by=coordinator)
    assert q3.frozen["goals"] == []


# --- The coordinator's page --------------------------------------------------------


def test_coordinator_creates_edits_and_deletes_a_goal(coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("signaleren:goal_new"),
        {"period": "kwartaal:2026-07-01", "measure": "beoordeling", "target": "4,2",
         "explanation": "Iedereen voelt zich gehoord."},
    )  # fmt: skip
    assert response.status_code == 302
    created = Goal.objects.get()
    assert (created.period_start, created.period_end) == Q3
    assert str(created.target) == "4.2" and created.created_by == coordinator
    listing = client.get(reverse("signaleren:goals")).text
    assert "Gemiddelde beoordeling door vragers" in listing and "Kwartaal 3 2026" in listing
    client.post(
        reverse("signaleren:goal_edit", args=[created.pk]),
        {"period": "kwartaal:2026-07-01", "measure": "beoordeling", "target": "4.5"},
    )
    created.refresh_from_db()
    assert str(created.target) == "4.5"
    client.post(reverse("signaleren:goal_delete", args=[created.pk]))
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"measure": "binnen_belofte", "target": "80"}, "period", "Kies een periode."),
        ({"period": "kwartaal:2026-07-02", "measure": "binnen_belofte", "target": "80"},
         "period", "Kies een periode uit de lijst."),
        ({"period": "jaar:2026-01-01", "target": "80"}, "measure", "Kies waar het doel over gaat."),
        ({"period": "jaar:2026-01-01", "measure": "binnen_belofte"}, "target",
         "Vul een streefwaarde in."),
        ({"period": "jaar:2026-01-01", "measure": "binnen_belofte", "target": "veel"}, "target",
         "Vul een getal in, bijvoorbeeld 85 of 4,5."),
        ({"period": "jaar:2026-01-01", "measure": "binnen_belofte", "target": "150"}, "target",
         "Een percentage ligt tussen 0 en 100."),
        ({"period": "jaar:2026-01-01", "measure": "beoordeling", "target": "7"}, "target",
         "Een beoordeling ligt tussen 1 en 5."),
        ({"period": "jaar:2026-01-01", "measure": "vragen", "target": "-3"}, "target",
         "De streefwaarde kan niet lager zijn dan 0."),
        ({"period": "jaar:2026-01-01", "measure": "vragen", "target": "100",
          "gemeente": "Lindewaarde"}, "gemeente",
         "Een gemeente hoort alleen bij een doel over bereik."),
    ],
)  # fmt: skip
def test_goal_form_says_in_dutch_what_is_wrong_and_keeps_what_was_typed(
    coordinator, data, field, message
):
    swv = SamenwerkingsverbandFactory(code="PO 99-01")
    SwvGemeente.objects.create(gemeente="Lindewaarde", sector=Sector.PO, samenwerkingsverband=swv)
    data = {"explanation": "Mijn toelichting blijft staan.", **data}
    response = client_for(coordinator).post(reverse("signaleren:goal_new"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert "Mijn toelichting blijft staan." in response.text
    assert not Goal.objects.exists()


def test_a_second_goal_for_the_same_period_and_measure_is_refused(coordinator):
    goal((date(2026, 1, 1), date(2026, 12, 31)), target=80)
    response = client_for(coordinator).post(
        reverse("signaleren:goal_new"),
        {"period": "jaar:2026-01-01", "measure": "binnen_belofte", "target": "90"},
    )
    assert "Voor deze periode is hier al een doel over" in response.text
    assert Goal.objects.count() == 1


def test_reach_goal_for_a_gemeente_of_another_swv_is_refused(coordinator):
    po = SamenwerkingsverbandFactory(code="PO 99-01")
    vo = SamenwerkingsverbandFactory(code="VO 99-02", sector=Sector.VO)
    SwvGemeente.objects.create(gemeente="Lindewaarde", sector=Sector.PO, samenwerkingsverband=po)
    SwvGemeente.objects.create(gemeente="Veldmeer", sector=Sector.VO, samenwerkingsverband=vo)
    response = client_for(coordinator).post(
        reverse("signaleren:goal_new"),
        {"period": "jaar:2026-01-01", "measure": "bereik", "target": "5",
         "gemeente": "Veldmeer", "samenwerkingsverband": po.pk},
    )  # fmt: skip
    assert "Deze gemeente hoort niet bij dit samenwerkingsverband." in response.text


# --- Reach ---------------------------------------------------------------------------


@pytest.fixture
def region_with_pupils(medewerker):
    """Lindewaarde 14 questions of 2,000 pupils; Veldmeer 3 of 1,000; 12 elsewhere."""
    swv = SamenwerkingsverbandFactory(code="PO 99-01")
    for name in ("Lindewaarde", "Veldmeer"):
        SwvGemeente.objects.create(gemeente=name, sector=Sector.PO, samenwerkingsverband=swv)
    PupilCount.objects.create(gemeente="Lindewaarde", sector=Sector.PO, year=2025, pupils=2000)
    PupilCount.objects.create(gemeente="Veldmeer", sector=Sector.PO, year=2025, pupils=1000)
    PupilCount.objects.create(gemeente="Lindewaarde", sector=Sector.PO, year=2026, pupils=2500)
    for n in range(14):
        received(date(2026, 7, 1) + timedelta(days=n), gemeente="Lindewaarde")
    for n in range(3):
        received(date(2026, 8, 1) + timedelta(days=n), gemeente="Veldmeer")
    for n in range(12):
        received(date(2026, 8, 10) + timedelta(days=n), gemeente="")


def test_reach_per_gemeente_hides_what_the_counts_hide(region_with_pupils, coordinator):
    goal(Q3, measure=Measure.REACH, target=5, gemeente="Lindewaarde")
    goal(Q3, measure=Measure.REACH, target=1, gemeente="Veldmeer")
    q3 = actions.publish(report=report(Q3), by=coordinator)
    reach = q3.frozen["reach"]
    # The count of 1 October 2025 is the last one within the quarter.
    assert reach["year"] == 2025
    rows = {row["gemeente"]: row for row in reach["rows"]}
    assert rows["Lindewaarde"]["questions"] == "14" and rows["Lindewaarde"]["display"] == "7,0"
    # Veldmeer's 3 is hidden, and so is the 12 from elsewhere (else 29 - 14 - 12 gives 3).
    assert rows["Veldmeer"]["questions"] == "verborgen"
    assert rows["Veldmeer"]["display"] == "verborgen"
    assert rows["Veldmeer"]["per_1000"] is None
    # All together would give Veldmeer's 3 away (17 - 14): hidden too.
    assert reach["per_1000"] is None
    verdicts = {row["gemeente"]: row["verdict"] for row in q3.frozen["goals"]}
    assert verdicts == {
        "Lindewaarde": "Gehaald",
        "Veldmeer": "Niet te meten: het cijfer is verborgen of ontbreekt",
    }


def test_reach_table_is_on_the_report_page(region_with_pupils, coordinator, bestuur):
    q3 = actions.publish(report=report(Q3), by=coordinator)
    page = client_for(bestuur).get(q3.get_absolute_url()).text
    assert "Bereik per gemeente" in page
    assert "Gemeente waar de vrager woont" in page
    assert "telling van DUO op 1 oktober 2025" in page


def test_no_reach_without_pupil_counts(coordinator, medewerker):
    for n in range(12):
        received(date(2026, 7, 1) + timedelta(days=n), gemeente="Lindewaarde")
    q3 = actions.publish(report=report(Q3), by=coordinator)
    assert q3.frozen["reach"] is None
