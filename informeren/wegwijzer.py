"""The wegwijzer: a few plain questions that lead to what fits (/wegwijzer/).

Who are you, what is going on, which school type and which gemeente (the
last two may be skipped) lead to one page with the two or three topics that
matter most, in the visitor's own variant, the organisations that work in
that gemeente (national ones always), the next meeting, and a link to the
question form with these answers filled in.

Every answer is in the address, so a result can be shared and the page is
the same for everyone who opens it (``public_page``): nothing is kept about
the visitor, no session and no cookie. Without JavaScript each question is
a page of its own (a GET form); with htmx the next question is swapped in
place and the address moves along. The redactie keeps the routes
(``WegwijzerRoute``); without one the topics of the situation's theme are
shown.
"""

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_stubs_ext import StrOrPromise

from informeren.models import (
    Meeting,
    MeetingAudience,
    Organisatie,
    ReadKind,
    Revision,
    School,
    SchoolType,
    Topic,
    WegwijzerAudience,
    WegwijzerRoute,
    WegwijzerSituation,
    Werkgebied,
)
from informeren.rendering import render_markdown
from steunpunt.cache import kept, public_page
from steunpunt.http import HtmxHttpRequest

Audience = WegwijzerAudience
Situation = WegwijzerSituation

# The questions, in order; each is a parameter of the address.
WIE, WAT, SCHOOL, GEMEENTE = "wie", "wat", "school", "gemeente"

# (value, label) of one answer; keys below are the choices' values (str).
Option = tuple[str, StrOrPromise]

WHO_OPTIONS: list[Option] = [
    (Audience.OUDER, _("Ik ben ouder of verzorger")),
    (Audience.JONGERE, _("Ik ben een jongere van 12 jaar of ouder")),
    (Audience.KIND, _("Ik ben een kind, jonger dan 12 jaar")),
]

SITUATION_OPTIONS: dict[str, list[Option]] = {
    Audience.OUDER: [
        (Situation.SCHOOL, _("Ik zoek een school voor mijn kind")),
        (Situation.NIET_GOED, _("Het gaat niet goed op school")),
        (Situation.THUIS, _("Mijn kind zit thuis en gaat niet naar school")),
        (Situation.ONEENS, _("Ik ben het niet eens met de school")),
        (Situation.ANDERS, _("Iets anders")),
    ],
    Audience.JONGERE: [
        (Situation.SCHOOL, _("Ik zoek een school")),
        (Situation.NIET_GOED, _("Het gaat niet goed op school")),
        (Situation.THUIS, _("Ik zit thuis en ga niet naar school")),
        (Situation.ONEENS, _("Ik ben het niet eens met mijn school")),
        (Situation.ANDERS, _("Iets anders")),
    ],
    Audience.KIND: [
        (Situation.SCHOOL, _("Ik ga naar een andere school")),
        (Situation.NIET_GOED, _("Het gaat niet fijn op school")),
        (Situation.THUIS, _("Ik ga nu niet naar school")),
        (Situation.ONEENS, _("Ik vind iets niet eerlijk op school")),
        (Situation.ANDERS, _("Iets anders")),
    ],
}

SCHOOL_LABELS: dict[str, StrOrPromise] = {
    SchoolType.BAO: _("Basisschool"),
    SchoolType.SBO: _("Speciale basisschool (sbo)"),
    SchoolType.SO: _("Speciale school (so)"),
    SchoolType.VO: _("Middelbare school: vmbo, havo of vwo"),
    SchoolType.VSO: _("Voortgezet speciaal onderwijs (vso)"),
    SchoolType.PRO: _("Praktijkonderwijs"),
    SchoolType.MBO: _("Mbo"),
}
# A child under 12 is at a primary school of some kind: only those, in a child's words.
CHILD_SCHOOL_LABELS: dict[str, StrOrPromise] = {
    SchoolType.BAO: _("Een gewone basisschool"),
    SchoolType.SBO: _("Een speciale basisschool"),
    SchoolType.SO: _("Een speciale school"),
}

# The theme a situation belongs to: the question's theme, and the topics
# shown when the redactie made no route. "Iets anders" has none.
SITUATION_THEME: dict[str, str] = {
    Situation.SCHOOL: "schoolkeuze",
    Situation.NIET_GOED: "niet-goed",
    Situation.THUIS: "niet-goed",
    Situation.ONEENS: "niet-goed",
    Situation.ANDERS: "",
}

# The number a wegwijzer outcome (who, what is going on) is counted under
# when its result page is read (informeren/usage.py, DailyReads.object_id):
# nothing else of the answers, and nothing of the visitor. Fixed: a number
# keeps its meaning in earlier months; a new outcome gets a new number.
OUTCOME_NUMBERS: dict[tuple[str, str], int] = {
    (Audience.OUDER, Situation.SCHOOL): 1,
    (Audience.OUDER, Situation.NIET_GOED): 2,
    (Audience.OUDER, Situation.THUIS): 3,
    (Audience.OUDER, Situation.ONEENS): 4,
    (Audience.OUDER, Situation.ANDERS): 5,
    (Audience.JONGERE, Situation.SCHOOL): 6,
    (Audience.JONGERE, Situation.NIET_GOED): 7,
    (Audience.JONGERE, Situation.THUIS): 8,
    (Audience.JONGERE, Situation.ONEENS): 9,
    (Audience.JONGERE, Situation.ANDERS): 10,
    (Audience.KIND, Situation.SCHOOL): 11,
    (Audience.KIND, Situation.NIET_GOED): 12,
    (Audience.KIND, Situation.THUIS): 13,
    (Audience.KIND, Situation.ONEENS): 14,
    (Audience.KIND, Situation.ANDERS): 15,
}
OUTCOMES = {number: outcome for outcome, number in OUTCOME_NUMBERS.items()}

# Which text of a topic each audience reads, best first.
VARIANTS: dict[str, tuple[str, ...]] = {
    Audience.OUDER: ("ouders",),
    Audience.JONGERE: ("jongeren", "ouders"),
    Audience.KIND: ("kinderen", "jongeren", "ouders"),
}

MEETING_AUDIENCES: dict[str, tuple[str, str]] = {
    Audience.OUDER: (MeetingAudience.OUDERS, MeetingAudience.IEDEREEN),
    Audience.JONGERE: (MeetingAudience.JONGEREN, MeetingAudience.IEDEREEN),
    # Children do not go to meetings alone: the next one for everyone or their parents.
    Audience.KIND: (MeetingAudience.IEDEREEN, MeetingAudience.OUDERS),
}

# Each question in the words of its audience: (question, hint). The first is
# asked before anyone said who they are, so it needs neither "u" nor "je".
QUESTIONS: dict[str, dict[str, tuple[StrOrPromise, StrOrPromise]]] = {
    WIE: {
        "": (_("Wie zoekt er hulp?"), _("Kies wat het beste past.")),
    },
    WAT: {
        Audience.OUDER: (
            _("Wat is er aan de hand?"),
            _("Kies wat het meest lijkt op uw situatie."),
        ),
        Audience.JONGERE: (
            _("Wat is er aan de hand?"),
            _("Kies wat het meest lijkt op jouw situatie."),
        ),
        Audience.KIND: (_("Wat is er aan de hand?"), _("Kies wat het beste past.")),
    },
    SCHOOL: {
        Audience.OUDER: (
            _("Om wat voor school gaat het?"),
            _("Dit hoeft u niet te zeggen. Het helpt wel om de juiste informatie te vinden."),
        ),
        Audience.JONGERE: (
            _("Om wat voor school gaat het?"),
            _("Dit hoef je niet te zeggen. Het helpt wel om de juiste informatie te vinden."),
        ),
        Audience.KIND: (
            _("Op wat voor school zit je nu?"),
            _("Weet je het niet? Dat is niet erg."),
        ),
    },
    GEMEENTE: {
        Audience.OUDER: (
            _("In welke gemeente woont u?"),
            _("Dan ziet u wie er bij u in de buurt helpt. Dit hoeft u niet te zeggen."),
        ),
        Audience.JONGERE: (
            _("In welke gemeente woon je?"),
            _("Dan zie je wie er bij jou in de buurt helpt. Dit hoef je niet te zeggen."),
        ),
        Audience.KIND: (_("Waar woon je?"), _("Weet je het niet? Dat is niet erg.")),
    },
}

MAX_TOPICS = 3


@dataclass(frozen=True)
class Answers:
    """What the visitor chose so far. ``None``: not asked yet; ``""``: skipped."""

    wie: str = ""
    wat: str = ""
    school: str | None = None
    gemeente: str | None = None

    def query(self, *, without: str = "") -> str:
        """These answers as a query string (without one of them, to ask it again)."""
        pairs = [
            (name, value)
            for name, value in (
                (WIE, self.wie),
                (WAT, self.wat),
                (SCHOOL, self.school),
                (GEMEENTE, self.gemeente),
            )
            if value is not None and name != without and (value or name in (SCHOOL, GEMEENTE))
        ]
        return urlencode(pairs)

    @property
    def youth(self) -> bool:
        """A youth or a child: the page says "je"."""
        return self.wie in (Audience.JONGERE, Audience.KIND)

    @property
    def child(self) -> bool:
        return self.wie == Audience.KIND


@dataclass
class Step:
    """One question on its page."""

    name: str
    number: int
    total: int
    options: list[Option]
    answers: Answers
    unknown: bool = False  # an answer came that is not among the options
    hidden: list[tuple[str, str]] = field(default_factory=list)

    @property
    def question(self) -> str:
        return str(self._texts()[0])

    @property
    def hint(self) -> str:
        return str(self._texts()[1])

    def _texts(self) -> tuple[StrOrPromise, StrOrPromise]:
        texts = QUESTIONS[self.name]
        return texts.get(self.answers.wie) or texts[""]

    @property
    def back_url(self) -> str:
        """The question before this one, with the answers before that."""
        if self.number == 1:
            return ""
        previous = (WIE, WAT, SCHOOL, GEMEENTE)[self.number - 2]
        return _address(self.answers.query(without=previous))


def _address(query: str) -> str:
    base = reverse("informeren:wegwijzer")
    return f"{base}?{query}" if query else base


def gemeenten() -> list[str]:
    """The region's gemeenten: those of its schools."""
    return kept(
        "wegwijzer-gemeenten",
        lambda: list(
            School.objects.order_by("gemeente").values_list("gemeente", flat=True).distinct()
        ),
    )


def school_options(audience: str) -> list[Option]:
    labels = CHILD_SCHOOL_LABELS if audience == Audience.KIND else SCHOOL_LABELS
    skip = (
        _("Weet ik niet") if audience == Audience.KIND else _("Weet ik niet, of zeg ik liever niet")
    )
    return [*labels.items(), ("", skip)]


def gemeente_options(audience: str, known: list[str]) -> list[Option]:
    skip = (
        _("Weet ik niet") if audience == Audience.KIND else _("Weet ik niet, of zeg ik liever niet")
    )
    return [*((g, g) for g in known), ("", skip)]


def read_answers(query: QueryDict, known_gemeenten: list[str]) -> tuple[Answers, Step | None]:
    """The answers in the address, and the question to ask next (None: all answered).

    An answer that is not among the options is never used: that question is
    asked again, saying so.
    """
    total = 4 if known_gemeenten else 3
    wie = query.get(WIE, "")
    if wie not in Audience.values:
        return Answers(), _step(WIE, 1, total, WHO_OPTIONS, Answers(), query, unknown=bool(wie))
    answers = Answers(wie=wie)
    wat = query.get(WAT, "")
    options = SITUATION_OPTIONS[wie]
    if wat not in dict(options):
        return answers, _step(WAT, 2, total, options, answers, query, unknown=bool(wat))
    answers = replace(answers, wat=wat)
    school = query.get(SCHOOL)
    if school is None or (school and school not in SchoolType.values):
        unknown = school is not None
        return answers, _step(
            SCHOOL, 3, total, school_options(wie), answers, query, unknown=unknown
        )
    answers = replace(answers, school=school)
    if not known_gemeenten:
        return replace(answers, gemeente=""), None
    gemeente = query.get(GEMEENTE)
    if gemeente:
        by_name = {g.casefold(): g for g in known_gemeenten}
        gemeente = by_name.get(gemeente.strip().casefold(), gemeente)
    if gemeente is None or (gemeente and gemeente not in known_gemeenten):
        options = gemeente_options(wie, known_gemeenten)
        unknown = gemeente is not None
        return answers, _step(GEMEENTE, 4, total, options, answers, query, unknown=unknown)
    return replace(answers, gemeente=gemeente), None


def _step(
    name: str,
    number: int,
    total: int,
    options: list[Option],
    answers: Answers,
    query: QueryDict,
    *,
    unknown: bool,
) -> Step:
    """A question, carrying the answers given so far and those given later (a change)."""
    step = Step(name, number, total, options, answers, unknown=unknown)
    order = (WIE, WAT, SCHOOL, GEMEENTE)
    for earlier in order[: order.index(name)]:
        step.hidden.append((earlier, getattr(answers, earlier)))
    # A visitor who changes one answer on the result page keeps the others:
    # they come along and, when still valid, lead straight back to the result.
    for later in order[order.index(name) + 1 :]:
        if later in query:
            step.hidden.append((later, (query.get(later) or "")[:100]))
    return step


# --- The result -----------------------------------------------------------------------


@dataclass(frozen=True)
class RouteInfo:
    """What the result page needs of a route of the redactie."""

    pk: int
    topic_ids: tuple[int, ...]
    thema: str  # the slug of the question's theme, or ""
    intro: str
    organisatie_ids: tuple[int, ...]


@dataclass(frozen=True)
class TopicLink:
    """A topic as the result page links it: ``lead`` is the link's text, ``rest`` follows it."""

    pk: int
    title: str
    url: str
    audience: str  # the variant the link opens
    lead: str
    rest: str


@dataclass(frozen=True)
class OrganisationIndex:
    """Every organisation (by name), where the regional ones work, and whom each topic names."""

    by_pk: dict[int, Organisatie]
    areas: dict[int, frozenset[str]]  # none: the whole region
    of_topic: dict[int, tuple[int, ...]]


# What follows is kept in this process under the content version
# (steunpunt.cache.kept): made from published content alone, the same for
# everyone. The topics are kept per audience, situation and school type, all
# checked against their choices first, so there are at most 3 x 5 x 8 keys.


def _routes() -> dict[tuple[str, str, str], RouteInfo]:
    def build() -> dict[tuple[str, str, str], RouteInfo]:
        routes = WegwijzerRoute.objects.select_related("thema").prefetch_related(
            Prefetch("organisaties", queryset=Organisatie.objects.only("pk"))
        )
        return {
            (r.audience, r.situation, r.school_type): RouteInfo(
                pk=r.pk,
                topic_ids=tuple(r.topic_ids()),
                thema=r.thema.slug if r.thema else "",
                intro=r.intro,
                organisatie_ids=tuple(o.pk for o in r.organisaties.all()),
            )
            for r in routes
        }

    return kept("wegwijzer-routes", build)


def find_route(answers: Answers) -> RouteInfo | None:
    """The redactie's route for these answers: one for the school type before a general one."""
    routes = _routes()
    return routes.get((answers.wie, answers.wat, answers.school or "")) or routes.get(
        (answers.wie, answers.wat, "")
    )


def _theme(answers: Answers, route: RouteInfo | None) -> str:
    return route.thema if route and route.thema else SITUATION_THEME[answers.wat]


def _excerpt(revision: Revision, variant: str) -> str:
    """The opening of a youth or child text: a summary in their own words."""
    text = getattr(revision, f"national_{variant}") or getattr(revision, f"regional_{variant}")
    first = next((p for p in text.strip().split("\n\n") if p.strip()), "")
    return Truncator(strip_tags(render_markdown(first)).strip()).words(30)


def _first_sentence(text: str) -> tuple[str, str]:
    match = re.match(r"(.+?[.?!])\s+(.*)", text, re.DOTALL)
    return (match.group(1), match.group(2)) if match else (text, "")


def topic_links(answers: Answers) -> list[TopicLink]:
    """The route's topics that are published, topped up from the situation's theme."""
    key = f"wegwijzer-topics:{answers.wie}:{answers.wat}:{answers.school or ''}"
    return kept(key, lambda: _topic_links(answers, find_route(answers)))


def _audiences(topic: Topic) -> list[str]:
    revision = topic.published_revision
    return revision.audiences() if revision else []


def _topic_links(answers: Answers, route: RouteInfo | None) -> list[TopicLink]:
    published = Topic.objects.published().select_related("published_revision")
    chosen: list[Topic] = []
    if route is not None:
        by_pk = {t.pk: t for t in published.filter(pk__in=route.topic_ids)}
        chosen = [by_pk[pk] for pk in route.topic_ids if pk in by_pk]
    if len(chosen) < 2:
        theme = _theme(answers, route)
        more = published.exclude(pk__in=[t.pk for t in chosen]).order_by("position", "title")
        if theme:
            more = more.filter(themes__slug=theme)
        candidates = list(more[:20])
        if answers.youth:
            # A youth or child reads first what was written for them.
            wanted = VARIANTS[answers.wie][0]
            candidates.sort(key=lambda t: wanted not in _audiences(t))
        chosen += candidates[: MAX_TOPICS - len(chosen)]
    links = []
    for topic in chosen:
        revision = topic.published_revision
        if revision is None:
            continue  # published() holds only pages with one
        has = revision.audiences()
        variant = next(v for v in VARIANTS[answers.wie] if v in has)
        if variant == "ouders":
            # A parent's summary says "u": a youth or child sees only the title.
            rest = topic.summary if answers.wie == Audience.OUDER else ""
            url = topic.get_absolute_url()
            links.append(TopicLink(topic.pk, topic.title, url, variant, topic.title, rest))
            continue
        # Titles are written for parents ("Als uw kind thuiszit"): a youth or
        # child is led by the first sentence of the text written for them.
        lead, rest = _first_sentence(_excerpt(revision, variant))
        url = reverse("informeren:topic_audience", args=[topic.slug, variant])
        links.append(TopicLink(topic.pk, topic.title, url, variant, lead or topic.title, rest))
    return links


def _organisations() -> OrganisationIndex:
    def build() -> OrganisationIndex:
        areas: dict[int, set[str]] = {}
        for pk, gemeente in Werkgebied.objects.values_list("organisatie_id", "gemeente"):
            areas.setdefault(pk, set()).add(gemeente)
        of_topic: dict[int, list[int]] = {}
        links = Topic.organisaties.through.objects.values_list("topic_id", "organisatie_id")
        for topic_id, organisatie_id in links:
            of_topic.setdefault(topic_id, []).append(organisatie_id)
        return OrganisationIndex(
            by_pk={o.pk: o for o in Organisatie.objects.order_by("name")},
            areas={pk: frozenset(names) for pk, names in areas.items()},
            of_topic={pk: tuple(ids) for pk, ids in of_topic.items()},
        )

    return kept("wegwijzer-organisaties", build)


def organisaties_for(
    answers: Answers, route: RouteInfo | None, topic_ids: list[int]
) -> tuple[list[Organisatie], list[Organisatie]]:
    """(regional, national): those of the route and its topics that work in the gemeente.

    A regional organisation with no gemeenten listed works in the whole region.
    Without a gemeente every regional one is shown.
    """
    index = _organisations()
    wanted = set(route.organisatie_ids if route else ())
    for topic_id in topic_ids:
        wanted.update(index.of_topic.get(topic_id, ()))

    def works_there(organisatie: Organisatie) -> bool:
        area = index.areas.get(organisatie.pk)
        return organisatie.national or not answers.gemeente or not area or answers.gemeente in area

    found = [o for pk, o in index.by_pk.items() if pk in wanted and works_there(o)]
    return [o for o in found if not o.national], [o for o in found if o.national]


def next_meeting(answers: Answers) -> Meeting | None:
    return (
        Meeting.objects.upcoming(timezone.now())
        .filter(audience__in=MEETING_AUDIENCES[answers.wie])
        .first()
    )


def ask_url(answers: Answers, route: RouteInfo | None) -> str:
    """The question form with these answers filled in (steunen.asker_forms.question_initial)."""
    params = []
    if answers.youth:
        params.append(("voor", "jongere"))
    params.append(("asker_type", answers.wie))
    if answers.school:
        params.append(("school_type", answers.school))
    if answers.wat == Situation.THUIS:
        params.append(("thuiszitter", "1"))
    if theme := _theme(answers, route):
        params.append(("thema", theme))
    if answers.gemeente:
        params.append(("gemeente", answers.gemeente))
    return f"{reverse('steunen:ask')}?{urlencode(params)}"


def summary_of(answers: Answers) -> list[tuple[StrOrPromise, StrOrPromise, str]]:
    """(question, answer, link to change it) for the result page."""
    rows = [
        (_("Wie"), dict(WHO_OPTIONS)[answers.wie], WIE),
        (_("Wat is er aan de hand"), dict(SITUATION_OPTIONS[answers.wie])[answers.wat], WAT),
    ]
    if answers.school is not None:
        labels = {**SCHOOL_LABELS, **dict(school_options(answers.wie))}
        rows.append((_("School"), labels.get(answers.school, ""), SCHOOL))
    if answers.gemeente is not None and gemeenten():
        label = answers.gemeente or dict(gemeente_options(answers.wie, []))[""]
        rows.append((_("Gemeente"), label, GEMEENTE))
    return [(q, a, _address(answers.query(without=name))) for q, a, name in rows]


def result_context(answers: Answers) -> dict[str, Any]:
    """Everything the result page shows: made from published content and the answers only."""
    route = find_route(answers)
    links = topic_links(answers)
    regional, national = organisaties_for(answers, route, [link.pk for link in links])
    return {
        "answers": answers,
        "route": route,
        "topics": links,
        "regional": regional,
        "national": national,
        "meeting": next_meeting(answers),
        "ask_url": ask_url(answers, route),
        "summary": summary_of(answers),
        # The page's own script says it was read (counted, never who).
        "read_url": reverse(
            "informeren:read",
            args=[ReadKind.WEGWIJZER, OUTCOME_NUMBERS[(answers.wie, answers.wat)]],
        ),
    }


@require_safe
@public_page
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def wegwijzer(request: HtmxHttpRequest) -> HttpResponse:
    answers, step = read_answers(request.GET, gemeenten())
    if step is None:
        context = result_context(answers)
        context["title"] = _("Dit kan jou helpen") if answers.youth else _("Dit kan u helpen")
    else:
        context = {"step": step, "answers": answers, "title": step.question}
    # htmx swaps the next question in place; restoring history needs the whole page.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context["partial"] = partial
    template = "informeren/wegwijzer.html#wegwijzer" if partial else "informeren/wegwijzer.html"
    return render(request, template, context)
