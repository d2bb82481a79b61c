"""Generated, fictional cases for the demo region: two years at a realistic volume.

Deterministic (a fixed seed), so every newcomer sees the same inbox. The
texts are short and generic; no real person is in them.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from informeren.models import (
    Organisatie,
    Samenwerkingsverband,
    School,
    SchoolType,
    SwvGemeente,
    Thema,
)
from steunen.models import (
    Activity,
    AskerType,
    CannedAnswer,
    Case,
    CaseEvent,
    Channel,
    ContactPreference,
    EventKind,
    Feestdag,
    InternalNote,
    Message,
    Outcome,
    Referral,
    Sender,
    TimeEntry,
    hash_code,
)
from steunen.workdays import add_working_days
from steunpunt.roles import Role

# A fixed code for one demo case, so a newcomer can try "Mijn vraag".
DEMO_CODE = "LNDW-VRAG-2345-6789"

QUESTIONS = {
    "schoolkeuze": [
        "Onze dochter gaat volgend jaar naar de middelbare school. Welke scholen in de buurt "
        "hebben ervaring met autisme?",
        "Hoe weet ik welke ondersteuning een school kan bieden voordat ik mijn kind aanmeld?",
    ],
    "aanmelden": [
        "De school zegt dat ze vol zitten, maar ik denk dat het om de extra hulp gaat. "
        "Mag dat zomaar?",
        "Ik heb mijn zoon tien weken geleden aangemeld en nog steeds geen antwoord. "
        "Wat kan ik doen?",
    ],
    "ondersteuning": [
        "Mijn kind krijgt een OPP. Moet ik daar iets mee en mag ik zeggen dat ik het er niet "
        "mee eens ben?",
        "School wil extra hulp stoppen omdat het geld op zou zijn. Klopt dat?",
        "Wat valt er onder basisondersteuning en wat niet?",
    ],
    "niet-goed": [
        "Mijn zoon zit al zes weken thuis. School zegt dat ze niets meer voor hem kunnen doen.",
        "Ik word steeds gebeld om mijn dochter eerder op te halen. Is dat normaal?",
        "Er is sprake van een schorsing. Wat zijn mijn rechten?",
    ],
    "meepraten": [
        "Hoe kan ik als ouder meepraten over het ondersteuningsplan van het samenwerkingsverband?",
    ],
    "rechten": [
        "Ik ben het niet eens met de school. Waar kan ik terecht als praten niet helpt?",
        "Mag de school zonder mijn toestemming een onderzoek laten doen?",
    ],
}
YOUTH_QUESTIONS = [
    "Ik vind school heel zwaar en mijn mentor luistert niet. Wat kan ik doen?",
    "Ik wil naar een andere school maar mijn ouders en school zijn het niet eens.",
    "Mag ik zelf meepraten over mijn plan op school?",
]
ANSWERS = [
    "Dank voor uw vraag. Wij leggen hieronder uit hoe het werkt en wat u kunt doen. "
    "Wilt u er samen over praten? Dan kunt u ons bellen.",
    "Goed dat u contact opneemt. De school moet hierover met u in gesprek gaan. "
    "Wij kunnen u helpen dat gesprek voor te bereiden.",
    "Wij hebben het voor u uitgezocht. Hieronder staat wat de regels zeggen en welke stap "
    "u nu kunt zetten.",
]
REPLIES = [
    "Dank u wel, dit helpt. Kunt u ook meegaan naar het gesprek?",
    "Ik heb met de school gebeld. Ze willen nu een gesprek plannen.",
]
CANNED = [
    (
        "Eerste reactie",
        "Dank u voor uw vraag. Wij hebben hem goed ontvangen en gaan ermee aan de slag. "
        "Wilt u liever bellen? Dat kan ook.",
    ),
    (
        "Uitleg klachtroute",
        "Bent u het niet eens met de school? Praat eerst met de leerkracht of mentor, en daarna "
        "met de directie. Lukt het dan niet, dan kunt u een klacht indienen bij de "
        "klachtencommissie van de school, of een geschil voorleggen aan de landelijke "
        "geschillencommissie. Wij leggen u graag uit hoe dat werkt.",
    ),
    (
        "Onderwijsconsulent",
        "Als u er met de school en het samenwerkingsverband niet uitkomt, kunt u gratis hulp "
        "vragen aan een onderwijsconsulent. Wij kunnen u daarbij helpen.",
    ),
]

# School types of askers who name no school, roughly as questions come in.
DEMO_SCHOOL_TYPES = [SchoolType.BAO] * 5 + [SchoolType.VO] * 3 + [
    SchoolType.SBO, SchoolType.SO, SchoolType.VSO,
]  # fmt: skip
# Parents ask most; youths, a few children and professionals (a teacher, a wijkteam
# worker: "iemand anders") the rest.
WEIGHTED_ASKERS = (
    [AskerType.OUDER] * 70
    + [AskerType.JONGERE] * 14
    + [AskerType.KIND] * 3
    + [AskerType.ANDER] * 13
)
WEIGHTED_CHANNELS = (
    [Channel.WEB] * 11 + [Channel.TELEFOON] * 6 + [Channel.EMAIL] * 2 + [Channel.INLOOP]
)
WEIGHTED_OUTCOMES = (
    [Outcome.INFORMATIE] * 8
    + [Outcome.TERUG_NAAR_SCHOOL] * 4
    + [Outcome.GESPREK_SCHOOL] * 3
    + [Outcome.ONDERWIJSCONSULENT] * 2
    + [Outcome.KLACHTROUTE] * 2
    + [Outcome.BUDDY, Outcome.ANDERS]
)
# How often each theme comes up, out of 100.
THEME_WEIGHTS = {
    "ondersteuning": 30,
    "niet-goed": 24,
    "aanmelden": 14,
    "schoolkeuze": 12,
    "rechten": 14,
    "meepraten": 6,
}
# The school year's rhythm, per month: choosing and applying for a school in winter,
# trouble after the start of the year, quiet in the summer holidays (mid July to
# the end of August) and around Christmas.
MONTH_WEIGHTS = [1.0, 0.95, 1.15, 1.0, 0.9, 1.1, 0.55, 0.3, 1.35, 1.15, 1.1, 0.7]
SEASONAL_THEMES = {
    "schoolkeuze": {1: 1.8, 2: 1.8, 3: 1.5, 11: 1.3, 12: 1.3},
    "aanmelden": {2: 1.6, 3: 2.0, 4: 1.6, 8: 1.3},
    "niet-goed": {9: 1.3, 10: 1.4, 11: 1.3, 6: 0.8},
}
# Where askers live: most in the largest gemeente.
GEMEENTE_WEIGHTS = {"Lindewaarde": 5, "Hazelbroek": 2, "Ravensloot": 2, "Veldmeer": 1.5}
PER_YEAR = 600  # questions a year for a region of two SWVs of this size
CHILD_QUESTIONS = [
    "Ik word gepest in de klas en de juf doet er niks aan. Wat kan ik doen?",
    "Ik wil graag naar dezelfde school als mijn zus maar dat mag niet. Waarom niet?",
]
PROFESSIONAL_QUESTIONS = [
    "Ik werk in het wijkteam. Een gezin vraagt wat het samenwerkingsverband kan doen "
    "voor een kind dat al maanden thuiszit. Waar verwijs ik ze heen?",
    "Als leerkracht wil ik ouders goed uitleggen wat een OPP is. Hebben jullie iets "
    "dat ik kan meegeven?",
]


def load_canned_answers() -> None:
    for title, body in CANNED:
        CannedAnswer.objects.get_or_create(title=title, defaults={"body": body})


def _weighted_days(rng: random.Random, today: date, count: int) -> list[date]:
    """`count` days of the last two years, by the school year's rhythm, fewer at
    weekends, and a little more lately (the steunpunt became better known)."""
    days = [today - timedelta(days=age) for age in range(730, 0, -1)]
    weights = [
        MONTH_WEIGHTS[day.month - 1]
        * (0.3 if day.weekday() >= 5 else 1.0)
        * (0.85 + 0.3 * index / len(days))
        for index, day in enumerate(days)
    ]
    return sorted(rng.choices(days, weights=weights, k=count))


def _theme_for(rng: random.Random, month: int) -> str:
    slugs = list(THEME_WEIGHTS)
    weights = [THEME_WEIGHTS[s] * SEASONAL_THEMES.get(s, {}).get(month, 1.0) for s in slugs]
    return rng.choices(slugs, weights=weights)[0]


def _question_text(rng: random.Random, asker: str, theme_slug: str) -> str:
    if asker == AskerType.JONGERE:
        return rng.choice(YOUTH_QUESTIONS)
    if asker == AskerType.KIND:
        return rng.choice(CHILD_QUESTIONS)
    if asker == AskerType.ANDER and rng.random() < 0.5:
        return rng.choice(PROFESSIONAL_QUESTIONS)
    return rng.choice(QUESTIONS[theme_slug])


@transaction.atomic
def generate_cases(count: int | None = None, seed: int = 2026) -> int:
    """Create two years of cases (about PER_YEAR a year), unless cases exist.

    Each case goes through the case's own state machine (assign_to, record_answer,
    close) in memory; the rows are then written in bulk, a few queries per table,
    so the demo loads fast at a realistic volume."""
    if Case.objects.exists():
        return 0
    count = count if count is not None else 2 * PER_YEAR
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    holidays = list(Feestdag.objects.values_list("date", flat=True))
    themes = {t.slug: t for t in Thema.objects.all()}
    schools = list(School.objects.select_related("samenwerkingsverband"))
    gemeenten = SwvGemeente.gemeenten()
    gemeente_weights = [GEMEENTE_WEIGHTS.get(g, 1) for g in gemeenten]
    swv_of: dict[tuple[str, str], Samenwerkingsverband | None] = {}
    organisaties = list(Organisatie.objects.all())
    staff = list(
        get_user_model()
        .objects.filter(groups__name__in=[Role.MEDEWERKER.value, Role.COORDINATOR.value])
        .distinct()
    )
    buddy = get_user_model().objects.filter(groups__name=Role.VRIJWILLIGER.value).first()
    days = _weighted_days(rng, today, count - 1)
    # The newcomer's own question (index 0): a day old, answered, waiting for them.
    days.insert(0, today - timedelta(days=1))
    # Labels once, not a lazy translation per case.
    channel_labels = {value: str(label) for value, label in Channel.choices}
    outcome_labels = {value: str(label) for value, label in Outcome.choices}
    cases: list[Case] = []
    themes_of: list[set[str]] = []
    later: list[
        tuple[Case, str, dict[str, Any]]
    ] = []  # (case, model, fields) written after the cases
    for index, day in enumerate(days):
        age_days = (today - day).days
        received = timezone.make_aware(
            datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)))
        )
        received = min(received, now - timedelta(minutes=30))
        theme_slug = _theme_for(rng, day.month)
        asker = rng.choice(WEIGHTED_ASKERS)
        text = _question_text(rng, asker, theme_slug)
        school = rng.choice(schools) if schools and rng.random() < 0.7 else None
        if school:
            gemeente, school_type = school.gemeente, school.school_type
            swv = school.samenwerkingsverband
        else:
            # Without a school most askers still say where they live and the school type.
            gemeente = (
                rng.choices(gemeenten, weights=gemeente_weights)[0]
                if gemeenten and rng.random() < 0.85
                else ""
            )
            school_type = rng.choice(DEMO_SCHOOL_TYPES) if rng.random() < 0.8 else ""
            if (gemeente, school_type) not in swv_of:
                swv_of[gemeente, school_type] = SwvGemeente.swv_for(gemeente, school_type)
            swv = swv_of[gemeente, school_type]
        thuiszitter = theme_slug == "niet-goed" and rng.random() < 0.35
        contact = rng.choice(list(ContactPreference))
        code = DEMO_CODE if index == 0 else f"demo-{seed}-{index}"
        due = add_working_days(
            timezone.localtime(received), settings.FIRST_RESPONSE_WORKING_DAYS, holidays
        )
        case = Case(
            code_hash=hash_code(code),
            channel=rng.choice(WEIGHTED_CHANNELS),
            asker_type=asker,
            school=school,
            school_type=school_type,
            samenwerkingsverband=swv,
            gemeente=gemeente,
            thuiszitter=thuiszitter,
            urgent=thuiszitter,
            contact_preference=contact,
            email="ouder@voorbeeld.example" if contact == ContactPreference.EMAIL else "",
            phone="0612345678" if contact == ContactPreference.PHONE else "",
            created_at=received,
            response_due_at=due,
            attention_at=None,
        )
        cases.append(case)
        themes_of.append(
            {theme_slug} | ({_theme_for(rng, day.month)} if rng.random() < 0.3 else set())
        )
        later.append((case, "message", {"sender": Sender.ASKER, "body": text, "at": received}))
        channel_text = f"via {channel_labels[case.channel].lower()}"
        later.append(
            (case, "event", {"kind": EventKind.CREATED, "detail": channel_text, "at": received})
        )
        handler = rng.choice(staff) if staff else None
        fresh = age_days < 3 and index != 0
        if fresh and rng.random() < 0.6:
            # Still new: nobody has answered yet.
            case.attention_at = case.response_due_at
            continue
        answered = received + timedelta(hours=rng.randint(1, 60))
        answered = min(answered, now - timedelta(minutes=5))
        # Through the case's own state machine, at the times of the story.
        if buddy:
            # A buddy is never the behandelaar (steunen/buddy_demo.py puts buddies on
            # cases beside them); the draw stays so the rest of the story stays the same.
            rng.random()
        case.assign_to(handler)
        later.append(
            (
                case,
                "message",
                {"sender": Sender.STAFF, "author": handler, "body": rng.choice(ANSWERS),
                 "at": answered},
            )
        )  # fmt: skip
        later.append((case, "event", {"actor": handler, "kind": EventKind.MESSAGE_SENT,
                                      "at": answered}))  # fmt: skip
        case.record_answer(answered)
        for _ in range(rng.randint(1, 4)):
            later.append((case, "time", {"author": handler, "at": answered}))
        if rng.random() < 0.2 and organisaties:
            organisatie = rng.choice(organisaties)
            later.append((case, "referral", {"organisatie": organisatie, "author": handler,
                                             "at": answered}))  # fmt: skip
            later.append((case, "event", {"actor": handler, "kind": EventKind.REFERRED,
                                          "detail": organisatie.name, "at": answered}))  # fmt: skip
        if rng.random() < 0.15:
            later.append((case, "note", {"author": handler, "at": answered}))
        if age_days > 21 or (age_days > 5 and rng.random() < 0.5):
            closed = answered + timedelta(days=rng.randint(1, 20))
            closed = min(closed, now - timedelta(minutes=1))
            case.close(rng.choice(WEIGHTED_OUTCOMES), closed)
            later.append((case, "event", {"actor": handler, "kind": EventKind.CLOSED,
                                          "detail": outcome_labels[case.outcome],
                                          "at": closed}))  # fmt: skip
        elif rng.random() < 0.4 and index != 0:
            reply_at = min(
                answered + timedelta(hours=rng.randint(2, 48)), now - timedelta(minutes=2)
            )
            later.append((case, "message", {"sender": Sender.ASKER, "body": rng.choice(REPLIES),
                                            "at": reply_at}))  # fmt: skip
            later.append((case, "event", {"kind": EventKind.ASKER_REPLIED, "at": reply_at}))
            # As response_due() would, without a query per case.
            case.unanswered_reply = True
            case.attention_at = case.attention_at or add_working_days(
                timezone.localtime(reply_at), settings.FIRST_RESPONSE_WORKING_DAYS, holidays
            )
            case.record_asker_reply(reply_at)
    Case.objects.bulk_create(cases)
    links = [
        Case.themes.through(case_id=case.pk, thema_id=themes[slug].pk)
        for case, slugs in zip(cases, themes_of, strict=True)
        for slug in sorted(slugs)
        if slug in themes
    ]
    Case.themes.through.objects.bulk_create(links)
    rows: dict[str, list[Any]] = {
        "message": [], "event": [], "time": [], "referral": [], "note": []
    }  # fmt: skip
    for case, kind, fields in later:
        at = fields.pop("at")
        if kind == "message":
            rows[kind].append(Message(case=case, created_at=at, **fields))
        elif kind == "event":
            rows[kind].append(CaseEvent(case=case, created_at=at, **fields))
        elif kind == "time":
            rows[kind].append(
                TimeEntry(
                    case=case,
                    minutes=rng.choice([10, 15, 20, 30, 45, 60, 90]),
                    activity=rng.choice(list(Activity)),
                    date=timezone.localdate(at),
                    created_at=at,
                    **fields,
                )
            )
        elif kind == "referral":
            rows[kind].append(Referral(case=case, created_at=at, **fields))
        else:
            rows[kind].append(
                InternalNote(
                    case=case, body="Terugbellen na het gesprek op school.", created_at=at, **fields
                )
            )
    Message.objects.bulk_create(rows["message"])
    CaseEvent.objects.bulk_create(rows["event"])
    TimeEntry.objects.bulk_create(rows["time"])
    Referral.objects.bulk_create(rows["referral"])
    InternalNote.objects.bulk_create(rows["note"])
    return len(cases)


def load_demo(data: dict[str, Any]) -> list[str]:
    """This pillar's demo: the holidays (from fixtures/demo_region.toml), canned answers,
    questions and their cases, evaluations, appointments, buddies and the back office.
    Runs after informeren's demo (the cases name its schools); returns what to print."""
    from steunen import afspraak_demo, backoffice_demo, buddy_demo, demo_evaluations

    for day, name in data["feestdagen"]:
        Feestdag.objects.update_or_create(date=date.fromisoformat(day), defaults={"name": name})
    load_canned_answers()
    generate_cases()
    demo_evaluations.generate_evaluations()
    afspraak_demo.generate_appointments()
    buddy_demo.generate_buddies()
    backoffice_demo.generate_backoffice()
    return [
        f"{Case.objects.count()} cases.",
        f"Try 'Mijn vraag' (/vraag/terug/) with the demo code {DEMO_CODE}",
    ]
