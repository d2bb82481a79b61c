"""The expert's own link (steunen/expertlinks.py): made on the case page, used without login."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from steunen import expertlinks
from steunen.backoffice import Consultation
from steunen.backoffice_panel import MANAGERS
from steunen.backoffice_views import case_post
from steunen.form_fields import QUESTION_MAX_LENGTH
from steunen.models import Case
from steunen.staff import _audit_view, _case_context
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods

# What the page answers when the link does not open the question, and why.
REFUSED_STATUS = {
    expertlinks.LinkState.UNKNOWN: 404,
    expertlinks.LinkState.EXPIRED: 410,
    expertlinks.LinkState.USED: 410,
    expertlinks.LinkState.CLOSED: 410,
}


class ExpertAdviceForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Uw advies"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": gettext_lazy("Schrijf eerst uw advies."),
            "max_length": gettext_lazy(
                "Uw advies is te lang: houd het onder %(limit_value)d tekens."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Schrijf eerst uw advies."))
        return body


@case_post(*MANAGERS)
def make_link(request: AuthenticatedHttpRequest, case: Case, consultation_pk: int) -> HttpResponse:
    """Make (or make again) the personal link of an expert outside the portal, shown once."""
    consultation = get_object_or_404(
        Consultation, pk=consultation_pk, case=case, consultee__isnull=True, answered_at=None
    )
    if case.erased_at is not None or not consultation.expert_name:
        raise Http404
    url = expertlinks.make_link(consultation=consultation, by=request.user)
    messages.success(
        request,
        _("De link voor %(expert)s is gemaakt. Stuur hem zelf door; hij werkt %(days)d dagen.")
        % {"expert": consultation.expert_name, "days": expertlinks.LINK_VALID_DAYS},
    )
    _audit_view(request, case)
    context = _case_context(request, case) | {"new_expert_link": (consultation.pk, url)}
    template = "steunen/case_detail.html#case" if request.htmx else "steunen/case_detail.html"
    return render(request, template, context)


def _refused(request: HttpRequest, state: expertlinks.LinkState) -> HttpResponse:
    # Sent when the link had just stopped (a newer link, expired): nothing is
    # saved, and what the expert wrote is shown again so it is not lost.
    written = request.POST.get("body", "")[:QUESTION_MAX_LENGTH].strip()
    response = render(
        request,
        "steunen/expert_link_invalid.html",
        {
            "state": state.value,
            "steunpunt_phone": settings.STEUNPUNT_PHONE,
            "written": written if request.method == "POST" else "",
        },
        status=REFUSED_STATUS[state],
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_form_methods
def expert_advice(request: HttpRequest, token: str) -> HttpResponse:
    """The advice question, and the expert's advice once. Nothing else of the case."""
    found = expertlinks.find(token)
    if found.state != expertlinks.LinkState.OK or found.link is None:
        return _refused(request, found.state)
    link = found.link
    form = ExpertAdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expertlinks.give_advice(token=token, body=form.cleaned_data["body"])
        except expertlinks.LinkRefused as refused:
            return _refused(request, refused.state)
        response = render(request, "steunen/expert_advice_done.html", {})
    else:
        expertlinks.record_opened(link)
        consultation = link.consultation
        asked_by = consultation.asked_by
        response = render(
            request,
            "steunen/expert_advice.html",
            {
                "form": form,
                "expert_name": consultation.expert_name,
                "question": consultation.question,
                "asked_by": (asked_by.get_full_name() or asked_by.get_username())
                if asked_by
                else "",
                "due_at": consultation.due_at,
                "expires_at": link.expires_at,
            },
        )
    response["X-Robots-Tag"] = "noindex"
    return response
