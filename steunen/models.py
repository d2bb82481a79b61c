"""Questions from parents and youths, handled by staff as cases.

The asker's side and the staff side meet in a Case. What the asker may ever
see (Message) and what only staff see (InternalNote) are separate models, so
a note can never leak into the conversation by a wrong filter.
"""

import functools
import hashlib
import hmac
import secrets
from dataclasses import KW_ONLY, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, OuterRef, Q, StringAgg, Subquery, Value, When
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from informeren.models import (
    Organisatie,
    Samenwerkingsverband,
    School,
    SchoolType,
    SwvGemeente,
    Thema,
)
from steunen.workdays import add_working_days
from steunpunt.crypto import EncryptedTextField
from steunpunt.roles import BOARD_ROLES, Role, roles_of

# 32 symbols without look-alikes (no 0/O, 1/I): 5 bits each, 16 symbols = 80 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_return_code() -> str:
    """A fresh return code, formatted as four groups of four: 'AB3D-...'."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Forgive what people do when they copy a code: spaces, dashes, lower case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """Keyed hash of a normalised code; the code itself is never stored."""
    key = settings.RETURN_CODE_KEY.encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


class AskerType(models.TextChoices):
    OUDER = "ouder", _("Ouder of verzorger")
    JONGERE = "jongere", _("Jongere (12 jaar of ouder)")
    KIND = "kind", _("Kind (jonger dan 12)")
    ANDER = "ander", _("Iemand anders")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    TELEFOON = "telefoon", _("Telefoon")
    EMAIL = "email", _("E-mail")
    INLOOP = "inloop", _("Inloop")


class Language(models.TextChoices):
    """The language a question was asked in (the page's: steunpunt/languages.py).

    Named in Dutch for staff; mails to the asker go out in it.
    """

    NL = "nl", "Nederlands"
    EN = "en", "Engels"
    AR = "ar", "Arabisch"
    TR = "tr", "Turks"
    PL = "pl", "Pools"
    UK = "uk", "Oekraïens"


class ContactPreference(models.TextChoices):
    NONE = "geen", _("Geen contact: ik lees het antwoord met mijn code")
    EMAIL = "email", _("Per e-mail")
    PHONE = "telefoon", _("Per telefoon")


class Status(models.TextChoices):
    NIEUW = "nieuw", _("Nieuw")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    WACHT_OP_VRAGER = "wacht_op_vrager", _("Wacht op vrager")
    AFGEROND = "afgerond", _("Afgerond")


OPEN_STATUSES = [Status.NIEUW, Status.IN_BEHANDELING, Status.WACHT_OP_VRAGER]

# The case's one state machine: where a case may go from each status. Every
# action and the demo generator move a case through Case's methods, which
# check this table (after Signalen's ALLOWED_STATUS_CHANGES).
ALLOWED_STATUS_CHANGES: dict[str, frozenset[str]] = {
    Status.NIEUW: frozenset({Status.IN_BEHANDELING, Status.WACHT_OP_VRAGER, Status.AFGEROND}),
    # Back to "nieuw": handed back to the team's queue.
    Status.IN_BEHANDELING: frozenset({Status.NIEUW, Status.WACHT_OP_VRAGER, Status.AFGEROND}),
    Status.WACHT_OP_VRAGER: frozenset({Status.IN_BEHANDELING, Status.AFGEROND}),
    Status.AFGEROND: frozenset({Status.IN_BEHANDELING}),
}


class CaseWorkflowError(Exception):
    """A change the case does not allow. The message is Dutch, for staff."""


def response_state(
    first_response_at: datetime | None,
    is_open: bool,
    due_at: datetime,
    now: datetime | None = None,
    reply_due_at: datetime | None = None,
) -> str:
    """'te_laat', 'bijna' (due within a day) or 'op_tijd' for the promised answer.

    The first answer's promise until it is given; after that the promise made
    when the asker wrote again (``reply_due_at``, passed only while that reply
    is unanswered); '' when nothing is promised.
    """
    if not is_open:
        return ""
    if first_response_at:
        if reply_due_at is None:
            return ""
        due_at = reply_due_at
    now = now or timezone.now()
    if now >= due_at:
        return "te_laat"
    if now >= due_at - timedelta(days=1):
        return "bijna"
    return "op_tijd"


def short_date(day: date) -> str:
    """ "3 dec 2026": the date filter's "j b Y", for the 25 rows of an inbox view."""
    return f"{day.day} {MONTHS_3[day.month]} {day.year}"


def short_moment(moment: datetime) -> str:
    """ "do 4 dec, 17.00": a promise in the inbox (the date filter's "D j b, H.i")."""
    return (
        f"{WEEKDAYS_ABBR[moment.weekday()]} {moment.day} {MONTHS_3[moment.month]}, "
        f"{moment.hour:02d}.{moment.minute:02d}"
    )


def question_start(text: str | None, length: int = 90) -> str:
    """The first line of a question, cut at a word near ``length`` characters."""
    line = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    if len(line) <= length:
        return line
    return line[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


@dataclass(frozen=True, slots=True)
class InboxRow:
    """What a row of the staff inbox shows of a case, and its place in the queue.

    Read as plain values (CaseQuerySet.inbox_rows), not as Case objects: an
    inbox page is 25 of these and is asked for all day long.
    """

    pk: int
    created_at: datetime
    asker_type: str
    status: str
    urgent: bool
    thuiszitter: bool
    unanswered_reply: bool
    response_due_at: datetime
    first_response_at: datetime | None
    reply_due_at: datetime | None
    # The earliest follow-up promised after a referral and not yet done.
    follow_up_on: date | None
    queue_rank: int
    queue_at: datetime
    reopened_at: datetime | None
    # The earliest open call-back's window (steunen/terugbellen.py), None for none.
    callback_from: datetime | None
    callback_until: datetime | None
    # Flagged for the coordinator; when the earliest open advice is promised.
    escalated: bool
    advice_due_at: datetime | None
    # Given by name, after the values of the row query (CaseQuerySet.inbox_rows).
    _: KW_ONLY
    # The first line of the asker's question (shortened): read only for cases
    # the viewer may open (the rows come from CaseQuerySet.visible_to).
    question: str
    assignee_name: str  # "" for nobody
    themes: tuple[str, ...]

    @property
    def reference(self) -> str:
        return case_reference(self.pk)

    @property
    def url(self) -> str:
        # The case page's address without a reverse() per row: 25 rows a view.
        return case_url_prefix() + f"{self.pk}/"

    def callback_late(self) -> bool:
        """The call-back window has passed and nobody recorded the call."""
        return self.callback_until is not None and self.callback_until <= timezone.now()

    def advice_late(self) -> bool:
        return self.advice_due_at is not None and self.advice_due_at <= timezone.now()

    def follow_up_due(self) -> bool:
        """A promised follow-up call is due today or was due before."""
        return self.follow_up_on is not None and self.follow_up_on <= timezone.localdate()

    def get_asker_type_display(self) -> str:
        return str(AskerType(self.asker_type).label)

    def get_status_display(self) -> str:
        return str(Status(self.status).label)

    def response_state(self) -> str:
        return response_state(
            self.first_response_at,
            self.status != Status.AFGEROND,
            self.response_due_at,
            reply_due_at=self.reply_due_at if self.unanswered_reply else None,
        )

    def promised_at(self) -> datetime | None:
        """When the answer the steunpunt owes is promised; None when it owes none."""
        if self.status == Status.AFGEROND:
            return None
        if self.first_response_at is None:
            return self.response_due_at
        return self.reply_due_at if self.unanswered_reply else None

    def badges(self, *, backoffice: bool = True) -> list[tuple[str, str]]:
        """What needs attention, as (badge modifier, text), in the order the row shows them.

        ``backoffice``: with the coordinator's and the advice's marks, which only
        medewerkers and coordinators see (not a buddy: steunen/buddies.py).
        """
        found = []
        if self.urgent:
            found.append(("badge--urgent", gettext("Spoed")))
        if self.thuiszitter:
            found.append(("badge--urgent", gettext("Thuiszitter")))
        if self.reopened_at and self.status != Status.AFGEROND:
            found.append(("badge--reply", gettext("Heropend")))
        if self.unanswered_reply:
            found.append(("badge--reply", gettext("Nieuwe reactie")))
        if self.follow_up_on:
            modifier = "badge--late" if self.follow_up_due() else ""
            found.append((modifier, f"Nabellen {dateformat.format(self.follow_up_on, 'j M')}"))
        state = self.response_state()
        if state == "te_laat":
            found.append(("badge--late", gettext("Antwoord te laat")))
        elif state == "bijna":
            found.append(("badge--soon", gettext("Antwoord bijna te laat")))
        if self.callback_from and self.callback_until:
            late = self.callback_late()
            window = (
                f"{dateformat.format(timezone.localtime(self.callback_from), 'D j b H.i')}-"
                f"{dateformat.format(timezone.localtime(self.callback_until), 'H.i')}"
            )
            text = f"Terugbellen {window}: te laat" if late else f"Terugbellen {window}"
            found.append(("badge--late" if late else "badge--reply", text))
        if not backoffice:
            return found
        if self.escalated:
            found.append(("badge--urgent", "Bij de coördinator"))
        if self.advice_due_at:
            if self.advice_late():
                found.append(("badge--late", "Advies gevraagd: te laat"))
            else:
                due = dateformat.format(timezone.localtime(self.advice_due_at), "D j b")
                found.append(("badge--soon", f"Advies gevraagd, vóór {due}"))
        return found

    def shown(self, *, backoffice: bool = True) -> dict[str, object]:
        """The row as the inbox template shows it: ready-made values in a dict.

        The template reads a dict's keys at once, where every attribute of an
        object first failed as a key; with the labels and badges made here,
        25 rows cost a third of what they did as template logic.
        """
        created = timezone.localtime(self.created_at)
        promised = self.promised_at()
        promised = timezone.localtime(promised) if promised else None
        return {
            "url": self.url,
            "reference": self.reference,
            "question": self.question,
            "created": created.isoformat(timespec="seconds"),
            "received": short_date(created),
            "promised": promised.isoformat(timespec="minutes") if promised else "",
            "promised_text": short_moment(promised) if promised else "",
            "asker": self.get_asker_type_display(),
            "themes": ", ".join(self.themes) or "–",
            "status": self.get_status_display(),
            "assignee": self.assignee_name,
            "badges": self.badges(backoffice=backoffice),
        }


@functools.cache
def case_url_prefix() -> str:
    """/medewerkers/vragen/ (the case pages' common start), looked up once."""
    return reverse("steunen:case", args=[1]).removesuffix("1/")


# A gemeente outside the region, as the question forms store it (Case.gemeente).
ELDERS = "elders"


def gemeente_choices() -> list[tuple[str, StrOrPromise]]:
    """The region's gemeenten (those mapped to an SWV), then "another gemeente":
    the choices of the question forms' gemeente."""
    return [
        ("", _("Zeg ik liever niet")),
        *[(name, name) for name in SwvGemeente.gemeenten()],
        (ELDERS, _("Een andere gemeente")),
    ]


def case_reference(pk: int) -> str:
    return f"V{pk:05d}"


def parse_case_reference(text: str) -> int | None:
    """The case number in what someone typed: "V00042", "v42" or "42"; None if there is none."""
    digits = text.strip().upper().lstrip("V")
    return int(digits) if digits.isascii() and digits.isdecimal() else None


def themes_in_order() -> list[tuple[int, str, str]]:
    """Every theme as (pk, slug, name), in the themes' own order."""
    return list(Thema.objects.values_list("pk", "slug", "name"))


def person_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """As User.get_full_name() or get_username(), from values: no user object needed."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


class Outcome(models.TextChoices):
    INFORMATIE = "informatie", _("Informatie gegeven")
    TERUG_NAAR_SCHOOL = "terug_naar_school", _("Terugverwezen naar school")
    ONDERWIJSCONSULENT = "onderwijsconsulent", _("Doorverwezen naar onderwijsconsulent")
    GESPREK_SCHOOL = "gesprek_school", _("Ondersteund bij gesprek met school")
    BUDDY = "buddy", _("Buddy gekoppeld")
    KLACHTROUTE = "klachtroute", _("Uitleg klachtroute")
    ANDERS = "anders", _("Anders")


class Activity(models.TextChoices):
    GESPREK = "gesprek", _("Gesprek")
    TELEFOON = "telefoon", _("Telefoon")
    EMAIL = "email", _("E-mail")
    UITZOEKEN = "uitzoeken", _("Uitzoeken")
    MEEGAAN = "meegaan", _("Meegaan naar school")


class Feestdag(models.Model):
    """A day the steunpunt is closed: it does not count for the response-time promise."""

    date = models.DateField(_("datum"), unique=True)
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("feestdag")
        verbose_name_plural = _("feestdagen")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d-%m-%Y})"


def response_due(start: datetime) -> datetime:
    """When the first answer is promised for a question sent at ``start``."""
    local = timezone.localtime(start)
    horizon = local.date() + timedelta(days=60)
    holidays = Feestdag.objects.filter(date__gte=local.date(), date__lte=horizon).values_list(
        "date", flat=True
    )
    return add_working_days(local, settings.FIRST_RESPONSE_WORKING_DAYS, holidays)


def _backoffice_markers() -> list[Subquery]:
    """The inbox markers of call-backs, escalation and advice, as subqueries of its one query."""
    callback = CallbackRequest.objects.filter(
        case=OuterRef("pk"), status=CallbackStatus.OPEN
    ).order_by("window_end", "id")
    advice = Consultation.objects.filter(case=OuterRef("pk"), answered_at__isnull=True).order_by(
        "due_at"
    )
    return [
        Subquery(callback.values("window_start")[:1]),
        Subquery(callback.values("window_end")[:1]),
        Exists(Escalation.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)),
        Subquery(advice.values("due_at")[:1]),
    ]


@dataclass(frozen=True, slots=True)
class InboxFilters:
    """What a medewerker asked the inbox to show ("" for: no filter).

    status: "" open cases, "alle" every case, or a Status value; behandelaar:
    "ik", "niemand" or a user's pk; wachttijd: "te_laat", "bijna" or "week";
    soort: "terugbellen", "terugbellen_te_laat", "advies_aan_mij" or "coordinator".
    """

    status: str = ""
    thema: str = ""
    behandelaar: str = ""
    spoed: bool = False
    wachttijd: str = ""
    soort: str = ""


class CaseQuerySet(models.QuerySet["Case"]):
    def live(self) -> "CaseQuerySet":
        """The cases that were not merged into another: each question once."""
        return self.filter(merged_into__isnull=True)

    def by_reference(self, text: str) -> "Case | None":
        """The case a typed reference ("V00042") names, among these; None if none."""
        pk = parse_case_reference(text)
        return None if pk is None else self.filter(pk=pk).first()

    def submitted_with(self, token: str) -> "CaseQuerySet":
        """The case a question form with this submission token made (at most one)."""
        return self.filter(submission_token=token)

    def received_in(self, start: datetime, end: datetime) -> "CaseQuerySet":
        """The live cases that came in from ``start`` up to (not including) ``end``."""
        return self.live().filter(created_at__gte=start, created_at__lt=end)

    def visible_to(self, user: User | AnonymousUser | None) -> "CaseQuerySet":
        """Cases this user may open: all for staff; for a buddy only the cases they
        accepted to be buddy on (steunen/buddies.py), never by being assignee."""
        roles = roles_of(user) if user is not None else set()
        if roles & BOARD_ROLES:
            # Independence: whoever sits on the SWV board never reads a question.
            return self.none()
        if roles & {Role.MEDEWERKER, Role.COORDINATOR}:
            return self.live()
        if Role.VRIJWILLIGER in roles and isinstance(user, User):
            return self.live().filter(
                members__user=user,
                members__role="buddy",
                members__status="actief",
            )
        return self.none()

    def open(self) -> "CaseQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def inbox_filtered(
        self, filters: InboxFilters, *, user: User, now: datetime | None = None
    ) -> "CaseQuerySet":
        """The cases the inbox shows for these filters (steunen/inbox_forms.py)."""
        cases = self
        if filters.status == "":
            cases = cases.open()
        elif filters.status != "alle":
            cases = cases.filter(status=filters.status)
        if filters.thema:
            cases = cases.filter(themes__slug=filters.thema)
        if filters.behandelaar == "ik":
            cases = cases.filter(assignee=user)
        elif filters.behandelaar == "niemand":
            cases = cases.filter(assignee__isnull=True)
        elif filters.behandelaar.isdigit():
            cases = cases.filter(assignee_id=int(filters.behandelaar))
        if filters.spoed:
            cases = cases.filter(Q(urgent=True) | Q(thuiszitter=True))
        now = now or timezone.now()
        # The first answer's promise, or the one made when the asker wrote again.
        first = Q(first_response_at__isnull=True)
        reply = Q(first_response_at__isnull=False, unanswered_reply=True)
        if filters.wachttijd == "te_laat":
            cases = cases.filter(
                (first & Q(response_due_at__lte=now)) | (reply & Q(reply_due_at__lte=now))
            ).open()
        elif filters.wachttijd == "bijna":
            soon = now + timedelta(days=1)
            cases = cases.filter(
                (first & Q(response_due_at__gt=now, response_due_at__lte=soon))
                | (reply & Q(reply_due_at__gt=now, reply_due_at__lte=soon))
            ).open()
        elif filters.wachttijd == "week":
            cases = cases.filter(created_at__lte=now - timedelta(days=7))
        if filters.soort in ("terugbellen", "terugbellen_te_laat"):
            callbacks = CallbackRequest.objects.open()
            if filters.soort == "terugbellen_te_laat":
                callbacks = callbacks.filter(window_end__lte=now)
            cases = cases.filter(pk__in=callbacks.values("case_id"))
        elif filters.soort == "advies_aan_mij":
            cases = cases.filter(pk__in=Consultation.objects.for_consultee(user).values("case_id"))
        elif filters.soort == "coordinator":
            open_ones = Escalation.objects.filter(resolved_at__isnull=True)
            cases = cases.filter(pk__in=open_ones.values("case_id"))
        return cases

    def in_attention_order(self) -> "CaseQuerySet":
        """What needs staff action first: urgent, then the earliest deadline.

        Cases waiting on the asker or closed come after, oldest first.
        """
        return self.order_by("queue_rank", "queue_at", "id")

    def after(self, cursor: tuple[int, datetime, int]) -> "CaseQuerySet":
        """Keyset pagination: the cases after ``cursor`` in attention order."""
        # A row comparison, (a, b, c) > (x, y, z), lets PostgreSQL start the
        # index scan at the cursor instead of filtering every earlier row.
        return self.filter(TupleGreaterThan(Tuple(F("queue_rank"), F("queue_at"), F("id")), cursor))

    def inbox_rows(
        self, limit: int, themes: list[tuple[int, str, str]] | None = None
    ) -> list[InboxRow]:
        """The first ``limit`` rows of the inbox, in one query (theme ids from a subquery).

        ``themes``: themes_in_order() if the caller read it already (the inbox's filter).
        """
        theme_ids = (
            Case.themes.through.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(ids=StringAgg(Cast("thema_id", models.TextField()), Value(",")))
            # django-stubs does not follow an annotation through values().
            .values("ids")  # type: ignore[misc]
        )
        rows = self.values_list(
            "pk",
            "created_at",
            "asker_type",
            "status",
            "urgent",
            "thuiszitter",
            "unanswered_reply",
            "response_due_at",
            "first_response_at",
            "reply_due_at",
            Subquery(
                Referral.objects.filter(
                    case=OuterRef("pk"), follow_up_on__isnull=False, followed_up_at__isnull=True
                )
                .order_by("follow_up_on")
                .values("follow_up_on")[:1]
            ),
            "queue_rank",
            "queue_at",
            "reopened_at",
            *_backoffice_markers(),
            Subquery(
                Message.objects.filter(case=OuterRef("pk"), sender=Sender.ASKER)
                .order_by("created_at", "id")
                .values("body")[:1]
            ),
            "assignee__first_name",
            "assignee__last_name",
            "assignee__username",
            Subquery(theme_ids),
        )[:limit]
        in_order = themes if themes is not None else themes_in_order()
        names = {pk: name for pk, _slug, name in in_order}
        order = {pk: position for position, pk in enumerate(names)}
        return [
            InboxRow(
                *values,
                question=question_start(question),
                assignee_name=person_name(first, last, username),
                # A theme this process does not know yet (made within the last
                # second on another server) is left out until it does.
                themes=tuple(
                    names[pk]
                    for pk in sorted(map(int, ids.split(",")), key=lambda pk: order.get(pk, -1))
                    if pk in names
                )
                if ids
                else (),
            )
            for *values, question, first, last, username, ids in rows
        ]

    def status_counts(self, *, closed_since: datetime) -> dict[str, int]:
        """How many cases per status; closed ones only since ``closed_since``.

        Two counts the case_status_counts index answers on its own (one count
        with an OR had to visit every row), in one round trip.
        """
        open_counts = self.open().order_by().values("status").annotate(n=Count("*"))
        closed_count = (
            self.filter(status=Status.AFGEROND, closed_at__gte=closed_since)
            .order_by()
            .values("status")
            .annotate(n=Count("*"))
        )
        counts = dict(open_counts.union(closed_count, all=True).values_list("status", "n"))
        return {status.value: counts.get(status.value, 0) for status in Status}


class Case(models.Model):
    """One question and everything the steunpunt did with it."""

    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Set by the web form so a refresh can't send the same question twice;
    # NULL (not "") for cases without one, as the column is unique.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    channel = models.CharField(
        _("kanaal"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    asker_type = models.CharField(_("wie vraagt"), max_length=10, choices=AskerType.choices)
    language = models.CharField(
        _("taal"), max_length=5, choices=Language.choices, default=Language.NL
    )
    themes = models.ManyToManyField(Thema, verbose_name=_("thema's"), blank=True)
    school_type = models.CharField(
        _("soort school"), max_length=3, choices=SchoolType.choices, blank=True
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.SET_NULL, null=True, blank=True
    )
    samenwerkingsverband = models.ForeignKey(
        Samenwerkingsverband,
        verbose_name=_("samenwerkingsverband"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # The gemeente the asker gave (or staff set): with the school type it gives
    # the SWV when no school was named (informeren.SwvGemeente).
    gemeente = models.CharField(_("gemeente"), max_length=100, blank=True)
    thuiszitter = models.BooleanField(_("kind zit thuis zonder school"), default=False)
    urgent = models.BooleanField(_("spoed"), default=False)

    # What identifies an asker is encrypted at rest (steunpunt/crypto.py).
    name = EncryptedTextField(_("naam"), blank=True)
    contact_preference = models.CharField(
        _("contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.NONE,
    )
    email = EncryptedTextField(_("e-mailadres"), blank=True)
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    phone_times = EncryptedTextField(_("bereikbaar"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NIEUW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd met"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
    )

    created_at = models.DateTimeField(_("binnengekomen"), default=timezone.now)
    response_due_at = models.DateTimeField(_("antwoord beloofd voor"))
    first_response_at = models.DateTimeField(_("eerste antwoord"), null=True, blank=True)
    # The promise made when the asker wrote again after an answer (same rule as
    # the first: response_due). Apart from response_due_at, so the figures of
    # first answers on time (signaleren) keep the first promise.
    reply_due_at = models.DateTimeField(_("reactie beantwoorden voor"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    # When staff should act next; null when the ball is with the asker or closed.
    attention_at = models.DateTimeField(null=True, blank=True)
    # The asker wrote something no staff member has answered yet.
    unanswered_reply = models.BooleanField(default=False)
    # When the personal data was removed (at the asker's request or by the
    # retention rule); the non-identifying fields stay for the statistics.
    erased_at = models.DateTimeField(_("persoonsgegevens verwijderd"), null=True, blank=True)
    # When the case was last opened again after closing; the inbox marks it
    # "heropend" until it is closed again.
    reopened_at = models.DateTimeField(_("heropend op"), null=True, blank=True)
    # The inbox order, computed by the database from the fields above:
    # 0 urgent and needs action, 1 needs action, 2 urgent but waiting, 3 the rest.
    queue_rank = models.GeneratedField(
        expression=SqlCase(
            When(Q(attention_at__isnull=False, urgent=True) & ~Q(status="afgerond"), then=Value(0)),
            When(Q(attention_at__isnull=False) & ~Q(status="afgerond"), then=Value(1)),
            When(Q(urgent=True) & ~Q(status="afgerond"), then=Value(2)),
            default=Value(3),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    queue_at = models.GeneratedField(
        expression=Coalesce("attention_at", "created_at"),
        output_field=models.DateTimeField(),
        db_persist=True,
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        indexes = [
            models.Index(fields=["queue_rank", "queue_at", "id"], name="case_attention_order"),
            models.Index(fields=["status", "created_at"], name="case_status_created"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
            models.Index(
                fields=["status", "closed_at"],
                condition=Q(merged_into__isnull=True),
                name="case_status_counts",
            ),
            models.Index(fields=["created_at"], name="case_created_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.AFGEROND) | ~Q(outcome=""),
                name="case_closed_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Vraag {self.pk}"

    @property
    def reference(self) -> str:
        return case_reference(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status != Status.AFGEROND

    # --- The state machine. Each method changes the case in memory, after
    # checking the rules, and returns the fields it changed for
    # save(update_fields=...). The actions (steunen/actions.py) lock the row
    # first and save; the demo generator calls the same methods.

    def check_writable(self) -> None:
        """An erased or merged case takes nothing new: not an answer, not a note."""
        if self.erased_at is not None:
            raise CaseWorkflowError(
                str(_("De gegevens van deze vraag zijn verwijderd. Er kan niets meer bij."))
            )
        if self.merged_into_id is not None:
            raise CaseWorkflowError(
                str(_("Deze vraag is samengevoegd met %(other)s. Werk daar verder."))
                % {"other": case_reference(self.merged_into_id)}
            )

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_STATUS_CHANGES[Status(self.status)]

    def move_to(self, status: str) -> list[str]:
        if status == self.status:
            return []
        if not self.can_move_to(status):
            raise CaseWorkflowError(
                str(_("Een vraag met status %(old)s kan niet naar %(new)s."))
                % {"old": self.get_status_display(), "new": Status(status).label}
            )
        self.status = status
        return ["status"]

    def record_asker_reply(self, at: datetime) -> list[str]:
        """The asker wrote: staff must act; a closed or waiting case is worked on again."""
        changed = ["unanswered_reply", "attention_at"]
        # After an answer, the first reply since it gets a promise of its own.
        new_promise = bool(self.first_response_at) and (
            not self.unanswered_reply or self.reply_due_at is None
        )
        due = response_due(at) if new_promise or self.attention_at is None else None
        if new_promise:
            self.reply_due_at = due
            changed.append("reply_due_at")
        self.unanswered_reply = True
        self.attention_at = self.attention_at or due
        if self.status in (Status.WACHT_OP_VRAGER, Status.AFGEROND):
            if self.status == Status.AFGEROND:
                self.closed_at = None
                self.outcome = ""
                changed += ["closed_at", "outcome"]
            changed += self.move_to(Status.IN_BEHANDELING)
        return changed

    def record_answer(self, at: datetime) -> list[str]:
        """Staff answered: the ball is with the asker."""
        self.first_response_at = self.first_response_at or at
        self.unanswered_reply = False
        self.attention_at = None
        changed = ["first_response_at", "unanswered_reply", "attention_at"]
        if self.is_open:
            changed += self.move_to(Status.WACHT_OP_VRAGER)
        return changed

    def change_status(self, status: str, at: datetime) -> list[str]:
        """An open status chosen by staff (closing has its own step, with an outcome)."""
        if status == Status.AFGEROND:
            raise CaseWorkflowError(str(_("Rond een vraag af met een uitkomst.")))
        changed = self.move_to(status)
        if status == Status.WACHT_OP_VRAGER:
            self.attention_at = None
            changed.append("attention_at")
        elif self.attention_at is None and self.unanswered_reply:
            self.attention_at = response_due(at)
            changed.append("attention_at")
        return changed

    def record_spoken(self, at: datetime, by: User) -> list[str]:
        """Staff spoke with the asker (a call-back made, a conversation held): that is
        the first answer if none was given, and a new case is now being handled."""
        changed = []
        if self.first_response_at is None:
            self.first_response_at = at
            changed.append("first_response_at")
        if self.status == Status.NIEUW:
            changed += self.assign_to(self.assignee or by)
        return changed

    def assign_to(self, assignee: User | None) -> list[str]:
        self.assignee = assignee
        changed = ["assignee"]
        if self.status == Status.NIEUW and assignee is not None:
            changed += self.move_to(Status.IN_BEHANDELING)
        return changed

    def close(self, outcome: str, at: datetime) -> list[str]:
        if not self.is_open:
            raise CaseWorkflowError(str(_("Deze vraag is al afgerond.")))
        changed = self.move_to(Status.AFGEROND)
        self.outcome = outcome
        self.closed_at = at
        self.attention_at = None
        self.unanswered_reply = False
        self.reopened_at = None
        return [
            *changed, "outcome", "closed_at", "attention_at", "unanswered_reply", "reopened_at"
        ]  # fmt: skip

    def reopen(self, at: datetime | None = None) -> list[str]:
        if self.is_open:
            raise CaseWorkflowError(str(_("Deze vraag is nog niet afgerond.")))
        changed = self.move_to(Status.IN_BEHANDELING)
        self.outcome = ""
        self.closed_at = None
        self.reopened_at = at or timezone.now()
        return [*changed, "outcome", "closed_at", "reopened_at"]

    def reopen_for_asker(self, at: datetime) -> list[str]:
        """The asker, unhappy with the help, asked us to look again: staff must act."""
        changed = self.reopen(at)
        self.attention_at = response_due(at)
        return [*changed, "attention_at"]

    def response_state(self, now: datetime | None = None) -> str:
        """'te_laat', 'bijna' (due within a day) or 'op_tijd' for the promised answer."""
        return response_state(
            self.first_response_at,
            self.is_open,
            self.response_due_at,
            now,
            reply_due_at=self.reply_due_at if self.unanswered_reply else None,
        )

    @property
    def reply_promised(self) -> datetime | None:
        """When the asker's unanswered reply is promised an answer (None: nothing pending)."""
        return self.reply_due_at if self.unanswered_reply and self.first_response_at else None


class Sender(models.TextChoices):
    ASKER = "asker", _("Vrager")
    STAFF = "staff", _("Steunpunt")


class Message(models.Model):
    """A message in the conversation with the asker. Never edited once sent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=5, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(_("bericht"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} {self.created_at:%d-%m-%Y %H:%M}"


class InternalNote(models.Model):
    """A note for colleagues only. The asker never sees it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("notitie"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Notitie {self.created_at:%d-%m-%Y %H:%M}"


class TimeEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="time_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("minuten"))
    activity = models.CharField(_("activiteit"), max_length=10, choices=Activity.choices)
    date = models.DateField(_("datum"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"], name="time_entry_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=1440), name="time_entry_minutes_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min {self.get_activity_display()}"


class ReferralConsent(models.TextChoices):
    YES = "ja", _("Ja, de vrager geeft toestemming")
    ANONYMOUS = "anoniem", _("Niet gevraagd: de vrager is anoniem")
    REFUSED = "geweigerd", _("Nee, de vrager wil dat niet")


class Referral(models.Model):
    """A referral to an organisation; a warm one hands the asker's details over.

    The asker sees the organisation's contact card in their conversation.
    Handing over details needs the asker's consent (a constraint holds it);
    the follow-up date is a promise to call back (steunen/referrals.py).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    organisatie = models.ForeignKey(
        Organisatie, verbose_name=_("organisatie"), on_delete=models.PROTECT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # "" for referrals from before consent was asked.
    consent = models.CharField(
        _("toestemming van de vrager"), max_length=10, choices=ReferralConsent.choices, blank=True
    )
    handover = models.BooleanField(_("warme overdracht"), default=False)
    handover_note = EncryptedTextField(_("overdracht"), blank=True)
    follow_up_on = models.DateField(_("nabellen op"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("nagebeld op"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["follow_up_on"],
                condition=Q(follow_up_on__isnull=False, followed_up_at__isnull=True),
                name="referral_follow_up_open",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handover=False) | Q(consent="ja"),
                name="referral_handover_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisatie)


class EventKind(models.TextChoices):
    CREATED = "created", _("Vraag binnengekomen")
    ASKER_REPLIED = "asker_replied", _("Vrager reageerde")
    MESSAGE_SENT = "message_sent", _("Antwoord verstuurd")
    NOTE_ADDED = "note_added", _("Notitie toegevoegd")
    STATUS_CHANGED = "status_changed", _("Status gewijzigd")
    ASSIGNED = "assigned", _("Behandelaar gewijzigd")
    THEMES_CHANGED = "themes_changed", _("Thema's gewijzigd")
    URGENCY_CHANGED = "urgency_changed", _("Spoed gewijzigd")
    TIME_LOGGED = "time_logged", _("Tijd geschreven")
    REFERRED = "referred", _("Doorverwezen")
    FOLLOWED_UP = "followed_up", _("Nagebeld na verwijzing")
    CLOSED = "closed", _("Afgerond")
    REOPENED = "reopened", _("Heropend")
    MERGED = "merged", _("Samengevoegd")
    MERGE_UNDONE = "merge_undone", _("Samenvoegen teruggedraaid")
    ERASED = "erased", _("Persoonsgegevens verwijderd")
    EXPORTED = "exported", _("Gesprek gedownload")
    SWV_CHANGED = "swv_changed", _("Samenwerkingsverband gewijzigd")
    # Appointments (steunen/afspraken.py).
    BOOKING_MADE = "booking_made", _("Afspraak gemaakt")
    BOOKING_MOVED = "booking_moved", _("Afspraak verzet")
    BOOKING_CANCELLED = "booking_cancelled", _("Afspraak afgezegd")
    BOOKING_HELD = "booking_held", _("Gesprek gehouden")
    # Call-back requests (steunen/terugbellen.py) and the back office (steunen/backoffice.py).
    CALLBACK_REQUESTED = "callback_requested", _("Terugbelverzoek")
    CALLBACK_DONE = "callback_done", _("Teruggebeld")
    CALLBACK_NOT_REACHED = "callback_missed", _("Gebeld, niet bereikt")
    ADVICE_ASKED = "advice_asked", _("Advies gevraagd")
    ADVICE_GIVEN = "advice_given", _("Advies gegeven")
    ESCALATED = "escalated", _("Naar de coördinator")
    ESCALATION_RESOLVED = "escalation_resolved", _("Escalatie afgehandeld")
    # People on a case and buddies (steunen/buddy_actions.py).
    BUDDY_WISHED = "buddy_wished", _("Vrager vraagt om een buddy")
    MEMBER_ADDED = "member_added", _("Persoon toegevoegd")
    MEMBER_REMOVED = "member_removed", _("Persoon van de vraag gehaald")
    BUDDY_INVITED = "buddy_invited", _("Buddy uitgenodigd")
    BUDDY_ACCEPTED = "buddy_accepted", _("Buddy doet mee")
    BUDDY_DECLINED = "buddy_declined", _("Buddy kan niet")
    BUDDY_MESSAGE = "buddy_message", _("Bericht van de buddy")


class CaseEvent(models.Model):
    """The timeline of a case: who changed what, when. Descriptions carry no case content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.detail}".strip()


class CannedAnswer(models.Model):
    """A standard answer staff can insert and then adapt."""

    title = models.CharField(_("titel"), max_length=100, unique=True)
    body = models.TextField(_("tekst"))
    # For a youth or a child ("je"); used instead of body when it is filled in.
    youth_body = models.TextField(_("tekst voor jongeren en kinderen"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standaardantwoord")
        verbose_name_plural = _("standaardantwoorden")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# The scores run from 1 ("helemaal niet") through 3 (the middle) to 5
# ("helemaal wel"): 1 and 2 are the unhappy side of the scale.
UNHAPPY_SCORE_AT_MOST = 2


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def with_remark_between(self, start: date, end: date) -> "EvaluationQuerySet":
        """Evaluations given from ``start`` up to and including ``end`` that carry a
        remark, newest first (the remark itself is decrypted only when read)."""
        return (
            self.filter(day__gte=start, day__lte=end)
            .exclude(remark="")
            .select_related("case")
            .order_by("-day", "-id")
        )


class Evaluation(models.Model):
    """How the asker rated the help, after closing. Reports use only aggregates.

    The remark is for the coordinator only (steunen/evaluations.py), never in a report.
    """

    case = models.OneToOneField(
        Case, on_delete=models.SET_NULL, null=True, related_name="evaluation"
    )
    day = models.DateField(default=timezone.localdate)
    listened = models.PositiveSmallIntegerField(_("voelde u zich gehoord?"))
    helped = models.PositiveSmallIntegerField(_("heeft de hulp u verder geholpen?"))
    recommend = models.PositiveSmallIntegerField(_("zou u het steunpunt aanraden?"))
    # Free text from the asker: encrypted like their messages, removed on erasure.
    remark = EncryptedTextField(_("opmerking"), blank=True)
    # After an unhappy rating the asker is asked whether we should look again:
    # None until they answered (or when never asked), then yes or no.
    reopen_wanted = models.BooleanField(_("wil dat we opnieuw kijken"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(listened__range=(1, 5))
                & Q(helped__range=(1, 5))
                & Q(recommend__range=(1, 5)),
                name="evaluation_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Beoordeling {self.day:%d-%m-%Y}"

    @property
    def lowest(self) -> int:
        return min(self.listened, self.helped, self.recommend)

    @property
    def is_unhappy(self) -> bool:
        """Any of the three answers on the unhappy side of the scale."""
        return self.lowest <= UNHAPPY_SCORE_AT_MOST


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpg", "JPG"


class Attachment(models.Model):
    """A file the asker added (an OPP, a letter). Stored encrypted, outside the web root."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True, editable=False)
    kind = models.CharField(max_length=3, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set when metadata (like the author of a PDF) could not be removed.
    warning = models.CharField(max_length=200, blank=True)
    # The staff answer this file goes with; None for a file the asker sent.
    # SET_NULL, not CASCADE: erasure deletes messages first and must still
    # find the file to remove it from the disk (attachments.delete_all).
    message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Bijlage {self.pk}.{self.kind}"

    @property
    def download_name(self) -> str:
        return f"bijlage-{self.pk}.{self.kind}"


class CaseMerge(models.Model):
    """Two questions of one asker, made one: what moved, so that it can be undone.

    Staff state that both cases are the same asker before merging; until the
    asker has been answered on the merged case the merge can be undone and
    everything goes back where it came from. Holds no content: ids and flags.
    """

    source = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="merges_out")
    target = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="merges_in")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    # {"message": [ids], "internalnote": [...], ...}: the rows that moved.
    moved = models.JSONField(default=dict)
    themes_added = models.JSONField(default=list)
    # Fields of the target filled from the source (personal data stays in the
    # encrypted columns; only the names are kept here).
    filled_fields = models.JSONField(default=list)
    # Non-personal state before the merge, to put back on undo.
    target_before = models.JSONField(default=dict)
    source_before = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{case_reference(self.source_id)} → {case_reference(self.target_id)}"

    def can_be_undone(self) -> bool:
        """Until the asker got an answer on the merged case (they may have read A's words)."""
        return (
            self.undone_at is None
            and not Message.objects.filter(
                case_id=self.target_id, sender=Sender.STAFF, created_at__gt=self.merged_at
            ).exists()
        )


# Appointments live in a module of their own; imported here so Django finds them.
from steunen.afspraken import Booking, Slot  # noqa: E402, F401
from steunen.backoffice import Consultation, ConsultationReply, Escalation  # noqa: E402, F401
from steunen.buddies import BuddyProfile, BuddyWish, CaseMember  # noqa: E402, F401
from steunen.expertlinks import ExpertLink  # noqa: E402, F401
from steunen.terugbellen import CallbackRequest, CallbackStatus  # noqa: E402
