"""Follow-ups after a referral: the handler's list, and recording one as done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from steunen import actions
from steunen.models import Referral
from steunen.referrals import all_open_follow_ups, open_follow_ups
from steunen.staff import MANAGERS, case_workers_only, get_case_for
from steunpunt.http import AuthenticatedHttpRequest
from steunpunt.roles import has_role


@never_cache
@case_workers_only(*MANAGERS)
def follow_ups(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What I promised to follow up (due first), and the team's open follow-ups."""
    mine = open_follow_ups(request.user)
    mine_ids = {referral.pk for referral in mine}
    others = [r for r in all_open_follow_ups(request.user) if r.pk not in mine_ids]
    context = {"mine": mine, "others": others, "today": timezone.localdate()}
    return render(request, "steunen/follow_ups.html", context)


@never_cache
@login_required
@require_POST
def case_follow_up(request: AuthenticatedHttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The follow-up of this referral is done: on the case's timeline, off the list."""
    case = get_case_for(request, pk)
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied
    referral = get_object_or_404(Referral.objects.select_related("case"), pk=referral_pk, case=case)
    if actions.record_follow_up(referral=referral, by=request.user):
        messages.success(
            request, f"Het nabellen na de verwijzing naar {referral.organisatie} is gedaan."
        )
    else:
        messages.info(request, "Dit nabellen was al vastgelegd.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("steunen:case", pk=case.pk)
