"""A buddy who works on the merged question keeps it, even if they once said no to the other.

The coordinator asked the same volunteer for both questions of one asker; they
declined one and are the buddy on the other. Merging the one they work on into
the one they declined must not leave them outside the merged case, and undoing
the merge gives each case back its own row.
"""

import pytest

from steunen import actions, buddy_actions
from steunen.buddies import CaseMember, MemberRole, MemberStatus
from steunen.models import Case
from tests.steunen.helpers import ask
from tests.steunen.test_buddies import volunteer

pytestmark = pytest.mark.django_db


def status_of(case, user) -> tuple[str, str]:
    member = CaseMember.objects.get(case=case, user=user)
    return member.role, member.status


def test_the_active_buddy_stays_on_the_merged_case_and_undo_gives_it_back(medewerker, coordinator):
    source, _ = ask("Mijn zoon zit al weken thuis.")
    target, _ = ask("Nog een vraag over mijn zoon, van dezelfde moeder.")
    buddy = volunteer("ingrid", "Ingrid").user
    declined = buddy_actions.invite_buddy(case=target, by=coordinator, buddy=buddy)
    buddy_actions.answer_invitation(member=declined, by=buddy, accept=False)
    working = buddy_actions.invite_buddy(case=source, by=coordinator, buddy=buddy)
    buddy_actions.answer_invitation(member=working, by=buddy, accept=True)

    record = actions.merge(source=source, target=target, by=medewerker)

    assert status_of(target, buddy) == (MemberRole.BUDDY, MemberStatus.ACCEPTED)
    assert Case.objects.visible_to(buddy).filter(pk=target.pk).exists()
    assert CaseMember.objects.filter(user=buddy).count() == 2  # nobody doubled, nothing lost

    actions.undo_merge(record=record, by=medewerker)

    assert status_of(source, buddy) == (MemberRole.BUDDY, MemberStatus.ACCEPTED)
    assert status_of(target, buddy) == (MemberRole.BUDDY, MemberStatus.DECLINED)
