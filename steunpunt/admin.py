"""The Django admin shows no second-factor secret.

django-otp registers its TOTP and static devices in the admin, with the
key and the codes in the clear; the portal's own devices (AppDevice,
RecoveryDevice) are not registered at all, and passkeys are managed by their
owner at /account/passkeys/. Linking an app goes through an
invitation (steunpunt/twofactor.py), never through the admin.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

for model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
