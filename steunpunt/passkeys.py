"""Passkeys (WebAuthn) as the preferred second factor, beside the authenticator app.

django-otp-webauthn does the ceremonies (its views, its JavaScript, its
credential model: a public key, nothing secret). This module holds the
portal's rules around them, under the library's URL names:

- a passkey is added only in a session that passed the second factor
  already (the library would also let a password-only session add one to
  an account without any factor: that is the door the invitation rule
  closes, steunpunt/twofactor.py);
- a passkey is a second factor only, never a login by itself
  (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False);
- passing it rotates the session key and is audited, and so is a failure.
"""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.models import AbstractWebAuthnCredential, WebAuthnCredential

from steunpunt.http import AuthenticatedHttpRequest, logged_in_user, second_factor_done
from steunpunt.models import AuditAction, AuditEntry


class VerifiedSessionOnly(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "second_factor_first"
    default_detail = _("Voeg een passkey toe nadat u de tweede stap heeft gedaan.")


class _OnlyAfterSecondFactor:
    request: HttpRequest

    def check_can_register(self) -> None:
        if not second_factor_done(self.request.user):
            raise VerifiedSessionOnly()  # type: ignore[no-untyped-call]


class BeginRegistration(_OnlyAfterSecondFactor, webauthn.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_OnlyAfterSecondFactor, webauthn.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(*args, **kwargs)  # type: ignore[no-untyped-call]
        user = logged_in_user(self.request)
        AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR_ENROLLED, obj=user)
        return response


class BeginAuthentication(webauthn.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device: AbstractWebAuthnCredential) -> AbstractBaseUser:
        from steunpunt.twofactor import pass_second_factor

        # The library's own step marks the session verified; ours also gives
        # it a new key (as after a code from the app). Never a login by
        # itself: the password came first.
        user = logged_in_user(self.request)
        pass_second_factor(self.request, device)
        AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR, obj=user)
        return user

    def get_success_url(self) -> str:
        from steunpunt.twofactor import _next_url

        return _next_url(self.request)

    def handle_exception(self, exc: Exception) -> HttpResponse:
        user = getattr(self.request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            AuditEntry.record(actor=user, action=AuditAction.SECOND_FACTOR_FAILED, obj=user)
        response: HttpResponse = super().handle_exception(exc)  # type: ignore[no-untyped-call]
        return response


def has_passkey(user: AbstractBaseUser) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@never_cache
@login_required
@require_safe
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff member's passkeys, and a button to add one (in a verified session)."""
    credentials = WebAuthnCredential.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "account/passkeys.html", {"credentials": credentials})


# Included at /account/tweestaps/passkey/ (reachable before the second
# factor, for the authentication ceremony) under the library's namespace,
# whose names its template tags reverse.
app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        BeginAuthentication.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
