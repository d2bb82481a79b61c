"""A region subscribed to the national hub: fetch, check and stage the national feed.

``pull()`` runs from the scheduler (informeren/tasks.py), from ``manage.py
pull_national`` and from the redactie's "Nu ophalen" button; never inside a
visitor's request. It

1. fetches ``<NATIONAL_HUB_URL>/landelijk/feed/`` with a short timeout;
2. verifies the signature (header ``X-Steunpunt-Signature``) over the exact
   bytes against NATIONAL_HUB_PUBLIC_KEY (several keys, separated by commas or
   spaces, are all accepted: how a hub rotates its key) before it parses them;
3. refuses a version older than the last accepted one (a replayed feed); the
   same version again changes nothing, except for what an earlier pull held
   back;
4. stages every change as a version waiting for review: a topic as a
   Revision (the regional supplement copied from what the region has), a
   translation as a Translation, a term, checklist or national organisation as
   a Wijziging. One pending national change per item: a newer feed replaces the
   older one that is still waiting. An item with a local change under way is
   held back and named in the report; the local work is never touched.

National search synonyms are taken over at once, as a region's editors keep
synonyms (no review step); a synonym the region wrote itself for the same word
stays. Wegwijzer routes are not taken over (a region's routes point at its own
pages and have no review step): the report counts them.

Every attempt is recorded as a NationalPull (when, version, result, message).
"""

import hashlib
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.tasks import task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from informeren.changes import KINDS, ORGANISATIE_REGIONAL_FIELDS
from informeren.models import (
    TRANSLATION_LANGUAGES,
    Begrip,
    Checklist,
    NationalPull,
    Organisatie,
    PullResult,
    Revision,
    RevisionOrigin,
    RevisionStatus,
    Synonym,
    Thema,
    Topic,
    Translation,
    Wijziging,
    WijzigingSoort,
    next_number,
)
from informeren.national import (
    FEED_FORMAT,
    FEED_FORMAT_VERSION,
    ORGANISATION_FEED_FIELDS,
    SIGNATURE_HEADER,
    TRANSLATION_NATIONAL_FIELDS,
)
from steunpunt import signing
from steunpunt.cache import content_changed

logger = logging.getLogger(__name__)

FEED_PATH = "/landelijk/feed/"
TIMEOUT_SECONDS = 10
MAX_BYTES = 20 * 1024 * 1024
# A staged version is open until it is published or rejected.
OPEN = (RevisionStatus.CONCEPT, RevisionStatus.TER_BEOORDELING, RevisionStatus.GOEDGEKEURD)
LOCAL_OPEN = (*OPEN, RevisionStatus.AFGEKEURD)


class FeedError(Exception):
    """The feed could not be fetched or does not hold; the message says why (Dutch)."""

    def __init__(self, message: str, *, result: str = PullResult.FAILED) -> None:
        super().__init__(message)
        self.result = result


def hub_configured() -> bool:
    return bool(settings.NATIONAL_HUB_URL)


def hub_keys() -> list[str]:
    return [key for key in settings.NATIONAL_HUB_PUBLIC_KEY.replace(",", " ").split() if key]


def last_accepted_version() -> int:
    found = NationalPull.objects.filter(result=PullResult.OK).aggregate(v=Max("version"))["v"]
    return int(found or 0)


# --- Fetch and check ------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the hub's answer, not an address to go on to (as signaleren/national.py)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)

UNREACHABLE = (
    "De landelijke redactie is niet bereikbaar of antwoordde niet op tijd. "
    "Het ophalen wordt bij de volgende keer opnieuw geprobeerd."
)


class NotModified(Exception):
    """The hub answered 304: the version this region has is still the newest."""


def fetch(url: str, *, etag: str = "") -> tuple[bytes, str]:
    """The feed's bytes and signature, or FeedError (down, slow, not a feed).

    The whole answer has to arrive within TIMEOUT_SECONDS (the socket's timeout holds
    per read only, so a hub trickling bytes would hold the pull) and be at most
    MAX_BYTES. A redirect is not followed. With ``etag`` (the last accepted version)
    the hub may answer 304: NotModified.
    """
    if not url.startswith(("https://", "http://")):
        raise FeedError("NATIONAL_HUB_URL moet met https:// (of http://) beginnen.")
    headers = {"Accept": "application/json"}
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(64 * 1024):  # what has come, not a full block
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FeedError(
                        "De landelijke set is groter dan toegestaan; niets overgenomen."
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError("the hub's answer took too long")
                chunks.append(chunk)
            body = b"".join(chunks)
            signature = response.headers.get(SIGNATURE_HEADER, "")
    except urllib.error.HTTPError as error:
        if error.code == 304:
            raise NotModified from error
        if 300 <= error.code < 400:
            raise FeedError(
                f"De landelijke redactie stuurde door naar een ander adres (code {error.code}). "
                "Dat volgt het portaal niet; controleer NATIONAL_HUB_URL. Niets overgenomen."
            ) from error
        raise FeedError(f"De landelijke redactie antwoordde met foutcode {error.code}.") from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise FeedError(UNREACHABLE) from error
    except http.client.HTTPException as error:  # not HTTP at all, a cut-off answer
        raise FeedError(
            "De landelijke redactie gaf een antwoord dat het portaal niet kan lezen. "
            "Het ophalen wordt bij de volgende keer opnieuw geprobeerd."
        ) from error
    return body, signature


def verify(body: bytes, signature: str) -> None:
    """FeedError unless one of the hub's public keys signed these exact bytes."""
    keys = hub_keys()
    if not keys:
        raise FeedError("Er is geen publieke sleutel van de landelijke redactie ingesteld.")
    if not signature:
        raise FeedError(
            "De landelijke set is niet ondertekend; niets overgenomen.", result=PullResult.REFUSED
        )
    for key in keys:
        try:
            signing.verify(body, signature, key)
        except signing.SignatureError:
            continue
        return
    raise FeedError(
        "De handtekening van de landelijke set klopt niet: de set is onderweg veranderd of "
        "komt niet van de landelijke redactie. Niets overgenomen.",
        result=PullResult.REFUSED,
    )


def _list_of_dicts(document: dict[str, Any], name: str, where: str = "") -> list[dict[str, Any]]:
    value = document.get(name, [])
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        place = f" in {where}" if where else ""
        raise FeedError(f"De landelijke set is onleesbaar ('{name}'{place} is geen lijst).")
    return value


def parse(body: bytes) -> dict[str, Any]:
    """The feed document from verified bytes, or FeedError when it is not one."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError("De landelijke set is onleesbaar (geen geldige JSON).") from error
    if not isinstance(document, dict) or document.get("format") != FEED_FORMAT:
        raise FeedError("Dit is geen landelijke set.")
    if document.get("format_version") != FEED_FORMAT_VERSION:
        raise FeedError(
            f"Deze versie van het formaat ({document.get('format_version')!r}) kent dit portaal "
            "niet. Werk het portaal bij."
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FeedError("De landelijke set heeft geen geldig versienummer.")
    for name in ("topics", "glossary", "checklists", "organisations", "synonyms"):
        _list_of_dicts(document, name)
    if not isinstance(document.get("wegwijzer_routes", []), list):
        raise FeedError("De landelijke set is onleesbaar ('wegwijzer_routes' is geen lijst).")
    for index, entry in enumerate(document["topics"]):
        for key in ("slug", "title", "summary", "national_ouders"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise FeedError(f"Onderwerp {index + 1} in de landelijke set mist '{key}'.")
        _check_topic(entry)
    for name, fields in (
        ("glossary", ("term", "explanation", "also_matches")),
        ("checklists", ("slug", "title", "intro")),
        ("organisations", tuple(f for f in ORGANISATION_FEED_FIELDS if f != "national")),
        ("synonyms", ("word", "alternatives")),
    ):
        for index, item in enumerate(document.get(name, [])):
            _texts(item, fields, f"'{name}' nummer {index + 1}")
    for index, checklist in enumerate(document.get("checklists", [])):
        what = f"checklist {index + 1}"
        for item in _list_of_dicts(checklist, "items", what):
            _texts(item, ("text", "topic"), what)
    return document


def _texts(item: dict[str, Any], names: tuple[str, ...] | list[str], what: str) -> None:
    """FeedError unless each of these fields is text (or absent / empty)."""
    for name in names:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise FeedError(f"De landelijke set is onleesbaar: in {what} is '{name}' geen tekst.")


def _check_topic(entry: dict[str, Any]) -> None:
    slug = entry["slug"]
    what = f"onderwerp {slug}"
    number = entry.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise FeedError(f"Onderwerp {slug} heeft geen versienummer.")
    published_at = entry.get("published_at")
    if published_at not in (None, ""):
        try:
            moment = parse_datetime(published_at) if isinstance(published_at, str) else None
        except ValueError:
            moment = None
        if moment is None:
            raise FeedError(
                f"De landelijke set is onleesbaar: onderwerp {slug} heeft geen geldige "
                "publicatiedatum."
            )
    _texts(entry, Revision.NATIONAL_FIELDS, what)
    themes = entry.get("themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise FeedError(f"De landelijke set is onleesbaar: in {what} is 'themes' geen lijst.")
    for item in _list_of_dicts(entry, "translations", what):
        _texts(item, ("language", *TRANSLATION_NATIONAL_FIELDS), f"een vertaling van {slug}")


# --- Stage ----------------------------------------------------------------------------


@dataclass
class Staging:
    staged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    not_staged: dict[str, int] = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)  # the region's text is the national one
    synonyms: list[str] = field(default_factory=list)  # national synonyms taken over
    kept_regional: list[str] = field(default_factory=list)  # the region's own synonym stays

    def message(self, version: int) -> str:
        parts = [f"Versie {version}: {len(self.staged)} wijziging(en) klaargezet ter beoordeling"]
        if self.staged:
            parts[0] += f" ({', '.join(self.staged)})"
        if self.replaced:
            parts.append(
                f"{len(self.replaced)} oudere landelijke wijziging(en) vervangen door de nieuwe "
                f"({', '.join(self.replaced)})"
            )
        if self.held_back:
            parts.append(
                "niet klaargezet omdat er een eigen wijziging van de regio loopt: "
                f"{', '.join(self.held_back)}. Rond die eerst af (publiceren of afkeuren); de "
                "landelijke tekst komt dan bij de volgende ophaling"
            )
        if self.synonyms:
            taken = ", ".join(self.synonyms)
            parts.append(
                f"{len(self.synonyms)} landelijke synoniem(en) overgenomen ({taken}); "
                "synoniemen werken zonder beoordeling, zoals in de redactie"
            )
        if self.kept_regional:
            parts.append(
                "eigen synoniem(en) van de regio gehouden in plaats van het landelijke: "
                f"{', '.join(self.kept_regional)}"
            )
        for what, count in self.not_staged.items():
            if count:
                parts.append(f"{count} {what} niet overgenomen (daarvoor is geen beoordeling)")
        return ". ".join(parts) + "."


def _when(text: Any) -> datetime | None:
    return parse_datetime(text) if isinstance(text, str) and text else None


def _stage_topic(
    entry: dict[str, Any], version: int | None, themes: dict[str, Thema], s: Staging
) -> None:
    """One topic of the feed (or of an export_national file: no version, no number)."""
    slug = entry["slug"]
    incoming = {name: str(entry.get(name) or "") for name in Revision.NATIONAL_FIELDS}
    topic = Topic.objects.select_for_update().filter(slug=slug).first()
    provenance = {
        "national_number": entry.get("number"),
        "national_published_at": _when(entry.get("published_at")),
        "feed_version": version,
    }
    now = timezone.now()
    if topic is None:
        topic = Topic.objects.create(slug=slug)
        topic.themes.set([themes[t] for t in entry.get("themes", []) if t in themes])
        Revision.objects.create(
            topic=topic,
            number=1,
            status=RevisionStatus.TER_BEOORDELING,
            origin=RevisionOrigin.IMPORT,
            submitted_at=now,
            **incoming,
            **provenance,
        )
        s.staged.append(slug)
        return
    open_revisions = list(topic.revisions.filter(status__in=LOCAL_OPEN).prefetch_related("editors"))
    # Staged from the hub and untouched by anyone here (no author, no editor).
    national = [
        r
        for r in open_revisions
        if r.origin == RevisionOrigin.IMPORT and r.author_id is None and not r.editors.all()
    ]
    local = [r for r in open_revisions if r not in national and r.status in OPEN]
    current = topic.published_revision
    if any(all(getattr(r, k) == v for k, v in incoming.items()) for r in national):
        return  # this text already waits for review (or was rejected here as it is)
    if current and all(getattr(current, k) == v for k, v in incoming.items()):
        number = provenance["national_number"]
        if number is not None and current.national_number != number:
            # The region has this text already: it is the national one, of this version.
            for name, value in provenance.items():
                setattr(current, name, value)
            current.save(update_fields=list(provenance))
            s.marked.append(slug)
        return
    if local:
        s.held_back.append(slug)
        return
    waiting = [r for r in national if r.status in OPEN]
    if waiting:
        # A newer feed replaces the older national change still waiting (never public).
        for old in waiting:
            old.delete()
        s.replaced.append(slug)
    regional = (
        {name: getattr(current, name) for name in Revision.REGIONAL_FIELDS} if current else {}
    )
    Revision.objects.create(
        topic=topic,
        number=next_number(topic.revisions.all()),
        status=RevisionStatus.TER_BEOORDELING,
        origin=RevisionOrigin.IMPORT,
        based_on=current,
        submitted_at=now,
        **incoming,
        **regional,
        **provenance,
    )
    s.staged.append(slug)


def _untouched(item: Translation | Wijziging) -> bool:
    """Staged from the hub and worked on by nobody here (no author, no editor)."""
    return item.author_id is None and not item.editors.all()


def _stage_translations(entry: dict[str, Any], s: Staging) -> None:
    topic = Topic.objects.filter(slug=entry["slug"]).first()
    if topic is None:
        return
    languages = {code for code, _name in TRANSLATION_LANGUAGES}
    # What the translation follows: the national version waiting, else the public one.
    source = (
        topic.revisions.filter(
            status__in=OPEN, origin=RevisionOrigin.IMPORT, author__isnull=True, editors=None
        ).first()
        or topic.published_revision
    )
    if source is None:
        return
    for item in entry.get("translations", []):
        if not isinstance(item, dict) or item.get("language") not in languages:
            continue
        language = item["language"]
        incoming = {name: str(item.get(name) or "") for name in TRANSLATION_NATIONAL_FIELDS}
        if not incoming["title"] or not incoming["national_ouders"]:
            continue
        label = f"{entry['slug']} ({language})"
        existing = topic.translations.filter(language=language)
        open_ones = list(existing.filter(status__in=LOCAL_OPEN).prefetch_related("editors"))
        # Staged from the hub and untouched here: no author and no editor (local work
        # on a staged translation is the region's and is held back, never deleted).
        pending = [t for t in open_ones if _untouched(t)]
        published = existing.filter(status=RevisionStatus.GEPUBLICEERD).first()
        have = pending[0] if pending else published
        if have and all(getattr(have, k) == v for k, v in incoming.items()):
            continue
        if len(open_ones) > len(pending):
            s.held_back.append(label)
            continue
        if pending:
            for old in pending:
                old.delete()
            s.replaced.append(label)
        regional = (
            {
                name: getattr(published, name)
                for name in Translation.CONTENT_FIELDS
                if name.startswith("regional")
            }
            if published
            else {}
        )
        number = next_number(existing)
        Translation.objects.create(
            topic=topic,
            language=language,
            number=number,
            source=source,
            based_on=published,
            status=RevisionStatus.TER_BEOORDELING,
            submitted_at=timezone.now(),
            **incoming,
            **regional,
        )
        s.staged.append(label)


def _stage_change(kind: str, target_id: int | None, data: dict[str, Any], s: Staging) -> None:
    """A term, checklist or organisation as a Wijziging waiting for review (one per item)."""
    label = KINDS[kind].label_of(data)
    kinds_open = Wijziging.objects.open().filter(kind=kind)
    open_ones = list(
        (
            kinds_open.filter(target_id=target_id) if target_id else kinds_open.filter(label=label)
        ).prefetch_related("editors")
    )
    pending = [c for c in open_ones if _untouched(c)]
    if target_id:
        target = KINDS[kind].model._default_manager.get(pk=target_id)
        current: dict[str, Any] | None = KINDS[kind].values_of(target)
    else:
        current = None
    if pending and pending[0].data == data:
        return
    if not pending and current == data:
        return
    if len(open_ones) > len(pending):
        s.held_back.append(label)
        return
    if pending:
        for old in pending:
            old.delete()
        s.replaced.append(label)
    Wijziging.objects.create(
        kind=kind,
        target_id=target_id,
        label=label,
        data=data,
        previous=current or {},
        from_hub=True,
        status=RevisionStatus.TER_BEOORDELING,
        submitted_at=timezone.now(),
    )
    s.staged.append(label)


def _stage_glossary(document: dict[str, Any], s: Staging) -> None:
    for entry in document.get("glossary", []):
        data = {
            "term": str(entry.get("term") or ""),
            "explanation": str(entry.get("explanation") or ""),
            "also_matches": str(entry.get("also_matches") or ""),
        }
        if not data["term"] or not data["explanation"]:
            continue
        found = Begrip.objects.filter(term=data["term"]).first()
        _stage_change(WijzigingSoort.BEGRIP, found.pk if found else None, data, s)


def _stage_organisations(document: dict[str, Any], s: Staging) -> None:
    for entry in document.get("organisations", []):
        data: dict[str, Any] = {
            name: entry.get(name, False if name == "national" else "")
            for name in ORGANISATION_FEED_FIELDS
        }
        data["national"] = True
        data["gemeenten"] = []
        if not data["name"] or not data["summary"]:
            continue
        found = Organisatie.objects.filter(name=data["name"]).first()
        if found is not None and found.from_hub:
            # Its local office's details are the region's (ORGANISATIE_REGIONAL_FIELDS).
            for name in ORGANISATIE_REGIONAL_FIELDS:
                if name != "gemeenten":
                    data[name] = getattr(found, name)
        _stage_change(WijzigingSoort.ORGANISATIE, found.pk if found else None, data, s)


def _stage_checklists(document: dict[str, Any], s: Staging) -> None:
    topics = dict(Topic.objects.values_list("slug", "pk"))
    for entry in document.get("checklists", []):
        items = [
            {"text": str(i.get("text") or ""), "topic": topics.get(str(i.get("topic") or ""))}
            for i in entry.get("items", [])
            if isinstance(i, dict) and i.get("text")
        ]
        data = {
            "title": str(entry.get("title") or ""),
            "intro": str(entry.get("intro") or ""),
            "items": items,
        }
        if not data["title"]:
            continue
        found = Checklist.objects.filter(slug=entry.get("slug")).first()
        _stage_change(WijzigingSoort.CHECKLIST, found.pk if found else None, data, s)


def _take_synonyms(document: dict[str, Any], s: Staging) -> None:
    """National search synonyms, as a region's editors keep synonyms: at once, no review.

    A synonym the region wrote itself (not national) for the same word stays.
    """
    entries = document.get("synonyms", [])
    if not isinstance(entries, list):
        return
    word_max = Synonym._meta.get_field("word").max_length or 60
    alternatives_max = Synonym._meta.get_field("alternatives").max_length or 300
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        word = str(entry.get("word") or "").strip()
        alternatives = str(entry.get("alternatives") or "").strip()
        if not word or not alternatives or len(word) > word_max:
            continue
        if len(alternatives) > alternatives_max:
            continue
        existing = Synonym.objects.filter(word=word).first()
        if existing is None:
            Synonym.objects.create(word=word, alternatives=alternatives, national=True)
            s.synonyms.append(word)
        elif not existing.national:
            if existing.alternatives != alternatives:
                s.kept_regional.append(word)
        elif existing.alternatives != alternatives:
            existing.alternatives = alternatives
            existing.save(update_fields=["alternatives", "updated_at"])
            s.synonyms.append(word)


@transaction.atomic
def stage(document: dict[str, Any]) -> Staging:
    """Every change of a checked feed as a version waiting for review; all or nothing."""
    s = Staging()
    version = int(document["version"])
    themes = {t.slug: t for t in Thema.objects.all()}
    for entry in document["topics"]:
        _stage_topic(entry, version, themes, s)
        _stage_translations(entry, s)
    _stage_glossary(document, s)
    _stage_organisations(document, s)
    _stage_checklists(document, s)
    _take_synonyms(document, s)
    s.not_staged = {"wegwijzerroutes": len(document.get("wegwijzer_routes", []) or [])}
    if s.staged or s.marked or s.synonyms:
        content_changed()  # the redactie's lists of what waits; the pages' provenance
    return s


PROVENANCE_FIELDS = ("national_number", "national_published_at", "feed_version")


def keep_other_layer(revision: Revision, current: Revision | None) -> list[str]:
    """Before ``revision`` is published: the layer it does not own comes from ``current``.

    A version staged from the feed owns the national text; its regional supplement
    is the one the region had when it was staged. A regional version in a region
    with a hub (without a recorded deviation) owns the supplement; its national
    text and provenance are the public ones. One with a deviation owns both texts
    and takes the provenance. If another version was published in
    between, publishing this one as it stands would undo the other's layer, so
    that layer is taken from what is public now, field by field, unless an editor
    here changed that field in this version. Saves and names what it changed.
    """
    if current is None or current.pk == revision.pk:
        return []
    if revision.origin == RevisionOrigin.IMPORT and revision.author_id is None:
        fields: tuple[str, ...] = Revision.REGIONAL_FIELDS
    elif hub_configured() and current.national_number:
        # A deviation owns its national text too; it still names the national version
        # it deviates from ("..., met een regionale afwijking").
        own = revision.deviation_reason
        fields = PROVENANCE_FIELDS if own else Revision.NATIONAL_FIELDS + PROVENANCE_FIELDS
    else:
        return []
    edited = revision.editors.exists()
    base = revision.based_on

    def untouched(name: str) -> bool:
        # Provenance is nobody's text. Nobody here worked on this version, or this
        # field is still what it was based on: the public value is the newer one. A
        # field an editor reworked (a staged version rejected, improved) is its own.
        if name in PROVENANCE_FIELDS or not edited:
            return True
        return base is not None and getattr(revision, name) == getattr(base, name)

    changed = [
        name
        for name in fields
        if getattr(revision, name) != getattr(current, name) and untouched(name)
    ]
    for name in changed:
        setattr(revision, name, getattr(current, name))
    if changed:
        revision.save(update_fields=changed)
    return changed


# --- One pull -------------------------------------------------------------------------


def _record(result: str, message: str, **values: Any) -> NationalPull:
    pull = NationalPull.objects.create(result=result, message=message, **values)
    log = logger.info if result in (PullResult.OK, PullResult.UNCHANGED) else logger.warning
    log("national feed pull: %s, version %s", result, values.get("version"))
    return pull


def pull_bytes(body: bytes, signature: str) -> NationalPull:
    """Check and stage a feed already fetched (also what the tests feed in directly)."""
    try:
        verify(body, signature)
        document = parse(body)
    except FeedError as error:
        return _record(error.result, str(error))
    version = int(document["version"])
    with transaction.atomic():
        # One pull at a time: the next waits and then sees this one's version.
        list(NationalPull.objects.select_for_update().filter(result=PullResult.OK)[:1])
        last = NationalPull.objects.filter(result=PullResult.OK).order_by("-version").first()
        accepted = (last.version or 0) if last else 0
        if version < accepted:
            return _record(
                PullResult.REFUSED,
                f"Versie {version} is ouder dan versie {accepted}, die al is overgenomen. Een "
                "oude set wordt niet opnieuw ingelezen; niets overgenomen.",
                version=version,
            )
        if version == accepted and last is not None and not last.held_back:
            return _record(
                PullResult.UNCHANGED,
                f"Versie {version} is al opgehaald; er is niets nieuws.",
                version=version,
            )
        try:
            staging = stage(document)  # atomic: on an error nothing of it stays
        except (DatabaseError, TypeError, ValueError, KeyError, AttributeError) as error:
            logger.warning("national feed %s could not be staged: %r", version, error)
            return _record(
                PullResult.FAILED,
                f"Versie {version} van de landelijke set kon niet worden klaargezet: een deel "
                "ervan heeft niet de vorm die het portaal kent. Niets overgenomen.",
                version=version,
            )
        return _record(
            PullResult.OK,
            staging.message(version),
            version=version,
            staged=len(staging.staged),
            held_back=staging.held_back,
        )


def pull() -> NationalPull | None:
    """Fetch the hub's feed and stage what changed; None when no hub is configured."""
    if not hub_configured():
        return None
    last = NationalPull.objects.filter(result=PullResult.OK).order_by("-version").first()
    # Ask "anything newer than what we have?" only when nothing of it is held back: a
    # held-back item is staged once the local work is done, from the same version.
    etag = f'"{last.version}"' if last and last.version and not last.held_back else ""
    try:
        body, signature = fetch(settings.NATIONAL_HUB_URL + FEED_PATH, etag=etag)
    except NotModified:
        version = last.version if last else None
        return _record(
            PullResult.UNCHANGED,
            f"Versie {version} is nog de nieuwste; er is niets nieuws.",
            version=version,
        )
    except FeedError as error:
        return _record(error.result, str(error))
    return pull_bytes(body, signature)


def pull_minute() -> int:
    """The minute of the hour this region pulls: spread over the hour by REGION_CODE."""
    return int(hashlib.sha256(settings.REGION_CODE.encode()).hexdigest(), 16) % 60


@task
def pull_national_feed() -> str:
    """Hourly: fetch the hub's feed (nothing without a hub); a failed pull is tried next hour."""
    result = pull()
    return result.result if result else "geen landelijke redactie"
