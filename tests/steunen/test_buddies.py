"""Buddies as a service: an asker asks, the coordinator matches, the buddy accepts and
works alongside the behandelaar, seeing only what a buddy needs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from informeren.models import SwvGemeente, Thema
from steunen import actions, attachments, buddy_actions
from steunen.buddies import (
    BuddyProfile,
    BuddyWish,
    BuddyWishSource,
    CaseMember,
    MemberStatus,
    rank_buddies,
)
from steunen.models import AttachmentKind, Case, CaseEvent, EventKind, Message
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import SamenwerkingsverbandFactory, UserFactory
from tests.steunen.helpers import ask, code_data, form_data

pytestmark = pytest.mark.django_db

QUESTION = "Mijn zoon met autisme zit al zes weken thuis. Wie kan met mij meedenken?"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOTE = "Intern: moeder belde boos, eerst de leerplichtambtenaar bellen."


def case_url(name: str, case: Case, *args) -> str:
    return reverse(f"steunen:{name}", args=[case.pk, *args])


def volunteer(username: str, first_name: str, **profile) -> BuddyProfile:
    """A vrijwilliger in the pool with all paperwork on record, unless told otherwise."""
    user = UserFactory(
        username=username, first_name=first_name, last_name="", roles=[Role.VRIJWILLIGER]
    )
    today = timezone.localdate()
    defaults = {
        "agreement_on": today - timedelta(days=200),
        "trained_on": today - timedelta(days=150),
        "vog_on": today - timedelta(days=100),
    }
    themes = profile.pop("themes", [])
    buddy = BuddyProfile.objects.create(user=user, **(defaults | profile))
    buddy.themes.set(themes)
    return buddy


def code_of(response) -> str:
    return response.text.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()


def test_the_buddy_journey(medewerker, coordinator, django_capture_on_commit_callbacks):
    thuiszitten = Thema.objects.get(slug="niet-goed")
    ingrid = volunteer(
        "ingrid",
        "Ingrid",
        themes=[thuiszitten],
        school_types=["vo"],
        gemeenten=["Zwolle"],
        experience="Moeder van een zoon met autisme die een jaar thuiszat.",
    )
    volunteer("piet", "Piet")  # fits nothing in particular
    SwvGemeente.objects.create(
        gemeente="Zwolle", sector="vo", samenwerkingsverband=SamenwerkingsverbandFactory()
    )

    # The asker asks on the form, and ticks "ik wil graag een ervaringsouder of buddy".
    asker = Client()
    receipt = asker.post(
        reverse("steunen:ask"),
        form_data(
            question=QUESTION,
            themes=[thuiszitten.pk],
            school_type="vo",
            gemeente="Zwolle",
            buddy="on",
            contact_preference="telefoon",
            phone="0612345678",
        ),
    )
    code = code_of(receipt)
    case = Case.objects.get()
    assert case.buddy_wish.via == BuddyWishSource.FORM
    actions.assign(case=case, by=coordinator, assignee=medewerker)
    actions.add_note(case=case, by=medewerker, body=NOTE)
    actions.log_time(case=case, by=medewerker, minutes=25, activity="telefoon", on=date.today())

    # The coordinator sees the wish and the best fits, with why, on the case page.
    coordination = client_for(coordinator)
    page = coordination.get(case_url("case", case)).text
    assert "De vrager vraagt om een buddy" in page
    assert "Koppel een buddy" in page
    assert page.index("Nodig Ingrid uit als buddy") < page.index("Nodig Piet uit als buddy")
    assert "Ervaring met: " + thuiszitten.name in page
    assert "Actief in de gemeente Zwolle." in page
    match = coordination.get(case_url("case_buddy_match", case)).text
    assert "Moeder van een zoon met autisme" in match  # what she chose to share

    with django_capture_on_commit_callbacks(execute=True):
        coordination.post(case_url("case_buddy_invite", case), {"buddy": ingrid.pk})
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == [ingrid.user.email]
    assert case.reference not in invitation_mail.body and QUESTION not in invitation_mail.body
    member = CaseMember.objects.get(case=case)
    assert member.status == MemberStatus.INVITED

    # Until she accepts, Ingrid sees only the invitation: not the case.
    buddy = client_for(ingrid.user)
    assert buddy.get(case_url("case", case)).status_code == 404
    invitations = buddy.get(reverse("steunen:buddy_mine")).text
    assert case.reference in invitations
    assert QUESTION not in invitations
    accepted = buddy.post(reverse("steunen:buddy_answer", args=[member.pk]), {"antwoord": "ja"})
    assert accepted["Location"] == case_url("case", case)

    # Now she sees what a buddy needs, and nothing else.
    view = buddy.get(case_url("case", case)).text
    assert QUESTION in view
    assert "0612345678" in view  # the asker wants to be called
    assert NOTE not in view
    assert "25 min" not in view and "Tijd schrijven" not in view
    assert "notes-title" not in view  # no notes section at all

    # She works alongside the behandelaar, who stays the behandelaar.
    answer = actions.send_answer(case=case, by=medewerker, body="Ik bel u morgen.")
    staff_file = attachments.store(case, (AttachmentKind.PDF, PDF, ""), message=answer)
    assert staff_file.token not in buddy.get(case_url("case", case)).text  # no files for her
    buddy.post(
        reverse("steunen:buddy_message", args=[case.pk]),
        {"body": "Ik heb dat ook meegemaakt. Zullen we samen naar school gaan?"},
    )
    case.refresh_from_db()
    assert case.assignee == medewerker
    authors = list(Message.objects.filter(case=case).values_list("author__username", flat=True))
    assert authors == [None, medewerker.username, "ingrid"]

    # The asker reads both in their conversation.
    asker.post(reverse("steunen:return"), code_data(code))
    conversation = asker.get(reverse("steunen:conversation")).text
    assert "Ik bel u morgen." in conversation
    assert "Zullen we samen naar school gaan?" in conversation
    labels = [
        part.split("·")[0].strip() for part in conversation.split('class="conversation__meta">')[1:]
    ]
    assert labels == ["U", "Steunpunt", "Buddy"]
    # The asker answers: the behandelaar and the buddy both hear of it, without the text.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asker.post(reverse("steunen:conversation"), {"body": "Ja graag, donderdag kan ik."})
    to_buddy = [m for m in mail.outbox if m.to == [ingrid.user.email]]
    assert len(to_buddy) == 1
    assert "donderdag" not in to_buddy[0].body and case_url("case", case) in to_buddy[0].body

    # The timeline shows who did what.
    events = {
        (e.kind, e.actor.username if e.actor else None) for e in CaseEvent.objects.filter(case=case)
    }
    assert {
        (EventKind.BUDDY_WISHED, None),
        (EventKind.BUDDY_INVITED, coordinator.username),
        (EventKind.BUDDY_ACCEPTED, "ingrid"),
        (EventKind.BUDDY_MESSAGE, "ingrid"),
        (EventKind.MESSAGE_SENT, medewerker.username),
    } <= events
    timeline = client_for(medewerker).get(case_url("case", case)).text
    assert "Buddy doet mee" in timeline
    assert "Buddy (Ingrid)" in timeline  # her message, in the conversation
    assert staff_file.token in timeline  # staff see the file the buddy does not
    assert "Bericht van de buddy" in timeline
    assert "<strong>Buddy</strong>: Ingrid" in timeline
    assert "<strong>Behandelaar</strong>: " in timeline


def test_a_buddy_opening_a_case_they_are_not_on_gets_404_and_nothing_leaks(coordinator):
    ingrid, karel = volunteer("ingrid", "Ingrid"), volunteer("karel", "Karel")
    hers, _ = ask("Vraag voor Ingrid")
    other, _ = ask("Een vraag die Ingrid nooit mag zien")
    member = buddy_actions.invite_buddy(case=hers, by=coordinator, buddy=ingrid.user)
    buddy_actions.answer_invitation(member=member, by=ingrid.user, accept=True)
    karels = buddy_actions.invite_buddy(case=other, by=coordinator, buddy=karel.user)

    client = client_for(ingrid.user)
    assert client.get(case_url("case", hers)).status_code == 200
    for response in (
        client.get(case_url("case", other)),
        client.post(reverse("steunen:buddy_message", args=[other.pk]), {"body": "Hallo"}),
        client.post(case_url("case_answer", other), {"answer-body": "Hallo"}),
        client.post(case_url("case_note", other), {"note-body": "Hallo"}),
        # Someone else's invitation does not exist for her either.
        client.post(reverse("steunen:buddy_answer", args=[karels.pk]), {"antwoord": "ja"}),
    ):
        assert response.status_code == 404
        assert "nooit mag zien" not in response.text
    # Staff's pages of her own case are closed to her too: only the buddy's view.
    assert client.post(case_url("case_note", hers), {"note-body": "x"}).status_code == 404
    assert client.get(case_url("case_download", hers)).status_code == 404
    assert other.reference not in client.get(reverse("steunen:inbox")).text
    assert Message.objects.filter(case=other).count() == 1
    assert CaseMember.objects.get(pk=karels.pk).status == MemberStatus.INVITED


def test_a_buddy_whose_vog_expired_is_not_matchable_and_the_page_says_why(coordinator):
    today = timezone.localdate()
    expired = volunteer("oud", "Olga", vog_on=today - timedelta(days=3 * 365 + 10))
    unsigned = volunteer("nieuw", "Nina", agreement_on=None)
    case, _ = ask()

    reasons = expired.why_not_matchable()
    assert any("De VOG is ouder dan 3 jaar" in reason for reason in reasons)
    assert unsigned.why_not_matchable() == ["Er is geen getekende vrijwilligersovereenkomst."]
    assert [fit.matchable for fit in rank_buddies(case)] == [False, False]

    client = client_for(coordinator)
    page = client.get(case_url("case_buddy_match", case)).text
    assert "Kan nu niet gekoppeld worden" in page
    assert "De VOG is ouder dan 3 jaar" in page
    assert "Er is geen getekende vrijwilligersovereenkomst." in page
    assert "Nodig Olga uit" not in page
    refused = client.post(case_url("case_buddy_invite", case), {"buddy": expired.pk}, follow=True)
    assert "Olga kan nu niet gekoppeld worden" in refused.text
    assert not CaseMember.objects.exists()
    assert "De VOG is ouder dan 3 jaar" in client.get(reverse("steunen:buddy_pool")).text


def test_a_full_buddy_is_not_matchable_until_a_case_closes(coordinator):
    busy = volunteer("druk", "Dirk", max_cases=1)
    first, _ = ask()
    second, _ = ask()
    buddy_actions.invite_buddy(case=first, by=coordinator, buddy=busy.user)
    assert "Heeft al 1 vragen; maximaal 1 tegelijk." in busy.why_not_matchable()
    assert not rank_buddies(second)[0].matchable
    actions.close(case=first, by=coordinator, outcome="buddy")
    assert rank_buddies(second)[0].matchable


def test_the_best_fit_comes_first_and_says_why(coordinator):
    swv = SamenwerkingsverbandFactory()
    aanmelden = Thema.objects.get(slug="aanmelden")
    case, _ = ask(themes=[aanmelden], school_type="bao", gemeente="Kampen")
    case.samenwerkingsverband = swv
    case.save()
    far = volunteer("ver", "Vera")
    near = volunteer("dichtbij", "Dina", gemeenten=["Kampen"])
    swv_only = volunteer("regio", "Rik")
    swv_only.samenwerkingsverbanden.set([swv])
    best = volunteer("best", "Bea", themes=[aanmelden], school_types=["bao"], gemeenten=["Kampen"])
    fits = rank_buddies(case)
    assert [fit.profile for fit in fits] == [best, near, swv_only, far]
    assert fits[0].reasons[:3] == [
        f"Ervaring met: {aanmelden.name}.",
        "Kent het basisschool.",
        "Actief in de gemeente Kampen.",
    ]
    assert f"Actief in het samenwerkingsverband {swv.code}." in fits[2].reasons


def test_a_declined_invitation_leaves_the_case_closed_to_the_buddy(coordinator):
    ingrid = volunteer("ingrid", "Ingrid")
    case, _ = ask()
    member = buddy_actions.invite_buddy(case=case, by=coordinator, buddy=ingrid.user)
    client = client_for(ingrid.user)
    client.post(reverse("steunen:buddy_answer", args=[member.pk]), {"antwoord": "nee"})
    assert client.get(case_url("case", case)).status_code == 404
    assert CaseEvent.objects.filter(case=case, kind=EventKind.BUDDY_DECLINED).exists()
    # Answered once: a second answer changes nothing.
    again = client.post(
        reverse("steunen:buddy_answer", args=[member.pk]), {"antwoord": "ja"}, follow=True
    )
    assert "U hebt deze uitnodiging al beantwoord." in again.text
    assert client.get(case_url("case", case)).status_code == 404


def test_staff_add_and_remove_a_meelezer_and_the_coordinator_removes_a_buddy(
    medewerker, coordinator
):
    colleague = UserFactory(
        username="joost", first_name="Joost", last_name="", roles=[Role.MEDEWERKER]
    )
    ingrid = volunteer("ingrid", "Ingrid")
    case, _ = ask()
    staff = client_for(medewerker)
    staff.post(case_url("case_reader_add", case), {"reader-reader": colleague.pk})
    reader = CaseMember.objects.get(case=case, user=colleague)
    assert "<strong>Meelezer</strong>: Joost" in staff.get(case_url("case", case)).text
    # A volunteer is no meelezer.
    staff.post(case_url("case_reader_add", case), {"reader-reader": ingrid.user.pk})
    assert not CaseMember.objects.filter(user=ingrid.user).exists()
    staff.post(case_url("case_member_remove", case, reader.pk))
    assert not CaseMember.objects.filter(pk=reader.pk).exists()

    member = buddy_actions.invite_buddy(case=case, by=coordinator, buddy=ingrid.user)
    buddy_actions.answer_invitation(member=member, by=ingrid.user, accept=True)
    staff.post(case_url("case_member_remove", case, member.pk))
    assert CaseMember.objects.filter(pk=member.pk).exists()  # only the coordinator
    client_for(coordinator).post(case_url("case_member_remove", case, member.pk))
    assert client_for(ingrid.user).get(case_url("case", case)).status_code == 404
    details = list(
        CaseEvent.objects.filter(case=case, kind=EventKind.MEMBER_REMOVED).values_list(
            "detail", flat=True
        )
    )
    assert details == ["Meelezer: Joost", "Buddy: Ingrid"]


def test_three_visitors_each_ask_for_a_buddy(client):
    # Warm: the explanation page and the form once, as any visitor would.
    assert "Een buddy" in client.get(reverse("steunen:buddy_info")).text
    client.get(reverse("steunen:ask"))
    codes = []
    for n in range(3):
        visitor = Client()
        info = visitor.get(reverse("steunen:buddy_info")).text
        assert "Hoe vraagt u om een buddy?" in info
        form = visitor.get(reverse("steunen:ask") + "?buddy=1").text
        assert 'name="buddy"' in form and "checked" in form.split('name="buddy"')[1][:80]
        receipt = visitor.post(
            reverse("steunen:ask"),
            form_data(question=f"Vraag van ouder {n}", submission_token=f"buddy-{n}", buddy="on"),
        )
        codes.append(code_of(receipt))
    assert BuddyWish.objects.count() == 3
    for n, code in enumerate(codes):
        visitor = Client()
        visitor.post(reverse("steunen:return"), code_data(code))
        page = visitor.get(reverse("steunen:conversation")).text
        assert f"Vraag van ouder {n}" in page
        assert "U heeft om een buddy gevraagd." in page
        assert all(f"Vraag van ouder {m}" not in page for m in range(3) if m != n)


def test_three_askers_ask_for_a_buddy_from_their_conversation():
    cases = []
    for n in range(3):
        case, code = ask(f"Eerst zonder buddy {n}")
        visitor = Client()
        visitor.post(reverse("steunen:return"), code_data(code))
        before = visitor.get(reverse("steunen:conversation")).text
        assert "Ik wil graag een ervaringsouder of buddy" in before
        after = visitor.post(reverse("steunen:asker_buddy"), follow=True).text
        assert "Wij hebben uw vraag om een buddy genoteerd." in after
        assert "U heeft om een buddy gevraagd." in after
        again = visitor.post(reverse("steunen:asker_buddy"), follow=True).text
        assert "U had al om een buddy gevraagd." in again
        cases.append(case)
    wishes = BuddyWish.objects.order_by("case_id")
    assert [w.case_id for w in wishes] == [c.pk for c in cases]
    assert {w.via for w in wishes} == {BuddyWishSource.CONVERSATION}
    # Without a code: to the code form, nothing recorded.
    assert Client().post(reverse("steunen:asker_buddy"))["Location"] == reverse("steunen:return")
    assert BuddyWish.objects.count() == 3


def test_a_youth_is_asked_with_je():
    _case, code = ask("Ik wil niet meer naar school.", asker_type="jongere")
    visitor = Client()
    visitor.post(reverse("steunen:return"), code_data(code))
    page = visitor.get(reverse("steunen:conversation")).text
    assert "Ik wil graag een buddy" in page
    assert "wat jij nu meemaakt" in page
    after = visitor.post(reverse("steunen:asker_buddy"), follow=True).text
    assert "Je hebt om een buddy gevraagd." in after
    form = Client().get(reverse("steunen:ask") + "?voor=jongere").text
    assert "Ik wil graag een buddy" in form


def test_the_home_page_leads_to_the_buddy_page(client):
    home = client.get(reverse("home")).text
    assert reverse("steunen:buddy_info") in home


def test_the_coordinator_keeps_the_pool_and_bad_input_keeps_what_was_typed(coordinator):
    SwvGemeente.objects.create(
        gemeente="Zwolle", sector="vo", samenwerkingsverband=SamenwerkingsverbandFactory()
    )
    user = UserFactory(
        username="fatima", first_name="Fatima", last_name="", roles=[Role.VRIJWILLIGER]
    )
    client = client_for(coordinator)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    typed = {
        "user": user.pk,
        "agreement_on": "2026-03-01",
        "trained_on": "2026-03-15",
        "vog_on": tomorrow,
        "gemeenten": ["Zwolle"],
        "school_types": ["vo"],
        "experience": "Dochter met dyslexie, ervaring met een OPP-gesprek.",
        "availability": "Woensdagmiddag",
        "max_cases": "0",
        "available": "on",
    }
    page = client.post(reverse("steunen:buddy_profile_new"), typed)
    assert page.status_code == 200
    assert "Deze datum ligt in de toekomst." in page.text
    assert "Kies een aantal van 1 tot 20." in page.text
    assert "Dochter met dyslexie" in page.text and "Woensdagmiddag" in page.text
    assert not BuddyProfile.objects.exists()

    saved = client.post(
        reverse("steunen:buddy_profile_new"), typed | {"vog_on": "2026-03-20", "max_cases": "2"}
    )
    assert saved["Location"] == reverse("steunen:buddy_pool")
    profile = BuddyProfile.objects.get()
    assert profile.gemeenten == ["Zwolle"] and profile.school_types == ["vo"]
    assert profile.why_not_matchable() == []
    pool = client.get(reverse("steunen:buddy_pool")).text
    assert "Fatima" in pool and "Kan gekoppeld worden" in pool
    # The experience she shared is encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT experience FROM steunen_buddyprofile")
        assert "dyslexie" not in cursor.fetchone()[0]
    # Someone without the vrijwilliger role cannot be put in the pool.
    outsider = UserFactory(username="buiten", roles=[Role.REDACTEUR])
    refused = client.post(reverse("steunen:buddy_profile_new"), typed | {"user": outsider.pk})
    assert "Kies een vrijwilliger uit de lijst." in refused.text


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "A buddy: someone who has been through it themselves"),
        ("ar", "الرفيق الداعم: شخص مرّ بالتجربة بنفسه"),
        ("tr", "Buddy: bunu kendisi de yaşamış biri"),
        ("pl", "Buddy: ktoś, kto sam to przeżył"),
        ("uk", "Бадді: людина, яка сама це пережила"),
    ],
)
def test_the_buddy_page_speaks_every_language(client, language, title):
    page = client.get(f"/{language}{reverse('steunen:buddy_info')}").text
    assert title in page
    assert "Een buddy: iemand die het zelf heeft meegemaakt" not in page


def test_the_pool_lists_the_questions_still_waiting_for_a_buddy(medewerker, coordinator):
    ingrid, karel = volunteer("ingrid", "Ingrid"), volunteer("karel", "Karel")
    matched, _ = ask()
    pending, _ = ask()
    never, _ = ask()
    for case in (matched, pending):
        buddy_actions.wish_buddy(case=case, via=BuddyWishSource.FORM)
    member = buddy_actions.invite_buddy(case=matched, by=coordinator, buddy=ingrid.user)
    buddy_actions.answer_invitation(member=member, by=ingrid.user, accept=True)
    # Invited, not yet accepted, with a colleague reading along: still waiting.
    buddy_actions.invite_buddy(case=pending, by=coordinator, buddy=karel.user)
    buddy_actions.add_reader(case=pending, by=coordinator, reader=medewerker)
    page = client_for(coordinator).get(reverse("steunen:buddy_pool")).text
    waiting = page.split("Vragen die om een buddy vragen")[1].split("<h2>")[0]
    assert pending.reference in waiting
    assert matched.reference not in waiting and never.reference not in waiting
    assert "1 van 2" in page  # Ingrid's and Karel's load


def test_a_buddy_writing_on_an_emailed_question_reaches_the_asker_by_mail(
    django_capture_on_commit_callbacks,
):
    case, _ = ask(
        "Per e-mail: wie gaat mee naar het gesprek op school?", email="ouder@voorbeeld.nl"
    )
    Case.objects.filter(pk=case.pk).update(channel="email")
    ingrid = volunteer("ingrid", "Ingrid").user
    CaseMember.objects.create(case=case, user=ingrid, role="buddy", status=MemberStatus.ACCEPTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        buddy_actions.send_buddy_message(
            case=case, by=ingrid, body="Ik ga graag met u mee naar school."
        )
    (sent,) = mail.outbox
    assert sent.to == ["ouder@voorbeeld.nl"]
    assert sent.subject.startswith("Bericht van uw buddy")
    assert "Ik ga graag met u mee naar school." in sent.body
    assert "Ingrid" not in sent.body  # a buddy is 'Buddy' to the asker, as on the website


def test_a_buddys_inbox_shows_nothing_of_the_back_office(medewerker, coordinator):
    from steunen import backoffice_actions

    case, _ = ask("Wie gaat mee naar school?")
    backoffice_actions.escalate(case=case, by=medewerker, reason="Lastige school, graag meekijken.")
    backoffice_actions.ask_advice(
        case=case, by=medewerker, question="Hoe zit het met vervoer?", consultee=coordinator
    )
    ingrid = volunteer("ingrid", "Ingrid").user
    CaseMember.objects.create(case=case, user=ingrid, role="buddy", status=MemberStatus.ACCEPTED)
    calm, _ = ask("Een rustige vraag.")
    CaseMember.objects.create(case=calm, user=ingrid, role="buddy", status=MemberStatus.ACCEPTED)
    inbox = reverse("steunen:inbox")
    staff_view = client_for(medewerker).get(inbox).text
    assert "Bij de coördinator" in staff_view and "Advies gevraagd" in staff_view
    buddy = client_for(ingrid)
    buddy_view = buddy.get(inbox).text
    assert case.reference in buddy_view
    assert "Bij de coördinator" not in buddy_view and "Advies gevraagd" not in buddy_view
    # Nor can she filter on it: the filter is ignored, her cases all show.
    filtered = buddy.get(inbox + "?soort=coordinator").text
    assert case.reference in filtered and calm.reference in filtered
