"""An expert whose link stopped working while they wrote gets their advice back on the page.

The medewerker made a new link (the old one stops), or the link expired, while
the expert was writing: nothing is saved, and what they wrote is shown so they
can copy it, never lost.
"""

import pytest
from django.test import Client

from steunen.backoffice import ConsultationReply
from tests.conftest import client_for
from tests.steunen.test_expert_link import expert_consultation, link_on_case_page, path_of
from tests.steunpunt.test_valid_html import java, vnu_errors  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

WRITTEN = "Vraag om een gesprek met de intern begeleider & neem het OPP mee."


def test_a_replaced_link_shows_the_advice_that_was_written(medewerker, tmp_path):
    case, consultation = expert_consultation(medewerker)
    staff = client_for(medewerker)
    first = path_of(link_on_case_page(staff, case, consultation))
    expert = Client()
    assert expert.get(first).status_code == 200  # the expert starts writing
    link_on_case_page(staff, case, consultation)  # meanwhile: a new link

    page = expert.post(first, {"body": WRITTEN})

    assert page.status_code == 410
    assert "Deze link is verlopen" in page.text
    assert "Vraag om een gesprek met de intern begeleider &amp; neem het OPP mee." in page.text
    assert not ConsultationReply.objects.exists()
    assert vnu_errors({"refused with the advice": page.text}, tmp_path) == {}


def test_a_forged_link_shows_nothing_back_but_what_was_sent(medewerker):
    page = Client().post("/advies/niets/", {"body": WRITTEN})
    assert page.status_code == 404
    assert "Deze link kennen we niet" in page.text
