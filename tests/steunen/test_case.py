"""Staff handle a question as a case; every change lands on the timeline."""

import pytest
from django.urls import reverse

from informeren.models import Thema
from steunen import actions
from steunen.models import Case, CaseEvent, EventKind, InternalNote, Message, Status
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import OrganisatieFactory, UserFactory
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db


def url(name: str, case: Case) -> str:
    return reverse(f"steunen:{name}", args=[case.pk])


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_medewerker_opens_a_case_and_the_view_is_audited(medewerker):
    case, _ = ask("Waar kan ik terecht?")
    response = client_for(medewerker).get(url("case", case))
    assert response.status_code == 200
    assert "Waar kan ik terecht?" in response.text
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (
        medewerker,
        AuditAction.CASE_VIEWED,
        str(case.pk),
    )
    assert "Waar kan ik" not in str(AuditEntry.objects.values().get())


def test_answer_is_sent_and_recorded(medewerker):
    case, _ = ask()
    client = client_for(medewerker)
    response = client.post(url("case_answer", case), {"answer-body": "Dit kunt u doen."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.first_response_at is not None
    assert case.status == Status.WACHT_OP_VRAGER
    assert case.messages.last().body == "Dit kunt u doen."
    assert EventKind.MESSAGE_SENT in kinds(case)


def test_answer_via_htmx_returns_the_updated_case_fragment(medewerker):
    case, _ = ask()
    response = client_for(medewerker).post(
        url("case_answer", case),
        {"answer-body": "Antwoord via htmx"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="case"')
    assert "Antwoord via htmx" in response.text
    assert "<html" not in response.text


def test_empty_answer_keeps_the_page_and_says_why(medewerker):
    case, _ = ask()
    response = client_for(medewerker).post(url("case_answer", case), {"answer-body": ""})
    assert response.status_code == 200
    assert "Schrijf eerst een antwoord." in response.text
    assert case.messages.count() == 1


def test_internal_note_is_kept_apart_from_the_conversation(medewerker):
    case, _ = ask()
    client_for(medewerker).post(url("case_note", case), {"note-body": "Alleen voor ons"})
    assert InternalNote.objects.get(case=case).body == "Alleen voor ons"
    assert not Message.objects.filter(body="Alleen voor ons").exists()
    assert EventKind.NOTE_ADDED in kinds(case)


@pytest.mark.parametrize("status", [Status.IN_BEHANDELING, Status.WACHT_OP_VRAGER, Status.NIEUW])
def test_every_status_change_is_on_the_timeline(medewerker, status):
    case, _ = ask()
    if status == Status.NIEUW:
        actions.change_status(case=case, by=medewerker, status=Status.IN_BEHANDELING)
    client_for(medewerker).post(url("case_status", case), {"status-status": status})
    case.refresh_from_db()
    assert case.status == status
    event = CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED).last()
    assert event.actor == medewerker
    assert str(Status(status).label) in event.detail


def test_closing_needs_an_outcome(medewerker):
    case, _ = ask()
    client = client_for(medewerker)
    response = client.post(url("case_close", case), {"close-outcome": ""})
    assert "Kies een uitkomst" in response.text
    client.post(
        url("case_close", case), {"close-outcome": "terug_naar_school", "close-confirm": "on"}
    )
    case.refresh_from_db()
    assert case.status == Status.AFGEROND
    assert case.outcome == "terug_naar_school"
    assert case.closed_at is not None
    assert EventKind.CLOSED in kinds(case)


def test_reopening_a_closed_case(medewerker):
    case, _ = ask()
    actions.close(case=case, by=medewerker, outcome="informatie")
    client_for(medewerker).post(url("case_reopen", case))
    case.refresh_from_db()
    assert case.status == Status.IN_BEHANDELING
    assert EventKind.REOPENED in kinds(case)


def test_staff_correct_the_themes(medewerker):
    case, _ = ask(themes=Thema.objects.filter(slug="aanmelden"))
    new = Thema.objects.filter(slug__in=["ondersteuning", "rechten"])
    client_for(medewerker).post(url("case_themes", case), {"themes-themes": [t.pk for t in new]})
    assert set(case.themes.values_list("slug", flat=True)) == {"ondersteuning", "rechten"}
    assert EventKind.THEMES_CHANGED in kinds(case)


def test_time_is_logged_in_minutes_with_an_activity(medewerker):
    case, _ = ask()
    client = client_for(medewerker)
    client.post(
        url("case_time", case),
        {"time-minutes": "45", "time-activity": "meegaan", "time-date": "2026-11-20"},
    )
    entry = case.time_entries.get()
    assert (entry.minutes, entry.activity) == (45, "meegaan")
    response = client.post(
        url("case_time", case),
        {"time-minutes": "-5", "time-activity": "gesprek", "time-date": "2026-11-20"},
    )
    assert "Vul minstens 1 minuut in." in response.text
    response = client.post(
        url("case_time", case),
        {"time-minutes": "veel", "time-activity": "gesprek", "time-date": "morgen"},
    )
    assert "Vul een heel getal in" in response.text
    assert "Vul een geldige datum in." in response.text
    assert case.time_entries.count() == 1


def test_referral_to_an_organisation(medewerker):
    case, _ = ask()
    organisatie = OrganisatieFactory(name="Onderwijsconsulenten")
    client_for(medewerker).post(
        url("case_referral", case),
        {"referral-organisatie": organisatie.pk, "referral-consent": "anoniem"},
    )
    assert case.referrals.get().organisatie == organisatie
    assert (
        CaseEvent.objects.get(case=case, kind=EventKind.REFERRED).detail == "Onderwijsconsulenten"
    )


def test_a_volunteer_is_never_the_behandelaar(medewerker, coordinator, vrijwilliger):
    # A buddy works alongside the behandelaar (tests/steunen/test_buddies.py), never instead.
    case, _ = ask()
    for staff in (medewerker, coordinator):
        response = client_for(staff).post(
            url("case_assign", case), {"assign-assignee": vrijwilliger.pk}
        )
        assert "Kies een behandelaar uit de lijst." in response.text
    case.refresh_from_db()
    assert case.assignee is None
    assert EventKind.ASSIGNED not in kinds(case)


def _buddy_on(case, vrijwilliger, coordinator):
    from datetime import date

    from steunen import buddy_actions
    from steunen.buddies import BuddyProfile

    BuddyProfile.objects.get_or_create(
        user=vrijwilliger,
        defaults={"agreement_on": date.today(), "trained_on": date.today(), "vog_on": date.today()},
    )
    member = buddy_actions.invite_buddy(case=case, by=coordinator, buddy=vrijwilliger)
    buddy_actions.answer_invitation(member=member, by=vrijwilliger, accept=True)


def test_vrijwilliger_sees_only_cases_they_are_buddy_on(vrijwilliger, coordinator):
    mine, _ = ask("Voor de buddy")
    other, _ = ask("Niet voor de buddy")
    _buddy_on(mine, vrijwilliger, coordinator)
    client = client_for(vrijwilliger)
    # The coordinator looks first: what the inbox kept for them stays theirs.
    assert other.reference in client_for(coordinator).get(reverse("steunen:inbox")).text
    assert client.get(url("case", mine)).status_code == 200
    assert client.get(url("case", other)).status_code == 404
    inbox = client.get(reverse("steunen:inbox")).text
    assert mine.reference in inbox
    assert other.reference not in inbox


def test_vrijwilliger_writes_as_buddy_but_gets_none_of_staffs_actions(vrijwilliger, coordinator):
    case, _ = ask()
    _buddy_on(case, vrijwilliger, coordinator)
    client = client_for(vrijwilliger)
    client.post(reverse("steunen:buddy_message", args=[case.pk]), {"body": "Ik ken dat."})
    assert case.messages.count() == 2
    assert client.post(url("case_answer", case), {"answer-body": "x"}).status_code == 404
    assert client.post(url("case_close", case), {"close-outcome": "buddy"}).status_code == 404


@pytest.mark.parametrize("who", ["bestuur", "redacteur", "validator", "outsider"])
def test_others_cannot_open_any_case(request, who):
    user = request.getfixturevalue(who)
    case, _ = ask()
    client = client_for(user)
    assert client.get(url("case", case)).status_code == 404
    assert client.post(url("case_answer", case), {"answer-body": "x"}).status_code == 404
    assert AuditEntry.objects.count() == 0


def test_visitor_is_sent_to_login_for_a_case(client):
    case, _ = ask()
    response = client.get(url("case", case))
    assert response.status_code == 302
    assert reverse("account:login") in response["Location"]


def test_merging_keeps_both_conversations_and_records_it(medewerker):
    first, _ = ask("Vraag een")
    second, _ = ask("Vraag twee")
    client_for(medewerker).post(
        url("case_merge", first), {"merge-other": second.reference, "merge-same_asker": "on"}
    )
    first.refresh_from_db()
    assert first.merged_into == second
    bodies = list(second.messages.values_list("body", flat=True))
    assert bodies == ["Vraag een", "Vraag twee"]
    assert CaseEvent.objects.filter(case=second, kind=EventKind.MERGED).exists()


def test_a_case_cannot_merge_with_itself_or_an_unknown_one(medewerker):
    case, _ = ask()
    client = client_for(medewerker)
    assert (
        "niet met zichzelf"
        in client.post(url("case_merge", case), {"merge-other": case.reference}).text
    )
    assert "bestaat niet" in client.post(url("case_merge", case), {"merge-other": "V99999"}).text
    assert (
        "bestaat niet" in client.post(url("case_merge", case), {"merge-other": "drop table"}).text
    )


def test_canned_answer_is_inserted_into_the_answer_form(medewerker):
    from steunen.models import CannedAnswer

    canned = CannedAnswer.objects.create(title="Klachtroute", body="Eerst praten met school.")
    case, _ = ask()
    response = client_for(medewerker).get(
        url("case", case), {"standaardantwoord": canned.pk}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<div id="answer-form"')
    assert "Eerst praten met school." in response.text


def test_staff_enter_a_phone_question(medewerker):
    client = client_for(medewerker)
    response = client.post(
        reverse("steunen:new_case"),
        {
            "channel": "telefoon",
            "asker_type": "ouder",
            "question": "Belde over schorsing",
            "contact_preference": "telefoon",
            "phone": "0612345678",
        },
    )
    assert response.status_code == 200
    assert "Code voor de vrager" in response.text
    case = Case.objects.get()
    assert case.channel == "telefoon"
    assert case.assignee == medewerker
    assert case.first_response_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.CASE_CREATED_BY_STAFF).exists()


def test_vrijwilliger_cannot_enter_questions(vrijwilliger):
    assert client_for(vrijwilliger).get(reverse("steunen:new_case")).status_code == 403


def test_canned_answers_are_managed_by_staff(medewerker):
    client = client_for(medewerker)
    response = client.post(reverse("steunen:canned_answer_new"), {"title": "", "body": ""})
    assert "Geef het standaardantwoord een titel." in response.text
    client.post(reverse("steunen:canned_answer_new"), {"title": "Welkom", "body": "Hallo"})
    assert "Welkom" in client.get(reverse("steunen:canned_answers")).text


def test_a_board_member_never_opens_a_case_even_with_a_staff_role(db):
    # Independence: someone who sits on the SWV board may not read questions.
    user = UserFactory(roles=[Role.BESTUUR, Role.MEDEWERKER])
    case, _ = ask()
    client = client_for(user)
    assert client.get(url("case", case)).status_code == 404
    assert client.get(reverse("steunen:inbox")).status_code == 403
