"""The asker's call-back request: /vraag/terugbellen/ (``?voor=jongere`` says "je")."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from steunen import openingstijden, terugbel_actions
from steunen.models import Case
from steunen.terugbel_actions import CallbackError
from steunen.terugbel_forms import CallbackForm
from steunen.views import _asker_case, youth_visit
from steunpunt import ratelimit
from steunpunt.http import require_form_methods


def _page(
    request: HttpRequest, form: CallbackForm, case: Case | None, youth: bool, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "youth": youth,
        "asker_case": case,
        "hours": openingstijden.hours_label(),  # {"start": "9.00", "end": "17.00"}
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
    }
    return render(request, "steunen/terugbellen.html", context, status=status)


@never_cache
@require_form_methods
def callback(request: HttpRequest) -> HttpResponse:
    """Ask to be called back in a window within the opening hours.

    Without an opened case it makes a new one and the receipt shows its
    return code once; with the code opened ("Mijn vraag") it joins that case.
    """
    case = _asker_case(request)
    youth = youth_visit(request, case)
    if request.method != "POST":
        return _page(request, CallbackForm(youth=youth, joined=case is not None), case, youth)
    form = CallbackForm(request.POST, youth=youth, joined=case is not None)
    if not form.is_valid():
        return _page(request, form, case, youth)
    limited = case is None  # a new case: counted like a question, so no flood of cases
    if limited and not ratelimit.take(
        "callback", request, limit=settings.QUESTIONS_PER_HOUR, window=3600
    ):
        form.add_error(
            None,
            _("Er zijn vanaf dit adres al veel verzoeken gestuurd. Probeer het later of bel ons."),
        )
        return _page(request, form, case, youth, status=429)
    data = form.cleaned_data
    start, end = form.chosen_window
    try:
        requested = terugbel_actions.request_callback(
            phone=data["phone"],
            window_start=start,
            window_end=end,
            name=data["name"],
            note=data["note"],
            asker_type=form.who_asks,
            language=get_language() or settings.LANGUAGE_CODE,
            case=case,
            submission_token=data["submission_token"],
        )
    except CallbackError as error:
        if limited:
            ratelimit.give_back("callback", request, window=3600)
        if error.reason == "twice":
            return render(request, "steunen/terugbellen_again.html", {"youth": youth}, status=409)
        form.add_error(None, error.message)
        return _page(request, form, case, youth, status=409)
    # The return code is shown in this response only: never stored, never in a URL.
    context = {
        "callback": requested.callback,
        "code": requested.code,
        "joined": case is not None,
        "youth": youth,
        "steunpunt_phone": settings.STEUNPUNT_PHONE,
    }
    return render(request, "steunen/terugbellen_receipt.html", context)
