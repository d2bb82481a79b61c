"""The two caches: the shared one (Redis) and each process's own.

Django's Redis cache here keeps one redis-py client per connection pool.

Django's client makes a new ``redis.Redis`` for every command. With redis-py 8
that object builds its table of response callbacks each time: about 0.2 ms,
more than the round trip to Redis itself (measured in tests/bench/bench_load.py:
a cached page went from 2.1 ms to well under 1 ms of server time). The client
is thread-safe and only borrows connections from the pool, so one will do.

Its ``incr`` asks "does the key exist?" and then "add one": two round trips,
and a key that expires between the two comes back as a counter without an
expiry (a rate limit that never ends). Ours does both in one Lua script:
one round trip, atomic.
"""

import secrets

import redis
from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.locmem import LocMemCache

# What the shared cache raises when Redis cannot be reached. Pages and read
# counts carry on without it; rate limits and edits answer 503 meanwhile.
CACHE_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError)


# Add to an existing key only; nil (None in Python) when there is none.
INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return nil
"""


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_existing = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._incr_existing[index] = client.register_script(INCR_EXISTING)
            self._clients[index] = client
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = self._incr_existing[self._get_connection_pool_index(True)](
            keys=[key], args=[delta], client=client
        )
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


class ProcessMemoryCache(LocMemCache):
    """Each process's own cache (CACHES["local"]), for keys our code makes.

    Its keys are made by our code (hashed fragment keys, names with a
    revision or a content generation) and never leave the process, so the
    check that a key would suit memcached is left out (Django's documented
    way: override validate_key). It ran for every fragment of every page:
    about 4 % of a freshly made information page (tests/bench/bench_load.py).
    """

    def validate_key(self, key: str) -> None:
        pass


def shared_generation(key: str) -> int:
    """A generation number in the shared cache, started at random when missing.

    Random, not 0: a cache that lost it (Redis restarted) must not bring back
    a number that values of long ago were kept under. Raises CACHE_UNAVAILABLE.
    """
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.randbits(48), None)
        value = cache.get(key, 0)
    return value


def next_generation(key: str) -> int:
    """Move the generation under ``key`` on; returns the new number."""
    try:
        return cache.incr(key)
    except ValueError:  # never set, or evicted: a new random start is new too
        return shared_generation(key)
