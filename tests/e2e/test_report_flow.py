"""A coordinator composes and publishes a quarterly report; a board member reads it."""

from datetime import date, timedelta

import pytest

from informeren.models import Thema
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.signaleren.test_figures import received

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_publishes_board_member_reads_and_downloads(browser, live_server):
    UserFactory(username="karim", roles=[Role.COORDINATOR])
    UserFactory(username="willem", roles=[Role.BESTUUR])
    for n in range(15):
        received(date(2026, 7, 1) + timedelta(days=n), asker_type="ouder")

    coordinator = log_in(browser, live_server, "karim")
    coordinator.goto("/signalen/")
    coordinator.get_by_role("link", name="Nieuwe rapportage").click()
    coordinator.get_by_label("Titel").fill("Rapportage derde kwartaal")
    coordinator.get_by_label("Periode").select_option(label="Kwartaal 3 2026")
    coordinator.get_by_label("Voorwoord").fill("Het aantal vragen van ouders groeit.")
    coordinator.get_by_role("button", name="Opslaan en voorbeeld bekijken").click()
    coordinator.wait_for_selector("text=Concept: alleen voor de coördinator")
    coordinator.get_by_role("button", name="Publiceren").click()
    coordinator.wait_for_selector("text=De rapportage is gepubliceerd")

    board = log_in(browser, live_server, "willem")
    board.goto("/signalen/")
    board.get_by_role("link", name="Rapportage derde kwartaal").click()
    assert "Het aantal vragen van ouders groeit." in board.content()
    assert board.locator(".chart").count() >= 5
    assert not axe_violations(board), describe(axe_violations(board))

    with board.expect_download() as pdf_info:
        board.get_by_role("link", name="Download als PDF").click()
    with open(pdf_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with board.expect_download() as csv_info:
        board.get_by_role("link", name="Download de tabellen (CSV)").click()
    with open(csv_info.value.path(), encoding="utf-8-sig") as table:
        assert "Ouder of verzorger;15" in table.read()


def test_report_reads_on_a_phone_without_sideways_scrolling(browser, live_server):
    """At 375 px: no sideways scrolling, chart labels whole and at least 12 px, no axe finding."""
    from django.urls import reverse

    from signaleren import actions
    from signaleren.models import Report
    from steunen.models import Case

    karim = UserFactory(username="karim", roles=[Role.COORDINATOR])
    UserFactory(username="willem", roles=[Role.BESTUUR])
    # A transactional test may run after a flush: the theme as its data migration makes it.
    Thema.objects.get_or_create(
        slug="niet-goed", defaults={"name": "Als het niet goed gaat op school"}
    )
    niet_goed = Thema.objects.filter(slug="niet-goed")
    for n in range(24):
        received(date(2026, 4, 1) + timedelta(days=n), asker_type="ouder", themes=niet_goed)
    for n in range(12):
        received(date(2026, 7, 1) + timedelta(days=n), asker_type="jongere", themes=niet_goed)
    assert Case.objects.count() == 36
    published = Report.objects.create(
        title="Tweede kwartaal", period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
    )
    actions.publish(report=published, by=karim)
    report = Report.objects.create(
        title="Derde kwartaal", period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
    )
    actions.publish(report=report, by=karim)  # with the quarter before: the widest tables

    board = log_in(browser, live_server, "willem")
    board.set_viewport_size({"width": 375, "height": 740})
    board.goto(reverse("signaleren:report", args=[report.pk]))
    label = board.locator(".chart__label", has_text="Als het niet goed gaat op school").first
    assert label.is_visible()
    widths = board.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    smallest = board.evaluate(
        "Math.min(...[...document.querySelectorAll('.chart, .chart *')]"
        ".filter(e => e.textContent.trim())"
        ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 12, smallest
    # The label is not cut off: its box holds its whole text.
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert not axe_violations(board, impacts=("minor", "moderate", "serious", "critical")), (
        describe(axe_violations(board, impacts=("minor", "moderate", "serious", "critical")))
    )


def test_coordinator_follows_the_proposal_for_a_longer_period_on_a_phone(browser, live_server):
    from django.urls import reverse

    from signaleren.models import Report

    UserFactory(username="karim", roles=[Role.COORDINATOR])
    for n in range(3):
        received(date(2026, 4, 1) + timedelta(days=n), asker_type="ouder")
    report = Report.objects.create(
        title="Signaleringsrapportage Kwartaal 2 2026",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
    )
    coordinator = log_in(browser, live_server, "karim")
    coordinator.set_viewport_size({"width": 375, "height": 740})
    coordinator.goto(reverse("signaleren:report", args=[report.pk]))
    coordinator.get_by_role("heading", name="Deze periode is te kort").wait_for()
    widths = coordinator.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    wide = coordinator.evaluate(  # what sticks out, to say so when it fails
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className)"
    )
    assert widths[0] <= widths[1], (widths, wide)
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))
    coordinator.get_by_role(
        "link", name="Maak er een rapportage over Eerste halfjaar 2026 van"
    ).click()
    assert coordinator.get_by_label("Periode").input_value() == "halfjaar:2026-01-01"
    assert coordinator.get_by_label("Titel").input_value() == (
        "Signaleringsrapportage Eerste halfjaar 2026"
    )
    coordinator.get_by_role("button", name="Opslaan en voorbeeld bekijken").click()
    coordinator.wait_for_selector("text=Concept: alleen voor de coördinator")
    report.refresh_from_db()
    assert (report.period_start, report.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
