"""Workflows on public texts: page versions and other changes from draft to published."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from informeren.changes import KINDS, ChangeData, name_taken
from informeren.models import (
    TRANSLATION_LANGUAGES,
    Begrip,
    Checklist,
    Ervaring,
    Organisatie,
    Revision,
    RevisionOrigin,
    RevisionStatus,
    Thema,
    Toestemming,
    Topic,
    TopicCheck,
    Translation,
    Wijziging,
    WijzigingSoort,
    WorkflowError,
    next_number,
)
from informeren.search import indexed_text
from informeren.subscription import keep_other_layer
from steunen.models import Feestdag
from steunpunt.cache import content_changed
from steunpunt.models import AuditAction, AuditEntry


def _locked(revision: Revision) -> Revision:
    """The revision again, its row locked until the transaction ends.

    Two steps on one revision (an edit and an approval, two approvals) then
    follow each other and each sees what the other did.
    """
    return Revision.objects.select_for_update().get(pk=revision.pk)


@transaction.atomic
def create_topic(*, slug: str, by: User, themes: Iterable[Thema] = (), **content: str) -> Revision:
    """A new topic with its first revision, as a concept written by ``by``."""
    topic = Topic.objects.create(slug=slug)
    topic.themes.set(themes)
    revision = Revision.objects.create(topic=topic, number=1, author=by, **content)
    revision.editors.add(by)
    return revision


@transaction.atomic
def start_revision(
    *, topic: Topic, by: User, source: Revision | None = None, origin: str = RevisionOrigin.REDACTIE
) -> Revision:
    """A new concept, copying ``source`` (default: the published or latest revision).

    ``by`` opens it and so counts as one of its editors.
    """
    source = source or topic.published_revision or topic.revisions.order_by("-number").first()
    content = source.content() if source else {}
    revision = Revision.objects.create(
        topic=topic,
        number=next_number(topic.revisions.all()),
        author=by,
        origin=origin,
        based_on=source,
        **content,
    )
    revision.editors.add(by)
    return revision


def roll_back(*, revision: Revision, by: User) -> Revision:
    """Bring back an earlier text as a new concept; it needs approval like any other."""
    return start_revision(
        topic=revision.topic, by=by, source=revision, origin=RevisionOrigin.TERUGZETTEN
    )


@transaction.atomic
def edit_revision(*, revision: Revision, by: User, content: dict[str, str]) -> Revision:
    """Save new texts in a concept or rejected version and name ``by`` among its editors.

    Raises WorkflowError when the version can no longer be changed.
    """
    locked = _locked(revision)
    locked.edit(by=by, content=content)
    return locked


@transaction.atomic
def record_deviation(*, revision: Revision, by: User, reason: str) -> Revision:
    """Record a "regionale afwijking" with its reason: then the national part may be edited.

    Who records it becomes one of the version's editors (four eyes; the history names
    them) and the audit log says so. Raises WorkflowError when the version can no
    longer be changed.
    """
    locked = _locked(revision)
    if not locked.is_editable:
        raise WorkflowError(_("Deze versie is niet meer te wijzigen. Maak een nieuwe versie."))
    locked.deviation_reason = reason.strip()
    locked.save(update_fields=["deviation_reason", "updated_at"])
    locked.editors.add(by)
    _audit(by, AuditAction.NATIONAL_DEVIATION_RECORDED, locked)
    return locked


@transaction.atomic
def record_change_deviation(
    *, kind: str, target_id: int, by: User, reason: str, change: Wijziging | None = None
) -> Wijziging:
    """A "regionale afwijking" for a term, checklist or organisation from the hub.

    Recorded on ``change`` (a concept or rejected change), or on a new concept
    holding the public values when there is none; then its national fields may
    be edited. As for a topic's version: ``by`` becomes an editor, the audit log
    says so, the history shows the reason. WorkflowError when the change can no
    longer be changed.
    """
    if change is None:
        target = KINDS[kind].model._default_manager.get(pk=target_id)
        change = save_change(
            kind=kind, target_id=target_id, data=KINDS[kind].values_of(target), by=by
        )
    locked = _locked_change(change)
    if not locked.is_editable:
        raise WorkflowError(
            _("Deze wijziging is niet meer aan te passen. Begin een nieuwe wijziging.")
        )
    locked.deviation_reason = reason.strip()
    locked.save(update_fields=["deviation_reason", "updated_at"])
    locked.editors.add(by)
    _audit(by, AuditAction.NATIONAL_DEVIATION_RECORDED, locked)
    return locked


@transaction.atomic
def submit_revision(*, revision: Revision, by: User) -> Revision:
    """Offer a concept for review."""
    locked = _locked(revision)
    locked.submit(by=by)
    return locked


@transaction.atomic
def approve_revision(*, revision: Revision, by: User, b1_reason: str = "") -> Revision:
    """Approve a version under review; FourEyesError if ``by`` wrote any of it.

    A text below B1 needs ``b1_reason`` (BelowB1Error without it).
    """
    locked = _locked(revision)
    locked.approve(by=by, b1_reason=b1_reason)
    return locked


@transaction.atomic
def reject_revision(*, revision: Revision, by: User, reason: str) -> Revision:
    """Send a version under review back with a reason; FourEyesError if ``by`` wrote any of it."""
    locked = _locked(revision)
    locked.reject(by=by, reason=reason)
    return locked


@transaction.atomic
def publish(*, revision: Revision, by: User) -> None:
    """Make an approved revision the public one and refresh what depends on it.

    ``by`` is recorded as the publisher. Raises WorkflowError unless approved.
    """
    topic = Topic.objects.select_for_update().get(pk=revision.topic_id)
    revision = _locked(revision)
    # The layer this version does not own (national or regional) as it is public now.
    keep_other_layer(revision, topic.published_revision)
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
    topic.checked_at = revision.reviewed_at
    topic.save(
        update_fields=[
            "published_revision",
            "title",
            "summary",
            "search_text",
            "review_by",
            "checked_at",
        ]
    )
    content_changed()


@transaction.atomic
def publish_directly(
    *,
    topic_slug: str,
    author: User,
    validator: User,
    themes: list[Thema],
    b1_reason: str = "",
    **content: str,
) -> Topic:
    """For loading content that was reviewed elsewhere (the demo): all steps, two people.

    ``author`` writes and submits, ``validator`` approves (with ``b1_reason``
    for a text below B1) and publishes.
    """
    revision = create_topic(slug=topic_slug, by=author, themes=themes, **content)
    revision = submit_revision(revision=revision, by=author)
    revision = approve_revision(revision=revision, by=validator, b1_reason=b1_reason)
    publish(revision=revision, by=validator)
    return Topic.objects.get(pk=revision.topic_id)


# --- Translations of a topic's Dutch text --------------------------------------------


def _locked_translation(translation: Translation) -> Translation:
    return Translation.objects.select_for_update().get(pk=translation.pk)


@transaction.atomic
def start_translation(*, topic: Topic, language: str, by: User) -> Translation:
    """A new concept translation of the published Dutch text into ``language``.

    Prefilled from the latest translation into that language (the published
    one first), so a translator of a changed Dutch text only changes what
    changed. WorkflowError when the topic has no published Dutch text, or the
    language is not one a text can be translated into.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.published_revision_id is None:
        raise WorkflowError(_("Vertaal pas als de Nederlandse tekst gepubliceerd is."))
    if language not in dict(TRANSLATION_LANGUAGES):  # Translation.language's choices
        raise WorkflowError(_("In deze taal kan de pagina niet vertaald worden."))
    earlier = topic.translations.filter(language=language)
    previous = earlier.published().first() or earlier.order_by("-number").first()
    number = next_number(earlier)
    translation = Translation.objects.create(
        topic=topic,
        language=language,
        number=number,
        source_id=topic.published_revision_id,
        based_on=previous,
        author=by,
        **(previous.content() if previous else {}),
    )
    translation.editors.add(by)
    return translation


@transaction.atomic
def edit_translation(*, translation: Translation, by: User, content: dict[str, str]) -> Translation:
    """Save new texts in a concept or rejected translation; ``by`` becomes one of its editors."""
    locked = _locked_translation(translation)
    locked.edit(by=by, content=content)
    return locked


@transaction.atomic
def submit_translation(*, translation: Translation, by: User) -> Translation:
    locked = _locked_translation(translation)
    locked.submit(by=by)
    return locked


@transaction.atomic
def approve_translation(*, translation: Translation, by: User) -> Translation:
    """Approve a translation under review; FourEyesError if ``by`` wrote any of it."""
    locked = _locked_translation(translation)
    locked.approve(by=by)
    return locked


@transaction.atomic
def reject_translation(*, translation: Translation, by: User, reason: str) -> Translation:
    locked = _locked_translation(translation)
    locked.reject(by=by, reason=reason)
    return locked


@transaction.atomic
def publish_translation(*, translation: Translation, by: User) -> Translation:
    """Make an approved translation the one the page shows in its language.

    The translation published before in that language is kept as history
    (VERVANGEN). Raises WorkflowError unless approved.
    """
    Topic.objects.select_for_update().filter(pk=translation.topic_id).first()
    locked = _locked_translation(translation)
    if locked.status != RevisionStatus.GOEDGEKEURD:
        raise WorkflowError(_("Alleen een goedgekeurde vertaling kan worden gepubliceerd."))
    # The one published before goes first: one published translation per language.
    Translation.objects.published().filter(
        topic_id=locked.topic_id, language=locked.language
    ).exclude(pk=locked.pk).update(status=RevisionStatus.VERVANGEN)
    locked.mark_published(by=by)
    content_changed()
    return locked


def publish_translation_directly(
    *, topic: Topic, language: str, author: User, validator: User, **content: str
) -> Translation:
    """For loading translations reviewed elsewhere (the demo): every step, by two people."""
    translation = start_translation(topic=topic, language=language, by=author)
    translation = edit_translation(translation=translation, by=author, content=content)
    translation = submit_translation(translation=translation, by=author)
    translation = approve_translation(translation=translation, by=validator)
    return publish_translation(translation=translation, by=validator)


def _audit(by: User, action: str, obj: Model) -> None:
    AuditEntry.record(actor=by, action=action, obj=obj)


@transaction.atomic
def check_topic(*, topic: Topic, by: User, note: str = "") -> TopicCheck:
    """ "Nog steeds juist, vandaag gecontroleerd": the page is reviewed without a new text.

    Records who checked and when, moves the review-by date as a publish
    does and shows the new date on the page. WorkflowError for a page that
    is not published.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.published_revision_id is None:
        raise WorkflowError(_("Deze pagina is nog niet gepubliceerd. Er is niets te controleren."))
    check = TopicCheck.objects.create(topic=topic, checked_by=by, note=note.strip())
    topic.review_by = timezone.localdate() + timedelta(days=settings.CONTENT_REVIEW_DAYS)
    topic.checked_at = check.checked_at
    topic.save(update_fields=["review_by", "checked_at"])
    _audit(by, AuditAction.PAGE_CHECKED, topic)
    content_changed()  # "Gecontroleerd op" on the page
    return check


# --- Other public texts: glossary, checklists, organisations, stories -----------------


def _locked_change(change: Wijziging) -> Wijziging:
    return Wijziging.objects.select_for_update().get(pk=change.pk)


def open_change(*, kind: str, target_id: int | None) -> Wijziging | None:
    """The change of this public row that is still on its way (only one at a time)."""
    if target_id is None:
        return None
    return Wijziging.objects.open().of(kind, target_id).first()


@transaction.atomic
def save_change(
    *,
    kind: str,
    target_id: int | None,
    data: ChangeData,
    by: User,
    change: Wijziging | None = None,
    consent: Toestemming | None = None,
) -> Wijziging:
    """Propose new values for a public row (``target_id``) or a new one (None), as a concept.

    With ``change`` the concept (or rejected change) is edited instead; ``by``
    becomes one of its editors either way. Nothing public changes until the
    change is approved by someone else and published. A change to a
    published story keeps the consent of the story it changes.
    """
    label = KINDS[kind].label_of(data)
    if change is not None:
        locked = _locked_change(change)
        _check_story_consent(locked, consent or locked.consent)
        locked.edit(by=by, data=data, label=label)
        if consent is not None:
            locked.consent = consent
            locked.save(update_fields=["consent"])
        return locked
    withdrawn = (
        target_id is not None
        and Ervaring.objects.filter(pk=target_id, withdrawn_at__isnull=False).exists()
    )
    if consent is None and kind == WijzigingSoort.ERVARING and target_id and not withdrawn:
        # A story taken offline may have lost its consent: it needs a new record.
        earlier = (
            Wijziging.objects.of(kind, target_id)
            .filter(status=RevisionStatus.GEPUBLICEERD)
            .exclude(consent=None)
            .order_by("-published_at")
            .first()
        )
        consent = earlier.consent if earlier else None
    created = Wijziging.objects.create(
        kind=kind, target_id=target_id, label=label, data=data, author=by, consent=consent
    )
    created.editors.add(by)
    return created


STALE_CONSENT = _(
    "Dit verhaal is offline gehaald, omdat de toestemming is ingetrokken. "
    "Het kan pas terug met een nieuwe toestemming. Leg eerst vast wie opnieuw "
    "toestemming gaf, en wanneer."
)


def _check_story_consent(change: Wijziging, consent: Toestemming | None) -> None:
    """WorkflowError when a change would bring back a withdrawn story without new consent."""
    if change.kind != WijzigingSoort.ERVARING or change.target_id is None:
        return
    story = Ervaring.objects.filter(pk=change.target_id).first()
    if story is not None and not story.accepts_consent(consent):
        raise WorkflowError(STALE_CONSENT)


@transaction.atomic
def record_consent(*, by: User, given_by: str, given_on: date, how: str) -> Toestemming:
    """Write down who agreed to a story being published, and when (the redactie only sees it)."""
    consent = Toestemming.objects.create(
        given_by=given_by.strip(), given_on=given_on, how=how, recorded_by=by
    )
    _audit(by, AuditAction.CONSENT_RECORDED, consent)
    return consent


@transaction.atomic
def submit_change(*, change: Wijziging, by: User) -> Wijziging:
    """Offer a change for review. A story goes only with its consent recorded."""
    locked = _locked_change(change)
    if locked.kind == WijzigingSoort.ERVARING and locked.consent_id is None:
        raise WorkflowError(_("Leg eerst vast wie toestemming gaf voor dit verhaal, en wanneer."))
    _check_story_consent(locked, locked.consent)
    locked.submit(by=by)
    _audit(by, AuditAction.CHANGE_SUBMITTED, locked)
    return locked


@transaction.atomic
def approve_change(*, change: Wijziging, by: User, b1_reason: str = "") -> Wijziging:
    """Approve a change under review; FourEyesError if ``by`` wrote any of it.

    A text below B1 needs ``b1_reason`` (BelowB1Error without it).
    """
    locked = _locked_change(change)
    locked.approve(by=by, b1_reason=b1_reason)
    _audit(by, AuditAction.CHANGE_APPROVED, locked)
    return locked


@transaction.atomic
def reject_change(*, change: Wijziging, by: User, reason: str) -> Wijziging:
    """Send a change back with a reason; FourEyesError if ``by`` wrote any of it."""
    locked = _locked_change(change)
    locked.reject(by=by, reason=reason)
    _audit(by, AuditAction.CHANGE_REJECTED, locked)
    return locked


@transaction.atomic
def publish_change(*, change: Wijziging, by: User) -> Wijziging:
    """Write an approved change to the public row and make the pages show it at once.

    What was public before is kept with the change (``previous``), for the
    history. Raises WorkflowError unless approved.
    """
    locked = _locked_change(change)
    kind = KINDS[locked.kind]
    target = None
    if locked.target_id is not None:
        target = kind.model._default_manager.select_for_update().filter(pk=locked.target_id).first()
    _check_story_consent(locked, locked.consent)
    taken = name_taken(locked.kind, locked.data, locked.target_id)
    if taken:
        raise WorkflowError(taken)
    back_online = isinstance(target, Ervaring) and target.withdrawn_at is not None
    previous = kind.values_of(target) if target is not None else {}
    locked.mark_published(by=by)
    try:
        with transaction.atomic():
            saved = kind.apply(target, locked.data)
    except IntegrityError as error:
        # Another change with the same name was published since this one was written.
        raise WorkflowError(
            _("Er staat intussen al iets met deze naam op de website. Pas de wijziging aan.")
        ) from error
    if locked.from_hub and isinstance(saved, Begrip | Checklist | Organisatie):
        # Its national content is the hub's from now on (read-only with a hub).
        type(saved)._default_manager.filter(pk=saved.pk).update(from_hub=True)
    locked.target_id = saved.pk
    locked.previous = previous
    locked.save(update_fields=["target_id", "previous"])
    Wijziging.objects.of(locked.kind, saved.pk).filter(status=RevisionStatus.GEPUBLICEERD).exclude(
        pk=locked.pk
    ).update(status=RevisionStatus.VERVANGEN)
    _audit(by, AuditAction.CHANGE_PUBLISHED, locked)
    if back_online:
        # The story's own fields say only that it is online again; the log keeps
        # when it was taken offline (STORY_WITHDRAWN) and when it came back.
        _audit(by, AuditAction.STORY_REPUBLISHED, saved)
    content_changed()
    return locked


def publish_change_directly(
    *,
    kind: str,
    data: ChangeData,
    author: User,
    validator: User,
    consent: Toestemming | None = None,
    b1_reason: str = "",
) -> Wijziging:
    """For loading content reviewed elsewhere (the demo): every step, by two people."""
    change = save_change(kind=kind, target_id=None, data=data, by=author, consent=consent)
    change = submit_change(change=change, by=author)
    change = approve_change(change=change, by=validator, b1_reason=b1_reason)
    return publish_change(change=change, by=validator)


@transaction.atomic
def withdraw_story(*, ervaring: Ervaring, by: User) -> Ervaring:
    """Take a published story offline at once, e.g. when its teller withdraws consent.

    No second person is needed to take text away. Who did it and when stays
    on the story and in the audit log. The consent no longer holds: the names
    in it are emptied, and every change still on its way is sent back without
    it, so nothing brings the story back without a new consent and a second
    person's approval.
    """
    locked = Ervaring.objects.select_for_update().get(pk=ervaring.pk)
    if not locked.published:
        return locked
    locked.published = False
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = by
    locked.save(update_fields=["published", "withdrawn_at", "withdrawn_by"])
    changes = Wijziging.objects.of(WijzigingSoort.ERVARING, locked.pk)
    consent_ids = set(changes.exclude(consent=None).values_list("consent_id", flat=True))
    for consent in Toestemming.objects.select_for_update().filter(pk__in=consent_ids):
        consent.withdraw()
    for change in changes.open().select_for_update():
        change.close_for_withdrawal(
            reason=_(
                "Het verhaal is offline gehaald. Deze wijziging kan pas verder "
                "met een nieuwe toestemming."
            )
        )
    _audit(by, AuditAction.STORY_WITHDRAWN, locked)
    content_changed()
    return locked


# --- Feestdagen (the response-time promise skips them) --------------------------------


@transaction.atomic
def add_holiday(*, day: date, name: str, by: User) -> Feestdag:
    holiday = Feestdag.objects.create(date=day, name=name.strip())
    _audit(by, AuditAction.HOLIDAY_ADDED, holiday)
    return holiday


@transaction.atomic
def remove_holiday(*, holiday: Feestdag, by: User) -> None:
    locked = Feestdag.objects.select_for_update().filter(pk=holiday.pk).first()
    if locked is None:
        return  # removed by someone else meanwhile
    _audit(by, AuditAction.HOLIDAY_REMOVED, locked)
    locked.delete()
