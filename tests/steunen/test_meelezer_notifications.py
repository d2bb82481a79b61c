"""Meelezers hear of a new message of the asker as the behandelaar does.

Only while they may read the case themselves: an account that was turned off, that
no longer has a staff role, or that sits on the SWV board gets nothing; nor does a
colleague taken off the case. The mails name the case, never what the asker wrote.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from steunen import actions, buddy_actions
from steunen.buddies import CaseMember
from steunpunt.roles import Role
from tests.factories import UserFactory
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db

REPLY = "Mijn zoon wil morgen toch weer naar school, geheim detail 4711."


def staff(username: str, *roles: Role):
    return UserFactory(
        username=username, first_name=username.title(), last_name="", roles=list(roles)
    )


def case_with_readers(behandelaar, *readers):
    case, code = ask("Mijn zoon zit thuis.")
    actions.assign(case=case, by=behandelaar, assignee=behandelaar)
    for reader in readers:
        buddy_actions.add_reader(case=case, by=behandelaar, reader=reader)
    return case, code


def reply(case, capture) -> None:
    mail.outbox.clear()
    with capture(execute=True):
        actions.reply_as_asker(case=case, body=REPLY)


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_the_behandelaar_and_each_meelezer_get_one_mail_without_the_message(
    django_capture_on_commit_callbacks,
):
    sanne = staff("sanne", Role.MEDEWERKER)
    anna = staff("anna", Role.MEDEWERKER)
    karim = staff("karim", Role.COORDINATOR)
    case, code = case_with_readers(sanne, anna, karim)

    # The asker writes in the conversation, with the code.
    asker = Client()
    asker.post(reverse("steunen:return"), code_data(code))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asker.post(reverse("steunen:conversation"), {"body": REPLY})

    assert len(mails_to(sanne.email)) == 1
    for reader in (anna, karim):
        (message,) = mails_to(reader.email)
        assert sanne.email not in message.to  # the behandelaar has their own mail
        assert case.reference in message.subject and "meeleest" in message.subject
        assert "U leest mee bij deze vraag." in message.body
        assert reverse("steunen:case", args=[case.pk]) in message.body
        assert "4711" not in message.body and "4711" not in message.subject


def test_who_may_no_longer_read_the_case_hears_nothing(django_capture_on_commit_callbacks):
    sanne = staff("sanne", Role.MEDEWERKER)
    gone = staff("gone", Role.MEDEWERKER)
    moved_on = staff("moved", Role.MEDEWERKER)
    board = staff("board", Role.MEDEWERKER)
    removed = staff("removed", Role.MEDEWERKER)
    stays = staff("stays", Role.MEDEWERKER)
    case, _ = case_with_readers(sanne, gone, moved_on, board, removed, stays)
    gone.is_active = False
    gone.save()
    moved_on.groups.clear()
    moved_on.groups.add(*UserFactory(roles=[Role.VRIJWILLIGER]).groups.all())
    board.groups.add(*UserFactory(roles=[Role.BESTUUR]).groups.all())
    buddy_actions.remove_member(member=CaseMember.objects.get(user=removed), by=sanne)

    reply(case, django_capture_on_commit_callbacks)

    for nobody in (gone, moved_on, board, removed):
        assert mails_to(nobody.email) == [], nobody.username
    assert len(mails_to(stays.email)) == 1
    assert len(mails_to(sanne.email)) == 1


def test_without_a_behandelaar_the_team_mail_reaches_the_meelezer_once(
    medewerker, django_capture_on_commit_callbacks
):
    anna = staff("anna", Role.MEDEWERKER)
    case, _ = ask()
    buddy_actions.add_reader(case=case, by=medewerker, reader=anna)

    reply(case, django_capture_on_commit_callbacks)

    (message,) = mails_to(anna.email)
    assert "Nieuwe reactie op vraag" in message.subject
    assert "meeleest" not in message.subject


def test_the_behandelaar_who_reads_along_elsewhere_is_not_mailed_twice(
    django_capture_on_commit_callbacks,
):
    sanne = staff("sanne", Role.MEDEWERKER)
    anna = staff("anna", Role.MEDEWERKER)
    anna.email = sanne.email  # one shared mailbox for two accounts
    anna.save()
    case, _ = case_with_readers(sanne, anna)

    reply(case, django_capture_on_commit_callbacks)

    assert len(mails_to(sanne.email)) == 1


def test_a_meelezer_hears_when_an_unhappy_asker_has_the_case_reopened(
    django_capture_on_commit_callbacks,
):
    sanne = staff("sanne", Role.MEDEWERKER)
    anna = staff("anna", Role.MEDEWERKER)
    case, _ = case_with_readers(sanne, anna)
    actions.close(case=case, by=sanne, outcome="informatie")
    actions.evaluate(case=case, listened=1, helped=1, recommend=1, remark="Niet geholpen.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.answer_reopen_question(case=case, reopen=True)

    (message,) = mails_to(anna.email)
    assert "heropend" in message.subject and "meeleest" in message.subject
    assert "Niet geholpen" not in message.body
    assert len(mails_to(sanne.email)) == 1
