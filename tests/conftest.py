"""The fixed cast of users for the tests: one per role, plus an outsider."""

import pytest
from django.core.cache import caches
from django.test import Client

from informeren.usage import push_reads
from steunpunt.cache import forget_kept
from steunpunt.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Tasks run inside the request, so a test sees the email it caused; the
    # database backend and its worker have tests of their own (test_tasks.py).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and read counts live in the cache: no test may inherit
    # another's attempts, reads or kept fragments (reads still in this
    # process are pushed first).
    push_reads()
    for each in caches.all():
        each.clear()
    forget_kept()
    yield
    push_reads()
    for each in caches.all():
        each.clear()
    forget_kept()


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


def client_for(user, *, second_factor: bool = True) -> Client:
    """A client logged in as ``user``; past the second factor unless told otherwise."""
    client = Client()
    client.force_login(user)
    if second_factor:
        verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user) -> None:
    """What a correct TOTP code does: mark this session as verified with a device."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from steunpunt.models import RecoveryDevice

    device, _ = RecoveryDevice.objects.get_or_create(user=user, name="test")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_code(user) -> str:
    """The current code of the user's authenticator app (enrolled here if needed)."""
    from django_otp.oath import TOTP

    from steunpunt.models import AppDevice

    device = AppDevice.objects.filter(
        user=user, confirmed=True
    ).first() or AppDevice.objects.create(user=user, name="app", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
