"""Four eyes means four eyes: nobody who wrote any of a revision approves it.

The story from issue 18: a user who is both redacteur and validator rewrote
a draft that another editor had opened, submitted it, approved it and
published it alone, while the history named only the other editor.
"""

import re

import pytest
from django.urls import reverse

from informeren import actions
from informeren.models import FourEyesError, RevisionStatus
from informeren.national import import_bundle
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def opener(db):
    """The redacteur who opens the draft."""
    return UserFactory(first_name="Tom", last_name="Opener", roles=[Role.REDACTEUR])


@pytest.fixture
def dual(db):
    """Holds both roles: may write and may approve, but never the same text."""
    return UserFactory(
        first_name="Noor", last_name="Dubbel", roles=[Role.REDACTEUR, Role.VALIDATOR]
    )


@pytest.fixture
def second_validator(db):
    return UserFactory(first_name="Esra", last_name="Meelezer", roles=[Role.VALIDATOR])


def history_row(page: str, revision) -> dict[str, str]:
    """The history table on the topic page as {column header: cell text} for ``revision``."""
    table = re.search(r"<h2>Geschiedenis</h2>.*?<table.*?</table>", page, re.S)
    assert table, "no history table on the page"
    headers = [_text(h) for h in re.findall(r"<th scope=\"col\">(.*?)</th>", table[0], re.S)]
    link = reverse("informeren:revision", args=[revision.pk])
    for row in re.findall(r"<tr>(.*?)</tr>", table[0], re.S):
        if f'href="{link}"' in row:
            cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            return dict(zip(headers, cells, strict=False))
    raise AssertionError(f"version {revision.number} is not in the history")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _open_and_rewrite(topic, opener, dual):
    """The opener starts a draft; the dual-role user rewrites it through the edit page."""
    client_for(opener).post(reverse("informeren:revision_start", args=[topic.pk]))
    revision = topic.revisions.get(status=RevisionStatus.CONCEPT)
    response = client_for(dual).post(
        reverse("informeren:revision_edit", args=[revision.pk]),
        {"title": "Zorgplicht", "summary": "Over zorgplicht.", "national_ouders": "Herschreven."},
    )
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.national_ouders == "Herschreven."
    return revision


def test_a_dual_role_user_cannot_approve_a_revision_they_edited(opener, dual, second_validator):
    topic = published_topic()
    revision = _open_and_rewrite(topic, opener, dual)
    assert revision.author == opener
    dual_client = client_for(dual)
    dual_client.post(reverse("informeren:revision_submit", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.TER_BEOORDELING

    # The review page does not offer the buttons ...
    page = dual_client.get(reverse("informeren:revision", args=[revision.pk])).text
    assert "U heeft aan deze versie meegeschreven" in page
    assert reverse("informeren:revision_approve", args=[revision.pk]) not in page
    assert reverse("informeren:revision_reject", args=[revision.pk]) not in page

    # ... and a POST anyway is refused, for approving and for rejecting.
    response = dual_client.post(
        reverse("informeren:revision_approve", args=[revision.pk]), follow=True
    )
    assert "U heeft aan deze versie meegeschreven" in response.text
    response = dual_client.post(
        reverse("informeren:revision_reject", args=[revision.pk]),
        {"reason": "Prima zo."},
        follow=True,
    )
    assert "U heeft aan deze versie meegeschreven" in response.text
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.TER_BEOORDELING
    assert revision.reviewer is None
    with pytest.raises(FourEyesError):
        revision.approve(by=dual)

    # A validator who did not write any of it can approve it.
    client_for(second_validator).post(reverse("informeren:revision_approve", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GOEDGEKEURD
    assert revision.reviewer == second_validator


def test_a_dual_role_user_may_approve_what_someone_else_wrote(opener, dual):
    topic = published_topic()
    client_for(opener).post(reverse("informeren:revision_start", args=[topic.pk]))
    revision = topic.revisions.get(status=RevisionStatus.CONCEPT)
    client_for(opener).post(reverse("informeren:revision_submit", args=[revision.pk]))
    client_for(dual).post(reverse("informeren:revision_approve", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GOEDGEKEURD
    assert revision.reviewer == dual


def test_an_editor_of_someone_elses_draft_is_named_in_the_history(opener, dual):
    topic = published_topic()
    revision = _open_and_rewrite(topic, opener, dual)
    assert set(revision.editors.all()) == {opener, dual}

    page = client_for(opener).get(reverse("informeren:topic_admin", args=[topic.pk])).text
    row = history_row(page, revision)
    assert row["Auteur"] == "Tom Opener"
    assert "Noor Dubbel" in row["Bewerkt door"]
    assert "Tom Opener" in row["Bewerkt door"]

    page = client_for(opener).get(reverse("informeren:revision", args=[revision.pk])).text
    assert "Noor Dubbel" in page


def test_editing_twice_names_the_editor_once(opener):
    topic = published_topic()
    client_for(opener).post(reverse("informeren:revision_start", args=[topic.pk]))
    revision = topic.revisions.get(status=RevisionStatus.CONCEPT)
    for text in ("Eén.", "Twee."):
        client_for(opener).post(
            reverse("informeren:revision_edit", args=[revision.pk]),
            {"title": "Zorgplicht", "summary": "Over zorgplicht.", "national_ouders": text},
        )
    assert list(revision.editors.all()) == [opener]


def test_the_publisher_and_approver_are_recorded_and_shown(opener, second_validator, dual):
    topic = published_topic()
    client_for(opener).post(reverse("informeren:revision_start", args=[topic.pk]))
    revision = topic.revisions.get(status=RevisionStatus.CONCEPT)
    client_for(opener).post(reverse("informeren:revision_submit", args=[revision.pk]))
    client_for(second_validator).post(reverse("informeren:revision_approve", args=[revision.pk]))
    client_for(dual).post(reverse("informeren:revision_publish", args=[revision.pk]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.GEPUBLICEERD
    assert revision.reviewer == second_validator
    assert revision.published_by == dual

    page = client_for(opener).get(reverse("informeren:topic_admin", args=[topic.pk])).text
    row = history_row(page, revision)
    assert row["Auteur"] == "Tom Opener"
    assert row["Bewerkt door"] == "Tom Opener"
    assert row["Beoordeeld door"] == "Esra Meelezer"
    assert row["Gepubliceerd door"] == "Noor Dubbel"


def test_the_demo_loader_records_two_people(opener, second_validator):
    topic = actions.publish_directly(
        topic_slug="x",
        author=opener,
        validator=second_validator,
        themes=[],
        title="X",
        summary="x",
        national_ouders="x",
    )
    revision = topic.published_revision
    assert list(revision.editors.all()) == [opener]
    assert revision.reviewer == second_validator
    assert revision.published_by == second_validator


def test_topic_page_shows_a_draft_without_reviewer(opener):
    topic = published_topic()
    client_for(opener).post(reverse("informeren:revision_start", args=[topic.pk]))
    draft = topic.revisions.get(status=RevisionStatus.CONCEPT)
    assert draft.reviewer is None

    response = client_for(opener).get(reverse("informeren:topic_admin", args=[topic.pk]))
    assert response.status_code == 200
    row = history_row(response.text, draft)
    assert row["Status"] == "Concept"
    assert row["Auteur"] == "Tom Opener"
    assert row["Beoordeeld door"] == "–"
    assert row["Gepubliceerd door"] == "–"


def test_an_imported_revision_has_no_writer_here_and_any_validator_may_approve(
    opener, second_validator
):
    """import_national writes no person: the national set was written elsewhere."""
    topic = published_topic(body="Oud.")
    entry = {"slug": topic.slug, "title": "Zorgplicht", "summary": "x", "national_ouders": "Nieuw."}
    import_bundle({"topics": [entry]})
    imported = topic.revisions.get(status=RevisionStatus.TER_BEOORDELING)
    assert imported.author is None
    assert not imported.editors.exists()

    for name, args in (
        ("informeren:redactie", []),
        ("informeren:topic_admin", [topic.pk]),
        ("informeren:revision", [imported.pk]),
    ):
        assert client_for(opener).get(reverse(name, args=args)).status_code == 200
    row = history_row(
        client_for(opener).get(reverse("informeren:topic_admin", args=[topic.pk])).text, imported
    )
    assert row["Auteur"] == "–"
    assert row["Status"] == "Ter beoordeling (landelijke set)"

    client_for(second_validator).post(reverse("informeren:revision_approve", args=[imported.pk]))
    imported.refresh_from_db()
    assert imported.reviewer == second_validator
