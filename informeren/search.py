"""Search over published pages and the glossary.

PostgreSQL: full-text search with the 'dutch' configuration (stemming) on a
stored, GIN-indexed vector, ranked, with highlighted snippets. SQLite: a
plain fallback that matches every word and ranks title hits first.
"""

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from informeren.models import Begrip, Meeting, Organisatie, School, Topic

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 30
SNIPPETS = 10  # results that get a snippet of their text; the rest show their summary
_START, _STOP = "\x02", "\x03"  # highlight markers that never occur in text


def clean_query(raw: str) -> str:
    """A query anyone may type: normalised, without control characters, not too long."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass
class SearchResults:
    query: str
    topics: list[tuple[Topic, SafeString]] = field(default_factory=list)
    terms: list[Begrip] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    organisaties: list[Organisatie] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    suggestion: str = ""

    @property
    def count(self) -> int:
        return sum(
            len(found)
            for found in (self.topics, self.terms, self.schools, self.organisaties, self.meetings)
        )


def _marked(text: str) -> SafeString:
    escaped = html.escape(text)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def topic_vector():
    """The stored vector of a topic: title weighs most, then summary, then the text."""
    return (
        SearchVector(F("title"), weight="A", config="dutch")
        + SearchVector(F("summary"), weight="B", config="dutch")
        + SearchVector(F("search_text"), weight="C", config="dutch")
    )


def refresh_search_vector(topic: Topic) -> None:
    if connection.vendor == "postgresql":
        Topic.objects.filter(pk=topic.pk).update(search_vector=topic_vector())


def search(raw_query: str) -> SearchResults:
    query = clean_query(raw_query)
    results = SearchResults(query=query)
    if not query:
        return results
    words = re.findall(r"\w+", query)
    if not words:
        return results
    if connection.vendor == "postgresql":
        results.topics = _search_topics_postgres(query)
    else:
        results.topics = _search_topics_simple(words)
    term_filter = Q()
    for word in words[:10]:
        term_filter &= (
            Q(term__icontains=word)
            | Q(also_matches__icontains=word)
            | Q(explanation__icontains=word)
        )
    results.terms = list(Begrip.objects.filter(term_filter)[:MAX_RESULTS])
    school_words = Q()
    for word in words[:10]:
        # Upper-cased by the database too, so both sides follow the same rules.
        school_words &= Q(search_key__contains=Upper(Value(word)))
    results.schools = list(School.objects.filter(school_words).defer("search_key")[:10])
    results.organisaties = list(
        Organisatie.objects.filter(_all_words(words, "name", "summary", "when_to_go"))[:10]
    )
    results.meetings = list(
        Meeting.objects.upcoming(timezone.now()).filter(_all_words(words, "title", "description"))[
            :10
        ]
    )
    if not results.count:
        results.suggestion = _suggest(words)
    return results


def _all_words(words: list[str], *fields: str) -> Q:
    """Every word in at least one of the fields (case-insensitive)."""
    condition = Q()
    for word in words[:10]:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def _search_topics_postgres(query: str) -> list[tuple[Topic, SafeString]]:
    """Ranked pages; the best SNIPPETS of them with the words marked in their text.

    A snippet means PostgreSQL reads the whole page again (ts_headline): for
    30 results that was most of the time of a search, so the others show
    their summary.
    """
    ts_query = SearchQuery(query, search_type="websearch", config="dutch")
    found = list(
        Topic.objects.published()
        .filter(search_vector=ts_query)
        .annotate(rank=SearchRank(F("search_vector"), ts_query))
        .order_by("-rank", "title")
        .only("slug", "title", "summary")[:MAX_RESULTS]
    )
    snippets = dict(
        Topic.objects.filter(pk__in=[topic.pk for topic in found[:SNIPPETS]])
        .annotate(
            snippet=SearchHeadline(
                "search_text",
                ts_query,
                config="dutch",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("pk", "snippet")
    )
    return [(topic, _marked(snippets.get(topic.pk, topic.summary))) for topic in found]


def _search_topics_simple(words: list[str]) -> list[tuple[Topic, SafeString]]:
    condition = Q()
    for word in words[:10]:
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(search_text__icontains=word)
        )
    found = list(
        Topic.objects.published().filter(condition).only("slug", "title", "summary", "search_text")
    )

    def score(topic: Topic) -> int:
        title, summary, body = (
            topic.title.lower(),
            topic.summary.lower(),
            topic.search_text.lower(),
        )
        return sum(
            10 * title.count(w.lower()) + 3 * summary.count(w.lower()) + body.count(w.lower())
            for w in words
        )

    found.sort(key=lambda t: (-score(t), t.title))
    return [(topic, _snippet(topic.search_text, words)) for topic in found[:MAX_RESULTS]]


def _snippet(text: str, words: list[str]) -> SafeString:
    lower = text.lower()
    positions = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
    start = max(0, min(positions) - 80) if positions else 0
    piece = text[start : start + 220]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    piece = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", piece)
    prefix = "… " if start else ""
    return _marked(prefix + piece + (" …" if start + 220 < len(text) else ""))


def _suggest(words: list[str]) -> str:
    """A close spelling from the words of published titles and glossary terms."""
    vocabulary: set[str] = set()
    for title in Topic.objects.published().values_list("title", flat=True):
        vocabulary.update(w.lower() for w in re.findall(r"\w{4,}", title))
    for term in Begrip.objects.values_list("term", flat=True):
        vocabulary.update(w.lower() for w in re.findall(r"\w{4,}", term))
    corrected = []
    changed = False
    for word in words[:10]:
        match = difflib.get_close_matches(word.lower(), vocabulary, n=1, cutoff=0.75)
        if match and match[0] != word.lower():
            corrected.append(match[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""
