"""Editors teach the search: how people put it, per topic under four eyes, and a synonym list."""

import pytest
from django.urls import reverse

from informeren.models import FourEyesError, RevisionStatus, Synonym, Topic
from steunpunt.cache import content_version
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db

PHRASINGS = "mijn kind zit thuis\nrugzakje"


# --- Zo zeggen mensen het ------------------------------------------------------------


def _edit_form(revision) -> dict[str, str]:
    return {name: getattr(revision, name) for name in revision.CONTENT_FIELDS}


def test_the_editor_shows_phrasings_last_with_a_hint(redacteur):
    topic = published_topic()
    editor = client_for(redacteur)
    page = editor.post(reverse("informeren:revision_start", args=[topic.pk]), follow=True)
    form = page.context["form"]
    assert list(form.fields)[-1] == "phrasings"
    assert "Eén per regel" in str(form.fields["phrasings"].help_text)
    assert 'name="phrasings"' in page.text
    assert "Zo zeggen mensen het" in page.text


def test_a_phrasing_is_public_only_after_another_approves_and_publishes(validator):
    # Someone who may write and approve, but never a text they wrote (four eyes).
    dual = UserFactory(roles=[Role.REDACTEUR, Role.VALIDATOR])
    topic = published_topic()
    writer = client_for(dual)
    writer.post(reverse("informeren:revision_start", args=[topic.pk]))
    draft = topic.revisions.get(status=RevisionStatus.CONCEPT)
    data = _edit_form(draft) | {"phrasings": PHRASINGS}
    writer.post(reverse("informeren:revision_edit", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.phrasings.splitlines() == PHRASINGS.splitlines()

    # Shown on the revision page and in the word diff against the published version.
    page = client_for(validator).get(reverse("informeren:revision", args=[draft.pk])).text
    assert "<li>rugzakje</li>" in page
    diff = page.split("<h3>zo zeggen mensen het</h3>", 1)[1].split("</div>", 1)[0]
    assert "<ins>" in diff and "rugzakje" in diff

    def public() -> str:
        return Topic.objects.get(pk=topic.pk).published_revision.phrasings

    assert public() == ""
    writer.post(reverse("informeren:revision_submit", args=[draft.pk]))
    writer.post(reverse("informeren:revision_approve", args=[draft.pk]))  # refused: wrote it
    draft.refresh_from_db()
    assert draft.status == RevisionStatus.TER_BEOORDELING
    with pytest.raises(FourEyesError):
        draft.approve(by=dual)
    assert public() == ""
    client_for(validator).post(reverse("informeren:revision_approve", args=[draft.pk]))
    assert public() == ""
    client_for(validator).post(reverse("informeren:revision_publish", args=[draft.pk]))
    assert public().splitlines() == PHRASINGS.splitlines()


# --- The synonym list ----------------------------------------------------------------


def test_a_redacteur_adds_a_synonym_and_search_hears_of_it(redacteur):
    editor = client_for(redacteur)
    before = content_version()
    response = editor.post(
        reverse("informeren:synonym_new"),
        {"word": " Rugzakje ", "alternatives": "extra ondersteuning,  Arrangement, rugzakje,"},
    )
    assert response.status_code == 302
    synonym = Synonym.objects.get()
    assert synonym.word == "rugzakje"
    assert synonym.alternatives == "extra ondersteuning, arrangement"
    assert not synonym.national
    assert content_version() > before
    page = editor.get(reverse("informeren:synonym_list")).text
    assert "rugzakje" in page and "extra ondersteuning, arrangement" in page
    assert "regio" in page


def test_a_national_synonym_is_marked_and_can_be_edited(redacteur):
    synonym = Synonym.objects.create(
        word="zorgleerling", alternatives="extra ondersteuning", national=True
    )
    editor = client_for(redacteur)
    assert "landelijk" in editor.get(reverse("informeren:synonym_list")).text
    form = editor.get(reverse("informeren:synonym_edit", args=[synonym.pk])).text
    assert "geldt voor elk steunpunt" in form
    before = content_version()
    editor.post(
        reverse("informeren:synonym_edit", args=[synonym.pk]),
        {"word": "zorgleerling", "alternatives": "extra ondersteuning, rugzakje", "national": "on"},
    )
    synonym.refresh_from_db()
    assert synonym.alternatives == "extra ondersteuning, rugzakje" and synonym.national
    assert content_version() > before


def test_a_synonym_is_deleted(redacteur):
    synonym = Synonym.objects.create(word="busje", alternatives="leerlingenvervoer")
    before = content_version()
    response = client_for(redacteur).post(reverse("informeren:synonym_delete", args=[synonym.pk]))
    assert response.status_code == 302
    assert not Synonym.objects.exists()
    assert content_version() > before


def test_a_word_twice_or_without_alternatives_gets_a_dutch_message(redacteur):
    Synonym.objects.create(word="rugzakje", alternatives="extra ondersteuning")
    editor = client_for(redacteur)
    twice = editor.post(
        reverse("informeren:synonym_new"), {"word": "RUGZAKJE", "alternatives": "pgb"}
    )
    assert "Dit woord staat al in de lijst" in twice.text
    empty = editor.post(
        reverse("informeren:synonym_new"), {"word": "busje", "alternatives": ", busje"}
    )
    assert "Vul minstens één ander woord in" in empty.text
    assert Synonym.objects.count() == 1


@pytest.mark.parametrize("role", ["outsider", "bestuur", "validator", "medewerker"])
def test_only_a_redacteur_keeps_the_synonyms(request, role):
    synonym = Synonym.objects.create(word="busje", alternatives="leerlingenvervoer")
    other = client_for(request.getfixturevalue(role))
    assert other.get(reverse("informeren:synonym_list")).status_code == 403
    assert other.get(reverse("informeren:synonym_edit", args=[synonym.pk])).status_code == 403
    new = other.post(reverse("informeren:synonym_new"), {"word": "taxi", "alternatives": "bus"})
    assert new.status_code == 403
    deleted = other.post(reverse("informeren:synonym_delete", args=[synonym.pk]))
    assert deleted.status_code == 403
    assert list(Synonym.objects.values_list("word", flat=True)) == ["busje"]


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(reverse("informeren:synonym_list"))
    assert response.status_code == 302 and reverse("account:login") in response["Location"]


def test_the_synonyms_are_linked_from_the_dashboard(redacteur):
    page = client_for(redacteur).get(reverse("informeren:redactie")).text
    assert reverse("informeren:synonym_list") in page
