"""Every public page, for the tests that check them all: valid HTML (tests/steunpunt/
test_valid_html.py) and axe (tests/e2e/test_axe_everywhere.py).

The list is made from the demo region (`load_demo`): the pages anyone can open by
their address, one of each kind of detail page, and the pages of an asker's own
question (receipt, conversation, evaluation, appointment), which need a code or a
token and are made here by the same actions a visitor's forms call.
`test_every_public_route_is_on_the_list` holds it to the URLconf: a new public route
is either on the list or named in NOT_PAGES with the reason.
"""

from dataclasses import dataclass
from io import StringIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone

# Every language of the public site, by its address prefix ("" is Dutch).
PREFIXES = tuple("" if code == "nl" else f"/{code}" for code, _name in settings.LANGUAGES)

# Public routes that are not pages of their own: what they answer and why it is not here.
NOT_PAGES = {
    "quick_exit": "a redirect to the neutral site",
    "informeren:feedback": "POST only (the answer to 'did this help?')",
    "informeren:read": "POST only (the read counter's beacon)",
    "informeren:meeting_ics": "a calendar file",
    "steunen:leave": "POST only (closing the conversation)",
    "steunen:download": "a text file of the conversation",
    "steunen:evaluate_reopen": "POST only",
    "steunen:asker_buddy": "POST only (asking for a buddy from the conversation)",
    "steunen:asker_attachment": "a file",
    "steunen:afspraak_cancel": "POST only",
    "steunen:afspraak_move": "POST only",
    "steunen:afspraak_ics": "a calendar file",
    "informeren:national_feed": "the hub's signed JSON feed for the regions (404 without a hub)",
    "signaleren:national_receive": "the hub's API for shared reports: signed JSON, POST only",
    "signaleren:national_picture": "the hub's signed JSON national picture for the regions",
}


@dataclass(frozen=True)
class Asker:
    """An asker's own question: the code that opens it (and its kind of asker)."""

    code: str
    youth: bool = False


@dataclass(frozen=True)
class Demo:
    """The demo region's public addresses (without a language prefix)."""

    paths: tuple[str, ...]
    # Of those, the ones that show a page already on the list with other data (a second
    # checklist, a filtered list): the browser test checks them in Dutch only.
    dutch_only: tuple[str, ...]
    topic_paths: tuple[str, ...]  # every published topic in every written variant
    asker: Asker  # a parent with an answered, open question
    youth: Asker  # a youth, likewise
    closed: Asker  # a parent whose question was closed: the evaluation page


def load_demo() -> None:
    call_command("load_demo", force=True, stdout=StringIO())


def demo_pages() -> Demo:
    """The demo region's pages; call after load_demo(), inside a test's database."""
    from informeren import meetings
    from informeren.models import (
        Checklist,
        Ervaring,
        Meeting,
        Organisatie,
        Registration,
        School,
        Topic,
    )
    from signaleren.models import AnnualSummary
    from steunen import actions, appointments, backoffice_actions, expertlinks
    from steunen.afspraken import Slot
    from steunen.models import AskerType

    topics = list(Topic.objects.published().select_related("published_revision"))
    topic_paths = []
    for topic in topics:
        for audience in topic.published_revision.audiences():
            suffix = "" if audience == "ouders" else f"{audience}/"
            topic_paths.append(f"/informatie/{topic.slug}/{suffix}")

    def with_variant(audience: str) -> str:
        return next(p for p in topic_paths if p.endswith(f"/{audience}/"))

    school = School.objects.order_by("pk").first()
    organisatie = Organisatie.objects.order_by("pk").first()
    meeting = Meeting.objects.upcoming(timezone.now()).order_by("starts_at").first()
    ervaring = Ervaring.objects.published().order_by("pk").first()
    year = AnnualSummary.objects.order_by("-year").values_list("year", flat=True).first()
    paths = [
        "/",
        "/privacy/",
        "/toegankelijkheid/",
        "/buddy/",
        "/jongeren/",
        "/kinderen/",
        "/informatie/",
        topic_paths[0],
        with_variant("jongeren"),
        with_variant("kinderen"),
        "/begrippen/",
        "/zoeken/",
        "/zoeken/?q=mijn+zoon+zit+al+weken+thuis",
        "/zoeken/?q=qqqzzzxxy",
        "/wegwijzer/",
        "/wegwijzer/?wie=ouder",
        "/wegwijzer/?wie=jongere&wat=niet-goed",
        "/wegwijzer/?wie=kind&wat=thuis&school=&gemeente=",
        "/wegwijzer/?wie=ouder&wat=thuis&school=vo&gemeente=",
        "/scholen/",
        "/scholen/?soort=vo&ondersteuning=autisme",
        f"/scholen/{school.pk}/",
        "/organisaties/",
        f"/organisaties/{organisatie.pk}/",
        "/bijeenkomsten/",
        f"/bijeenkomsten/{meeting.pk}/",
        "/ervaringen/",
        f"/ervaringen/{ervaring.pk}/",
        "/checklists/",
        *[f"/checklists/{slug}/" for slug in Checklist.objects.values_list("slug", flat=True)],
        "/vraag/",
        "/vraag/?voor=jongere",
        "/vraag/kind/",
        "/vraag/?asker_type=ouder&thuiszitter=1",
        "/vraag/terug/",
        "/afspraak/",
        "/vraag/terugbellen/",
        "/vraag/terugbellen/?voor=jongere",
        "/jaarverslag/",
    ]
    if year:
        paths.append(f"/jaarverslag/{year}/")

    # Pages behind a token: a booking's own page and the form to book, a meeting's sign-off.
    # Two different times: booking the first may fill it, and the booking form is
    # checked on a time that is still free when the pages are read.
    slots = list(Slot.objects.bookable().order_by("starts_at")[:2])
    if len(slots) == 2:
        paths.append(f"/afspraak/{slots[1].pk}/")
        # A youth's own words: the times and the form (?voor=jongere).
        paths += ["/afspraak/?voor=jongere", f"/afspraak/{slots[1].pk}/?voor=jongere"]
        booked = appointments.book(slot=slots[0], name="Demo Ouder", email="ouder@example.org")
        paths.append(f"/afspraak/beheer/{booked.token}/")
    registration = meetings.sign_up(meeting=meeting, name="Demo Ouder", email="ouder@example.org")
    token = "demo-afmelden-" + "x" * 24
    Registration.objects.filter(pk=registration.pk).update(cancel_token_hash=meetings._hash(token))
    paths.append(f"/bijeenkomsten/afmelden/{token}/")

    staff = User.objects.get(username="medewerker")
    question = "Mijn zoon zit al drie weken thuis. Wat kan ik doen?"
    case, code = actions.submit_question(question=question, asker_type=AskerType.OUDER)
    actions.assign(case=case, by=staff, assignee=staff)
    actions.send_answer(case=case, by=staff, body="Wat goed dat u het vraagt. Bel ons gerust.")
    # The page behind an expert's own link (steunen/expertlinks.py): the advice question.
    consultation = backoffice_actions.ask_advice(
        case=case, by=staff, question="Wat zou u deze ouder adviseren?", expert_name="J. de Vries"
    )
    expert_url = expertlinks.make_link(consultation=consultation, by=staff)
    paths.append("/advies/" + expert_url.split("/advies/", 1)[1])
    _youth_case, youth_code = actions.submit_question(
        question="Ik word gepest en wil naar een andere school.", asker_type=AskerType.JONGERE
    )
    closed_case, closed_code = actions.submit_question(question=question, asker_type="ouder")
    actions.assign(case=closed_case, by=staff, assignee=staff)
    actions.close(case=closed_case, by=staff, outcome="informatie")
    checklists = [p for p in paths if p.startswith("/checklists/") and p != "/checklists/"]
    dutch_only = (
        *checklists[1:],
        "/zoeken/?q=qqqzzzxxy",
        "/wegwijzer/?wie=jongere&wat=niet-goed",
        "/scholen/?soort=vo&ondersteuning=autisme",
        "/vraag/?asker_type=ouder&thuiszitter=1",
    )
    return Demo(
        paths=tuple(paths),
        dutch_only=dutch_only,
        topic_paths=tuple(topic_paths),
        asker=Asker(code),
        youth=Asker(youth_code, youth=True),
        closed=Asker(closed_code),
    )


def public_route_names() -> set[str]:
    """The named routes of the public site (the URLconf's language-prefixed part)."""
    staff = ("medewerkers/", "redactie/", "signalen/", "account/", "beheer/")
    names = set()

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, route)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not route.lstrip("^").startswith(staff)
            ):
                names.add(namespace + pattern.name)

    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and isinstance(resolver.pattern, LocalePrefixPattern):
            walk(resolver.url_patterns, "", "")
    return names
