"""A parent filters schools by gemeente and autism support, opens one, signs up for a meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from informeren.models import Meeting, Ondersteuningsvorm, Registration
from tests.e2e.conftest import axe_violations, describe
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_finds_a_school_and_signs_up_for_a_meeting(page, live_server):
    autism = Ondersteuningsvorm.objects.get(slug="autisme")
    fits = SchoolFactory(name="De Regenboog", gemeente="Lindewaarde", place="Lindewaarde")
    fits.support.add(autism)
    SchoolFactory(name="Het Kompas", gemeente="Lindewaarde")
    other = SchoolFactory(name="De Bron", gemeente="Veldmeer")
    other.support.add(autism)
    start = timezone.now() + timedelta(days=10)
    meeting = Meeting.objects.create(
        title="Koffieochtend autisme", kind="lotgenoten", description="Praat met andere ouders.",
        starts_at=start, ends_at=start + timedelta(hours=2), place="Buurthuis", capacity=10,
    )  # fmt: skip

    page.goto("/scholen/")
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_label("Gemeente").select_option("Lindewaarde")
    page.wait_for_url("**gemeente=Lindewaarde**")  # htmx keeps the filters in the address
    page.get_by_label("Autisme").check()
    page.wait_for_url("**ondersteuning=autisme**")
    page.wait_for_selector("text=1 school gevonden")
    assert "Het Kompas" not in page.locator("#results").inner_text()
    assert "De Bron" not in page.locator("#results").inner_text()
    page.get_by_role("link", name="De Regenboog").click()
    assert page.get_by_role("heading", level=1).inner_text() == "De Regenboog"
    assert "Autisme" in page.content()

    page.goto("/bijeenkomsten/")
    page.get_by_role("link", name="Koffieochtend autisme").click()
    page.get_by_label("Uw naam of voorletters").fill("J.")
    page.get_by_label("Uw e-mailadres").fill("ouder@voorbeeld.nl")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_selector("text=U bent aangemeld")
    assert not axe_violations(page), describe(axe_violations(page))
    assert Registration.objects.get(meeting=meeting).email == "ouder@voorbeeld.nl"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Zet in mijn agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), encoding="utf-8") as calendar:
        assert "Koffieochtend autisme" in calendar.read()
