"""Signals go up (issue 26, item 3): a region shares a published report with the hub,
the hub adds the regions up into a national picture, suppressed again, and a board
reads it beside its own figures. The hub's side is spoken to as a region does:
signed bytes over HTTP (the Django client, or a live server for the region's button)."""

import base64
import json
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from signaleren import actions, national
from signaleren.models import (
    FetchedNationalPicture,
    HubRegion,
    Report,
    ReportShare,
    SharedReport,
)
from steunpunt import signing
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.servers import free_port
from tests.signaleren.test_figures import received
from tests.steunpunt.test_valid_html import java, vnu_errors  # noqa: F401 (java: a fixture)

Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


class OtherRegion:
    """A region with a key of its own, as another deployment has."""

    def __init__(self, code: str):
        self.code = code
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public_key = base64.urlsafe_b64encode(raw).decode()

    def register(self) -> HubRegion:
        return HubRegion.objects.create(
            code=self.code, name=self.code.title(), public_key=self.public_key
        )

    def sign(self, body: bytes) -> str:
        return base64.urlsafe_b64encode(self.key.sign(body)).decode()

    def send(self, document: dict, *, signature: str | None = None, body: bytes | None = None):
        body = body if body is not None else signing.canonical(document)
        return Client().post(
            "/landelijk/signalen/",
            body,
            content_type="application/json",
            headers={
                "X-Steunpunt-Region": self.code,
                "X-Signature": signature if signature is not None else self.sign(body),
            },
        )


def rows(**cells: int | None) -> list[dict]:
    return [
        {
            "key": key,
            "label": key.title(),
            "value": value,
            "display": "< 10" if value is None else str(value),
        }
        for key, value in cells.items()
    ]


def document(
    code: str,
    report_id: int,
    period: tuple[date, date],
    asker: dict[str, int | None],
    total: int | None,
    *,
    threshold: int = 10,
    themes: dict[str, int | None] | None = None,
) -> dict:
    tables = [
        {
            "key": "asker_type",
            "title": "Wie stelde de vraag?",
            "additive": True,
            "rows": rows(**asker),
            "total": {"value": total, "display": str(total) if total else "< 10"},
        }
    ]
    if themes is not None:
        tables.append(
            {"key": "themes", "title": "Thema's", "additive": False, "rows": rows(**themes)}
        )
    return {
        "kind": "steunpunt.shared-report",
        "format": 1,
        "region": code,
        "report": {"id": report_id, "version": "2:2026-10-05T10:00:00+02:00", "title": "Q3"},
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
        "threshold": threshold,
        "tables": tables,
    }


@pytest.fixture
def hub(settings):
    settings.NATIONAL_HUB = True
    return settings


def national_rows(period: tuple[date, date], key: str) -> dict[str, str]:
    picture = national.national_picture()
    found = next(p for p in picture["periods"] if p["start"] == period[0].isoformat())
    table = next(t for t in found["tables"] if t["key"] == key)
    shown = {row["label"]: row["display"] for row in table["rows"]}
    if "total" in table:
        shown["Totaal"] = table["total"]["display"]
    return shown


# --- The hub: what it takes and what it refuses ------------------------------------------


@pytest.mark.django_db
def test_the_national_picture_adds_regions_up_and_suppresses_again(hub, bestuur):
    north, south = OtherRegion("noord"), OtherRegion("zuid")
    north.register()
    south.register()
    # Noord suppresses under 5: it showed 7 parents; nationally 10 is the threshold.
    sent = north.send(
        document(
            "noord",
            1,
            Q3,
            {"ouder": 7, "jongere": 6, "ander": None},
            16,
            threshold=5,
            themes={"aanmelden": 8, "regionaal": 6},
        )
    )
    assert sent.status_code == 201, sent.content
    assert (
        south.send(
            document("zuid", 4, Q3, {"ouder": 40, "jongere": None, "ander": None}, 45)
        ).status_code
        == 201
    )
    shown = national_rows(Q3, "asker_type")
    # 7 + 40, both exact, but 47 beside Zuid's own 40 would give Noord's 7 away
    # (tests/signaleren/test_national_differencing.py).
    assert shown["Ouder"] == "verborgen"
    # 6 from Noord and a number Zuid hid: not exact, and small as far as known.
    assert shown["Jongere"] == "verborgen"
    assert shown["Ander"] == "verborgen"
    assert shown["Totaal"] == "61"
    themes = national_rows(Q3, "themes")
    assert themes["Regionaal"] == "< 10"  # only Noord has it: 6, under the national threshold
    assert themes["Aanmelden"] == "< 10"
    picture = national.national_picture()
    assert picture["periods"][0]["regions"] == 2

    page = client_for(bestuur).get(reverse("signaleren:national")).text
    assert "Landelijk beeld" in page
    assert "2 regio&#x27;s deelden cijfers over deze periode" in page or "2 regio's deelden" in page
    assert "<td>61</td>" in page
    assert "<td>47</td>" not in page and "<td>7</td>" not in page


@pytest.mark.django_db
def test_one_region_alone_is_suppressed_at_the_national_level_with_the_total(hub):
    north = OtherRegion("noord")
    north.register()
    # Noord (threshold 5) showed every row; nationally 7 is small, and with the total
    # shown one more cell must go, else 30 - 12 - 11 gives the 7 away.
    north.send(document("noord", 1, Q3, {"ouder": 7, "jongere": 12, "ander": 11}, 30, threshold=5))
    shown = national_rows(Q3, "asker_type")
    assert shown == {"Ouder": "verborgen", "Jongere": "12", "Ander": "verborgen", "Totaal": "30"}


@pytest.mark.django_db
def test_the_national_picture_compares_with_the_period_before(hub):
    north = OtherRegion("noord")
    north.register()
    north.send(document("noord", 1, Q2, {"ouder": 20, "jongere": 15, "ander": None}, 40))
    north.send(document("noord", 2, Q3, {"ouder": 25, "jongere": 12, "ander": None}, 44))
    picture = national.national_picture()
    assert [p["start"] for p in picture["periods"]] == ["2026-07-01", "2026-04-01"]
    q3 = picture["periods"][0]
    assert q3["previous_name"] == picture["periods"][1]["name"]
    parents = next(r for r in q3["tables"][0]["rows"] if r["key"] == "ouder")
    assert (parents["previous"], parents["trend"]) == ("20", "hoger")


@pytest.mark.django_db
def test_a_report_shared_twice_is_refused_by_the_hub(hub):
    north = OtherRegion("noord")
    north.register()
    doc = document("noord", 1, Q3, {"ouder": 20, "jongere": None, "ander": None}, 25)
    assert north.send(doc).status_code == 201
    again = north.send(doc)
    assert again.status_code == 409
    assert again.json() == {
        "error": "Deze rapportage is al eerder gedeeld.",
        "code": "already_shared",
    }
    other_report_same_period = north.send({**doc, "report": {**doc["report"], "id": 2}})
    assert other_report_same_period.status_code == 409
    assert "al een rapportage over deze periode" in other_report_same_period.json()["error"]
    assert SharedReport.objects.count() == 1


@pytest.mark.django_db
def test_a_tampered_report_is_refused(hub):
    north = OtherRegion("noord")
    north.register()
    doc = document("noord", 1, Q3, {"ouder": 20, "jongere": None, "ander": None}, 25)
    body = signing.canonical(doc)
    signature = north.sign(body)
    tampered = body.replace(b'"value":20', b'"value":90')
    refused = north.send(doc, body=tampered, signature=signature)
    assert refused.status_code == 403
    assert refused.json()["error"] == "De handtekening klopt niet."
    # Signed by someone else with the name of Noord.
    impostor = OtherRegion("noord")
    assert impostor.send(doc).status_code == 403
    assert north.send(doc, signature="geen-handtekening").status_code == 403
    assert not SharedReport.objects.exists()


@pytest.mark.django_db
def test_an_unknown_region_is_refused(hub):
    stranger = OtherRegion("onbekend")
    refused = stranger.send(document("onbekend", 1, Q3, {"ouder": 20}, 20))
    assert refused.status_code == 403
    assert refused.json()["error"] == "Deze regio is niet bekend bij het landelijk steunpunt."
    # A region that was switched off is not known either.
    region = stranger.register()
    region.active = False
    region.save()
    assert stranger.send(document("onbekend", 1, Q3, {"ouder": 20}, 20)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"geen json",
        b"[]",
        b'{"kind":"steunpunt.shared-report"}',
        signing.canonical({**document("noord", 1, Q3, {"ouder": 20}, 20), "tables": "x"}),
        signing.canonical({**document("noord", 1, Q3, {"ouder": -3}, 20)}),
        signing.canonical(
            {**document("noord", 1, Q3, {}, 20), "period": {"start": "2026-07-03", "end": "x"}}
        ),
        signing.canonical(
            {
                **document("noord", 1, Q3, {"ouder": 20}, 20),
                "period": {"start": "2026-07-03", "end": "2026-08-10"},
            }
        ),
    ],
)
def test_a_malformed_body_gets_a_clear_answer(hub, body):
    north = OtherRegion("noord")
    north.register()
    refused = north.send({}, body=body)
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("De rapportage is niet goed opgebouwd")


@pytest.mark.django_db
def test_a_report_naming_another_region_is_refused(hub):
    north, south = OtherRegion("noord"), OtherRegion("zuid")
    north.register()
    south.register()
    refused = north.send(document("zuid", 1, Q3, {"ouder": 20}, 20))
    assert refused.status_code == 403


@pytest.mark.django_db
def test_a_region_is_not_a_hub(settings):
    settings.NATIONAL_HUB = False
    north = OtherRegion("noord")
    north.register()
    assert north.send(document("noord", 1, Q3, {"ouder": 20}, 20)).status_code == 404
    assert Client().get("/landelijk/beeld/").status_code == 404
    assert Client().get("/landelijk/signalen/").status_code == 404


@pytest.mark.django_db
def test_only_a_post_is_taken(hub):
    assert Client().get("/landelijk/signalen/").status_code == 405


@pytest.mark.django_db
def test_the_signed_picture_is_only_for_registered_regions(hub):
    north = OtherRegion("noord")
    north.register()
    north.send(document("noord", 1, Q3, {"ouder": 20, "jongere": None}, 25))
    assert Client().get("/landelijk/beeld/").status_code == 403
    moment = int(timezone.now().timestamp())
    headers = {
        "X-Steunpunt-Region": "noord",
        "X-Steunpunt-Time": str(moment),
        "X-Signature": north.sign(national.picture_request_data("noord", moment)),
    }
    answer = Client().get("/landelijk/beeld/", headers=headers)
    assert answer.status_code == 200
    signing.verify(answer.content, answer["X-Signature"], signing.public_key())
    picture = json.loads(answer.content)
    assert picture["periods"][0]["regions"] == 1
    # An old request is not taken again.
    old = moment - 3600
    stale = {
        **headers,
        "X-Steunpunt-Time": str(old),
        "X-Signature": north.sign(national.picture_request_data("noord", old)),
    }
    assert Client().get("/landelijk/beeld/", headers=stale).status_code == 403


@pytest.mark.django_db
def test_register_region_command(hub, capsys):
    north = OtherRegion("noord")
    call_command("register_region", "noord", "Regio Noord", "--", north.public_key)
    assert HubRegion.objects.get(code="noord").public_key == north.public_key
    with pytest.raises(CommandError):
        call_command("register_region", "zuid", "Regio Zuid", "--", "geen-sleutel")
    call_command("signing_public_key")
    assert signing.public_key() in capsys.readouterr().out


# --- The region: the coordinator's button ---------------------------------------------------


@pytest.fixture
def region_and_hub(live_server, settings):
    """This deployment as region and hub at once: it shares with itself over HTTP."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    settings.NATIONAL_HUB = True
    settings.NATIONAL_HUB_URL = live_server.url
    settings.NATIONAL_HUB_PUBLIC_KEY = signing.public_key()
    settings.REGION_CODE = "lindewaarde"
    HubRegion.objects.create(
        code="lindewaarde", name="Lindewaarde", public_key=signing.public_key()
    )
    return live_server


@pytest.fixture
def published(coordinator):
    for n in range(12):
        received(date(2026, 7, 1) + timedelta(days=n), asker_type="ouder")
    for n in range(3):
        received(date(2026, 8, 1) + timedelta(days=n), asker_type="jongere")
    report = Report.objects.create(title="Rapportage Q3", period_start=Q3[0], period_end=Q3[1])
    return actions.publish(report=report, by=coordinator)


@pytest.mark.django_db(transaction=True)
def test_a_shared_report_shows_in_the_national_picture(
    region_and_hub, published, coordinator, bestuur
):
    client = client_for(coordinator)
    page = client.get(published.get_absolute_url()).text
    share_url = reverse("signaleren:report_share", args=[published.pk])
    assert share_url in page
    confirm = client.get(share_url)
    assert "Ja, deel deze cijfers" in confirm.text
    assert not SharedReport.objects.exists()  # asking first shares nothing
    done = client.post(share_url, follow=True)
    assert "zijn gedeeld met het landelijk steunpunt" in done.text
    shared = SharedReport.objects.get()
    assert (shared.region.code, shared.report_id) == ("lindewaarde", published.pk)
    assert {t["key"] for t in shared.tables} == {"themes", "asker_type", "school_type"}
    attempt = ReportShare.objects.get()
    assert attempt.succeeded and attempt.attempted_by == coordinator
    assert AuditEntry.objects.filter(
        action=AuditAction.REPORT_SHARED, object_id=str(published.pk), actor=coordinator
    ).exists()
    assert "De cijfers zijn gedeeld met het landelijk steunpunt op" in done.text

    shown = national_rows(Q3, "asker_type")
    assert shown["Ouder of verzorger"] == "12"
    # The region hid 3: the hub never learns it.
    assert shown["Jongere (12 jaar of ouder)"] == "verborgen"
    assert shown["Totaal"] == "15"
    board = client_for(bestuur).get(published.get_absolute_url()).text
    assert "Landelijk beeld" in board
    assert "<td>12</td><td>12</td>" in board  # own and national, side by side


@pytest.mark.django_db(transaction=True)
def test_sharing_twice_is_refused(region_and_hub, published, coordinator):
    client = client_for(coordinator)
    share_url = reverse("signaleren:report_share", args=[published.pk])
    client.post(share_url)
    again = client.post(share_url, follow=True)
    assert "Deze rapportage is al gedeeld met het landelijk steunpunt." in again.text
    assert SharedReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_share_whose_answer_was_lost_is_recognised(region_and_hub, published, coordinator):
    national.share(report=published, by=coordinator)
    # The hub took it, but the region never heard (its record is gone): a retry is
    # refused by the hub as a duplicate, and the region then knows it is shared.
    ReportShare.objects.all().delete()
    attempt = national.share(report=published, by=coordinator)
    assert attempt.succeeded
    assert attempt.result == "Het landelijk steunpunt had deze rapportage al ontvangen."
    assert SharedReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_unpublished_report_cannot_be_shared(region_and_hub, coordinator):
    draft = Report.objects.create(title="Concept", period_start=Q3[0], period_end=Q3[1])
    share_url = reverse("signaleren:report_share", args=[draft.pk])
    assert share_url not in client_for(coordinator).get(draft.get_absolute_url()).text
    refused = client_for(coordinator).post(share_url, follow=True)
    assert "Alleen een gepubliceerde rapportage kan gedeeld worden." in refused.text
    with pytest.raises(national.CannotShare):
        national.share(report=draft, by=coordinator)
    assert not SharedReport.objects.exists()
    assert not ReportShare.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_hub_that_is_down_shares_nothing_and_can_be_retried(
    region_and_hub, published, coordinator, settings
):
    settings.NATIONAL_HUB_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens
    client = client_for(coordinator)
    share_url = reverse("signaleren:report_share", args=[published.pk])
    down = client.post(share_url, follow=True)
    assert "Het landelijk steunpunt is nu niet bereikbaar. Er is niets gedeeld" in down.text
    assert not ReportShare.objects.filter(succeeded=True).exists()
    assert ReportShare.objects.get().result.startswith("Het landelijk steunpunt is nu niet")
    assert not AuditEntry.objects.filter(action=AuditAction.REPORT_SHARED).exists()
    assert share_url in client.get(published.get_absolute_url()).text  # the button is back
    settings.NATIONAL_HUB_URL = region_and_hub.url
    client.post(share_url)
    assert ReportShare.objects.filter(succeeded=True).count() == 1
    assert SharedReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_board_and_others_cannot_share(region_and_hub, published, bestuur, medewerker):
    share_url = reverse("signaleren:report_share", args=[published.pk])
    assert client_for(bestuur).post(share_url).status_code == 403
    assert client_for(medewerker).post(share_url).status_code == 403
    assert not SharedReport.objects.exists()


# --- The region's board: the national picture beside its own -----------------------------


@pytest.mark.django_db(transaction=True)
def test_the_region_fetches_the_signed_picture(region_and_hub, published, coordinator, settings):
    national.share(report=published, by=coordinator)
    kept = national.refresh_picture(force=True)
    assert kept.fetched_at is not None
    assert kept.document["periods"][0]["regions"] == 1
    # A picture signed by another key is not taken; the last good one stays.
    settings.NATIONAL_HUB_PUBLIC_KEY = OtherRegion("x").public_key
    again = national.refresh_picture(force=True)
    assert again.fetched_at == kept.fetched_at
    assert again.checked_at > kept.checked_at


@pytest.mark.django_db
def test_a_region_bestuur_reads_the_national_picture_beside_its_own(settings, published, bestuur):
    # The picture as the hub made it, fetched an hour ago; the hub is down now.
    settings.NATIONAL_HUB = True
    north = OtherRegion("noord")
    north.register()
    north.send(document("noord", 7, Q3, {"ouder": 30, "jongere": 11, "ander": None}, 45))
    picture = national.national_picture()
    settings.NATIONAL_HUB = False
    settings.NATIONAL_HUB_URL = f"http://127.0.0.1:{free_port()}"
    settings.NATIONAL_HUB_PUBLIC_KEY = OtherRegion("hub").public_key
    fetched = timezone.now() - timedelta(hours=2)
    FetchedNationalPicture.objects.create(pk=1, document=picture, fetched_at=fetched)
    page = client_for(bestuur).get(published.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert "Landelijk beeld" in text
    assert "Eigen regio" in text
    assert '<th scope="row">Ouder of verzorger</th><td>12</td><td>30</td>' in text
    assert timezone.localtime(fetched).strftime("%H:%M") in text  # with its date
    national_page = client_for(bestuur).get(reverse("signaleren:national"))
    assert national_page.status_code == 200
    assert "Opgehaald bij het landelijk steunpunt op" in national_page.text


@pytest.mark.django_db
def test_without_any_picture_the_board_reads_a_calm_word(settings, published, bestuur):
    settings.NATIONAL_HUB = False
    settings.NATIONAL_HUB_URL = f"http://127.0.0.1:{free_port()}"
    settings.NATIONAL_HUB_PUBLIC_KEY = OtherRegion("hub").public_key
    page = client_for(bestuur).get(published.get_absolute_url())
    assert page.status_code == 200
    assert "Het landelijk beeld is nog niet beschikbaar." in page.text
    # The hub is not asked again at once: a board page never waits on it twice.
    checked = FetchedNationalPicture.objects.get().checked_at
    client_for(bestuur).get(published.get_absolute_url())
    assert FetchedNationalPicture.objects.get().checked_at == checked


@pytest.mark.django_db
def test_without_a_hub_nothing_changes(settings, published, coordinator, bestuur):
    settings.NATIONAL_HUB = False
    settings.NATIONAL_HUB_URL = ""
    page = client_for(coordinator).get(published.get_absolute_url()).text
    assert "Landelijk beeld" not in page
    assert "Delen met het landelijk steunpunt" not in page
    assert client_for(bestuur).get(reverse("signaleren:national")).status_code == 404
    assert not FetchedNationalPicture.objects.exists()


# --- Valid HTML ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("java")
def test_the_new_pages_are_valid_html(hub, published, coordinator, bestuur, tmp_path):
    hub.NATIONAL_HUB_URL = f"http://127.0.0.1:{free_port()}"
    north = OtherRegion("noord")
    north.register()
    north.send(document("noord", 1, Q2, {"ouder": 20, "jongere": 15, "ander": None}, 40))
    north.send(
        document(
            "noord", 2, Q3, {"ouder": 25, "jongere": None, "ander": None}, 44, themes={"a": 12}
        )
    )
    pages = {
        "national": client_for(bestuur).get(reverse("signaleren:national")),
        "report (board)": client_for(bestuur).get(published.get_absolute_url()),
        "report (coordinator)": client_for(coordinator).get(published.get_absolute_url()),
        "share": client_for(coordinator).get(
            reverse("signaleren:report_share", args=[published.pk])
        ),
    }
    assert "Landelijk" in pages["national"].text and "<td>25</td>" in pages["national"].text
    assert "Delen met het landelijk steunpunt" in pages["report (coordinator)"].text
    for name, response in pages.items():
        assert response.status_code == 200, name
    errors = vnu_errors({name: r.text for name, r in pages.items()}, tmp_path)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_a_hub_that_answers_wrongly_leaves_the_kept_picture(live_server, settings):
    # The live server is no hub: /landelijk/beeld/ answers 404.
    settings.NATIONAL_HUB = False
    settings.NATIONAL_HUB_URL = live_server.url
    settings.NATIONAL_HUB_PUBLIC_KEY = signing.public_key()
    kept_document = {"kind": "steunpunt.national-picture", "threshold": 10, "periods": []}
    fetched = timezone.now() - timedelta(days=1)
    FetchedNationalPicture.objects.create(pk=1, document=kept_document, fetched_at=fetched)
    kept = national.refresh_picture()
    assert (kept.document, kept.fetched_at) == (kept_document, fetched)
    assert kept.checked_at is not None
    # A kept document of another shape is not read: the calm word instead of an error.
    FetchedNationalPicture.objects.filter(pk=1).update(document={"kind": "iets anders"})
    assert national.picture().document is None


@pytest.mark.django_db(transaction=True)
def test_an_address_that_is_no_hub_shares_nothing(live_server, settings, published, coordinator):
    settings.NATIONAL_HUB = False  # the live server is a region: no /landelijk/signalen/
    settings.NATIONAL_HUB_URL = live_server.url
    with pytest.raises(national.CannotShare, match=r"onverwacht antwoord \(HTTP 404\)"):
        national.share(report=published, by=coordinator)
    assert not ReportShare.objects.filter(succeeded=True).exists()


@pytest.mark.django_db
def test_the_admin_registers_a_region_and_checks_its_key(hub):
    admin = client_for(UserFactory(is_superuser=True, is_staff=True))
    add = "/beheer/django/signaleren/hubregion/add/"
    refused = admin.post(add, {"code": "noord", "name": "Noord", "public_key": "kapot"})
    assert refused.status_code == 200
    assert "Dit is geen publieke sleutel" in refused.text
    key = OtherRegion("noord").public_key
    saved = admin.post(add, {"code": "noord", "name": "Noord", "public_key": key, "active": "on"})
    assert saved.status_code == 302
    assert HubRegion.objects.get(code="noord").public_key == key
    for listing in ("hubregion", "sharedreport", "reportshare"):
        assert admin.get(f"/beheer/django/signaleren/{listing}/").status_code == 200
