"""Signals and reports for the SWV board. Board members see published reports only."""

import csv
import io
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from signaleren import actions, national_views
from signaleren.charts import bar_chart
from signaleren.figures import Published, live_dashboard
from signaleren.forms import DashboardForm, ExampleCaseForm, GoalForm, ReportForm, SignalForm
from signaleren.goals import goal_label
from signaleren.models import AnnualSummary, Goal, Report, ReportStatus, Signal
from signaleren.pdf import PdfUnavailable, report_pdf
from signaleren.periods import Period, PeriodError, quarter_of
from steunpunt.cache import public_page
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods
from steunpunt.roles import BOARD_ROLES, Role, has_role, role_required

READERS = (Role.COORDINATOR, *BOARD_ROLES)


def _is_coordinator(request: HttpRequest) -> bool:
    return has_role(request.user, Role.COORDINATOR)


def get_report_for(request: HttpRequest, pk: int) -> Report:
    """A published report for readers; a draft only for the coordinator (404 for the board)."""
    reports: QuerySet[Report] = (
        Report.objects.all()
        if _is_coordinator(request)
        else Report.objects.filter(status=ReportStatus.PUBLISHED)
    )
    return get_object_or_404(reports, pk=pk)


@never_cache
@role_required(*READERS)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    coordinator = _is_coordinator(request)
    reports = Report.objects.select_related("samenwerkingsverband", "composed_by", "published_by")
    context = {
        "published": reports.filter(status=ReportStatus.PUBLISHED),
        "drafts": reports.filter(status=ReportStatus.CONCEPT) if coordinator else [],
        "signals": Signal.objects.all()[:20] if coordinator else [],
        "is_coordinator": coordinator,
        "national_picture": settings.NATIONAL_HUB or bool(settings.NATIONAL_HUB_URL),
    }
    return render(request, "signaleren/dashboard.html", context)


def _charts(figures: dict[str, Any]) -> list[tuple[dict[str, Any], object]]:
    return [(table, bar_chart(table["rows"], title=table["title"])) for table in figures["tables"]]


@never_cache
@role_required(*READERS)
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_report_for(request, pk)
    problem = None
    larger: list[Period] = []
    if found.is_published:
        figures = found.published_figures
    else:
        published = Published.load()
        problem = actions.publishing_problem(found, published)
        figures = actions.preview(found, published)
        if figures.get("mostly_hidden"):
            larger = actions.larger_periods(found, published, timezone.localdate())
    context = {
        "report": found,
        "figures": figures,
        "charts": _charts(figures),
        "is_coordinator": _is_coordinator(request),
        "problem": problem,
        "larger_periods": larger,
        "summary_possible": AnnualSummary.can_come_from(found),
    }
    context |= national_views.report_context(found, is_coordinator=_is_coordinator(request))
    return render(request, "signaleren/report.html", context)


@never_cache
@role_required(Role.COORDINATOR)
@require_form_methods
def report_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    found = get_object_or_404(Report, pk=pk) if pk else None
    if found and found.is_published:
        messages.error(request, _("Een gepubliceerde rapportage kan niet meer veranderen."))
        return redirect(found)
    if found is None and request.method != "POST":
        last = quarter_of(timezone.localdate()).previous()
        initial = {"period": last.value(), "title": f"Signaleringsrapportage {last.name()}"}
    else:
        initial = {}
    if found and request.method != "POST" and request.GET.get("period"):
        # A longer period proposed on the draft: filled in, saved only when the
        # coordinator saves. The form checks it like any choice.
        try:
            proposed = Period.from_value(request.GET["period"])
        except PeriodError:
            proposed = None
        if proposed:
            initial["period"] = proposed.value()
            if found.period and found.title == f"Signaleringsrapportage {found.period.name()}":
                initial["title"] = f"Signaleringsrapportage {proposed.name()}"
    form = ReportForm(request.POST or None, instance=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.composed_by = request.user  # who last saved the composition
        saved.save()
        form.save_m2m()
        return redirect(saved)
    return render(request, "signaleren/report_form.html", {"form": form, "report": found})


@role_required(Role.COORDINATOR)
@require_POST
def report_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Report, pk=pk)
    try:
        actions.publish(report=found, by=request.user)
    except actions.CannotPublish as refused:
        messages.error(request, str(refused))
        return redirect(found)
    messages.success(request, _("De rapportage is gepubliceerd. Het bestuur kan hem nu lezen."))
    return redirect(found)


@never_cache
@role_required(Role.COORDINATOR)
@require_form_methods
def report_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), deletes on POST. A published report cannot be deleted."""
    found = get_object_or_404(Report, pk=pk)
    if found.is_published:
        messages.error(request, _("Een gepubliceerde rapportage kan niet verwijderd worden."))
        return redirect(found)
    if request.method == "POST":
        try:
            actions.delete_draft(report=found, by=request.user)
        except actions.CannotDelete as refused:
            messages.error(request, str(refused))
            return redirect(found)
        messages.success(
            request, _("De concept-rapportage „%(title)s” is verwijderd.") % {"title": found.title}
        )
        return redirect("signaleren:dashboard")
    return render(request, "signaleren/report_delete.html", {"report": found})


def _published(request: HttpRequest, pk: int) -> Report:
    found = get_report_for(request, pk)
    if not found.is_published:
        raise Http404
    return found


@never_cache
@role_required(*READERS)
def report_pdf_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = _published(request, pk)
    try:
        figures = found.published_figures
        context = {"report": found, "figures": figures, "charts": _charts(figures)}
        pdf = report_pdf(context | {"steunpunt_name": settings.STEUNPUNT_NAME})
    except PdfUnavailable:
        messages.error(
            request,
            _("De PDF kan op deze server niet gemaakt worden. Gebruik de webpagina of de CSV."),
        )
        return redirect(found)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapportage-{found.pk}.pdf"'
    return response


@never_cache
@role_required(*READERS)
def report_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = _published(request, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            "tabel",
            "rij",
            "aantal",
            "vorige periode",
            "ontwikkeling",
            "jaar ervoor",
            "ontwikkeling jaar",
        ]
    )
    for table in found.published_figures["tables"]:
        for row in table["rows"]:
            writer.writerow(
                [
                    table["title"],
                    row["label"],
                    row["display"],
                    row.get("previous", ""),
                    row.get("trend", ""),
                    row.get("year_before", ""),
                    row.get("year_trend", ""),
                ]
            )
        if table.get("total"):
            writer.writerow([table["title"], "Totaal", table["total"]["display"], "", "", "", ""])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapportage-{found.pk}.csv"'
    return response


@never_cache
@role_required(Role.COORDINATOR)
@require_form_methods
def signal_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    found = get_object_or_404(Signal, pk=pk) if pk else None
    form = SignalForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if found is None:
            saved.created_by = request.user
        saved.save()
        form.save_m2m()
        messages.success(request, _("Het signaal is opgeslagen."))
        return redirect("signaleren:signal", pk=saved.pk)
    return render(request, "signaleren/signal_form.html", {"form": form, "signal": found})


@never_cache
@role_required(Role.COORDINATOR, Role.MEDEWERKER)
@require_form_methods
def signal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff link cases to a signal as examples. Reports never show them."""
    if has_role(request.user, *BOARD_ROLES):
        raise Http404
    found = get_object_or_404(Signal, pk=pk)
    form = ExampleCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        found.example_cases.add(form.cleaned_data["reference"])
        messages.success(request, _("De vraag is als voorbeeld gekoppeld."))
        return redirect("signaleren:signal", pk=found.pk)
    examples = found.example_cases.all()
    return render(
        request, "signaleren/signal.html", {"signal": found, "form": form, "examples": examples}
    )


@never_cache
@role_required(*READERS)
def live(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinator's own dashboard: live, unsuppressed, for any period."""
    if not _is_coordinator(request):
        raise Http404  # board members never see unsuppressed figures
    today = timezone.localdate()
    data = (
        request.GET
        if request.GET
        else {"period_start": today - timedelta(days=90), "period_end": today}
    )
    form = DashboardForm(data)
    figures = None
    if form.is_valid():
        period = Period(form.cleaned_data["period_start"], form.cleaned_data["period_end"])
        figures = live_dashboard(period, None)
    return render(request, "signaleren/live.html", {"form": form, "figures": figures})


# --- Goals (the coordinator's) ------------------------------------------------------


@never_cache
@role_required(Role.COORDINATOR)
def goal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    goals = Goal.objects.select_related("samenwerkingsverband")
    rows = [(goal, goal_label(goal)) for goal in goals]
    return render(request, "signaleren/goal_list.html", {"rows": rows})


@never_cache
@role_required(Role.COORDINATOR)
@require_form_methods
def goal_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    found = get_object_or_404(Goal, pk=pk) if pk else None
    form = GoalForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if found is None:
            saved.created_by = request.user
        saved.save()
        messages.success(
            request,
            _("Het doel is opgeslagen. Een gepubliceerde rapportage houdt de doelen van toen."),
        )
        return redirect("signaleren:goals")
    return render(request, "signaleren/goal_form.html", {"form": form, "goal": found})


@role_required(Role.COORDINATOR)
@require_POST
def goal_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Goal, pk=pk).delete()
    messages.success(
        request, _("Het doel is verwijderd. Gepubliceerde rapportages houden het zoals het was.")
    )
    return redirect("signaleren:goals")


# --- The public annual summary --------------------------------------------------------


@role_required(Role.COORDINATOR)
@require_POST
def summary_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Report, pk=pk)
    try:
        summary = actions.publish_summary(report=found, by=request.user)
    except actions.CannotPublishSummary as refused:
        messages.error(request, str(refused))
        return redirect(found)
    messages.success(request, _("Het jaaroverzicht staat nu op de website voor iedereen."))
    return redirect(summary)


@role_required(Role.COORDINATOR)
@require_POST
def summary_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Report, pk=pk)
    actions.withdraw_summary(report=found, by=request.user)
    messages.success(request, _("Het jaaroverzicht staat niet meer op de website."))
    return redirect(found)


@require_safe
@public_page
def annual_summaries(request: HttpRequest) -> HttpResponse:
    """The years whose summary is published; nothing of the visitor on the page."""
    years = AnnualSummary.objects.values_list("year", flat=True)
    return render(request, "signaleren/annual_summaries.html", {"years": years})


@require_safe
@public_page
def annual_summary(request: HttpRequest, year: int) -> HttpResponse:
    """One year's summary: the published year report's suppressed figures in plain
    words. A year without a published summary does not exist (404)."""
    summary = get_object_or_404(AnnualSummary.objects.select_related("report"), year=year)
    context = {"summary": summary, "figures": summary.report.frozen or {}}
    return render(request, "signaleren/annual_summary.html", context)
