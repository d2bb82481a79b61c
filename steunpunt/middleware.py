from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from steunpunt.http import second_factor_done

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()"
)
LOGIN_AT = "staff_login_at"
SEEN_AT = "staff_seen_at"


class PermissionsPolicyMiddleware:
    """The site needs no camera, microphone, location or payment: say so to the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class StaffSessionMiddleware:
    """End a staff session after inactivity, and in any case some hours after login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            session = request.session
            # A session without a start time (made outside our login view) starts now.
            login_at = session.setdefault(LOGIN_AT, now.isoformat())
            seen_at = session.get(SEEN_AT)
            expired = now - datetime.fromisoformat(login_at) > timedelta(
                hours=settings.STAFF_SESSION_HOURS
            ) or (
                seen_at is not None
                and now - datetime.fromisoformat(seen_at)
                > timedelta(minutes=settings.STAFF_IDLE_MINUTES)
            )
            if expired:
                logout(request)
            elif seen_at is None or now - datetime.fromisoformat(seen_at) > timedelta(minutes=1):
                # Saved at most once a minute, not on every request.
                session[SEEN_AT] = now.isoformat()
        return self.get_response(request)


def start_staff_session(request: HttpRequest) -> None:
    now = timezone.now().isoformat()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


# Paths a logged-in user may reach before the second factor: logging out and
# the second factor itself. Public pages stay public.
STAFF_PREFIXES = ("/medewerkers/", "/redactie/", "/signalen/", "/account/", "/beheer/")
BEFORE_SECOND_FACTOR = ("/account/login/", "/account/logout/", "/account/tweestaps/")


class TwoFactorMiddleware:
    """No staff page without a verified second factor (TOTP or a recovery code)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = request.path
        if (
            user.is_authenticated
            and not second_factor_done(user)
            and path.startswith(STAFF_PREFIXES)
            and not path.startswith(BEFORE_SECOND_FACTOR)
        ):
            return redirect_to_second_factor(request)
        return self.get_response(request)


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    target = request.get_full_path()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("account:workspace")
    return redirect(f"{reverse('account:second_factor')}?{urlencode({'next': target})}")
