"""The national set over HTTP: the hub's feed, the region's pull page, regional deviations.

The feed (``/landelijk/feed/``, only where NATIONAL_HUB is on) answers with the
exact canonical bytes of the newest feed document; the Ed25519 signature of those
bytes is in the ``X-Steunpunt-Signature`` header and the version in
``X-Steunpunt-Feed-Version`` (also the ETag). It holds nothing of a visitor.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from informeren import actions, subscription
from informeren.changes import KINDS
from informeren.models import (
    NationalPull,
    PullResult,
    Revision,
    Translation,
    Wijziging,
    WijzigingSoort,
    WorkflowError,
)
from informeren.national import SIGNATURE_HEADER, VERSION_HEADER, current_feed
from steunpunt.http import AuthenticatedHttpRequest
from steunpunt.roles import Role, role_required

EDITORS = (Role.REDACTEUR, Role.VALIDATOR)


@require_safe
def feed(request: HttpRequest) -> HttpResponseBase:
    if not settings.NATIONAL_HUB:
        raise Http404
    latest = current_feed()
    etag = f'"{latest.version}"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(latest.body), content_type="application/json")
    response["ETag"] = etag
    response[SIGNATURE_HEADER] = latest.signature
    response[VERSION_HEADER] = str(latest.version)
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@role_required(*EDITORS)
def pulls(request: HttpRequest) -> HttpResponse:
    """The redactie's view of the national set: when last fetched, what came of it."""
    recent = list(NationalPull.objects.all()[:20])
    last_ok = NationalPull.objects.filter(result=PullResult.OK).order_by("-started_at").first()
    return render(
        request,
        "informeren/redactie/national.html",
        {
            "hub_configured": subscription.hub_configured(),
            "hub_url": settings.NATIONAL_HUB_URL,
            "pulls": recent,
            "last": recent[0] if recent else None,
            "last_ok": last_ok,
            "accepted_version": subscription.last_accepted_version(),
        },
    )


@role_required(*EDITORS)
@require_POST
def pull_now(request: HttpRequest) -> HttpResponse:
    """ "Nu ophalen": a staff request, with the pull's short timeout; never a visitor's."""
    pull = subscription.pull()
    if pull is None:
        messages.error(request, _("Er is geen landelijke redactie ingesteld."))
    elif pull.result in (PullResult.OK, PullResult.UNCHANGED):
        messages.success(request, pull.message)
    else:
        messages.error(request, pull.message)
    return redirect("informeren:national_pulls")


class DeviationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Waarom wijkt de regio af van de landelijke tekst?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": gettext_lazy(
                "Schrijf op waarom de regio afwijkt. Dat komt in de geschiedenis van de pagina."
            )
        },
    )


def national_text_locked(revision: Revision) -> bool:
    """With a hub, the national part of a topic that came from the hub changes only through
    the feed or a recorded deviation (a region's own topics stay the region's to write)."""
    return (
        subscription.hub_configured()
        and not revision.deviation_reason
        and revision.topic.revisions.filter(national_number__isnull=False).exists()
    )


def translation_national_locked(translation: Translation) -> bool:
    """The same rule for a translation: with a hub, the translated national text of a
    language the hub sends (a translation of it was staged from the feed) changes only
    through the feed, unless the Dutch version it translates records a deviation."""
    return (
        subscription.hub_configured()
        and not translation.source.deviation_reason
        and translation.topic.translations.filter(
            language=translation.language,
            author__isnull=True,
            source__national_number__isnull=False,
        ).exists()
    )


def change_national_fields_locked(
    kind: str, target_id: int | None, change: Wijziging | None
) -> tuple[str, ...]:
    """The fields of a term, checklist or organisation that the region may not change here.

    With a hub, an item that came from the hub (or a change the pull staged)
    keeps its national fields (``Kind.national_fields``) unless the change records
    a regionale afwijking; a region's own items and every item without a hub stay
    the region's to write. Empty when nothing is locked.
    """
    if not subscription.hub_configured() or (change is not None and change.deviation_reason):
        return ()
    spec = KINDS[kind]
    from_hub = (change is not None and change.from_hub) or (
        target_id is not None
        and spec.model._default_manager.filter(pk=target_id, from_hub=True).exists()
    )
    return spec.national_fields if from_hub else ()


NATIONAL_ITEM_KINDS = (WijzigingSoort.BEGRIP, WijzigingSoort.CHECKLIST, WijzigingSoort.ORGANISATIE)


@role_required(Role.REDACTEUR)
@require_POST
def change_deviation(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """A "regionale afwijking" for a term, checklist or organisation from the hub."""
    if kind not in NATIONAL_ITEM_KINDS:
        raise Http404
    target = get_object_or_404(KINDS[kind].model, pk=pk)
    form = DeviationForm(request.POST)
    waiting = actions.open_change(kind=kind, target_id=target.pk)
    back = (
        redirect("informeren:change_edit", pk=waiting.pk)
        if waiting is not None
        else redirect(f"informeren:{kind}_edit", pk=target.pk)
    )
    if not form.is_valid():
        messages.error(request, str(form.errors["reason"][0]))
        return back
    try:
        change = actions.record_change_deviation(
            kind=kind,
            target_id=target.pk,
            change=waiting,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        assert waiting is not None  # a new concept is always editable
        return redirect("informeren:change", pk=waiting.pk)
    messages.success(
        request,
        _("De regionale afwijking is vastgelegd. U kunt nu ook de landelijke inhoud aanpassen."),
    )
    return redirect("informeren:change_edit", pk=change.pk)


@role_required(Role.REDACTEUR)
@require_POST
def deviation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a "regionale afwijking" with its reason: then the national part may be edited."""
    revision = get_object_or_404(Revision, pk=pk)
    form = DeviationForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["reason"][0]))
        return redirect("informeren:revision_edit", pk=revision.pk)
    try:
        actions.record_deviation(
            revision=revision, by=request.user, reason=form.cleaned_data["reason"]
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("informeren:revision", pk=revision.pk)
    messages.success(
        request,
        _("De regionale afwijking is vastgelegd. U kunt nu ook de landelijke tekst aanpassen."),
    )
    return redirect("informeren:revision_edit", pk=revision.pk)
