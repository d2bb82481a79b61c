"""The roles of the product (see DESIGN.md) as Django groups with permissions.

A bezoeker (visitor) is anyone who is not logged in, so it has no group.
Every other role is a group; a user may hold several. Views ask for a role
with :func:`role_required`; templates show only the areas of a user's roles.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, Concatenate

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, StringAgg, Value
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    MEDEWERKER = "medewerker"
    COORDINATOR = "coordinator"
    VRIJWILLIGER = "vrijwilliger"
    REDACTEUR = "redacteur"
    VALIDATOR = "validator"
    BESTUUR = "bestuur"
    OPR = "opr"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.MEDEWERKER: _("Medewerker"),
    Role.COORDINATOR: _("Coördinator"),
    Role.VRIJWILLIGER: _("Vrijwilliger (buddy)"),
    Role.REDACTEUR: _("Redacteur"),
    Role.VALIDATOR: _("Validator"),
    Role.BESTUUR: _("Bestuur"),
    Role.OPR: _("Ondersteuningsplanraad"),
}

# The roles that read published reports for the SWV (its board and its
# ondersteuningsplanraad): never a case, never a draft, never a name.
BOARD_ROLES = frozenset({Role.BESTUUR, Role.OPR})

# Model permissions per role, as "app_label.codename". Later features add
# their own permissions here; sync_roles() fails loudly on a typo.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MEDEWERKER: [
        "informeren.view_school",
        "informeren.view_organisatie",
        "informeren.view_samenwerkingsverband",
    ],
    Role.COORDINATOR: [
        "informeren.view_school",
        "informeren.view_organisatie",
        "informeren.view_samenwerkingsverband",
        "auth.view_user",
        "auth.change_user",
    ],
    Role.VRIJWILLIGER: [],
    Role.REDACTEUR: [
        "informeren.view_school",
        "informeren.add_school",
        "informeren.change_school",
        "informeren.view_organisatie",
        "informeren.add_organisatie",
        "informeren.change_organisatie",
        "informeren.view_samenwerkingsverband",
    ],
    Role.VALIDATOR: [
        "informeren.view_school",
        "informeren.view_organisatie",
        "informeren.view_samenwerkingsverband",
    ],
    Role.BESTUUR: [],
    Role.OPR: [],
}


@dataclass(frozen=True)
class Area:
    """A part of the portal behind login, open to some roles."""

    url_name: str
    title: str | Promise
    description: str | Promise
    roles: frozenset[Role]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


AREAS: list[Area] = [
    Area(
        "steunen:inbox",
        _("Vragen en begeleiding"),
        _("Vragen van ouders en jongeren beantwoorden en bijhouden."),
        frozenset({Role.MEDEWERKER, Role.COORDINATOR, Role.VRIJWILLIGER}),
    ),
    Area(
        "steunen:buddy_mine",
        _("Mijn buddyvragen"),
        _("Uitnodigingen als buddy, en de vragen waar u naast de behandelaar meehelpt."),
        frozenset({Role.VRIJWILLIGER}),
    ),
    Area(
        "steunen:buddy_pool",
        _("Buddypool"),
        _("Vrijwilligers met hun overeenkomst, training en VOG; vragen die om een buddy vragen."),
        frozenset({Role.COORDINATOR}),
    ),
    Area(
        "steunen:afspraak_day",
        _("Afspraken"),
        _("Tijden klaarzetten voor gesprekken en zien wie er vandaag komt of belt."),
        frozenset({Role.MEDEWERKER, Role.COORDINATOR}),
    ),
    Area(
        "informeren:redactie",
        _("Redactie"),
        _("Informatie schrijven, controleren en publiceren."),
        frozenset({Role.REDACTEUR, Role.VALIDATOR}),
    ),
    Area(
        "signaleren:dashboard",
        _("Signalen en rapportages"),
        _("Trends en rapportages voor het bestuur van het samenwerkingsverband."),
        frozenset({Role.COORDINATOR, *BOARD_ROLES}),
    ),
]


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    """The roles a user holds; an inactive or anonymous user holds none."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_steunpunt_roles", None)
    if cached is None:
        groups = user.groups  # type: ignore[attr-defined]  # every user model here has them
        cached = _remember_roles(user, groups.values_list("name", flat=True))
    return cached


def _remember_roles(user: AbstractBaseUser, group_names: Iterable[str]) -> set[Role]:
    names = set(group_names)
    roles = {role for role in Role if role.value in names}
    user._steunpunt_roles = roles  # type: ignore[attr-defined]  # read by roles_of() only
    return roles


ROLE_SEPARATOR = "\x1f"  # never in a group's name


class UserWithRolesBackend(ModelBackend):
    """Django's ModelBackend that reads the roles of a logged-in user with the user.

    Every staff page asks for roles: one query for the user and its groups,
    not two. They are read anew on every request, so a role taken away
    counts at once.
    """

    def get_user(self, user_id: Any) -> User | None:
        user = (
            get_user_model()
            ._default_manager.annotate(
                role_names=StringAgg("groups__name", Value(ROLE_SEPARATOR), default=Value(""))
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        _remember_roles(user, user.role_names.split(ROLE_SEPARATOR))
        return user


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def users_with_role(*roles: Role) -> QuerySet[User]:
    """The active users holding any of these roles, each once, by first name."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[role.value for role in roles])
        .distinct()
        .order_by("first_name", "username")
    )


def areas_for(user: AbstractBaseUser | AnonymousUser) -> list[Area]:
    held = roles_of(user)
    if held & BOARD_ROLES:
        # Independence: a board or OPR member never sees the questions area.
        held = held - {Role.MEDEWERKER, Role.COORDINATOR, Role.VRIJWILLIGER}
    return [area for area in AREAS if area.roles & held]


def role_required[R: HttpRequest, **P](
    *roles: Role,
) -> Callable[
    [Callable[Concatenate[R, P], HttpResponse]], Callable[Concatenate[R, P], HttpResponse]
]:
    """Let a view through only for users holding one of ``roles``.

    Not logged in: to the login page. Logged in without the role: 403.
    Superusers get no exception: independence means roles are explicit.
    """
    if not roles:
        raise ValueError("role_required needs at least one role")

    def decorator(
        view: Callable[Concatenate[R, P], HttpResponse],
    ) -> Callable[Concatenate[R, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: R, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _permissions(names: Iterable[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        try:
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        except Permission.DoesNotExist as exc:
            raise LookupError(f"Unknown permission {name!r} in ROLE_PERMISSIONS") from exc
    return found


def sync_roles() -> list[Group]:
    """Create a group per role and give it exactly the permissions listed above."""
    groups = []
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))
        groups.append(group)
    return groups
