"""Keeping pages current: "nog steeds juist", a page owner's reminder, and B1 with a reason."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from informeren.models import RevisionStatus, Topic
from informeren.reviews import send_review_reminders
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db

# One sentence of 26 words, full of long words: below B1 on both counts.
HARD = (
    "De onderwijsinstelling draagt overeenkomstig de toepasselijke wettelijke bepalingen "
    "zorg voor een passende onderwijsvoorziening, waarbij de ondersteuningsbehoefte van "
    "de leerling uitgangspunt vormt voor iedere vervolgbeslissing van betrokken partijen."
)


def test_an_editor_confirms_a_page_is_still_correct_without_a_new_text(redacteur, client):
    topic = published_topic()
    Topic.objects.filter(pk=topic.pk).update(review_by=date(2026, 1, 1))
    versions = topic.revisions.count()
    with time_machine.travel("2026-12-01 10:00 +01:00"):
        client.get(topic.get_absolute_url())  # the article is kept: it must be made again
        response = client_for(redacteur).post(
            reverse("informeren:topic_check", args=[topic.pk]),
            {"note": "Wet nagekeken, niets veranderd."},
            follow=True,
        )
        assert "vandaag gecontroleerd en nog steeds juist" in response.text
        public = client.get(topic.get_absolute_url()).text
    topic.refresh_from_db()
    assert topic.revisions.count() == versions  # no new text
    assert topic.review_by == date(2027, 12, 1)
    assert "Gecontroleerd op 1 december 2026." in public
    history = client_for(redacteur).get(reverse("informeren:topic_admin", args=[topic.pk])).text
    assert "Gecontroleerd zonder nieuwe tekst" in history
    assert "Wet nagekeken, niets veranderd." in history
    assert topic not in Topic.objects.overdue(date(2026, 12, 2))
    assert AuditEntry.objects.filter(action=AuditAction.PAGE_CHECKED, actor=redacteur).exists()


def test_an_unpublished_page_cannot_be_checked(redacteur):
    from informeren import actions

    revision = actions.create_topic(
        slug="nieuw", by=redacteur, title="Nieuw", summary="x", national_ouders="Tekst."
    )
    response = client_for(redacteur).post(
        reverse("informeren:topic_check", args=[revision.topic_id]), follow=True
    )
    assert "nog niet gepubliceerd" in response.text
    assert not revision.topic.checks.exists()


def test_a_text_below_b1_needs_the_validators_reason_which_the_history_shows(redacteur, validator):
    topic = published_topic()
    revision = draft(topic, redacteur, national_ouders=HARD)
    writer = client_for(redacteur)
    writer.post(reverse("informeren:revision_submit", args=[revision.pk]))
    checker = client_for(validator)
    page = checker.get(reverse("informeren:revision", args=[revision.pk])).text
    assert "Deze tekst is niet op B1-niveau" in page

    refused = checker.post(reverse("informeren:revision_approve", args=[revision.pk]), follow=True)
    assert "Schrijf op waarom hij toch gepubliceerd mag worden." in refused.text
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.TER_BEOORDELING

    blank = checker.post(
        reverse("informeren:revision_approve", args=[revision.pk]), {"b1_reason": "   "}
    )
    assert blank.status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.TER_BEOORDELING

    reason = "Dit is de tekst van de wet. Het kader eronder legt hem uit."
    checker.post(reverse("informeren:revision_approve", args=[revision.pk]), {"b1_reason": reason})
    checker.post(reverse("informeren:revision_publish", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GEPUBLICEERD
    assert revision.b1_reason == reason
    history = checker.get(reverse("informeren:topic_admin", args=[topic.pk])).text
    assert "Onder B1 goedgekeurd, omdat" in history
    assert reason in history


def test_a_text_at_b1_needs_no_reason(redacteur, validator):
    topic = published_topic()
    revision = draft(
        topic,
        redacteur,
        national_ouders=(
            "De school moet een goede plek voor uw kind zoeken. Dat heet zorgplicht. "
            "Vraag de school wat zij doen. Schrijf op wat u hoort. Zo weet u het later nog."
        ),
    )
    client_for(redacteur).post(reverse("informeren:revision_submit", args=[revision.pk]))
    client_for(validator).post(reverse("informeren:revision_approve", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GOEDGEKEURD
    assert revision.b1_reason == ""


def test_a_glossary_change_below_b1_also_needs_a_reason(redacteur, validator):
    from informeren.models import Wijziging

    client_for(redacteur).post(
        reverse("informeren:begrip_new"),
        {"term": "Zorgplicht", "explanation": HARD, "also_matches": ""},
    )
    change = Wijziging.objects.get()
    client_for(redacteur).post(reverse("informeren:change_submit", args=[change.pk]))
    refused = client_for(validator).post(
        reverse("informeren:change_approve", args=[change.pk]), follow=True
    )
    assert "Schrijf op waarom hij toch gepubliceerd mag worden." in refused.text
    client_for(validator).post(
        reverse("informeren:change_approve", args=[change.pk]),
        {"b1_reason": "Zo staat het in de wet."},
    )
    change.refresh_from_db()
    assert change.status == RevisionStatus.GOEDGEKEURD
    page = client_for(validator).get(reverse("informeren:change", args=[change.pk])).text
    assert "Zo staat het in de wet." in page


def test_page_owners_get_a_monthly_reminder_of_their_pages_due_for_review(
    redacteur, django_capture_on_commit_callbacks
):
    owner = UserFactory(username="fatima", first_name="Fatima", email="fatima@steunpunt.example")
    other = UserFactory(username="joost", email="joost@steunpunt.example")
    late = published_topic("thuiszitten", title="Thuiszitten")
    soon = published_topic("aanmelden", title="Aanmelden")
    later = published_topic("zorgplicht", title="Zorgplicht")
    unowned = published_topic("pesten", title="Pesten")
    Topic.objects.filter(pk=late.pk).update(owner=owner, review_by=date(2026, 11, 20))
    Topic.objects.filter(pk=soon.pk).update(owner=owner, review_by=date(2026, 12, 20))
    Topic.objects.filter(pk=later.pk).update(owner=other, review_by=date(2027, 6, 1))
    Topic.objects.filter(pk=unowned.pk).update(review_by=date(2026, 11, 1))
    mail.outbox.clear()

    with (
        time_machine.travel("2026-12-01 07:00 +01:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_review_reminders.call() == 1

    [message] = mail.outbox
    assert message.to == ["fatima@steunpunt.example"]
    assert message.subject == "2 pagina's om te controleren"
    assert "Hallo Fatima" in message.body
    assert "Thuiszitten: had gecontroleerd moeten zijn op 20 november 2026" in message.body
    assert "Aanmelden: controleren voor 20 december 2026" in message.body
    assert reverse("informeren:topic_admin", args=[late.pk]) in message.body
    assert "Zorgplicht" not in message.body and "Pesten" not in message.body
    assert "Nog steeds juist, vandaag gecontroleerd" in message.body


def test_the_owner_is_chosen_in_the_page_settings(redacteur, validator):
    topic = published_topic()
    editor = client_for(redacteur)
    page = editor.get(reverse("informeren:topic_admin", args=[topic.pk])).text
    assert "Deze pagina heeft nog geen eigenaar" in page
    editor.post(
        reverse("informeren:topic_admin", args=[topic.pk]),
        {"owner": validator.pk, "review_by": (date.today() + timedelta(days=30)).isoformat(),
         "position": 100},
    )  # fmt: skip
    topic.refresh_from_db()
    assert topic.owner == validator
