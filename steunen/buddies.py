"""Buddies: the volunteer pool, the people on a case and how a buddy is matched.

A case has one behandelaar (Case.assignee: the inbox and everything built on
it read that). Beside them a case may have members (CaseMember): a buddy, an
experienced parent or youth from the pool who works alongside the
behandelaar, and meelezers, colleagues who read along. A buddy is invited by
the coordinator and sees the case only once they accepted; even then they
see only what a buddy needs (steunen/buddy_views.py).

A volunteer is matchable only with the paperwork on record (BuddyProfile.
why_not_matchable): a signed vrijwilligersovereenkomst, the training, and a
VOG of at most VOG_VALID_YEARS years old.

Imported at the end of steunen/models.py so Django finds the models.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from informeren.models import Samenwerkingsverband, SchoolType, Thema
from steunpunt.crypto import EncryptedTextField
from steunpunt.roles import Role, roles_of

if TYPE_CHECKING:  # steunen.models imports this module at its end
    from steunen.models import Case

# A VOG (verklaring omtrent het gedrag) counts for this many years after the
# day it was issued; then the volunteer asks for a new one before a new match.
VOG_VALID_YEARS = 3


def vog_expires_on(issued: date) -> date:
    """The day a VOG issued on ``issued`` stops counting (29 February: 28 February)."""
    try:
        return issued.replace(year=issued.year + VOG_VALID_YEARS)
    except ValueError:
        return issued.replace(year=issued.year + VOG_VALID_YEARS, day=28)


class MemberRole(models.TextChoices):
    # The behandelaar is Case.assignee, never a member row; the label is for the panel.
    BEHANDELAAR = "behandelaar", _("Behandelaar")
    BUDDY = "buddy", _("Buddy")
    MEELEZER = "meelezer", _("Meelezer")


class MemberStatus(models.TextChoices):
    INVITED = "uitgenodigd", _("Uitgenodigd")
    ACCEPTED = "actief", _("Actief")
    DECLINED = "afgeslagen", _("Afgeslagen")


class BuddyWishSource(models.TextChoices):
    FORM = "formulier", _("Bij het stellen van de vraag")
    CONVERSATION = "gesprek", _("In het gesprek, met de code")
    STAFF = "medewerker", _("Door een medewerker genoteerd")


class CaseMember(models.Model):
    """Someone on a case beside the behandelaar: a buddy or a meelezer."""

    case = models.ForeignKey("steunen.Case", on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships"
    )
    role = models.CharField(
        _("rol"),
        max_length=12,
        choices=[(r.value, r.label) for r in MemberRole if r != MemberRole.BEHANDELAAR],
    )
    status = models.CharField(
        _("stand"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.ACCEPTED
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # When the buddy accepted or declined the invitation.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("persoon op een vraag")
        verbose_name_plural = _("personen op een vraag")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_member_once"),
        ]
        indexes = [models.Index(fields=["user", "role", "status"], name="case_member_by_user")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} op vraag {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACCEPTED

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class BuddyWish(models.Model):
    """The asker asked for a buddy: one wish per case, kept once made."""

    case = models.OneToOneField("steunen.Case", on_delete=models.CASCADE, related_name="buddy_wish")
    asked_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=12, choices=BuddyWishSource.choices)

    class Meta:
        verbose_name = _("wens om een buddy")
        verbose_name_plural = _("wensen om een buddy")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"Buddy gevraagd voor vraag {self.case_id}"


def _open_statuses() -> list[str]:
    from steunen.models import OPEN_STATUSES

    return [str(s) for s in OPEN_STATUSES]


class BuddyProfileQuerySet(models.QuerySet["BuddyProfile"]):
    def with_load(self) -> "BuddyProfileQuerySet":
        """Each profile with ``load``: open cases they are invited to or buddy on."""
        return self.annotate(
            load=Count(
                "user__case_memberships",
                filter=Q(
                    user__case_memberships__role=MemberRole.BUDDY,
                    user__case_memberships__status__in=[
                        MemberStatus.INVITED,
                        MemberStatus.ACCEPTED,
                    ],
                    user__case_memberships__case__status__in=_open_statuses(),
                ),
                distinct=True,
            )
        )

    def for_pool(self) -> "BuddyProfileQuerySet":
        return (
            self.with_load()
            .select_related("user")
            .prefetch_related("themes", "samenwerkingsverbanden", "user__groups")
            .order_by("user__first_name", "user__username")
        )


class BuddyProfile(models.Model):
    """A volunteer in the buddy pool: paperwork, region, availability, shared experience.

    What the volunteer chose to share (experience) is theirs: encrypted at
    rest, shown to the coordinator only, never to an asker or in a report.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vrijwilliger"),
        on_delete=models.CASCADE,
        related_name="buddy_profile",
    )
    agreement_on = models.DateField(
        _("vrijwilligersovereenkomst getekend op"), null=True, blank=True
    )
    trained_on = models.DateField(_("training gevolgd op"), null=True, blank=True)
    vog_on = models.DateField(_("VOG afgegeven op"), null=True, blank=True)
    gemeenten = models.JSONField(_("gemeenten"), default=list, blank=True)
    samenwerkingsverbanden = models.ManyToManyField(
        Samenwerkingsverband, verbose_name=_("samenwerkingsverbanden"), blank=True
    )
    themes = models.ManyToManyField(Thema, verbose_name=_("onderwerpen"), blank=True)
    school_types = models.JSONField(_("soorten school"), default=list, blank=True)
    experience = EncryptedTextField(_("ervaring die de vrijwilliger wil delen"), blank=True)
    availability = models.CharField(_("beschikbaarheid"), max_length=200, blank=True)
    max_cases = models.PositiveSmallIntegerField(_("hoeveel vragen tegelijk"), default=2)
    available = models.BooleanField(_("beschikbaar voor nieuwe vragen"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BuddyProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("buddy")
        verbose_name_plural = _("buddy's")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_cases__gte=1) & Q(max_cases__lte=20),
                name="buddy_max_cases_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def vog_expires_on(self) -> date | None:
        return vog_expires_on(self.vog_on) if self.vog_on else None

    def why_not_matchable(self, *, today: date | None = None, load: int | None = None) -> list[str]:
        """Every reason this volunteer cannot get a new case now, in Dutch; [] if they can.

        ``load`` is the number of open cases they are on (with_load()), read when not given.
        """
        today = today or timezone.localdate()
        reasons: list[str] = []
        if not self.user.is_active or Role.VRIJWILLIGER not in roles_of(self.user):
            reasons.append("Het account is niet actief of heeft de rol vrijwilliger niet.")
        if self.agreement_on is None:
            reasons.append("Er is geen getekende vrijwilligersovereenkomst.")
        if self.trained_on is None:
            reasons.append("De buddytraining is nog niet gevolgd.")
        if self.vog_on is None:
            reasons.append("Er is geen VOG bekend.")
        elif (expires := vog_expires_on(self.vog_on)) <= today:
            reasons.append(
                f"De VOG is ouder dan {VOG_VALID_YEARS} jaar "
                f"(afgegeven op {self.vog_on:%d-%m-%Y}, verlopen op {expires:%d-%m-%Y})."
            )
        if not self.available:
            reasons.append("Staat op: niet beschikbaar.")
        if load is None:
            load = getattr(self, "load", None)
        if load is None:
            load = active_buddy_load(self.user)
        if load >= self.max_cases:
            reasons.append(f"Heeft al {load} vragen; maximaal {self.max_cases} tegelijk.")
        return reasons

    def school_type_labels(self) -> list[str]:
        return [str(SchoolType(t).label) for t in self.school_types if t in SchoolType.values]


def active_buddy_load(user: User) -> int:
    return CaseMember.objects.filter(
        user=user,
        role=MemberRole.BUDDY,
        status__in=[MemberStatus.INVITED, MemberStatus.ACCEPTED],
        case__status__in=_open_statuses(),
    ).count()


# --- Matching ---------------------------------------------------------------------

THEME_POINTS = 3
SCHOOL_TYPE_POINTS = 2
GEMEENTE_POINTS = 2
SWV_POINTS = 1


@dataclass
class Fit:
    """How one volunteer fits one case: points, the reasons, or why they cannot."""

    profile: BuddyProfile
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def matchable(self) -> bool:
        return not self.blocked


def rank_buddies(case: "Case", *, today: date | None = None) -> list[Fit]:
    """Every volunteer in the pool for this case: the matchable ones first, best fit first.

    Points: each shared topic with the case's themes, the case's school type,
    the case's gemeente (or else its SWV) in their region, and room for more
    cases as the tie-breaker. Volunteers already on the case are left out.
    """
    today = today or timezone.localdate()
    case_themes = {t.pk: t.name for t in case.themes.all()}
    on_case = set(case.members.values_list("user_id", flat=True))
    fits = []
    for profile in BuddyProfile.objects.for_pool().exclude(user_id__in=on_case):
        fit = Fit(profile, blocked=profile.why_not_matchable(today=today))
        shared = [
            name for pk, name in case_themes.items() if pk in {t.pk for t in profile.themes.all()}
        ]
        if shared:
            fit.score += THEME_POINTS * len(shared)
            fit.reasons.append("Ervaring met: " + ", ".join(shared) + ".")
        if case.school_type and case.school_type in profile.school_types:
            fit.score += SCHOOL_TYPE_POINTS
            fit.reasons.append(f"Kent het {SchoolType(case.school_type).label.lower()}.")
        if case.gemeente and case.gemeente in profile.gemeenten:
            fit.score += GEMEENTE_POINTS
            fit.reasons.append(f"Actief in de gemeente {case.gemeente}.")
        elif case.samenwerkingsverband_id and case.samenwerkingsverband_id in {
            s.pk for s in profile.samenwerkingsverbanden.all()
        }:
            fit.score += SWV_POINTS
            fit.reasons.append(
                f"Actief in het samenwerkingsverband {case.samenwerkingsverband.code}."  # type: ignore[union-attr]  # _id set
            )
        room = profile.max_cases - profile.load  # type: ignore[attr-defined]  # with_load()
        if not fit.blocked:
            fit.score += min(room, 2)
            fit.reasons.append(
                f"Nog ruimte voor {room} {'vraag' if room == 1 else 'vragen'}."
                + (f" Beschikbaar: {profile.availability}." if profile.availability else "")
            )
        fits.append(fit)
    fits.sort(key=lambda f: (not f.matchable, -f.score, f.profile.name.lower()))
    return fits


# --- What the case page shows -------------------------------------------------------


@dataclass(frozen=True)
class Person:
    role: str
    label: str
    name: str
    status: str
    member: CaseMember | None


def people_on(case: "Case") -> list[Person]:
    """The behandelaar and the members of a case, in that order, for the case page."""
    people = []
    if case.assignee is not None:
        people.append(
            Person(
                MemberRole.BEHANDELAAR,
                str(MemberRole.BEHANDELAAR.label),
                case.assignee.get_full_name() or case.assignee.get_username(),
                "",
                None,
            )
        )
    for member in case.members.select_related("user"):
        status = "" if member.is_active else str(member.get_status_display())
        people.append(
            Person(member.role, str(member.get_role_display()), member.name, status, member)
        )
    return people


def buddy_author_ids(case: "Case") -> set[int]:
    """Who wrote in the conversation as this case's buddy: their messages say "Buddy"."""
    return set(case.members.filter(role=MemberRole.BUDDY).values_list("user_id", flat=True))


def is_buddy_only(user: User | AnonymousUser) -> bool:
    """A volunteer without a staff role: they get the buddy's view of a case, nothing more."""
    roles = roles_of(user)
    return Role.VRIJWILLIGER in roles and not roles & {Role.MEDEWERKER, Role.COORDINATOR}
