"""Ed25519 signatures for what one deployment sends another (the national feed, shared reports).

Every deployment has one signing key (settings.NATIONAL_SIGNING_KEY: 32 raw bytes in
url-safe base64, or derived from SECRET_KEY where derived keys are allowed, for
development and tests). Whoever receives a signed document knows the sender's
public key from its own settings (a region: the hub's key; the hub: each region's
key) and refuses anything whose signature does not hold.

What is signed is the exact bytes sent: ``canonical(document)`` gives the same bytes
for the same document on every machine, so a sender signs those bytes and sends them
as they are, and a receiver verifies the bytes before it parses them.
"""

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SignatureError(ValueError):
    """A signature or a key that does not hold."""


def canonical(document: Any) -> bytes:
    """The document as the bytes that are signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text.strip().encode())
    except (ValueError, TypeError) as error:
        raise SignatureError("not url-safe base64") from error


def new_private_key() -> str:
    """A fresh signing key, as NATIONAL_SIGNING_KEY expects it."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return _b64encode(raw)


def derived_private_key(secret: str) -> str:
    """A signing key derived from SECRET_KEY, for development and tests only."""
    return _b64encode(hashlib.sha256(f"signing-key:{secret}".encode()).digest())


def _private_key() -> Ed25519PrivateKey:
    text = settings.NATIONAL_SIGNING_KEY
    if not text:
        raise ImproperlyConfigured("NATIONAL_SIGNING_KEY is not set (see README).")
    raw = _b64decode(text)
    if len(raw) != 32:
        raise ImproperlyConfigured("NATIONAL_SIGNING_KEY must be 32 bytes in url-safe base64.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key() -> str:
    """This deployment's public key, to hand to whoever receives what it signs."""
    raw = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return _b64encode(raw)


def sign(data: bytes) -> str:
    """The signature of these exact bytes with this deployment's key."""
    return _b64encode(_private_key().sign(data))


def verify(data: bytes, signature: str, key: str) -> None:
    """Raise SignatureError unless `signature` is `key`'s signature of `data`."""
    raw_key = _b64decode(key)
    if len(raw_key) != 32:
        raise SignatureError("a public key is 32 bytes")
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(_b64decode(signature), data)
    except InvalidSignature as error:
        raise SignatureError("the signature does not match") from error
