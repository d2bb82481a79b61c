"""A parent books a phone appointment anonymously, staff see it in their day, the parent
comes back with the code and finds it in the conversation."""

from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone

from steunen.afspraken import Slot, SlotKind
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_books_a_call_staff_see_it_parent_returns_with_the_code(
    browser, page, live_server, settings
):
    settings.RETURN_CODE_FAILURE_DELAY = 0
    sanne = UserFactory(username="sanne", roles=[Role.MEDEWERKER])
    start = (timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(
        kind=SlotKind.PHONE, starts_at=start, ends_at=start + timedelta(minutes=30), staff=sanne
    )

    # The parent chooses the time and books without any personal data.
    page.goto("/afspraak/")
    assert page.get_by_role("heading", level=1).inner_text() == "Maak een afspraak"
    assert not axe_violations(page), describe(axe_violations(page))
    page.locator(f"a[href='/afspraak/{slot.pk}/']").click()
    page.wait_for_url(f"**/afspraak/{slot.pk}/")
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_role("button", name="Maak de afspraak").click()
    page.wait_for_selector("text=Uw afspraak staat")
    assert "U belt ons zelf" in page.locator(".receipt").inner_text()
    code = page.locator("#return-code").inner_text().strip()
    assert len(code) == 19 and code not in page.url
    assert not axe_violations(page), describe(axe_violations(page))

    # The calendar file: the time of the appointment, nothing of the parent.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de afspraak (.ics)").click()
    raw = Path(download.value.path()).read_bytes()
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start
    assert code.encode() not in raw

    # The link on the receipt opens the booking, to move or cancel it.
    page.get_by_role("link", name="Verzet of zeg de afspraak af").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uw afspraak"
    assert page.get_by_role("button", name="Zeg mijn afspraak af").is_visible()
    assert not axe_violations(page), describe(axe_violations(page))

    # The medewerker sees it in her day, linked to its case.
    staff = log_in(browser, live_server, "sanne")
    staff.goto(f"/medewerkers/afspraken/?dag={timezone.localdate(start).isoformat()}")
    assert staff.get_by_role("heading", level=1).inner_text() == "Mijn dag"
    row = staff.locator("tbody tr", has_text=timezone.localtime(start).strftime("%H.%M"))
    assert "Anoniem" in row.inner_text() and "belt zelf" in row.inner_text()
    assert not axe_violations(staff), describe(axe_violations(staff))
    row.get_by_role("link").first.click()
    assert "Afspraak gemaakt" in staff.locator(".timeline").inner_text()

    # She publishes next week's video hour for the team, three places.
    staff.goto("/medewerkers/afspraken/reeks/")
    assert not axe_violations(staff), describe(axe_violations(staff))
    staff.get_by_role("radio", name="Videogesprek").check()
    staff.get_by_label("Link voor het videogesprek").fill("https://video.voorbeeld.nl/kamer")
    staff.locator("#id_staff").select_option(label="Het team (wie dienst heeft)")
    next_week = timezone.localdate() + timedelta(days=7)
    staff.get_by_label("Eerste dag").fill(next_week.isoformat())
    staff.get_by_label("Van", exact=True).fill("19:00")
    staff.get_by_label("Tot", exact=True).fill("20:00")
    staff.get_by_label("Minuten per afspraak").fill("60")
    staff.get_by_label("Plaatsen per afspraak").fill("3")
    staff.get_by_label("Aantal weken").fill("1")
    staff.get_by_role("button", name="Zet de tijden klaar").click()
    staff.wait_for_selector("text=1 tijden staan klaar")
    assert Slot.objects.filter(kind=SlotKind.VIDEO, capacity=3, staff=None).count() == 1

    # The parent comes back in a fresh browser with only the code.
    parent = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    parent.goto("/vraag/terug/")
    parent.get_by_label("Uw code").fill(code)
    parent.get_by_role("button", name="Open mijn vraag").click()
    parent.wait_for_url("**/vraag/terug/gesprek/")
    section = parent.locator("section", has=parent.get_by_role("heading", name="Uw afspraken"))
    assert slot.when in section.inner_text()
    assert not axe_violations(parent), describe(axe_violations(parent))
