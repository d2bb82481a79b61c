"""Terms, organisations and checklists from the hub are read-only in a region (issue 26).

In a region with a hub, what the pull brought (and a second person published)
keeps its national content: the editor's form shows those fields disabled and
refuses a post that changes them, unless a regionale afwijking with a reason is
recorded (audited, shown in the history). An organisation's local contact
details stay the region's; the region's own items and a region without a hub
stay editable as before.
"""

import re
from typing import Any

import pytest
from django.urls import reverse

from informeren import actions, subscription
from informeren.models import (
    Begrip,
    Checklist,
    Organisatie,
    OrganisatieSoort,
    PullResult,
    RevisionStatus,
    Wijziging,
    WijzigingSoort,
)
from informeren.national import FEED_FORMAT
from steunpunt import signing
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.test_national_feed import region  # noqa: F401

pytestmark = pytest.mark.django_db

LOCKED = "De landelijke inhoud kunt u hier niet wijzigen."

GLOSSARY = [{"term": "OPP", "explanation": "Een plan voor uw kind.", "also_matches": ""}]
ORGANISATION = {
    "name": "Landelijk Meldpunt",
    "soort": OrganisatieSoort.KLACHTEN,
    "national": True,
    "summary": "Zij helpen bij een klacht.",
    "when_to_go": "Als u er met de school niet uitkomt.",
    "for_whom": "Ouders",
    "address": "",
    "opening_hours": "",
    "website": "https://meldpunt.example.nl/",
    "phone": "0800 123",
    "email": "",
}
CHECKLIST = {
    "slug": "gesprek",
    "title": "Voor het gesprek",
    "intro": "Neem dit mee.",
    "items": [{"text": "Uw vragen", "topic": ""}],
}


def _feed(version: int) -> tuple[bytes, str]:
    document = {
        "format": FEED_FORMAT,
        "format_version": 1,
        "version": version,
        "issued_at": "2026-11-20T10:00:00+00:00",
        "topics": [],
        "glossary": GLOSSARY,
        "checklists": [CHECKLIST],
        "organisations": [ORGANISATION],
        "synonyms": [],
        "wegwijzer_routes": [],
    }
    body = signing.canonical(document)
    return body, signing.sign(body)


def _publish_all_staged() -> None:
    validator = UserFactory(roles=[Role.VALIDATOR])
    for change in Wijziging.objects.filter(status=RevisionStatus.TER_BEOORDELING):
        actions.approve_change(change=change, by=validator, b1_reason="Vaste term.")
        actions.publish_change(change=change, by=validator)


@pytest.fixture
def pulled(region):  # noqa: F811
    assert subscription.pull_bytes(*_feed(1)).result == PullResult.OK
    _publish_all_staged()
    return region


def _editor() -> tuple[Any, Any]:
    user = UserFactory(roles=[Role.REDACTEUR])
    return user, client_for(user)


def _organisation_form(organisatie: Organisatie, **changes: Any) -> dict[str, Any]:
    form = {name: getattr(organisatie, name) for name in ORGANISATION if name != "national"}
    form["national"] = "on"
    return form | changes


def test_the_pull_marks_what_it_brought_as_national(pulled):
    assert Begrip.objects.get(term="OPP").from_hub
    assert Organisatie.objects.get(name="Landelijk Meldpunt").from_hub
    assert Checklist.objects.get(title="Voor het gesprek").from_hub


def test_a_pulled_term_cannot_be_changed_in_the_region(pulled):
    begrip = Begrip.objects.get(term="OPP")
    _user, editor = _editor()
    url = reverse("informeren:begrip_edit", args=[begrip.pk])
    page = editor.get(url).content.decode()
    assert re.search(r'<textarea[^>]*name="explanation"[^>]*disabled', page)
    assert "Regionale afwijking vastleggen" in page
    response = editor.post(
        url, {"term": "OPP", "explanation": "Onze eigen uitleg.", "also_matches": ""}
    )
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    begrip.refresh_from_db()
    assert begrip.explanation == "Een plan voor uw kind."
    assert not Wijziging.objects.open().filter(kind=WijzigingSoort.BEGRIP).exists()


def test_a_pulled_checklist_cannot_be_changed_in_the_region(pulled):
    checklist = Checklist.objects.get(title="Voor het gesprek")
    _user, editor = _editor()
    url = reverse("informeren:checklist_edit", args=[checklist.pk])
    page = editor.get(url).content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*disabled', page)
    assert "Wijziging opslaan" not in page
    response = editor.post(
        url,
        {
            "title": "Onze titel",
            "intro": "Anders.",
            "punten-TOTAL_FORMS": "1",
            "punten-INITIAL_FORMS": "0",
            "punten-0-text": "Iets anders",
        },
    )
    assert LOCKED in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.title == "Voor het gesprek"
    assert [i.text for i in checklist.items.all()] == ["Uw vragen"]
    assert not Wijziging.objects.open().filter(kind=WijzigingSoort.CHECKLIST).exists()


def test_a_pulled_organisation_keeps_its_national_fields_but_not_its_contact(pulled):
    organisatie = Organisatie.objects.get(name="Landelijk Meldpunt")
    _user, editor = _editor()
    url = reverse("informeren:organisatie_edit", args=[organisatie.pk])
    page = editor.get(url).content.decode()
    assert re.search(r'<textarea[^>]*name="summary"[^>]*disabled', page)
    assert not re.search(r'<input[^>]*name="phone"[^>]*disabled', page)
    response = editor.post(url, _organisation_form(organisatie, summary="Wij doen het anders."))
    assert LOCKED in response.content.decode()
    assert not Wijziging.objects.open().filter(kind=WijzigingSoort.ORGANISATIE).exists()
    # The local office's details are the region's: a change of them is saved.
    response = editor.post(url, _organisation_form(organisatie, phone="010 555 12 34"))
    assert response.status_code == 302
    change = Wijziging.objects.open().get(kind=WijzigingSoort.ORGANISATIE)
    assert change.data["phone"] == "010 555 12 34"
    assert change.data["summary"] == "Zij helpen bij een klacht."


def test_a_newer_feed_keeps_the_regions_contact_details(pulled):
    organisatie = Organisatie.objects.get(name="Landelijk Meldpunt")
    organisatie.phone = "010 555 12 34"
    organisatie.save()
    ORGANISATION["summary"] = "Zij helpen bij een klacht over school."
    try:
        assert subscription.pull_bytes(*_feed(2)).result == PullResult.OK
    finally:
        ORGANISATION["summary"] = "Zij helpen bij een klacht."
    staged = Wijziging.objects.open().get(kind=WijzigingSoort.ORGANISATIE)
    assert staged.data["summary"] == "Zij helpen bij een klacht over school."
    assert staged.data["phone"] == "010 555 12 34"


def test_the_regions_own_term_stays_editable(pulled):
    user, editor = _editor()
    own = actions.publish_change_directly(
        kind=WijzigingSoort.BEGRIP,
        data={"term": "Wijkteam", "explanation": "Hulp in uw wijk.", "also_matches": ""},
        author=user,
        validator=UserFactory(roles=[Role.VALIDATOR]),
        b1_reason="Kort.",
    )
    url = reverse("informeren:begrip_edit", args=[own.target_id])
    assert "disabled" not in editor.get(url).content.decode()
    response = editor.post(
        url, {"term": "Wijkteam", "explanation": "Hulp bij u in de buurt.", "also_matches": ""}
    )
    assert response.status_code == 302
    change = Wijziging.objects.open().get(kind=WijzigingSoort.BEGRIP)
    assert change.data["explanation"] == "Hulp bij u in de buurt."


def test_a_deviation_with_a_reason_unlocks_and_shows_in_the_history(pulled):
    begrip = Begrip.objects.get(term="OPP")
    user, editor = _editor()
    deviation_url = reverse("informeren:change_deviation", args=["begrip", begrip.pk])
    # Without a reason nothing is recorded.
    editor.post(deviation_url, {"reason": ""})
    assert not AuditEntry.objects.filter(action=AuditAction.NATIONAL_DEVIATION_RECORDED).exists()
    assert not Wijziging.objects.open().filter(kind=WijzigingSoort.BEGRIP).exists()
    response = editor.post(deviation_url, {"reason": "In onze regio heet dit anders."})
    change = Wijziging.objects.open().get(kind=WijzigingSoort.BEGRIP)
    assert response.url == reverse("informeren:change_edit", args=[change.pk])
    assert change.deviation_reason == "In onze regio heet dit anders."
    entry = AuditEntry.objects.get(action=AuditAction.NATIONAL_DEVIATION_RECORDED)
    assert entry.actor == user
    edit_url = reverse("informeren:change_edit", args=[change.pk])
    assert not re.search(
        r'<textarea[^>]*name="explanation"[^>]*disabled', editor.get(edit_url).content.decode()
    )
    editor.post(edit_url, {"term": "OPP", "explanation": "Onze uitleg.", "also_matches": ""})
    change.refresh_from_db()
    assert change.data["explanation"] == "Onze uitleg."
    actions.submit_change(change=change, by=user)
    validator = UserFactory(roles=[Role.VALIDATOR])
    actions.approve_change(change=change, by=validator, b1_reason="Kort.")
    actions.publish_change(change=change, by=validator)
    begrip.refresh_from_db()
    assert begrip.explanation == "Onze uitleg."
    # A later change is locked again and the history names the deviation.
    later = actions.save_change(
        kind=WijzigingSoort.BEGRIP,
        target_id=begrip.pk,
        data={"term": "OPP", "explanation": "Onze uitleg.", "also_matches": "plan"},
        by=user,
    )
    page = editor.get(reverse("informeren:change", args=[later.pk])).content.decode()
    assert "Regionale afwijking, omdat: In onze regio heet dit anders." in page
    later_page = editor.get(reverse("informeren:change_edit", args=[later.pk])).content.decode()
    assert re.search(r'<textarea[^>]*name="explanation"[^>]*disabled', later_page)


def test_without_a_hub_a_pulled_term_is_editable(pulled):
    pulled.NATIONAL_HUB_URL = ""
    begrip = Begrip.objects.get(term="OPP")
    _user, editor = _editor()
    url = reverse("informeren:begrip_edit", args=[begrip.pk])
    assert "disabled" not in editor.get(url).content.decode()
    response = editor.post(
        url, {"term": "OPP", "explanation": "Onze eigen uitleg.", "also_matches": ""}
    )
    assert response.status_code == 302
    change = Wijziging.objects.open().get(kind=WijzigingSoort.BEGRIP)
    assert change.data["explanation"] == "Onze eigen uitleg."


def test_without_a_hub_a_pulled_organisation_is_editable(pulled):
    pulled.NATIONAL_HUB_URL = ""
    organisatie = Organisatie.objects.get(name="Landelijk Meldpunt")
    _user, editor = _editor()
    url = reverse("informeren:organisatie_edit", args=[organisatie.pk])
    response = editor.post(url, _organisation_form(organisatie, summary="Wij doen het anders."))
    assert response.status_code == 302
    change = Wijziging.objects.open().get(kind=WijzigingSoort.ORGANISATIE)
    assert change.data["summary"] == "Wij doen het anders."
