"""Signing up for a meeting with the least data; waiting list; cancel; reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from informeren import meetings
from informeren.models import Meeting, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    start = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        title="Koffieochtend", kind="lotgenoten", description="Samen koffie.", starts_at=start,
        ends_at=start + timedelta(hours=2), place="Buurthuis", capacity=2,
    )  # fmt: skip


def registration_of(meeting, email: str) -> Registration:
    # The email is encrypted: found by its keyed hash for this meeting.
    return Registration.objects.get(
        meeting=meeting, email_hash=Registration.email_index(meeting.pk, email)
    )


def sign_up(client, meeting, name="A.B.", email="a@voorbeeld.nl"):
    return client.post(f"/bijeenkomsten/{meeting.pk}/", {"name": name, "email": email})


def test_sign_up_confirms_by_email_with_calendar_file_and_cancel_link(
    client, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, meeting)
    assert "U bent aangemeld" in response.text
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    (sent,) = mail.outbox
    assert sent.to == ["a@voorbeeld.nl"]
    assert "/bijeenkomsten/afmelden/" in sent.body
    _name, content, mimetype = sent.attachments[0]
    assert mimetype == "text/calendar"
    content = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in content and "Koffieochtend" in content


def test_full_meeting_puts_people_on_the_waiting_list(client, meeting):
    sign_up(client, meeting, email="een@voorbeeld.nl")
    sign_up(client, meeting, email="twee@voorbeeld.nl")
    page = client.get(f"/bijeenkomsten/{meeting.pk}/").text
    assert "Zet mij op de wachtlijst" in page
    response = sign_up(client, meeting, email="drie@voorbeeld.nl")
    assert "U staat op de wachtlijst" in response.text
    assert registration_of(meeting, "drie@voorbeeld.nl").status == RegistrationStatus.WAITING


def test_cancelling_gives_the_place_to_the_first_on_the_waiting_list(
    client, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, meeting, email="een@voorbeeld.nl")
        sign_up(client, meeting, email="twee@voorbeeld.nl")
        sign_up(client, meeting, email="drie@voorbeeld.nl")
    link = mail.outbox[0].body.split("/bijeenkomsten/afmelden/")[1].split()[0]
    confirm = client.get(f"/bijeenkomsten/afmelden/{link}")
    assert "Wilt u zich afmelden" in confirm.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bijeenkomsten/afmelden/{link}")
    assert registration_of(meeting, "een@voorbeeld.nl").status == RegistrationStatus.CANCELLED
    assert registration_of(meeting, "drie@voorbeeld.nl").status == RegistrationStatus.CONFIRMED
    assert mail.outbox[-1].to == ["drie@voorbeeld.nl"]
    assert "plek vrijgekomen" in mail.outbox[-1].body
    assert client.get(f"/bijeenkomsten/afmelden/{link}").status_code == 404


def test_same_email_twice_is_refused_with_a_clear_message(client, meeting):
    sign_up(client, meeting, email="a@voorbeeld.nl")
    response = sign_up(client, meeting, email="A@Voorbeeld.nl ")
    assert "al aangemeld" in response.text
    assert Registration.objects.count() == 1


def test_malformed_email_and_empty_name_get_dutch_messages(client, meeting):
    response = sign_up(client, meeting, name="", email="geen-email")
    assert "Vul uw naam of voorletters in." in response.text
    assert "Dit e-mailadres klopt niet" in response.text
    assert Registration.objects.count() == 0


def test_past_meeting_takes_no_sign_ups(client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    response = sign_up(client, meeting)
    assert "al geweest" in response.text
    assert Registration.objects.count() == 0
    with pytest.raises(meetings.SignUpError):
        meetings.sign_up(meeting=Meeting.objects.get(), name="x", email="x@voorbeeld.nl")


def test_calendar_file_can_be_downloaded(client, meeting):
    response = client.get(f"/bijeenkomsten/{meeting.pk}/agenda.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert b"SUMMARY:Koffieochtend" in response.content


def test_reminder_goes_out_the_day_before_once(meeting, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    )
    meetings.sign_up(meeting=meeting, name="A", email="a@voorbeeld.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_meeting_reminders", stdout=None)
        call_command("send_meeting_reminders", stdout=None)
    assert [m.to for m in mail.outbox] == [["a@voorbeeld.nl"]]
    assert mail.outbox[0].subject.startswith("Morgen:")


def test_participants_are_forgotten_some_days_after_the_meeting(meeting, settings):
    meetings.sign_up(meeting=meeting, name="A", email="a@voorbeeld.nl")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=40)
    )
    settings.MEETING_RETENTION_DAYS = 30
    assert meetings.forget_participants(dry_run=True) == 1
    assert Registration.objects.get().email == "a@voorbeeld.nl"
    assert meetings.forget_participants() == 1
    registration = Registration.objects.get()
    assert (registration.name, registration.email) == ("", "")


def test_staff_see_participants_but_visitors_and_board_do_not(client, meeting, medewerker, bestuur):
    from tests.conftest import client_for

    meetings.sign_up(meeting=meeting, name="Fatima", email="f@voorbeeld.nl")
    assert "Fatima" in client_for(medewerker).get(f"/medewerkers/bijeenkomsten/{meeting.pk}/").text
    assert client_for(bestuur).get(f"/medewerkers/bijeenkomsten/{meeting.pk}/").status_code == 403
    assert client.get(f"/medewerkers/bijeenkomsten/{meeting.pk}/").status_code == 302
