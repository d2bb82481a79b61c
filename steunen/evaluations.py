"""Evaluations: the asker rates the help after closing; the coordinator reads the remarks.

An unhappy rating (a 1 or 2 on any question, steunen.models.UNHAPPY_SCORE_AT_MOST)
asks the asker whether we should look again; yes reopens the case through
the state machine (actions.answer_reopen_question). Remarks are shown only
on the coordinator's page here, each read audited as a read of its case;
reports use the scores as aggregates and never a remark.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from steunen import actions
from steunen.asker_forms import EvaluationForm, ReopenForm
from steunen.models import AskerType, Case, Evaluation
from steunen.staff import case_workers_only
from steunen.staff_forms import RemarkDeleteForm, RemarkPeriodForm
from steunen.views import _asker_case
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role

REMARKS_PER_PAGE = 25


def is_youth_case(case: Case) -> bool:
    """Youths and children read "je" on their evaluation, parents and others "u"."""
    return case.asker_type in (AskerType.JONGERE, AskerType.KIND)


def _page(request: HttpRequest, case: Case, **context: Any) -> HttpResponse:
    context.update(case=case, youth=is_youth_case(case))
    return render(request, "steunen/evaluation.html", context)


@never_cache
@require_form_methods
def evaluate(request: HttpRequest) -> HttpResponse:
    """The three questions after closing, then (if unhappy) whether to look again."""
    case = _asker_case(request)
    if case is None:
        return redirect("steunen:return")
    youth = is_youth_case(case)
    evaluation = Evaluation.objects.filter(case=case).first()
    if evaluation is None and case.is_open:
        return redirect("steunen:conversation")  # nothing to rate (yet)
    if evaluation is not None:
        if request.method != "POST" and _asks_to_look_again(case, evaluation):
            return _page(request, case, reopen_form=ReopenForm(youth=youth))
        return redirect("steunen:conversation")
    form = EvaluationForm(request.POST if request.method == "POST" else None, youth=youth)
    if request.method == "POST" and form.is_valid():
        evaluation = form.evaluate(case)
        if evaluation is not None and _asks_to_look_again(case, evaluation):
            return redirect("steunen:evaluate")
        messages.success(
            request,
            _("Dank je voor je antwoorden.") if youth else _("Dank u wel voor uw beoordeling."),
        )
        return redirect("steunen:conversation")
    return _page(request, case, form=form)


def _asks_to_look_again(case: Case, evaluation: Evaluation) -> bool:
    return not case.is_open and evaluation.is_unhappy and evaluation.reopen_wanted is None


@never_cache
@require_POST
def evaluate_reopen(request: HttpRequest) -> HttpResponse:
    """The answer to "Wilt u dat we opnieuw naar uw vraag kijken?"."""
    case = _asker_case(request)
    if case is None:
        return redirect("steunen:return")
    youth = is_youth_case(case)
    evaluation = Evaluation.objects.filter(case=case).first()
    if evaluation is None or not _asks_to_look_again(case, evaluation):
        return redirect("steunen:conversation")
    form = ReopenForm(request.POST, youth=youth)
    if not form.is_valid():
        return _page(request, case, reopen_form=form)
    if actions.answer_reopen_question(case=case, reopen=form.cleaned_data["reopen"]):
        messages.success(
            request,
            _("Je vraag staat weer open. We kijken er opnieuw naar. Ons antwoord lees je hier.")
            if youth
            else _(
                "Uw vraag staat weer open. Wij kijken er opnieuw naar. Ons antwoord leest u hier."
            ),
        )
    else:
        messages.success(
            request,
            _("Dank je. Je vraag blijft afgerond.")
            if youth
            else _("Dank u wel. Uw vraag blijft afgerond."),
        )
    return redirect("steunen:conversation")


# --- The coordinator's side -------------------------------------------------------------


@never_cache
@case_workers_only(Role.COORDINATOR)
def remarks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The remarks of a quarter, newest first. Each one shown is a read of its case."""
    filters = RemarkPeriodForm(request.GET or None)
    period = filters.period()
    found = Evaluation.objects.with_remark_between(period.start, period.end)
    page = Paginator(found, REMARKS_PER_PAGE).get_page(request.GET.get("pagina"))
    for evaluation in page:
        AuditEntry.record(
            actor=request.user, action=AuditAction.REMARK_VIEWED, obj=evaluation.case or evaluation
        )
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"filters": filters, "period": period, "page": page, "query": query.urlencode()}
    return render(request, "steunen/evaluation_remarks.html", context)


@never_cache
@case_workers_only(Role.COORDINATOR)
@require_form_methods
def remark_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Remove one remark after a confirmation; the scores stay."""
    evaluation = get_object_or_404(Evaluation.objects.exclude(remark=""), pk=pk)
    form = RemarkDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.delete_evaluation_remark(evaluation=evaluation, by=request.user)
        messages.success(request, _("De opmerking is verwijderd."))
        return redirect("steunen:evaluation_remarks")
    # The confirmation shows the remark: a read like the list.
    AuditEntry.record(
        actor=request.user, action=AuditAction.REMARK_VIEWED, obj=evaluation.case or evaluation
    )
    return render(
        request, "steunen/evaluation_remark_delete.html", {"form": form, "evaluation": evaluation}
    )
