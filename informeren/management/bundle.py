"""The national set as a file: what export_national writes and import_national reads.

Only the national layer travels (title, summary, national texts, sources and
theme slugs); regional supplements stay in the region.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from informeren.models import Revision, RevisionOrigin, RevisionStatus, Thema, Topic

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
    unknown_themes: set[str] = field(default_factory=set)


@transaction.atomic
def import_bundle(data: dict[str, Any], *, dry_run: bool = False) -> ImportReport:
    """Bring a newer national set in as revisions waiting for review.

    Regional texts are copied from the topic's current text, untouched. All
    or nothing: an error anywhere leaves the database as it was.
    """
    report = ImportReport()
    themes = {t.slug: t for t in Thema.objects.all()}
    now = timezone.now()
    for entry in data["topics"]:
        incoming = {name: str(entry.get(name) or "") for name in NATIONAL}
        topic = Topic.objects.filter(slug=entry["slug"]).first()
        wanted_themes = [themes[s] for s in entry.get("themes", []) if s in themes]
        report.unknown_themes.update(s for s in entry.get("themes", []) if s not in themes)
        if topic is None:
            report.new.append(entry["slug"])
            if not dry_run:
                topic = Topic.objects.create(slug=entry["slug"])
                topic.themes.set(wanted_themes)
                Revision.objects.create(
                    topic=topic,
                    number=1,
                    status=RevisionStatus.TER_BEOORDELING,
                    origin=RevisionOrigin.IMPORT,
                    submitted_at=now,
                    **incoming,
                )
            continue
        current = topic.published_revision or topic.revisions.order_by("-number").first()
        if current and all(getattr(current, name) == value for name, value in incoming.items()):
            report.unchanged.append(entry["slug"])
            continue
        report.changed.append(entry["slug"])
        if dry_run:
            continue
        regional = (
            {name: getattr(current, name) for name in Revision.REGIONAL_FIELDS} if current else {}
        )
        number = (topic.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        Revision.objects.create(
            topic=topic,
            number=number,
            status=RevisionStatus.TER_BEOORDELING,
            origin=RevisionOrigin.IMPORT,
            based_on=current,
            submitted_at=now,
            **incoming,
            **regional,
        )
    return report
