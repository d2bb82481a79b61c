"""Experience stories: one person's own story beside the facts, with consent kept apart."""

from datetime import date

import pytest
from django.urls import reverse

from informeren.demo import load_stories
from informeren.models import Ervaring, RevisionStatus, Toestemming, Wijziging
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db

CONSENT_NAME = "mevrouw Jacoba Wilhelmina Dijkstra-Veenstra"
STORY = (
    "Mijn zoon zat drie maanden thuis. Ik was boos en moe. Het steunpunt hielp mij "
    "met het gesprek. Nu gaat hij weer naar school."
)


def _write_story(editor, topic, **extra):
    """An editor writes a story and records who gave consent, in one form."""
    return client_for(editor).post(
        reverse("informeren:ervaring_new"),
        {
            "title": "Drie maanden thuis",
            "teller": "ouder",
            "text": STORY,
            "topics": [topic.pk],
            "toestemming-given_by": CONSENT_NAME,
            "toestemming-given_on": "2026-11-02",
            "toestemming-how": "email",
            **extra,
        },
    )


def test_a_story_is_public_only_after_a_second_person_approved_it(redacteur, validator, client):
    topic = published_topic("thuiszitten", title="Thuiszitten")
    _write_story(redacteur, topic)
    change = Wijziging.objects.get()
    assert not Ervaring.objects.exists()
    assert "Drie maanden thuis" not in client.get(topic.get_absolute_url()).text

    writer = client_for(redacteur)
    writer.post(reverse("informeren:change_submit", args=[change.pk]))
    # The author cannot approve it, even holding the validator role.
    redacteur.groups.add(*validator.groups.all())
    response = client_for(redacteur).post(
        reverse("informeren:change_approve", args=[change.pk]), follow=True
    )
    assert "U heeft aan deze versie meegeschreven" in response.text
    assert not Ervaring.objects.exists()

    second = client_for(validator)
    second.post(reverse("informeren:change_approve", args=[change.pk]))
    assert not Ervaring.objects.exists()  # approved, not yet published
    second.post(reverse("informeren:change_publish", args=[change.pk]))

    page = client.get(topic.get_absolute_url()).text
    assert "Drie maanden thuis" in page
    assert "Ervaring van een ouder — dit is het verhaal van één persoon" in page
    story = Ervaring.objects.get()
    assert "Drie maanden thuis" in client.get(reverse("informeren:ervaringen")).text
    assert "Nu gaat hij weer naar school." in client.get(story.get_absolute_url()).text


def test_the_consent_is_kept_apart_and_never_on_a_public_page(redacteur, validator, client):
    topic = published_topic("thuiszitten", title="Thuiszitten")
    _write_story(redacteur, topic)
    change = Wijziging.objects.get()
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))

    consent = Toestemming.objects.get()
    assert consent.given_by == CONSENT_NAME
    assert consent.given_on == date(2026, 11, 2)
    assert consent.recorded_by == redacteur
    # The story's own row has nothing of the consent: another table.
    story = Ervaring.objects.get()
    assert not any(f.related_model is Toestemming for f in Ervaring._meta.get_fields())

    public_pages = [
        topic.get_absolute_url(),
        reverse("informeren:ervaringen"),
        story.get_absolute_url(),
        reverse("informeren:search") + "?q=thuis",
    ]
    for url in public_pages:
        html = client.get(url).text
        assert "Dijkstra" not in html, url
        assert "2 november 2026" not in html and "2026-11-02" not in html, url

    # The redactie can see it, and every look is written down.
    page = client_for(validator).get(reverse("informeren:consent", args=[change.pk]))
    assert CONSENT_NAME in page.text
    assert AuditEntry.objects.filter(
        action=AuditAction.CONSENT_VIEWED, object_id=str(consent.pk), actor=validator
    ).exists()


def test_a_story_cannot_go_for_review_without_consent(redacteur):
    topic = published_topic("thuiszitten", title="Thuiszitten")
    response = _write_story(redacteur, topic, **{"toestemming-given_by": ""})
    assert "Vul in wie toestemming gaf." in response.text
    assert STORY in response.text  # nothing typed is lost
    assert not Wijziging.objects.exists()


def test_the_outsider_cannot_see_the_consent(redacteur, outsider, medewerker):
    topic = published_topic("thuiszitten", title="Thuiszitten")
    _write_story(redacteur, topic)
    change = Wijziging.objects.get()
    for user in (outsider, medewerker):
        response = client_for(user).get(reverse("informeren:consent", args=[change.pk]))
        assert response.status_code == 403
        assert CONSENT_NAME not in response.text


def test_a_youth_story_is_marked_as_one_youths_experience(client):
    topic = published_topic("pesten", title="Pesten")
    editor = UserFactory(roles=[Role.REDACTEUR])
    checker = UserFactory(roles=[Role.VALIDATOR])
    from informeren import actions

    consent = actions.record_consent(
        by=editor, given_by="de jongere zelf", given_on=date(2026, 10, 1), how="schriftelijk"
    )
    actions.publish_change_directly(
        kind="ervaring",
        data={"title": "Ik durfde het te vertellen", "teller": "jongere",
              "text": "Ik werd gepest. Vertel het aan iemand die je vertrouwt.",
              "topics": [topic.pk], "fictional": False},
        author=editor,
        validator=checker,
        consent=consent,
    )  # fmt: skip
    page = client.get(topic.get_absolute_url()).text
    assert "Ervaring van een jongere — dit is het verhaal van één persoon" in page
    assert "verzonnen voorbeeld" not in page
    assert reverse("informeren:ervaringen") in page  # "Alle ervaringen" under the stories


def test_a_story_page_speaks_to_every_reader_alike(client):
    """A parent and a youth may both read a story: no "u" or "je" chosen by who tells it."""
    editor = UserFactory(roles=[Role.REDACTEUR])
    checker = UserFactory(roles=[Role.VALIDATOR])
    from informeren import actions

    for teller in ("jongere", "ouder"):
        actions.publish_change_directly(
            kind="ervaring",
            data={"title": f"Verhaal van een {teller}", "teller": teller,
                  "text": "Ik werd gepest. Ik vertelde het aan mijn mentor.",
                  "topics": [], "fictional": True},
            author=editor,
            validator=checker,
            consent=actions.record_consent(
                by=editor, given_by="verzonnen", given_on=date(2026, 10, 1), how="demo"
            ),
        )  # fmt: skip
    for story in Ervaring.objects.all():
        page = client.get(story.get_absolute_url()).text
        assert "Bij iemand anders kan het anders gaan." in page
        assert "Bij u kan" not in page and "Bij jou kan" not in page


def test_every_page_links_to_all_stories_in_the_footer(client):
    page = client.get("/").text
    footer = page[page.index('class="site-footer"') :]
    assert f'href="{reverse("informeren:ervaringen")}"' in footer


def test_the_demo_has_six_made_up_stories_of_parents_and_youths(redacteur, validator):
    for slug in ("thuiszitten", "welkom-op-school-en-pesten", "ontwikkelingsperspectief-opp"):
        published_topic(slug, title=slug)
    load_stories(author=redacteur, validator=validator)
    load_stories(author=redacteur, validator=validator)  # idempotent
    stories = Ervaring.objects.published()
    assert stories.count() >= 6
    assert all(story.fictional for story in stories)
    assert {story.teller for story in stories} == {"ouder", "jongere"}
    assert all(
        change.status == RevisionStatus.GEPUBLICEERD and change.reviewer != change.author
        for change in Wijziging.objects.filter(kind="ervaring")
    )
    assert Ervaring.objects.filter(topics__slug="thuiszitten").exists()


def test_a_story_whose_consent_is_withdrawn_goes_offline_at_once(redacteur, validator, client):
    topic = published_topic("thuiszitten", title="Thuiszitten")
    _write_story(redacteur, topic)
    change = Wijziging.objects.get()
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_approve", args=[change.pk]))
    client_for(validator).post(reverse("informeren:change_publish", args=[change.pk]))
    story = Ervaring.objects.get()
    assert "Drie maanden thuis" in client.get(topic.get_absolute_url()).text

    client_for(validator).post(reverse("informeren:ervaring_withdraw", args=[story.pk]))
    assert "Drie maanden thuis" not in client.get(topic.get_absolute_url()).text
    assert client.get(story.get_absolute_url()).status_code == 404
    story.refresh_from_db()
    assert story.withdrawn_by == validator

    # Back online only with a new consent record and a second person's approval.
    writer = client_for(redacteur)
    writer.get(reverse("informeren:ervaring_edit", args=[story.pk]))
    response = writer.post(
        reverse("informeren:ervaring_edit", args=[story.pk]),
        {"title": "Drie maanden thuis", "teller": "ouder", "text": STORY, "topics": [topic.pk]},
    )
    assert "Vul in wie toestemming gaf." in response.text
    assert not Wijziging.objects.exclude(pk=change.pk).exists()
