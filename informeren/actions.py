"""Workflows on information pages: revisions from draft to published."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from informeren.models import Revision, RevisionOrigin, RevisionStatus, Thema, Topic
from informeren.search import indexed_text
from steunpunt.cache import content_changed


def _next_number(topic: Topic) -> int:
    return (topic.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


def _locked(revision: Revision) -> Revision:
    """The revision again, its row locked until the transaction ends.

    Two steps on one revision (an edit and an approval, two approvals) then
    follow each other and each sees what the other did.
    """
    return Revision.objects.select_for_update().get(pk=revision.pk)


@transaction.atomic
def create_topic(*, slug: str, by, themes=(), **content: str) -> Revision:
    """A new topic with its first revision, as a concept written by ``by``."""
    topic = Topic.objects.create(slug=slug)
    topic.themes.set(themes)
    revision = Revision.objects.create(topic=topic, number=1, author=by, **content)
    revision.editors.add(by)
    return revision


@transaction.atomic
def start_revision(
    *, topic: Topic, by, source: Revision | None = None, origin: str = RevisionOrigin.REDACTIE
) -> Revision:
    """A new concept, copying ``source`` (default: the published or latest revision).

    ``by`` opens it and so counts as one of its editors.
    """
    source = source or topic.published_revision or topic.revisions.order_by("-number").first()
    content = source.content() if source else {}
    revision = Revision.objects.create(
        topic=topic,
        number=_next_number(topic),
        author=by,
        origin=origin,
        based_on=source,
        **content,
    )
    revision.editors.add(by)
    return revision


def roll_back(*, revision: Revision, by) -> Revision:
    """Bring back an earlier text as a new concept; it needs approval like any other."""
    return start_revision(
        topic=revision.topic, by=by, source=revision, origin=RevisionOrigin.TERUGZETTEN
    )


@transaction.atomic
def edit_revision(*, revision: Revision, by, content: dict[str, str]) -> Revision:
    """Save new texts in a concept or rejected version and name ``by`` among its editors.

    Raises WorkflowError when the version can no longer be changed.
    """
    locked = _locked(revision)
    locked.edit(by=by, content=content)
    return locked


@transaction.atomic
def submit_revision(*, revision: Revision, by) -> Revision:
    """Offer a concept for review."""
    locked = _locked(revision)
    locked.submit(by=by)
    return locked


@transaction.atomic
def approve_revision(*, revision: Revision, by) -> Revision:
    """Approve a version under review; FourEyesError if ``by`` wrote any of it."""
    locked = _locked(revision)
    locked.approve(by=by)
    return locked


@transaction.atomic
def reject_revision(*, revision: Revision, by, reason: str) -> Revision:
    """Send a version under review back with a reason; FourEyesError if ``by`` wrote any of it."""
    locked = _locked(revision)
    locked.reject(by=by, reason=reason)
    return locked


@transaction.atomic
def publish(*, revision: Revision, by) -> None:
    """Make an approved revision the public one and refresh what depends on it.

    ``by`` is recorded as the publisher. Raises WorkflowError unless approved.
    """
    topic = Topic.objects.select_for_update().get(pk=revision.topic_id)
    revision = _locked(revision)
    revision.mark_published(by=by)
    if topic.published_revision_id:
        Revision.objects.filter(pk=topic.published_revision_id).update(
            status=RevisionStatus.VERVANGEN
        )
    topic.published_revision = revision
    topic.title = revision.title
    topic.summary = revision.summary
    topic.search_text = indexed_text(revision)  # read by the search index
    topic.review_by = timezone.localdate() + timedelta(days=settings.CONTENT_REVIEW_DAYS)
    topic.save(update_fields=["published_revision", "title", "summary", "search_text", "review_by"])
    content_changed()


@transaction.atomic
def publish_directly(
    *, topic_slug: str, author, validator, themes: list[Thema], **content: str
) -> Topic:
    """For loading content that was reviewed elsewhere (the demo): all steps, two people.

    ``author`` writes and submits, ``validator`` approves and publishes.
    """
    revision = create_topic(slug=topic_slug, by=author, themes=themes, **content)
    revision = submit_revision(revision=revision, by=author)
    revision = approve_revision(revision=revision, by=validator)
    publish(revision=revision, by=validator)
    return Topic.objects.get(pk=revision.topic_id)
