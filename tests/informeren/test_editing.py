"""Editors maintain meetings, organisations and checklists in the product's own screens.

Organisations and checklists are public text: a change shows once a second
person approved and published it (tests/informeren/test_changes.py).
"""

import pytest

from informeren.models import Checklist, Meeting, Organisatie, Wijziging
from tests.conftest import client_for
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


def test_editor_plans_a_meeting_with_checks(redacteur):
    editor = client_for(redacteur)
    response = editor.post(
        "/redactie/bijeenkomsten/nieuw/",
        {"title": "Avond", "kind": "thema", "audience": "ouders", "description": "x",
         "starts_at": "2027-02-01T20:00", "ends_at": "2027-02-01T19:00", "capacity": "0"},
    )  # fmt: skip
    assert "Het einde moet na het begin liggen." in response.text
    assert "Vul een plaats in" in response.text
    assert "Er moet minstens één plaats zijn." in response.text
    editor.post(
        "/redactie/bijeenkomsten/nieuw/",
        {"title": "Avond", "kind": "thema", "audience": "ouders", "description": "x",
         "starts_at": "2027-02-01T19:30", "ends_at": "2027-02-01T21:30", "place": "Bieb",
         "capacity": "20", "published": "on"},
    )  # fmt: skip
    assert Meeting.objects.get().capacity == 20


def test_editor_keeps_the_organisations(redacteur):
    client_for(redacteur).post(
        "/redactie/organisaties/nieuw/",
        {
            "name": "Buurtteam Oost",
            "soort": "wijkteam",
            "summary": "Helpt gezinnen.",
            "website": "buurtteam",
        },
    )
    assert not Organisatie.objects.exists()
    client_for(redacteur).post(
        "/redactie/organisaties/nieuw/",
        {"name": "Buurtteam Oost", "soort": "wijkteam", "summary": "Helpt gezinnen."},
    )
    assert not Organisatie.objects.exists()  # not before a second person approved it
    _approve_and_publish(Wijziging.objects.get(), redacteur)
    assert Organisatie.objects.get().name == "Buurtteam Oost"


def _approve_and_publish(change, author):
    from steunpunt.roles import Role
    from tests.factories import UserFactory

    client_for(author).post(f"/redactie/wijzigingen/{change.pk}/indienen/")
    validator = client_for(UserFactory(roles=[Role.VALIDATOR]))
    validator.post(f"/redactie/wijzigingen/{change.pk}/goedkeuren/")
    validator.post(f"/redactie/wijzigingen/{change.pk}/publiceren/")


def test_editor_writes_a_checklist_with_items(client, redacteur):
    topic = published_topic("aanmelden", title="Aanmelden")
    data = {
        "title": "Voor het gesprek",
        "intro": "",
        "punten-TOTAL_FORMS": "3",
        "punten-INITIAL_FORMS": "0",
        "punten-0-text": "Vragen opgeschreven",
        "punten-0-topic": str(topic.pk),
        "punten-1-text": "Stukken meegenomen",
    }
    client_for(redacteur).post("/redactie/checklists/nieuw/", data)
    assert not Checklist.objects.exists()  # not before a second person approved it
    _approve_and_publish(Wijziging.objects.get(), redacteur)
    checklist = Checklist.objects.get()
    assert checklist.slug == "voor-het-gesprek"
    assert list(checklist.items.values_list("text", flat=True)) == [
        "Vragen opgeschreven",
        "Stukken meegenomen",
    ]
    assert "Vragen opgeschreven" in client.get("/checklists/voor-het-gesprek/").text


def test_only_editors_maintain_content(medewerker, bestuur):
    for user in (medewerker, bestuur):
        client = client_for(user)
        assert client.get("/redactie/bijeenkomsten/nieuw/").status_code == 403
        assert client.get("/redactie/checklists/").status_code == 403
        assert client.get("/redactie/organisaties/").status_code == 403
