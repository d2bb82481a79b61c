"""Encryption at rest for what askers write and how to reach them.

Values are stored as "enc1:" + a Fernet token (AES with an HMAC). Keys come
from FIELD_ENCRYPTION_KEYS (comma separated, newest first): the first one
encrypts, all of them decrypt, so keys can be rotated without downtime
(see `manage.py rotate_encryption_key`). A database dump or backup without
the keys holds no readable question, message, name, email or phone number.

The cost: the database cannot search or sort these fields. The product
never does (staff find cases by number, filters and themes).
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)"
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def dev_key(secret: str) -> str:
    """A key derived from SECRET_KEY, for development only."""
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"field-key:{secret}".encode()).digest()
    ).decode()


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value  # written before encryption was switched on
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
            "was a key removed too early?"
        ) from error


def rotate(value: str) -> str:
    """The same value, encrypted with the newest key."""
    if not value:
        return value
    if not value.startswith(PREFIX):
        return encrypt(value)
    return PREFIX + fernet().rotate(value[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. Empty stays empty (nothing to hide, and cheap to test)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(PREFIX):
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return super().to_python(value)
