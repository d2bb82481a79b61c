"""The fixed cast of users for the tests: one per role, plus an outsider."""

import pytest
from django.core.cache import cache
from django.test import Client

from steunpunt.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits live in the cache: no test may inherit another's attempts.
    cache.clear()
    yield
    cache.clear()


def _user(username: str, *roles: Role):
    return UserFactory(username=username, roles=list(roles))


@pytest.fixture
def medewerker(db):
    return _user("sanne", Role.MEDEWERKER)


@pytest.fixture
def coordinator(db):
    return _user("karim", Role.COORDINATOR)


@pytest.fixture
def vrijwilliger(db):
    return _user("ingrid", Role.VRIJWILLIGER)


@pytest.fixture
def redacteur(db):
    return _user("tom", Role.REDACTEUR)


@pytest.fixture
def validator(db):
    return _user("esra", Role.VALIDATOR)


@pytest.fixture
def bestuur(db):
    return _user("willem", Role.BESTUUR)


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role at all."""
    return _user("buitenstaander")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
