"""The demo region has a buddy pool, and the demo's vrijwilliger is buddy on a case."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from steunen.buddies import BuddyProfile, BuddyWish, CaseMember, MemberStatus
from steunen.models import Case
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pool_with_reasons_and_a_buddy_at_work():
    call_command("load_demo", force=True, stdout=StringIO())
    call_command("load_demo", force=True, stdout=StringIO())  # twice: nothing doubles
    pool = {p.user.username: p for p in BuddyProfile.objects.with_load().select_related("user")}
    assert len(pool) == 5
    assert pool["vrijwilliger"].why_not_matchable() == []
    assert any("De VOG is ouder dan 3 jaar" in r for r in pool["buddy-tessa"].why_not_matchable())
    assert pool["buddy-henk"].why_not_matchable() == ["Staat op: niet beschikbaar."]
    assert BuddyWish.objects.count() == 4
    ingrid = pool["vrijwilliger"].user
    statuses = sorted(CaseMember.objects.filter(user=ingrid).values_list("status", flat=True))
    assert statuses == [MemberStatus.ACCEPTED, MemberStatus.INVITED]
    # No buddy is anyone's behandelaar.
    assert not Case.objects.filter(assignee__groups__name="vrijwilliger").exists()
    mine = client_for(ingrid).get(reverse("steunen:buddy_mine")).text
    assert "Ja, ik doe mee" in mine
