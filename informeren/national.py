"""The national set: as a signed feed at the hub, and as a file (export/import_national).

At the hub (settings.NATIONAL_HUB) ``current_feed`` gives the feed document: the
published national layer of every topic (every audience, and its published
translations), the glossary, the checklists, the national organisations, the
national search synonyms and the wegwijzer routes. Regional supplements and
anything of a visitor never go in. A new feed version (a number that only goes
up, with the moment it was issued) is made only when that content changed: the
feed is checked once per content version (steunpunt/cache.py) and otherwise
served from its stored row, as the exact canonical bytes that were signed.

The file format (``export_bundle``/``import_bundle``) is the older, topics-only
way for a region without a hub; it stays as it was.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from informeren.changes import ORGANISATIE_FIELDS
from informeren.models import (
    Begrip,
    Checklist,
    NationalFeed,
    Organisatie,
    Revision,
    Synonym,
    Thema,
    Topic,
    Translation,
    WegwijzerRoute,
)
from steunpunt import signing
from steunpunt.cache import CACHE_UNAVAILABLE, content_changed, content_version

FEED_FORMAT = "steunpunt-landelijke-feed"
FEED_FORMAT_VERSION = 1
# The national part of a translation: its titles, leads and national texts.
TRANSLATION_NATIONAL_FIELDS = (
    "title",
    "summary",
    "title_jongeren",
    "summary_jongeren",
    "title_kinderen",
    "summary_kinderen",
    "national_ouders",
    "national_jongeren",
    "national_kinderen",
)
ORGANISATION_FEED_FIELDS = tuple(name for name in ORGANISATIE_FIELDS if name != "gemeenten")
SIGNATURE_HEADER = "X-Steunpunt-Signature"
VERSION_HEADER = "X-Steunpunt-Feed-Version"


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def national_content() -> dict[str, Any]:
    """Everything the feed carries but its version and date: published content only."""
    topics: list[dict[str, Any]] = []
    published_translations = Prefetch(
        "translations",
        queryset=Translation.objects.published().order_by("language"),
        to_attr="published_translations",
    )
    for topic in (
        Topic.objects.published()
        .select_related("published_revision")
        .prefetch_related("themes", published_translations)
        .order_by("slug")
    ):
        revision = topic.published_revision
        assert revision is not None  # published() says so
        entry: dict[str, Any] = {
            "slug": topic.slug,
            "themes": sorted(t.slug for t in topic.themes.all()),
            # A region passes on the hub's number and date; the hub gives its own.
            "number": revision.national_number or revision.number,
            "published_at": _when(revision.national_published_at or revision.published_at),
        }
        entry.update({name: getattr(revision, name) for name in Revision.NATIONAL_FIELDS})
        entry["translations"] = [
            {
                "language": translation.language,
                "number": translation.number,
                **{name: getattr(translation, name) for name in TRANSLATION_NATIONAL_FIELDS},
            }
            for translation in topic.published_translations  # type: ignore[attr-defined]
        ]
        topics.append(entry)
    checklists = [
        {
            "slug": checklist.slug,
            "title": checklist.title,
            "intro": checklist.intro,
            "items": [
                {"text": item.text, "topic": item.topic.slug if item.topic else ""}
                for item in checklist.items.all()
            ],
        }
        for checklist in Checklist.objects.prefetch_related("items__topic").order_by("slug")
    ]
    routes = [
        {
            "audience": route.audience,
            "situation": route.situation,
            "school_type": route.school_type,
            "intro": route.intro,
            "topics": [
                t.slug
                for t in (route.first_topic, route.second_topic, route.third_topic)
                if t is not None
            ],
            "thema": route.thema.slug if route.thema else "",
            "organisations": sorted(o.name for o in route.organisaties.all() if o.national),
        }
        for route in WegwijzerRoute.objects.select_related(
            "first_topic", "second_topic", "third_topic", "thema"
        ).prefetch_related("organisaties")
    ]
    return {
        "topics": topics,
        "glossary": [
            {
                "slug": b.slug,
                "term": b.term,
                "explanation": b.explanation,
                "also_matches": b.also_matches,
            }
            for b in Begrip.objects.order_by("slug")
        ],
        "checklists": checklists,
        "organisations": [
            {name: getattr(o, name) for name in ORGANISATION_FEED_FIELDS}
            for o in Organisatie.objects.filter(national=True).order_by("name")
        ],
        "synonyms": [
            {"word": s.word, "alternatives": s.alternatives}
            for s in Synonym.objects.filter(national=True).order_by("word")
        ],
        "wegwijzer_routes": routes,
    }


def _fingerprint(content: dict[str, Any]) -> str:
    return hashlib.sha256(signing.canonical(content)).hexdigest()


def build_feed(checked_against: int | None = None) -> NationalFeed:
    """The newest feed, made anew only when the national content changed.

    ``checked_against`` is the content version this check was made for: the
    stored feed remembers it, so the next request under the same version
    reads one row and builds nothing.
    """
    try:
        return _build_feed(checked_against)
    except IntegrityError:
        # Another process made the same version at the same moment: take that one.
        latest = NationalFeed.objects.order_by("-version").first()
        assert latest is not None
        return latest


@transaction.atomic
def _build_feed(checked_against: int | None) -> NationalFeed:
    latest = NationalFeed.objects.select_for_update().order_by("-version").first()
    if (
        latest is not None
        and checked_against is not None
        and latest.content_version == checked_against
    ):
        return latest  # made by another process while this one waited
    content = national_content()
    fingerprint = _fingerprint(content)
    if latest is not None and latest.fingerprint == fingerprint:
        if checked_against is not None:
            latest.content_version = checked_against
            latest.save(update_fields=["content_version"])
        return latest
    version = (latest.version + 1) if latest else 1
    issued_at = timezone.now()
    document = {
        "format": FEED_FORMAT,
        "format_version": FEED_FORMAT_VERSION,
        "version": version,
        "issued_at": _when(issued_at),
        **content,
    }
    body = signing.canonical(document)
    return NationalFeed.objects.create(
        version=version,
        issued_at=issued_at,
        fingerprint=fingerprint,
        content_version=checked_against,
        body=body,
        signature=signing.sign(body),
    )


def current_feed() -> NationalFeed:
    """The feed to serve now: the stored one, unless content changed since it was checked."""
    latest = NationalFeed.objects.order_by("-version").first()
    try:
        version: int | None = content_version()
    except CACHE_UNAVAILABLE:
        version = None  # without the shared cache: serve what is stored
        if latest is not None:
            return latest
    if latest is not None and version is not None and latest.content_version == version:
        return latest
    return build_feed(version)


# --- The file format (export_national / import_national) ------------------------------

FORMAT = "steunpunt-landelijke-set"
FORMAT_VERSION = 1
NATIONAL = Revision.NATIONAL_FIELDS
REQUIRED = ("slug", "title", "summary", "national_ouders")


class BundleError(ValueError):
    pass


def export_bundle(*, set_version: str) -> dict[str, Any]:
    topics = []
    for topic in (
        Topic.objects.published()
        .select_related("published_revision")
        .prefetch_related("themes")
        .order_by("slug")
    ):
        revision = topic.published_revision
        entry = {"slug": topic.slug, "themes": sorted(t.slug for t in topic.themes.all())}
        entry.update({name: getattr(revision, name) for name in NATIONAL})
        topics.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "set_version": set_version,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "topics": topics,
    }


def parse_bundle(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BundleError(f"Not a JSON file: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"Not a national set: 'format' must be {FORMAT!r}")
    if data.get("format_version") != FORMAT_VERSION:
        raise BundleError(
            f"Unsupported format_version {data.get('format_version')!r}; expected {FORMAT_VERSION}"
        )
    topics = data.get("topics")
    if not isinstance(topics, list):
        raise BundleError("'topics' must be a list")
    seen = set()
    for index, entry in enumerate(topics):
        if not isinstance(entry, dict):
            raise BundleError(f"topic {index}: not an object")
        missing = [
            key for key in REQUIRED if not isinstance(entry.get(key), str) or not entry[key].strip()
        ]
        if missing:
            raise BundleError(
                f"topic {index} ({entry.get('slug', '?')}): missing {', '.join(missing)}"
            )
        if entry["slug"] in seen:
            raise BundleError(f"topic {entry['slug']}: appears twice")
        seen.add(entry["slug"])
    return data


@dataclass
class ImportReport:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)  # local work under way
    unknown_themes: set[str] = field(default_factory=set)


@transaction.atomic
def import_bundle(data: dict[str, Any], *, dry_run: bool = False) -> ImportReport:
    """Bring a newer national set in as revisions waiting for review.

    The same rules as the hub's feed (informeren/subscription.py ``_stage_topic``):
    regional texts are copied from the topic's current text, untouched; one pending
    national revision per topic (the same file twice changes nothing, a newer one
    replaces the older one still waiting); a topic with local work under way is held
    back, never touched. All or nothing: an error anywhere leaves the database as it
    was; a dry run is rolled back.
    """
    from informeren.subscription import (  # here: subscription imports this module
        Staging,
        _stage_topic,
    )

    report = ImportReport()
    themes = {t.slug: t for t in Thema.objects.all()}
    staging = Staging()
    for entry in data["topics"]:
        report.unknown_themes.update(s for s in entry.get("themes", []) if s not in themes)
        slug = entry["slug"]
        existed = Topic.objects.filter(slug=slug).exists()
        before = (len(staging.staged), len(staging.held_back))
        _stage_topic({**entry, "number": None, "published_at": None}, None, themes, staging)
        if len(staging.held_back) > before[1]:
            report.held_back.append(slug)
        elif len(staging.staged) > before[0]:
            (report.changed if existed else report.new).append(slug)
        else:
            report.unchanged.append(slug)
    if dry_run:
        transaction.set_rollback(True)
    elif report.new or report.changed:
        content_changed()
    return report
