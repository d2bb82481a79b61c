"""Every change is a revision: concept, review by a second person, publish."""

import pytest
from django.urls import reverse

from informeren import actions
from informeren.models import FourEyesError, Revision, RevisionOrigin, RevisionStatus, Topic
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db


def test_editor_writes_validator_approves_editor_publishes(client, redacteur, validator):
    editor = client_for(redacteur)
    response = editor.post(
        reverse("informeren:topic_new"),
        {
            "title": "Leerlingenvervoer",
            "summary": "Vervoer naar school.",
            "national_ouders": "De gemeente helpt.",
        },
    )
    revision = Revision.objects.get()
    assert response["Location"] == reverse("informeren:revision", args=[revision.pk])
    assert revision.topic.slug == "leerlingenvervoer"
    assert client.get("/informatie/leerlingenvervoer/").status_code == 404

    editor.post(reverse("informeren:revision_submit", args=[revision.pk]))
    client_for(validator).post(reverse("informeren:revision_approve", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GOEDGEKEURD
    assert revision.reviewer == validator

    editor.post(reverse("informeren:revision_publish", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GEPUBLICEERD
    assert "De gemeente helpt." in client.get("/informatie/leerlingenvervoer/").text


def test_validator_cannot_approve_own_revision(db):
    both = UserFactory(roles=[Role.REDACTEUR, Role.VALIDATOR])
    revision = actions.create_topic(slug="x", by=both, title="X", summary="x", national_ouders="x")
    revision.submit(by=both)
    with pytest.raises(FourEyesError):
        revision.approve(by=both)
    response = client_for(both).post(
        reverse("informeren:revision_approve", args=[revision.pk]), follow=True
    )
    assert "U heeft aan deze versie meegeschreven" in response.text
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.TER_BEOORDELING


def test_rejection_goes_back_to_the_author_with_a_reason(redacteur, validator):
    revision = actions.create_topic(
        slug="x", by=redacteur, title="X", summary="x", national_ouders="x"
    )
    revision.submit(by=redacteur)
    client_for(validator).post(
        reverse("informeren:revision_reject", args=[revision.pk]),
        {"reason": "Te moeilijke woorden."},
    )
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.AFGEKEURD
    page = client_for(redacteur).get(reverse("informeren:revision", args=[revision.pk])).text
    assert "Te moeilijke woorden." in page
    client_for(redacteur).post(
        reverse("informeren:revision_edit", args=[revision.pk]),
        {"title": "X", "summary": "x", "national_ouders": "Makkelijker."},
    )
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.CONCEPT


def test_reject_needs_a_reason(redacteur, validator):
    revision = actions.create_topic(
        slug="x", by=redacteur, title="X", summary="x", national_ouders="x"
    )
    revision.submit(by=redacteur)
    response = client_for(validator).post(
        reverse("informeren:revision_reject", args=[revision.pk]), {"reason": ""}, follow=True
    )
    assert "Schrijf op wat er beter moet." in response.text
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.TER_BEOORDELING


def test_only_approved_revisions_can_be_published(redacteur):
    revision = actions.create_topic(
        slug="x", by=redacteur, title="X", summary="x", national_ouders="x"
    )
    response = client_for(redacteur).post(
        reverse("informeren:revision_publish", args=[revision.pk]), follow=True
    )
    assert "Alleen een goedgekeurde versie" in response.text
    assert Topic.objects.get().published_revision is None


def test_publishing_replaces_the_previous_version_and_keeps_history(redacteur, validator):
    topic = published_topic(body="Oud.")
    old = topic.published_revision
    new = draft(topic, redacteur, national_ouders="Nieuw.")
    new.submit(by=redacteur)
    new.approve(by=validator)
    actions.publish(revision=new, by=validator)
    old.refresh_from_db()
    topic.refresh_from_db()
    assert old.status == RevisionStatus.VERVANGEN
    assert topic.published_revision == new
    assert topic.revisions.count() == 2


def test_rollback_is_a_new_revision_that_needs_approval(client, redacteur, validator):
    topic = published_topic(body="Eerste tekst.")
    first = topic.published_revision
    second = draft(topic, redacteur, national_ouders="Tweede tekst.")
    second.submit(by=redacteur)
    second.approve(by=validator)
    actions.publish(revision=second, by=validator)
    client_for(redacteur).post(reverse("informeren:revision_rollback", args=[first.pk]))
    rolled = topic.revisions.order_by("-number").first()
    assert rolled.origin == RevisionOrigin.TERUGZETTEN
    assert rolled.status == RevisionStatus.CONCEPT
    assert rolled.national_ouders == "Eerste tekst."
    assert "Tweede tekst." in client.get(f"/informatie/{topic.slug}/").text


def test_revision_page_shows_a_readable_diff(redacteur):
    topic = published_topic(body="De school moet zoeken.")
    revision = draft(topic, redacteur, national_ouders="De school moet goed zoeken.")
    page = client_for(redacteur).get(reverse("informeren:revision", args=[revision.pk])).text
    assert "<ins>goed </ins>" in page or "<ins>goed</ins>" in page


def test_editor_and_validator_see_readability_and_long_sentences(redacteur, validator):
    long_sentence = " ".join(["woord"] * 25) + "."
    revision = actions.create_topic(
        slug="x", by=redacteur, title="X", summary="x", national_ouders=long_sentence
    )
    for user in (redacteur, validator):
        page = client_for(user).get(reverse("informeren:revision", args=[revision.pk])).text
        assert "Flesch-Douma" in page
        assert "1 lange zin" in page


def test_live_preview_renders_safely_with_a_score(redacteur):
    response = client_for(redacteur).post(
        reverse("informeren:preview"),
        {"national_ouders": "Hallo <script>alert(1)</script> **wereld**."},
        headers={"HX-Request": "true", "HX-Trigger-Name": "national_ouders"},
    )
    assert "<strong>wereld</strong>" in response.text
    assert "<script>" not in response.text
    assert "Leesbaarheid" in response.text


def test_editing_a_published_revision_is_refused(redacteur):
    topic = published_topic()
    response = client_for(redacteur).get(
        reverse("informeren:revision_edit", args=[topic.published_revision.pk]), follow=True
    )
    assert "niet meer te wijzigen" in response.text


def test_empty_required_fields_get_dutch_messages(redacteur):
    response = client_for(redacteur).post(
        reverse("informeren:topic_new"), {"title": "", "summary": "", "national_ouders": ""}
    )
    assert "Geef het onderwerp een titel." in response.text
    assert "De tekst voor ouders is verplicht." in response.text


def test_duplicate_slug_is_refused(redacteur):
    published_topic("zorgplicht")
    response = client_for(redacteur).post(
        reverse("informeren:topic_new"),
        {"title": "Zorgplicht", "slug": "zorgplicht", "summary": "x", "national_ouders": "x"},
    )
    assert "Er is al een pagina met dit adres" in response.text


@pytest.mark.parametrize("who", ["medewerker", "bestuur", "outsider", "vrijwilliger"])
def test_others_cannot_reach_the_editors_screens(request, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("informeren:redactie")).status_code == 403
    assert client_for(user).post(reverse("informeren:topic_new"), {}).status_code == 403


def test_validator_cannot_write_and_redacteur_cannot_approve(redacteur, validator):
    revision = actions.create_topic(
        slug="x", by=redacteur, title="X", summary="x", national_ouders="x"
    )
    revision.submit(by=redacteur)
    assert client_for(validator).post(reverse("informeren:topic_new"), {}).status_code == 403
    assert (
        client_for(redacteur)
        .post(reverse("informeren:revision_approve", args=[revision.pk]))
        .status_code
        == 403
    )
