"""Staff log in with TOTP, open (audited) and close a case; the asker rates, downloads, deletes;
the statistics still count the case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from signaleren.figures import Period, compute
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db(transaction=True)


def test_close_rate_download_delete_and_still_counted(browser, live_server, settings):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    UserFactory(username="karim", roles=[Role.COORDINATOR])
    case, code = ask("Mag mijn zoon een dag per week thuis leren?")

    staff = log_in(browser, live_server, "karim")  # password and TOTP code
    staff.goto(f"/medewerkers/vragen/{case.pk}/")
    assert "Mag mijn zoon een dag per week thuis leren?" in staff.content()
    staff.get_by_role("link", name="Auditlog: wie heeft deze vraag geopend?").click()
    assert "vraag bekeken" in staff.content()
    assert AuditEntry.objects.filter(
        action=AuditAction.CASE_VIEWED, object_id=str(case.pk)
    ).exists()
    staff.goto(f"/medewerkers/vragen/{case.pk}/")
    staff.get_by_label("Uitkomst").select_option("informatie")
    staff.get_by_label("Ja, ik weet het zeker: rond deze vraag af").check()
    staff.get_by_role("button", name="Vraag afronden").click()
    staff.wait_for_selector("text=De vraag is afgerond.")

    asker = browser.new_context(
        base_url=live_server.url, locale="nl-NL", accept_downloads=True
    ).new_page()
    asker.goto("/vraag/terug/")
    asker.get_by_label("Uw code").fill(code)
    asker.get_by_role("button", name="Open mijn vraag").click()
    asker.wait_for_selector("text=Hoe was onze hulp?")
    asker.get_by_role("link", name="Geef uw mening").click()  # the questions' own page
    assert not axe_violations(asker), describe(axe_violations(asker))
    for question in (
        "Voelde u zich gehoord?",
        "Heeft onze hulp u verder geholpen?",
        "Zou u het steunpunt aanraden aan anderen?",
    ):
        asker.get_by_role("group", name=question).get_by_label("5").check()
    asker.get_by_role("button", name="Verstuur beoordeling").click()
    asker.wait_for_selector("text=Dank u wel voor uw beoordeling.")
    assert not axe_violations(asker), describe(axe_violations(asker))

    with asker.expect_download() as download_info:
        asker.get_by_role("link", name="Download het gesprek (tekstbestand)").click()
    with open(download_info.value.path(), encoding="utf-8") as text:
        assert "Mag mijn zoon een dag per week thuis leren?" in text.read()

    asker.get_by_role("link", name="Verwijder mijn vraag").click()
    asker.get_by_label("Ja, verwijder mijn vraag en alle berichten.").check()
    asker.get_by_role("button", name="Verwijder mijn vraag").click()
    asker.wait_for_selector("text=Uw vraag is verwijderd")

    today = timezone.localdate()
    figures = compute(Period(today - timedelta(days=14), today), None, threshold=1)
    asked = next(t for t in figures["tables"] if t["key"] == "asker_type")
    assert asked["total"]["display"] == "1"
    assert figures["evaluation"]["listened"] == "5,0"
