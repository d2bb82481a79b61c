"""Public pages say who may keep them: the proxy in front for everyone, or nobody.

The app keeps no pages itself (steunpunt/cache.py); these tests read the
headers the proxy and browsers go by, and check that an edit shows at once.
"""

import pytest
from django.test import Client
from django.urls import reverse

from informeren import actions
from informeren.models import DailyReads, Feedback, ReadKind
from informeren.usage import flush_reads
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import OrganisatieFactory, SchoolFactory, UserFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db


def test_a_visitor_without_a_session_gets_a_page_anyone_may_keep_for_seconds(settings):
    settings.PUBLIC_PAGE_SECONDS = 10
    topic = published_topic()
    response = Client().get(topic.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=10"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text
    assert "X-CSRFToken" not in response.text


def test_a_visitor_with_a_session_gets_a_page_nobody_keeps(client):
    topic = published_topic()
    client.cookies["sessionid"] = "iemand-met-een-sessie"
    response = client.get(topic.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_page_rendered_for_staff_is_never_marked_public(redacteur):
    topic = published_topic()
    response = client_for(redacteur).get(topic.get_absolute_url())
    assert "Uitloggen" in response.text
    assert "public" not in response["Cache-Control"]
    assert "Uitloggen" not in Client().get(topic.get_absolute_url()).text


@pytest.mark.parametrize("path", ["/vraag/", "/vraag/?voor=jongere", "/vraag/terug/"])
def test_the_forms_of_an_asker_are_never_kept_by_anyone(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_publishing_a_revision_shows_the_new_text_to_the_next_visitor():
    topic = published_topic(body="Oude uitleg over de zorgplicht.")
    assert "Oude uitleg" in Client().get(topic.get_absolute_url()).text
    editor = UserFactory(roles=[Role.REDACTEUR])
    validator = UserFactory(roles=[Role.VALIDATOR])
    revision = draft(topic, editor, national_ouders="Nieuwe uitleg over de zorgplicht.")
    revision.submit(by=editor)
    revision.approve(by=validator)
    actions.publish(revision=revision, by=validator)
    page = Client().get(topic.get_absolute_url()).text
    assert "Nieuwe uitleg" in page
    assert "Oude uitleg" not in page


def test_editing_a_school_profile_shows_on_the_school_page_and_the_question_form(redacteur):
    school = SchoolFactory(name="De Linde")
    assert "Lift" not in Client().get(f"/scholen/{school.pk}/").text
    assert "De Linde" in Client().get("/vraag/").text
    client_for(redacteur).post(
        f"/redactie/scholen/{school.pk}/", {"has_lift": "on", "profile_checked_at": "2026-11-01"}
    )
    assert "Lift" in Client().get(f"/scholen/{school.pk}/").text


def test_renaming_an_organisation_shows_at_once():
    organisatie = OrganisatieFactory(name="Jeugdteam Oost")
    assert "Jeugdteam Oost" in Client().get(f"/organisaties/{organisatie.pk}/").text
    organisatie.name = "Wijkteam Oost"
    organisatie.save()
    assert "Wijkteam Oost" in Client().get(f"/organisaties/{organisatie.pk}/").text


@pytest.mark.parametrize("path", ["/", "/informatie/", "/scholen/", "/privacy/", "/checklists/"])
def test_head_answers_like_get(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]


def test_every_read_is_counted_also_of_a_page_the_proxy_served(settings):
    settings.READS_FLUSH_SECONDS = 3600
    topic = published_topic()
    page = Client().get(topic.get_absolute_url()).text
    read_url = reverse("informeren:read", args=[ReadKind.TOPIC, topic.pk])
    assert f'content="{read_url}"' in page  # the page asks to be counted
    for _ in range(5):  # five browsers showed it, wherever it came from
        assert Client(enforce_csrf_checks=True).post(read_url).status_code == 204
    flush_reads()
    assert DailyReads.objects.get(kind=ReadKind.TOPIC, object_id=topic.pk).count == 5


def test_a_read_of_something_unpublished_is_not_counted(settings):
    settings.READS_FLUSH_SECONDS = 3600
    topic = published_topic()
    Client().post(reverse("informeren:read", args=[ReadKind.TOPIC, topic.pk + 1000]))
    Client().post(reverse("informeren:read", args=["iets", topic.pk]))
    flush_reads()
    assert not DailyReads.objects.exists()


def test_feedback_works_from_a_public_page_without_a_token():
    topic = published_topic()
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(topic.get_absolute_url())
    assert "csrfmiddlewaretoken" not in page.text
    response = visitor.post(
        reverse("informeren:feedback", args=[topic.slug]), {"helpful": "ja", "remark": ""}
    )
    assert response.status_code == 302
    assert Feedback.objects.filter(topic=topic, helpful=True).count() == 1


def test_the_menu_marks_the_section_of_the_page():
    topic = published_topic()
    overview = Client().get("/informatie/").text
    page = Client().get(topic.get_absolute_url()).text
    assert 'href="/informatie/" aria-current="page"' in overview
    assert 'href="/informatie/" aria-current="true"' in page
    assert 'href="/" aria-current' not in page


def test_a_second_reader_gets_the_same_article_made_once(django_assert_max_num_queries):
    topic = published_topic(body="De school zoekt een passende plek.")
    first = Client().get(topic.get_absolute_url())
    with django_assert_max_num_queries(0):
        again = Client().get(topic.get_absolute_url())
    assert again.content == first.content
    assert "passende plek" in again.text
