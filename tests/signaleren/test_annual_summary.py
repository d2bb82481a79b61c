"""The public annual summary, and the ondersteuningsplanraad as a reader."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from tinyhtml5.parser import HTMLParser

from signaleren import actions
from signaleren.models import AnnualSummary, Report
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.signaleren.test_figures import received

pytestmark = pytest.mark.django_db

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def opr(db):
    return UserFactory(username="noor", roles=[Role.OPR])


@pytest.fixture
def year_report(medewerker, coordinator):
    for n in range(15):
        received(date(2025, 3, 1) + timedelta(days=n), asker_type="ouder")
    for n in range(3):
        received(date(2025, 5, 1) + timedelta(days=n), asker_type="jongere")
    report = Report.objects.create(
        title="Jaarrapportage 2025",
        period_start=YEAR[0],
        period_end=YEAR[1],
        foreword="Alleen voor het bestuur bedoeld.",
    )
    return actions.publish(report=report, by=coordinator)


def url(year: int = 2025) -> str:
    return reverse("signaleren:annual_summary", args=[year])


def test_summary_is_not_there_until_it_is_published(year_report, coordinator):
    assert Client().get(url()).status_code == 404
    assert "2025" not in Client().get(reverse("signaleren:annual_summaries")).text
    response = client_for(coordinator).post(
        reverse("signaleren:summary_publish", args=[year_report.pk])
    )
    assert response["Location"] == url()
    assert AuditEntry.objects.filter(action=AuditAction.SUMMARY_PUBLISHED).count() == 1
    page = Client().get(url())
    assert page.status_code == 200
    assert "Wij kregen 18 vragen." in page.text
    assert "&lt; 10</td>" in page.text  # the 3 youths stay hidden, as in the report
    assert "Alleen voor het bestuur bedoeld." not in page.text  # the figures, nothing more
    assert url() in Client().get(reverse("signaleren:annual_summaries")).text


def html_errors(text: str) -> list[str]:
    """Parse errors of an HTML5 parser (unclosed or misnested tags, bad attributes),
    each with the line it is on."""
    parser = HTMLParser()
    parser.parse(text)
    lines = text.splitlines()
    return [f"{code} at {line}:{col}: {lines[line - 1].strip()[:200]}"
            for (line, col), code, _vars in parser.errors]  # fmt: skip


def test_public_pages_are_valid_html(year_report, coordinator):
    actions.publish_summary(report=year_report, by=coordinator)
    for address in (reverse("signaleren:annual_summaries"), url()):
        text = Client().get(address).text
        assert text.startswith("<!doctype html>") or text.lower().startswith("<!doctype html>")
        assert html_errors(text) == []
        ids = [part.split('"', 1)[0] for part in text.split(' id="')[1:]]
        assert len(ids) == len(set(ids)), "an id is used twice"


def test_public_summary_holds_nothing_of_the_visitor(year_report, coordinator):
    actions.publish_summary(report=year_report, by=coordinator)
    for visitor in (Client(), Client(), Client()):
        response = visitor.get(url())
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.text
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_taken_offline_it_is_gone_again(year_report, coordinator):
    actions.publish_summary(report=year_report, by=coordinator)
    client_for(coordinator).post(reverse("signaleren:summary_withdraw", args=[year_report.pk]))
    assert Client().get(url()).status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.SUMMARY_WITHDRAWN).count() == 1
    assert Report.objects.filter(pk=year_report.pk, status="gepubliceerd").exists()


def test_only_a_published_calendar_year_gives_a_summary(medewerker, coordinator):
    draft = Report.objects.create(title="Concept", period_start=YEAR[0], period_end=YEAR[1])
    quarter = actions.publish(
        report=Report.objects.create(
            title="Q1", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
        ),
        by=coordinator,
    )
    for report in (draft, quarter):
        response = client_for(coordinator).post(
            reverse("signaleren:summary_publish", args=[report.pk]), follow=True
        )
        assert "komt uit een gepubliceerde rapportage over een kalenderjaar" in response.text
    assert not AnnualSummary.objects.exists()
    assert Client().get(url(2026)).status_code == 404


def test_the_board_cannot_publish_a_summary(year_report, bestuur):
    response = client_for(bestuur).post(
        reverse("signaleren:summary_publish", args=[year_report.pk])
    )
    assert response.status_code == 403
    assert not AnnualSummary.objects.exists()


# --- The ondersteuningsplanraad ---------------------------------------------------


def test_opr_reads_published_reports_but_no_draft(year_report, opr):
    draft = Report.objects.create(
        title="Nog niet af", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )
    client = client_for(opr)
    dashboard = client.get(reverse("signaleren:dashboard")).text
    assert "Jaarrapportage 2025" in dashboard and "Nog niet af" not in dashboard
    assert client.get(year_report.get_absolute_url()).status_code == 200
    assert client.get(reverse("signaleren:report_csv", args=[year_report.pk])).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("signaleren:live")).status_code == 404


def test_opr_never_opens_a_case(opr, medewerker):
    case = received(date(2026, 7, 1))
    client = client_for(opr)
    assert client.get(reverse("steunen:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("steunen:inbox")).status_code == 403
    assert "Vragen en begeleiding" not in client.get(reverse("account:workspace")).text


def test_opr_cannot_also_handle_questions(coordinator, opr):
    response = client_for(coordinator).post(
        reverse("account:member", args=[opr.pk]), {"roles": ["opr", "medewerker"]}
    )
    assert "kan geen vragen behandelen" in response.text
    assert not opr.groups.filter(name="medewerker").exists()
