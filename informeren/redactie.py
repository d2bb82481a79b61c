"""The editors' side: write, review and publish information pages."""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Field, Model, Q, QuerySet, Sum
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from informeren import actions, national_views, searchlog
from informeren.changes import KINDS, ChangeData, describe
from informeren.diff import revision_diff
from informeren.forms import (
    B1ReasonForm,
    BegripChangeForm,
    ChecklistChangeForm,
    ChecklistItemChangeFormSet,
    ErvaringChangeForm,
    FeestdagForm,
    MeetingForm,
    NewTopicForm,
    OrganisatieChangeForm,
    RejectForm,
    RevisionForm,
    SchoolProfileForm,
    SynonymForm,
    ToestemmingForm,
    TopicCheckForm,
    TopicSettingsForm,
    TranslationForm,
    WegwijzerRouteForm,
)
from informeren.models import (
    TRANSLATION_LANGUAGES,
    Begrip,
    Checklist,
    DailyReads,
    Ervaring,
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
    Translation,
    WegwijzerAudience,
    WegwijzerRoute,
    WegwijzerSituation,
    Werkgebied,
    Wijziging,
    WijzigingSoort,
    WorkflowError,
)
from informeren.national import TRANSLATION_NATIONAL_FIELDS
from informeren.rendering import Readability, readability, render_markdown
from informeren.wegwijzer import VARIANTS, gemeenten
from steunen.models import Feestdag
from steunpunt.cache import content_changed
from steunpunt.http import AuthenticatedHttpRequest, require_form_methods
from steunpunt.languages import DUTCH_NAMES
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role, has_role, role_required

EDITORS = (Role.REDACTEUR, Role.VALIDATOR)


@never_cache
@role_required(*EDITORS)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    revisions = Revision.objects.select_related("topic", "author").order_by("-updated_at")
    context = {
        "drafts": revisions.filter(status=RevisionStatus.CONCEPT),
        "rejected": revisions.filter(status=RevisionStatus.AFGEKEURD),
        "pending": revisions.filter(status=RevisionStatus.TER_BEOORDELING),
        "approved": revisions.filter(status=RevisionStatus.GOEDGEKEURD),
        "overdue": Topic.objects.overdue(timezone.localdate())
        .select_related("owner")
        .order_by("review_by"),
        "changes": Wijziging.objects.open().select_related("author").order_by("-updated_at"),
        "topics": _with_translation_states(
            Topic.objects.order_by("title").select_related("published_revision")
        ),
        "open_translations": Translation.objects.open()
        .select_related("topic", "author")
        .order_by("-updated_at"),
        "written_counts": _written_counts(),
        "is_validator": has_role(request.user, Role.VALIDATOR),
        "is_editor": has_role(request.user, Role.REDACTEUR),
    }
    return render(request, "informeren/redactie/dashboard.html", context)


# What a topic's translation into a language is, for the editors' overviews.
MISSING, UP_TO_DATE, OUTDATED = "ontbreekt", "actueel", "verouderd"
STATE_LABELS = {MISSING: _("ontbreekt"), UP_TO_DATE: _("actueel"), OUTDATED: _("verouderd")}


def _with_translation_states(topics: Iterable[Topic]) -> list[Topic]:
    """The topics, each with ``translation_states``: per language (code, name, state, open).

    ``open`` is the translation still on its way in that language, if any. Two
    queries for all topics together, whatever their number.
    """
    listed = list(topics)
    ids = [topic.pk for topic in listed]
    published = {
        (topic_id, language): source_id
        for topic_id, language, source_id in Translation.objects.published()
        .filter(topic_id__in=ids)
        .values_list("topic_id", "language", "source_id")
    }
    on_the_way = {
        (t.topic_id, t.language): t
        for t in Translation.objects.open().filter(topic_id__in=ids).order_by("number")
    }
    for topic in listed:
        states = []
        for code, name in TRANSLATION_LANGUAGES:
            source_id = published.get((topic.pk, code))
            if source_id is None:
                state = MISSING
            elif source_id == topic.published_revision_id:
                state = UP_TO_DATE
            else:
                state = OUTDATED
            states.append(
                {
                    "code": code,
                    "name": name,
                    "dutch_name": DUTCH_NAMES[code],
                    "state": state,
                    "label": STATE_LABELS[state],
                    "open": on_the_way.get((topic.pk, code)),
                }
            )
        topic.translation_states = states
    return listed


def _written_counts() -> dict[str, int]:
    """How many published pages have a text for youths, and for children."""
    published = Topic.objects.published()
    has = {
        audience: Q(**{f"published_revision__national_{audience}__gt": ""})
        | Q(**{f"published_revision__regional_{audience}__gt": ""})
        for audience in ("jongeren", "kinderen")
    }
    return published.aggregate(
        total=Count("pk"),
        jongeren=Count("pk", filter=has["jongeren"]),
        kinderen=Count("pk", filter=has["kinderen"]),
    )


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def topic_new(request: AuthenticatedHttpRequest) -> HttpResponse:
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
@require_form_methods
def topic_admin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
    context = {
        "topic": topic,
        "form": form,
        "history": history,
        "translation_states": _with_translation_states([topic])[0].translation_states,
        "translations": topic.translations.select_related("author", "reviewer", "source"),
        "checks": topic.checks.select_related("checked_by"),
        "check_form": TopicCheckForm(),
        "usage": usage_for(topic),
    }
    return render(request, "informeren/redactie/topic_admin.html", context)


@role_required(*EDITORS)
@require_POST
def topic_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Nog steeds juist, vandaag gecontroleerd": a review without a new text."""
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["note"][0]))
        return redirect("informeren:topic_admin", pk=topic.pk)
    try:
        actions.check_topic(topic=topic, by=request.user, note=form.cleaned_data["note"])
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Vastgelegd: de pagina is vandaag gecontroleerd en nog steeds juist."),
        )
    return redirect("informeren:topic_admin", pk=topic.pk)


@role_required(Role.REDACTEUR)
@require_POST
def revision_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    open_draft = topic.revisions.filter(
        status__in=[RevisionStatus.CONCEPT, RevisionStatus.AFGEKEURD]
    ).first()
    if open_draft:
        messages.info(request, _("Er is al een concept voor deze pagina. Werk daarin verder."))
        return redirect("informeren:revision_edit", pk=open_draft.pk)
    revision = actions.start_revision(topic=topic, by=request.user)
    return redirect("informeren:revision_edit", pk=revision.pk)


def _readability_for(
    revision_or_form_data: Revision | Mapping[str, str],
) -> list[tuple[str, Readability]]:
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
            if isinstance(revision_or_form_data, Mapping)
            else getattr(revision_or_form_data, name)
        )
        if text and text.strip():
            result.append((label, readability(text)))
    return result


@never_cache
@role_required(*EDITORS)
def revision_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
        "below_b1": revision.below_b1(),
        "b1_form": B1ReasonForm(),
        "is_validator": has_role(request.user, Role.VALIDATOR),
        "is_editor": has_role(request.user, Role.REDACTEUR),
        "has_edited": revision.has_edited(request.user),
    }
    return render(request, "informeren/redactie/revision.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def revision_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(Revision.objects.select_related("topic"), pk=pk)
    if not revision.is_editable:
        messages.error(request, _("Deze versie is niet meer te wijzigen. Maak een nieuwe versie."))
        return redirect("informeren:revision", pk=revision.pk)
    form = RevisionForm(request.POST or None, instance=revision)
    national_locked = national_views.national_text_locked(revision)
    if national_locked:
        # The national part comes from the hub; only a recorded deviation unlocks it.
        for name in Revision.NATIONAL_FIELDS:
            form.fields[name].disabled = True
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
        {
            "form": form,
            "revision": revision,
            "scores": _readability_for(data),
            "national_locked": national_locked,
            "deviation_form": national_views.DeviationForm(),
        },
    )


@role_required(Role.REDACTEUR)
@require_POST
def preview(request: AuthenticatedHttpRequest) -> HttpResponse:
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


def _workflow_step[T: Model](
    request: AuthenticatedHttpRequest,
    model: type[T],
    pk: int,
    step: Callable[[T], str],
    detail: str,
) -> HttpResponse:
    """One step of a four-eyes workflow (revision, translation, change) from a button.

    ``step`` calls the action and returns what to tell the editor; a step the
    workflow refuses (four eyes, wrong state) says why. Back to ``detail``.
    """
    found = get_object_or_404(model, pk=pk)
    try:
        message = step(found)
    except (FourEyesError, WorkflowError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(detail, pk=found.pk)


def _workflow(
    request: AuthenticatedHttpRequest, pk: int, step: Callable[[Revision], str]
) -> HttpResponse:
    return _workflow_step(request, Revision, pk, step, "informeren:revision")


@role_required(Role.REDACTEUR)
@require_POST
def revision_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(revision: Revision) -> str:
        actions.submit_revision(revision=revision, by=request.user)
        return _("De versie ligt nu ter beoordeling bij een validator.")

    return _workflow(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def revision_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("b1_reason", "")[:1000]

    def step(revision: Revision) -> str:
        actions.approve_revision(revision=revision, by=request.user, b1_reason=reason)
        return _("De versie is goedgekeurd. Hij kan nu gepubliceerd worden.")

    return _workflow(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def revision_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def revision_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(revision: Revision) -> str:
        actions.publish(revision=revision, by=request.user)
        return _("De versie is gepubliceerd.")

    return _workflow(request, pk, step)


@role_required(Role.REDACTEUR)
@require_POST
def revision_rollback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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


# --- Translations ------------------------------------------------------------------------


@role_required(Role.REDACTEUR)
@require_POST
def translation_start(request: AuthenticatedHttpRequest, pk: int, language: str) -> HttpResponse:
    """ "Vertaling maken": a concept of the published Dutch text, prefilled from the last one."""
    topic = get_object_or_404(Topic, pk=pk)
    open_one = topic.translations.filter(
        language=language, status__in=[RevisionStatus.CONCEPT, RevisionStatus.AFGEKEURD]
    ).first()
    if open_one:
        messages.info(request, _("Er is al een concept van deze vertaling. Werk daarin verder."))
        return redirect("informeren:translation_edit", pk=open_one.pk)
    if topic.translations.open().filter(language=language).exists():
        messages.error(
            request,
            _("Er ligt al een vertaling in deze taal ter beoordeling. Rond die eerst af."),
        )
        return redirect("informeren:topic_admin", pk=topic.pk)
    try:
        translation = actions.start_translation(topic=topic, language=language, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("informeren:topic_admin", pk=topic.pk)
    return redirect("informeren:translation_edit", pk=translation.pk)


def _label(model: type[Model], name: str) -> str:
    """The verbose name of one of the model's fields."""
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def _dutch_parts(translation: Translation) -> list[tuple[str, str, str]]:
    """(field, label, Dutch text) of what the translation follows, for side-by-side reading."""
    source = translation.source
    labels = {name: _label(Translation, name) for name in Translation.CONTENT_FIELDS}
    return [
        (name, labels[name], getattr(source, name))
        for name in Translation.CONTENT_FIELDS
        if getattr(source, name)
    ]


@never_cache
@role_required(*EDITORS)
def translation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    translation = get_object_or_404(
        Translation.objects.select_related(
            "topic__published_revision", "source", "author", "reviewer", "published_by"
        ),
        pk=pk,
    )
    parts = [
        (label, dutch, getattr(translation, name))
        for name, label, dutch in _dutch_parts(translation)
    ]
    context = {
        "translation": translation,
        "topic": translation.topic,
        "parts": parts,
        "language_name": DUTCH_NAMES[translation.language],
        "reject_form": RejectForm(),
        "is_validator": has_role(request.user, Role.VALIDATOR),
        "is_editor": has_role(request.user, Role.REDACTEUR),
        "has_edited": translation.has_edited(request.user),
    }
    return render(request, "informeren/redactie/translation.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def translation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    translation = get_object_or_404(Translation.objects.select_related("topic", "source"), pk=pk)
    if not translation.is_editable:
        messages.error(
            request, _("Deze vertaling is niet meer te wijzigen. Maak een nieuwe vertaling.")
        )
        return redirect("informeren:translation", pk=translation.pk)
    data = request.POST if request.method == "POST" else None
    form = TranslationForm(data, instance=translation, source=translation.source)
    national_locked = national_views.translation_national_locked(translation)
    if national_locked:
        # The translated national text comes from the hub, as the Dutch one does.
        for name in TRANSLATION_NATIONAL_FIELDS:
            if name in form.fields:
                form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_translation(
                translation=translation, by=request.user, content=form.content()
            )
        except WorkflowError as error:
            messages.error(request, str(error))  # submitted by someone else meanwhile
        else:
            messages.success(request, _("De vertaling is opgeslagen."))
        return redirect("informeren:translation", pk=translation.pk)
    context = {
        "form": form,
        "translation": translation,
        "dutch": _dutch_parts(translation),
        "language_name": DUTCH_NAMES[translation.language],
        "national_locked": national_locked,
    }
    return render(request, "informeren/redactie/translation_edit.html", context)


def _translation_step(
    request: AuthenticatedHttpRequest, pk: int, step: Callable[[Translation], str]
) -> HttpResponse:
    return _workflow_step(request, Translation, pk, step, "informeren:translation")


@role_required(Role.REDACTEUR)
@require_POST
def translation_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(translation: Translation) -> str:
        actions.submit_translation(translation=translation, by=request.user)
        return _("De vertaling ligt nu ter beoordeling bij een validator.")

    return _translation_step(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def translation_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(translation: Translation) -> str:
        actions.approve_translation(translation=translation, by=request.user)
        return _("De vertaling is goedgekeurd. Hij kan nu gepubliceerd worden.")

    return _translation_step(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def translation_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf op wat er beter moet."))
        return redirect("informeren:translation", pk=pk)

    def step(translation: Translation) -> str:
        actions.reject_translation(
            translation=translation, by=request.user, reason=form.cleaned_data["reason"]
        )
        return _("De vertaling is afgekeurd en terug naar de auteur.")

    return _translation_step(request, pk, step)


@role_required(*EDITORS)
@require_POST
def translation_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(translation: Translation) -> str:
        actions.publish_translation(translation=translation, by=request.user)
        return _("De vertaling is gepubliceerd.")

    return _translation_step(request, pk, step)


@never_cache
@role_required(Role.REDACTEUR)
def school_profiles(request: AuthenticatedHttpRequest) -> HttpResponse:
    schools = School.objects.order_by("gemeente", "name").prefetch_related("support")
    return render(request, "informeren/redactie/school_profiles.html", {"schools": schools})


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def school_profile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School, pk=pk)
    form = SchoolProfileForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        content_changed()
        messages.success(request, _("De ondersteuning van de school is opgeslagen."))
        return redirect("informeren:school_profiles")
    return render(
        request, "informeren/redactie/school_profile.html", {"form": form, "school": school}
    )


MEETING_STAFF = (Role.REDACTEUR, Role.MEDEWERKER, Role.COORDINATOR)


@never_cache
@role_required(*MEETING_STAFF)
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def meeting_participants(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    registrations = meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
    return render(
        request,
        "informeren/redactie/participants.html",
        {"meeting": meeting, "registrations": registrations},
    )


@role_required(*EDITORS)
@require_POST
def feedback_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feedback, pk=pk)
    topic_id = item.topic_id
    # The answer (ja/nee) still counts; only the remark goes.
    Feedback.objects.filter(pk=pk).update(remark="")
    messages.success(request, _("De opmerking is verwijderd."))
    return redirect("informeren:topic_admin", pk=topic_id)


def usage_for(topic: Topic) -> dict[str, Any]:
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


def _edit[M: Model](
    request: AuthenticatedHttpRequest,
    *,
    form_class: type[forms.ModelForm[M]],
    instance: M | None,
    template_title: str,
    done: str,
    back: str,
) -> HttpResponse:
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
@require_form_methods
def meeting_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
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
def organisatie_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "organisaties": Organisatie.objects.all(),
        "changes": _open_changes(WijzigingSoort.ORGANISATIE),
    }
    return render(request, "informeren/redactie/organisaties.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def organisatie_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Propose a new or changed organisation; public after a second person approved it."""
    return _propose(request, kind=WijzigingSoort.ORGANISATIE, target_id=pk)


@never_cache
@role_required(Role.REDACTEUR)
def checklist_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "checklists": Checklist.objects.all(),
        "changes": _open_changes(WijzigingSoort.CHECKLIST),
    }
    return render(request, "informeren/redactie/checklists.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def checklist_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Propose a new or changed checklist; public after a second person approved it."""
    return _propose(request, kind=WijzigingSoort.CHECKLIST, target_id=pk)


# --- What search learns from, and what people searched for ---------------------------


@never_cache
@role_required(Role.REDACTEUR)
def synonym_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "informeren/redactie/synonyms.html", {"synonyms": Synonym.objects.all()})


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def synonym_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
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
def synonym_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def search_queries(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def wegwijzer_routes(request: AuthenticatedHttpRequest) -> HttpResponse:
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
@require_form_methods
def wegwijzer_route_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
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
def wegwijzer_route_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(WegwijzerRoute, pk=pk)
    name = str(route)
    route.delete()
    content_changed()
    messages.success(request, _("De route %(route)s is verwijderd.") % {"route": name})
    return redirect("informeren:wegwijzer_routes")


@never_cache
@role_required(Role.REDACTEUR)
@require_safe
def wegwijzer_werkgebied(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where each regional organisation works (the wegwijzer shows it there only).

    Changed only through the organisation's own change, under four eyes like
    the rest of its public text: this page shows it and links there.
    """
    organisaties = Organisatie.objects.filter(national=False).order_by("name")
    current: dict[int, list[str]] = {}
    for organisatie_id, gemeente in Werkgebied.objects.values_list("organisatie_id", "gemeente"):
        current.setdefault(organisatie_id, []).append(gemeente)
    rows = [(organisatie, sorted(current.get(organisatie.pk, []))) for organisatie in organisaties]
    return render(request, "informeren/redactie/werkgebied.html", {"rows": rows})


def _open_changes(kind: str) -> QuerySet[Wijziging]:
    return Wijziging.objects.open().filter(kind=kind).select_related("author")


KIND_TITLES: dict[str, tuple[str, str]] = {
    WijzigingSoort.BEGRIP: (_("Nieuw begrip"), _("Begrip wijzigen")),
    WijzigingSoort.ORGANISATIE: (_("Nieuwe organisatie"), _("Organisatie wijzigen")),
    WijzigingSoort.CHECKLIST: (_("Nieuwe checklist"), _("Checklist wijzigen")),
    WijzigingSoort.ERVARING: (_("Nieuw ervaringsverhaal"), _("Ervaringsverhaal wijzigen")),
}
KIND_LISTS: dict[str, str] = {
    WijzigingSoort.BEGRIP: "informeren:begrip_list",
    WijzigingSoort.ORGANISATIE: "informeren:organisatie_list",
    WijzigingSoort.CHECKLIST: "informeren:checklist_list",
    WijzigingSoort.ERVARING: "informeren:ervaring_list",
}


# The form of a change, by kind (_forms_for).
ChangeForm = BegripChangeForm | OrganisatieChangeForm | ChecklistChangeForm | ErvaringChangeForm


def _forms_for(
    kind: str,
    data: QueryDict | None,
    values: ChangeData,
    target_id: int | None,
    *,
    ask_consent: bool,
) -> tuple[ChangeForm, dict[str, Any]]:
    """The form (and the checklist's items, the story's consent) for one kind, filled in."""
    plain = {k: v for k, v in values.items() if k not in ("gemeenten", "items", "topics")}

    def instance[M: Model](model: type[M]) -> M:
        # The row as the change would make it (KINDS[kind].model), not saved.
        row = model(pk=target_id, **plain)
        # A change of a public row: its own name is no other row's (validate_unique).
        row._state.adding = target_id is None
        return row

    extra: dict[str, Any] = {}  # the checklist's items formset, the story's consent form
    form: ChangeForm
    if kind == WijzigingSoort.BEGRIP:
        form = BegripChangeForm(data, instance=instance(Begrip))
    elif kind == WijzigingSoort.ORGANISATIE:
        form = OrganisatieChangeForm(
            data,
            instance=instance(Organisatie),
            gemeenten=gemeenten(),
            initial={"gemeenten": values.get("gemeenten", [])},
        )
    elif kind == WijzigingSoort.CHECKLIST:
        form = ChecklistChangeForm(data, instance=instance(Checklist))
        extra["items"] = ChecklistItemChangeFormSet(
            data, initial=values.get("items", []), prefix="punten"
        )
    else:
        form = ErvaringChangeForm(
            data, instance=instance(Ervaring), initial={"topics": values.get("topics", [])}
        )
        if ask_consent:
            extra["consent"] = ToestemmingForm(data, prefix="toestemming")
    return form, extra


def _propose(
    request: AuthenticatedHttpRequest,
    *,
    kind: str,
    target_id: int | None,
    change: Wijziging | None = None,
) -> HttpResponse:
    """The form of a change: a new one, a change of a public row, or a concept again.

    Nothing public changes here; the change is saved as a concept that
    someone else must approve before it is published.
    """
    spec = KINDS[kind]
    target = None
    if target_id is not None:
        target = get_object_or_404(spec.model, pk=target_id)
    if change is None:
        waiting = actions.open_change(kind=kind, target_id=target_id)
        if waiting is not None:
            messages.info(
                request,
                _(
                    "Er ligt al een wijziging klaar. Werk daarin verder, "
                    "of wacht op de beoordeling."
                ),
            )
            if waiting.is_editable:
                return redirect("informeren:change_edit", pk=waiting.pk)
            return redirect("informeren:change", pk=waiting.pk)
        values = spec.values_of(target) if target is not None else {}
    else:
        values = change.data
    # A new story needs its consent; so does a story taken offline (its consent
    # was withdrawn), unless the concept already holds one recorded since.
    offline = isinstance(target, Ervaring) and target.withdrawn_at is not None
    ask_consent = kind == WijzigingSoort.ERVARING and (
        (change is None and (target is None or offline))
        or (change is not None and change.consent_id is None)
        or (
            change is not None
            and offline
            and isinstance(target, Ervaring)
            and not target.accepts_consent(change.consent)
        )
    )
    data = request.POST if request.method == "POST" else None
    form, extra = _forms_for(kind, data, values, target_id, ask_consent=ask_consent)
    locked = national_views.change_national_fields_locked(kind, target_id, change)
    refused = _lock_national_fields(kind, form, extra, locked)
    if request.method == "POST" and refused:
        form.is_valid()  # the errors of the rest, beside the refusal
        form.add_error(
            None,
            _(
                "Dit komt uit de landelijke set. De landelijke inhoud kunt u hier niet "
                "wijzigen. Moet de regio afwijken? Leg dan eerst een regionale afwijking "
                "vast, met de reden."
            ),
        )
    elif request.method == "POST" and form.is_valid() and all(f.is_valid() for f in extra.values()):
        proposed = form.data_for_change() if hasattr(form, "data_for_change") else {}
        if kind == WijzigingSoort.CHECKLIST:
            proposed = {
                "title": form.cleaned_data["title"].strip(),
                "intro": form.cleaned_data["intro"].strip(),
                "items": extra["items"].items(),
            }
        with transaction.atomic():
            consent = None
            if "consent" in extra:
                cleaned = extra["consent"].cleaned_data
                consent = actions.record_consent(
                    by=request.user,
                    given_by=cleaned["given_by"],
                    given_on=cleaned["given_on"],
                    how=cleaned["how"],
                )
            try:
                saved = actions.save_change(
                    kind=kind,
                    target_id=target_id,
                    data=proposed,
                    by=request.user,
                    change=change,
                    consent=consent,
                )
            except WorkflowError as error:  # submitted by someone else meanwhile
                assert change is not None  # a new change has no step to miss
                messages.error(request, str(error))
                return redirect("informeren:change", pk=change.pk)
        messages.success(
            request,
            _("De wijziging is opgeslagen als concept. Bied hem aan ter beoordeling."),
        )
        return redirect("informeren:change", pk=saved.pk)
    new_title, edit_title = KIND_TITLES[kind]
    context = {
        "form": form,
        "items": extra.get("items"),
        "consent_form": extra.get("consent"),
        "title": edit_title if (target is not None or change is not None) else new_title,
        "change": change,
        "back": reverse(KIND_LISTS[kind]),
        "kind": kind,
        "national_locked": bool(locked),
        # A term or checklist has nothing of the region's: nothing to save while locked.
        "all_locked": bool(locked) and set(locked) >= set(spec.fields),
        "deviation_form": national_views.DeviationForm(),
        "deviation_url": (
            reverse("informeren:change_deviation", args=[kind, target_id])
            if locked and target_id is not None
            else ""
        ),
    }
    return render(request, "informeren/redactie/change_form.html", context)


def _lock_national_fields(
    kind: str, form: ChangeForm, extra: dict[str, Any], locked: tuple[str, ...]
) -> bool:
    """Disable the national fields (``locked``); True when the post tries to change them.

    A term or checklist is national through and through: any post is refused.
    An organisation's local contact details and gemeenten stay editable; a post
    is refused only when it changes a national field (a disabled field is not
    sent by a browser, so only a forged or stale post does).
    """
    if not locked:
        return False
    everything = set(locked) >= set(KINDS[kind].fields)
    tried = form.is_bound and everything
    for name in locked:
        field = form.fields.get(name)
        if field is None:
            continue
        key = form.add_prefix(name)
        if form.is_bound and key in form.data:
            posted = field.widget.value_from_datadict(form.data, form.files, key)
            if field.has_changed(form.get_initial_for_field(field, name), posted):
                tried = True
        field.disabled = True
    if everything and form.helper.form_tag:
        form.helper.inputs = []  # nothing of the region's to save (the template's own button)
    items = extra.get("items")
    if "items" in locked and items is not None:
        for item_form in items.forms:
            for field in item_form.fields.values():
                field.disabled = True
    return tried


def _get_change(pk: int) -> Wijziging:
    return get_object_or_404(
        Wijziging.objects.select_related("author", "reviewer", "published_by"), pk=pk
    )


@never_cache
@role_required(*EDITORS)
def change_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A change with what it changes, its readability, who did what, and its steps."""
    change = _get_change(pk)
    spec = KINDS[change.kind]
    if change.status in (RevisionStatus.GEPUBLICEERD, RevisionStatus.VERVANGEN):
        before = change.previous
    else:
        target = spec.model._default_manager.filter(pk=change.target_id).first()
        before = spec.values_of(target) if target is not None else {}
    history = (
        Wijziging.objects.of(change.kind, change.target_id)
        .exclude(pk=change.pk)
        .select_related("author", "reviewer", "published_by")
        if change.target_id
        else []
    )
    context = {
        "change": change,
        "rows": describe(change.kind, change.data, before),
        "is_new": not before,
        "history": history,
        "below_b1": change.below_b1(),
        "scores": [
            (label, readability(text))
            for label, text in change.readability_texts().items()
            if text and text.strip()
        ],
        "b1_form": B1ReasonForm(),
        "reject_form": RejectForm(),
        "back": reverse(KIND_LISTS[change.kind]),
        "is_validator": has_role(request.user, Role.VALIDATOR),
        "is_editor": has_role(request.user, Role.REDACTEUR),
        "has_edited": change.has_edited(request.user),
    }
    return render(request, "informeren/redactie/change.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def change_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    change = _get_change(pk)
    if not change.is_editable:
        messages.error(
            request, _("Deze wijziging is niet meer aan te passen. Begin een nieuwe wijziging.")
        )
        return redirect("informeren:change", pk=change.pk)
    return _propose(request, kind=change.kind, target_id=change.target_id, change=change)


def _change_step(
    request: AuthenticatedHttpRequest, pk: int, step: Callable[[Wijziging], str]
) -> HttpResponse:
    return _workflow_step(request, Wijziging, pk, step, "informeren:change")


@role_required(Role.REDACTEUR)
@require_POST
def change_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(change: Wijziging) -> str:
        actions.submit_change(change=change, by=request.user)
        return _("De wijziging ligt nu ter beoordeling bij een validator.")

    return _change_step(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def change_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("b1_reason", "")[:1000]

    def step(change: Wijziging) -> str:
        actions.approve_change(change=change, by=request.user, b1_reason=reason)
        return _("De wijziging is goedgekeurd. Hij kan nu gepubliceerd worden.")

    return _change_step(request, pk, step)


@role_required(Role.VALIDATOR)
@require_POST
def change_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf op wat er beter moet."))
        return redirect("informeren:change", pk=pk)

    def step(change: Wijziging) -> str:
        actions.reject_change(change=change, by=request.user, reason=form.cleaned_data["reason"])
        return _("De wijziging is afgekeurd en terug naar de auteur.")

    return _change_step(request, pk, step)


@role_required(*EDITORS)
@require_POST
def change_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def step(change: Wijziging) -> str:
        actions.publish_change(change=change, by=request.user)
        return _("De wijziging is gepubliceerd. Bezoekers zien hem nu.")

    return _change_step(request, pk, step)


@never_cache
@role_required(Role.REDACTEUR)
def begrip_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"begrippen": Begrip.objects.all(), "changes": _open_changes(WijzigingSoort.BEGRIP)}
    return render(request, "informeren/redactie/begrippen.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def begrip_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Propose a new or changed glossary term; public after a second person approved it."""
    return _propose(request, kind=WijzigingSoort.BEGRIP, target_id=pk)


@never_cache
@role_required(Role.REDACTEUR)
def ervaring_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "ervaringen": Ervaring.objects.prefetch_related("topics").select_related("withdrawn_by"),
        "changes": _open_changes(WijzigingSoort.ERVARING),
    }
    return render(request, "informeren/redactie/ervaringen.html", context)


@never_cache
@role_required(Role.REDACTEUR)
@require_form_methods
def ervaring_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Propose a new story (with its consent) or a changed one; public after approval."""
    return _propose(request, kind=WijzigingSoort.ERVARING, target_id=pk)


@role_required(*EDITORS)
@require_POST
def ervaring_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take a story offline at once (no second person needed to take text away)."""
    ervaring = get_object_or_404(Ervaring, pk=pk)
    actions.withdraw_story(ervaring=ervaring, by=request.user)
    messages.success(
        request,
        _("%(title)s staat niet meer op de website.") % {"title": ervaring.title},
    )
    return redirect("informeren:ervaring_list")


@never_cache
@role_required(*EDITORS)
def consent_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who gave consent for a story, and when: for the redactie only, and every view audited."""
    change = get_object_or_404(
        Wijziging.objects.select_related("consent__recorded_by"),
        pk=pk,
        kind=WijzigingSoort.ERVARING,
        consent__isnull=False,
    )
    AuditEntry.record(actor=request.user, action=AuditAction.CONSENT_VIEWED, obj=change.consent)
    return render(
        request,
        "informeren/redactie/consent.html",
        {"change": change, "consent": change.consent},
    )


# --- Feestdagen -----------------------------------------------------------------------

HOLIDAY_KEEPERS = (Role.REDACTEUR, Role.COORDINATOR)


@never_cache
@role_required(*HOLIDAY_KEEPERS)
@require_form_methods
def feestdag_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The days the steunpunt is closed: the answer promised to askers skips them."""
    form = FeestdagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holiday = actions.add_holiday(
            day=form.cleaned_data["date"], name=form.cleaned_data["name"], by=request.user
        )
        messages.success(request, _("%(holiday)s is toegevoegd.") % {"holiday": holiday})
        return redirect("informeren:feestdag_list")
    today = timezone.localdate()
    context = {
        "form": form,
        "coming": Feestdag.objects.filter(date__gte=today),
        "past": Feestdag.objects.filter(date__lt=today).order_by("-date")[:20],
    }
    return render(request, "informeren/redactie/feestdagen.html", context)


@role_required(*HOLIDAY_KEEPERS)
@require_POST
def feestdag_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Feestdag, pk=pk)
    actions.remove_holiday(holiday=holiday, by=request.user)
    messages.success(request, _("%(holiday)s is verwijderd.") % {"holiday": holiday})
    return redirect("informeren:feestdag_list")
