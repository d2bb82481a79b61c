"""Buddies in the portal: the public explanation, the asker's wish, the pool, matching,
the buddy's own view.

A buddy (a vrijwilliger without a staff role) opens a case only once they
accepted the invitation, and then sees only what a buddy needs: the
conversation, who the asker is as far as they told us, and how they want to
be reached. Never the internal notes, time, referrals, files or other cases;
staff's case pages answer them 404 (steunen/staff.py get_case_for).
"""

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from steunen import buddy_actions
from steunen.buddies import (
    BuddyProfile,
    BuddyWish,
    BuddyWishSource,
    CaseMember,
    MemberRole,
    MemberStatus,
    buddy_author_ids,
    people_on,
    rank_buddies,
)
from steunen.buddy_forms import BuddyMessageForm, BuddyProfileForm, InviteForm, ReaderForm
from steunen.models import AskerType, Attachment, Case, CaseWorkflowError
from steunen.staff import MANAGERS, case_workers_only, get_case_for
from steunpunt.cache import public_page
from steunpunt.http import AuthenticatedHttpRequest, logged_in_user, require_form_methods
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role, has_role

# How many of the best fits the case page shows; the match page shows all.
PANEL_FITS = 3


# --- The public side -----------------------------------------------------------------


@require_safe
@public_page
def info(request: HttpRequest) -> HttpResponse:
    """/buddy/: what a buddy is, and how to ask for one."""
    return render(request, "steunen/buddy/info.html")


@never_cache
@require_POST
def asker_wish(request: HttpRequest) -> HttpResponse:
    """From the conversation (opened with the code): "I would like a buddy"."""
    from steunen.views import _asker_case, _audience_of

    case = _asker_case(request)
    if case is None:
        return redirect("steunen:return")
    youth = bool(_audience_of(case))
    try:
        new = buddy_actions.wish_buddy(case=case, via=BuddyWishSource.CONVERSATION)
    except CaseWorkflowError:
        new = False
    if new:
        messages.success(
            request,
            _("We hebben je vraag om een buddy genoteerd. We zoeken iemand die bij je past.")
            if youth
            else _("Wij hebben uw vraag om een buddy genoteerd. Wij zoeken iemand die bij u past."),
        )
    else:
        messages.info(
            request,
            _("Je had al om een buddy gevraagd. We laten het je weten.")
            if youth
            else _("U had al om een buddy gevraagd. Wij laten het u weten."),
        )
    return redirect("steunen:conversation")


# --- The case page's panel (staff) ----------------------------------------------------


def case_panel(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The people on the case for its page; for a coordinator also the best fits."""
    panel: dict[str, Any] = {
        "people": people_on(case),
        "wish": BuddyWish.objects.filter(case=case).first(),
        "can_manage": has_role(request.user, *MANAGERS),
        "is_coordinator": has_role(request.user, Role.COORDINATOR),
    }
    if panel["can_manage"]:
        panel["reader_form"] = ReaderForm(prefix="reader")
    if panel["is_coordinator"] and case.is_open:
        fits = [fit for fit in rank_buddies(case) if fit.matchable]
        panel["fits"] = fits[:PANEL_FITS]
        panel["more_fits"] = len(fits) > PANEL_FITS
    return panel


def _audit(request: HttpRequest, case: Case) -> None:
    AuditEntry.record(actor=logged_in_user(request), action=AuditAction.CASE_VIEWED, obj=case)


@never_cache
@case_workers_only(Role.COORDINATOR)
def match(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every volunteer for this case, best fit first, with why; who cannot, and why not."""
    case = get_case_for(request, pk)
    fits = rank_buddies(case)
    _audit(request, case)
    context = {
        "case": case,
        "fits": [fit for fit in fits if fit.matchable],
        "blocked": [fit for fit in fits if not fit.matchable],
        "people": people_on(case),
        "wish": BuddyWish.objects.filter(case=case).first(),
    }
    return render(request, "steunen/buddy/match.html", context)


@never_cache
@case_workers_only(Role.COORDINATOR)
@require_POST
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["buddy"]))
        return redirect("steunen:case_buddy_match", pk=case.pk)
    profile = form.cleaned_data["buddy"]
    try:
        buddy_actions.invite_buddy(case=case, by=request.user, buddy=profile.user)
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
        return redirect("steunen:case_buddy_match", pk=case.pk)
    messages.success(
        request,
        f"{profile.name} is uitgenodigd als buddy. Zodra de buddy ja zegt, ziet die het gesprek.",
    )
    return redirect("steunen:case", pk=case.pk)


@never_cache
@case_workers_only(*MANAGERS)
@require_POST
def add_reader(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    form = ReaderForm(request.POST, prefix="reader")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["reader"]))
        return redirect("steunen:case", pk=case.pk)
    try:
        buddy_actions.add_reader(case=case, by=request.user, reader=form.cleaned_data["reader"])
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "De meelezer is toegevoegd.")
    return redirect("steunen:case", pk=case.pk)


@never_cache
@case_workers_only(*MANAGERS)
@require_POST
def remove_member(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    member = get_object_or_404(CaseMember, pk=member_pk, case=case)
    if member.role == MemberRole.BUDDY and not has_role(request.user, Role.COORDINATOR):
        messages.error(request, "Alleen een coördinator haalt een buddy van een vraag.")
        return redirect("steunen:case", pk=case.pk)
    try:
        buddy_actions.remove_member(member=member, by=request.user)
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{member.name} staat niet meer op deze vraag.")
    return redirect("steunen:case", pk=case.pk)


@never_cache
@case_workers_only(*MANAGERS)
@require_POST
def staff_wish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The asker asked for a buddy by phone or at the door: staff note it."""
    case = get_case_for(request, pk)
    try:
        new = buddy_actions.wish_buddy(case=case, via=BuddyWishSource.STAFF, by=request.user)
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, "De wens om een buddy is genoteerd." if new else "Dit stond al genoteerd."
        )
    return redirect("steunen:case", pk=case.pk)


# --- The pool (coordinator) -------------------------------------------------------------


@never_cache
@case_workers_only(Role.COORDINATOR)
def pool(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    profiles = [
        (profile, profile.why_not_matchable(today=today))
        for profile in BuddyProfile.objects.for_pool()
    ]
    waiting = (
        Case.objects.visible_to(request.user)
        .open()
        .filter(buddy_wish__isnull=False)
        .exclude(
            pk__in=CaseMember.objects.filter(
                role=MemberRole.BUDDY, status=MemberStatus.ACCEPTED
            ).values("case_id")
        )
        .select_related("buddy_wish")
        .order_by("buddy_wish__asked_at")
    )
    context = {"profiles": profiles, "waiting": waiting, "today": today}
    return render(request, "steunen/buddy/pool.html", context)


@never_cache
@case_workers_only(Role.COORDINATOR)
@require_form_methods
def profile_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    profile = get_object_or_404(BuddyProfile, pk=pk) if pk else None
    form = BuddyProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{saved.name} staat in de buddypool.")
        return redirect("steunen:buddy_pool")
    return render(request, "steunen/buddy/profile_form.html", {"form": form, "profile": profile})


# --- The buddy's own side ----------------------------------------------------------------


@never_cache
@case_workers_only(Role.VRIJWILLIGER)
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The volunteer's invitations and the cases they are buddy on."""
    memberships = (
        CaseMember.objects.filter(user=request.user, role=MemberRole.BUDDY)
        .exclude(status=MemberStatus.DECLINED)
        .filter(case__merged_into__isnull=True)
        .select_related("case")
        .prefetch_related("case__themes")
        .order_by("-added_at")
    )
    context = {
        "invitations": [m for m in memberships if m.status == MemberStatus.INVITED],
        "active": [m for m in memberships if m.status == MemberStatus.ACCEPTED],
    }
    return render(request, "steunen/buddy/mine.html", context)


@never_cache
@case_workers_only(Role.VRIJWILLIGER)
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Yes or no to an invitation; someone else's invitation does not exist (404)."""
    member = get_object_or_404(
        CaseMember.objects.select_related("case"),
        pk=pk,
        user=request.user,
        role=MemberRole.BUDDY,
    )
    choice = request.POST.get("antwoord")
    if choice not in ("ja", "nee"):
        messages.error(request, "Kies: ja, ik doe mee, of nee, nu niet.")
        return redirect("steunen:buddy_mine")
    try:
        buddy_actions.answer_invitation(member=member, by=request.user, accept=choice == "ja")
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
        return redirect("steunen:buddy_mine")
    if choice == "ja":
        messages.success(request, "Dank u wel. U ziet nu het gesprek met de vrager.")
        return redirect("steunen:case", pk=member.case_id)
    messages.success(request, "U hebt de uitnodiging afgeslagen. De coördinator zoekt verder.")
    return redirect("steunen:buddy_mine")


def _buddy_case(request: HttpRequest, pk: int) -> Case:
    """The case, if this volunteer accepted to be buddy on it; 404 for anything else."""
    if not has_role(request.user, Role.VRIJWILLIGER):
        raise Http404
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("assignee"), pk=pk
    )


def case_for_buddy(
    request: HttpRequest, pk: int, form: BuddyMessageForm | None = None
) -> HttpResponse:
    """The buddy's view of a case (steunen:case answers with it for a buddy)."""
    case = _buddy_case(request, pk)
    _audit(request, case)
    context = {
        "case": case,
        # Files are not for a buddy: the messages come without them.
        "conversation": case.messages.select_related("author").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.none())
        ),
        "buddy_authors": buddy_author_ids(case),
        "people": [p for p in people_on(case) if p.role != MemberRole.MEELEZER],
        "form": form or BuddyMessageForm(),
        "youth": case.asker_type in (AskerType.JONGERE, AskerType.KIND),
    }
    return render(request, "steunen/buddy/case.html", context)


@never_cache
@case_workers_only(Role.VRIJWILLIGER)
@require_POST
def message(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _buddy_case(request, pk)
    form = BuddyMessageForm(request.POST)
    if not form.is_valid():
        return case_for_buddy(request, pk, form=form)
    try:
        buddy_actions.send_buddy_message(case=case, by=request.user, body=form.cleaned_data["body"])
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
        return case_for_buddy(request, pk, form=form)
    messages.success(request, "Uw bericht staat in het gesprek.")
    return redirect(reverse("steunen:case", args=[case.pk]))
