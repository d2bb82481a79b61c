"""Reactions on a page are limited per client, like questions and sign-ups."""

import pytest
from django.test import Client
from django.urls import reverse

from informeren.models import Feedback
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(settings):
    settings.FEEDBACK_PER_HOUR = 3
    return published_topic()


def _react(client, topic, **headers):
    return client.post(
        reverse("informeren:feedback", args=[topic.slug]),
        {"helpful": "ja", "remark": "Duidelijk."},
        **headers,
    )


def test_one_client_cannot_store_more_reactions_than_the_limit(client, topic):
    answers = [_react(client, topic).status_code for _ in range(10)]
    assert answers == [302] * 3 + [429] * 7
    assert Feedback.objects.count() == 3


def test_the_limit_answers_with_a_friendly_dutch_page(client, topic):
    for _ in range(3):
        _react(client, topic)
    response = _react(client, topic)
    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.text


def test_with_htmx_the_limit_replaces_the_form_with_a_message(client, topic):
    for _ in range(3):
        _react(client, topic)
    response = _react(client, topic, headers={"HX-Request": "true"})
    # htmx swaps no 4xx answer, so this one comes with 200: the visitor sees it.
    assert response.status_code == 200
    assert 'id="reactie"' in response.text
    assert "Uw reactie kon niet worden verstuurd" in response.text
    assert Feedback.objects.count() == 3


def test_the_limit_is_per_client(client, topic):
    for _ in range(4):
        _react(client, topic)
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert _react(other, topic).status_code == 302
    assert Feedback.objects.count() == 4


def test_a_form_with_errors_does_not_count(client, topic):
    for _ in range(5):
        client.post(reverse("informeren:feedback", args=[topic.slug]), {"helpful": ""})
    assert _react(client, topic).status_code == 302


def test_the_default_limit_stops_sixty_posts(client, db, settings):
    settings.FEEDBACK_PER_HOUR = 20
    topic = published_topic()
    for _ in range(60):
        _react(client, topic)
    assert Feedback.objects.count() == 20
