"""Text that looks like ciphertext is just text: typed anywhere, kept and read back.

Before the "enc2:" envelope, a question, name, reply or note that began with
"enc1:" was stored unencrypted, and reading it gave a 500: the text was lost.
"""

import pytest
from django.db import connection
from django.urls import reverse

from steunen.models import Case, InternalNote, Message, Sender
from tests.conftest import client_for
from tests.steunen.helpers import code_data, form_data

pytestmark = pytest.mark.django_db

LOOKALIKES = [
    "enc1:",
    "enc1:gAAAAABnot-a-token",
    "enc2:",
    "enc2:gAAAAABnot-a-token-either",
]


def raw(sql: str, *params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def code_on(page: str) -> str:
    return page.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_text_that_looks_encrypted_survives_every_form_of_a_case(client, medewerker, typed):
    # The asker asks, with a nickname and a note on when to call.
    response = client.post(
        "/vraag/",
        form_data(
            question=f"{typed} mijn vraag",
            name=f"{typed}Sam",
            contact_preference="telefoon",
            phone="0612345678",
            phone_times=f"{typed} na drie uur",
        ),
    )
    assert response.status_code == 200, response.text
    code = code_on(response.text)
    case = Case.objects.get()

    # Staff answer and write a note, through the case page's forms.
    staff = client_for(medewerker)
    staff.post(reverse("steunen:case_answer", args=[case.pk]), {"answer-body": f"{typed} antwoord"})
    staff.post(reverse("steunen:case_note", args=[case.pk]), {"note-body": f"{typed} notitie"})

    # The asker comes back and replies.
    client.post("/vraag/terug/", code_data(code))
    response = client.post("/vraag/terug/gesprek/", {"body": f"{typed} reactie"}, follow=True)
    assert response.status_code == 200
    page = response.text
    for text in (f"{typed} mijn vraag", f"{typed} antwoord", f"{typed} reactie"):
        assert text in page

    # Staff read it all back.
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    for text in (
        f"{typed} mijn vraag",
        f"{typed}Sam",
        f"{typed} na drie uur",
        f"{typed} antwoord",
        f"{typed} notitie",
        f"{typed} reactie",
    ):
        assert text in page
    case = Case.objects.get()
    assert (case.name, case.phone_times) == (f"{typed}Sam", f"{typed} na drie uur")
    bodies = list(Message.objects.values_list("sender", "body"))
    assert bodies == [
        (Sender.ASKER, f"{typed} mijn vraag"),
        (Sender.STAFF, f"{typed} antwoord"),
        (Sender.ASKER, f"{typed} reactie"),
    ]
    assert InternalNote.objects.get().body == f"{typed} notitie"

    # And none of it is in the database as typed: each is one envelope
    # (base64 holds no space, and every text but the name has one).
    stored = [
        *raw("SELECT name, phone, phone_times FROM steunen_case")[0],
        *(body for (body,) in raw("SELECT body FROM steunen_message")),
        *(body for (body,) in raw("SELECT body FROM steunen_internalnote")),
    ]
    for value in stored:
        assert value.startswith("enc2:gAAAAA")
        assert " " not in value and not value.endswith("Sam")


@pytest.mark.django_db(transaction=True)
def test_values_from_before_the_new_envelope_are_rewritten_and_readable():
    """The migration rewrites "enc1:" tokens, typed "enc1:" text and plaintext remarks."""
    from django.db.migrations.executor import MigrationExecutor

    from steunen.models import Evaluation
    from steunpunt.crypto import LEGACY_PREFIX, fernet

    before = [("steunen", "0007_case_merges")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldCase = old_apps.get_model("steunen", "Case")
    token = LEGACY_PREFIX + fernet().encrypt(b"Fatima").decode()
    case = OldCase.objects.create(
        code_hash="x" * 64, asker_type="ouder", response_due_at="2026-12-01T12:00:00Z"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE steunen_case SET name = %s, phone_times = %s WHERE id = %s",
            [token, "enc1:na drie uur", case.pk],
        )
        cursor.execute(
            "INSERT INTO steunen_evaluation (case_id, day, listened, helped, recommend, remark)"
            " VALUES (%s, '2026-12-01', 4, 4, 5, 'Fijn geholpen')",
            [case.pk],
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    case = Case.objects.get(pk=case.pk)
    assert (case.name, case.phone_times) == ("Fatima", "enc1:na drie uur")
    assert Evaluation.objects.get().remark == "Fijn geholpen"
    for value in (
        *raw("SELECT name, phone_times FROM steunen_case")[0],
        raw("SELECT remark FROM steunen_evaluation")[0][0],
    ):
        assert value.startswith("enc2:gAAAAA") and " " not in value


@pytest.mark.parametrize("typed", ["enc1:", "enc2:gAAAAAB"])
def test_a_question_staff_enter_from_the_phone_keeps_text_that_looks_encrypted(medewerker, typed):
    staff = client_for(medewerker)
    response = staff.post(
        reverse("steunen:new_case"),
        {
            "channel": "telefoon",
            "asker_type": "ouder",
            "school_type": "",
            "question": f"{typed} vraag aan de telefoon",
            "name": f"{typed}Mo",
            "contact_preference": "telefoon",
            "phone": "0612345678",
            "phone_times": f"{typed} ochtend",
        },
    )
    assert response.status_code == 200, response.text
    case = Case.objects.get()
    assert (case.name, case.phone_times) == (f"{typed}Mo", f"{typed} ochtend")
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert f"{typed} vraag aan de telefoon" in page


@pytest.mark.django_db(transaction=True)
def test_going_back_a_migration_leaves_remarks_that_fit_their_old_column(medewerker):
    from django.db.migrations.executor import MigrationExecutor

    from steunen import actions
    from steunen.models import Evaluation
    from tests.steunen.helpers import ask

    case, _ = ask()
    actions.close(case=case, by=medewerker, outcome="informatie")
    Evaluation.objects.create(case=case, listened=4, helped=4, recommend=4, remark="x" * 500)
    executor = MigrationExecutor(connection)
    executor.migrate([("steunen", "0007_case_merges")])
    assert raw("SELECT remark FROM steunen_evaluation") == [("x" * 500,)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Evaluation.objects.get().remark == "x" * 500
