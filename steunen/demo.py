"""Generated, fictional cases for the demo region: a few hundred over two years.

Deterministic (a fixed seed), so every newcomer sees the same inbox. The
texts are short and generic; no real person is in them.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from informeren.models import Organisatie, School, SchoolType, SwvGemeente, Thema
from steunen.models import (
    Activity,
    AskerType,
    CannedAnswer,
    Case,
    CaseEvent,
    Channel,
    ContactPreference,
    EventKind,
    InternalNote,
    Message,
    Outcome,
    Referral,
    Sender,
    TimeEntry,
    hash_code,
    response_due,
)
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
WEIGHTED_ASKERS = [AskerType.OUDER] * 15 + [AskerType.JONGERE] * 3 + [AskerType.ANDER] * 2
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


def load_canned_answers() -> None:
    for title, body in CANNED:
        CannedAnswer.objects.get_or_create(title=title, defaults={"body": body})


@transaction.atomic
def generate_cases(count: int = 320, seed: int = 2026) -> int:
    """Create ``count`` cases spread over the last two years, unless cases exist."""
    if Case.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    themes = {t.slug: t for t in Thema.objects.all()}
    schools = list(School.objects.select_related("samenwerkingsverband"))
    gemeenten = SwvGemeente.gemeenten()
    organisaties = list(Organisatie.objects.all())
    staff = list(
        get_user_model()
        .objects.filter(groups__name__in=[Role.MEDEWERKER.value, Role.COORDINATOR.value])
        .distinct()
    )
    buddy = get_user_model().objects.filter(groups__name=Role.VRIJWILLIGER.value).first()
    created = 0
    for index in range(count):
        # More questions lately: the steunpunt became better known.
        age_days = int(730 * (1 - rng.random() ** 0.8))
        if index % 10 == 1:
            age_days = rng.randint(0, 14)  # a steady stream of recent questions
        if index == 0:
            age_days = 1  # the newcomer's own question: answered, waiting for them
        day = timezone.localtime(now - timedelta(days=age_days))
        received = day.replace(hour=rng.randint(8, 21), minute=rng.randint(0, 59))
        received = min(received, now - timedelta(minutes=30))
        theme_slug = rng.choice(list(QUESTIONS))
        asker = rng.choice(WEIGHTED_ASKERS)
        text = rng.choice(YOUTH_QUESTIONS if asker == AskerType.JONGERE else QUESTIONS[theme_slug])
        school = rng.choice(schools) if schools and rng.random() < 0.7 else None
        if school:
            gemeente, school_type = school.gemeente, school.school_type
            swv = school.samenwerkingsverband
        else:
            # Without a school most askers still say where they live and the school type.
            gemeente = rng.choice(gemeenten) if gemeenten and rng.random() < 0.85 else ""
            school_type = rng.choice(DEMO_SCHOOL_TYPES) if rng.random() < 0.8 else ""
            swv = SwvGemeente.swv_for(gemeente, school_type)
        thuiszitter = theme_slug == "niet-goed" and rng.random() < 0.35
        channel = rng.choice(WEIGHTED_CHANNELS)
        contact = rng.choice(list(ContactPreference))
        code = DEMO_CODE if index == 0 else f"demo-{seed}-{index}"
        case = Case.objects.create(
            code_hash=hash_code(code),
            channel=channel,
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
            response_due_at=response_due(received),
            attention_at=None,
        )
        chosen = {theme_slug} | ({rng.choice(list(QUESTIONS))} if rng.random() < 0.3 else set())
        case.themes.set([themes[s] for s in chosen if s in themes])
        Message.objects.create(case=case, sender=Sender.ASKER, body=text, created_at=received)
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.CREATED,
            detail=f"via {case.get_channel_display().lower()}",
            created_at=received,
        )
        handler = rng.choice(staff) if staff else None
        fresh = age_days < 3 and index != 0
        if fresh and rng.random() < 0.6:
            # Still new: nobody has answered yet.
            case.attention_at = case.response_due_at
            case.save(update_fields=["attention_at"])
            created += 1
            continue
        answered = received + timedelta(hours=rng.randint(1, 60))
        answered = min(answered, now - timedelta(minutes=5))
        # Through the case's own state machine, at the times of the story.
        case.assign_to(buddy if buddy and rng.random() < 0.05 else handler)
        Message.objects.create(
            case=case,
            sender=Sender.STAFF,
            author=handler,
            body=rng.choice(ANSWERS),
            created_at=answered,
        )
        CaseEvent.objects.create(
            case=case, actor=handler, kind=EventKind.MESSAGE_SENT, created_at=answered
        )
        case.record_answer(answered)
        for _ in range(rng.randint(1, 4)):
            TimeEntry.objects.create(
                case=case,
                author=handler,
                minutes=rng.choice([10, 15, 20, 30, 45, 60, 90]),
                activity=rng.choice(list(Activity)),
                date=timezone.localdate(answered),
                created_at=answered,
            )
        if rng.random() < 0.2 and organisaties:
            organisatie = rng.choice(organisaties)
            Referral.objects.create(
                case=case, organisatie=organisatie, author=handler, created_at=answered
            )
            CaseEvent.objects.create(
                case=case,
                actor=handler,
                kind=EventKind.REFERRED,
                detail=organisatie.name,
                created_at=answered,
            )
        if rng.random() < 0.15:
            InternalNote.objects.create(
                case=case,
                author=handler,
                body="Terugbellen na het gesprek op school.",
                created_at=answered,
            )
        if age_days > 21 or (age_days > 5 and rng.random() < 0.5):
            closed = answered + timedelta(days=rng.randint(1, 20))
            closed = min(closed, now - timedelta(minutes=1))
            case.close(rng.choice(WEIGHTED_OUTCOMES), closed)
            CaseEvent.objects.create(
                case=case,
                actor=handler,
                kind=EventKind.CLOSED,
                detail=case.get_outcome_display(),
                created_at=closed,
            )
        elif rng.random() < 0.4 and index != 0:
            reply_at = min(
                answered + timedelta(hours=rng.randint(2, 48)), now - timedelta(minutes=2)
            )
            Message.objects.create(
                case=case, sender=Sender.ASKER, body=rng.choice(REPLIES), created_at=reply_at
            )
            CaseEvent.objects.create(case=case, kind=EventKind.ASKER_REPLIED, created_at=reply_at)
            case.record_asker_reply(reply_at)
        case.save()
        created += 1
    return created
