"""Visitors without a session get public pages from the cache; edits show at once."""

import pytest
from django.test import Client
from django.urls import reverse

from informeren import actions
from informeren.models import DailyReads, Feedback, ReadKind, School
from informeren.usage import flush_reads, push_reads
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import OrganisatieFactory, SchoolFactory, UserFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db


def test_a_second_visitor_gets_the_page_without_touching_the_database(
    client, django_assert_num_queries
):
    topic = published_topic(body="De school zoekt een passende plek.")
    first = client.get(topic.get_absolute_url())
    # Reads move on to the database on a clock, at most once a second and then
    # once a minute (informeren.usage); start that second now, not at setup.
    push_reads()
    with django_assert_num_queries(0):
        again = Client().get(topic.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content
    assert "passende plek" in again.text


def test_publishing_a_revision_shows_the_new_text_to_the_next_visitor(client):
    topic = published_topic(body="Oude uitleg over de zorgplicht.")
    assert "Oude uitleg" in client.get(topic.get_absolute_url()).text
    editor = UserFactory(roles=[Role.REDACTEUR])
    validator = UserFactory(roles=[Role.VALIDATOR])
    revision = draft(topic, editor, national_ouders="Nieuwe uitleg over de zorgplicht.")
    revision.submit(by=editor)
    revision.approve(by=validator)
    actions.publish(revision=revision, by=validator)
    page = client.get(topic.get_absolute_url()).text
    assert "Nieuwe uitleg" in page
    assert "Oude uitleg" not in page


def test_editing_a_school_profile_shows_on_the_school_page_at_once(client, redacteur):
    school = SchoolFactory()
    assert "Lift" not in client.get(f"/scholen/{school.pk}/").text
    client_for(redacteur).post(
        f"/redactie/scholen/{school.pk}/", {"has_lift": "on", "profile_checked_at": "2026-11-01"}
    )
    assert School.objects.get(pk=school.pk).has_lift
    assert "Lift" in client.get(f"/scholen/{school.pk}/").text


def test_renaming_an_organisation_shows_at_once(client):
    organisatie = OrganisatieFactory(name="Jeugdteam Oost")
    assert "Jeugdteam Oost" in client.get(f"/organisaties/{organisatie.pk}/").text
    organisatie.name = "Wijkteam Oost"
    organisatie.save()
    assert "Wijkteam Oost" in client.get(f"/organisaties/{organisatie.pk}/").text


def test_reads_served_from_the_cache_are_counted(settings):
    settings.READS_FLUSH_SECONDS = 3600
    topic = published_topic()
    for _ in range(5):
        assert Client().get(topic.get_absolute_url()).status_code == 200
    flush_reads()
    assert DailyReads.objects.get(kind=ReadKind.TOPIC, object_id=topic.pk).count == 5


def test_a_page_rendered_for_staff_never_reaches_a_visitor(redacteur):
    topic = published_topic()
    staff_page = client_for(redacteur).get(topic.get_absolute_url()).text
    assert "Uitloggen" in staff_page
    visitor_page = Client().get(topic.get_absolute_url()).text
    assert "Uitloggen" not in visitor_page


def test_staff_always_see_the_database_not_the_cache(redacteur):
    school = SchoolFactory(name="De Linde")
    Client().get(f"/scholen/{school.pk}/")
    # A change that bypasses the model (and so the invalidation): staff still see it.
    School.objects.filter(pk=school.pk).update(name="De Lindeboom")
    assert "De Lindeboom" in client_for(redacteur).get(f"/scholen/{school.pk}/").text
    assert "De Lindeboom" not in Client().get(f"/scholen/{school.pk}/").text


def test_feedback_works_from_a_cached_page_without_a_token():
    topic = published_topic()
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(topic.get_absolute_url())
    assert "csrfmiddlewaretoken" not in page.text
    response = visitor.post(
        reverse("informeren:feedback", args=[topic.slug]), {"helpful": "ja", "remark": ""}
    )
    assert response.status_code == 302
    assert Feedback.objects.filter(topic=topic, helpful=True).count() == 1


def test_a_visitor_with_a_session_gets_a_fresh_page(client):
    school = SchoolFactory(name="De Linde")
    Client().get(f"/scholen/{school.pk}/")
    School.objects.filter(pk=school.pk).update(name="De Lindeboom")
    client.cookies["sessionid"] = "iemand-met-een-sessie"
    assert "De Lindeboom" in client.get(f"/scholen/{school.pk}/").text


def test_a_page_from_memory_keeps_every_security_header(client):
    topic = published_topic()
    first = client.get(topic.get_absolute_url())
    again = Client().get(topic.get_absolute_url())
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
    ):
        assert again[header] == first[header], header
    assert "Set-Cookie" not in again


def test_a_reader_gets_no_cookie_even_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    topic = published_topic()
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert not response.cookies
    assert "X-CSRFToken" not in response.text
