"""Checklists are ticked in the visitor's browser only."""

import pytest

from informeren.models import Checklist, ChecklistItem
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


def test_checklist_links_items_to_topics_and_has_no_form_to_the_server(client):
    topic = published_topic("aanmelden", title="Aanmelden")
    checklist = Checklist.objects.create(slug="mijn-school", title="Mijn school")
    ChecklistItem.objects.create(checklist=checklist, text="Ik heb aangemeld.", topic=topic)
    page = client.get("/checklists/mijn-school/").text
    assert "Ik heb aangemeld." in page
    assert 'href="/informatie/aanmelden/"' in page
    assert 'data-checklist="mijn-school"' in page
    checklist_part = page.split('data-checklist="mijn-school"')[1].split("</div>")[0]
    assert "<form" not in checklist_part
    assert "alleen op dit apparaat" in page


def test_checklist_overview(client):
    Checklist.objects.create(slug="mijn-kind", title="Mijn kind")
    assert "Mijn kind" in client.get("/checklists/").text
    assert client.get("/checklists/bestaat-niet/").status_code == 404
