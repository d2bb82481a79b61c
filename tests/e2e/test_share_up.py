"""A coordinator shares a published report with the national hub (this deployment is
hub and region at once, so it shares with itself over HTTP); the confirmation, the
report with the national picture beside it and the national page pass axe."""

from datetime import date, timedelta

import pytest

from signaleren import actions
from signaleren.models import HubRegion, Report, SharedReport
from steunpunt import signing
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.signaleren.test_figures import received

pytestmark = pytest.mark.django_db(transaction=True)


def test_share_a_report_and_read_the_national_picture(browser, live_server, settings):
    settings.NATIONAL_HUB = True
    settings.NATIONAL_HUB_URL = live_server.url
    settings.NATIONAL_HUB_PUBLIC_KEY = signing.public_key()
    HubRegion.objects.create(
        code=settings.REGION_CODE, name="Lindewaarde", public_key=signing.public_key()
    )
    coordinator_user = UserFactory(username="karim", roles=[Role.COORDINATOR])
    UserFactory(username="willem", roles=[Role.BESTUUR])
    for n in range(12):
        received(date(2026, 7, 1) + timedelta(days=n), asker_type="ouder")
    report = Report.objects.create(
        title="Rapportage Q3", period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
    )
    actions.publish(report=report, by=coordinator_user)

    coordinator = log_in(browser, live_server, "karim")
    coordinator.goto(report.get_absolute_url())
    coordinator.get_by_role("link", name="Delen met het landelijk steunpunt").click()
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))
    coordinator.get_by_role("button", name="Ja, deel deze cijfers").click()
    coordinator.wait_for_selector("text=zijn gedeeld met het landelijk steunpunt")
    assert SharedReport.objects.count() == 1
    assert not axe_violations(coordinator), describe(axe_violations(coordinator))

    board = log_in(browser, live_server, "willem")
    board.goto(report.get_absolute_url())
    assert "Eigen regio" in board.locator("#landelijk").inner_text()
    assert not axe_violations(board), describe(axe_violations(board))
    board.get_by_role("link", name="Het hele landelijk beeld").click()
    board.wait_for_selector("text=1 regio deelde cijfers over deze periode.")
    assert not axe_violations(board), describe(axe_violations(board))
