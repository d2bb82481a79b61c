"""A coordinator composes and publishes a quarterly report; a board member reads it."""

from datetime import date, timedelta

import pytest

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
    assert board.locator("svg.chart").count() >= 5
    assert not axe_violations(board), describe(axe_violations(board))

    with board.expect_download() as pdf_info:
        board.get_by_role("link", name="Download als PDF").click()
    with open(pdf_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with board.expect_download() as csv_info:
        board.get_by_role("link", name="Download de tabellen (CSV)").click()
    with open(csv_info.value.path(), encoding="utf-8-sig") as table:
        assert "Ouder of verzorger;15" in table.read()
