"""Django's Redis cache, keeping one redis-py client per connection pool.

Django's client makes a new ``redis.Redis`` for every command. With redis-py 8
that object builds its table of response callbacks each time: about 0.2 ms,
more than the round trip to Redis itself (measured in tests/bench/bench_load.py:
a cached page went from 2.1 ms to well under 1 ms of server time). The client
is thread-safe and only borrows connections from the pool, so one will do.
"""

import redis
from django.core.cache.backends import redis as django_redis

# What the shared cache raises when Redis cannot be reached. Pages and read
# counts carry on without it; rate limits and edits answer 503 meanwhile.
CACHE_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
