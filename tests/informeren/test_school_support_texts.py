"""A school's extra support is in its schoolgids: no page speaks of a stand-alone profile."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_school_page_sends_parents_to_the_schoolgids(client):
    school = SchoolFactory(profile_url="https://school.example/schoolgids")
    page = client.get(school.get_absolute_url()).text
    assert "Lees in de schoolgids welke extra ondersteuning de school biedt" in page
    assert "https://school.example/schoolgids" in page
    assert "ondersteuningsprofiel van de school" not in page.lower()
    assert "Wat is een ondersteuningsprofiel?" not in page
    # The explanation keeps its address.
    assert reverse("informeren:topic", args=["ondersteuningsprofiel"]) in page


def test_the_redactie_keeps_the_support_of_schools_not_profiles(redacteur):
    school = SchoolFactory()
    editor = client_for(redacteur)
    for url in (
        reverse("informeren:redactie"),
        reverse("informeren:school_profiles"),
        reverse("informeren:school_profile", args=[school.pk]),
    ):
        page = editor.get(url).text
        assert "Ondersteuningsprofielen" not in page, url
        assert "ondersteuningsprofiel van de school" not in page, url
    assert "Ondersteuning op scholen" in editor.get(reverse("informeren:redactie")).text
