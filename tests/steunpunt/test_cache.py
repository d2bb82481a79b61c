"""Counters in the shared cache (Redis): rate limits keep their window, generations move on."""

import pytest
import redis
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from steunpunt import ratelimit
from steunpunt.cache import next_generation, shared_generation

REDIS_URL = "redis://127.0.0.1:6379/12"
SHARED_REDIS = {
    "default": {"BACKEND": "steunpunt.cache.RedisCache", "LOCATION": REDIS_URL},
    "local": {"BACKEND": "steunpunt.cache.ProcessMemoryCache", "LOCATION": "test-cache"},
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
        assert not ratelimit.is_limited("question", request, limit=3)
        ratelimit.hit("question", request, window=3600)
    assert ratelimit.is_limited("question", request, limit=3)
    (key,) = shared_redis.keys("*ratelimit*")
    assert 3590 < shared_redis.ttl(key) <= 3600  # the window still ends
    other = RequestFactory().post("/vraag/", REMOTE_ADDR="192.0.2.8")
    assert not ratelimit.is_limited("question", other, limit=3)


def test_adding_to_a_counter_that_is_gone_does_not_bring_it_back_without_an_end(shared_redis):
    with pytest.raises(ValueError):
        cache.incr("gone")
    assert not shared_redis.keys("*gone*")
    cache.set("counter", 5, 60)
    assert cache.incr("counter") == 6
    assert cache.incr("counter", 4) == 10
    assert 0 < shared_redis.ttl(shared_redis.keys("*counter*")[0]) <= 60


def test_a_generation_moves_on_also_after_redis_lost_it(shared_redis):
    first = shared_generation("pages:generation")
    assert next_generation("pages:generation") == first + 1
    shared_redis.flushdb()  # Redis restarted
    assert next_generation("pages:generation") not in (first, first + 1)
