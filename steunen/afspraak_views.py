"""Appointments: the asker books at /afspraak/, staff publish times and see their day."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from steunen import appointments
from steunen.afspraak_forms import BookingForm, SeriesForm
from steunen.afspraken import Booking, Slot, SlotKind
from steunen.appointments import BookingError
from steunen.models import Case
from steunen.staff import MANAGERS, case_workers_only
from steunen.views import _asker_case, youth_visit
from steunpunt import ratelimit
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods

# --- The asker's side -------------------------------------------------------------------


@never_cache
@require_safe
def slots(request: HttpRequest) -> HttpResponse:
    """The free times, by day; a kind can be chosen (without JavaScript: a plain GET form)."""
    kind = request.GET.get("soort", "")
    free = Slot.objects.bookable()
    if kind in SlotKind.values:
        free = free.filter(kind=kind)
    else:
        kind = ""
    case = _asker_case(request)
    context = {
        "slots": list(free.select_related(None)[:200]),
        "kind": kind,
        "kinds": SlotKind.choices,
        "asker_case": case,
        "youth": youth_visit(request, case),
    }
    return render(request, "steunen/afspraak_slots.html", context)


def _booking_page(
    request: HttpRequest,
    slot: Slot,
    form: BookingForm,
    case: Case | None,
    *,
    error: BookingError | None = None,
) -> HttpResponse:
    """``case``: the one this browser opened with its code (``_asker_case``), or None."""
    context = {
        "slot": slot,
        "form": form,
        "error": error,
        "other_slots": appointments.other_slots(slot) if error else [],
        "asker_case": case,
        "youth": form.youth,
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
    }
    status = 409 if error else 200
    return render(request, "steunen/afspraak_book.html", context, status=status)


@never_cache
@require_form_methods
def book(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(Slot, pk=pk)
    case = _asker_case(request)
    youth = youth_visit(request, case)
    if request.method != "POST":
        form = BookingForm(youth=youth)
        error = None
        if slot.is_cancelled or slot.is_past() or slot.is_full:
            error = _check_error(slot)
        return _booking_page(request, slot, form, case, error=error)
    # After "just taken": another time chosen on the same form, so nothing typed is lost.
    other = request.POST.get("ander", "")
    if other.isdigit() and int(other) != slot.pk:
        slot = get_object_or_404(Slot, pk=int(other))
    form = BookingForm(request.POST, youth=youth)
    if not form.is_valid():
        return _booking_page(request, slot, form, case)
    limited = case is None  # a new case: counted like a question, so no flood of cases
    if limited and not ratelimit.take(
        "booking", request, limit=settings.QUESTIONS_PER_HOUR, window=3600
    ):
        form.add_error(
            None,
            _("Er zijn vanaf dit adres al veel afspraken gemaakt. Probeer het later of bel ons."),
        )
        return _booking_page(request, slot, form, case)
    data = form.cleaned_data
    try:
        booked = appointments.book(
            slot=slot,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            asker_type=data["asker_type"],
            case=case,
            submission_token=data["submission_token"],
        )
    except BookingError as error:
        if limited:
            ratelimit.give_back("booking", request, window=3600)
        if error.reason == "twice":
            return render(request, "steunen/afspraak_again.html", {"youth": youth}, status=409)
        return _booking_page(request, slot, form, case, error=error)
    # The return code is shown in this response only: never stored, never in a URL.
    context = {
        "booking": booked.booking,
        "slot": booked.booking.slot,
        "token": booked.token,
        "code": booked.code,
        "joined": case is not None,
        "youth": youth_visit(request, booked.booking.case),  # also a youth who chose "jongere"
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
    }
    return render(request, "steunen/afspraak_receipt.html", context)


def _check_error(slot: Slot) -> BookingError | None:
    """Why a slot cannot be booked, for the page before the asker types anything."""
    try:
        appointments._check_open(slot, timezone.now())
    except BookingError as error:
        return error
    return None


def _booking_for(token: str) -> Booking:
    """The booking the link opens; 404 for any other token."""
    booking = appointments.find_booking(token)
    if booking is None:
        raise Http404
    return booking


def _manage_page(
    request: HttpRequest, booking: Booking, token: str, *, error: BookingError | None = None
) -> HttpResponse:
    context = {
        "booking": booking,
        "slot": booking.slot,
        "token": token,
        "error": error,
        "other_slots": appointments.other_slots(booking.slot) if booking.can_change() else [],
        "youth": youth_visit(request, booking.case),
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
    }
    return render(request, "steunen/afspraak_manage.html", context, status=409 if error else 200)


@never_cache
@require_safe
def manage(request: HttpRequest, token: str) -> HttpResponse:
    return _manage_page(request, _booking_for(token), token)


@never_cache
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_for(token)
    try:
        appointments.cancel_booking(booking=booking)
    except BookingError as error:
        return _manage_page(request, booking, token, error=error)
    messages.success(
        request,
        _("Je afspraak is afgezegd. De tijd is weer vrij voor iemand anders.")
        if youth_visit(request, booking.case)
        else _("Uw afspraak is afgezegd. De tijd is weer vrij voor een ander."),
    )
    return redirect("steunen:afspraak_manage", token)


@never_cache
@require_POST
def move(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_for(token)
    raw = request.POST.get("slot", "")
    target = Slot.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if target is None:
        error = BookingError("none", _("Kies eerst een nieuw tijdstip."))
        return _manage_page(request, booking, token, error=error)
    try:
        appointments.move_booking(booking=booking, to=target)
    except BookingError as error:
        return _manage_page(request, booking, token, error=error)
    moved = (
        _("Je afspraak is verzet naar %(when)s.")
        if youth_visit(request, booking.case)
        else _("Uw afspraak is verzet naar %(when)s.")
    )
    messages.success(request, moved % {"when": target.when})
    return redirect("steunen:afspraak_manage", token)


@never_cache
@require_safe
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_for(token)
    response = HttpResponse(
        appointments.calendar_file(booking), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="afspraak.ics"'
    return response


# --- The staff side -------------------------------------------------------------------


@never_cache
@case_workers_only(*MANAGERS)
@require_safe
def day(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mijn dag: the appointments of one day, of this staff member (and the team's) or all."""
    raw = request.GET.get("dag", "")
    try:
        shown = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        shown = timezone.localdate()
    team = request.GET.get("wie") == "team"
    schedule = appointments.day_schedule(shown, staff=None if team else request.user)
    context = {
        "day": shown,
        "team": team,
        "schedule": schedule,
        "booked_count": sum(len(bookings) for _slot, bookings in schedule),
        "previous_day": shown - timedelta(days=1),
        "next_day": shown + timedelta(days=1),
        "is_today": shown == timezone.localdate(),
        "now": timezone.now(),
    }
    return render(request, "steunen/afspraak_day.html", context)


@never_cache
@case_workers_only(*MANAGERS)
@require_form_methods
def series(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Publish a series of times (e.g. every Tuesday 9-12 in half hours, four weeks)."""
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            made = appointments.create_series(plan=form.plan(), by=request.user)
        except appointments.SeriesClash as clash:
            form.add_error(
                None,
                _(
                    "Op %(when)s staat al een tijd voor dezelfde persoon. Twee afspraken "
                    "tegelijk kunnen niet: kies andere tijden, of annuleer eerst die tijd."
                )
                % {"when": clash.slot.when},
            )
            return render(request, "steunen/afspraak_series.html", {"form": form})
        messages.success(
            request,
            _("%(count)s tijden staan klaar. Ouders en jongeren kunnen ze nu kiezen.")
            % {"count": len(made)},
        )
        first = made[0].starts_at if made else timezone.now()
        return redirect(f"{reverse('steunen:afspraak_day')}?dag={timezone.localdate(first)}")
    return render(request, "steunen/afspraak_series.html", {"form": form})


@never_cache
@case_workers_only(*MANAGERS)
@require_form_methods
def cancel_slot(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel a time, after a page that says whose appointments go with it."""
    slot = get_object_or_404(Slot.objects.select_related("staff"), pk=pk)
    if request.method != "POST":
        bookings = list(slot.bookings.active().select_related("case"))
        context = {"slot": slot, "bookings": bookings}
        return render(request, "steunen/afspraak_slot_cancel.html", context)
    cancelled = appointments.cancel_slot(slot=slot, by=request.user)
    if cancelled:
        messages.success(
            request,
            _(
                "De tijd is geannuleerd. %(count)s afspraken zijn afgezegd; wie een "
                "e-mailadres gaf, krijgt bericht. Bel de anderen als u hun nummer heeft."
            )
            % {"count": cancelled},
        )
    else:
        messages.success(request, _("De tijd is geannuleerd."))
    return redirect(f"{reverse('steunen:afspraak_day')}?dag={timezone.localdate(slot.starts_at)}")
