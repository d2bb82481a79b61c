"""The shared cache (Redis) holds counters and the content version, and ends every counter."""

import time

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from steunpunt import cache as cache_module
from steunpunt import ratelimit
from steunpunt.cache import content_changed, content_version, forget_content_version, kept

REDIS_URL = "redis://127.0.0.1:6379/12"
SHARED_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"},
}


@pytest.fixture
def shared_redis():
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.flushdb()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES=SHARED_REDIS):
        yield server
    server.flushdb()


def test_questions_from_one_address_are_counted_within_their_hour(shared_redis):
    request = RequestFactory().post("/vraag/", REMOTE_ADDR="192.0.2.7")
    for _ in range(3):
        assert not ratelimit.is_limited("question", request, limit=3, window=3600)
        ratelimit.hit("question", request, window=3600)
    assert ratelimit.is_limited("question", request, limit=3, window=3600)
    (key,) = shared_redis.keys("*ratelimit*")
    assert 0 < shared_redis.ttl(key) <= 7200  # the counter ends
    other = RequestFactory().post("/vraag/", REMOTE_ADDR="192.0.2.8")
    assert not ratelimit.is_limited("question", other, limit=3, window=3600)


@pytest.mark.django_db
def test_a_kept_fragment_is_made_again_once_content_changed(shared_redis):
    made = []

    def build():
        made.append(1)
        return len(made)

    assert kept("fragment", build) == 1
    assert kept("fragment", build) == 1
    content_changed()
    assert kept("fragment", build) == 2


@pytest.mark.django_db
def test_the_content_version_is_new_also_after_redis_lost_it(shared_redis):
    first = content_version()
    content_changed()
    moved = content_version()
    assert moved != first
    shared_redis.flushdb()  # Redis restarted
    forget_content_version()  # as this process does a second later
    assert content_version() not in (first, moved)


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_within_a_second(shared_redis, monkeypatch):
    monkeypatch.setattr(cache_module, "CONTENT_VERSION_SECONDS", 0.2)
    before = content_version()
    shared_redis_client = caches["default"]
    shared_redis_client.incr(cache_module.CONTENT_VERSION_KEY)  # another server published
    assert content_version() == before  # one round trip to Redis a while, not one a page
    time.sleep(0.25)
    assert content_version() == before + 1
    content_changed()  # a change made here is seen here at once
    assert content_version() == before + 2


@pytest.mark.django_db
def test_fields_that_carry_a_visitors_token_are_never_kept():
    from steunpunt.cache import kept_form_fields

    with pytest.raises(ValueError, match="token"):
        kept_form_fields(
            "leaky", lambda: '<input type="hidden" name="csrfmiddlewaretoken" value="abc">'
        )
    assert str(kept_form_fields("clean", lambda: "<label>Vraag</label>")) == "<label>Vraag</label>"


@pytest.mark.django_db
def test_a_template_fragment_with_a_csrf_token_in_it_is_never_kept(rf):
    """Someone puts {% csrf_token %} inside a {% kept %} block: the page fails, loudly,
    rather than serve one visitor's token to everyone after."""
    from django.template import engines

    from steunpunt.cache import forget_kept

    forget_kept()
    template = engines["django"].from_string(
        "{% load kept %}{% kept 'leaky-top' %}<form>{% csrf_token %}</form>{% endkept %}"
    )
    request = rf.get("/")
    with pytest.raises(ValueError, match="token of one visitor"):
        template.render({}, request)
    plain = engines["django"].from_string(
        "{% load kept %}{% kept 'plain-top' %}<p>Hoi</p>{% endkept %}"
    )
    assert plain.render({}, request) == "<p>Hoi</p>"


def test_the_menu_marks_where_the_visitor_is():
    from steunpunt.context_processors import nav_current

    assert nav_current("/") == "home:page"
    assert nav_current("/informatie/") == "informatie:page"
    assert nav_current("/informatie/thuiszitten/") == "informatie"
    assert nav_current("/medewerkers/vragen/") == ""
