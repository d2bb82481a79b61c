"""The request as views see it, with what the middleware adds declared once.

As in django-htmx's example: a view annotates its request with one of these
classes; at run time the request is Django's own, the classes only tell the
type checker what HtmxMiddleware and the login have put on it.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails
from django_otp.middleware import is_verified as otp_is_verified


class HtmxHttpRequest(HttpRequest):
    """Any request: ``request.htmx`` is set by HtmxMiddleware."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request behind ``role_required``: a logged-in, active user."""

    user: User


def second_factor_done(user: User | AnonymousUser) -> bool:
    """Whether this login passed its second step (what OTPMiddleware's
    ``user.is_verified()`` answers, without the attribute it adds)."""
    return bool(otp_is_verified(user))


def logged_in_user(request: HttpRequest) -> User:
    """The user of a request that must be logged in (a view behind login)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


# A page with a form: GET shows it, POST sends it, and HEAD answers as GET does
# (without the body), for link checkers and monitors as for any page.
require_form_methods = require_http_methods(["GET", "HEAD", "POST"])
