"""The staff side: the inbox and the case page."""

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any, Concatenate

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from steunen import actions, attachments, backoffice_panel
from steunen.buddies import buddy_author_ids, is_buddy_only
from steunen.canned import CannedAnswerForm
from steunen.canned import fill as fill_canned
from steunen.case_panel import ConfirmedCloseForm, EraseForm
from steunen.inbox_forms import CASE_HANDLER_ROLES, InboxFilterForm
from steunen.models import (
    Attachment,
    CannedAnswer,
    Case,
    CaseMerge,
    CaseWorkflowError,
    InboxRow,
    Status,
)
from steunen.referrals import ReferralForm
from steunen.staff_forms import (
    AnswerForm,
    AssignForm,
    MergeForm,
    NoteForm,
    StaffCaseForm,
    StatusForm,
    SwvForm,
    ThemesForm,
    TimeEntryForm,
    UrgencyForm,
)
from steunpunt.http import AuthenticatedHttpRequest, logged_in_user, require_form_methods
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import BOARD_ROLES, Role, has_role, role_required

PAGE_SIZE = 25
CLOSED_COUNT_DAYS = 30
CLOSED_COUNT_PERIOD = timedelta(days=CLOSED_COUNT_DAYS)
HANDLERS = CASE_HANDLER_ROLES
MANAGERS = (Role.MEDEWERKER, Role.COORDINATOR)


def case_workers_only[R: HttpRequest, **P](
    *roles: Role,
) -> Callable[
    [Callable[Concatenate[R, P], HttpResponse]], Callable[Concatenate[R, P], HttpResponse]
]:
    """role_required for the case area, closed to anyone on the SWV board."""

    def decorator(
        view: Callable[Concatenate[R, P], HttpResponse],
    ) -> Callable[Concatenate[R, P], HttpResponse]:
        guarded = role_required(*roles)(view)

        @wraps(view)
        def wrapper(request: R, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if has_role(request.user, *BOARD_ROLES):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return wrapper

    return decorator


def get_case_for(request: HttpRequest, pk: int) -> Case:
    """The case, if this user may open it; 404 for everyone else (also bestuur).

    A buddy gets none of staff's case pages or actions: only the buddy's view
    (steunen/buddy_views.py), which shows what a buddy needs.
    """
    if is_buddy_only(request.user):
        raise Http404
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "assignee", "school", "samenwerkingsverband"
        ),
        pk=pk,
    )


@case_workers_only(*HANDLERS)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect("steunen:inbox")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _encode_cursor(case: InboxRow) -> str:
    return f"{case.queue_rank}~{case.queue_at.isoformat()}~{case.pk}"


def _decode_cursor(raw: str) -> tuple[int, datetime, int] | None:
    try:
        rank, stamp, pk = raw.split("~")
        at = datetime.fromisoformat(stamp)
        if at.tzinfo is None:
            return None
        return int(rank), at, int(pk)
    except ValueError:
        return None


@never_cache
@vary_on_headers("HX-Request")
@case_workers_only(*HANDLERS)
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = Case.objects.visible_to(user)
    # Closed cases count for the last 30 days only: counting years of them
    # on every inbox view would cost more than it tells.
    today = timezone.localdate()
    counts = visible.status_counts(closed_since=_start_of(today - CLOSED_COUNT_PERIOD))
    can_manage = has_role(request.user, *MANAGERS)
    filters = InboxFilterForm(request.GET, backoffice=can_manage)
    cursor = _decode_cursor(request.GET.get("na", ""))

    cases = visible.inbox_filtered(filters.applied(), user=user).in_attention_order()
    if cursor:
        cases = cases.after(cursor)
    page = cases.inbox_rows(limit=PAGE_SIZE + 1, themes=filters.theme_rows)
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        query = request.GET.copy()
        query["na"] = _encode_cursor(page[-1])
        next_url = f"?{query.urlencode()}"
    first_page_query = request.GET.copy()
    first_page_query.pop("na", None)
    context = {
        "cases": page,
        "rows": [row.shown(backoffice=can_manage) for row in page],
        "counts": [(status, counts[status.value]) for status in Status],
        "closed_count_days": CLOSED_COUNT_DAYS,
        "filters": filters,
        "next_url": next_url,
        "is_later_page": bool(cursor),
        "first_page_url": f"?{first_page_query.urlencode()}",
        "can_manage": can_manage,
    }
    template = "steunen/inbox.html#results" if request.htmx else "steunen/inbox.html"
    return render(request, template, context)


@never_cache
@case_workers_only(*MANAGERS)
@require_form_methods
def new_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enter a question that came in by phone, email or at the door."""
    if request.method == "POST":
        form = StaffCaseForm(request.POST)
        if form.is_valid():
            case, code = form.submit(by=request.user)
            AuditEntry.record(
                actor=request.user, action=AuditAction.CASE_CREATED_BY_STAFF, obj=case
            )
            return render(request, "steunen/case_created.html", {"case": case, "code": code})
    else:
        form = StaffCaseForm()
    return render(request, "steunen/case_new.html", {"form": form})


FORMS = {
    "answer": AnswerForm,
    "note": NoteForm,
    "status": StatusForm,
    "assign": AssignForm,
    "themes": ThemesForm,
    "swv": SwvForm,
    "urgency": UrgencyForm,
    "time": TimeEntryForm,
    "referral": ReferralForm,
    "close": ConfirmedCloseForm,  # the outcome and "Ja, ik weet het zeker"
    "merge": MergeForm,
}


def _initial_forms(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = logged_in_user(request)
    answer_initial = {}
    canned_id = request.GET.get("standaardantwoord", "")
    if canned_id.isdigit():
        canned = CannedAnswer.objects.filter(pk=int(canned_id)).first()
        if canned:
            answer_initial["body"] = fill_canned(canned, case)
    initial = {
        "answer": answer_initial,
        "status": {"status": case.status},
        "assign": {"assignee": case.assignee_id},
        "themes": {"themes": list(case.themes.all())},
        "swv": {"samenwerkingsverband": case.samenwerkingsverband_id},
        "urgency": {"urgent": case.urgent},
    }
    found = {
        name: form_class(case=case, user=user, initial=initial.get(name, {}), prefix=name)
        for name, form_class in FORMS.items()
    }
    found["erase"] = EraseForm(case=case, user=user)  # no prefix: its tick is "confirm"
    return found


def _audit_view(request: HttpRequest, case: Case) -> None:
    """Every answer that shows a case to staff is a view of it, and logged."""
    AuditEntry.record(actor=logged_in_user(request), action=AuditAction.CASE_VIEWED, obj=case)


def _forms_in(context: dict[str, Any]) -> Iterator[django_forms.BaseForm]:
    """The forms of a case page's context: alone, in a dict, or in (thing, form) rows."""
    for value in context.values():
        if isinstance(value, dict):
            items: Iterable[Any] = value.values()
        elif isinstance(value, list | tuple):
            items = value
        else:
            items = (value,)
        for item in items:
            for part in item if isinstance(item, tuple) else (item,):
                if isinstance(part, django_forms.BaseForm):
                    yield part


def _was_sent(form: django_forms.BaseForm, request: HttpRequest) -> bool:
    """This request sent ``form``: its fields, by their prefixed names, are in the POST."""
    if form.prefix is None:
        return False
    return any(form.add_prefix(name) in request.POST for name in form.fields)


def _keep_drafts(request: HttpRequest, context: dict[str, Any], *, fresh: str = "") -> None:
    """Text typed in a case form survives when htmx swaps the case after another action.

    Every text box and file choice gets hx-preserve (htmx keeps the one on the
    page, with what was typed or chosen in it, in place of the empty new one);
    static/js/steunpunt.js clears an error mark the kept box still carries. Not
    in the form this request sent (empty again after it went, or back with its
    errors and its text) and in ``fresh``, a form made new on purpose (a canned
    answer filled in).
    """
    for form in _forms_in(context):
        if form.is_bound or form.prefix == fresh or _was_sent(form, request):
            continue
        for field in form.fields.values():
            if isinstance(field.widget, django_forms.Textarea | django_forms.FileInput):
                field.widget.attrs["data-hx-preserve"] = "true"


def _case_context(
    request: HttpRequest, case: Case, bound: dict[str, Any] | None = None, *, fresh: str = ""
) -> dict[str, Any]:
    """What the case page shows. ``bound``: forms sent with errors; ``fresh``: a form
    to show new, whatever was typed in it before (steunen/staff.py, _keep_drafts)."""
    bound = bound or {}
    forms = _initial_forms(request, case)
    forms.update(bound)
    # Call-backs and the back office (advice, escalation): steunen/backoffice_panel.py.
    context = backoffice_panel.context(request, case, bound) | {
        "case": case,
        "conversation": case.messages.select_related("author").prefetch_related("attachments"),
        "notes": case.notes.select_related("author"),
        "time_entries": case.time_entries.select_related("author"),
        "total_minutes": sum(e.minutes for e in case.time_entries.all()),
        "referrals": case.referrals.select_related("organisatie"),
        "events": case.events.select_related("actor"),
        "attachments": case.attachments.filter(message__isnull=True),  # the asker's
        "merges": [
            (record, record.can_be_undone())
            for record in case.merges_in.filter(undone_at__isnull=True).select_related("source")
        ],
        "canned_answers": CannedAnswer.objects.only("pk", "title"),
        "forms": forms,
        "can_manage": has_role(request.user, *MANAGERS),
        "is_coordinator": has_role(request.user, Role.COORDINATOR),
        "now": timezone.now(),
        "buddy_panel": _buddy_panel(request, case),
        "buddy_authors": buddy_author_ids(case),
    }
    _keep_drafts(request, context, fresh=fresh)
    return context


def _buddy_panel(request: HttpRequest, case: Case) -> dict[str, Any]:
    from steunen.buddy_views import case_panel  # it imports this module

    return case_panel(request, case)


@never_cache
@login_required
@vary_on_headers("HX-Request")
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if is_buddy_only(request.user):
        from steunen.buddy_views import case_for_buddy

        return case_for_buddy(request, pk)
    case = get_case_for(request, pk)
    context = _case_context(request, case, fresh="answer")
    if request.htmx and request.GET.get("standaardantwoord"):
        # Only the answer form, with the canned text filled in.
        return render(request, "steunen/case_detail.html#answer-form", context)
    _audit_view(request, case)
    return render(request, "steunen/case_detail.html", context)


# A case action: what it does with the case and the form's cleaned data.
CaseAct = Callable[[AuthenticatedHttpRequest, Case, dict[str, Any]], None]


def _case_action(
    name: str, *, managers_only: bool, done: str
) -> Callable[[CaseAct], Callable[[AuthenticatedHttpRequest, int], HttpResponse]]:
    """Wrap a case action: authorise, validate the form, act, answer htmx or a redirect."""

    def decorator(act: CaseAct) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
        @never_cache
        @login_required
        @require_POST
        def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
            case = get_case_for(request, pk)
            if managers_only and not has_role(request.user, *MANAGERS):
                raise PermissionDenied
            form = FORMS[name](
                request.POST, request.FILES, case=case, user=request.user, prefix=name
            )
            if not form.is_valid():
                context = _case_context(request, case, {name: form})
                template = "steunen/case_detail.html"
                if request.htmx:
                    template += "#case"
                _audit_view(request, case)  # the whole case again, with the form's errors
                return render(request, template, context, status=422 if request.htmx else 200)
            try:
                act(request, case, form.cleaned_data)
            except CaseWorkflowError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, done)
            if request.htmx:
                case = get_case_for(request, pk)
                _audit_view(request, case)
                return render(
                    request,
                    "steunen/case_detail.html#case",
                    _case_context(request, case),
                )
            return redirect("steunen:case", pk=case.pk)

        view.__name__ = f"case_{name}"
        return view

    return decorator


@_case_action("answer", managers_only=False, done=_("Uw antwoord is verstuurd."))
def case_answer(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.send_answer(
        case=case, by=request.user, body=data["body"], attachment=data.get("attachment")
    )


@_case_action("note", managers_only=False, done=_("De notitie is opgeslagen."))
def case_note(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.add_note(case=case, by=request.user, body=data["body"])


@_case_action("time", managers_only=False, done=_("De tijd is geschreven."))
def case_time(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.log_time(
        case=case,
        by=request.user,
        minutes=data["minutes"],
        activity=data["activity"],
        on=data["date"],
    )


@_case_action("referral", managers_only=False, done=_("De verwijzing is opgeslagen."))
def case_referral(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.refer(
        case=case,
        by=request.user,
        organisatie=data["organisatie"],
        consent=data["consent"],
        handover=data["handover"],
        handover_note=data["handover_note"],
        follow_up_on=data["follow_up_on"],
    )


@_case_action("status", managers_only=True, done=_("De status is gewijzigd."))
def case_status(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.change_status(case=case, by=request.user, status=data["status"])


@_case_action("assign", managers_only=True, done=_("De behandelaar is gewijzigd."))
def case_assign(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.assign(case=case, by=request.user, assignee=data["assignee"])


@_case_action("themes", managers_only=True, done=_("De thema's zijn gewijzigd."))
def case_themes(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.set_themes(case=case, by=request.user, themes=data["themes"])


@_case_action("swv", managers_only=True, done=_("Het samenwerkingsverband is gewijzigd."))
def case_swv(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.set_samenwerkingsverband(
        case=case, by=request.user, samenwerkingsverband=data["samenwerkingsverband"]
    )


@_case_action("urgency", managers_only=True, done=_("Spoed is gewijzigd."))
def case_urgency(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.set_urgent(case=case, by=request.user, urgent=data["urgent"])


@_case_action("close", managers_only=True, done=_("De vraag is afgerond."))
def case_close(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> None:
    actions.close(case=case, by=request.user, outcome=data["outcome"])


@never_cache
@login_required
@require_POST
def case_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied
    try:
        actions.reopen(case=case, by=request.user)
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("De vraag is heropend."))
    return redirect("steunen:case", pk=case.pk)


@never_cache
@login_required
@require_POST
def case_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied
    form = MergeForm(request.POST, case=case, user=request.user, prefix="merge")
    if not form.is_valid():
        context = _case_context(request, case, {"merge": form})
        template = "steunen/case_detail.html#case" if request.htmx else "steunen/case_detail.html"
        _audit_view(request, case)
        return render(request, template, context, status=422 if request.htmx else 200)
    target = form.cleaned_data["other"]
    if not form.cleaned_data["same_asker"]:
        # First the two side by side: staff must see and say they are one asker.
        _audit_view(request, case)
        _audit_view(request, target)
        context = {
            "case": case,
            "target": target,
            "pair": [(case, case.messages.first()), (target, target.messages.first())],
            "not_confirmed": request.POST.get("stap") == "bevestigen",
        }
        return render(request, "steunen/case_merge_confirm.html", context)
    try:
        actions.merge(source=case, target=target, by=request.user)
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
        return redirect("steunen:case", pk=case.pk)
    messages.success(
        request,
        _(
            "Vraag %(source)s is toegevoegd aan %(target)s. "
            "Dit kan terug tot de vrager hier antwoord krijgt."
        )
        % {"source": case.reference, "target": target.reference},
    )
    url = reverse("steunen:case", args=[target.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@never_cache
@login_required
@require_POST
def case_merge_undo(request: AuthenticatedHttpRequest, pk: int, merge_pk: int) -> HttpResponse:
    """Take a merge back: the other question lives on by itself again."""
    case = get_case_for(request, pk)
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied
    record = get_object_or_404(CaseMerge, pk=merge_pk, target=case)
    try:
        source = actions.undo_merge(record=record, by=request.user)
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
        return redirect("steunen:case", pk=case.pk)
    messages.success(
        request,
        _("Vraag %(source)s staat weer los van %(target)s.")
        % {"source": source.reference, "target": case.reference},
    )
    return redirect("steunen:case", pk=case.pk)


@never_cache
@case_workers_only(*MANAGERS)
def canned_answers(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "steunen/canned_list.html", {"answers": CannedAnswer.objects.all()})


@never_cache
@case_workers_only(*MANAGERS)
@require_form_methods
def canned_answer_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    answer = get_object_or_404(CannedAnswer, pk=pk) if pk else None
    form = CannedAnswerForm(request.POST or None, instance=answer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Het standaardantwoord is opgeslagen."))
        return redirect("steunen:canned_answers")
    return render(request, "steunen/canned_form.html", {"form": form, "answer": answer})


@never_cache
@login_required
@require_POST
def case_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """On a request by phone: remove the asker's personal data now (confirmed by a tick)."""
    case = get_case_for(request, pk)
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied
    form = EraseForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        context = _case_context(request, case, {"erase": form})
        template = "steunen/case_detail.html#case" if request.htmx else "steunen/case_detail.html"
        _audit_view(request, case)
        return render(request, template, context, status=422 if request.htmx else 200)
    try:
        actions.erase_personal_data(
            case=case, by=request.user, reason="op verzoek, via een medewerker"
        )
    except CaseWorkflowError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("De persoonsgegevens van deze vraag zijn verwijderd."))
    return redirect("steunen:case", pk=case.pk)


@never_cache
@login_required
def case_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The conversation as a file, to send to an asker who asks for it."""
    case = get_case_for(request, pk)
    if not has_role(request.user, *MANAGERS):
        raise PermissionDenied
    actions.record_export(case=case, by=request.user)
    response = HttpResponse(
        actions.conversation_text(case), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="vraag-{case.reference}.txt"'
    return response


@never_cache
@role_required(Role.COORDINATOR)
def case_audit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who opened or exported this case: for the coordinator, read only."""
    case = get_case_for(request, pk)
    entries = AuditEntry.objects.filter(
        object_type="steunen.case", object_id=str(case.pk)
    ).select_related("actor")
    return render(request, "steunen/case_audit.html", {"case": case, "entries": entries})


@never_cache
@login_required
def case_attachment(request: AuthenticatedHttpRequest, pk: int, token: str) -> HttpResponse:
    case = get_case_for(request, pk)
    found = get_object_or_404(Attachment, case=case, token=token)
    AuditEntry.record(actor=request.user, action=AuditAction.CASE_EXPORTED, obj=case)
    return attachments.download(found)
