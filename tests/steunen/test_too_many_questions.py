"""Over the hourly question limit the question is not lost (issue 19).

The form comes back with everything the asker typed and says why it was
not sent; nothing is stored.
"""

import pytest
from django.test import RequestFactory

from steunen.models import Case
from steunpunt import ratelimit
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db

QUESTION = "Mijn dochter mag niet mee op schoolreis omdat ze extra hulp nodig heeft. Mag dat?"


def test_a_parent_over_the_limit_gets_their_own_question_back(client, settings):
    settings.QUESTIONS_PER_HOUR = 1
    assert client.post("/vraag/", form_data(submission_token="eerste")).status_code == 200
    typed = form_data(
        submission_token="tweede",
        question=QUESTION,
        name="Fatima",
        contact_preference="email",
        email="fatima@example.org",
    )
    response = client.post("/vraag/", typed)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Er zijn vanaf dit adres veel vragen gestuurd." in page
    assert "Uw vraag staat hieronder nog." in page
    assert QUESTION in page
    assert 'value="Fatima"' in page
    assert 'value="fatima@example.org"' in page
    assert 'id="vraagformulier"' in page
    assert Case.objects.count() == 1


def test_a_youth_over_the_limit_is_spoken_to_as_je(client, settings):
    settings.QUESTIONS_PER_HOUR = 1
    client.post("/vraag/?voor=jongere", form_data(submission_token="a", asker_type="jongere"))
    typed = form_data(submission_token="b", asker_type="jongere", question=QUESTION)
    response = client.post("/vraag/?voor=jongere", typed)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Je vraag staat hieronder nog." in page
    assert QUESTION in page
    assert Case.objects.count() == 1


def test_a_post_that_loses_the_count_also_keeps_the_question(client, settings, monkeypatch):
    """A parallel request took the last try between this one's first look and its count."""
    settings.QUESTIONS_PER_HOUR = 1
    ratelimit.take("question", RequestFactory().get("/"), limit=1, window=3600)
    monkeypatch.setattr(ratelimit, "is_limited", lambda *args, **kwargs: False)
    response = client.post("/vraag/", form_data(question=QUESTION))
    assert response.status_code == 429
    assert QUESTION in response.content.decode()
    assert Case.objects.count() == 0
