"""The staff case page in the browser: one action panel, the destructive actions apart and
confirmed, with and without JavaScript; axe finds nothing (of any impact)."""

import pytest

from steunen.models import Status
from steunpunt.roles import Role
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_editor_flow import log_in
from tests.factories import UserFactory
from tests.steunen.helpers import ask
from tests.steunen.test_attachments import PDF

pytestmark = pytest.mark.django_db(transaction=True)

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
SURE = "Ja, ik weet het zeker: rond deze vraag af"


def test_closing_asks_for_the_tick_with_and_without_javascript(browser, live_server):
    UserFactory(username="sanne", first_name="Sanne", roles=[Role.MEDEWERKER])
    case, _ = ask("Mijn zoon mag niet mee op schoolreis. Mag dat?")
    other, _ = ask("Een tweede vraag.")

    staff = log_in(browser, live_server, "sanne")
    staff.goto(f"/medewerkers/vragen/{case.pk}/")
    assert not axe_violations(staff, ALL_IMPACTS), describe(axe_violations(staff, ALL_IMPACTS))
    panel = staff.get_by_role("region", name="Acties")
    apart = staff.get_by_role("region", name="Afronden, samenvoegen en verwijderen")
    assert panel.get_by_role("link", name="Antwoord versturen").is_visible()
    assert panel.get_by_role("button", name="Status opslaan").is_visible()
    assert panel.get_by_role("button", name="Vraag afronden").count() == 0
    assert apart.get_by_role("button", name="Vraag afronden").is_visible()
    assert apart.get_by_role("button", name="Persoonsgegevens verwijderen").is_visible()
    # The index takes the medewerker to the action.
    panel.get_by_role("link", name="Afronden, samenvoegen of gegevens verwijderen").click()
    assert staff.url.endswith("#definitief")

    # With JavaScript (htmx): without the tick the case comes back with the error.
    apart.get_by_label("Uitkomst").select_option("informatie")
    apart.get_by_role("button", name="Vraag afronden").click()
    staff.wait_for_selector("text=Vink aan dat u het zeker weet.")
    assert staff.get_by_label("Uitkomst").input_value() == "informatie"
    assert not axe_violations(staff, ALL_IMPACTS), describe(axe_violations(staff, ALL_IMPACTS))
    case.refresh_from_db()
    assert case.status != Status.AFGEROND

    # Without JavaScript: the same, by plain form posts.
    plain = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        java_script_enabled=False,
        storage_state=staff.context.storage_state(),
    ).new_page()
    plain.goto(f"/medewerkers/vragen/{other.pk}/")
    plain.get_by_label("Uitkomst").select_option("onderwijsconsulent")
    plain.get_by_role("button", name="Vraag afronden").click()
    assert plain.get_by_text("Vink aan dat u het zeker weet.").first.is_visible()
    assert plain.get_by_label("Uitkomst").input_value() == "onderwijsconsulent"
    other.refresh_from_db()
    assert other.status != Status.AFGEROND
    plain.get_by_label(SURE).check()
    plain.get_by_role("button", name="Vraag afronden").click()
    assert plain.get_by_text("De vraag is afgerond.").is_visible()
    other.refresh_from_db()
    assert other.status == Status.AFGEROND and other.outcome == "onderwijsconsulent"

    # Removing personal data: without the tick nothing goes.
    plain.get_by_role("button", name="Persoonsgegevens verwijderen").click()
    assert plain.get_by_text("Vink aan dat de vrager dit zelf heeft gevraagd.").first.is_visible()
    other.refresh_from_db()
    assert other.erased_at is None
    plain.context.close()


def test_a_draft_survives_another_action_and_goes_once_it_is_sent(browser, live_server):
    UserFactory(username="sanne", first_name="Sanne", roles=[Role.MEDEWERKER])
    case, _ = ask("Mag de school mijn dochter naar huis sturen?")
    draft = "Beste ouder, een school mag uw dochter niet zomaar naar huis sturen."

    staff = log_in(browser, live_server, "sanne")
    staff.goto(f"/medewerkers/vragen/{case.pk}/")
    answer = staff.get_by_label("Antwoord aan de vrager")
    answer.fill(draft)
    staff.get_by_label("Bestand meesturen").set_input_files(
        {"name": "brief.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    advice = "Weet iemand hoe het zit met een schorsing van meer dan een week?"
    asking = "Uw vraag (alleen voor collega's: de vrager ziet dit nooit)"
    staff.get_by_label(asking).fill(advice)
    # Halfway through the answer, a note and then the status: htmx swaps the whole case.
    staff.get_by_label("Interne notitie (de vrager ziet dit nooit)").fill("Eerst de wet nakijken.")
    staff.get_by_role("button", name="Notitie opslaan").click()
    staff.wait_for_selector("text=De notitie is opgeslagen.")
    assert staff.get_by_label("Interne notitie (de vrager ziet dit nooit)").input_value() == ""
    assert staff.get_by_label("Antwoord aan de vrager").input_value() == draft

    staff.get_by_label("Status", exact=True).select_option("wacht_op_vrager")
    staff.get_by_role("button", name="Status opslaan").click()
    staff.wait_for_selector("text=De status is gewijzigd.")
    assert staff.get_by_label("Antwoord aan de vrager").input_value() == draft
    assert staff.get_by_label(asking).input_value() == advice  # the back office's too
    chosen = staff.get_by_label("Bestand meesturen").evaluate("box => box.files.length")
    assert chosen == 1  # the file chosen for the answer too

    # Sent: the box is empty again, and the answer is in the conversation once.
    staff.get_by_role("button", name="Verstuur antwoord").click()
    staff.wait_for_selector("text=Uw antwoord is verstuurd.")
    assert staff.get_by_label("Antwoord aan de vrager").input_value() == ""
    assert [message.body for message in case.messages.all()].count(draft) == 1
    (sent,) = [message for message in case.messages.all() if message.body == draft]
    assert sent.attachments.count() == 1  # with the file that was kept


def test_a_kept_draft_is_not_marked_wrong_after_its_error_is_gone(browser, live_server):
    UserFactory(username="sanne", first_name="Sanne", roles=[Role.MEDEWERKER])
    case, _ = ask("Mijn zoon zit al drie weken thuis.")
    note_label = "Interne notitie (de vrager ziet dit nooit)"

    staff = log_in(browser, live_server, "sanne")
    staff.goto(f"/medewerkers/vragen/{case.pk}/")
    # An empty note comes back with its error; the box is marked invalid.
    staff.get_by_role("button", name="Notitie opslaan").click()
    note = staff.get_by_label(note_label)
    note.and_(staff.locator("[aria-invalid=true]")).wait_for()
    # Then she starts the note, but first changes the status: the page swaps,
    # the draft stays, and the old error's mark goes with the error.
    note.fill("Morgen de school bellen.")
    staff.get_by_label("Status", exact=True).select_option("wacht_op_vrager")
    staff.get_by_role("button", name="Status opslaan").click()
    staff.wait_for_selector("text=De status is gewijzigd.")
    note = staff.get_by_label(note_label)
    assert note.input_value() == "Morgen de school bellen."
    assert note.get_attribute("aria-invalid") is None
    described = (note.get_attribute("aria-describedby") or "").split()
    assert all(staff.locator(f"[id='{ident}']").count() == 1 for ident in described)
    assert not axe_violations(staff, ALL_IMPACTS), describe(axe_violations(staff, ALL_IMPACTS))
