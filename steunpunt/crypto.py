"""Encryption at rest for what askers, visitors and staff write, and how to reach them.

The stored form of a non-empty value is always an envelope: "enc2:" and a
Fernet token (AES-128-CBC with an HMAC-SHA256 over version, time, IV and
ciphertext). Every non-empty value is encrypted on its way into the
database, whatever it looks like: text a visitor typed that happens to start
with "enc2:" (or the old "enc1:") is encrypted like any other, so nothing a
user writes can be taken for ciphertext, and a stored value decrypts only
when its MAC holds. Empty stays empty (nothing to hide, and cheap to test).

Before "enc2:", text starting with "enc1:" was stored as typed and could no
longer be read; the migrations ``fix_encryption_envelope`` rewrite every
older value (plaintext, "enc1:" tokens, and such typed text) as "enc2:".

Keys come from FIELD_ENCRYPTION_KEYS (comma separated, newest first): the
first one encrypts, all of them decrypt, so keys can be rotated without
downtime (see `manage.py rotate_encryption_key`). A database dump or backup
without the keys holds no readable question, message, name, email, phone
number, remark or second-factor key.

The cost: the database cannot search or sort these fields. Where a value
must be found or kept unique (a sign-up's email per meeting), a keyed hash
of it sits beside it (``blind_index``).
"""

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc2:"
# The envelope before 2026-12: "enc1:" + token, but text typed with that
# prefix was stored unencrypted. Read (by the migrations) only.
LEGACY_PREFIX = "enc1:"


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
    """The envelope of ``value``, whatever ``value`` is (also text that looks like one)."""
    return PREFIX + fernet().encrypt(value.encode()).decode()


class UndecryptableValue(ImproperlyConfigured):
    """A stored envelope no key opens: a key was removed too early, or the value was altered."""


def decrypt(stored: str) -> str:
    """The value in an envelope made by ``encrypt``; the MAC is checked first."""
    if not stored.startswith(PREFIX):
        raise UndecryptableValue("Not an encrypted value (no 'enc2:' envelope).")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise UndecryptableValue(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
            "was a key removed too early, or was the value changed in the database?"
        ) from error


def read_stored(stored: str) -> str:
    """What a stored value says, also in a format from before "enc2:".

    An "enc2:" envelope must decrypt. Anything else is from before: an
    "enc1:" token that decrypts, or text stored as typed (plaintext from
    before encryption, or typed text that began with "enc1:").
    """
    if stored.startswith(PREFIX):
        return decrypt(stored)
    if stored.startswith(LEGACY_PREFIX):
        try:
            return fernet().decrypt(stored[len(LEGACY_PREFIX) :].encode()).decode()
        except InvalidToken:
            return stored  # typed by a user, stored unencrypted by the old envelope
    return stored


def rotate(stored: str) -> str:
    """The same value, encrypted with the newest key (in the current envelope)."""
    if not stored:
        return stored
    return encrypt(read_stored(stored))


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash to find or keep unique an encrypted value, without the value.

    ``purpose`` separates uses (and may hold a scope, such as a meeting id, so
    that one email gives unrelated hashes in unrelated places).
    """
    key = hashlib.sha256(f"blind-index:{settings.RETURN_CODE_KEY}".encode()).digest()
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField[str, str]):
    """A text field stored encrypted ("enc2:" envelope). Empty stays empty.

    The database cannot filter on it: a lookup compares with a fresh
    ciphertext and never matches (only ``=""`` works).
    """

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        # Always: a value that merely looks like an envelope is user text.
        return encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return read_stored(value)

    def to_python(self, value: Any) -> Any:
        # Values reaching Python (forms, fixtures) are plaintext, never envelopes.
        return super().to_python(value)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and their names (for rotation and checks)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found
