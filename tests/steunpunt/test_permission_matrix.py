"""One permission matrix: every named route x every role, with the answer each gets.

ROUTES has one line per named route: how to call it (GET; POST, empty and
without a CSRF token, only for a POST-only route), the sample objects its URL
needs, and the answer of every role. A route that is not in ROUTES fails
test_every_named_route_is_in_the_matrix: add its line when you add the route.

The answers are written as:
    200, 204, 403, 404, 405  the status code
    LOGIN                    a redirect to our login page
    CODE                     a redirect to "enter your code" (/vraag/terug/)
    302                      any other redirect (a POST that was accepted or
                             refused with a message, a page that moved on)

Roles: a visitor (bezoeker); the asker of the sample case with its code open
(asker); an asker who opened another case with their own code (other_asker);
one user per staff role; a vrijwilliger who is buddy on the sample case and one
who is not (invited to another case); a user with no role (outsider); and a
superuser without a role.

Every role's request runs in a transaction that is rolled back, so a POST by
one role (closing the case, publishing a revision) does not change what the
next role meets. The sample objects and logins are made once for the module.
"""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from informeren import actions as informeren_actions
from informeren.meetings import _hash
from informeren.models import (
    Begrip,
    Checklist,
    ChecklistItem,
    Ervaring,
    Feedback,
    Meeting,
    ReadKind,
    Registration,
    RegistrationStatus,
    Synonym,
    WegwijzerRoute,
)
from signaleren import actions as signaleren_actions
from signaleren.models import Goal, Measure, Report, Signal
from steunen import actions, appointments, attachments, buddy_actions
from steunen.afspraken import Slot, SlotKind
from steunen.buddies import BuddyProfile
from steunen.models import AttachmentKind, CannedAnswer, Evaluation, Feestdag
from steunpunt.roles import Role
from tests.conftest import verify_second_factor
from tests.factories import OrganisatieFactory, SchoolFactory, UserFactory
from tests.informeren.helpers import draft, published_topic
from tests.steunen.helpers import ask, code_data

SESSION = settings.SESSION_COOKIE_NAME
LOGIN = "login"
CODE = "code"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "Mag de school mijn zoon zomaar naar huis sturen?"
OTHER_QUESTION = "Mijn dochter krijgt geen extra ondersteuning meer."

VISITOR, ASKER, OTHER_ASKER = "bezoeker", "asker", "other_asker"
MEDEWERKER, COORDINATOR = "medewerker", "coordinator"
VRIJWILLIGER, VRIJWILLIGER_ELSEWHERE = "vrijwilliger", "vrijwilliger_elsewhere"
REDACTEUR, VALIDATOR, BESTUUR = "redacteur", "validator", "bestuur"
OPR = "opr"  # the ondersteuningsplanraad: reads like the board
OUTSIDER, SUPERUSER = "outsider", "superuser"
ROLES = [
    VISITOR,
    ASKER,
    OTHER_ASKER,
    MEDEWERKER,
    COORDINATOR,
    VRIJWILLIGER,
    VRIJWILLIGER_ELSEWHERE,
    REDACTEUR,
    VALIDATOR,
    BESTUUR,
    OPR,
    OUTSIDER,
    SUPERUSER,
]
ANONYMOUS = [VISITOR, ASKER, OTHER_ASKER]


def answers(default, **by_role) -> dict[str, object]:
    """Every role gets ``default`` unless named; ``anonymous=`` sets the three without login."""
    table = dict.fromkeys(ROLES, default)
    anonymous = by_role.pop("anonymous", None)
    if anonymous is not None:
        table.update(dict.fromkeys(ANONYMOUS, anonymous))
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    table.update(by_role)
    return table


def only(*roles: str, ok=200, refused=403, anonymous=LOGIN) -> dict[str, object]:
    """A staff page: ``ok`` for ``roles``, ``refused`` for other logged-in users."""
    return answers(refused, anonymous=anonymous, **dict.fromkeys(roles, ok))


EVERYONE = answers(200)
LOGGED_IN = answers(200, anonymous=LOGIN)
# The asker's pages work from the session the code opened: without one, to the code form.
ASKER_PAGE = answers(CODE, asker=200, other_asker=200)
CASE_WORKERS = (MEDEWERKER, COORDINATOR, VRIJWILLIGER, VRIJWILLIGER_ELSEWHERE)
MANAGERS = (MEDEWERKER, COORDINATOR)
EDITORS = (REDACTEUR, VALIDATOR)
READERS = (COORDINATOR, BESTUUR, OPR)


def case_page(ok=200, *, managers_only=False) -> dict[str, object]:
    """A page of the sample case: 404 for whoever may not see it (not even that it exists).

    The vrijwilliger who is buddy on the case gets none of staff's case pages
    (404): only the buddy's view of the case itself (BUDDY_VIEW). ``managers_only``
    is kept for the rows that say so; it changes nothing any more.
    """
    return only(*MANAGERS, ok=ok, refused=404)


# The case page: the buddy on the case gets the buddy's view of it.
BUDDY_VIEW = case_page() | {VRIJWILLIGER: 200}


class Row:
    """How to call one route, and what every role gets."""

    def __init__(self, method: str, expected: dict[str, object], **kwargs: str):
        self.method = method
        self.expected = expected
        self.kwargs = kwargs  # URL argument -> key in the sample objects


def GET(expected, **kwargs) -> Row:
    return Row("GET", expected, **kwargs)


def POST(expected, **kwargs) -> Row:
    """A POST-only route, posted empty and without a CSRF token."""
    return Row("POST", expected, **kwargs)


# One line per named route, by area. Add a line when you add a route.
ROUTES: dict[str, Row] = {
    # The public site.
    "home": GET(EVERYONE),
    "privacy": GET(EVERYONE),
    "accessibility": GET(EVERYONE),
    "healthz": GET(EVERYONE),
    "theme": GET(EVERYONE),  # /thema.css, the region's colours: the same for everyone
    "quick_exit": GET(answers(302)),  # ends any session, then to the neutral site
    "informeren:topics": GET(EVERYONE),
    "informeren:topic": GET(EVERYONE, slug="slug"),
    "informeren:topic_audience": GET(EVERYONE, slug="slug", audience="audience"),
    "informeren:feedback": POST(EVERYONE, slug="slug"),  # an empty form comes back
    "informeren:glossary": GET(EVERYONE),
    "informeren:youth": GET(EVERYONE),
    "informeren:children": GET(EVERYONE),
    "informeren:search": GET(EVERYONE),
    "informeren:schools": GET(EVERYONE),
    "informeren:school": GET(EVERYONE, pk="school"),
    "informeren:organisaties": GET(EVERYONE),
    "informeren:organisatie": GET(EVERYONE, pk="organisatie"),
    "informeren:meetings": GET(EVERYONE),
    "informeren:meeting": GET(EVERYONE, pk="meeting"),
    "informeren:meeting_ics": GET(EVERYONE, pk="meeting"),
    "informeren:meeting_cancel": GET(EVERYONE, token="token"),
    "informeren:ervaringen": GET(EVERYONE),
    "informeren:ervaring": GET(EVERYONE, pk="ervaring"),
    "informeren:checklists": GET(EVERYONE),
    "informeren:checklist": GET(EVERYONE, slug="checklist_slug"),
    "informeren:read": POST(answers(204), kind="read_kind", pk="topic"),
    "informeren:wegwijzer": GET(EVERYONE),
    # The asker's side.
    "steunen:ask": GET(EVERYONE),
    "steunen:ask_child": GET(EVERYONE),
    "steunen:return": GET(EVERYONE),
    "steunen:conversation": GET(ASKER_PAGE),
    "steunen:leave": POST(answers(CODE)),
    "steunen:download": GET(ASKER_PAGE),
    "steunen:delete": GET(ASKER_PAGE),
    # The sample case is open: nothing to rate yet, on to the conversation.
    "steunen:evaluate": GET(answers(CODE, asker=302, other_asker=302)),
    "steunen:evaluate_reopen": POST(answers(CODE, asker=302, other_asker=302)),
    # Another asker's file: 404, even with a code of one's own.
    "steunen:asker_attachment": GET(answers(CODE, asker=200, other_asker=404), token="attachment"),
    # Appointments: open to all; a made-up link opens no booking.
    "steunen:afspraak_slots": GET(EVERYONE),
    "steunen:afspraak_book": GET(EVERYONE, pk="slot"),
    "steunen:afspraak_manage": GET(answers(404), token="token"),
    "steunen:afspraak_cancel": POST(answers(404), token="token"),
    "steunen:afspraak_move": POST(answers(404), token="token"),
    "steunen:afspraak_ics": GET(answers(404), token="token"),
    # Accounts.
    "account:login": GET(answers(302, anonymous=200)),  # logged in: on to the workspace
    "account:second_factor": GET(answers(302, anonymous=LOGIN)),  # done already: on
    "account:second_factor_setup": GET(LOGGED_IN),
    # A made-up invitation: no link for anyone (logged in first).
    "account:second_factor_invitation": GET(
        answers(404, anonymous=LOGIN), uidb64="token", token="token"
    ),
    "account:invite": POST(only(COORDINATOR), pk="member"),  # shows the link to pass on
    "account:password_change": GET(LOGGED_IN),
    "account:passkeys": GET(LOGGED_IN),
    # Passkeys (django-otp-webauthn's JSON API): one's own account only, never
    # without a login; an empty POST to "complete" has no ceremony to complete.
    "otp_webauthn:credential-registration-begin": POST(answers(200, anonymous=403)),
    "otp_webauthn:credential-registration-complete": POST(answers(400, anonymous=403)),
    "otp_webauthn:credential-authentication-begin": POST(answers(200, anonymous=403)),
    "otp_webauthn:credential-authentication-complete": POST(answers(400, anonymous=403)),
    "otp_webauthn:js-i18n-catalog": GET(EVERYONE),
    "account:password_reset": GET(EVERYONE),
    "account:password_reset_sent": GET(EVERYONE),
    # A made-up reset link: "this link no longer works", for everyone.
    "account:password_reset_confirm": GET(EVERYONE, uidb64="token", token="token"),
    "account:password_reset_complete": GET(EVERYONE),
    "account:team": GET(only(COORDINATOR)),
    "account:member": GET(only(COORDINATOR), pk="member"),
    "account:deactivate": POST(only(COORDINATOR, ok=302), pk="member"),
    # The sample member is active and has a password: nothing to turn on, no new invitation.
    "account:reactivate": POST(only(COORDINATOR, ok=404), pk="member"),
    "account:invite_again": POST(only(COORDINATOR, ok=302), pk="member"),
    # A made-up invitation link: no password form for anyone.
    "account:welcome": GET(answers(404), uidb64="token", token="token"),
    "account:logout": POST(answers(302)),
    "account:workspace": GET(LOGGED_IN),
    # Django's admin: superusers only; everyone else via its login to our 403 page.
    "admin:index": GET(answers(302, superuser=200)),
    "admin_login": GET(answers(403, anonymous=LOGIN, superuser=302)),
    # Vragen en begeleiding: never for the board, cases only for who may see them.
    "steunen:dashboard": GET(only(*CASE_WORKERS, ok=302)),  # on to the inbox
    "steunen:inbox": GET(only(*CASE_WORKERS)),
    "steunen:new_case": GET(only(*MANAGERS)),
    "steunen:case": GET(BUDDY_VIEW, pk="case"),
    "steunen:case_answer": POST(case_page(), pk="case"),  # an empty form comes back
    "steunen:case_note": POST(case_page(), pk="case"),
    "steunen:case_time": POST(case_page(), pk="case"),
    "steunen:case_referral": POST(case_page(), pk="case"),
    "steunen:case_follow_up": POST(case_page(302), pk="case", referral_pk="referral"),
    "steunen:follow_ups": GET(only(*MANAGERS)),
    "steunen:case_status": POST(case_page(managers_only=True), pk="case"),
    "steunen:case_close": POST(case_page(managers_only=True), pk="case"),
    "steunen:case_assign": POST(case_page(302, managers_only=True), pk="case"),
    "steunen:case_themes": POST(case_page(302, managers_only=True), pk="case"),
    "steunen:case_swv": POST(case_page(302, managers_only=True), pk="case"),
    "steunen:case_urgency": POST(case_page(302, managers_only=True), pk="case"),
    "steunen:case_reopen": POST(case_page(302, managers_only=True), pk="case"),
    "steunen:case_merge": POST(case_page(managers_only=True), pk="case"),
    # The merged case is not the one the vrijwilliger was given: 404.
    "steunen:case_merge_undo": POST(
        only(*MANAGERS, ok=302, refused=404), pk="merged_case", merge_pk="merge"
    ),
    "steunen:case_erase": POST(case_page(managers_only=True), pk="case"),  # not confirmed
    "steunen:case_download": GET(case_page(managers_only=True), pk="case"),
    "steunen:case_audit": GET(only(COORDINATOR), pk="case"),
    # Buddies (steunen/buddy_views.py): the pool and matching for the coordinator,
    # invitations and the buddy's own writing for the volunteer it concerns.
    "steunen:buddy_info": GET(EVERYONE),
    "steunen:asker_buddy": POST(answers(CODE, asker=302, other_asker=302)),
    "steunen:buddy_mine": GET(only(VRIJWILLIGER, VRIJWILLIGER_ELSEWHERE)),
    # The invitation is the other vrijwilliger's: for the one on the case it does not exist.
    "steunen:buddy_answer": POST(
        only(VRIJWILLIGER, VRIJWILLIGER_ELSEWHERE, ok=302) | {VRIJWILLIGER: 404}, pk="invitation"
    ),
    "steunen:buddy_message": POST(
        only(VRIJWILLIGER, VRIJWILLIGER_ELSEWHERE) | {VRIJWILLIGER_ELSEWHERE: 404}, pk="case"
    ),  # an empty form comes back
    "steunen:buddy_pool": GET(only(COORDINATOR)),
    "steunen:buddy_profile_new": GET(only(COORDINATOR)),
    "steunen:buddy_profile_edit": GET(only(COORDINATOR), pk="buddy_profile"),
    "steunen:case_buddy_match": GET(only(COORDINATOR), pk="case"),
    "steunen:case_buddy_invite": POST(only(COORDINATOR, ok=302), pk="case"),
    "steunen:case_buddy_wish": POST(only(*MANAGERS, ok=302), pk="case"),
    "steunen:case_reader_add": POST(only(*MANAGERS, ok=302), pk="case"),
    "steunen:case_member_remove": POST(
        only(*MANAGERS, ok=302), pk="case", member_pk="buddy_member"
    ),
    # Call-backs and the back office (steunen/backoffice_views.py): medewerkers and
    # coordinators; handling an escalation only the coordinator. Empty forms come back.
    "steunen:callback": GET(EVERYONE),
    # Recording a conversation held: medewerkers and coordinators, on the case.
    "steunen:case_booking_held": POST(
        case_page(302, managers_only=True), pk="case", booking_pk="booking"
    ),
    "steunen:case_callback_called": POST(
        case_page(302, managers_only=True), pk="case", callback_pk="callback"
    ),
    "steunen:case_callback_not_reached": POST(
        case_page(302, managers_only=True), pk="case", callback_pk="callback"
    ),
    "steunen:case_advice": POST(case_page(managers_only=True), pk="case"),
    "steunen:case_advice_reply": POST(
        case_page(managers_only=True), pk="case", consultation_pk="consultation"
    ),
    # The sample consultation asks a colleague: there is no expert's link to make (404).
    "steunen:case_expert_link": POST(
        case_page(404, managers_only=True), pk="case", consultation_pk="consultation"
    ),
    # A made-up expert's link: the calm "we do not know this link" page, for everyone.
    "steunen:expert_advice": GET(answers(404), token="token"),
    "steunen:case_escalate": POST(case_page(managers_only=True), pk="case"),
    "steunen:case_escalation_resolve": POST(
        case_page(302, managers_only=True) | {MEDEWERKER: 403}, pk="case"
    ),
    "steunen:case_attachment": GET(case_page(), pk="case", token="attachment"),
    "steunen:evaluation_remarks": GET(only(COORDINATOR)),
    "steunen:evaluation_remark_delete": GET(only(COORDINATOR), pk="evaluation"),
    "steunen:canned_answers": GET(only(*MANAGERS)),
    "steunen:afspraak_day": GET(only(*MANAGERS)),
    "steunen:afspraak_series": GET(only(*MANAGERS)),
    "steunen:afspraak_slot_cancel": POST(only(*MANAGERS, ok=302), pk="slot"),
    "steunen:canned_answer_new": GET(only(*MANAGERS)),
    "steunen:canned_answer_edit": GET(only(*MANAGERS), pk="canned"),
    "informeren:meeting_list": GET(only(*MANAGERS, REDACTEUR)),
    "informeren:meeting_participants": GET(only(*MANAGERS, REDACTEUR), pk="meeting"),
    # Redactie: the redacteur writes, the validator reads and approves.
    "informeren:redactie": GET(only(*EDITORS)),
    "informeren:topic_new": GET(only(REDACTEUR)),
    "informeren:topic_admin": GET(only(*EDITORS), pk="topic"),
    "informeren:revision_start": POST(only(REDACTEUR, ok=302), pk="topic"),
    "informeren:revision": GET(only(*EDITORS), pk="revision"),
    "informeren:revision_edit": GET(only(REDACTEUR), pk="revision"),
    "informeren:revision_submit": POST(only(REDACTEUR, ok=302), pk="revision"),
    "informeren:revision_approve": POST(only(VALIDATOR, ok=302), pk="revision"),
    "informeren:revision_reject": POST(only(VALIDATOR, ok=302), pk="revision"),
    "informeren:revision_publish": POST(only(*EDITORS, ok=302), pk="revision"),
    "informeren:revision_rollback": POST(only(REDACTEUR, ok=302), pk="revision"),
    "informeren:translation_start": POST(only(REDACTEUR, ok=302), pk="topic", language="language"),
    "informeren:translation": GET(only(*EDITORS), pk="translation"),
    "informeren:translation_edit": GET(only(REDACTEUR), pk="translation"),
    "informeren:translation_submit": POST(only(REDACTEUR, ok=302), pk="translation"),
    "informeren:translation_approve": POST(only(VALIDATOR, ok=302), pk="translation"),
    "informeren:translation_reject": POST(only(VALIDATOR, ok=302), pk="translation"),
    "informeren:translation_publish": POST(only(*EDITORS, ok=302), pk="translation"),
    "informeren:topic_check": POST(only(*EDITORS, ok=302), pk="topic"),
    "informeren:preview": POST(only(REDACTEUR)),
    "informeren:change": GET(only(*EDITORS), pk="change"),
    "informeren:change_edit": GET(only(REDACTEUR), pk="change"),
    "informeren:change_submit": POST(only(REDACTEUR, ok=302), pk="change"),
    "informeren:change_approve": POST(only(VALIDATOR, ok=302), pk="change"),
    "informeren:change_reject": POST(only(VALIDATOR, ok=302), pk="change"),
    "informeren:change_publish": POST(only(*EDITORS, ok=302), pk="change"),
    "informeren:consent": GET(only(*EDITORS), pk="change"),  # every view audited
    "informeren:begrip_list": GET(only(REDACTEUR)),
    "informeren:begrip_new": GET(only(REDACTEUR)),
    "informeren:begrip_edit": GET(only(REDACTEUR), pk="begrip"),
    "informeren:ervaring_list": GET(only(REDACTEUR)),
    "informeren:ervaring_new": GET(only(REDACTEUR)),
    "informeren:ervaring_edit": GET(only(REDACTEUR), pk="ervaring"),
    "informeren:ervaring_withdraw": POST(only(*EDITORS, ok=302), pk="ervaring"),
    "informeren:feestdag_list": GET(only(REDACTEUR, COORDINATOR)),
    "informeren:feestdag_delete": POST(only(REDACTEUR, COORDINATOR, ok=302), pk="feestdag"),
    "informeren:feedback_delete": POST(only(*EDITORS, ok=302), pk="feedback"),
    "informeren:school_profiles": GET(only(REDACTEUR)),
    "informeren:school_profile": GET(only(REDACTEUR), pk="school"),
    "informeren:meeting_new": GET(only(REDACTEUR)),
    "informeren:meeting_edit": GET(only(REDACTEUR), pk="meeting"),
    "informeren:organisatie_list": GET(only(REDACTEUR)),
    "informeren:organisatie_new": GET(only(REDACTEUR)),
    "informeren:organisatie_edit": GET(only(REDACTEUR), pk="organisatie"),
    "informeren:checklist_list": GET(only(REDACTEUR)),
    "informeren:checklist_new": GET(only(REDACTEUR)),
    "informeren:checklist_edit": GET(only(REDACTEUR), pk="checklist"),
    "informeren:synonym_list": GET(only(REDACTEUR)),
    "informeren:synonym_new": GET(only(REDACTEUR)),
    "informeren:synonym_edit": GET(only(REDACTEUR), pk="synonym"),
    "informeren:synonym_delete": POST(only(REDACTEUR, ok=302), pk="synonym"),
    "informeren:search_queries": GET(only(*EDITORS)),  # counts only, rare queries left out
    # The national set (issue 26): no hub here, so the feed does not exist; the redactie's
    # pull page says so, and "Nu ophalen" turns back with a message.
    "informeren:national_feed": GET(answers(404)),
    "informeren:national_pulls": GET(only(*EDITORS)),
    "informeren:national_pull_now": POST(only(*EDITORS, ok=302)),
    "informeren:revision_deviation": POST(only(REDACTEUR, ok=302), pk="revision"),
    "informeren:change_deviation": POST(
        only(REDACTEUR, ok=302), kind="national_item_kind", pk="begrip"
    ),
    "informeren:wegwijzer_routes": GET(only(REDACTEUR)),
    "informeren:wegwijzer_route_new": GET(only(REDACTEUR)),
    "informeren:wegwijzer_route_edit": GET(only(REDACTEUR), pk="wegwijzer_route"),
    "informeren:wegwijzer_route_delete": POST(only(REDACTEUR, ok=302), pk="wegwijzer_route"),
    "informeren:wegwijzer_werkgebied": GET(only(REDACTEUR)),
    # Signalen en rapportages: the coordinator composes, the board reads what is published.
    "signaleren:dashboard": GET(only(*READERS)),
    # No live figures for the board or the OPR.
    "signaleren:live": GET(only(COORDINATOR) | {BESTUUR: 404, OPR: 404}),
    "signaleren:report_new": GET(only(COORDINATOR)),
    "signaleren:report": GET(only(*READERS), pk="report"),
    "signaleren:report_edit": GET(only(COORDINATOR, ok=302), pk="report"),  # published: frozen
    "signaleren:report_publish": POST(only(COORDINATOR, ok=302), pk="report"),
    "signaleren:report_delete": GET(only(COORDINATOR, ok=302), pk="report"),  # published: kept
    "signaleren:report_pdf": GET(only(*READERS), pk="report"),
    "signaleren:report_csv": GET(only(*READERS), pk="report"),
    "signaleren:signal_new": GET(only(COORDINATOR)),
    "signaleren:signal": GET(only(*MANAGERS), pk="signal"),  # staff link cases to it
    "signaleren:signal_edit": GET(only(COORDINATOR), pk="signal"),
    "signaleren:goals": GET(only(COORDINATOR)),
    "signaleren:goal_new": GET(only(COORDINATOR)),
    "signaleren:goal_edit": GET(only(COORDINATOR), pk="goal"),
    "signaleren:goal_delete": POST(only(COORDINATOR, ok=302), pk="goal"),
    "signaleren:summary_publish": POST(only(COORDINATOR, ok=302), pk="report"),
    "signaleren:summary_withdraw": POST(only(COORDINATOR, ok=302), pk="report"),
    # Signals go up (issue 26): no hub configured here, so sharing turns the coordinator
    # back with a message, and the hub's pages and API do not exist (404).
    "signaleren:report_share": GET(only(COORDINATOR, ok=302), pk="report"),
    "signaleren:national": GET(only(*MANAGERS, BESTUUR, OPR, ok=404)),
    "signaleren:national_receive": POST(answers(404)),
    "signaleren:national_picture": GET(answers(404)),
    # The public annual summary: for everyone once published, else it does not exist.
    "signaleren:annual_summaries": GET(EVERYONE),
    "signaleren:annual_summary": GET(EVERYONE, year="summary_year"),
}


# --- Which routes there are -----------------------------------------------------------


def named_routes() -> set[str]:
    """Every named route, with its namespace; Django's admin only by its entry point."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    names = set(walk(get_resolver().url_patterns))
    return {name for name in names if not name.startswith("admin:")} | {"admin:index"}


def test_every_named_route_is_in_the_matrix():
    routes = named_routes()
    missing = sorted(routes - set(ROUTES))
    gone = sorted(set(ROUTES) - routes)
    assert not missing, f"Add a line to ROUTES for: {missing}"
    assert not gone, f"These routes no longer exist, remove their lines: {gone}"


def test_every_row_names_every_role():
    for name, row in ROUTES.items():
        assert set(row.expected) == set(ROLES), name


# --- The sample objects and a login per role, made once ----------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Sample objects for every route's arguments, and a session per role.

    Made once in a transaction that is rolled back after the module (like
    Django's setUpTestData); every test's own changes are rolled back sooner.
    """
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        PRIVATE_FILES_ROOT=str(tmp_path_factory.mktemp("private")),
        RETURN_CODE_FAILURE_DELAY=0,
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _staff(username: str, *roles: Role, **fields) -> User:
    return UserFactory(username=f"matrix-{username}", roles=list(roles), **fields)


def _consent(by):
    return informeren_actions.record_consent(
        by=by, given_by="Verzonnen voorbeeld", given_on=date(2026, 11, 1), how="demo"
    )


def _build_world() -> dict:
    users = {
        MEDEWERKER: _staff("medewerker", Role.MEDEWERKER),
        COORDINATOR: _staff("coordinator", Role.COORDINATOR),
        VRIJWILLIGER: _staff("vrijwilliger", Role.VRIJWILLIGER),
        VRIJWILLIGER_ELSEWHERE: _staff("vrijwilliger2", Role.VRIJWILLIGER),
        REDACTEUR: _staff("redacteur", Role.REDACTEUR),
        VALIDATOR: _staff("validator", Role.VALIDATOR),
        BESTUUR: _staff("bestuur", Role.BESTUUR),
        OPR: _staff("opr", Role.OPR),
        OUTSIDER: _staff("outsider"),
        SUPERUSER: _staff("superuser", is_superuser=True, is_staff=True),
    }
    coordinator = users[COORDINATOR]

    case, code = ask(QUESTION)
    actions.assign(case=case, by=coordinator, assignee=users[MEDEWERKER])
    attachment = attachments.store(case, (AttachmentKind.PDF, PDF, ""))
    from steunen import backoffice_actions, terugbel_actions  # the call-back, the back office

    soon = timezone.now() + timedelta(days=3)
    callback = terugbel_actions.request_callback(
        phone="0612345678", window_start=soon, window_end=soon + timedelta(hours=1), case=case
    ).callback
    consultation = backoffice_actions.ask_advice(
        case=case, by=users[MEDEWERKER], consultee=coordinator, question="Wat vind jij hiervan?"
    )
    other_case, other_code = ask(OTHER_QUESTION)
    # The vrijwilliger is buddy on the sample case; the other one is invited to another case.
    buddy_profiles = {
        role: BuddyProfile.objects.create(
            user=users[role],
            agreement_on=date(2026, 1, 5),
            trained_on=date(2026, 2, 1),
            vog_on=date(2025, 12, 1),
        )
        for role in (VRIJWILLIGER, VRIJWILLIGER_ELSEWHERE)
    }
    buddy_member = buddy_actions.invite_buddy(case=case, by=coordinator, buddy=users[VRIJWILLIGER])
    buddy_actions.answer_invitation(member=buddy_member, by=users[VRIJWILLIGER], accept=True)
    invitation = buddy_actions.invite_buddy(
        case=other_case, by=coordinator, buddy=users[VRIJWILLIGER_ELSEWHERE]
    )
    merged_into, _ = ask("Een vraag die twee keer binnenkwam.")
    duplicate, _ = ask("Een vraag die twee keer binnenkwam (nog eens).")
    merge = actions.merge(source=duplicate, target=merged_into, by=coordinator)
    canned = CannedAnswer.objects.create(title="Klachtroute", body="Eerst met de school praten.")
    evaluation = Evaluation.objects.create(listened=2, helped=3, recommend=3, remark="Te laat.")

    topic = published_topic(national_jongeren="Wat jij kunt doen als je school je niet helpt.")
    revision = draft(topic, users[REDACTEUR], title="Zorgplicht (nieuw)")
    translation = informeren_actions.start_translation(
        topic=topic, language="en", by=users[REDACTEUR]
    )
    feedback = Feedback.objects.create(topic=topic, helpful=True, remark="Duidelijk.")
    school = SchoolFactory()
    organisatie = OrganisatieFactory()
    referral = actions.refer(
        case=case, by=coordinator, organisatie=organisatie, follow_up_on=timezone.localdate()
    )
    start = timezone.now() + timedelta(days=7)
    meeting = Meeting.objects.create(
        title="Koffieochtend", kind="lotgenoten", description="Samen koffie.", starts_at=start,
        ends_at=start + timedelta(hours=2), place="Buurthuis", capacity=10,
    )  # fmt: skip
    token = "matrix-afmelden-token"
    Registration.objects.create(
        meeting=meeting,
        name="A.B.",
        email="a@voorbeeld.nl",
        status=RegistrationStatus.CONFIRMED,
        cancel_token_hash=_hash(token),
    )
    checklist = Checklist.objects.create(slug="mijn-school", title="Mijn school")
    ChecklistItem.objects.create(checklist=checklist, text="Vraag het ondersteuningsprofiel.")
    synonym = Synonym.objects.create(word="rugzakje", alternatives="extra ondersteuning")
    begrip = Begrip.objects.create(term="OPP", slug="opp", explanation="Een plan.")
    story = {"title": "Ons verhaal", "teller": "ouder", "text": "Het ging goed.",
             "topics": [topic.pk], "fictional": True}  # fmt: skip
    ervaring = Ervaring.objects.get(
        pk=informeren_actions.publish_change_directly(
            kind="ervaring", data=story, author=users[REDACTEUR], validator=users[VALIDATOR],
            consent=_consent(users[REDACTEUR]),
        ).target_id
    )  # fmt: skip
    change = informeren_actions.save_change(
        kind="ervaring", target_id=None, data=story | {"title": "Nieuw verhaal"},
        by=users[REDACTEUR], consent=_consent(users[REDACTEUR]),
    )  # fmt: skip
    slot = Slot.objects.create(
        kind=SlotKind.PHONE, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    booked_slot = Slot.objects.create(
        kind=SlotKind.PHONE, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    booking = appointments.book(slot=booked_slot, case=case).booking
    feestdag = Feestdag.objects.create(date=date(2026, 12, 25), name="Eerste kerstdag")
    wegwijzer_route = WegwijzerRoute.objects.create(
        audience="ouder", situation="thuis", first_topic=topic, second_topic=topic
    )

    quarter = (date(2026, 7, 1), date(2026, 9, 30))
    signal = Signal.objects.create(
        title="Ouders vinden het OPP-gesprek zwaar", description="Vooral in het vo.",
        period_start=quarter[0], period_end=quarter[1], case_count=4,
    )  # fmt: skip
    report = Report.objects.create(
        title="Rapportage Q3", period_start=quarter[0], period_end=quarter[1],
        composed_by=coordinator,
    )  # fmt: skip
    report.signals.add(signal)
    signaleren_actions.publish(report=report, by=coordinator)
    goal = Goal.objects.create(
        period_start=quarter[0], period_end=quarter[1], measure=Measure.WITHIN_PROMISE, target=80
    )
    year_report = Report.objects.create(
        title="Jaarrapportage 2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    signaleren_actions.publish(report=year_report, by=coordinator)
    summary = signaleren_actions.publish_summary(report=year_report, by=coordinator)

    # One client per role, reused: a new Client loads the middleware anew
    # (WhiteNoise reads every static file), which would make this slow.
    clients = {role: Client() for role in ROLES}
    for role, user in users.items():
        clients[role].force_login(user)
        verify_second_factor(clients[role], user)
    for role, its_code in ((ASKER, code), (OTHER_ASKER, other_code)):
        clients[role].post(reverse("steunen:return"), code_data(its_code))
    sessions = {
        role: client.cookies[SESSION].value if SESSION in client.cookies else None
        for role, client in clients.items()
    }
    assert sessions[VISITOR] is None and all(sessions[role] for role in ROLES if role != VISITOR)

    return {
        "clients": clients,
        "sessions": sessions,
        "args": {
            "case": case.pk,
            "callback": callback.pk,
            "booking": booking.pk,
            "consultation": consultation.pk,
            "attachment": attachment.token,
            "merged_case": merged_into.pk,
            "merge": merge.pk,
            "canned": canned.pk,
            "evaluation": evaluation.pk,
            "topic": topic.pk,
            "slug": topic.slug,
            "audience": "jongeren",
            "revision": revision.pk,
            "translation": translation.pk,
            "language": "en",
            "feedback": feedback.pk,
            "school": school.pk,
            "organisatie": organisatie.pk,
            "referral": referral.pk,
            "meeting": meeting.pk,
            "token": token,
            "checklist": checklist.pk,
            "checklist_slug": checklist.slug,
            "synonym": synonym.pk,
            "wegwijzer_route": wegwijzer_route.pk,
            "begrip": begrip.pk,
            "ervaring": ervaring.pk,
            "change": change.pk,
            "feestdag": feestdag.pk,
            "slot": slot.pk,
            "read_kind": ReadKind.TOPIC,
            "national_item_kind": "begrip",
            "report": report.pk,
            "signal": signal.pk,
            "goal": goal.pk,
            "summary_year": summary.year,
            "member": users[MEDEWERKER].pk,
            "buddy_profile": buddy_profiles[VRIJWILLIGER].pk,
            "buddy_member": buddy_member.pk,
            "invitation": invitation.pk,
        },
    }


# --- The generated test -------------------------------------------------------------


def _answer(response) -> object:
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("account:login")):
        return LOGIN
    if location == reverse("steunen:return"):
        return CODE
    return 302


def _call(world, name: str, row: Row, role: str) -> object:
    client = world["clients"][role]
    # Whatever the last request did to the cookies (a logout, a new session),
    # each request starts from the role's own session again.
    client.cookies.clear()
    if world["sessions"][role]:
        client.cookies[SESSION] = world["sessions"][role]
    for cache in caches.all():  # no rate limit carried over from the role before
        cache.clear()
    url = reverse(name, kwargs={arg: world["args"][key] for arg, key in row.kwargs.items()})
    with transaction.atomic():
        response = client.post(url) if row.method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return _answer(response)


@pytest.fixture
def _no_pdf_drawn(monkeypatch):
    # The permission check comes first; drawing the PDF (seconds) has tests of its own.
    monkeypatch.setattr("signaleren.views.report_pdf", lambda context: b"%PDF-1.7")


@pytest.mark.usefixtures("_no_pdf_drawn")
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_its_answer(world, db, name):
    row = ROUTES[name]
    got = {role: _call(world, name, row, role) for role in ROLES}
    assert got == row.expected


def test_an_asker_with_a_code_of_their_own_sees_only_their_own_question(world, db):
    for role, question, other in (
        (ASKER, QUESTION, OTHER_QUESTION),
        (OTHER_ASKER, OTHER_QUESTION, QUESTION),
    ):
        client = world["clients"][role]
        client.cookies.clear()
        client.cookies[SESSION] = world["sessions"][role]
        page = client.get(reverse("steunen:conversation")).text
        assert question in page
        assert other not in page
