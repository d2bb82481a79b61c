"""Public information pages, the glossary and search."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from informeren import searchlog
from informeren.forms import FeedbackForm, OrganisatieFilterForm, SchoolFilterForm, SignUpForm
from informeren.meetings import SignUpError, calendar_file, cancel, find_by_token, sign_up
from informeren.models import (
    Begrip,
    Checklist,
    DailyReads,
    Ervaring,
    Feedback,
    Meeting,
    Ondersteuningsvorm,
    Organisatie,
    OrganisatieSoort,
    ReadKind,
    RegistrationStatus,
    Revision,
    School,
    Thema,
    Topic,
    Translation,
    Verteller,
    Werkgebied,
)
from informeren.rendering import link_glossary, render_markdown
from informeren.search import page_number
from informeren.search import search as run_search
from informeren.usage import readable, record_read
from steunpunt import ratelimit
from steunpunt.cache import kept, public_page
from steunpunt.http import HtmxHttpRequest, require_form_methods
from steunpunt.languages import in_language

AUDIENCES = {
    "ouders": _("Voor ouders"),
    "jongeren": _("Voor jongeren"),
    "kinderen": _("Voor kinderen"),
}


# "Veel gelezen" on the information index: this many pages, read in these many days.
MOST_READ = 6
MOST_READ_DAYS = 90


def _most_read(published: list[Topic]) -> tuple[list[Topic], bool]:
    """The pages read most lately (counts of reads, nobody's); else the editors' first ones.

    Returns the pages and whether they are the most read (False: the first by position).
    """
    since = timezone.localdate() - timedelta(days=MOST_READ_DAYS)
    counts = dict(
        DailyReads.objects.filter(kind=ReadKind.TOPIC, day__gte=since)
        .values("object_id")
        .annotate(total=Sum("count"))
        .values_list("object_id", "total")
    )
    read = sorted((t for t in published if counts.get(t.pk)), key=lambda t: -counts[t.pk])
    if len(read) >= 3:
        return read[:MOST_READ], True
    if len(published) <= 2 * MOST_READ:  # a short list needs no start of its own
        return [], False
    return sorted(published, key=lambda t: (t.position, t.title))[:MOST_READ], False


@require_safe
@public_page
def topics(request: HttpRequest) -> HttpResponse:
    """Every published page once: the most read first, then each under its first theme."""
    published = list(Topic.objects.published().only("slug", "title", "summary", "position"))
    first, by_reads = _most_read(published)
    shown = {t.pk for t in first}
    themes = list(
        Thema.objects.prefetch_related(
            Prefetch(
                "topics",
                queryset=Topic.objects.published().only("slug", "title", "summary", "position"),
                to_attr="published_topics",
            )
        )
    )
    for thema in themes:
        pages = [t for t in thema.published_topics if t.pk not in shown]
        shown.update(t.pk for t in pages)
        thema.published_topics = pages
    _in_page_language([*first, *(t for thema in themes for t in thema.published_topics)])
    context = {"themes": themes, "first": first, "first_by_reads": by_reads}
    return render(request, "informeren/topics.html", context)


def _in_page_language(pages: list[Topic]) -> None:
    """Give each page ``shown_title``, ``shown_summary`` and ``shown_lang``: its translation's
    in the page's language, else its Dutch ones with ``shown_lang`` "nl" (one query)."""
    language = get_language()
    translated = {}
    if language != "nl":
        translated = {
            topic_id: (title, summary)
            for topic_id, title, summary in Translation.objects.published()
            .filter(language=language, topic_id__in={page.pk for page in pages})
            .values_list("topic_id", "title", "summary")
        }
    for page in pages:
        title, summary = translated.get(page.pk, (page.title, page.summary))
        page.shown_title, page.shown_summary = title, summary
        page.shown_lang = "nl" if language != "nl" and page.pk not in translated else ""


def _written_for(audience: str) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """The topics written for ``audience``, by theme: (theme, [(url, title, lead, lang)]).

    In another language a topic's translation for ``audience`` where there is one;
    else its Dutch title and lead, with lang "nl". Published content only: the
    same for every reader, kept until it changes.
    """

    def build() -> list[tuple[str, list[tuple[str, str, str, str]]]]:
        published = Topic.objects.published().select_related("published_revision")
        language = get_language()
        translated = {}
        if language != "nl":
            translated = {
                t.topic_id: t
                for t in Translation.objects.published().filter(language=language)
                if t.has_audience(audience)
            }
        seen: set[int] = set()
        grouped = []
        for thema in Thema.objects.prefetch_related(
            Prefetch("topics", queryset=published, to_attr="published_topics")
        ):
            pages = []
            for page in thema.published_topics:
                revision = page.published_revision
                if revision is None or page.pk in seen or audience not in revision.audiences():
                    continue
                seen.add(page.pk)
                url = reverse("informeren:topic_audience", args=[page.slug, audience])
                if page.pk in translated:
                    pages.append((url, *translated[page.pk].heading_for(audience), ""))
                else:
                    lang = "nl" if language != "nl" else ""
                    pages.append((url, *revision.heading_for(audience), lang))
            if pages:
                grouped.append((thema.youth_label, pages))
        return grouped

    return kept(f"written-for:{audience}", build)


@require_safe
@public_page
def youth(request: HttpRequest) -> HttpResponse:
    """/jongeren/: the way in for a youth, in their own words."""
    return render(request, "informeren/youth.html", {"grouped": _written_for("jongeren")})


@require_safe
@public_page
def children(request: HttpRequest) -> HttpResponse:
    """/kinderen/: the way in for a child; few words, big buttons."""
    pages = [page for _theme, pages in _written_for("kinderen") for page in pages]
    return render(request, "informeren/children.html", {"pages": pages})


def _glossary_links() -> list[tuple[str, str, str]]:
    base = reverse("informeren:glossary")
    links = []
    for slug, term, also, explanation in Begrip.objects.values_list(
        "slug", "term", "also_matches", "explanation"
    ):
        for form in [term, *[f.strip() for f in also.split(",") if f.strip()]]:
            links.append((form, f"{base}#{slug}", explanation))
    return links


def _translation_body(translation: Translation, audience: str) -> tuple[str, str]:
    """A translation's national and regional text as HTML (the glossary is Dutch: no links)."""

    def build() -> tuple[str, str]:
        national = getattr(translation, f"national_{audience}") or (
            translation.national_ouders if audience == "ouders" else ""
        )
        regional = getattr(translation, f"regional_{audience}")
        return render_markdown(national), render_markdown(regional) if regional else ""

    return kept(f"translation-html:{translation.pk}:{audience}", build)


def _topic_body(revision: Revision, audience: str) -> tuple[str, str]:
    """The national and regional text as HTML, glossary terms linked once on the page."""

    def build() -> tuple[str, str]:
        links = _glossary_links()
        linked: set[str] = set()  # each term linked once on the whole page
        national = getattr(revision, f"national_{audience}") or (
            revision.national_ouders if audience == "ouders" else ""
        )
        regional = getattr(revision, f"regional_{audience}")
        return (
            link_glossary(render_markdown(national), links, linked),
            link_glossary(render_markdown(regional), links, linked) if regional else "",
        )

    # Published content only (a revision, the glossary): the same for every reader.
    return kept(f"topic-html:{revision.pk}:{audience}", build)


@require_safe
@public_page
def topic(request: HttpRequest, slug: str, audience: str = "ouders") -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404
    head = kept(f"topic-head:{slug}", lambda: _topic_head(slug))
    if head is None:
        raise Http404
    # A variant not written yet: the parents' page, whole, with an honest note on
    # top; never a page that speaks to a youth in one paragraph and to a parent in
    # the next.
    written = audience in head["audiences"]
    shown = audience if written else "ouders"
    # In another language: its translation of this audience's text, else the
    # Dutch text whole, marked Dutch, with a note in the reader's language.
    translated = head.get("translation")
    if translated and shown not in translated["audiences"]:
        translated = None

    # The article is kept made (topic.html): what it is made of is read only
    # when it must be made again. A translation comes with its topic and the
    # topic's Dutch revision in one query.
    def published() -> Topic:
        return (
            Topic.objects.published()
            .select_related("published_revision")
            .defer("search_text")
            .get(pk=head["pk"])
        )

    def translation(pk: int) -> Translation:
        return (
            Translation.objects.select_related("topic__published_revision")
            .defer("topic__search_text")
            .get(pk=pk)
        )

    page: Topic
    body: tuple[str, str]
    if translated:
        text = _lazy(lambda: translation(translated["pk"]))
        page = _lazy(lambda: text.topic)
        body = _lazy(lambda: _translation_body(text, shown))
        heading = translated["headings"][shown]
    else:
        page = _lazy(published)
        body = _lazy(lambda: _topic_body(revision, shown))
        heading = head["headings"][shown]
    revision = _lazy(lambda: _published_revision(page))
    context = {
        "title": heading[0],
        "heading": heading,
        "meta_description": heading[1],
        "revision_pk": head["revision_pk"],
        "topic": page,
        "revision": revision,
        "audience": shown,
        "asked_audience": audience,
        "not_written": not written,
        "audience_label": AUDIENCES[shown],
        "audiences": [(a, AUDIENCES[a]) for a in head["audiences"]],
        # (national HTML, regional HTML)
        "body": body,
        "translation": translated,
        # For the kept article's name: a number, not a lookup on a missing translation.
        "translation_pk": translated["pk"] if translated else None,
        "dutch_url": in_language(request.path_info, "nl"),
        # Under another language's prefix with no translation for it: the Dutch text.
        "dutch_shown": get_language() != "nl" and not translated,
        "related": SimpleLazyObject(lambda: _related_for(page, shown)),
        "checklists": SimpleLazyObject(
            lambda: list(Checklist.objects.filter(items__topic=page).distinct())
        ),
        "organisaties": SimpleLazyObject(lambda: list(page.organisaties.all())),
        "themes": SimpleLazyObject(lambda: list(page.themes.all())),
        # Published stories only; never their consent (a table this page does not read).
        # A youth's or child's page shows the stories of youths: a parent's speaks to parents.
        "ervaringen": SimpleLazyObject(
            lambda: list(
                page.ervaringen.published()
                .filter(**({} if shown == "ouders" else {"teller": Verteller.JONGERE}))
                .only("pk", "title", "teller", "text", "fictional")
            )
        ),
        "feedback_form": SimpleLazyObject(lambda: FeedbackForm(young=shown != "ouders")),
        "thanks": request.GET.get("bedankt") == "1",
        "page_read_url": head["read_url"],
    }
    return render(request, "informeren/topic.html", context)


def _published_revision(page: Topic) -> Revision:
    """The revision the public sees (every page of Topic.objects.published() has one)."""
    if page.published_revision is None:
        raise Http404  # taken offline meanwhile
    return page.published_revision


def _lazy[T](make: Callable[[], T]) -> T:
    """A SimpleLazyObject: made on first use, typed as the object it stands in for."""
    return cast(T, SimpleLazyObject(make))


def _related_for(page: Topic, audience: str) -> list[tuple[str, str, str]]:
    """ "Zie ook" for one audience: (url, title, lang) of the related pages written for it.

    In another language a page's translated title, from the same query; a page
    without a translation for this audience keeps its Dutch title, with lang "nl".
    """
    found = page.related.published().select_related("published_revision")
    language = get_language()
    translated = language != "nl"
    if translated:
        field = "title" if audience == "ouders" else f"title_{audience}"
        theirs = Translation.objects.published().filter(topic=OuterRef("pk"), language=language)
        found = found.annotate(translated_title=Subquery(theirs.values(field)[:1]))
    result = []
    for other in found:
        revision = other.published_revision
        if revision is None:
            continue  # published() holds only pages with one
        if audience == "ouders":
            url, title = other.get_absolute_url(), revision.title
        elif audience in revision.audiences():
            url = reverse("informeren:topic_audience", args=[other.slug, audience])
            title = revision.heading_for(audience)[0]
        else:
            continue
        # The query's annotation, in another language only.
        translated_title: str | None = getattr(other, "translated_title", None)
        if translated and translated_title:
            result.append((url, translated_title, ""))
        else:
            result.append((url, title, "nl" if translated else ""))
    return result


def _topic_head(slug: str) -> dict[str, Any] | None:
    """What the topic page needs before its kept article: published content only."""
    found = (
        Topic.objects.published()
        .select_related("published_revision")
        .defer("search_text")
        .filter(slug=slug)
        .first()
    )
    if found is None or found.published_revision is None:
        return None
    revision = found.published_revision
    return {
        "pk": found.pk,
        "revision_pk": revision.pk,
        "title": revision.title,
        "headings": {audience: revision.heading_for(audience) for audience in AUDIENCES},
        "audiences": revision.audiences(),
        "read_url": reverse("informeren:read", args=[ReadKind.TOPIC, found.pk]),
        "translation": _translation_head(found, revision) if get_language() != "nl" else None,
    }


def _translation_head(found: Topic, revision: Revision) -> dict[str, Any] | None:
    """The published translation into the page's language, in brief (one query), or None."""
    translation = (
        Translation.objects.published()
        .filter(topic=found, language=get_language())
        .select_related("source")
        .first()
    )
    if translation is None:
        return None
    # Only the audiences the Dutch text has: a variant the Dutch no longer has is not shown.
    audiences = [a for a in translation.audiences() if a in revision.audiences()]
    source = translation.source
    return {
        "pk": translation.pk,
        "audiences": audiences,
        "headings": {audience: translation.heading_for(audience) for audience in AUDIENCES},
        "source_date": source.published_at or source.reviewed_at,
        "outdated": translation.source_id != revision.pk,
    }


@require_safe
@public_page
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "informeren/glossary.html", {"terms": Begrip.objects.all()})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    results = run_search(request.GET.get("q", ""), page_number(request.GET.get("pagina")))
    if results.page == 1:  # counted once per search, not per page of results
        searchlog.record_search(results.query, results.count)
    context = {"results": results, "themes": Thema.objects.all() if not results.query else []}
    return render(request, "informeren/search.html", context)


# --- Schools --------------------------------------------------------------------

SCHOOLS_PER_PAGE = 25


@require_safe
@public_page
@vary_on_headers("HX-Request")
def schools(request: HtmxHttpRequest) -> HttpResponse:
    supports = list(Ondersteuningsvorm.objects.all())
    gemeenten = list(
        School.objects.order_by("gemeente").values_list("gemeente", flat=True).distinct()
    )
    form = SchoolFilterForm(request.GET, gemeenten=gemeenten, supports=supports)
    found = (
        form.apply(School.objects.all())
        .select_related("samenwerkingsverband")
        .prefetch_related("support")
        .order_by("name", "pk")
    )
    page = Paginator(found, SCHOOLS_PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "informeren/schools.html#results" if request.htmx else "informeren/schools.html"
    return render(request, template, context)


@require_safe
@public_page
def school(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(School.objects.select_related("samenwerkingsverband"), pk=pk)
    context = {
        "school": found,
        "supports": found.support.all(),
        "page_read_url": reverse("informeren:read", args=[ReadKind.SCHOOL, pk]),
    }
    return render(request, "informeren/school.html", context)


# --- Organisations -----------------------------------------------------------------


def _gemeenten() -> list[str]:
    """The gemeenten of the region: where its schools are, and where organisations work."""
    from informeren.wegwijzer import gemeenten

    return gemeenten()


@require_safe
@public_page
def organisaties(request: HttpRequest) -> HttpResponse:
    """Who else can help; with ?gemeente=, those who work there (and in the whole country)."""
    form = OrganisatieFilterForm(request.GET, gemeenten=_gemeenten())
    gemeente = form.chosen()
    found = Organisatie.objects.order_by("soort", "name")
    if gemeente:
        # National ones, those working in this gemeente, and regional ones that
        # name no gemeente (they work in the whole region).
        found = found.filter(
            Q(national=True)
            | Q(werkgebied__gemeente=gemeente)
            | ~Q(pk__in=Werkgebied.objects.values("organisatie_id"))
        ).distinct()
    grouped = []
    all_organisaties = list(found)
    for soort in OrganisatieSoort:
        members = [o for o in all_organisaties if o.soort == soort]
        if members:
            grouped.append((soort.label, members))
    context = {"grouped": grouped, "form": form, "gemeente": gemeente}
    return render(request, "informeren/organisaties.html", context)


@require_safe
@public_page
def organisatie(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Organisatie, pk=pk)
    context = {
        "organisatie": found,
        "werkgebied": list(found.werkgebied.values_list("gemeente", flat=True)),
        "topics": found.topics.published().only("slug", "title"),
        "page_read_url": reverse("informeren:read", args=[ReadKind.ORGANISATIE, pk]),
    }
    return render(request, "informeren/organisatie.html", context)


# --- Meetings -----------------------------------------------------------------------


@require_safe
def meetings(request: HttpRequest) -> HttpResponse:
    upcoming = Meeting.objects.upcoming(timezone.now()).annotate(
        taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    )
    return render(request, "informeren/meetings.html", {"meetings": upcoming})


@never_cache
@require_form_methods
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Meeting, pk=pk, published=True)
    taken = found.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    full = taken >= found.capacity
    past = found.starts_at <= timezone.now()
    form = SignUpForm(request.POST or None, full=full)
    if request.method == "POST" and (
        request.POST.get("website")
        or ratelimit.is_limited("signup", request, limit=settings.SIGNUPS_PER_HOUR, window=3600)
    ):
        return render(request, "steunpunt/too_many_questions.html", status=429)
    if request.method == "POST" and not past and form.is_valid():
        # Counted before the sign-up is made: parallel posts cannot pass the limit together.
        if not ratelimit.take("signup", request, limit=settings.SIGNUPS_PER_HOUR, window=3600):
            return render(request, "steunpunt/too_many_questions.html", status=429)
        try:
            registration = sign_up(
                meeting=found, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
        except SignUpError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "informeren/meeting_signed_up.html",
                {"meeting": found, "registration": registration},
            )
    context = {
        "meeting": found,
        "form": form,
        "full": full,
        "past": past,
        "places_left": max(0, found.capacity - taken),
    }
    return render(request, "informeren/meeting.html", context)


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Meeting, pk=pk, published=True)
    response = HttpResponse(calendar_file(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{found.pk}.ics"'
    return response


@never_cache
@require_form_methods
def meeting_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = find_by_token(token)
    if registration is None:
        return render(request, "informeren/meeting_cancel.html", {"unknown": True}, status=404)
    if request.method == "POST":
        cancel(registration)
        return render(
            request,
            "informeren/meeting_cancel.html",
            {"done": True, "meeting": registration.meeting},
        )
    return render(
        request,
        "informeren/meeting_cancel.html",
        {"registration": registration, "meeting": registration.meeting},
    )


# --- Experience stories ---------------------------------------------------------------


@require_safe
@public_page
def ervaringen(request: HttpRequest) -> HttpResponse:
    stories = Ervaring.objects.published().prefetch_related(
        Prefetch("topics", queryset=Topic.objects.published().only("slug", "title"))
    )
    return render(request, "informeren/ervaringen.html", {"ervaringen": stories})


@require_safe
@public_page
def ervaring(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Ervaring.objects.published(), pk=pk)
    context = {
        "ervaring": found,
        "html": render_markdown(found.text),
        "topics": found.topics.published().only("slug", "title"),
    }
    return render(request, "informeren/ervaring.html", context)


# --- Checklists -----------------------------------------------------------------------


@require_safe
@public_page
def checklists(request: HttpRequest) -> HttpResponse:
    return render(request, "informeren/checklists.html", {"checklists": Checklist.objects.all()})


@require_safe
@public_page
def checklist(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Checklist, slug=slug)
    items = found.items.select_related("topic")
    return render(request, "informeren/checklist.html", {"checklist": found, "items": items})


# --- Feedback ---------------------------------------------------------------------------


def _feedback_limited(request: HtmxHttpRequest, page: Topic) -> HttpResponse:
    if request.htmx:
        # htmx swaps no 4xx answer: the visitor would see nothing happen.
        return render(request, "informeren/_feedback_limited.html", {"topic": page})
    return render(request, "steunpunt/too_many_questions.html", status=429)


# No CSRF token: the form sits on pages cached for everyone, and a vote on a
# page acts on nobody's behalf (it is rate limited and needs no login).
@csrf_exempt
@require_POST
def feedback(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Topic.objects.published(), slug=slug)
    if ratelimit.is_limited("feedback", request, limit=settings.FEEDBACK_PER_HOUR, window=3600):
        return _feedback_limited(request, page)
    audience = request.POST.get("voor")
    audience = audience if audience in ("jongeren", "kinderen") else "ouders"
    form: FeedbackForm | None = FeedbackForm(request.POST, young=audience != "ouders")
    if form is not None and form.is_valid():
        # Counted before it is stored: parallel posts cannot pass the limit together.
        if not ratelimit.take("feedback", request, limit=settings.FEEDBACK_PER_HOUR, window=3600):
            return _feedback_limited(request, page)
        Feedback.objects.create(
            topic=page,
            helpful=form.cleaned_data["helpful"],
            remark=form.cleaned_data["remark"].strip(),
        )
        form = None
    context = {"topic": page, "feedback_form": form, "thanks": form is None, "audience": audience}
    if request.htmx:
        return render(request, "informeren/topic.html#feedback", context)
    if form is None:
        url = (
            page.get_absolute_url()
            if audience == "ouders"
            else reverse("informeren:topic_audience", args=[slug, audience])
        )
        return redirect(f"{url}?bedankt=1#reactie")
    return render(request, "informeren/feedback_error.html", context, status=200)


# --- Reads --------------------------------------------------------------------------------


# Sent by the page itself once it is shown (static/js/steunpunt.js), so that
# pages the proxy serves from its cache are counted too. No cookie, no
# address, no token: a read is nobody's.
@csrf_exempt
@require_POST
def read(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if pk in readable().get(kind, ()):
        record_read(kind, pk)
    return HttpResponse(status=204)
