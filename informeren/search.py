"""Search over published pages and the glossary, the same on SQLite and PostgreSQL.

One engine, in Python, so both databases answer alike by construction:

- **Analysis.** Text is folded (lower case, no accents), split into words,
  Dutch stop words are dropped and every word is reduced to its Snowball
  stem (``snowballstemmer``, Dutch): "ontwikkelingsperspectieven" and
  "ontwikkelingsperspectief" are one term, so are "scholen" and "school".
- **Compound words** are split against the site's own vocabulary (the
  words of the published pages and the glossary): "leerlingenvervoer" is
  also found by "vervoer", and a query word no page uses ("schoolweigering")
  by the parts it is made of.
- **Typos.** A query word that is not in the vocabulary is corrected to the
  nearest word of the pages (rapidfuzz, at most one change in a word of
  five to seven letters, two in a longer one, none in a shorter one):
  "thuiszitetn" finds the page on thuiszitten. "Bedoelde u" is shown only
  when the corrected query finds clearly more than what was typed.
- **Synonyms** kept by the redactie (``Synonym``) are added to the query:
  "rugzakje" also looks for "extra ondersteuning".
- **Ranking.** BM25 over fields: the title weighs most, then the editors'
  phrasings ("zo zeggen mensen het"), the summary, and the texts for
  parents, youths and children. Any word may match, not every word.

The index is held in each process per content version (``steunpunt.cache.
kept_object``), made from the ``Topic`` rows alone: ``actions.publish``
stores the plain text of each audience and the phrasings in
``Topic.search_text`` (``indexed_text``), so drafts are never searched.
After a publish the new index is made from the previous one, page by page:
BM25 compares a field with a typical length (a constant), so a page's
scores depend on that page only, and an updated index is the one made
anew. Schools, organisations and meetings are few and matched in memory,
every word in one of their fields.
"""

import html
import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

import snowballstemmer
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

from informeren.models import Begrip, Meeting, Organisatie, Revision, School, Synonym, Topic
from informeren.rendering import plain_text
from steunpunt.cache import kept_object

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MAX_RESULTS = 30  # of the glossary
MAX_EXPLAINED = 3  # glossary terms explained above the pages found
PER_PAGE = 10  # pages found, shown per page of results, each with a snippet of its text
MAX_PAGE = 50
_START, _STOP = "\x02", "\x03"  # highlight markers that never occur in text

# --- Analysis -------------------------------------------------------------------

# Words that say little about what someone looks for. The Snowball list for
# Dutch, with the forms of address and question words people type around
# their question ("hoe kan ik", "wat moet je").
STOP_WORDS = frozenset(
    """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
    dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun
    iemand iets ik in is ja je jij jou jouw kan kon kun kunnen kunt maar me meer men met
    mij mijn moet moeten mag mogen na naar niet niets nog nu of om omdat onder ons ook op
    over reeds te tegen toch toen tot u uit uw van veel voor want waar waarom wanneer waren
    was wat we wel welk welke werd wezen wie wij wil worden wordt zal ze zelf zich zij zijn
    zo zonder zou
    """.split()  # noqa: SIM905 - a list of words reads best as words
)
# Words by which a youth speaks of themself ("mag je ..."): a page's youth
# text answers such a query best. Parents say "ik" too.
YOUTH_WORDS = frozenset({"je", "jij", "jou", "jouw"})

_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("dutch")
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower case, without accents: "Coördinator" and "coordinator" are one word."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text


def tokens(text: str) -> list[str]:
    """The folded words of ``text``, stop words included."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a folded word."""
    stemmed: str = _stemmer.stemWord(word)
    return stemmed


def split_compound(word: str, known: frozenset[str] | set[str]) -> list[str]:
    """The parts of a Dutch compound that are words of their own, or [].

    Parts are tried longest first, with the linking "s", "e" or "en"
    between them ("ondersteuning-s-profiel"); every part must be in ``known``.
    Failing that, the longest known last part of five letters or more.
    """
    if not 7 <= len(word) <= 40:  # no Dutch word is longer: a query may be anything
        return []
    parts = _split(word, known)
    if parts:
        return parts
    # The last part carries the meaning ("leerlingen-vervoer" is vervoer): that
    # alone, when it is long enough to mean something.
    for start in range(4, len(word) - 4):
        if word[start:] in known:
            return [word[start:]]
    return []


def _split(word: str, known: frozenset[str] | set[str]) -> list[str] | None:
    for end in range(len(word) - 3, 2, -1):
        head = word[:end]
        if head not in known:
            continue
        rest = word[end:]
        for link in ("", "s", "en", "e"):
            if not rest.startswith(link):
                continue
            tail = rest[len(link) :]
            if len(tail) < 3:
                continue
            if tail in known:
                return [head, tail]
            deeper = _split(tail, known) if len(tail) >= 6 else None
            if deeper:
                return [head, *deeper]
    return None


# --- The index --------------------------------------------------------------------

FIELDS = ("title", "phrasings", "summary", "ouders", "jongeren", "kinderen")
TITLE, PHRASINGS, SUMMARY, OUDERS, JONGEREN, KINDEREN = range(len(FIELDS))
WEIGHTS = (5.0, 3.0, 2.0, 1.0, 1.0, 1.0)
LENGTH_NORMALISATION = (0.3, 0.5, 0.5, 0.75, 0.75, 0.75)  # BM25's b, per field
K1 = 1.2
PART = 0.5  # a compound found by one of its parts counts half
# A page that matches less than this share of the best page's score is left out.
MIN_SHARE_OF_BEST = 0.1
# Sections of Topic.search_text, in this order; see indexed_text().
_SECTION = "\f"
_SECTIONS = (OUDERS, JONGEREN, KINDEREN, PHRASINGS)


def indexed_text(revision: Revision) -> str:
    """What ``Topic.search_text`` holds for a published revision: the plain text of
    the parents', youths' and children's texts and the phrasings, in sections."""

    def text(*names: str) -> str:
        joined = "\n".join(plain_text(getattr(revision, name)) for name in names)
        return joined.replace(_SECTION, " ").strip()

    return _SECTION.join(
        [
            text("national_ouders", "regional_ouders"),
            text("national_jongeren", "regional_jongeren"),
            text("national_kinderen", "regional_kinderen"),
            revision.phrasings.replace(_SECTION, " ").strip(),
        ]
    )


def sections(search_text: str) -> dict[int, str]:
    """``indexed_text`` split again; an older row without sections is all parents' text."""
    parts = search_text.split(_SECTION)
    return {number: parts[n] if n < len(parts) else "" for n, number in enumerate(_SECTIONS)}


@dataclass(frozen=True)
class Posting:
    """The pages one term is in, by pk ascending: each page's score for the term
    (BM25F, saturated, before idf), and how much of it came from the youth and the
    children's texts."""

    docs: "array[Any]"
    scores: "array[Any]"
    youth: "array[Any]"
    children: "array[Any]"

    def without(self, pk: int) -> "Posting":
        i = bisect_left(self.docs, pk)
        if i == len(self.docs) or self.docs[i] != pk:
            return self
        return Posting(*(column[:i] + column[i + 1 :] for column in self._columns()))

    def with_page(self, pk: int, score: float, youth: float, children: float) -> "Posting":
        i = bisect_left(self.docs, pk)
        values = (pk, score, youth, children)
        return Posting(
            *(
                column[:i] + array(column.typecode, [value]) + column[i:]
                for column, value in zip(self._columns(), values, strict=True)
            )
        )

    def _columns(self) -> "tuple[array[Any], array[Any], array[Any], array[Any]]":
        return self.docs, self.scores, self.youth, self.children


@dataclass(frozen=True)
class Page:
    """One published page as the index holds it: what it was made from, its terms
    with their scores, and its words."""

    revision: int | None
    title: str
    summary: str
    terms: tuple[str, ...]
    scores: "array[Any]"
    youth: "array[Any]"
    children: "array[Any]"
    words: str  # its distinct words, separated by spaces: one string is small
    has_youth: bool
    has_children: bool


# BM25 compares a field's length with a typical one. A constant, not the
# average of the day: a page then scores the same whatever else is published,
# so an index can be updated page by page and every process ranks alike.
TYPICAL_LENGTH = (4, 12, 10, 100, 50, 30)


def analyse_page(revision: int | None, title: str, summary: str, search_text: str) -> Page:
    texts = sections(search_text)
    texts[TITLE], texts[SUMMARY] = title, summary
    combined: dict[str, float] = {}
    youth: dict[str, float] = {}
    children: dict[str, float] = {}
    words: set[str] = set()
    for f in range(len(FIELDS)):
        counter = Counter(tokens(texts[f]))
        for word in STOP_WORDS.intersection(counter):
            dict.__delitem__(counter, word)  # Counter's own del is slow Python
        if not counter:
            continue
        words.update(counter.keys())
        b = LENGTH_NORMALISATION[f]
        norm = WEIGHTS[f] / (1 - b + b * counter.total() / TYPICAL_LENGTH[f])
        part_of = youth if f == JONGEREN else children if f == KINDEREN else None
        for word, count in counter.items():
            term = stem(word)
            value = count * norm
            combined[term] = combined.get(term, 0.0) + value
            if part_of is not None:
                part_of[term] = part_of.get(term, 0.0) + value
    terms = tuple(combined)
    return Page(
        revision=revision,
        title=title,
        summary=summary,
        terms=terms,
        scores=array("f", [combined[t] / (K1 + combined[t]) for t in terms]),
        youth=array("f", [youth.get(t, 0.0) / combined[t] for t in terms]),
        children=array("f", [children.get(t, 0.0) / combined[t] for t in terms]),
        words=" ".join(words),
        has_youth=bool(texts[JONGEREN]),
        has_children=bool(texts[KINDEREN]),
    )


@dataclass(frozen=True)
class Index:
    pages: dict[int, Page]  # pk -> page
    postings: dict[str, Posting]  # term -> the pages it is in
    words: dict[str, int]  # folded word of the pages -> on how many: what typos become
    known: frozenset[str]  # words of the pages and the glossary: parts of compounds
    splits: dict[str, tuple[str, ...]]  # a compound word -> its parts
    containing: dict[str, tuple[str, ...]]  # stem of a part -> stems of the compounds
    synonyms: list[list[tuple[str, ...]]]  # groups of stem sequences that mean the same
    synonym_terms: frozenset[str]  # every stem in them
    glossary: list[tuple[tuple[str, ...], int]]  # (stems of a form, Begrip pk)

    def idf(self, posting: Posting) -> float:
        n = len(posting.docs)
        return math.log(1 + (len(self.pages) - n + 0.5) / (n + 0.5))


def search_index() -> Index:
    """The index of published pages, made once per content version in each process:
    from scratch the first time, after that from the previous one, page by page."""
    return kept_object("search:index", build_index, update=build_index)


# A full fetch of the texts beats a long IN (...) list past this many pages.
_FETCH_ALL_OVER = 200


def build_index(previous: Index | None = None) -> Index:
    """The index of the published pages; pages unchanged since ``previous`` are reused."""
    rows = list(
        Topic.objects.published().values_list("pk", "published_revision", "title", "summary")
    )
    before = previous.pages if previous else {}
    changed = [
        pk
        for pk, revision, title, summary in rows
        if (page := before.get(pk)) is None
        or (page.revision, page.title, page.summary) != (revision, title, summary)
    ]
    texts = Topic.objects.published().values_list("pk", "search_text")
    if len(changed) <= _FETCH_ALL_OVER:
        texts = texts.filter(pk__in=changed)
    text_of = dict(texts)
    pages: dict[int, Page] = {}
    changed_pks = set(changed)
    for pk, revision, title, summary in sorted(rows):
        page = before.get(pk)
        if page is None or pk in changed_pks:
            page = analyse_page(revision, title, summary, text_of.get(pk, ""))
        pages[pk] = page
    gone = {pk: page for pk, page in before.items() if pages.get(pk) is not page}
    new = {pk: page for pk, page in pages.items() if before.get(pk) is not page}

    if previous is None or len(new) + len(gone) > len(pages) // 4:
        postings = _postings(pages)
        words: Counter[str] = Counter()
        for page in pages.values():
            words.update(page.words.split())
    else:
        postings = dict(previous.postings)
        words = Counter(previous.words)
        for pk, page in gone.items():
            for term in page.terms:
                if (posting := postings[term].without(pk)).docs:
                    postings[term] = posting
                else:
                    del postings[term]
            words.subtract(page.words.split())
        for pk, page in new.items():
            for term, score, youth, children in zip(
                page.terms, page.scores, page.youth, page.children, strict=True
            ):
                posting = postings.get(term) or Posting(
                    array("i"), array("f"), array("f"), array("f")
                )
                postings[term] = posting.with_page(pk, score, youth, children)
            words.update(page.words.split())
        words = +words  # without the words no page uses any more

    glossary_rows = list(Begrip.objects.values_list("pk", "term", "also_matches", "explanation"))
    # Parts of compounds may come from the glossary too; corrections only from pages.
    glossary_words = {
        w
        for _pk, term, also, explanation in glossary_rows
        for w in tokens(f"{term} {also} {explanation}")
    }
    known = frozenset(
        w for w in (words.keys() | glossary_words) - STOP_WORDS if len(w) >= 3 and not w.isdigit()
    )
    splits = _splits(known, previous)
    containing: dict[str, set[str]] = {}
    for word, parts in splits.items():
        if word in words:
            for part in parts:
                containing.setdefault(stem(part), set()).add(stem(word))

    synonyms = []
    for word, alternatives in Synonym.objects.values_list("word", "alternatives"):
        group = [_stems(word)]
        group += [_stems(a) for a in alternatives.split(",")]
        group = [members for members in group if members]
        if len(group) > 1:
            synonyms.append(group)
    glossary = []
    for pk, term, also, _explanation in glossary_rows:
        for form in [term, *also.split(",")]:
            if form_stems := _stems(form):
                glossary.append((form_stems, pk))
    return Index(
        pages=pages,
        postings=postings,
        words=dict(words),
        known=known,
        splits=splits,
        containing={part: tuple(sorted(found)) for part, found in containing.items()},
        synonyms=synonyms,
        synonym_terms=frozenset(t for group in synonyms for members in group for t in members),
        glossary=glossary,
    )


def _postings(pages: dict[int, Page]) -> dict[str, Posting]:
    collected: dict[str, list[tuple[int, float, float, float]]] = {}
    for pk, page in pages.items():  # pk ascending
        for entry in zip(page.terms, page.scores, page.youth, page.children, strict=True):
            found = collected.get(entry[0])
            if found is None:
                collected[entry[0]] = [(pk, *entry[1:])]
            else:
                found.append((pk, *entry[1:]))
    postings = {}
    for term, entries in collected.items():
        docs, scores, youth, children = zip(*entries, strict=True)
        postings[term] = Posting(
            array("i", docs), array("f", scores), array("f", youth), array("f", children)
        )
    return postings


def _splits(known: frozenset[str], previous: Index | None) -> dict[str, tuple[str, ...]]:
    """Every known word that is a compound, with its parts; from ``previous`` where
    no word that came or went could change them."""
    if previous is None:
        candidates: frozenset[str] | set[str] = known
        splits = {}
    else:
        came, went = known - previous.known, previous.known - known
        changed = came | went
        splits = {w: p for w, p in previous.splits.items() if w in known}
        long_words = [w for w in known if len(w) >= 7]
        candidates = more_candidates = set(came)
        for word in changed:
            more_candidates.update(w for w in long_words if word in w and w != word)
        for word in candidates:
            splits.pop(word, None)
    for word in candidates:
        if parts := split_compound(word, known):
            splits[word] = tuple(parts)
    return splits


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(text) if w not in STOP_WORDS)


# --- Queries ----------------------------------------------------------------------

# How much a term counts in the query, by where it came from.
TYPED, PART_OF_TYPED, CORRECTED, SYNONYM = 1.0, 0.8, 0.9, 0.7


@dataclass
class Query:
    """A query as the index understands it."""

    terms: dict[str, float]  # stem -> weight, as typed, split, corrected and with synonyms
    literal: dict[str, float]  # the same without corrections: what was typed
    corrections: dict[str, str]  # typed word -> the word it was corrected to
    typed: list[str]  # the stems of the words as typed, in order
    youth: bool
    # A compound found by a part of it weighs as that part: "vervoer" finds
    # "leerlingenvervoer" as if it were "vervoer", however rare the compound.
    idf_from: dict[str, str] = field(
        default_factory=dict
    )  # the query speaks as a youth ("je", "ik")


def understand(query: str, index: Index) -> Query:
    words = tokens(query)[: MAX_QUERY_WORDS * 2]
    youth = any(w in YOUTH_WORDS for w in words) and not any(w in ("u", "uw") for w in words)
    words = [w for w in words if w not in STOP_WORDS][:MAX_QUERY_WORDS]
    literal: dict[str, float] = {}
    corrections: dict[str, str] = {}
    # The stems in order, as typed and as corrected, for synonyms of several words.
    typed: list[str] = []
    corrected: list[str] = []
    for word in words:
        term = stem(word)
        if term in index.postings or term in index.synonym_terms or term in index.containing:
            _add(literal, term, TYPED)
            typed.append(term)
            corrected.append(term)
            continue
        parts = split_compound(word, index.known)
        if parts:
            for part in parts:
                _add(literal, stem(part), PART_OF_TYPED)
            typed.extend(stem(part) for part in parts)
            corrected.extend(stem(part) for part in parts)
            continue
        typed.append(term)
        nearest = _correct(word, index)
        if nearest:
            corrections[word] = nearest
            corrected.append(stem(nearest))
        else:
            corrected.append(term)
    terms = dict(literal)
    for nearest in corrections.values():
        _add(terms, stem(nearest), CORRECTED)
    for group in index.synonyms:
        for sequence, into in ((typed, literal), (corrected, terms)):
            if any(_contains(sequence, members) for members in group):
                for members in group:
                    for term in members:
                        _add(into, term, SYNONYM)
    idf_from: dict[str, str] = {}
    for into in (literal, terms):
        # Compounds that contain a word of the query: "vervoer" finds "leerlingenvervoer".
        for term, weight in list(into.items()):
            for compound in index.containing.get(term, ()):
                if compound not in into:
                    into[compound] = weight * PART
                    if term in index.postings:
                        idf_from[compound] = term
    return Query(
        terms=terms,
        literal=literal,
        corrections=corrections,
        typed=typed,
        youth=youth,
        idf_from=idf_from,
    )


def _add(into: dict[str, float], term: str, weight: float) -> None:
    into[term] = max(weight, into.get(term, 0.0))


def _contains(sequence: list[str], members: tuple[str, ...]) -> bool:
    n = len(members)
    return any(tuple(sequence[i : i + n]) == members for i in range(len(sequence) - n + 1))


def _correct(word: str, index: Index) -> str:
    """The word of the vocabulary nearest to ``word``, or "" when none is near enough."""
    if len(word) < 5 or word.isdigit():
        return ""
    most = 1 if len(word) < 8 else 2
    candidates = process.extract(
        word, index.words.keys(), scorer=OSA.distance, score_cutoff=most, limit=8
    )
    if not candidates:
        return ""
    # The nearest; among those equally near, the one used most.
    best = min(candidates, key=lambda c: (c[1], -index.words[c[0]]))
    return best[0]


def score(terms: dict[str, float], index: Index, idf_from: dict[str, str]) -> dict[int, float]:
    """Topic pk -> its score for the query terms (BM25F)."""
    found: dict[int, float] = {}
    get = found.get
    for term, weight in terms.items():
        posting = index.postings.get(term)
        if posting is None:
            continue
        weight *= index.idf(index.postings[idf_from.get(term, term)])
        for pk, s in zip(posting.docs, posting.scores, strict=True):
            found[pk] = get(pk, 0.0) + weight * s
    return found


def ranked(found: dict[int, float]) -> list[int]:
    """Pages best first, without those that match far less than the best one."""
    if not found:
        return []
    best = max(found.values())
    kept_pages = [(s, pk) for pk, s in found.items() if s >= best * MIN_SHARE_OF_BEST]
    kept_pages.sort(key=lambda pair: (-pair[0], pair[1]))
    return [pk for _s, pk in kept_pages]


def audience_of(pk: int, query: Query, index: Index) -> str:
    """Which text of page ``pk`` answers the query best: ouders, jongeren or kinderen."""
    youth = children = rest = 0.0
    for term, weight in query.terms.items():
        posting = index.postings.get(term)
        if posting is None:
            continue
        i = bisect_left(posting.docs, pk)
        if i == len(posting.docs) or posting.docs[i] != pk:
            continue
        s = weight * index.idf(index.postings[query.idf_from.get(term, term)]) * posting.scores[i]
        youth += s * posting.youth[i]
        children += s * posting.children[i]
        rest += s * (1 - posting.youth[i] - posting.children[i])
    page = index.pages[pk]
    if page.has_youth and (youth > rest or (query.youth and youth > 0)):
        return "jongeren"
    if page.has_children and children > rest:
        return "kinderen"
    return "ouders"


# --- Results ------------------------------------------------------------------------

AUDIENCE_LABELS = {
    "ouders": "voor ouders",
    "jongeren": "voor jongeren",
    "kinderen": "voor kinderen",
}


@dataclass
class Found:
    """One page found: where to go, for whom, and its words marked in a snippet."""

    topic: Topic
    audience: str
    snippet: SafeString

    @property
    def url(self) -> str:
        if self.audience == "ouders":
            return self.topic.get_absolute_url()
        return reverse("informeren:topic_audience", args=[self.topic.slug, self.audience])

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS[self.audience]


@dataclass
class SearchResults:
    query: str
    page: int = 1
    topics: list[Found] = field(default_factory=list)
    topics_found: int = 0  # on all pages of results together
    explained: list[Begrip] = field(default_factory=list)  # terms the query names
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


def clean_query(raw: str) -> str:
    """A query anyone may type: normalised, without control characters, not too long."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def page_number(raw: str | None) -> int:
    """The page of results asked for; anything odd is the first page."""
    number = int(raw) if raw and raw.isdigit() and len(raw) < 4 else 1
    return min(max(number, 1), MAX_PAGE)


def find_topics(raw_query: str) -> tuple[list[int], Query, Index]:
    """Topic pks, best first, for a query (the evaluation uses this too)."""
    index = search_index()
    query = understand(clean_query(raw_query), index)
    return ranked(score(query.terms, index, query.idf_from)), query, index


def search(raw_query: str, page: int = 1) -> SearchResults:
    """Pages found (PER_PAGE of them, from ``page``), glossary terms, schools,
    organisations and meetings."""
    query_text = clean_query(raw_query)
    results = SearchResults(query=query_text, page=page)
    if not _WORD.search(query_text):
        return results
    index = search_index()
    query = understand(query_text, index)
    order = ranked(score(query.terms, index, query.idf_from))
    results.topics_found = len(order)
    if order and (page - 1) * PER_PAGE >= len(order):  # past the last page: show that
        results.page = page = results.pages
    shown = order[(page - 1) * PER_PAGE : page * PER_PAGE]
    results.topics = _found(shown, query, index)
    if query.corrections and _correction_helps(order, query, index):
        results.suggestion = _corrected_text(query_text, query.corrections)

    listed = listed_items()
    words = [w for w in tokens(query_text) if w not in STOP_WORDS][:10] or tokens(query_text)[:10]
    explained_pks = _named_terms(query, index)
    by_pk = {row.pk: row for _text, row in listed.terms.rows}
    results.explained = [by_pk[pk] for pk in explained_pks if pk in by_pk][:MAX_EXPLAINED]
    explained = {b.pk for b in results.explained}
    results.terms = [b for b in listed.terms.matching(words, MAX_RESULTS) if b.pk not in explained]
    results.schools = listed.schools.matching(words, 10)
    results.organisaties = listed.organisaties.matching(words, 10)
    now = timezone.now()
    results.meetings = listed.meetings.matching(words, 10, keep=lambda m: m.starts_at >= now)
    return results


def _found(shown: list[int], query: Query, index: Index) -> list[Found]:
    topics = (
        Topic.objects.published().only("slug", "title", "summary", "search_text").in_bulk(shown)
    )
    marked = set(query.terms)
    seen: dict[str, bool] = {}  # word as written -> whether it matches, for every snippet
    found = []
    for pk in shown:
        topic = topics.get(pk)
        if topic is None:  # unpublished since the index was made
            continue
        audience = audience_of(pk, query, index)
        texts = sections(topic.search_text)
        text = texts[
            JONGEREN if audience == "jongeren" else KINDEREN if audience == "kinderen" else OUDERS
        ]
        snippet = _snippet(text, marked, index, seen)
        found.append(Found(topic=topic, audience=audience, snippet=snippet))
    return found


def _correction_helps(order: list[int], query: Query, index: Index) -> bool:
    """Whether "Bedoelde u" is worth saying: what was typed finds nothing, or far
    fewer pages (not even half, and at least three less), or not the best one
    near the top."""
    if not order:
        return False
    literal = ranked(score(query.literal, index, query.idf_from))
    if not literal:
        return True
    more = len(order) - len(literal)
    return more >= max(3, len(literal)) or order[0] not in literal[:3]


def _corrected_text(query: str, corrections: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        found: str = match.group(0)
        return corrections.get(fold(found), found)

    return _WORD.sub(replace, query)


def _named_terms(query: Query, index: Index) -> list[int]:
    """Glossary terms the query names, by their stems, the longest first."""
    sequence = set(query.terms) | set(query.typed)
    named = []
    for stems, pk in sorted(index.glossary, key=lambda entry: -len(entry[0])):
        if pk not in named and all(term in sequence for term in stems):
            named.append(pk)
    return named


def _marked(text: str) -> SafeString:
    escaped = html.escape(text)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


SNIPPET_LENGTH = 220
SNIPPET_SCAN = 5000  # characters looked through for the words; a page found by its title


def _snippet(text: str, terms: set[str], index: Index, seen: dict[str, bool]) -> SafeString:
    """A piece of ``text`` around its first matching words, those words marked.

    ``seen`` remembers for each word as written whether it matches ``terms``.
    """
    matches: list[tuple[int, int]] = []
    start, end = 0, SNIPPET_LENGTH
    for match in _WORD.finditer(text, 0, SNIPPET_SCAN):
        if matches and match.start() >= end:
            break  # the rest is not shown
        written = match.group(0)
        hit = seen.get(written)
        if hit is None:
            word = fold(written)
            hit = seen[written] = word not in STOP_WORDS and (
                stem(word) in terms
                or any(stem(part) in terms for part in index.splits.get(word, ()))
            )
        if hit:
            if not matches:
                start = max(0, match.start() - 80)
                while start > 0 and text[start - 1].isalnum():  # start at a word
                    start -= 1
                end = start + SNIPPET_LENGTH
            matches.append(match.span())
    end = min(len(text), end)
    while end < len(text) and text[end].isalnum():
        end += 1
    pieces, position = [], start
    for begin, finish in matches:
        if begin < start or finish > end:
            continue
        pieces += [text[position:begin], _START, text[begin:finish], _STOP]
        position = finish
    pieces.append(text[position:end])
    piece = " ".join("".join(pieces).split())
    return _marked(("… " if start else "") + piece + (" …" if end < len(text) else ""))


# --- Glossary, schools, organisations and meetings ----------------------------------


class Listed[R]:
    """Rows of one kind with the text a search looks in, in their usual order."""

    def __init__(self, rows: Iterable[R], *fields: str) -> None:
        # Joined with a character no word contains: a word never spans two fields.
        self.rows = [(fold("\n".join(getattr(row, name) for name in fields)), row) for row in rows]

    def matching(
        self, words: list[str], limit: int, keep: Callable[[R], bool] | None = None
    ) -> list[R]:
        """The first ``limit`` rows with every word in one of their fields (folded)."""
        found = self.rows
        for word in words:
            word = fold(word)
            found = [entry for entry in found if word in entry[0]]
        rows: Iterable[R] = (row for _, row in found)
        if keep is not None:
            rows = filter(keep, rows)
        return list(islice(rows, limit))


@dataclass(frozen=True)
class ListedItems:
    terms: Listed[Begrip]
    schools: Listed[School]
    organisaties: Listed[Organisatie]
    meetings: Listed[Meeting]


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

    # Read by every search: kept as the objects themselves, not unpickled each time.
    return kept_object("search:listed", build)
