"""Questions, messages, notes and contact details are unreadable in the database itself."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from steunen import actions
from steunen.models import Case, Message
from tests.steunen.helpers import ask

pytestmark = pytest.mark.django_db


def raw(sql: str, *params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_database_dump_shows_no_question_or_contact_details(medewerker):
    case, _ = ask(
        "Mijn dochter wordt gepest",
        name="Fatima",
        contact_preference="email",
        email="f@voorbeeld.nl",
    )
    actions.add_note(case=case, by=medewerker, body="Moeder belde huilend")
    ((name, email),) = raw("SELECT name, email FROM steunen_case WHERE id = %s", case.pk)
    ((body,),) = raw("SELECT body FROM steunen_message WHERE case_id = %s", case.pk)
    ((note,),) = raw("SELECT body FROM steunen_internalnote WHERE case_id = %s", case.pk)
    for stored in (name, email, body, note):
        assert stored.startswith("enc2:")
    dump = f"{name}{email}{body}{note}"
    for secret in ("Fatima", "f@voorbeeld.nl", "gepest", "huilend"):
        assert secret not in dump
    # The application reads them as written.
    case = Case.objects.get(pk=case.pk)
    assert (case.name, case.email) == ("Fatima", "f@voorbeeld.nl")
    assert Message.objects.get(case=case).body == "Mijn dochter wordt gepest"


def test_key_rotation_keeps_everything_readable(settings):
    case, _ = ask("Rotatie", name="Sam")
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_encryption_key", stdout=out)
    assert "Re-encrypted" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone now
    assert Case.objects.get(pk=case.pk).name == "Sam"
    assert Message.objects.get(case=case).body == "Rotatie"


def test_empty_values_stay_empty():
    case, _ = ask()
    ((name,),) = raw("SELECT name FROM steunen_case WHERE id = %s", case.pk)
    assert name == ""
