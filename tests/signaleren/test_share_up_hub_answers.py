"""Signals go up: what a region does when the hub answers badly (issue 26, "bad input").

A real socket server on loopback plays the hub: it answers garbage, drips its answer,
redirects the signed request elsewhere, or replays an old signed picture. A board page
and the coordinator's button must never break or hang on it, and a hub key rotation
("<new>,<old>", as docs/scaling.md says) must keep the picture coming."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from signaleren import actions, national
from signaleren.models import FetchedNationalPicture, HubRegion, Report
from steunpunt import signing
from tests.conftest import client_for
from tests.signaleren.test_figures import received
from tests.signaleren.test_share_up import OtherRegion

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


class RawHub:
    """A TCP server on loopback that answers each connection with `answer(conn)`; it
    records the first bytes of every request it got."""

    def __init__(self, answer: Callable[[socket.socket], None]):
        self.answer = answer
        self.requests: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    self.requests.append(conn.recv(65536))
                    self.answer(conn)
                except OSError:
                    pass

    def stop(self) -> None:
        self.stopped = True
        self.sock.close()


@pytest.fixture
def raw_hub(settings) -> Iterator[Callable[[Callable[[socket.socket], None]], RawHub]]:
    started: list[RawHub] = []

    def start(answer: Callable[[socket.socket], None]) -> RawHub:
        hub = RawHub(answer)
        started.append(hub)
        settings.NATIONAL_HUB = False
        settings.NATIONAL_HUB_URL = hub.url
        settings.NATIONAL_HUB_PUBLIC_KEY = signing.public_key()
        settings.REGION_CODE = "lindewaarde"
        return hub

    yield start
    for hub in started:
        hub.stop()


def garbage(conn: socket.socket) -> None:
    conn.sendall(b"this is no HTTP at all\r\n\r\n")


def signed_picture(made_at: str) -> tuple[bytes, str]:
    document = {"kind": "steunpunt.national-picture", "made_at": made_at, "periods": []}
    body = signing.canonical(document)
    return body, signing.sign(body)


def answering(body: bytes, signature: str) -> Callable[[socket.socket], None]:
    def answer(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Signature: {signature}\r\n"
            "Connection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    return answer


@pytest.fixture
def published(coordinator):
    for n in range(12):
        received(date(2026, 7, 1) + timedelta(days=n), asker_type="ouder")
    report = Report.objects.create(title="Rapportage Q3", period_start=Q3[0], period_end=Q3[1])
    return actions.publish(report=report, by=coordinator)


@pytest.mark.django_db
def test_a_hub_answering_garbage_breaks_no_board_page_and_shares_nothing(
    raw_hub, published, coordinator, bestuur
):
    hub = raw_hub(garbage)
    page = client_for(bestuur).get(published.get_absolute_url())
    assert page.status_code == 200
    assert "Het landelijk beeld is nog niet beschikbaar." in page.text
    assert hub.requests  # it was asked
    shared = client_for(coordinator).post(reverse("signaleren:report_share", args=[published.pk]))
    assert shared.status_code in (200, 302)
    with pytest.raises(national.CannotShare, match="niet bereikbaar"):
        national.share(report=published, by=coordinator)


@pytest.mark.django_db
def test_a_hub_that_drips_its_answer_holds_a_board_page_no_longer_than_the_timeout(raw_hub):
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n")
        for _ in range(60):
            conn.sendall(b"x")
            time.sleep(0.25)  # each byte within the socket timeout: it never fires

    raw_hub(drip)
    started = time.monotonic()
    kept = national.refresh_picture(force=True)
    assert time.monotonic() - started < national.PICTURE_TIMEOUT + 2
    assert kept.fetched_at is None


@pytest.mark.django_db
def test_a_redirect_does_not_carry_the_signed_request_elsewhere(raw_hub):
    elsewhere = RawHub(garbage)
    try:

        def redirect(conn: socket.socket) -> None:
            conn.sendall(
                f"HTTP/1.1 302 Found\r\nLocation: {elsewhere.url}/x\r\n"
                "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
            )

        raw_hub(redirect)
        assert national.refresh_picture(force=True).fetched_at is None
        assert elsewhere.requests == []
    finally:
        elsewhere.stop()


@pytest.mark.django_db
def test_the_picture_comes_during_a_hub_key_rotation(raw_hub, settings):
    now = timezone.now().isoformat()
    raw_hub(answering(*signed_picture(now)))
    # The new key first, the old one after it: as docs/scaling.md tells a region.
    settings.NATIONAL_HUB_PUBLIC_KEY = f"{OtherRegion('new').public_key},{signing.public_key()}"
    kept = national.refresh_picture(force=True)
    assert kept.fetched_at is not None
    assert kept.document["made_at"] == now


@pytest.mark.django_db
def test_an_old_signed_picture_replayed_does_not_replace_a_newer_one(raw_hub):
    newer = timezone.now().isoformat()
    older = (timezone.now() - timedelta(days=30)).isoformat()
    hub = raw_hub(answering(*signed_picture(newer)))
    assert national.refresh_picture(force=True).document["made_at"] == newer
    hub.answer = answering(*signed_picture(older))
    kept = national.refresh_picture(force=True)
    assert kept.document["made_at"] == newer
    assert FetchedNationalPicture.objects.get().document["made_at"] == newer


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["9" * 400, "-" + "9" * 400, "1e9", ""])
def test_a_picture_request_with_an_absurd_time_gets_a_clear_answer(settings, moment):
    settings.NATIONAL_HUB = True
    region = OtherRegion("noord")
    region.register()
    answer = Client().get(
        "/landelijk/beeld/",
        headers={
            "X-Steunpunt-Region": "noord",
            "X-Steunpunt-Time": moment,
            "X-Signature": region.sign(national.picture_request_data("noord", 0)),
        },
    )
    assert answer.status_code in (400, 403)
    assert "error" in answer.json()
    assert HubRegion.objects.count() == 1
