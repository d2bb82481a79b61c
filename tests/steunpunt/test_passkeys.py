"""Passkeys: added only after the second factor, never a login by themselves.

The whole ceremony with a (virtual) authenticator runs in the browser:
tests/e2e/test_passkeys.py.
"""

import pytest
from django.test import Client
from django.urls import reverse

from steunpunt.models import AppDevice, AuditAction, AuditEntry
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
BEGIN_REGISTRATION = "/account/tweestaps/passkey/registration/begin/"
BEGIN_AUTHENTICATION = "/account/tweestaps/passkey/authentication/begin/"


def password_only(user) -> Client:
    client = Client()
    client.post(reverse("account:login"), {"username": user.username, "password": PASSWORD})
    return client


def test_a_password_alone_cannot_add_a_passkey(medewerker):
    # Without any factor yet: the door an attacker with a stolen password would use.
    response = password_only(medewerker).post(BEGIN_REGISTRATION)
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_first"
    # With an app but before its code: neither.
    AppDevice.objects.create(user=medewerker, name="app", confirmed=True)
    assert password_only(medewerker).post(BEGIN_REGISTRATION).status_code == 403


def test_after_the_second_factor_a_passkey_can_be_added(medewerker, settings):
    settings.OTP_WEBAUTHN_RP_ID = "steunpunt.example"
    response = client_for(medewerker).post(BEGIN_REGISTRATION)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"]["id"] == "steunpunt.example"
    assert options["user"]["name"] == "sanne"


def test_a_passkey_is_never_a_login_by_itself(client):
    response = client.post(BEGIN_AUTHENTICATION)
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_a_failed_passkey_is_audited(medewerker):
    client = password_only(medewerker)
    response = client.post(
        "/account/tweestaps/passkey/authentication/complete/",
        data="{}",
        content_type="application/json",
    )
    assert response.status_code == 400  # no ceremony was begun
    assert AuditEntry.objects.filter(
        action=AuditAction.SECOND_FACTOR_FAILED, actor=medewerker
    ).exists()


def test_the_passkeys_page_offers_to_add_one(medewerker):
    page = client_for(medewerker).get(reverse("account:passkeys")).text
    assert 'id="passkey-register-button"' in page
    assert 'id="otp_webauthn_config"' in page
