"""Demo buddies: a small pool of fictional volunteers, and a few demo cases with a buddy.

The demo's own vrijwilliger (Ingrid, who can log in) is buddy on one case and
has an invitation waiting on another; one volunteer's VOG has expired and one
is taking a break, so the pool shows why someone cannot be matched.
Everyone and everything here is made up.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from informeren.models import Thema
from steunen import buddy_actions
from steunen.buddies import BuddyProfile, BuddyWishSource
from steunen.models import Case
from steunpunt.roles import Role


@dataclass(frozen=True)
class DemoBuddy:
    username: str
    first_name: str
    last_name: str
    themes: list[str]
    school_types: list[str]
    gemeenten: list[str]
    experience: str
    availability: str
    max_cases: int = 2
    available: bool = True
    # Days ago the paperwork was done; None: not on record.
    agreement_days: int | None = 400
    trained_days: int | None = 380
    vog_days: int | None = 420


POOL = [
    DemoBuddy(
        "vrijwilliger", "Ingrid", "Hofstede",
        themes=["niet-goed", "ondersteuning"], school_types=["vo", "vso"],
        gemeenten=["Lindewaarde", "Hazelbroek"],
        experience=(
            "Moeder van twee. Onze oudste (autisme) zat een half jaar thuis voordat er een "
            "plek op het vso kwam. Ik weet hoe een OPP-gesprek voelt als je er alleen zit."
        ),
        availability="Dinsdag- en donderdagavond; overdag na 14.00 uur.",
        max_cases=3,
    ),
    DemoBuddy(
        "buddy-marco", "Marco", "de Wit",
        themes=["aanmelden", "schoolkeuze"], school_types=["bao", "sbo"],
        gemeenten=["Ravensloot"],
        experience=(
            "Vader van een dochter met een taalontwikkelingsstoornis. We hebben twee keer "
            "een school gezocht; de tweede keer het speciaal basisonderwijs."
        ),
        availability="Zaterdagochtend, soms een vrije middag.",
    ),
    DemoBuddy(
        "buddy-yasmina", "Yasmina", "El Idrissi",
        themes=["meepraten", "rechten"], school_types=["pro", "mbo"],
        gemeenten=["Lindewaarde", "Veldmeer"],
        experience=(
            "Ik ben 21. Ik zat op het praktijkonderwijs en daarna op het mbo. Ik help "
            "jongeren die het gevoel hebben dat niemand naar ze luistert."
        ),
        availability="Woensdagmiddag en via berichten.",
        max_cases=1,
    ),
    DemoBuddy(
        "buddy-tessa", "Tessa", "Brouwer",
        themes=["ondersteuning"], school_types=["bao"],
        gemeenten=["Veldmeer"],
        experience="Moeder van een zoon met dyslexie en ADHD.",
        availability="Maandagochtend.",
        vog_days=3 * 365 + 40,  # expired: not matchable until a new VOG is on record
    ),
    DemoBuddy(
        "buddy-henk", "Henk", "Jansen",
        themes=["niet-goed"], school_types=["vo"],
        gemeenten=["Hazelbroek"],
        experience="Grootvader; onze kleinzoon ging twee jaar niet naar school.",
        availability="Even niet: tot de zomer met rust.",
        available=False,
    ),
]  # fmt: skip


def _days_ago(today: date, days: int | None) -> date | None:
    return today - timedelta(days=days) if days is not None else None


def generate_buddies() -> int:
    """Fill the buddy pool and put buddies on a few open demo cases; returns the pool's size."""
    if BuddyProfile.objects.exists():
        return BuddyProfile.objects.count()
    users = get_user_model().objects
    today = timezone.localdate()
    group = Group.objects.get(name=Role.VRIJWILLIGER.value)
    themes = {t.slug: t for t in Thema.objects.all()}
    profiles = {}
    for buddy in POOL:
        user, created = users.get_or_create(
            username=buddy.username,
            defaults={"first_name": buddy.first_name, "last_name": buddy.last_name},
        )
        if created:
            user.set_unusable_password()  # only Ingrid, the demo's vrijwilliger, logs in
            user.save()
        user.groups.add(group)
        profile = BuddyProfile.objects.create(
            user=user,
            agreement_on=_days_ago(today, buddy.agreement_days),
            trained_on=_days_ago(today, buddy.trained_days),
            vog_on=_days_ago(today, buddy.vog_days),
            gemeenten=buddy.gemeenten,
            school_types=buddy.school_types,
            experience=buddy.experience,
            availability=buddy.availability,
            max_cases=buddy.max_cases,
            available=buddy.available,
        )
        profile.themes.set([themes[slug] for slug in buddy.themes if slug in themes])
        profiles[buddy.username] = profile
    _put_buddies_on_cases(profiles)
    return len(profiles)


def _put_buddies_on_cases(profiles: dict[str, BuddyProfile]) -> None:
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    if coordinator is None:
        return
    open_cases = list(
        Case.objects.open()
        .live()
        .filter(erased_at__isnull=True, assignee__isnull=False)
        .order_by("-created_at")[:6]
    )
    if len(open_cases) < 4:
        return
    ingrid = profiles["vrijwilliger"].user
    # Asked on the form, matched, accepted: Ingrid works alongside the behandelaar.
    working, invited, waiting, by_phone = open_cases[:4]
    buddy_actions.wish_buddy(case=working, via=BuddyWishSource.FORM)
    member = buddy_actions.invite_buddy(case=working, by=coordinator, buddy=ingrid)
    buddy_actions.answer_invitation(member=member, by=ingrid, accept=True)
    # Asked from the conversation: Ingrid's invitation waits for her answer.
    buddy_actions.wish_buddy(case=invited, via=BuddyWishSource.CONVERSATION)
    buddy_actions.invite_buddy(case=invited, by=coordinator, buddy=ingrid)
    # Two wishes still to match: the pool page lists them for the coordinator.
    buddy_actions.wish_buddy(case=waiting, via=BuddyWishSource.FORM)
    buddy_actions.wish_buddy(case=by_phone, via=BuddyWishSource.STAFF, by=working.assignee)
