"""The asker's rights, retention and evaluation: what is kept and what is gone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from steunen import actions
from steunen.models import Case, Evaluation, InternalNote, Message
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.steunen.helpers import ask, code_data, old_puzzle

pytestmark = pytest.mark.django_db


def open_with(client, code):
    client.post("/vraag/terug/", code_data(code))


def test_asker_downloads_the_conversation(client, medewerker):
    case, code = ask("Mijn eigen vraag", name="Sam")
    actions.send_answer(case=case, by=medewerker, body="Ons antwoord")
    actions.add_note(case=case, by=medewerker, body="Interne notitie")
    open_with(client, code)
    response = client.get(reverse("steunen:download"))
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="mijn-vraag.txt"'
    assert "no-store" in response["Cache-Control"]
    assert "Mijn eigen vraag" in text and "Ons antwoord" in text
    assert "Interne notitie" not in text


def test_asker_deletes_the_question_after_confirming_and_statistics_stay(client, medewerker):
    case, code = ask("Weg ermee", name="Sam", contact_preference="email", email="sam@voorbeeld.nl")
    actions.log_time(
        case=case, by=medewerker, minutes=30, activity="telefoon", on=timezone.localdate()
    )
    actions.add_note(case=case, by=medewerker, body="Notitie")
    open_with(client, code)
    response = client.post(reverse("steunen:delete"), {})
    assert "Vink aan dat u uw vraag wilt verwijderen." in response.text
    assert Message.objects.filter(case=case).exists()
    response = client.post(reverse("steunen:delete"), {"confirm": "on"})
    assert "Uw vraag is verwijderd" in response.text
    case.refresh_from_db()
    assert (case.name, case.email, case.phone) == ("", "", "")
    assert not Message.objects.filter(case=case).exists()
    assert not InternalNote.objects.filter(case=case).exists()
    assert case.erased_at is not None
    assert case.time_entries.get().minutes == 30  # the statistics keep the time
    assert case.asker_type == "ouder"
    client.post("/vraag/terug/", code_data(code))
    assert client.get("/vraag/terug/gesprek/").status_code == 302


def test_staff_erase_on_request_by_phone_with_a_confirmation(medewerker):
    case, _ = ask("Telefoonverzoek")
    client = client_for(medewerker)
    client.post(reverse("steunen:case_erase", args=[case.pk]))
    assert Message.objects.filter(case=case).exists()
    client.post(reverse("steunen:case_erase", args=[case.pk]), {"confirm": "on"})
    assert not Message.objects.filter(case=case).exists()
    assert "Persoonsgegevens verwijderd" in client.get(reverse("steunen:case", args=[case.pk])).text


def test_staff_export_is_audited(medewerker, coordinator):
    case, _ = ask("Exporteren")
    response = client_for(medewerker).get(reverse("steunen:case_download", args=[case.pk]))
    assert "Exporteren" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.CASE_EXPORTED, actor=medewerker).exists()
    log = client_for(coordinator).get(reverse("steunen:case_audit", args=[case.pk])).text
    assert "gesprek gedownload" in log
    assert (
        client_for(medewerker).get(reverse("steunen:case_audit", args=[case.pk])).status_code == 403
    )


def test_vrijwilliger_and_bestuur_cannot_export(vrijwilliger, bestuur, coordinator):
    case, _ = ask()
    actions.assign(case=case, by=coordinator, assignee=vrijwilliger)
    # A volunteer gets none of staff's case pages, even where a case names them (404).
    assert (
        client_for(vrijwilliger).get(reverse("steunen:case_download", args=[case.pk])).status_code
        == 404
    )
    assert (
        client_for(bestuur).get(reverse("steunen:case_download", args=[case.pk])).status_code == 404
    )


def test_retention_erases_old_closed_cases_with_a_dry_run_first(medewerker, settings):
    settings.CASE_RETENTION_DAYS = 365
    old, _ = ask("Oud")
    recent, _ = ask("Recent")
    for case in (old, recent):
        actions.close(case=case, by=medewerker, outcome="informatie")
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    call_command("apply_retention", "--dry-run", stdout=None)
    assert Message.objects.filter(case=old).exists()
    call_command("apply_retention", stdout=None)
    assert not Message.objects.filter(case=old).exists()
    assert Message.objects.filter(case=recent).exists()
    assert Case.objects.get(pk=old.pk).outcome == "informatie"


def test_closing_invites_the_asker_to_evaluate_and_the_answer_is_kept(
    client, medewerker, django_capture_on_commit_callbacks
):
    case, code = ask(contact_preference="email", email="ouder@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        actions.close(case=case, by=medewerker, outcome="informatie")
    assert mail.outbox[-1].subject == "Hoe was onze hulp?"
    open_with(client, code)
    page = client.get(reverse("steunen:conversation")).text
    assert "Hoe was onze hulp?" in page
    response = client.post(
        reverse("steunen:evaluate"), {"listened": "9", "helped": "4", "recommend": "5"}
    )
    assert "Kies een cijfer van 1 tot 5." in response.text
    client.post(
        reverse("steunen:evaluate"),
        {"listened": "5", "helped": "4", "recommend": "5", "remark": "Fijn"},
    )
    evaluation = Evaluation.objects.get()
    assert (evaluation.listened, evaluation.helped, evaluation.recommend) == (5, 4, 5)
    client.post(reverse("steunen:evaluate"), {"listened": "1", "helped": "1", "recommend": "1"})
    assert Evaluation.objects.count() == 1


def test_erased_cases_keep_dates_only_by_week(medewerker):
    case, _ = ask()
    Case.objects.filter(pk=case.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 11, 19, 15, 42))
    )
    case.refresh_from_db()
    actions.send_answer(case=case, by=medewerker, body="antwoord")
    case.refresh_from_db()
    delta = case.first_response_at - case.created_at
    actions.erase_personal_data(case=case, reason="test")
    case.refresh_from_db()
    created = timezone.localtime(case.created_at)
    assert (created.weekday(), created.hour, created.minute) == (0, 12, 0)
    assert created.date().isoformat() == "2026-11-16"
    assert case.first_response_at - case.created_at == delta


def test_script_in_any_field_is_shown_harmless_to_staff(client, medewerker):
    script = '<script>alert("x")</script>'
    client.post(
        "/vraag/",
        {
            "submission_token": "xss",
            "puzzle": old_puzzle(),
            "asker_type": "ouder",
            "question": script,
            "name": script,
            "contact_preference": "telefoon",
            "phone": "0612345678",
            "phone_times": script,
        },
    )
    case = Case.objects.get()
    page = client_for(medewerker).get(reverse("steunen:case", args=[case.pk])).text
    assert script not in page
    assert page.count("&lt;script&gt;") >= 3


def test_retention_runs_as_a_background_task(medewerker, settings):
    from steunen.tasks import retention

    settings.CASE_RETENTION_DAYS = 1
    case, _ = ask("Oud genoeg")
    actions.close(case=case, by=medewerker, outcome="informatie")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=3))
    result = retention.enqueue()
    assert result.return_value == {"cases": 1}
    assert not Message.objects.filter(case=case).exists()
