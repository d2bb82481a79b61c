"""What an asker writes in the evaluation is kept like their messages, and goes with them."""

import pytest
from django.db import connection
from django.urls import reverse

from steunen import actions
from steunen.models import Evaluation
from tests.steunen.helpers import ask, code_data

pytestmark = pytest.mark.django_db


def stored_remark() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT remark FROM steunen_evaluation")
        return cursor.fetchone()[0]


def evaluate(client, code: str, remark: str) -> None:
    client.post("/vraag/terug/", code_data(code))
    client.post(
        reverse("steunen:evaluate"),
        {"listened": "5", "helped": "4", "recommend": "5", "remark": remark},
    )


def test_the_evaluation_remark_is_encrypted_in_the_database(client, medewerker):
    case, code = ask()
    actions.close(case=case, by=medewerker, outcome="informatie")
    evaluate(client, code, "enc1: de juf van groep 7 luisterde niet")
    assert Evaluation.objects.get().remark == "enc1: de juf van groep 7 luisterde niet"
    assert stored_remark().startswith("enc2:")
    assert "juf" not in stored_remark()


def test_verwijder_mijn_vraag_also_removes_the_evaluation_remark(client, medewerker):
    case, code = ask()
    actions.close(case=case, by=medewerker, outcome="informatie")
    evaluate(client, code, "Mevrouw De Vries van school Het Anker was onvriendelijk")
    response = client.post(reverse("steunen:delete"), {"confirm": "on"})
    assert response.status_code == 200
    evaluation = Evaluation.objects.get()
    assert evaluation.remark == ""
    assert stored_remark() == ""
    # The scores still count in the figures.
    assert (evaluation.listened, evaluation.helped, evaluation.recommend) == (5, 4, 5)
