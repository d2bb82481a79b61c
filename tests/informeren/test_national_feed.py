"""The national feed: what the hub serves and what a region does with it (issue 26).

The region's side is fed real signed bytes (made with this deployment's key,
which the region is told is the hub's), and a real HTTP server on loopback
plays a hub that is slow or answers garbage.
"""

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from informeren import actions, subscription
from informeren.models import (
    Begrip,
    NationalPull,
    PullResult,
    Revision,
    RevisionOrigin,
    RevisionStatus,
    Translation,
    Wijziging,
)
from informeren.national import FEED_FORMAT, SIGNATURE_HEADER
from steunpunt import signing
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(settings):
    """This deployment as a region whose hub signs with this deployment's own key."""
    settings.NATIONAL_HUB = False
    settings.NATIONAL_HUB_URL = "http://127.0.0.1:9"  # nothing listens: only pull_bytes is used
    settings.NATIONAL_HUB_PUBLIC_KEY = signing.public_key()
    return settings


def topic_entry(slug: str = "zorgplicht", *, body: str, number: int = 3, **extra: Any) -> dict:
    entry = {
        "slug": slug,
        "themes": ["rechten"],
        "number": number,
        "published_at": "2026-11-20T10:00:00+00:00",
        "title": extra.pop("title", "Zorgplicht"),
        "summary": "Over zorgplicht.",
        "national_ouders": body,
        "translations": [],
    }
    entry.update(extra)
    return entry


def feed(version: int, *topics: dict, **parts: Any) -> tuple[bytes, str]:
    document = {
        "format": FEED_FORMAT,
        "format_version": 1,
        "version": version,
        "issued_at": "2026-11-20T10:00:00+00:00",
        "topics": list(topics),
        "glossary": parts.get("glossary", []),
        "checklists": [],
        "organisations": [],
        "synonyms": [],
        "wegwijzer_routes": [],
    }
    body = signing.canonical(document)
    return body, signing.sign(body)


def national_pending(topic) -> list[Revision]:
    return list(
        topic.revisions.filter(origin=RevisionOrigin.IMPORT, status=RevisionStatus.TER_BEOORDELING)
    )


# --- The hub --------------------------------------------------------------------------


def test_the_feed_is_there_only_at_a_hub(settings, client):
    settings.NATIONAL_HUB = False
    assert client.get("/landelijk/feed/").status_code == 404


def test_the_hub_serves_signed_published_national_content_only(settings, client):
    settings.NATIONAL_HUB = True
    topic = published_topic(body="De landelijke tekst.", regional_ouders="Alleen bij ons.")
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    draft(topic, redacteur, national_ouders="Een concept dat niemand goedkeurde.")
    response = client.get("/landelijk/feed/")
    assert response.status_code == 200
    body = response.content
    signing.verify(body, response[SIGNATURE_HEADER], signing.public_key())
    assert body == signing.canonical(json.loads(body))  # the exact canonical bytes
    document = json.loads(body)
    [entry] = [t for t in document["topics"] if t["slug"] == "zorgplicht"]
    assert entry["national_ouders"] == "De landelijke tekst."
    assert "regional_ouders" not in entry
    assert b"Alleen bij ons" not in body
    assert b"niemand goedkeurde" not in body
    for part in ("glossary", "checklists", "organisations", "synonyms", "wegwijzer_routes"):
        assert isinstance(document[part], list)


def test_a_new_version_only_when_the_content_changed(settings, client):
    settings.NATIONAL_HUB = True
    topic = published_topic(body="Eerste tekst.")
    first = client.get("/landelijk/feed/")
    again = client.get("/landelijk/feed/")
    assert again.content == first.content  # nothing changed: the same version, same bytes
    assert client.get("/landelijk/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    validator = UserFactory(roles=[Role.VALIDATOR])
    revision = draft(topic, redacteur, national_ouders="Tweede tekst.")
    actions.submit_revision(revision=revision, by=redacteur)
    actions.approve_revision(revision=revision, by=validator)
    actions.publish(revision=revision, by=validator)
    later = json.loads(client.get("/landelijk/feed/").content)
    assert later["version"] == json.loads(first.content)["version"] + 1
    assert "Tweede tekst." in json.dumps(later)


# --- The region -----------------------------------------------------------------------


def test_a_feed_is_staged_for_review_with_its_provenance(region):
    topic = published_topic(body="De oude tekst.", regional_ouders="In onze regio zo.")
    pull = subscription.pull_bytes(*feed(1, topic_entry(body="De nieuwe landelijke tekst.")))
    assert pull.result == PullResult.OK, pull.message
    [staged] = national_pending(topic)
    assert staged.national_ouders == "De nieuwe landelijke tekst."
    assert staged.regional_ouders == "In onze regio zo."  # the region's supplement kept
    assert staged.national_number == 3
    topic.refresh_from_db()
    assert topic.published_revision.national_ouders == "De oude tekst."  # nothing public yet


def test_a_tampered_feed_is_refused(region):
    topic = published_topic(body="De oude tekst.")
    body, signature = feed(1, topic_entry(body="Echt van de landelijke redactie."))
    tampered = body.replace(b"Echt van", b"Niet van")
    pull = subscription.pull_bytes(tampered, signature)
    assert pull.result == PullResult.REFUSED
    assert "handtekening" in pull.message
    assert national_pending(topic) == []
    unsigned = subscription.pull_bytes(body, "")
    assert unsigned.result == PullResult.REFUSED


def test_a_feed_signed_by_another_key_is_refused(region):
    published_topic(body="De oude tekst.")
    region.NATIONAL_HUB_PUBLIC_KEY = signing.public_key()
    body, _signature = feed(1, topic_entry(body="Iets anders."))
    region.NATIONAL_SIGNING_KEY = signing.new_private_key()
    other = signing.sign(body)
    assert subscription.pull_bytes(body, other).result == PullResult.REFUSED


def test_during_a_key_rotation_both_keys_are_accepted(region):
    published_topic(body="De oude tekst.")
    old_key = signing.public_key()
    region.NATIONAL_SIGNING_KEY = signing.new_private_key()
    region.NATIONAL_HUB_PUBLIC_KEY = f"{signing.public_key()}, {old_key}"
    pull = subscription.pull_bytes(*feed(1, topic_entry(body="Met de nieuwe sleutel.")))
    assert pull.result == PullResult.OK


def test_an_older_feed_replayed_is_refused(region):
    topic = published_topic(body="De oude tekst.")
    old_feed = feed(4, topic_entry(body="Versie vier."))
    assert subscription.pull_bytes(*feed(5, topic_entry(body="Versie vijf."))).result == "ok"
    replay = subscription.pull_bytes(*old_feed)
    assert replay.result == PullResult.REFUSED
    assert "ouder dan versie 5" in replay.message
    [staged] = national_pending(topic)
    assert staged.national_ouders == "Versie vijf."
    same_again = subscription.pull_bytes(*feed(5, topic_entry(body="Versie vijf.")))
    assert same_again.result == PullResult.UNCHANGED
    assert len(national_pending(topic)) == 1


def test_one_pending_national_revision_per_topic(region):
    topic = published_topic(body="De oude tekst.")
    subscription.pull_bytes(*feed(1, topic_entry(body="Eerste landelijke versie.")))
    newer = subscription.pull_bytes(*feed(2, topic_entry(body="Tweede landelijke versie.")))
    assert newer.result == PullResult.OK
    [staged] = national_pending(topic)
    assert staged.national_ouders == "Tweede landelijke versie."
    assert "vervangen" in newer.message


def test_a_topic_with_a_local_change_is_held_back_not_overwritten(region):
    topic = published_topic(body="De oude tekst.")
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    local = draft(topic, redacteur, regional_ouders="Ons eigen werk in uitvoering.")
    pull = subscription.pull_bytes(*feed(1, topic_entry(body="Nieuw landelijk.")))
    assert pull.result == PullResult.OK
    assert "zorgplicht" in pull.message and "eigen wijziging" in pull.message
    assert national_pending(topic) == []
    local.refresh_from_db()
    assert local.regional_ouders == "Ons eigen werk in uitvoering."
    assert local.status == RevisionStatus.CONCEPT
    # Once the local work is done, the same feed version brings the national text.
    validator = UserFactory(roles=[Role.VALIDATOR])
    actions.submit_revision(revision=local, by=redacteur)
    actions.approve_revision(revision=local, by=validator)
    actions.publish(revision=local, by=validator)
    again = subscription.pull_bytes(*feed(1, topic_entry(body="Nieuw landelijk.")))
    assert again.result == PullResult.OK
    [staged] = national_pending(topic)
    assert staged.regional_ouders == "Ons eigen werk in uitvoering."


def test_translations_and_glossary_are_staged_too(region):
    topic = published_topic(body="De oude tekst.")
    translation = {
        "language": "en",
        "number": 1,
        "title": "Duty of care",
        "summary": "About it.",
        "national_ouders": "The national text.",
    }
    glossary = [{"slug": "opp", "term": "OPP", "explanation": "Een plan.", "also_matches": ""}]
    pull = subscription.pull_bytes(
        *feed(1, topic_entry(body="Nieuw.", translations=[translation]), glossary=glossary)
    )
    assert pull.result == PullResult.OK, pull.message
    assert Translation.objects.filter(
        topic=topic, language="en", status=RevisionStatus.TER_BEOORDELING
    ).exists()
    change = Wijziging.objects.get(label="OPP")
    assert change.status == RevisionStatus.TER_BEOORDELING
    assert not Begrip.objects.filter(term="OPP").exists()  # public only after review


def test_garbage_is_refused_with_a_message(region):
    body = b"<html>Onderhoud</html>"
    pull = subscription.pull_bytes(body, signing.sign(body))
    assert pull.result == PullResult.FAILED
    assert "onleesbaar" in pull.message


class _Hub(http.server.BaseHTTPRequestHandler):
    mode = "slow"

    def do_GET(self) -> None:
        if self.mode == "slow":
            time.sleep(3)
        self.send_response(200 if self.mode == "slow" else 502)
        self.end_headers()
        self.wfile.write(b"not a feed")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def bad_hub(region, monkeypatch) -> Iterator[type[_Hub]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    region.NATIONAL_HUB_URL = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(subscription, "TIMEOUT_SECONDS", 1)
    yield _Hub
    server.shutdown()


def test_a_slow_hub_is_a_failed_pull_with_a_message(bad_hub):
    bad_hub.mode = "slow"
    started = time.monotonic()
    pull = subscription.pull()
    assert time.monotonic() - started < 3
    assert pull is not None and pull.result == PullResult.FAILED
    assert "niet op tijd" in pull.message


def test_a_hub_error_is_a_failed_pull_and_pages_still_work(bad_hub, client):
    bad_hub.mode = "error"
    published_topic(body="Onze tekst.")
    pull = subscription.pull()
    assert pull is not None and pull.result == PullResult.FAILED
    assert "502" in pull.message
    assert client.get("/informatie/zorgplicht/").status_code == 200


def test_without_a_hub_nothing_is_pulled(settings):
    settings.NATIONAL_HUB_URL = ""
    assert subscription.pull() is None
    assert not NationalPull.objects.exists()


# --- The redactie ---------------------------------------------------------------------


def test_the_redactie_sees_the_last_pull_and_can_pull_now(bad_hub):
    bad_hub.mode = "error"
    editor = client_for(UserFactory(roles=[Role.REDACTEUR]))
    response = editor.post(reverse("informeren:national_pull_now"), follow=True)
    page = response.content.decode()
    assert "Laatst opgehaald" in page
    assert "foutcode 502" in page


def _edit_form(editor: Client, revision: Revision) -> str:
    return editor.get(reverse("informeren:revision_edit", args=[revision.pk])).content.decode()


def test_the_national_text_is_read_only_in_a_region_until_a_deviation_is_recorded(region):
    topic = published_topic(body="De landelijke tekst.")
    marked = subscription.pull_bytes(*feed(1, topic_entry(body="De landelijke tekst.")))
    assert marked.result == PullResult.OK and national_pending(topic) == []  # the same text
    user = UserFactory(roles=[Role.REDACTEUR])
    editor = client_for(user)
    revision = actions.start_revision(topic=topic, by=user)
    page = _edit_form(editor, revision)
    assert re.search(r'<textarea[^>]*name="national_ouders"[^>]*disabled', page)
    assert not re.search(r'<textarea[^>]*name="regional_ouders"[^>]*disabled', page)
    form = {name: getattr(revision, name) for name in Revision.CONTENT_FIELDS}
    editor.post(
        reverse("informeren:revision_edit", args=[revision.pk]),
        form | {"national_ouders": "Zelf herschreven.", "regional_ouders": "Bij ons zo."},
    )
    revision.refresh_from_db()
    assert revision.national_ouders == "De landelijke tekst."  # the national part stays
    assert revision.regional_ouders == "Bij ons zo."
    # A deviation needs a reason.
    refused = editor.post(
        reverse("informeren:revision_deviation", args=[revision.pk]), {"reason": " "}, follow=True
    )
    assert "Schrijf op waarom de regio afwijkt" in refused.content.decode()
    editor.post(
        reverse("informeren:revision_deviation", args=[revision.pk]),
        {"reason": "Onze gemeente heeft een eigen regeling."},
    )
    editor.post(
        reverse("informeren:revision_edit", args=[revision.pk]),
        form | {"national_ouders": "Zelf herschreven.", "regional_ouders": "Bij ons zo."},
    )
    revision.refresh_from_db()
    assert revision.national_ouders == "Zelf herschreven."
    history = editor.get(reverse("informeren:topic_admin", args=[topic.pk])).content.decode()
    assert "Regionale afwijking, omdat" in history
    assert "Onze gemeente heeft een eigen regeling." in history


def test_without_a_hub_the_national_text_stays_editable(settings):
    settings.NATIONAL_HUB_URL = ""
    topic = published_topic(body="De landelijke tekst.")
    user = UserFactory(roles=[Role.REDACTEUR])
    revision = actions.start_revision(topic=topic, by=user)
    page = _edit_form(client_for(user), revision)
    assert not re.search(r'<textarea[^>]*name="national_ouders"[^>]*disabled', page)


def test_the_page_shows_where_its_national_text_comes_from(region, client):
    topic = published_topic(body="De oude tekst.")
    subscription.pull_bytes(*feed(1, topic_entry(body="De landelijke tekst.", number=7)))
    [staged] = national_pending(topic)
    validator = UserFactory(roles=[Role.VALIDATOR])
    actions.approve_revision(revision=staged, by=validator)
    actions.publish(revision=staged, by=validator)
    page = client.get("/informatie/zorgplicht/").content.decode()
    assert "De landelijke tekst." in page
    assert "Landelijke tekst, versie 7 van 20 november 2026." in page


def test_a_regions_own_topic_stays_editable_with_a_hub(region):
    topic = published_topic("eigen-regeling", title="Eigen regeling", body="Alleen bij ons.")
    user = UserFactory(roles=[Role.REDACTEUR])
    revision = actions.start_revision(topic=topic, by=user)
    page = _edit_form(client_for(user), revision)
    assert not re.search(r'<textarea[^>]*name="national_ouders"[^>]*disabled', page)


def _publish(revision: Revision) -> None:
    validator = UserFactory(roles=[Role.VALIDATOR])
    if revision.status == RevisionStatus.CONCEPT:
        actions.submit_revision(revision=revision, by=UserFactory(roles=[Role.REDACTEUR]))
    actions.approve_revision(revision=revision, by=validator)
    actions.publish(revision=revision, by=validator)


def test_a_regional_change_published_meanwhile_survives_the_national_version(region):
    topic = published_topic(body="De oude tekst.", regional_ouders="Oude aanvulling.")
    subscription.pull_bytes(*feed(1, topic_entry(body="Nieuwe landelijke tekst.")))
    [staged] = national_pending(topic)
    # While the national version waits, the region publishes a new supplement.
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    local = actions.start_revision(topic=topic, by=redacteur)
    local = actions.edit_revision(
        revision=local, by=redacteur, content={"regional_ouders": "Nieuwe aanvulling."}
    )
    _publish(local)
    _publish(staged)
    topic.refresh_from_db()
    public = topic.published_revision
    assert public.national_ouders == "Nieuwe landelijke tekst."
    assert public.regional_ouders == "Nieuwe aanvulling."  # not undone by the national one


def test_a_regional_change_keeps_the_national_text_and_its_provenance(region, client):
    topic = published_topic(body="De oude tekst.")
    subscription.pull_bytes(*feed(1, topic_entry(body="Landelijk.", number=4)))
    _publish(national_pending(topic)[0])
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    local = actions.start_revision(topic=topic, by=redacteur)
    actions.edit_revision(revision=local, by=redacteur, content={"regional_ouders": "Bij ons."})
    _publish(local)
    topic.refresh_from_db()
    assert topic.published_revision.national_ouders == "Landelijk."
    page = client.get("/informatie/zorgplicht/").content.decode()
    assert "Bij ons." in page
    assert "Landelijke tekst, versie 4 van 20 november 2026." in page


def test_the_validator_sees_the_national_change_as_a_word_diff(region):
    topic = published_topic(body="De school zoekt binnen zes weken een plek.")
    subscription.pull_bytes(
        *feed(1, topic_entry(body="De school zoekt binnen tien weken een plek."))
    )
    [staged] = national_pending(topic)
    validator = client_for(UserFactory(roles=[Role.VALIDATOR]))
    page = validator.get(reverse("informeren:revision", args=[staged.pk])).content.decode()
    assert "Landelijke tekst, versie 3 van 20 november 2026." in page
    assert "<del>zes</del>" in page and "<ins>tien</ins>" in page


def test_national_synonyms_are_taken_over_and_the_regions_own_stay(region):
    from informeren.models import Synonym

    Synonym.objects.create(word="busje", alternatives="leerlingenvervoer, taxi", national=False)
    synonyms = [
        {"word": "rugzakje", "alternatives": "extra ondersteuning, arrangement"},
        {"word": "busje", "alternatives": "vervoer"},
    ]
    document = json.loads(feed(1)[0]) | {"synonyms": synonyms}
    body = signing.canonical(document)
    pull = subscription.pull_bytes(body, signing.sign(body))
    assert pull.result == PullResult.OK, pull.message
    taken = Synonym.objects.get(word="rugzakje")
    assert taken.national and "arrangement" in taken.alternatives
    assert Synonym.objects.get(word="busje").alternatives == "leerlingenvervoer, taxi"
    assert "busje" in pull.message and "eigen synoniem" in pull.message


def test_the_new_pages_are_valid_html(region, bad_hub, tmp_path, client):
    from tests.steunpunt.test_valid_html import JAVA, VNU_JAR, vnu_errors

    if not VNU_JAR.exists() or __import__("shutil").which(JAVA) is None:
        pytest.skip("needs Java and node_modules/vnu-jar")
    bad_hub.mode = "error"
    topic = published_topic(body="De oude tekst.")
    subscription.pull_bytes(*feed(1, topic_entry(body="De landelijke tekst.", number=7)))
    [staged] = national_pending(topic)
    _publish(staged)
    user = UserFactory(roles=[Role.REDACTEUR, Role.VALIDATOR])
    editor = client_for(user)
    editor.post(reverse("informeren:national_pull_now"))  # a failed pull, shown on the page
    revision = actions.start_revision(topic=topic, by=user)
    pages = {
        "topic": client.get("/informatie/zorgplicht/").content.decode(),
        "pulls": editor.get(reverse("informeren:national_pulls")).content.decode(),
        "edit": _edit_form(editor, revision),
        "review": editor.get(reverse("informeren:revision", args=[staged.pk])).content.decode(),
        "history": editor.get(reverse("informeren:topic_admin", args=[topic.pk])).content.decode(),
    }
    assert "Landelijke tekst, versie 7" in pages["topic"]
    assert "foutcode 502" in pages["pulls"]
    assert "Regionale afwijking vastleggen" in pages["edit"]
    errors = vnu_errors(pages, tmp_path)
    assert not errors, errors
