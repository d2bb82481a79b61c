"""Every way staff read a case leaves a line in the audit log."""

import pytest
from django.urls import reverse

from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db


def views_of(case) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(object_type="steunen.case", object_id=str(case.pk))
        .order_by("seq")
        .values_list("action", "actor_username")
    )


def test_opening_the_case_page_is_audited(medewerker):
    case, _ = ask("Mijn zoon wordt gepest")
    client_for(medewerker).get(reverse("steunen:case", args=[case.pk]))
    assert views_of(case) == [(AuditAction.CASE_VIEWED, "sanne")]


def test_downloading_the_conversation_is_audited(medewerker):
    case, _ = ask("Mijn zoon wordt gepest")
    response = client_for(medewerker).get(reverse("steunen:case_download", args=[case.pk]))
    assert "Mijn zoon wordt gepest" in response.text
    assert views_of(case) == [(AuditAction.CASE_EXPORTED, "sanne")]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_invalid_post_to_a_case_action_shows_the_case_and_is_audited(medewerker, htmx):
    case, _ = ask("Mijn zoon wordt gepest")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(medewerker).post(
        reverse("steunen:case_time", args=[case.pk]),
        {"time-minutes": "", "time-activity": "gesprek"},
        headers=headers,
    )
    assert response.status_code == (422 if htmx else 200)
    assert "Mijn zoon wordt gepest" in response.text  # the whole case came back
    assert views_of(case) == [(AuditAction.CASE_VIEWED, "sanne")]


def test_the_case_shown_again_after_an_htmx_action_is_audited(medewerker):
    case, _ = ask("Mijn zoon wordt gepest")
    response = client_for(medewerker).post(
        reverse("steunen:case_note", args=[case.pk]),
        {"note-body": "Teruggebeld"},
        headers={"HX-Request": "true"},
    )
    assert "Mijn zoon wordt gepest" in response.text
    assert views_of(case) == [(AuditAction.CASE_VIEWED, "sanne")]


def test_an_invalid_merge_and_the_side_by_side_check_are_audited(medewerker):
    case, _ = ask("Mijn zoon wordt gepest")
    other, _ = ask("Nog een vraag over pesten")
    staff = client_for(medewerker)
    merge = reverse("steunen:case_merge", args=[case.pk])
    response = staff.post(merge, {"merge-other": "V99999"})
    assert "Mijn zoon wordt gepest" in response.text
    assert views_of(case) == [(AuditAction.CASE_VIEWED, "sanne")]
    response = staff.post(merge, {"merge-other": other.reference})
    assert "Nog een vraag over pesten" in response.text
    assert views_of(case)[-1] == (AuditAction.CASE_VIEWED, "sanne")
    assert views_of(other) == [(AuditAction.CASE_VIEWED, "sanne")]
    assert len(views_of(case)) == 2
