"""Sign-ups and page reactions sent at once never pass their limit (issue 19).

Each try is counted before it is answered (steunpunt/ratelimit.py ``take``),
so parallel requests from one client cannot all slip in under the limit.
Real requests, from threads, to pytest-django's threaded live server.
"""

import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from informeren.models import Feedback, Meeting, Registration
from tests.informeren.helpers import published_topic
from tests.servers import Visitor
from tests.steunpunt.test_limits import at_once

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 12
LIMIT = 4
SQLITE = connection.vendor == "sqlite"


@pytest.fixture
def live_server(live_server, settings):
    """The threaded live server over plain http: cookies without Secure."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


def test_parallel_sign_ups_from_one_client_stop_at_the_hourly_limit(live_server, settings):
    settings.SIGNUPS_PER_HOUR = LIMIT
    start = timezone.now() + timedelta(days=7)
    meeting = Meeting.objects.create(
        title="Koffieochtend", kind="lotgenoten", description="Samen koffie.", starts_at=start,
        ends_at=start + timedelta(hours=2), place="Buurthuis", capacity=100, published=True,
    )  # fmt: skip
    path = f"/bijeenkomsten/{meeting.pk}/"
    visitors = [Visitor(live_server.url) for _ in range(PARALLEL)]
    for visitor in visitors:
        assert visitor.get(path).status == 200
    pages = at_once(
        PARALLEL,
        lambda i: visitors[i].post(path, {"name": f"Ouder {i}", "email": f"ouder{i}@example.org"}),
    )
    statuses = [page.status for page in pages]
    assert Registration.objects.count() <= LIMIT
    assert statuses.count(429) == PARALLEL - LIMIT, statuses
    if not SQLITE:  # SQLite refuses some parallel writes (a 503): never more than the limit
        assert Registration.objects.count() == LIMIT


def _react(url: str) -> int:
    request = urllib.request.Request(
        url, data=b"helpful=ja&remark=Duidelijk.", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_parallel_reactions_on_a_page_stop_at_the_hourly_limit(live_server, settings):
    settings.FEEDBACK_PER_HOUR = LIMIT
    topic = published_topic()
    url = live_server.url + reverse("informeren:feedback", args=[topic.slug])
    statuses = at_once(PARALLEL, lambda i: _react(url))
    assert Feedback.objects.count() <= LIMIT
    assert statuses.count(429) == PARALLEL - LIMIT, statuses
    if not SQLITE:
        assert statuses.count(302) == LIMIT
        assert Feedback.objects.count() == LIMIT
