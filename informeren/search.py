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
from functools import partial
from itertools import islice

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from informeren.models import Begrip, Meeting, Organisatie, School, Topic
from steunpunt.cache import kept

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 30  # of the glossary
PER_PAGE = 10  # pages found, shown per page of results, each with a snippet of its text
MAX_PAGE = 50
_START, _STOP = "\x02", "\x03"  # highlight markers that never occur in text


def clean_query(raw: str) -> str:
    """A query anyone may type: normalised, without control characters, not too long."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass
class SearchResults:
    query: str
    page: int = 1
    topics: list[tuple[Topic, SafeString]] = field(default_factory=list)
    topics_found: int = 0  # on all pages of results together
    terms: list[Begrip] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    organisaties: list[Organisatie] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    suggestion: str = ""

    @property
    def count(self) -> int:
        return self.topics_found + sum(
            len(found) for found in (self.terms, self.schools, self.organisaties, self.meetings)
        )

    @property
    def first(self) -> int:
        """The number of the first page found on this page of results."""
        return (self.page - 1) * PER_PAGE + 1

    @property
    def pages(self) -> int:
        """Pages of results: PER_PAGE pages found on each, MAX_PAGE at most."""
        return min(-(-self.topics_found // PER_PAGE), MAX_PAGE)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


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


def page_number(raw: str | None) -> int:
    """The page of results asked for; anything odd is the first page."""
    number = int(raw) if raw and raw.isdigit() and len(raw) < 4 else 1
    return min(max(number, 1), MAX_PAGE)


def search(raw_query: str, page: int = 1) -> SearchResults:
    """Pages found (PER_PAGE of them, from ``page``), glossary terms, schools,
    organisations and meetings."""
    query = clean_query(raw_query)
    results = SearchResults(query=query, page=page)
    if not query:
        return results
    words = re.findall(r"\w+", query)
    if not words:
        return results
    if connection.vendor == "postgresql":
        find_topics = partial(_search_topics_postgres, query)
    else:
        find_topics = partial(_search_topics_simple, words)
    results.topics, results.topics_found = find_topics((page - 1) * PER_PAGE)
    if not results.topics and results.topics_found:  # asked past the last page: show that
        results.page = results.pages
        results.topics, _ = find_topics((results.page - 1) * PER_PAGE)
    words = words[:10]
    listed = listed_items()
    results.terms = listed.terms.matching(words, MAX_RESULTS)
    results.schools = listed.schools.matching(words, 10)
    results.organisaties = listed.organisaties.matching(words, 10)
    now = timezone.now()
    results.meetings = listed.meetings.matching(words, 10, keep=lambda m: m.starts_at >= now)
    if not results.count:
        results.suggestion = _suggest(words)
    return results


class Listed:
    """Rows of one kind with the text a search looks in, in their usual order."""

    def __init__(self, rows, *fields: str):
        # Joined with a character no \w+ word contains: a word never spans two fields.
        self.rows = [
            ("\n".join(getattr(row, name) for name in fields).casefold(), row) for row in rows
        ]

    def matching(self, words: list[str], limit: int, keep=None) -> list:
        """The first ``limit`` rows with every word in one of their fields (case-insensitive)."""
        found = self.rows
        for word in words:
            word = word.casefold()
            found = [entry for entry in found if word in entry[0]]
        rows = (row for _, row in found)
        if keep is not None:
            rows = filter(keep, rows)
        return list(islice(rows, limit))


@dataclass(frozen=True)
class ListedItems:
    terms: Listed
    schools: Listed
    organisaties: Listed
    meetings: Listed


def listed_items() -> ListedItems:
    """Glossary, schools, organisations and published meetings, searched in memory.

    They are small (hundreds to a few thousand rows), and kept per content
    generation in each process: four database round trips less per search.
    The rows are shared by all threads of the process: read, never changed.
    """

    def build() -> ListedItems:
        return ListedItems(
            terms=Listed(Begrip.objects.all(), "term", "also_matches", "explanation"),
            schools=Listed(
                School.objects.only("name", "school_type", "place", "gemeente"),
                "name",
                "place",
                "gemeente",
            ),
            organisaties=Listed(Organisatie.objects.all(), "name", "summary", "when_to_go"),
            # Upcoming ones are picked at search time: time moves, the list does not.
            meetings=Listed(
                Meeting.objects.filter(published=True).order_by("starts_at"),
                "title",
                "description",
            ),
        )

    return kept("search:listed", build)


def _search_topics_postgres(query: str, offset: int) -> tuple[list, int]:
    """One page of ranked pages, with the words marked in a snippet of their text,
    and how many pages were found in all: one query.

    ts_headline reads the whole text again; PostgreSQL computes it after the
    sort and the limit, so for the shown pages only.
    """
    ts_query = SearchQuery(query, search_type="websearch", config="dutch")
    found = list(
        Topic.objects.published()
        .filter(search_vector=ts_query)
        .annotate(
            rank=SearchRank(F("search_vector"), ts_query),
            found=Window(Count("*")),
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
            ),
        )
        .order_by("-rank", "title", "pk")
        .only("slug", "title")[offset : offset + PER_PAGE]
    )
    total = found[0].found if found else _count_found(ts_query) if offset else 0
    return [(topic, _marked(topic.snippet)) for topic in found], total


def _count_found(ts_query: SearchQuery) -> int:
    """For a page of results past the last one: how many there are."""
    return Topic.objects.published().filter(search_vector=ts_query).count()


def _search_topics_simple(words: list[str], offset: int) -> tuple[list, int]:
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

    found.sort(key=lambda t: (-score(t), t.title, t.pk))
    shown = found[offset : offset + PER_PAGE]
    return [(topic, _snippet(topic.search_text, words)) for topic in shown], len(found)


def _snippet(text: str, words: list[str]) -> SafeString:
    lower = text.lower()
    positions = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
    start = max(0, min(positions) - 80) if positions else 0
    piece = text[start : start + 220]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    piece = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", piece)
    prefix = "… " if start else ""
    return _marked(prefix + piece + (" …" if start + 220 < len(text) else ""))


def _vocabulary() -> frozenset[str]:
    """The words of published titles and glossary terms, kept per content generation."""

    def build() -> frozenset[str]:
        words: set[str] = set()
        for title in Topic.objects.published().values_list("title", flat=True):
            words.update(w.lower() for w in re.findall(r"\w{4,}", title))
        for term in Begrip.objects.values_list("term", flat=True):
            words.update(w.lower() for w in re.findall(r"\w{4,}", term))
        return frozenset(words)

    return kept("search:vocabulary", build)


def _suggest(words: list[str]) -> str:
    """A close spelling from the words of published titles and glossary terms."""
    vocabulary = _vocabulary()
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
