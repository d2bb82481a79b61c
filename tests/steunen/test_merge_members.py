"""A merged case takes its buddy and meelezers along to the case that lives on.

Nobody is put on the surviving case twice; the timeline says who came along (and
who was on it already); undoing the merge takes them back.
"""

import pytest
from django.urls import reverse

from steunen import actions, buddy_actions
from steunen.buddies import BuddyWish, BuddyWishSource, CaseMember, MemberRole, MemberStatus
from steunen.models import CaseEvent, EventKind
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.steunen.helpers import ask
from tests.steunen.test_buddies import volunteer

pytestmark = pytest.mark.django_db


def with_buddy(case, coordinator, username="ingrid", first_name="Ingrid"):
    buddy = volunteer(username, first_name).user
    member = buddy_actions.invite_buddy(case=case, by=coordinator, buddy=buddy)
    buddy_actions.answer_invitation(member=member, by=buddy, accept=True)
    return buddy


def colleague(username: str, first_name: str):
    return UserFactory(
        username=username, first_name=first_name, last_name="", roles=[Role.MEDEWERKER]
    )


def people(case) -> list[tuple[str, str, str]]:
    return sorted(
        CaseMember.objects.filter(case=case).values_list("user__username", "role", "status")
    )


def test_the_buddy_and_the_meelezer_go_along_and_the_buddy_opens_the_merged_case(
    medewerker, coordinator
):
    source, _ = ask("Mijn zoon zit al weken thuis.")
    target, _ = ask("Nog een vraag over mijn zoon, van dezelfde moeder.")
    buddy = with_buddy(source, coordinator)
    anna = colleague("anna", "Anna")
    buddy_actions.add_reader(case=source, by=medewerker, reader=anna)

    actions.merge(source=source, target=target, by=medewerker)

    assert people(target) == [
        ("anna", MemberRole.MEELEZER, MemberStatus.ACCEPTED),
        ("ingrid", MemberRole.BUDDY, MemberStatus.ACCEPTED),
    ]
    assert people(source) == []
    event = CaseEvent.objects.filter(case=target, kind=EventKind.MEMBER_ADDED).last()
    assert event.actor == medewerker
    assert f"mee van {source.reference}" in event.detail
    assert "buddy Ingrid" in event.detail and "meelezer Anna" in event.detail
    assert AuditEntry.objects.filter(
        action=AuditAction.CASE_MERGED, object_id=str(target.pk)
    ).exists()
    # The buddy now works on the case that lives on (the merged one is gone for everyone).
    buddy_client = client_for(buddy)
    page = buddy_client.get(reverse("steunen:case", args=[target.pk]))
    assert page.status_code == 200
    assert "Nog een vraag over mijn zoon" in page.text
    assert buddy_client.get(reverse("steunen:case", args=[source.pk])).status_code == 404
    # Staff see them on the case page, with the timeline line.
    staff_page = client_for(coordinator).get(reverse("steunen:case", args=[target.pk])).text
    assert "Ingrid" in staff_page and "Anna" in staff_page
    assert f"mee van {source.reference}" in staff_page


def test_whoever_is_on_the_surviving_case_already_is_not_added_twice(medewerker, coordinator):
    source, _ = ask()
    target, _ = ask()
    anna = colleague("anna", "Anna")
    bram = colleague("bram", "Bram")
    actions.assign(case=target, by=medewerker, assignee=bram)
    buddy_actions.add_reader(case=source, by=medewerker, reader=anna)
    buddy_actions.add_reader(case=target, by=medewerker, reader=anna)
    buddy_actions.add_reader(case=source, by=medewerker, reader=bram)  # the target's behandelaar

    actions.merge(source=source, target=target, by=medewerker)

    assert people(target) == [("anna", MemberRole.MEELEZER, MemberStatus.ACCEPTED)]
    assert CaseMember.objects.filter(user=anna).count() == 2  # one left with the merged case
    event = CaseEvent.objects.filter(case=target, kind=EventKind.MEMBER_ADDED).last()
    assert "stond er al op: Anna, Bram" in event.detail


def test_undoing_the_merge_takes_the_people_and_the_wish_back(medewerker, coordinator):
    source, _ = ask()
    target, _ = ask()
    buddy_actions.wish_buddy(case=source, via=BuddyWishSource.FORM)
    buddy = with_buddy(source, coordinator)
    record = actions.merge(source=source, target=target, by=medewerker)
    assert BuddyWish.objects.get().case == target

    actions.undo_merge(record=record, by=medewerker)

    assert people(source) == [("ingrid", MemberRole.BUDDY, MemberStatus.ACCEPTED)]
    assert people(target) == []
    assert BuddyWish.objects.get().case == source
    event = CaseEvent.objects.filter(case=target, kind=EventKind.MEMBER_REMOVED).last()
    assert f"terug naar {source.reference}: buddy Ingrid" in event.detail
    assert client_for(buddy).get(reverse("steunen:case", args=[source.pk])).status_code == 200
    assert client_for(buddy).get(reverse("steunen:case", args=[target.pk])).status_code == 404


def test_a_wish_stays_behind_when_the_surviving_case_has_one_already(medewerker):
    source, _ = ask()
    target, _ = ask()
    buddy_actions.wish_buddy(case=source, via=BuddyWishSource.FORM)
    buddy_actions.wish_buddy(case=target, via=BuddyWishSource.CONVERSATION)
    record = actions.merge(source=source, target=target, by=medewerker)
    assert BuddyWish.objects.get(case=target).via == BuddyWishSource.CONVERSATION
    assert record.moved["buddywish"] == []
    actions.undo_merge(record=record, by=medewerker)
    assert BuddyWish.objects.filter(case=source).exists()
