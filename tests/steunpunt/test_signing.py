"""What one deployment signs, another can check; nothing else passes."""

import pytest
from django.conf import settings

from steunpunt import signing


def test_a_signed_document_verifies_with_the_senders_public_key():
    data = signing.canonical({"versie": 3, "onderwerpen": ["thuiszitten"]})
    signature = signing.sign(data)
    signing.verify(data, signature, signing.public_key())


def test_the_same_document_gives_the_same_bytes_whatever_the_key_order():
    assert signing.canonical({"b": 1, "a": "é"}) == signing.canonical({"a": "é", "b": 1})


def test_one_changed_byte_is_refused():
    data = signing.canonical({"tekst": "Je hebt recht op onderwijs."})
    signature = signing.sign(data)
    with pytest.raises(signing.SignatureError):
        signing.verify(data.replace(b"recht", b"plicht"), signature, signing.public_key())


def test_a_signature_by_another_key_is_refused(settings):
    data = signing.canonical({"versie": 1})
    signature = signing.sign(data)
    settings.NATIONAL_SIGNING_KEY = signing.new_private_key()
    with pytest.raises(signing.SignatureError):
        signing.verify(data, signature, signing.public_key())


def test_garbage_for_a_key_or_signature_is_a_signature_error():
    data = b"{}"
    with pytest.raises(signing.SignatureError):
        signing.verify(data, "not base64 !!", signing.public_key())
    with pytest.raises(signing.SignatureError):
        signing.verify(data, signing.sign(data), "c2hvcnQ=")


def test_development_derives_the_key_from_the_secret_key():
    assert signing.derived_private_key(settings.SECRET_KEY) == settings.NATIONAL_SIGNING_KEY
