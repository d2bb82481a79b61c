"""What holds a case together: one state machine, locked changes, safe merges, no late writes."""

import pytest
from django.test import Client
from django.urls import reverse

from steunen import actions, attachments
from steunen.models import (
    Attachment,
    Case,
    CaseMerge,
    CaseWorkflowError,
    EventKind,
    InternalNote,
    Message,
    Outcome,
    Sender,
    Status,
)
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name: str, case: Case, *more) -> str:
    return reverse(f"steunen:{name}", args=[case.pk, *more])


def conversation_of(code: str) -> str:
    asker = Client()
    return asker.post(reverse("steunen:return"), code_data(code), follow=True).text


# --- An erased or merged case takes nothing new -----------------------------------------


def test_after_the_asker_deleted_their_question_staff_can_add_no_answer_and_no_note(medewerker):
    case, _ = ask("Mijn zoon zit thuis.")
    actions.erase_personal_data(case=case, reason="op verzoek van de vrager")
    staff = client_for(medewerker)
    answered = staff.post(url("case_answer", case), {"answer-body": "Hier is ons antwoord."})
    noted = staff.post(url("case_note", case), {"note-body": "Nog bellen."}, follow=True)
    assert answered.status_code == 302
    assert "Er kan niets meer bij" in noted.text
    assert not Message.objects.filter(case=case).exists()
    assert not InternalNote.objects.filter(case=case).exists()


def test_a_merged_case_points_to_where_the_work_goes_on(medewerker):
    first, _ = ask("Eerste vraag")
    second, _ = ask("Tweede vraag")
    actions.merge(source=first, target=second, by=medewerker)
    with pytest.raises(CaseWorkflowError, match=second.reference):
        actions.add_note(case=first, by=medewerker, body="Te laat")


# --- One state machine ------------------------------------------------------------------


def test_status_moves_follow_the_state_machine(medewerker):
    case, _ = ask()
    with pytest.raises(CaseWorkflowError):
        actions.change_status(case=case, by=medewerker, status=Status.AFGEROND)
    with pytest.raises(CaseWorkflowError):
        actions.reopen(case=case, by=medewerker)
    actions.close(case=case, by=medewerker, outcome=Outcome.INFORMATIE)
    with pytest.raises(CaseWorkflowError):
        actions.close(case=case, by=medewerker, outcome=Outcome.INFORMATIE)
    actions.reopen(case=case, by=medewerker)
    assert Case.objects.get(pk=case.pk).status == Status.IN_BEHANDELING


def test_the_status_form_offers_only_moves_the_case_may_make(medewerker):
    case, _ = ask()
    actions.send_answer(case=case, by=medewerker, body="Antwoord")
    page = client_for(medewerker).get(url("case", case)).text
    status_select = page.split('name="status-status"', 1)[1].split("</select>", 1)[0]
    assert "wacht_op_vrager" in status_select and "in_behandeling" in status_select
    assert 'value="nieuw"' not in status_select


def test_a_change_from_a_stale_copy_never_undoes_another_change(medewerker):
    case, _ = ask()
    stale = Case.objects.get(pk=case.pk)  # an asker's request read the case here
    actions.set_urgent(case=case, by=medewerker, urgent=True)  # meanwhile, staff
    actions.assign(case=case, by=medewerker, assignee=medewerker)
    actions.reply_as_asker(case=stale, body="Nog een vraag")  # saves only what it changed
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.urgent and fresh.assignee == medewerker
    assert fresh.unanswered_reply


# --- Merging is safe ----------------------------------------------------------------


def test_merging_first_shows_both_questions_and_needs_a_statement(medewerker):
    first, first_code = ask("Vraag over de brugklas")
    second, second_code = ask("Vraag over het OPP")
    staff = client_for(medewerker)
    shown = staff.post(url("case_merge", first), {"merge-other": second.reference})
    assert shown.status_code == 200
    assert "Vraag over de brugklas" in shown.text and "Vraag over het OPP" in shown.text
    assert "dezelfde vrager" in shown.text
    assert Case.objects.get(pk=first.pk).merged_into is None
    # Viewing the other case to compare is a case view like any other.
    assert AuditEntry.objects.filter(
        action=AuditAction.CASE_VIEWED, object_id=str(second.pk)
    ).exists()
    # Pressing on without ticking the statement merges nothing.
    again = staff.post(
        url("case_merge", first), {"merge-other": second.reference, "stap": "bevestigen"}
    )
    assert "Vink aan dat het dezelfde vrager is" in again.text
    assert Case.objects.get(pk=first.pk).merged_into is None
    assert "Vraag over de brugklas" not in conversation_of(second_code)

    staff.post(
        url("case_merge", first),
        {"merge-other": second.reference, "stap": "bevestigen", "merge-same_asker": "on"},
    )
    assert Case.objects.get(pk=first.pk).merged_into == second
    assert AuditEntry.objects.filter(action=AuditAction.CASE_MERGED).exists()
    assert "Vraag over de brugklas" in conversation_of(first_code)


def test_files_move_with_a_merge_and_back_with_its_undo(medewerker, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path)
    first, _ = ask("Met een brief van school")
    second, _ = ask("Zonder bestand")
    attachment = attachments.store(first, ("pdf", PDF, ""))
    record = actions.merge(source=first, target=second, by=medewerker)
    assert Attachment.objects.get(pk=attachment.pk).case == second
    page = client_for(medewerker).get(url("case", second)).text
    assert attachment.token in page
    actions.undo_merge(record=record, by=medewerker)
    assert Attachment.objects.get(pk=attachment.pk).case == first


def test_a_merge_can_be_undone_until_the_asker_is_answered(medewerker):
    first, first_code = ask("Eerste vraag, van ouder A")
    second, second_code = ask("Tweede vraag, van ouder B")
    actions.set_urgent(case=first, by=medewerker, urgent=True)
    record = actions.merge(source=first, target=second, by=medewerker)
    assert Case.objects.get(pk=second.pk).urgent
    staff = client_for(medewerker)
    page = staff.get(url("case", second)).text
    assert "weer los" in page
    staff.post(url("case_merge_undo", second, record.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.merged_into is None and first.is_open and first.urgent
    assert not second.urgent
    assert list(second.messages.values_list("body", flat=True)) == ["Tweede vraag, van ouder B"]
    assert "Eerste vraag" not in conversation_of(second_code)
    assert "Tweede vraag" not in conversation_of(first_code)
    assert second.events.filter(kind=EventKind.MERGE_UNDONE).exists()
    assert CaseMerge.objects.get(pk=record.pk).undone_by == medewerker


def test_once_the_asker_is_answered_a_merge_stays(medewerker):
    first, _ = ask("Eerste vraag")
    second, _ = ask("Tweede vraag")
    record = actions.merge(source=first, target=second, by=medewerker)
    actions.send_answer(case=second, by=medewerker, body="Antwoord op beide")
    staff = client_for(medewerker)
    assert "weer los" not in staff.get(url("case", second)).text
    page = staff.post(url("case_merge_undo", second, record.pk), follow=True).text
    assert "kan niet meer terug" in page
    assert Case.objects.get(pk=first.pk).merged_into == second
    assert Message.objects.filter(case=second, sender=Sender.ASKER).count() == 2


def test_retention_also_erases_a_merged_case_and_erasing_twice_changes_nothing(medewerker):
    first, _ = ask("Eerste vraag")
    second, _ = ask("Tweede vraag")
    actions.merge(source=first, target=second, by=medewerker)
    actions.erase_personal_data(case=first, reason="bewaartermijn verlopen")
    erased = Case.objects.get(pk=first.pk)
    assert erased.erased_at is not None
    actions.erase_personal_data(case=first, reason="nog eens")
    assert Case.objects.get(pk=first.pk).erased_at == erased.erased_at


@pytest.mark.django_db(transaction=True)
def test_an_asker_reply_racing_a_staff_close_leaves_a_case_that_adds_up(medewerker):
    """Two requests at once on one case: each waits for the other's lock (PostgreSQL)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    case, _ = ask()
    actions.send_answer(case=case, by=medewerker, body="Antwoord")
    staff_copy, asker_copy = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    start = threading.Barrier(2)
    failures = []

    def run(act):
        try:
            start.wait()
            act()
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                lambda: actions.close(case=staff_copy, by=medewerker, outcome=Outcome.INFORMATIE),
            ),
        ),
        threading.Thread(
            target=run, args=(lambda: actions.reply_as_asker(case=asker_copy, body="Nog iets"),)
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    final = Case.objects.get(pk=case.pk)
    if final.status == Status.AFGEROND:  # the reply came first, then staff closed
        assert final.outcome and final.closed_at and not final.unanswered_reply
    else:  # staff closed first; the reply opened it again
        assert final.status == Status.IN_BEHANDELING
        assert final.unanswered_reply and not final.outcome and final.closed_at is None
    assert "Nog iets" in [m.body for m in Message.objects.filter(case=case)]


def test_a_note_of_a_colleague_who_left_still_shows_on_the_case_page(medewerker, coordinator):
    case, _ = ask()
    actions.add_note(case=case, by=coordinator, body="Overleg met school gepland.")
    coordinator.delete()
    page = client_for(medewerker).get(url("case", case))
    assert page.status_code == 200
    assert "Overleg met school gepland." in page.text


def test_an_erased_case_page_offers_no_answer_or_note_form(medewerker):
    case, _ = ask()
    actions.erase_personal_data(case=case, reason="op verzoek van de vrager")
    page = client_for(medewerker).get(url("case", case)).text
    assert "Er kan niets meer bij" in page
    assert 'name="answer-body"' not in page and 'name="note-body"' not in page
