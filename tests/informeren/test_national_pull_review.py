"""Review of the region's pull of the national feed (issue 26): each test failed before.

Real HTTP servers on loopback play a hub that answers garbage, trickles, redirects
or answers 304; the feeds are real signed bytes (this deployment's key, which the
region is told is the hub's).
"""

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from informeren import actions, subscription
from informeren.models import (
    NationalPull,
    PullResult,
    Revision,
    RevisionOrigin,
    RevisionStatus,
    Topic,
    Translation,
    Wijziging,
)
from informeren.national import SIGNATURE_HEADER, import_bundle
from steunpunt import signing
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.informeren.helpers import published_topic
from tests.informeren.test_national_feed import feed, region, topic_entry  # noqa: F401

pytestmark = pytest.mark.django_db


# --- A. What the hub answers ------------------------------------------------------------


class _Hub(http.server.BaseHTTPRequestHandler):
    mode = "garbage"
    body = b""
    signature = ""
    seen: list[str | None] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.headers.get("If-None-Match"))
        if self.mode == "garbage":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\nthis is no HTTP at all\r\n\r\n")
        elif self.mode == "trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.mode == "redirect":
            if self.path.startswith("/elders"):
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")
            else:
                self.send_response(302)
                self.send_header("Location", "/elders/")
                self.end_headers()
        elif self.mode == "big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.mode == "feed":
            etag = f'"{self.version}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header(SIGNATURE_HEADER, self.signature)
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            self.wfile.write(self.body)

    version = 0

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hub(region, monkeypatch) -> Iterator[type[_Hub]]:  # noqa: F811
    class Hub(_Hub):
        seen: list[str | None] = []

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    region.NATIONAL_HUB_URL = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(subscription, "TIMEOUT_SECONDS", 1)
    yield Hub
    server.shutdown()
    server.server_close()


def test_a_hub_answering_no_http_is_a_failed_pull_not_an_error(hub):
    hub.mode = "garbage"
    pull = subscription.pull()
    assert pull is not None and pull.result == PullResult.FAILED
    assert "niet kan lezen" in pull.message
    assert NationalPull.objects.count() == 1


def test_a_hub_trickling_its_answer_does_not_hold_the_pull(hub):
    hub.mode = "trickle"
    started = time.monotonic()
    pull = subscription.pull()
    assert time.monotonic() - started < 2.5  # the hub would take 4 s
    assert pull is not None and pull.result == PullResult.FAILED
    assert "niet op tijd" in pull.message


def test_a_redirect_is_not_followed(hub):
    hub.mode = "redirect"
    pull = subscription.pull()
    assert pull is not None and pull.result == PullResult.FAILED
    assert "stuurde door" in pull.message
    assert len(hub.seen) == 1  # nobody went on to /elders/


def test_an_answer_beyond_the_limit_is_refused(hub, monkeypatch):
    hub.mode = "big"
    monkeypatch.setattr(subscription, "MAX_BYTES", 1000)
    pull = subscription.pull()
    assert pull is not None and pull.result == PullResult.FAILED
    assert "groter dan toegestaan" in pull.message


# --- E. If-None-Match / 304 ---------------------------------------------------------------


def test_the_region_asks_for_a_newer_version_and_a_304_is_unchanged(hub):
    hub.mode = "feed"
    hub.version = 4
    hub.body, hub.signature = feed(4, topic_entry(body="Landelijke tekst."))
    first = subscription.pull()
    assert first is not None and first.result == PullResult.OK
    second = subscription.pull()
    assert hub.seen == [None, '"4"']
    assert second is not None and second.result == PullResult.UNCHANGED
    assert second.version == 4
    assert "niets nieuws" in second.message


# --- H. A signed feed of the wrong shape -----------------------------------------------


def _pull(version: int, *topics: dict, **document: Any) -> NationalPull:
    body, signature = feed(version, *topics)
    if document:
        whole = json.loads(body)
        whole.update(document)
        body = signing.canonical(whole)
        signature = signing.sign(body)
    return subscription.pull_bytes(body, signature)


def test_a_checklist_whose_items_are_no_list_is_a_failed_pull_and_nothing_is_staged(region):  # noqa: F811
    pull = _pull(
        2,
        topic_entry(body="Goede tekst."),
        checklists=[{"slug": "start", "title": "Start", "intro": "", "items": 5}],
    )
    assert pull.result == PullResult.FAILED
    assert "onleesbaar" in pull.message
    assert not Topic.objects.exists() and not Revision.objects.exists()
    assert not Wijziging.objects.exists()


def test_an_invalid_published_at_is_a_failed_pull(region):  # noqa: F811
    pull = _pull(2, topic_entry(body="Tekst.", published_at="2026-13-45T10:00:00+00:00"))
    assert pull.result == PullResult.FAILED
    assert "publicatiedatum" in pull.message
    assert not Revision.objects.exists()


def test_a_wrong_typed_field_is_a_failed_pull_not_garbage_text(region):  # noqa: F811
    pull = _pull(2, topic_entry(body="Tekst.", summary_jongeren={"tekst": "x"}))
    assert pull.result == PullResult.FAILED
    assert "summary_jongeren" in pull.message
    assert not Revision.objects.exists()
    # A later good feed is taken: the failed one did not count as accepted.
    assert _pull(3, topic_entry(body="Tekst.")).result == PullResult.OK


def test_a_glossary_term_of_the_wrong_type_is_refused(region):  # noqa: F811
    pull = _pull(2, glossary=[{"term": ["lijst"], "explanation": "Uitleg."}])
    assert pull.result == PullResult.FAILED
    assert not Wijziging.objects.exists()


# --- C. Local work on a staged translation or change is never deleted --------------------


def _english(text: str) -> dict:
    return {
        "language": "en",
        "number": 1,
        "title": "Duty of care",
        "summary": "About it.",
        "national_ouders": text,
    }


def test_a_staged_translation_a_regional_editor_worked_on_is_held_back(region):  # noqa: F811
    published_topic(body="De oude tekst.")
    entry = topic_entry(body="Nieuw.", translations=[_english("The national text.")])
    assert subscription.pull_bytes(*feed(1, entry)).result == PullResult.OK
    staged = Translation.objects.get(language="en")
    staged.reject(by=UserFactory(roles=[Role.VALIDATOR]), reason="Onze aanvulling ontbreekt.")
    staged.edit(
        by=UserFactory(roles=[Role.REDACTEUR]), content={"regional_ouders": "Our own part."}
    )
    entry = topic_entry(body="Nieuw.", translations=[_english("A newer national text.")])
    pull = subscription.pull_bytes(*feed(2, entry))
    assert pull.result == PullResult.OK
    assert "zorgplicht (en)" in pull.held_back
    staged.refresh_from_db()  # still there, with the region's work
    assert staged.regional_ouders == "Our own part."


def test_a_staged_term_a_regional_editor_worked_on_is_held_back(region):  # noqa: F811
    glossary = [{"term": "OPP", "explanation": "Een plan.", "also_matches": ""}]
    assert subscription.pull_bytes(*feed(1, glossary=glossary)).result == PullResult.OK
    change = Wijziging.objects.get(label="OPP")
    change.reject(by=UserFactory(roles=[Role.VALIDATOR]), reason="Te kort.")
    edited = {
        "term": "OPP",
        "explanation": "Een plan, zo legt onze regio het uit.",
        "also_matches": "",
    }
    change.edit(by=UserFactory(roles=[Role.REDACTEUR]), data=edited, label="OPP")
    glossary = [{"term": "OPP", "explanation": "Een nieuw plan.", "also_matches": ""}]
    pull = subscription.pull_bytes(*feed(2, glossary=glossary))
    assert "OPP" in pull.held_back
    change.refresh_from_db()
    assert change.data == edited


# --- B. A reworked staged version keeps its own regional text ---------------------------


def _publish(revision: Revision) -> None:
    validator = UserFactory(roles=[Role.VALIDATOR])
    if revision.status == RevisionStatus.CONCEPT:
        actions.submit_revision(revision=revision, by=UserFactory(roles=[Role.REDACTEUR]))
    actions.approve_revision(revision=revision, by=validator)
    actions.publish(revision=revision, by=validator)


def test_a_rejected_national_version_reworked_here_publishes_its_new_supplement(region):  # noqa: F811
    topic = published_topic(body="De oude tekst.", regional_ouders="Oude aanvulling.")
    subscription.pull_bytes(*feed(1, topic_entry(body="Nieuwe landelijke tekst.")))
    staged = topic.revisions.get(
        origin=RevisionOrigin.IMPORT, status=RevisionStatus.TER_BEOORDELING
    )
    validator = UserFactory(roles=[Role.VALIDATOR])
    staged = actions.reject_revision(
        revision=staged, by=validator, reason="De aanvulling past niet meer bij de nieuwe tekst."
    )
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    staged = actions.edit_revision(
        revision=staged,
        by=redacteur,
        content={"regional_ouders": "Aanvulling bij de nieuwe tekst."},
    )
    _publish(staged)
    topic.refresh_from_db()
    public = topic.published_revision
    assert public.national_ouders == "Nieuwe landelijke tekst."
    assert public.regional_ouders == "Aanvulling bij de nieuwe tekst."


# --- D. The file import follows the feed's rules -----------------------------------------


def _bundle(body: str) -> dict:
    entry = {"slug": "zorgplicht", "title": "Zorgplicht", "summary": "x", "national_ouders": body}
    return {"topics": [entry]}


def test_importing_the_same_file_twice_gives_one_pending_version():
    topic = published_topic(body="Oud.")
    import_bundle(_bundle("Nieuw."))
    report = import_bundle(_bundle("Nieuw."))
    assert report.unchanged == ["zorgplicht"]
    assert topic.revisions.filter(status=RevisionStatus.TER_BEOORDELING).count() == 1
    import_bundle(_bundle("Nog nieuwer."))  # a newer file replaces the one waiting
    [waiting] = topic.revisions.filter(status=RevisionStatus.TER_BEOORDELING)
    assert waiting.national_ouders == "Nog nieuwer."


def test_the_file_import_holds_back_a_topic_with_a_local_change():
    topic = published_topic(body="Oud.")
    redacteur = UserFactory(roles=[Role.REDACTEUR])
    local = actions.start_revision(topic=topic, by=redacteur)
    actions.edit_revision(revision=local, by=redacteur, content={"regional_ouders": "Eigen werk."})
    report = import_bundle(_bundle("Nieuw."))
    assert report.held_back == ["zorgplicht"]
    assert not topic.revisions.filter(origin=RevisionOrigin.IMPORT).exists()
    local.refresh_from_db()
    assert local.regional_ouders == "Eigen werk."


def test_a_dry_run_of_the_file_import_changes_nothing():
    topic = published_topic(body="Oud.")
    report = import_bundle(_bundle("Nieuw."), dry_run=True)
    assert report.changed == ["zorgplicht"]
    assert topic.revisions.count() == 1


# --- G. A regional deviation is audited and shows on the page ----------------------------


def test_a_deviation_is_audited_and_the_page_says_it_deviates(region, client):  # noqa: F811
    topic = published_topic(body="De oude tekst.")
    subscription.pull_bytes(*feed(1, topic_entry(body="De landelijke tekst.", number=7)))
    _publish(topic.revisions.get(status=RevisionStatus.TER_BEOORDELING))
    user = UserFactory(roles=[Role.REDACTEUR])
    revision = actions.start_revision(topic=topic, by=user)
    client_for(user).post(
        reverse("informeren:revision_deviation", args=[revision.pk]),
        {"reason": "Onze gemeente heeft een eigen regeling."},
    )
    entry = AuditEntry.objects.get(action=AuditAction.NATIONAL_DEVIATION_RECORDED)
    assert entry.actor == user
    revision = actions.edit_revision(
        revision=revision, by=user, content={"national_ouders": "Bij ons anders geregeld."}
    )
    _publish(revision)
    page = client.get("/informatie/zorgplicht/").content.decode()
    assert "Bij ons anders geregeld." in page
    assert "Landelijke tekst, versie 7 van 20 november 2026, met een regionale afwijking." in page


def test_a_regional_change_keeps_the_provenance_of_the_national_version(region, client):  # noqa: F811
    topic = published_topic(body="De oude tekst.")
    subscription.pull_bytes(*feed(1, topic_entry(body="De landelijke tekst.", number=7)))
    _publish(topic.revisions.get(status=RevisionStatus.TER_BEOORDELING))
    topic.refresh_from_db()  # the new version is based on the national one
    user = UserFactory(roles=[Role.REDACTEUR])
    revision = actions.start_revision(topic=topic, by=user)
    revision = actions.edit_revision(
        revision=revision, by=user, content={"regional_ouders": "Bij ons."}
    )
    _publish(revision)
    page = client.get("/informatie/zorgplicht/").content.decode()
    assert "Landelijke tekst, versie 7 van 20 november 2026." in page


# --- F. The translated national text is read-only in a region too ------------------------


def test_the_translated_national_text_is_read_only_in_a_region(region):  # noqa: F811
    topic = published_topic(body="De oude tekst.", regional_ouders="Bij ons.")
    entry = topic_entry(body="De landelijke tekst.", translations=[_english("The national text.")])
    subscription.pull_bytes(*feed(1, entry))
    _publish(topic.revisions.get(status=RevisionStatus.TER_BEOORDELING))
    validator = UserFactory(roles=[Role.VALIDATOR])
    staged = Translation.objects.get(language="en")
    actions.approve_translation(translation=staged, by=validator)
    actions.publish_translation(translation=staged, by=validator)
    topic.refresh_from_db()
    user = UserFactory(roles=[Role.REDACTEUR])
    translation = actions.start_translation(topic=topic, language="en", by=user)
    url = reverse("informeren:translation_edit", args=[translation.pk])
    editor = client_for(user)
    page = editor.get(url).content.decode()
    assert re.search(r'<textarea[^>]*name="national_ouders"[^>]*disabled', page)
    assert not re.search(r'<textarea[^>]*name="regional_ouders"[^>]*disabled', page)
    form = {name: getattr(translation, name) for name in Translation.CONTENT_FIELDS}
    editor.post(url, form | {"national_ouders": "Rewritten here.", "regional_ouders": "Ours."})
    translation.refresh_from_db()
    assert translation.national_ouders == "The national text."
    assert translation.regional_ouders == "Ours."
