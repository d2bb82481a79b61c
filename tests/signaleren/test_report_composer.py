"""What the coordinator sees while composing a report, and the PDF at demo size."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from weasyprint.formatting_structure import boxes

from signaleren import actions
from signaleren.models import Report, ReportStatus
from signaleren.pdf import report_document
from signaleren.periods import quarter_of
from signaleren.views import _charts
from steunen import demo
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.signaleren.test_figures import received
from tests.signaleren.test_reports import inflate

pytestmark = pytest.mark.django_db


def draft(start: date, end: date, title: str = "") -> Report:
    return Report.objects.create(title=title or "Concept", period_start=start, period_end=end)


def test_a_too_short_period_says_so_and_proposes_a_longer_one(coordinator):
    for n in range(4):
        received(date(2026, 4, 2) + timedelta(days=n), asker_type="ouder")
    report = draft(date(2026, 4, 1), date(2026, 6, 30), "Signaleringsrapportage Kwartaal 2 2026")
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert "Deze periode is te kort voor dit samenwerkingsverband" in page
    edit = reverse("signaleren:report_edit", args=[report.pk])
    assert f"{edit}?period=halfjaar%3A2026-01-01" in page
    assert "Maak er een rapportage over Eerste halfjaar 2026 van" in page
    assert "Maak er een rapportage over Schooljaar 2025-2026 van" in page

    form = client_for(coordinator).get(edit, {"period": "halfjaar:2026-01-01"}).text
    assert '<option value="halfjaar:2026-01-01" selected>' in form
    assert 'value="Signaleringsrapportage Eerste halfjaar 2026"' in form
    report.refresh_from_db()
    assert report.period_end == date(2026, 6, 30)  # nothing changes before saving


def test_a_period_with_enough_questions_gets_no_warning(coordinator):
    for n in range(40):
        received(
            date(2026, 4, 2) + timedelta(days=n),
            asker_type="ouder" if n % 4 else "jongere",
            channel="web",
        )
    report = draft(date(2026, 4, 1), date(2026, 6, 30))
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert "Deze periode is te kort" not in page
    report.refresh_from_db()
    actions.publish(report=report, by=coordinator)
    report.refresh_from_db()
    assert "mostly_hidden" not in report.frozen  # the hint is not published


def test_report_explains_received_and_closed(coordinator):
    received(date(2026, 4, 2), asker_type="ouder")
    report = draft(date(2026, 4, 1), date(2026, 6, 30))
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert "Ontvangen zijn de nieuwe vragen die in deze periode binnenkwamen." in page
    assert "ook als ze al eerder binnenkwamen" in page


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        (date(2026, 7, 1), date(2026, 9, 30), "Kwartaal 2 2026"),
        (date(2026, 1, 1), date(2026, 6, 30), "Tweede halfjaar 2025"),
        (date(2025, 8, 1), date(2026, 7, 31), "Schooljaar 2024-2025"),
        (date(2025, 1, 1), date(2025, 12, 31), "Kalenderjaar 2024"),
    ],
)
def test_the_period_before_is_the_whole_calendar_period_of_that_kind(
    coordinator, start, end, before
):
    report = draft(start, end)
    page = client_for(coordinator).get(report.get_absolute_url()).text
    assert f"Over de periode ervoor ({before}) is geen rapportage gepubliceerd." in page


def test_comparison_names_the_published_quarter_before(coordinator):
    for n in range(12):
        received(date(2026, 4, 2) + timedelta(days=n), asker_type="ouder")
        received(date(2026, 7, 2) + timedelta(days=n), asker_type="ouder")
    actions.publish(report=draft(date(2026, 4, 1), date(2026, 6, 30)), by=coordinator)
    page = client_for(coordinator).get(
        draft(date(2026, 7, 1), date(2026, 9, 30)).get_absolute_url()
    )
    assert (
        "Vergeleken met de periode ervoor (Kwartaal 2 2026 (01-04-2026 t/m 30-06-2026))"
        in page.text
    )


def test_coordinator_deletes_a_draft_after_confirming(coordinator):
    report = draft(date(2026, 4, 1), date(2026, 6, 30), "Weg ermee")
    client = client_for(coordinator)
    url = reverse("signaleren:report_delete", args=[report.pk])
    assert url in client.get(report.get_absolute_url()).text
    confirm = client.get(url)
    assert "Weet u zeker dat u de concept-rapportage „Weg ermee” wilt verwijderen?" in confirm.text
    assert Report.objects.filter(pk=report.pk).exists()  # asking deletes nothing

    response = client.post(url, follow=True)
    assert not Report.objects.filter(pk=report.pk).exists()
    assert "De concept-rapportage „Weg ermee” is verwijderd." in response.text
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_DELETED)
    assert (entry.actor, entry.object_id) == (coordinator, str(report.pk))


def test_published_report_cannot_be_deleted(coordinator):
    report = draft(date(2026, 4, 1), date(2026, 6, 30))
    actions.publish(report=report, by=coordinator)
    response = client_for(coordinator).post(
        reverse("signaleren:report_delete", args=[report.pk]), follow=True
    )
    assert Report.objects.get(pk=report.pk).status == ReportStatus.PUBLISHED
    assert "Een gepubliceerde rapportage kan niet verwijderd worden." in response.text
    assert not AuditEntry.objects.filter(action=AuditAction.REPORT_DELETED).exists()
    with pytest.raises(actions.CannotDelete):
        actions.delete_draft(report=report, by=coordinator)


def test_board_member_cannot_delete_a_draft(coordinator, bestuur):
    report = draft(date(2026, 4, 1), date(2026, 6, 30))
    response = client_for(bestuur).post(reverse("signaleren:report_delete", args=[report.pk]))
    assert response.status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def _fill(page) -> float:
    """How far down its content area a PDF page is filled, from 0 to 1: the lowest
    line of text or image on it (the footer's margin boxes not counted)."""
    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    bottom = top
    for root in page_box.children:
        if isinstance(root, boxes.MarginBox):
            continue
        for box in root.descendants():
            if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
                bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) / height


def test_pdf_of_a_demo_size_report_has_no_half_empty_pages(coordinator):
    demo.generate_cases()  # the demo's two years
    last_quarter = quarter_of(timezone.localdate()).previous()
    report = draft(last_quarter.start, last_quarter.end, "Signaleringsrapportage")
    report.foreword = "Een kwartaal met veel vragen over thuiszitten en aanmelden."
    report.save()
    actions.publish(report=report, by=coordinator)
    report.refresh_from_db()
    context = {
        "report": report,
        "figures": report.frozen,
        "charts": _charts(report.frozen),
        "steunpunt_name": settings.STEUNPUNT_NAME,
    }
    document = report_document(context)
    fills = [_fill(page) for page in document.pages]
    assert len(fills) >= 3
    assert all(fill > 1 / 3 for fill in fills[:-1]), [round(f, 2) for f in fills]
    assert fills[0] > 0.9  # the cover fills its page: who made it when, at the foot
    cover = " ".join(
        box.text
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )
    assert settings.STEUNPUNT_NAME in cover
    assert last_quarter.name() in cover
    assert "Deze PDF is gemaakt op" in cover


def test_pdf_uses_one_sans_font_throughout(report_pdf_bytes):
    fonts = set(re_fonts(report_pdf_bytes))
    assert fonts, "no fonts found"
    families = {name.split("+")[-1].replace("-", "") for name in fonts}
    assert all(family.startswith("DejaVuSans") for family in families), fonts
    assert not any("Mono" in name or "Serif" in name for name in fonts), fonts


def re_fonts(pdf: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)", inflate(pdf))]


@pytest.fixture
def report_pdf_bytes(coordinator, bestuur):
    for n in range(15):
        received(date(2026, 4, 2) + timedelta(days=n), asker_type="ouder")
    report = draft(date(2026, 4, 1), date(2026, 6, 30), "Rapportage")
    actions.publish(report=report, by=coordinator)
    response = client_for(bestuur).get(reverse("signaleren:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    return response.content
