from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
