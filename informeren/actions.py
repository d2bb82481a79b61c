"""Workflows on information pages: revisions from draft to published."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from informeren.models import Revision, RevisionOrigin, RevisionStatus, Thema, Topic, WorkflowError
from informeren.rendering import plain_text
from informeren.search import refresh_search_vector
from steunpunt.cache import content_changed


def _next_number(topic: Topic) -> int:
    return (topic.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def create_topic(*, slug: str, by, themes=(), **content: str) -> Revision:
    """A new topic with its first revision, as a concept."""
    topic = Topic.objects.create(slug=slug)
    topic.themes.set(themes)
    return Revision.objects.create(topic=topic, number=1, author=by, **content)


@transaction.atomic
def start_revision(
    *, topic: Topic, by, source: Revision | None = None, origin: str = RevisionOrigin.REDACTIE
) -> Revision:
    """A new concept, copying ``source`` (default: the published or latest revision)."""
    source = source or topic.published_revision or topic.revisions.order_by("-number").first()
    content = source.content() if source else {}
    return Revision.objects.create(
        topic=topic,
        number=_next_number(topic),
        author=by,
        origin=origin,
        based_on=source,
        **content,
    )


def roll_back(*, revision: Revision, by) -> Revision:
    """Bring back an earlier text as a new concept; it needs approval like any other."""
    return start_revision(
        topic=revision.topic, by=by, source=revision, origin=RevisionOrigin.TERUGZETTEN
    )


@transaction.atomic
def publish(*, revision: Revision, by) -> None:
    """Make an approved revision the public one and refresh what depends on it."""
    if revision.status != RevisionStatus.GOEDGEKEURD:
        raise WorkflowError("Alleen een goedgekeurde versie kan worden gepubliceerd.")
    topic = Topic.objects.select_for_update().get(pk=revision.topic_id)
    if topic.published_revision_id:
        Revision.objects.filter(pk=topic.published_revision_id).update(
            status=RevisionStatus.VERVANGEN
        )
    now = timezone.now()
    revision.status = RevisionStatus.GEPUBLICEERD
    revision.published_at = now
    revision.save()
    topic.published_revision = revision
    topic.title = revision.title
    topic.summary = revision.summary
    topic.search_text = "\n".join(
        plain_text(getattr(revision, name))
        for name in ("national_ouders", "regional_ouders", "national_jongeren", "regional_jongeren")
    )
    topic.review_by = timezone.localdate() + timedelta(days=settings.CONTENT_REVIEW_DAYS)
    topic.save()
    refresh_search_vector(topic)
    content_changed()


@transaction.atomic
def publish_directly(
    *, topic_slug: str, author, validator, themes: list[Thema], **content: str
) -> Topic:
    """For loading content that was reviewed elsewhere (the demo): all steps, two people."""
    revision = create_topic(slug=topic_slug, by=author, themes=themes, **content)
    revision.submit(by=author)
    revision.approve(by=validator)
    publish(revision=revision, by=validator)
    return Topic.objects.get(pk=revision.topic_id)
