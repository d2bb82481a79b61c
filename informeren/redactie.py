"""The editors' side: write, review and publish information pages."""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from informeren import actions, searchlog
from informeren.diff import revision_diff
from informeren.forms import (
    ChecklistForm,
    ChecklistItemFormSet,
    MeetingForm,
    NewTopicForm,
    OrganisatieForm,
    RejectForm,
    RevisionForm,
    SchoolProfileForm,
    SynonymForm,
    TopicSettingsForm,
    WegwijzerRouteForm,
    WerkgebiedForm,
)
from informeren.models import (
    Checklist,
    DailyReads,
    Feedback,
    FourEyesError,
    Meeting,
    Organisatie,
    ReadKind,
    RegistrationStatus,
    Revision,
    RevisionStatus,
    School,
    Synonym,
    Topic,
    WegwijzerAudience,
    WegwijzerRoute,
    WegwijzerSituation,
    Werkgebied,
    WorkflowError,
)
from informeren.rendering import readability, render_markdown
from informeren.wegwijzer import VARIANTS, gemeenten
from steunpunt.cache import content_changed
from steunpunt.roles import Role, has_role, role_required

EDITORS = (Role.REDACTEUR, Role.VALIDATOR)


@never_cache
@role_required(*EDITORS)
def dashboard(request: HttpRequest) -> HttpResponse:
    revisions = Revision.objects.select_related("topic", "author").order_by("-updated_at")
    context = {
        "drafts": revisions.filter(status=RevisionStatus.CONCEPT),
        "rejected": revisions.filter(status=RevisionStatus.AFGEKEURD),
        "pending": revisions.filter(status=RevisionStatus.TER_BEOORDELING),
        "approved": revisions.filter(status=RevisionStatus.GOEDGEKEURD),
        "overdue": Topic.objects.overdue(timezone.localdate()).order_by("review_by"),
        "topics": Topic.objects.order_by("title").select_related("published_revision"),
        "is_validator": has_role(request.user, Role.VALIDATOR),
        "is_editor": has_role(request.user, Role.REDACTEUR),
    }
    return render(request, "informeren/redactie/dashboard.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def topic_new(request: HttpRequest) -> HttpResponse:
    form = NewTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        content = {name: form.cleaned_data[name] for name in Revision.CONTENT_FIELDS}
        revision = actions.create_topic(
            slug=form.cleaned_data["slug"],
            by=request.user,
            themes=form.cleaned_data["themes"],
            **content,
        )
        messages.success(request, _("De pagina is aangemaakt als concept."))
        return redirect("informeren:revision", pk=revision.pk)
    return render(request, "informeren/redactie/topic_new.html", {"form": form})


@never_cache
@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def topic_admin(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicSettingsForm(request.POST or None, instance=topic)
    if request.method == "POST":
        if not has_role(request.user, Role.REDACTEUR):
            messages.error(request, _("Alleen een redacteur kan de instellingen wijzigen."))
            return redirect("informeren:topic_admin", pk=topic.pk)
        if form.is_valid():
            form.save()
            content_changed()  # themes, related pages, organisations
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("informeren:topic_admin", pk=topic.pk)
    history = topic.revisions.select_related("author", "reviewer", "published_by").prefetch_related(
        "editors"
    )
    return render(
        request,
        "informeren/redactie/topic_admin.html",
        {"topic": topic, "form": form, "history": history, "usage": usage_for(topic)},
    )


@role_required(Role.REDACTEUR)
@require_POST
def revision_start(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    open_draft = topic.revisions.filter(
        status__in=[RevisionStatus.CONCEPT, RevisionStatus.AFGEKEURD]
    ).first()
    if open_draft:
        messages.info(request, _("Er is al een concept voor deze pagina. Werk daarin verder."))
        return redirect("informeren:revision_edit", pk=open_draft.pk)
    revision = actions.start_revision(topic=topic, by=request.user)
    return redirect("informeren:revision_edit", pk=revision.pk)


def _readability_for(revision_or_form_data) -> list[tuple[str, object]]:
    labels = {
        "national_ouders": _("Landelijk, ouders"),
        "regional_ouders": _("Regio, ouders"),
        "national_jongeren": _("Landelijk, jongeren"),
        "regional_jongeren": _("Regio, jongeren"),
        "national_kinderen": _("Landelijk, kinderen"),
        "regional_kinderen": _("Regio, kinderen"),
    }
    result = []
    for name, label in labels.items():
        text = (
            revision_or_form_data.get(name, "")
            if isinstance(revision_or_form_data, dict)
            else getattr(revision_or_form_data, name)
        )
        if text and text.strip():
            result.append((label, readability(text)))
    return result


@never_cache
@role_required(*EDITORS)
def revision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(
        Revision.objects.select_related("topic", "author", "reviewer", "published_by"), pk=pk
    )
    compare_to = revision.topic.published_revision
    if compare_to is None or compare_to.pk == revision.pk:
        compare_to = (
            revision.based_on or revision.topic.revisions.filter(number__lt=revision.number).first()
        )
    context = {
        "revision": revision,
        "topic": revision.topic,
        "compare_to": compare_to,
        "changes": revision_diff(compare_to, revision),
        "previews": [
            (label, render_markdown(getattr(revision, name)))
            for name, label in (
                ("national_ouders", _("Landelijke tekst voor ouders")),
                ("regional_ouders", _("Zo werkt het in onze regio (ouders)")),
                ("national_jongeren", _("Landelijke tekst voor jongeren")),
                ("regional_jongeren", _("Zo werkt het in onze regio (jongeren)")),
                ("national_kinderen", _("Landelijke tekst voor kinderen")),
                ("regional_kinderen", _("Zo werkt het in onze regio (kinderen)")),
            )
            if getattr(revision, name).strip()
        ],
        "scores": _readability_for(revision),
        "reject_form": RejectForm(),
        "is_validator": has_role(request.user, Role.VALIDATOR),
        "is_editor": has_role(request.user, Role.REDACTEUR),
        "has_edited": revision.has_edited(request.user),
    }
    return render(request, "informeren/redactie/revision.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def revision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(Revision.objects.select_related("topic"), pk=pk)
    if not revision.is_editable:
        messages.error(request, _("Deze versie is niet meer te wijzigen. Maak een nieuwe versie."))
        return redirect("informeren:revision", pk=revision.pk)
    form = RevisionForm(request.POST or None, instance=revision)
    if request.method == "POST" and form.is_valid():
        content = {name: form.cleaned_data[name] for name in Revision.CONTENT_FIELDS}
        try:
            actions.edit_revision(revision=revision, by=request.user, content=content)
        except WorkflowError as error:
            # Submitted by someone else while this form was open.
            messages.error(request, str(error))
        else:
            messages.success(request, _("De versie is opgeslagen."))
        return redirect("informeren:revision", pk=revision.pk)
    data = form.data if form.is_bound else revision
    return render(
        request,
        "informeren/redactie/revision_edit.html",
        {"form": form, "revision": revision, "scores": _readability_for(data)},
    )


@role_required(Role.REDACTEUR)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Live preview while editing (htmx): the rendered text and its readability."""
    field = request.headers.get("HX-Trigger-Name") or request.POST.get("field", "national_ouders")
    if field not in Revision.CONTENT_FIELDS or field in ("title", "summary", "sources"):
        field = "national_ouders"
    text = request.POST.get(field, "")[:100_000]
    return render(
        request,
        "informeren/redactie/_preview.html",
        {"html": render_markdown(text), "score": readability(text), "field": field},
    )


def _workflow(request: HttpRequest, pk: int, step) -> HttpResponse:
    revision = get_object_or_404(Revision, pk=pk)
    try:
        message = step(revision)
    except (FourEyesError, WorkflowError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect("informeren:revision", pk=revision.pk)


@role_required(Role.REDACTEUR)
@require_POST
def revision_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def step(revision: Revision) -> str:
        actions.submit_revision(revision=revision, by=request.user)
        return _("De versie ligt nu ter beoordeling bij een validator.")

    return _workflow(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def revision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def step(revision: Revision) -> str:
        actions.approve_revision(revision=revision, by=request.user)
        return _("De versie is goedgekeurd. Hij kan nu gepubliceerd worden.")

    return _workflow(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def revision_reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf op wat er beter moet."))
        return redirect("informeren:revision", pk=pk)

    def step(revision: Revision) -> str:
        actions.reject_revision(
            revision=revision, by=request.user, reason=form.cleaned_data["reason"]
        )
        return _("De versie is afgekeurd en terug naar de auteur.")

    return _workflow(request, pk, step)


@role_required(*EDITORS)
@require_POST
def revision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def step(revision: Revision) -> str:
        actions.publish(revision=revision, by=request.user)
        return _("De versie is gepubliceerd.")

    return _workflow(request, pk, step)


@role_required(Role.REDACTEUR)
@require_POST
def revision_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(Revision, pk=pk)
    if revision.topic.revisions.filter(
        Q(status=RevisionStatus.CONCEPT) | Q(status=RevisionStatus.AFGEKEURD)
    ).exists():
        messages.error(
            request, _("Er is al een concept voor deze pagina. Rond dat eerst af of pas het aan.")
        )
        return redirect("informeren:topic_admin", pk=revision.topic_id)
    new = actions.roll_back(revision=revision, by=request.user)
    messages.success(
        request,
        _("Versie %(number)s is teruggezet als nieuw concept. Laat het goedkeuren.")
        % {"number": revision.number},
    )
    return redirect("informeren:revision", pk=new.pk)


@never_cache
@role_required(Role.REDACTEUR)
def school_profiles(request: HttpRequest) -> HttpResponse:
    schools = School.objects.order_by("gemeente", "name").prefetch_related("support")
    return render(request, "informeren/redactie/school_profiles.html", {"schools": schools})


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def school_profile(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School, pk=pk)
    form = SchoolProfileForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        content_changed()
        messages.success(request, _("Het ondersteuningsprofiel is opgeslagen."))
        return redirect("informeren:school_profiles")
    return render(
        request, "informeren/redactie/school_profile.html", {"form": form, "school": school}
    )


MEETING_STAFF = (Role.REDACTEUR, Role.MEDEWERKER, Role.COORDINATOR)


@never_cache
@role_required(*MEETING_STAFF)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.order_by("-starts_at").annotate(
        confirmed=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )
    context = {"meetings": meetings, "can_edit": has_role(request.user, Role.REDACTEUR)}
    return render(request, "informeren/redactie/meetings.html", context)


@never_cache
@role_required(*MEETING_STAFF)
def meeting_participants(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    registrations = meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
    return render(
        request,
        "informeren/redactie/participants.html",
        {"meeting": meeting, "registrations": registrations},
    )


@role_required(*EDITORS)
@require_POST
def feedback_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feedback, pk=pk)
    topic_id = item.topic_id
    # The answer (ja/nee) still counts; only the remark goes.
    Feedback.objects.filter(pk=pk).update(remark="")
    messages.success(request, _("De opmerking is verwijderd."))
    return redirect("informeren:topic_admin", pk=topic_id)


def usage_for(topic: Topic) -> dict:
    since = timezone.localdate() - timedelta(days=30)
    reads = DailyReads.objects.filter(kind=ReadKind.TOPIC, object_id=topic.pk)
    answers = topic.feedback.aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    return {
        "reads_total": reads.aggregate(n=Sum("count"))["n"] or 0,
        "reads_30": reads.filter(day__gte=since).aggregate(n=Sum("count"))["n"] or 0,
        "helpful_yes": answers["yes"],
        "helpful_no": answers["no"],
        "remarks": topic.feedback.exclude(remark="")[:50],
    }


def _edit(request, *, form_class, instance, template_title, done, back):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        content_changed()
        messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "informeren/redactie/simple_form.html",
        {"form": form, "title": template_title, "back": back},
    )


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    return _edit(
        request,
        form_class=MeetingForm,
        instance=meeting,
        template_title=meeting.title if meeting else _("Nieuwe bijeenkomst"),
        done=_("De bijeenkomst is opgeslagen."),
        back=reverse("informeren:meeting_list"),
    )


@never_cache
@role_required(Role.REDACTEUR)
def organisatie_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "informeren/redactie/organisaties.html",
        {"organisaties": Organisatie.objects.all()},
    )


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def organisatie_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisatie = get_object_or_404(Organisatie, pk=pk) if pk else None
    return _edit(
        request,
        form_class=OrganisatieForm,
        instance=organisatie,
        template_title=organisatie.name if organisatie else _("Nieuwe organisatie"),
        done=_("De organisatie is opgeslagen."),
        back=reverse("informeren:organisatie_list"),
    )


@never_cache
@role_required(Role.REDACTEUR)
def checklist_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "informeren/redactie/checklists.html", {"checklists": Checklist.objects.all()}
    )


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    checklist = get_object_or_404(Checklist, pk=pk) if pk else Checklist()
    form = ChecklistForm(request.POST or None, instance=checklist)
    items = ChecklistItemFormSet(request.POST or None, instance=checklist, prefix="punten")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if not saved.slug:
                saved.slug = _unique_slug(saved.title)
            saved.save()
            items.instance = saved
            items.save()
            content_changed()
        messages.success(request, _("De checklist is opgeslagen."))
        return redirect("informeren:checklist_list")
    return render(
        request,
        "informeren/redactie/checklist_form.html",
        {"form": form, "items": items, "checklist": checklist},
    )


def _unique_slug(title: str) -> str:
    base = slugify(title)[:40] or "checklist"
    slug, n = base, 2
    while Checklist.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- What search learns from, and what people searched for ---------------------------


@never_cache
@role_required(Role.REDACTEUR)
def synonym_list(request: HttpRequest) -> HttpResponse:
    return render(request, "informeren/redactie/synonyms.html", {"synonyms": Synonym.objects.all()})


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def synonym_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    synonym = get_object_or_404(Synonym, pk=pk) if pk else None
    form = SynonymForm(request.POST or None, instance=synonym)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        content_changed()  # search reads the list
        messages.success(request, _("Het synoniem %(word)s is opgeslagen.") % {"word": saved})
        return redirect("informeren:synonym_list")
    return render(
        request, "informeren/redactie/synonym_form.html", {"form": form, "synonym": synonym}
    )


@role_required(Role.REDACTEUR)
@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    synonym = get_object_or_404(Synonym, pk=pk)
    synonym.delete()
    content_changed()
    messages.success(request, _("Het synoniem %(word)s is verwijderd.") % {"word": synonym})
    return redirect("informeren:synonym_list")


def _month(value: str | None, months: list[date]) -> date:
    """The month asked for (?maand=2026-11) if there are counts of it, else the newest."""
    try:
        asked = date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return months[0]
    return asked if asked in months else months[0]


@never_cache
@role_required(*EDITORS)
def search_queries(request: HttpRequest) -> HttpResponse:
    """What people searched for per month: rare queries left out, small counts as "< N"."""
    searchlog.flush_searches()  # this process's latest counts too
    months = searchlog.months_counted()
    if searchlog.this_month() not in months:
        months.insert(0, searchlog.this_month())
    month = _month(request.GET.get("maand"), months)
    context = {"report": searchlog.month_report(month), "months": months}
    return render(request, "informeren/redactie/search_queries.html", context)


# --- The wegwijzer ------------------------------------------------------------------------


@never_cache
@role_required(Role.REDACTEUR)
def wegwijzer_routes(request: HttpRequest) -> HttpResponse:
    """Every audience x situation with its routes, and where the fallback is used instead."""
    routes = list(
        WegwijzerRoute.objects.select_related(
            "first_topic__published_revision",
            "second_topic__published_revision",
            "third_topic__published_revision",
        )
    )
    rows = []
    for audience in WegwijzerAudience:
        for situation in WegwijzerSituation:
            found = [r for r in routes if r.audience == audience and r.situation == situation]
            rows.append(
                {
                    "audience": audience,
                    "situation": situation,
                    "routes": [(route, _route_notes(route)) for route in found],
                    "has_general": any(not r.school_type for r in found),
                }
            )
    return render(request, "informeren/redactie/wegwijzer.html", {"rows": rows})


def _route_notes(route: WegwijzerRoute) -> list[str]:
    """What a visitor of this route will miss: an unpublished page, a text not for them."""
    notes = []
    wanted = VARIANTS[route.audience][0]
    for topic in (route.first_topic, route.second_topic, route.third_topic):
        if topic is None:
            continue
        revision = topic.published_revision
        if revision is None:
            notes.append(
                _("%(topic)s is nog niet gepubliceerd: de bezoeker ziet hem niet.")
                % {"topic": topic}
            )
        elif wanted != "ouders" and wanted not in revision.audiences():
            notes.append(
                _("%(topic)s heeft geen tekst voor %(audience)s.")
                % {
                    "topic": topic,
                    "audience": wanted,
                }
            )
    return notes


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def wegwijzer_route_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    route = get_object_or_404(WegwijzerRoute, pk=pk) if pk else None
    # A new route may start from the row it was made from (?audience=..&situation=..).
    initial = {name: request.GET.get(name, "") for name in ("audience", "situation")}
    data = request.POST if request.method == "POST" else None
    form = WegwijzerRouteForm(data, instance=route, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        content_changed()
        messages.success(request, _("De route is opgeslagen."))
        return redirect("informeren:wegwijzer_routes")
    context = {"form": form, "route": route}
    return render(request, "informeren/redactie/wegwijzer_route.html", context)


@role_required(Role.REDACTEUR)
@require_POST
def wegwijzer_route_delete(request: HttpRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(WegwijzerRoute, pk=pk)
    name = str(route)
    route.delete()
    content_changed()
    messages.success(request, _("De route %(route)s is verwijderd.") % {"route": name})
    return redirect("informeren:wegwijzer_routes")


@never_cache
@role_required(Role.REDACTEUR)
@require_http_methods(["GET", "POST"])
def wegwijzer_werkgebied(request: HttpRequest) -> HttpResponse:
    """The gemeenten each regional organisation works in: the wegwijzer shows it there only."""
    organisaties = Organisatie.objects.filter(national=False).order_by("name")
    current: dict[int, list[str]] = {}
    for organisatie_id, gemeente in Werkgebied.objects.values_list("organisatie_id", "gemeente"):
        current.setdefault(organisatie_id, []).append(gemeente)
    # Nothing ticked anywhere is an answer too (every organisation in the whole region).
    data = request.POST if request.method == "POST" else None
    form = WerkgebiedForm(data, organisaties=organisaties, gemeenten=gemeenten(), current=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for organisatie_id, chosen in form.chosen().items():
                Werkgebied.objects.filter(organisatie_id=organisatie_id).exclude(
                    gemeente__in=chosen
                ).delete()
                have = set(current.get(organisatie_id, []))
                Werkgebied.objects.bulk_create(
                    Werkgebied(organisatie_id=organisatie_id, gemeente=g)
                    for g in chosen
                    if g not in have
                )
            content_changed()
        messages.success(request, _("De werkgebieden zijn opgeslagen."))
        return redirect("informeren:wegwijzer_routes")
    return render(
        request,
        "informeren/redactie/simple_form.html",
        {
            "form": form,
            "title": _("Waar werken de organisaties?"),
            "back": reverse("informeren:wegwijzer_routes"),
        },
    )
