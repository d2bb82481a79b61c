"""A story whose consent is withdrawn stays offline until a new consent and a second person.

Nothing written or approved before the withdrawal brings it back, the names
in the withdrawn consent are forgotten, and the audit log keeps when the
story went offline and when it came back.
"""

import pytest
from django.db import connection
from django.urls import reverse

from informeren import actions
from informeren.models import Ervaring, RevisionStatus, Toestemming, Wijziging, WorkflowError
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.informeren.helpers import published_topic
from tests.informeren.test_stories import CONSENT_NAME, STORY, _write_story

pytestmark = pytest.mark.django_db

NEW_CONSENT = {
    "toestemming-given_by": "de vader, meneer P. Bakker",
    "toestemming-given_on": "2026-11-20",
    "toestemming-how": "schriftelijk",
}


def _story_fields(topic):
    return {"title": "Drie maanden thuis", "teller": "ouder", "text": STORY, "topics": [topic.pk]}


def _review(redacteur, validator, change):
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))


def _published_story(redacteur, validator):
    topic = published_topic("thuiszitten", title="Thuiszitten")
    _write_story(redacteur, topic)
    change = Wijziging.objects.get()
    _review(redacteur, validator, change)
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))
    return topic, Ervaring.objects.get()


def _withdraw(validator, story):
    client_for(validator).post(reverse("informeren:ervaring_withdraw", args=[story.pk]))
    story.refresh_from_db()


def test_a_change_approved_before_the_withdrawal_cannot_bring_the_story_back(
    redacteur, validator, client
):
    topic, story = _published_story(redacteur, validator)
    client_for(redacteur).post(
        reverse("informeren:ervaring_edit", args=[story.pk]),
        _story_fields(topic) | {"title": "Drie maanden thuis, en toen"},
    )
    approved = Wijziging.objects.get(status=RevisionStatus.CONCEPT)
    _review(redacteur, validator, approved)
    approved.refresh_from_db()
    assert approved.status == RevisionStatus.GOEDGEKEURD

    _withdraw(validator, story)
    response = client_for(validator).post(
        reverse("informeren:change_publish", args=[approved.pk]), follow=True
    )
    assert response.status_code == 200
    story.refresh_from_db()
    assert not story.published
    assert "Drie maanden thuis" not in client.get(topic.get_absolute_url()).text
    approved.refresh_from_db()
    assert approved.status == RevisionStatus.AFGEKEURD  # sent back when the story went offline
    assert approved.consent is None
    assert "offline gehaald" in approved.rejection_reason


def test_publishing_with_the_withdrawn_consent_is_refused(redacteur, validator):
    _topic, story = _published_story(redacteur, validator)
    old_consent = Toestemming.objects.get()
    change = actions.save_change(
        kind="ervaring",
        target_id=story.pk,
        data=Wijziging.objects.get().data,
        by=redacteur,
    )
    assert change.consent == old_consent
    actions.withdraw_story(ervaring=story, by=validator)
    # A change that somehow still holds the old consent (say, from before this rule).
    Wijziging.objects.filter(pk=change.pk).update(
        status=RevisionStatus.GOEDGEKEURD, consent=old_consent
    )
    with pytest.raises(WorkflowError, match="toestemming is ingetrokken"):
        actions.publish_change(change=change, by=validator)
    story.refresh_from_db()
    assert not story.published and story.withdrawn_at is not None

    Wijziging.objects.filter(pk=change.pk).update(status=RevisionStatus.CONCEPT)
    with pytest.raises(WorkflowError, match="toestemming is ingetrokken"):
        actions.save_change(
            kind="ervaring", target_id=story.pk, data=change.data, by=redacteur, change=change
        )


def test_an_editor_continuing_an_older_concept_is_asked_for_the_new_consent(
    redacteur, validator, client
):
    topic, story = _published_story(redacteur, validator)
    writer = client_for(redacteur)
    writer.post(reverse("informeren:ervaring_edit", args=[story.pk]), _story_fields(topic))
    concept = Wijziging.objects.get(status=RevisionStatus.CONCEPT)
    _withdraw(validator, story)

    form = writer.get(reverse("informeren:change_edit", args=[concept.pk]))
    assert 'name="toestemming-given_by"' in form.text
    without = writer.post(
        reverse("informeren:change_edit", args=[concept.pk]), _story_fields(topic)
    )
    assert "Vul in wie toestemming gaf." in without.text
    writer.post(
        reverse("informeren:change_edit", args=[concept.pk]), _story_fields(topic) | NEW_CONSENT
    )
    concept.refresh_from_db()
    assert concept.consent.given_by == "de vader, meneer P. Bakker"
    _review(redacteur, validator, concept)
    client_for(validator).post(reverse("informeren:change_publish", args=[concept.pk]))
    story.refresh_from_db()
    assert story.published
    assert "Drie maanden thuis" in client.get(topic.get_absolute_url()).text


def test_editing_a_withdrawn_story_asks_for_the_new_consent(redacteur, validator, client):
    topic, story = _published_story(redacteur, validator)
    _withdraw(validator, story)
    writer = client_for(redacteur)
    form = writer.get(reverse("informeren:ervaring_edit", args=[story.pk]))
    assert 'name="toestemming-given_by"' in form.text
    response = writer.post(
        reverse("informeren:ervaring_edit", args=[story.pk]), _story_fields(topic)
    )
    assert "Vul in wie toestemming gaf." in response.text
    assert STORY in response.text  # nothing typed is lost
    writer.post(
        reverse("informeren:ervaring_edit", args=[story.pk]), _story_fields(topic) | NEW_CONSENT
    )
    again = Wijziging.objects.get(status=RevisionStatus.CONCEPT)
    assert again.consent.given_by == "de vader, meneer P. Bakker"


def test_taking_a_story_offline_and_back_is_in_the_audit_log(redacteur, validator):
    topic, story = _published_story(redacteur, validator)
    _withdraw(validator, story)
    withdrawn = AuditEntry.objects.get(action=AuditAction.STORY_WITHDRAWN)
    assert withdrawn.actor == validator
    assert withdrawn.object_id == str(story.pk)

    client_for(redacteur).post(
        reverse("informeren:ervaring_edit", args=[story.pk]), _story_fields(topic) | NEW_CONSENT
    )
    again = Wijziging.objects.get(status=RevisionStatus.CONCEPT)
    _review(redacteur, validator, again)
    client_for(validator).post(reverse("informeren:change_publish", args=[again.pk]))
    story.refresh_from_db()
    assert story.published
    # Online again, and the log still says when it was offline.
    assert AuditEntry.objects.filter(action=AuditAction.STORY_WITHDRAWN).exists()
    back = AuditEntry.objects.get(action=AuditAction.STORY_REPUBLISHED)
    assert back.object_id == str(story.pk) and back.seq > withdrawn.seq


def test_consent_names_are_stored_encrypted_and_forgotten_on_withdrawal(redacteur, validator):
    _topic, story = _published_story(redacteur, validator)
    consent = Toestemming.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_by FROM informeren_toestemming WHERE id = %s", [consent.pk])
        (stored,) = cursor.fetchone()
    assert "Dijkstra" not in stored
    assert consent.given_by == CONSENT_NAME

    _withdraw(validator, story)
    consent.refresh_from_db()
    assert consent.given_by == ""
    assert consent.withdrawn_at is not None  # that it was given, and withdrawn, and when
    assert consent.given_on is not None
    change = Wijziging.objects.get(status=RevisionStatus.GEPUBLICEERD)
    page = client_for(validator).get(reverse("informeren:consent", args=[change.pk]))
    assert "Ingetrokken" in page.text
    assert "Dijkstra" not in page.text
