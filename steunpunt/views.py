import logging
import sys
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from steunpunt.cache import CACHE_UNAVAILABLE, public_page
from steunpunt.http import require_form_methods
from steunpunt.roles import roles_of

logger = logging.getLogger(__name__)

# What is raised when the database or the shared cache (Redis) cannot be
# reached: a passing outage, answered with 503 rather than 500.
SERVICE_UNAVAILABLE = (OperationalError, InterfaceError, *CACHE_UNAVAILABLE)


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "steunpunt/home.html")


@require_safe
@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy statement, with the periods taken from the settings in force."""
    context = {
        "case_retention_months": round(settings.CASE_RETENTION_DAYS / 30.4),
        "meeting_retention_days": settings.MEETING_RETENTION_DAYS,
        "asker_session_minutes": settings.ASKER_SESSION_MINUTES,
        "staff_idle_minutes": settings.STAFF_IDLE_MINUTES,
    }
    return render(request, "steunpunt/privacy.html", context)


@require_safe
@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "steunpunt/toegankelijkheid.html")


@login_required
@never_cache
def workspace(request: HttpRequest) -> HttpResponse:
    """The landing page after login: the areas this user's roles open."""
    roles = sorted(roles_of(request.user), key=lambda role: role.label)
    context = {"roles": roles, "role_values": [role.value for role in roles]}
    return render(request, "account/workspace.html", context)


# A task waiting longer than this to run means no worker takes tasks.
TASKS_LATE_SECONDS = 15 * 60


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Which part is down, for load balancers and monitoring.

    503 only when the site cannot serve: without the database. Without the
    shared cache (Redis) pages are still served, slower and without rate
    limits; without a task worker questions still come in but mails wait.
    Both are named in the answer, with a 200, so a load balancer does not
    take a server out that still serves.
    """
    report = {"status": "ok", "database": "ok", "cache": "ok", "tasks": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "not healthy"
        logger.exception("Health check: database unavailable")
        report.update(status="error", database="unavailable", tasks="unknown")
    try:
        cache.get("healthz")
    except Exception:  # the shared cache is away: pages still work without it
        logger.warning("Health check: cache unavailable", exc_info=True)
        report["cache"] = "unavailable"
    if report["database"] == "ok":
        report["tasks"] = _tasks_health()
    if report["status"] == "ok" and (report["cache"] != "ok" or report["tasks"] != "ok"):
        report["status"] = "degraded"
    return JsonResponse(report, status=503 if report["status"] == "error" else 200)


def _tasks_health() -> str:
    """ "ok", or "late" when a task has waited long for a worker (none runs)."""
    if not str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db."):
        return "ok"  # they run inside the request
    from django_tasks_db.models import DBTaskResult, get_date_max

    since = timezone.now() - timedelta(seconds=TASKS_LATE_SECONDS)
    waiting = DBTaskResult.objects.ready().filter(
        # run_after is "the end of time" for a task that may run at once.
        Q(run_after=get_date_max(), enqueued_at__lt=since) | Q(run_after__lt=since)
    )
    try:
        if waiting.exists():
            return "late"
    except SERVICE_UNAVAILABLE:
        return "unknown"
    return "ok"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid CSRF token: our page, and nothing typed is lost.

    Most often the browser kept no cookie, or the page stood open for hours.
    The question form comes back filled in; other forms explain what to do.
    Without a cookie at all, sending again may fail the same way (a browser
    that keeps no cookies): the page says so, and how to reach us instead.
    """
    no_cookie = reason == REASON_NO_CSRF_COOKIE
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    handler = settings.CSRF_FAILURE_FORMS.get(match.view_name) if match is not None else None
    if handler is not None:
        # The app that owns the form gives it back filled in (CSRF_FAILURE_FORMS).
        after_failure: Callable[..., HttpResponse] = import_string(handler)
        return after_failure(request, no_cookie=no_cookie)
    return render(request, "csrf_failure.html", {"no_cookie": no_cookie}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an error nobody caught; a 503 when the database is away.

    Rendered without context processors or the database: whatever broke may
    break those too. Django calls this while handling the exception, so the
    exception itself is at hand.
    """
    context = {
        "steunpunt_name": settings.STEUNPUNT_NAME,
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
    if isinstance(sys.exc_info()[1], SERVICE_UNAVAILABLE):
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(context), status=500)


# "Snel weg" on every public page (templates/steunpunt/_quick_exit.html and
# static/js/steunpunt.js) ends this browser's session here, so a new tab, or
# Back, no longer shows an asker's conversation. Two exceptions to the usual
# rules, both on purpose, because this view only ever destroys:
# - No CSRF token: the script sends navigator.sendBeacon, which cannot carry
#   one, and the link is a plain link. The worst a forged request can do is
#   end a session, which a visitor may always do. (The session cookie is
#   SameSite=Lax, so another site's POST does not even carry it.)
# - A GET that logs out: without JavaScript the button is a link to here, and
#   a link is a GET. A form (POST) cannot do it: the CSP's form-action 'self'
#   stops a form's redirect to another site.
@csrf_exempt
@never_cache
@require_form_methods
def quick_exit(request: HttpRequest) -> HttpResponse:
    """End this browser's session (an asker's open question, a staff login), then leave.

    The script's beacon is answered with 204 while the browser already goes
    to the neutral site; the link without JavaScript is sent there from here.
    """
    logout(request)  # flushes the session, also of a visitor who never logged in
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponseRedirect(settings.QUICK_EXIT_URL)


@never_cache
def admin_login(request: HttpRequest) -> HttpResponse:
    """Where Django's admin sends everyone it does not let in.

    The admin has no login of its own: a visitor goes to ours. A logged-in
    user the admin refused (everyone but a superuser) gets our 403 page;
    sending them to our login would send them straight back here, round and
    round.
    """
    if not request.user.is_authenticated:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(reverse("account:login") + (f"?{query}" if query else ""))
    if request.user.is_superuser and admin.site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index"))
    raise PermissionDenied
