"""The expert's link is a secret: no log line holds it.

Django writes the path of every 4xx answer to the log ("Gone: /advies/<token>/",
"Forbidden (CSRF cookie not set.): /advies/<token>/"); a live link in a log line
would open the advice question to whoever reads the log.
"""

import pytest
from django.test import Client

from steunen.expertlinks import ExpertLink
from tests.conftest import client_for
from tests.steunen.test_expert_link import (
    ADVICE,
    expert_consultation,
    link_on_case_page,
    path_of,
)

pytestmark = pytest.mark.django_db


def test_no_log_line_holds_the_experts_token(medewerker, caplog):
    case, consultation = expert_consultation(medewerker)
    url = path_of(link_on_case_page(client_for(medewerker), case, consultation))
    token = url.removeprefix("/advies/").strip("/")
    with caplog.at_level("DEBUG"):
        # A live link: a form sent without the CSRF cookie, a method the page refuses.
        assert Client(enforce_csrf_checks=True).post(url, {"body": ADVICE}).status_code == 403
        assert Client().put(url).status_code == 405
        # A used link.
        assert Client().post(url, {"body": ADVICE}).status_code == 200
        assert ExpertLink.objects.get().used_at is not None
        assert Client().get(url).status_code == 410
    assert "/advies/" in caplog.text  # Django did say which page answered
    assert token not in caplog.text
    assert token[:20] not in caplog.text
