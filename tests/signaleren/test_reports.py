"""A coordinator composes and publishes; the board reads the frozen report."""

import contextlib
import re
import zlib
from datetime import date, timedelta

import pytest
from django.urls import reverse

from signaleren import actions
from signaleren.models import Report, ReportStatus, Signal
from steunen.models import Case
from tests.conftest import client_for
from tests.signaleren.test_figures import received

pytestmark = pytest.mark.django_db


def inflate(pdf: bytes) -> bytes:
    """The PDF with its compressed streams unpacked, to look inside.

    A stream's data may itself end in a carriage return (it is binary), so the
    end of line before "endstream" is not cut off: the decompressor stops at the
    end of the compressed data and leaves what follows unused.
    """
    out = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            out += zlib.decompressobj().decompress(match.group(1))
    return out


@pytest.fixture
def report(coordinator):
    for n in range(12):
        received(date(2026, 7, 1) + timedelta(days=n), asker_type="ouder")
    signal = Signal.objects.create(
        title="Ouders vinden het OPP-gesprek zwaar",
        description="Vooral in het vo.",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        case_count=4,
    )
    report = Report.objects.create(
        title="Rapportage Q3",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        composed_by=coordinator,
    )
    report.signals.add(signal)
    return report


def test_coordinator_composes_a_report(coordinator):
    response = client_for(coordinator).post(
        reverse("signaleren:report_new"),
        {"title": "Q3", "period": "kwartaal:2026-07-01", "foreword": "Een rustig kwartaal."},
    )
    report = Report.objects.get()
    assert (report.period_start, report.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert response["Location"] == report.get_absolute_url()
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert "Concept: alleen voor de coördinator" in page
    assert "Een rustig kwartaal." in page


def test_signal_shows_its_number_suppressed(report, coordinator):
    actions.publish(report=report, by=coordinator)
    report.refresh_from_db()
    assert report.frozen["signals"][0]["cases"] == "< 10"
    assert (
        "Ouders vinden het OPP-gesprek zwaar"
        in client_for(coordinator).get(report.get_absolute_url()).text
    )


def test_published_report_is_frozen_when_cases_are_deleted(report, coordinator, bestuur):
    actions.publish(report=report, by=coordinator)
    received = "<dt>Vragen ontvangen</dt><dd>12</dd>"
    assert received in client_for(bestuur).get(report.get_absolute_url()).text
    Case.objects.all().delete()
    report.refresh_from_db()
    after = client_for(bestuur).get(report.get_absolute_url()).text
    assert report.status == ReportStatus.PUBLISHED
    assert report.threshold == 10
    assert report.frozen["tables"][0]["total"]["display"] == "12"
    assert received in after


def test_board_sees_only_published_reports(report, bestuur, coordinator):
    client = client_for(bestuur)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert report.title not in client.get(reverse("signaleren:dashboard")).text
    actions.publish(report=report, by=coordinator)
    assert client.get(report.get_absolute_url()).status_code == 200


def test_board_cannot_publish_edit_or_open_the_live_dashboard(report, bestuur):
    client = client_for(bestuur)
    assert client.post(reverse("signaleren:report_publish", args=[report.pk])).status_code == 403
    assert client.get(reverse("signaleren:report_edit", args=[report.pk])).status_code == 403
    assert client.get(reverse("signaleren:live")).status_code == 404


@pytest.mark.parametrize("who", ["medewerker", "redacteur", "vrijwilliger", "outsider"])
def test_others_cannot_read_reports(request, report, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(report.get_absolute_url()).status_code == 403


def test_report_page_has_charts_with_data_tables(report, coordinator):
    actions.publish(report=report, by=coordinator)
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 5
    assert 'role="img"' in page
    assert "<caption" in page


def test_csv_has_the_published_tables_only(report, coordinator, bestuur):
    assert (
        client_for(bestuur).get(reverse("signaleren:report_csv", args=[report.pk])).status_code
        == 404
    )
    actions.publish(report=report, by=coordinator)
    response = client_for(bestuur).get(reverse("signaleren:report_csv", args=[report.pk]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Wie stelde de vraag?;Ouder of verzorger;12" in text
    assert "Vooral in het vo" not in text


def test_pdf_is_a_tagged_report(report, coordinator, bestuur):
    actions.publish(report=report, by=coordinator)
    response = client_for(bestuur).get(reverse("signaleren:report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    inflated = inflate(response.content)
    assert b"/StructTreeRoot" in inflated  # tagged for screen readers
    assert b"pdfuaid" in inflated  # declares PDF/UA
    assert b"/Lang" in inflated


def test_staff_link_a_case_as_example_but_reports_never_show_it(report, coordinator, medewerker):
    case = Case.objects.first()
    signal = Signal.objects.get()
    client_for(medewerker).post(
        reverse("signaleren:signal", args=[signal.pk]), {"reference": case.reference}
    )
    assert signal.example_cases.get() == case
    actions.publish(report=report, by=coordinator)
    report.refresh_from_db()
    assert case.reference not in str(report.frozen)


def test_quarterly_draft_is_prepared_once_and_the_coordinator_told(
    coordinator, time_machine, django_capture_on_commit_callbacks
):
    from django.core import mail

    time_machine.move_to("2026-10-01 06:00")
    with django_capture_on_commit_callbacks(execute=True):
        actions.prepare_quarter_report.enqueue()
        actions.prepare_quarter_report.enqueue()
    draft = Report.objects.get()
    assert (draft.period_start, draft.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert draft.status == ReportStatus.CONCEPT
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_live_dashboard_for_the_coordinator(report, coordinator):
    page = (
        client_for(coordinator)
        .get(reverse("signaleren:live"), {"period_start": "2026-07-01", "period_end": "2026-09-30"})
        .text
    )
    assert "Vragen ontvangen" in page
    bad = (
        client_for(coordinator)
        .get(reverse("signaleren:live"), {"period_start": "2026-09-30", "period_end": "2026-07-01"})
        .text
    )
    assert "eindigt voordat hij begint" in bad


def test_the_publisher_and_composer_are_recorded(coordinator, bestuur):
    from steunpunt.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(first_name="Fatima", last_name="Bakker", roles=[Role.COORDINATOR])
    client_for(coordinator).post(
        reverse("signaleren:report_new"), {"title": "Q3", "period": "kwartaal:2026-07-01"}
    )
    report = Report.objects.get()
    assert report.composed_by == coordinator
    client_for(other).post(reverse("signaleren:report_publish", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_published
    assert (report.composed_by, report.published_by) == (coordinator, other)
    from steunpunt.models import AuditAction, AuditEntry

    entry = AuditEntry.objects.get(action=AuditAction.REPORT_PUBLISHED)
    assert (entry.actor, entry.object_id) == (other, str(report.pk))
    # Staff see both on the report and in the list of reports; the board sees no names.
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert f"Opgesteld door {coordinator.get_full_name()}" in page
    assert "Gepubliceerd door Fatima Bakker" in page
    listing = client_for(coordinator).get(reverse("signaleren:dashboard")).text
    assert "door Fatima Bakker" in listing
    for text in (
        client_for(bestuur).get(report.get_absolute_url()).text,
        client_for(bestuur).get(reverse("signaleren:dashboard")).text,
    ):
        assert "Fatima" not in text and coordinator.get_full_name() not in text


def test_the_composer_may_publish_their_own_report(report, coordinator):
    actions.publish(report=report, by=coordinator)
    report.refresh_from_db()
    assert report.composed_by == report.published_by == coordinator


def test_report_downloads_are_never_cached(report, coordinator, bestuur):
    actions.publish(report=report, by=coordinator)
    client = client_for(bestuur)
    for name in ("signaleren:report_csv", "signaleren:report_pdf"):
        response = client.get(reverse(name, args=[report.pk]))
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, name


def test_no_quarterly_draft_when_reports_go_per_school_year(coordinator, time_machine):
    time_machine.move_to("2025-10-01 06:00")
    school_year = Report.objects.create(
        title="Schooljaar", period_start=date(2024, 8, 1), period_end=date(2025, 7, 31)
    )
    actions.publish(report=school_year, by=coordinator)
    # The third quarter of 2025 holds July, the last month of that school year.
    assert actions.prepare_quarter_report.enqueue().return_value is None
    assert Report.objects.count() == 1
