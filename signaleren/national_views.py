"""Signals go up (signaleren/national.py): sharing a report with the hub, the hub's API
for regions, and the national picture for the board."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from signaleren import national
from signaleren.models import Report
from steunpunt import signing
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods
from steunpunt.roles import BOARD_ROLES, Role, role_required

PICTURE_READERS = (Role.COORDINATOR, Role.MEDEWERKER, *BOARD_ROLES)


# --- Region: the coordinator shares a report -----------------------------------------


@never_cache
@role_required(Role.COORDINATOR)
@require_form_methods
def report_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), shares on POST."""
    found = get_object_or_404(Report, pk=pk)
    problem = national.share_problem(found)
    if problem:
        messages.error(request, problem)
        return redirect(found)
    if request.method == "POST":
        try:
            national.share(report=found, by=request.user)
        except national.CannotShare as refused:
            messages.error(request, str(refused))
            return redirect(found)
        messages.success(
            request,
            _("De cijfers van deze rapportage zijn gedeeld met het landelijk steunpunt."),
        )
        return redirect(found)
    context = {"report": found, "tables": national.share_document(found)["tables"]}
    return render(request, "signaleren/report_share.html", context)


# --- Hub: the API for regions ---------------------------------------------------------


def _refused(refused: national.Refused) -> JsonResponse:
    answer = {"error": refused.message} | ({"code": refused.code} if refused.code else {})
    return JsonResponse(answer, status=refused.status)


@csrf_exempt  # signed by the region instead: no session, no cookie
def receive_report(request: HttpRequest) -> HttpResponse:
    if not settings.NATIONAL_HUB:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"error": _("De rapportage is te groot.")}, status=413)
    if len(body) > national.MAX_BODY:
        return JsonResponse({"error": _("De rapportage is te groot.")}, status=413)
    try:
        shared = national.receive(
            region_code=request.headers.get(national.REGION_HEADER, ""),
            body=body,
            signature=request.headers.get(national.SIGNATURE_HEADER, ""),
        )
    except national.Refused as refused:
        return _refused(refused)
    return JsonResponse({"ok": True, "id": shared.pk}, status=201)


@never_cache
@require_safe
def picture_json(request: HttpRequest) -> HttpResponse:
    """The national picture, signed by the hub, for registered regions only."""
    if not settings.NATIONAL_HUB:
        raise Http404
    try:
        national.check_picture_request(
            request.headers.get(national.REGION_HEADER, ""),
            request.headers.get(national.TIME_HEADER, ""),
            request.headers.get(national.SIGNATURE_HEADER, ""),
        )
    except national.Refused as refused:
        return _refused(refused)
    body = signing.canonical(national.national_picture())
    response = HttpResponse(body, content_type="application/json")
    response[national.SIGNATURE_HEADER] = signing.sign(body)
    return response


# --- The board: the national picture --------------------------------------------------


@never_cache
@role_required(*PICTURE_READERS)
def picture_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """At the hub: made now from what regions shared. In a region: as last fetched from
    the hub, with its date, or a calm word that it is not there yet."""
    found = national.picture()
    if found is None:
        raise Http404
    context: dict[str, Any] = {"picture": found, "document": found.document or {}}
    return render(request, "signaleren/national.html", context)


def report_context(report: Report, *, is_coordinator: bool) -> dict[str, Any]:
    """What the report page shows about the hub: for the coordinator whether and when
    the report was shared; for every reader the national picture beside its own."""
    if not report.is_published:
        return {}
    context: dict[str, Any] = {}
    if is_coordinator and settings.NATIONAL_HUB_URL:
        shares = list(report.shares.select_related("attempted_by")[:5])
        done = next((s for s in shares if s.succeeded), None)
        context["national_share"] = {
            "done": done,
            "possible": national.share_problem(report) is None,
            "last_failure": shares[0] if shares and not shares[0].succeeded else None,
        }
    found = national.picture()
    if found is not None:
        context["national"] = found
        context["national_period"] = found.period(report.period_start, report.period_end)
        context["national_beside"] = found.beside(
            report.published_figures, report.period_start, report.period_end
        )
    return context
