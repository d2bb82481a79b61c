"""Two submits of the expert's link at the same moment: one advice, the other a calm page."""

import threading

import pytest
from django.db import connection
from django.test import Client

from steunen.backoffice import ConsultationReply
from steunen.models import CaseEvent, EventKind
from steunpunt.models import AuditAction, AuditEntry
from tests.conftest import client_for
from tests.steunen.test_expert_link import expert_consultation, link_on_case_page, path_of


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_give_one_advice(medewerker):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite runs one writer")
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    start = threading.Barrier(2)
    answers: list[int] = []

    def expert(n: int) -> None:
        try:
            browser = Client()
            start.wait()
            answers.append(browser.post(url, {"body": f"Advies nummer {n}"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=expert, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 410]
    assert ConsultationReply.objects.filter(consultation=consultation).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ADVICE_GIVEN).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.EXPERT_ADVICE_GIVEN).count() == 1


@pytest.mark.django_db
def test_the_experts_page_is_kept_by_no_cache(medewerker):
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    for response in (Client().get(url), Client().get("/advies/niets/")):
        control = response["Cache-Control"]
        assert "no-store" in control and "private" in control
        assert "public" not in control.replace("private", "")
