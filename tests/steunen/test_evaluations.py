"""Evaluations: an unhappy rating can reopen the case; the coordinator reads the remarks."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steunen import actions
from steunen.models import AskerType, Case, CaseEvent, Evaluation, EventKind, Status
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db

EVALUATE = "/vraag/terug/beoordeling/"
REOPEN = "/vraag/terug/beoordeling/opnieuw/"
REMARKS = "/medewerkers/beoordelingen/"
LOOK_AGAIN = "Wilt u dat we opnieuw naar uw vraag kijken?"


def closed_case(by, **kwargs) -> tuple[Case, str]:
    case, code = ask(**kwargs)
    actions.assign(case=case, by=by, assignee=by)
    actions.close(case=case, by=by, outcome="informatie")
    return case, code


def asker_with(code: str) -> Client:
    client = Client()
    client.post("/vraag/terug/", code_data(code))
    return client


def rate(client: Client, listened: int, helped: int, recommend: int, remark: str = ""):
    data = {"listened": listened, "helped": helped, "recommend": recommend, "remark": remark}
    return client.post(EVALUATE, data)


def main_text(html: str) -> str:
    """What the page says in its main part, without tags."""
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    return re.sub(r"<[^>]+>", " ", main)


# --- The asker's side ---------------------------------------------------------------------


def test_an_unhappy_asker_asks_us_to_look_again_and_the_case_reopens(
    medewerker, django_capture_on_commit_callbacks
):
    medewerker.email = "sanne@steunpunt.example"
    medewerker.save()
    case, code = closed_case(medewerker)
    asker = asker_with(code)
    assert "Geef uw mening" in asker.get("/vraag/terug/gesprek/").text

    rated = rate(asker, 2, 1, 3, "Ik werd niet teruggebeld.")
    assert rated["Location"] == EVALUATE
    page = asker.get(EVALUATE).text
    assert LOOK_AGAIN in page
    # Gone back to the conversation without answering: it asks there too.
    assert LOOK_AGAIN in asker.get("/vraag/terug/gesprek/").text
    case.refresh_from_db()
    assert case.status == Status.AFGEROND  # not before the asker said yes

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = asker.post(REOPEN, {"reopen": "ja"}, follow=True)
    assert "Uw vraag staat weer open" in answered.text
    case.refresh_from_db()
    assert case.status == Status.IN_BEHANDELING
    assert case.outcome == "" and case.closed_at is None and case.reopened_at is not None
    assert case.attention_at is not None  # back in the queue for staff
    event = CaseEvent.objects.filter(case=case, kind=EventKind.REOPENED).get()
    assert "beoordeling" in event.detail
    # The handler is told, without the question or the remark.
    (message,) = mail.outbox
    assert message.to == ["sanne@steunpunt.example"]
    assert case.reference in message.subject
    assert "teruggebeld" not in message.body and reverse("steunen:case", args=[case.pk]) in (
        message.body
    )
    assert Evaluation.objects.get().reopen_wanted is True
    # Asked once: the question does not come back, and a second answer changes nothing.
    assert LOOK_AGAIN not in asker.get("/vraag/terug/gesprek/").text
    asker.post(REOPEN, {"reopen": "nee"})
    assert Evaluation.objects.get().reopen_wanted is True


def test_an_unhappy_asker_who_says_no_leaves_the_case_closed(medewerker):
    case, code = closed_case(medewerker)
    asker = asker_with(code)
    rate(asker, 3, 2, 3)
    assert asker.post(REOPEN, {}).status_code == 200  # no choice: asked again, with a message
    assert "Kies ja of nee." in asker.post(REOPEN, {}).text
    answered = asker.post(REOPEN, {"reopen": "nee"}, follow=True)
    assert "Uw vraag blijft afgerond" in answered.text
    case.refresh_from_db()
    assert case.status == Status.AFGEROND
    assert Evaluation.objects.get().reopen_wanted is False
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.REOPENED).exists()


def test_a_happy_rating_does_not_ask_to_look_again(medewerker):
    case, code = closed_case(medewerker)
    asker = asker_with(code)
    rated = rate(asker, 3, 4, 5)
    assert rated["Location"] == "/vraag/terug/gesprek/"
    assert LOOK_AGAIN not in asker.get(EVALUATE, follow=True).text
    # Posting the answer anyway reopens nothing.
    asker.post(REOPEN, {"reopen": "ja"})
    case.refresh_from_db()
    assert case.status == Status.AFGEROND


def test_staff_see_the_reopened_case_marked_in_the_inbox(medewerker, coordinator):
    case, code = closed_case(medewerker)
    other, _ = ask("Een andere vraag")
    inbox = client_for(coordinator)
    assert "Heropend" not in inbox.get(reverse("steunen:inbox")).text
    asker = asker_with(code)
    rate(asker, 1, 1, 1)
    asker.post(REOPEN, {"reopen": "ja"})
    page = inbox.get(reverse("steunen:inbox")).text
    row = re.search(rf"<tr\b(?:(?!</tr>).)*{case.reference}.*?</tr>", page, re.S).group(0)
    assert "Heropend" in row
    other_row = re.search(rf"<tr\b(?:(?!</tr>).)*{other.reference}.*?</tr>", page, re.S).group(0)
    assert "Heropend" not in other_row
    case_page = inbox.get(reverse("steunen:case", args=[case.pk])).text
    assert "op verzoek van de vrager na de beoordeling" in case_page
    # Closed again: no longer marked.
    actions.close(case=case, by=coordinator, outcome="informatie")
    assert "Heropend" not in inbox.get(reverse("steunen:inbox")).text


def test_a_youth_reads_the_evaluation_in_their_own_words(medewerker):
    _case, code = closed_case(medewerker, asker_type=AskerType.JONGERE)
    asker = asker_with(code)
    for html in (asker.get(EVALUATE).text, rate(asker, 9, 1, 1).text):
        text = main_text(html)
        assert "Voelde je je gehoord?" in text
        assert not re.search(r"\b(u|uw|U|Uw)\b", text), text
    rate(asker, 2, 2, 2, "Niet fijn.")
    text = main_text(asker.get(EVALUATE).text)
    assert "Wil je dat we opnieuw naar je vraag kijken?" in text
    assert not re.search(r"\b(u|uw|U|Uw)\b", text), text
    done = asker.post(REOPEN, {"reopen": "ja"}, follow=True)
    assert "Je vraag staat weer open" in done.text


def test_a_parent_reads_u(medewerker):
    _case, code = closed_case(medewerker, asker_type=AskerType.OUDER)
    page = asker_with(code).get(EVALUATE).text
    assert "Voelde u zich gehoord?" in page


# --- The coordinator's side ---------------------------------------------------------------


def test_the_coordinator_reads_the_remarks_newest_first_and_each_read_is_audited(
    medewerker, coordinator
):
    first, first_code = closed_case(medewerker)
    second, second_code = closed_case(medewerker)
    rate(asker_with(first_code), 4, 4, 4, "Eerste opmerking: goed geholpen.")
    rate(asker_with(second_code), 2, 3, 3, "Tweede opmerking: het duurde lang.")
    Evaluation.objects.filter(case=first).update(day=timezone.localdate() - timedelta(days=1))
    _silent, silent_code = closed_case(medewerker)
    rate(asker_with(silent_code), 5, 5, 5)  # no remark: not listed

    page = client_for(coordinator).get(REMARKS).text
    assert page.index("Tweede opmerking") < page.index("Eerste opmerking")
    assert reverse("steunen:case", args=[first.pk]) in page and first.reference in page
    viewed = AuditEntry.objects.filter(actor=coordinator, action=AuditAction.REMARK_VIEWED)
    assert sorted(viewed.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    # The case's own audit log shows the read.
    audit = client_for(coordinator).get(reverse("steunen:case_audit", args=[first.pk])).text
    assert "opmerking bij beoordeling gelezen" in audit


def test_remarks_are_listed_per_quarter(medewerker, coordinator):
    case, code = closed_case(medewerker)
    rate(asker_with(code), 4, 4, 4, "Een opmerking van lang geleden.")
    Evaluation.objects.filter(case=case).update(day=timezone.localdate() - timedelta(days=120))
    client = client_for(coordinator)
    assert "Een opmerking van lang geleden." not in client.get(REMARKS).text
    from signaleren.periods import quarter_of

    older = quarter_of(timezone.localdate() - timedelta(days=120))
    page = client.get(REMARKS, {"periode": older.value()}).text
    assert "Een opmerking van lang geleden." in page
    # A period that is not offered: the current quarter, no error.
    assert client.get(REMARKS, {"periode": "kwartaal:1999-01-01"}).status_code == 200


def test_only_the_coordinator_opens_the_remarks(medewerker, bestuur, vrijwilliger):
    for user in (medewerker, bestuur, vrijwilliger):
        assert client_for(user).get(REMARKS).status_code == 403
    assert Client().get(REMARKS)["Location"].startswith(reverse("account:login"))


def test_the_coordinator_deletes_a_remark_after_confirming(medewerker, coordinator):
    case, code = closed_case(medewerker)
    rate(asker_with(code), 2, 4, 4, "Noemt de naam van een juf.")
    evaluation = Evaluation.objects.get()
    client = client_for(coordinator)
    url = reverse("steunen:evaluation_remark_delete", args=[evaluation.pk])
    confirm = client.get(url).text
    assert "Noemt de naam van een juf." in confirm
    refused = client.post(url, {})
    assert "Vink aan dat u de opmerking wilt verwijderen." in refused.text
    assert Evaluation.objects.get().remark == "Noemt de naam van een juf."

    done = client.post(url, {"confirm": "on"}, follow=True)
    assert "De opmerking is verwijderd." in done.text
    evaluation.refresh_from_db()
    assert evaluation.remark == ""
    assert (evaluation.listened, evaluation.helped, evaluation.recommend) == (2, 4, 4)
    assert AuditEntry.objects.filter(
        actor=coordinator, action=AuditAction.REMARK_DELETED, object_id=str(case.pk)
    ).exists()
    assert "Noemt de naam" not in client.get(REMARKS).text
    assert client.get(url).status_code == 404  # nothing left to delete


def test_retention_erases_the_remark_with_the_case(medewerker, coordinator):
    old, old_code = closed_case(medewerker)
    recent, recent_code = closed_case(medewerker)
    rate(asker_with(old_code), 4, 4, 4, "Een oude opmerking.")
    rate(asker_with(recent_code), 4, 4, 4, "Een nieuwe opmerking.")
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    orphan = Evaluation.objects.create(
        listened=3, helped=3, recommend=3, remark="Zonder vraag.",
        day=timezone.localdate() - timedelta(days=400),
    )  # fmt: skip
    call_command("apply_retention", stdout=None)
    assert Evaluation.objects.get(case=old).remark == ""
    assert Evaluation.objects.get(case=old).listened == 4  # the score stays for the figures
    assert Evaluation.objects.get(case=recent).remark == "Een nieuwe opmerking."
    orphan.refresh_from_db()
    assert orphan.remark == ""
    assert "Een oude opmerking." not in client_for(coordinator).get(REMARKS).text


def test_no_remark_appears_in_the_figures_of_a_report(medewerker):
    from signaleren.figures import compute
    from signaleren.periods import quarter_of

    for n in range(12):
        _case, code = closed_case(medewerker)
        rate(asker_with(code), 4, 4, 4, f"Geheime opmerking {n}")
    figures = compute(quarter_of(timezone.localdate()), None, threshold=10)
    assert figures["evaluation"]["count"]["display"] == "12"
    assert "Geheime opmerking" not in repr(figures)


def test_the_demo_shows_remarks_and_a_case_reopened_after_an_unhappy_rating(
    medewerker, coordinator
):
    from steunen.demo import generate_cases
    from steunen.demo_evaluations import UNHAPPY_REMARK, generate_evaluations

    generate_cases(count=120)
    assert generate_evaluations() > 1
    assert generate_evaluations() == 0  # loading the demo again adds nothing
    reopened = Evaluation.objects.get(reopen_wanted=True).case
    assert reopened.status == Status.IN_BEHANDELING and reopened.reopened_at is not None
    client = client_for(coordinator)
    assert UNHAPPY_REMARK in client.get(REMARKS).text
    assert "Heropend" in client.get(reverse("steunen:inbox")).text
