"""Meeting sign-ups and page remarks: nothing a visitor typed is readable in the database."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from informeren.models import Feedback, Meeting, Registration
from tests.conftest import client_for
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


def raw(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def meeting():
    start = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        title="Koffieochtend", kind="lotgenoten", description="Samen koffie.", starts_at=start,
        ends_at=start + timedelta(hours=2), place="Buurthuis", capacity=5, published=True,
    )  # fmt: skip


def sign_up(client, meeting, name: str, email: str):
    return client.post(f"/bijeenkomsten/{meeting.pk}/", {"name": name, "email": email})


@pytest.mark.parametrize("name", ["Fatima B.", "enc1:F.B.", "enc2:F.B."])
def test_a_participants_name_and_email_are_encrypted_and_read_back(
    client, meeting, medewerker, name
):
    response = sign_up(client, meeting, name, "fatima@voorbeeld.nl")
    assert "U bent aangemeld" in response.text
    ((stored_name, stored_email, email_hash),) = raw(
        "SELECT name, email, email_hash FROM informeren_registration"
    )
    assert stored_name.startswith("enc2:") and stored_email.startswith("enc2:")
    assert "fatima" not in f"{stored_name}{stored_email}{email_hash}".lower()
    page = client_for(medewerker).get(reverse("informeren:meeting_participants", args=[meeting.pk]))
    assert name in page.text and "fatima@voorbeeld.nl" in page.text


def test_one_email_signs_up_once_per_meeting_and_is_not_linkable_across_meetings(client, meeting):
    sign_up(client, meeting, "A.", "ouder@voorbeeld.nl")
    response = sign_up(client, meeting, "B.", " Ouder@Voorbeeld.nl ")
    assert "Met dit e-mailadres bent u al aangemeld" in response.text
    other = Meeting.objects.create(
        title="Avond", kind="thema", description="Uitleg.", starts_at=meeting.starts_at,
        ends_at=meeting.ends_at, place="School", capacity=5, published=True,
    )  # fmt: skip
    assert "U bent aangemeld" in sign_up(client, other, "A.", "ouder@voorbeeld.nl").text
    hashes = {h for (h,) in raw("SELECT email_hash FROM informeren_registration")}
    assert len(hashes) == 2  # the same person, two unrelated hashes


@pytest.mark.django_db(transaction=True)
def test_the_cancel_token_is_in_no_table_as_such(client, meeting, settings):
    """Stored as a hash; on its way to the mail task only encrypted."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    sign_up(client, meeting, "A.", "ouder@voorbeeld.nl")
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    (sent,) = mail.outbox
    token = sent.body.split("/bijeenkomsten/afmelden/")[1].split("/")[0]
    assert len(token) >= 32
    from django_tasks_db.models import DBTaskResult

    assert token not in str(list(DBTaskResult.objects.values()))
    assert token not in str(list(Registration.objects.values()))
    assert "Wilt u zich afmelden" in client.get(f"/bijeenkomsten/afmelden/{token}/").text


@pytest.mark.parametrize("remark", ["Te moeilijk voor mijn zoon", "enc1:te moeilijk"])
def test_a_remark_on_a_page_is_encrypted_and_editors_read_it(client, redacteur, remark):
    topic = published_topic()
    client.post(
        reverse("informeren:feedback", args=[topic.slug]), {"helpful": "nee", "remark": remark}
    )
    ((stored,),) = raw("SELECT remark FROM informeren_feedback")
    assert stored.startswith("enc2:") and "moeilijk" not in stored
    assert Feedback.objects.get().remark == remark
    page = client_for(redacteur).get(reverse("informeren:topic_admin", args=[topic.pk])).text
    assert remark in page


def test_forgetting_participants_empties_name_email_and_hash(meeting, settings):
    from informeren import meetings

    meetings.sign_up(meeting=meeting, name="A.", email="a@voorbeeld.nl")
    long_ago = timezone.now() - timedelta(days=400)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=long_ago - timedelta(hours=2), ends_at=long_ago
    )
    meetings.forget_participants()
    assert raw("SELECT name, email, email_hash FROM informeren_registration") == [("", "", "")]
