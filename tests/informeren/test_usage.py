"""Reads are counted per page per day without identifying anyone; readers can say if it helped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from informeren.models import DailyReads, Feedback, ReadKind
from informeren.usage import flush_reads
from tests.conftest import client_for
from tests.factories import OrganisatieFactory, SchoolFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


def test_reads_are_counted_per_day_after_a_flush(client, settings):
    settings.READS_FLUSH_SECONDS = 3600
    topic = published_topic()
    school = SchoolFactory()
    organisatie = OrganisatieFactory()
    for _ in range(3):
        read(client, f"/informatie/{topic.slug}/")
    read(client, f"/scholen/{school.pk}/")
    read(client, f"/organisaties/{organisatie.pk}/")
    flush_reads()
    counts = {(r.kind, r.object_id): r.count for r in DailyReads.objects.all()}
    assert counts == {
        (ReadKind.TOPIC, topic.pk): 3,
        (ReadKind.SCHOOL, school.pk): 1,
        (ReadKind.ORGANISATIE, organisatie.pk): 1,
    }
    read(client, f"/informatie/{topic.slug}/")
    flush_reads()
    assert DailyReads.objects.get(kind=ReadKind.TOPIC).count == 4


def read(client, path: str) -> None:
    """Show the page as a browser does: load it, then send the read it asks for."""
    page = client.get(path).text
    read_url = page.split('name="steunpunt-read" content="', 1)[1].split('"', 1)[0]
    assert client.post(read_url).status_code == 204


def test_a_read_writes_nothing_to_the_database_on_its_own(client, settings):
    settings.READS_FLUSH_SECONDS = 3600
    topic = published_topic()
    read(client, f"/informatie/{topic.slug}/")  # the first read of the hour flushes
    read_url = reverse("informeren:read", args=[ReadKind.TOPIC, topic.pk])
    with CaptureQueriesContext(connection) as queries:
        client.post(read_url)
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for q in queries.captured_queries
    )


def test_counting_sets_no_cookie_and_stores_no_address(client, settings):
    topic = published_topic()
    response = client.post(
        reverse("informeren:read", args=[ReadKind.TOPIC, topic.pk]),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Test/1.0",
    )
    assert "sessionid" not in response.cookies
    flush_reads()
    stored = str(list(DailyReads.objects.values()))
    assert "203.0.113.7" not in stored and "Test/1.0" not in stored


def test_reader_says_it_helped_with_a_remark(client):
    topic = published_topic()
    response = client.post(
        reverse("informeren:feedback", args=[topic.slug]),
        {"helpful": "ja", "remark": "Duidelijk!"},
        headers={"HX-Request": "true"},
    )
    assert "Dank u wel!" in response.text
    item = Feedback.objects.get()
    assert item.helpful and item.remark == "Duidelijk!"


def test_feedback_needs_an_answer_and_a_short_remark(client):
    topic = published_topic()
    response = client.post(reverse("informeren:feedback", args=[topic.slug]), {"remark": "x" * 600})
    assert "Kies ja of nee." in response.text
    assert "Maximaal 500 tekens" in response.text
    assert Feedback.objects.count() == 0


def test_editors_see_reads_and_answers_and_can_delete_a_remark(redacteur):
    topic = published_topic()
    Feedback.objects.create(topic=topic, helpful=False, remark="Te moeilijk")
    Feedback.objects.create(topic=topic, helpful=True)
    editor = client_for(redacteur)
    page = editor.get(reverse("informeren:topic_admin", args=[topic.pk])).text
    assert "Te moeilijk" in page
    assert "Geholpen: ja" in page
    remark = Feedback.objects.get(helpful=False)  # (the remark is encrypted: no lookup)
    editor.post(reverse("informeren:feedback_delete", args=[remark.pk]))
    remark.refresh_from_db()
    assert remark.remark == "" and remark.helpful is False
