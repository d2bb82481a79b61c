"""The case page's back office and call-back actions (all POST, htmx or a plain form).

Who may do what (steunpunt/roles.py): the case must be one the user may open
(``get_case_for``: 404 for anyone else, the board and buddies included);
recording a call-back, asking and answering advice and escalating are for
medewerkers and coordinators; handling an escalation is for a coordinator.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from steunen import appointments, backoffice_actions, terugbel_actions
from steunen.afspraken import Booking
from steunen.backoffice import Consultation
from steunen.backoffice_forms import AdviceForm, AdviceReplyForm, EscalateForm, ResolveForm
from steunen.backoffice_panel import MANAGERS, callback_prefix, reply_prefix
from steunen.models import Case, CaseWorkflowError
from steunen.staff import _audit_view, _case_context, get_case_for
from steunen.terugbel_forms import NotReachedForm
from steunen.terugbellen import CallbackRequest
from steunpunt.http import AuthenticatedHttpRequest
from steunpunt.roles import Role, has_role


def _case_page(request: AuthenticatedHttpRequest, case: Case, **bound: Form) -> HttpResponse:
    """The case again, with a form's errors (the whole case is shown, so audited)."""
    _audit_view(request, case)
    template = "steunen/case_detail.html#case" if request.htmx else "steunen/case_detail.html"
    status = 422 if request.htmx else 200
    return render(request, template, _case_context(request, case, bound), status=status)


def _done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.htmx:
        case = get_case_for(request, pk)
        _audit_view(request, case)
        return render(request, "steunen/case_detail.html#case", _case_context(request, case))
    return redirect("steunen:case", pk=pk)


def case_post[**P](
    *roles: Role,
) -> Callable[
    [Callable[Concatenate[AuthenticatedHttpRequest, Case, P], HttpResponse]],
    Callable[Concatenate[AuthenticatedHttpRequest, int, P], HttpResponse],
]:
    """POST on a case the user may open; with ``roles``, only for those roles (else 403)."""

    def decorator(
        view: Callable[Concatenate[AuthenticatedHttpRequest, Case, P], HttpResponse],
    ) -> Callable[Concatenate[AuthenticatedHttpRequest, int, P], HttpResponse]:
        @never_cache
        @login_required
        @require_POST
        @wraps(view)
        def wrapper(
            request: AuthenticatedHttpRequest, /, pk: int, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            case = get_case_for(request, pk)
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, case, *args, **kwargs)

        # Django passes the URL's pk (and the rest) by keyword, so the wrapper takes
        # pk by keyword too, which Concatenate (positional only) cannot say.
        return wrapper  # type: ignore[return-value]

    return decorator


def _act(
    request: AuthenticatedHttpRequest, case: Case, act: Callable[[], object], done: str
) -> HttpResponse:
    try:
        act()
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return _done(request, case.pk)


# --- Appointments on the case ------------------------------------------------------------


@case_post(*MANAGERS)
def booking_held(request: AuthenticatedHttpRequest, case: Case, booking_pk: int) -> HttpResponse:
    """'Gesprek gehouden': from the case page, or from Mijn dag (which it returns to)."""
    booking = get_object_or_404(Booking.objects.select_related("slot"), pk=booking_pk, case=case)
    to_day = request.POST.get("terug") == "dag"  # Mijn dag names the case in its message
    done = f"Gesprek gehouden met {case.reference}" if to_day else "Gesprek gehouden"
    answer = _act(
        request,
        case,
        lambda: appointments.record_held(booking=booking, by=request.user),
        f"{done}: het staat op de tijdlijn.",
    )
    if to_day:
        day = timezone.localdate(booking.slot.starts_at)
        return redirect(f"{reverse('steunen:afspraak_day')}?dag={day}")
    return answer


# --- Call-backs ---------------------------------------------------------------------------


def _callback(case: Case, callback_pk: int) -> CallbackRequest:
    return get_object_or_404(CallbackRequest, pk=callback_pk, case=case)


@case_post(*MANAGERS)
def callback_called(
    request: AuthenticatedHttpRequest, case: Case, callback_pk: int
) -> HttpResponse:
    callback = _callback(case, callback_pk)
    return _act(
        request,
        case,
        lambda: terugbel_actions.record_called(case=case, callback=callback, by=request.user),
        "Teruggebeld: het staat op de tijdlijn.",
    )


@case_post(*MANAGERS)
def callback_not_reached(
    request: AuthenticatedHttpRequest, case: Case, callback_pk: int
) -> HttpResponse:
    callback = _callback(case, callback_pk)
    prefix = callback_prefix(callback.pk)
    form = NotReachedForm(request.POST, case=case, user=request.user, prefix=prefix)
    if not form.is_valid():
        return _case_page(request, case, **{prefix: form})
    retry = form.retry()
    return _act(
        request,
        case,
        lambda: terugbel_actions.record_not_reached(
            case=case, callback=callback, by=request.user, retry=retry
        ),
        "Niet bereikt: opnieuw proberen staat klaar." if retry else "Niet bereikt: vastgelegd.",
    )


# --- Advice -------------------------------------------------------------------------------


@case_post(*MANAGERS)
def advice(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    form = AdviceForm(request.POST, case=case, user=request.user, prefix="advice")
    if not form.is_valid():
        return _case_page(request, case, advice=form)
    data = form.cleaned_data
    return _act(
        request,
        case,
        lambda: backoffice_actions.ask_advice(
            case=case,
            by=request.user,
            question=data["question"],
            consultee=data["consultee"],
            expert_name=data["expert_name"],
        ),
        "Uw adviesvraag staat klaar."
        + (" Uw collega krijgt een e-mail." if data["consultee"] else ""),
    )


@case_post(*MANAGERS)
def advice_reply(
    request: AuthenticatedHttpRequest, case: Case, consultation_pk: int
) -> HttpResponse:
    consultation = get_object_or_404(Consultation, pk=consultation_pk, case=case)
    prefix = reply_prefix(consultation.pk)
    form = AdviceReplyForm(request.POST, case=case, user=request.user, prefix=prefix)
    if not form.is_valid():
        return _case_page(request, case, **{prefix: form})
    return _act(
        request,
        case,
        lambda: backoffice_actions.reply_to_advice(
            consultation=consultation, by=request.user, body=form.cleaned_data["body"]
        ),
        "Uw reactie staat bij de adviesvraag.",
    )


# --- Escalation ---------------------------------------------------------------------------


@case_post(*MANAGERS)
def escalate(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    form = EscalateForm(request.POST, case=case, user=request.user, prefix="escalate")
    if not form.is_valid():
        return _case_page(request, case, escalate=form)
    return _act(
        request,
        case,
        lambda: backoffice_actions.escalate(
            case=case, by=request.user, reason=form.cleaned_data["reason"]
        ),
        "De vraag ligt nu bij de coördinator. De coördinatoren krijgen een e-mail.",
    )


@case_post(Role.COORDINATOR)
def escalation_resolve(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    form = ResolveForm(request.POST, case=case, user=request.user, prefix="resolve")
    if not form.is_valid():
        return _case_page(request, case, resolve=form)
    return _act(
        request,
        case,
        lambda: backoffice_actions.resolve_escalation(
            case=case, by=request.user, resolution=form.cleaned_data["resolution"]
        ),
        "De escalatie is afgehandeld.",
    )
