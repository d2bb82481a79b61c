"""Public information pages, the glossary and search."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from informeren.models import Begrip, Thema, Topic
from informeren.rendering import link_glossary, render_markdown
from informeren.search import search as run_search

AUDIENCES = {
    "ouders": "Voor ouders",
    "jongeren": "Voor jongeren",
    "kinderen": "Voor kinderen",
}


@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    published = Topic.objects.published().only("slug", "title", "summary", "position")
    themes = Thema.objects.prefetch_related(
        Prefetch("topics", queryset=published, to_attr="published_topics")
    )
    return render(request, "informeren/topics.html", {"themes": themes})


def _glossary_links() -> list[tuple[str, str, str]]:
    base = reverse("informeren:glossary")
    links = []
    for slug, term, also, explanation in Begrip.objects.values_list(
        "slug", "term", "also_matches", "explanation"
    ):
        for form in [term, *[f.strip() for f in also.split(",") if f.strip()]]:
            links.append((form, f"{base}#{slug}", explanation))
    return links


@require_GET
def topic(request: HttpRequest, slug: str, audience: str = "ouders") -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404
    page = get_object_or_404(
        Topic.objects.published().select_related("published_revision"), slug=slug
    )
    revision = page.published_revision
    if audience not in revision.audiences():
        return redirect(page)
    links = _glossary_links()
    linked: set[str] = set()  # each term linked once on the whole page
    national = getattr(revision, f"national_{audience}") or (
        revision.national_ouders if audience == "ouders" else ""
    )
    regional = getattr(revision, f"regional_{audience}")
    context = {
        "topic": page,
        "revision": revision,
        "audience": audience,
        "audience_label": AUDIENCES[audience],
        "audiences": [(a, AUDIENCES[a]) for a in revision.audiences()],
        "national_html": link_glossary(render_markdown(national), links, linked),
        "regional_html": link_glossary(render_markdown(regional), links, linked)
        if regional
        else "",
        "related": page.related.published().only("slug", "title", "summary"),
        "organisaties": page.organisaties.all(),
        "themes": page.themes.all(),
    }
    return render(request, "informeren/topic.html", context)


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "informeren/glossary.html", {"terms": Begrip.objects.all()})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    results = run_search(request.GET.get("q", ""))
    context = {"results": results, "themes": Thema.objects.all() if not results.query else []}
    return render(request, "informeren/search.html", context)
