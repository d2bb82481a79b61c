"""Generated volume for the benchmarks: pages, schools and cases in bulk."""

import random
import secrets
from datetime import timedelta


def add_pages(total: int) -> None:
    """Published pages up to ``total``, copied from the demo content (loaded first if needed)."""
    from django.contrib.auth.models import User
    from django.db import connection

    from informeren import demo
    from informeren.models import Revision, RevisionStatus, Topic

    if not Topic.objects.published().exists():
        demo.load_content(  # 26 real pages + glossary
            author=User.objects.create(username="bench-redacteur"),
            validator=User.objects.create(username="bench-validator"),
        )
    sources = list(
        Revision.objects.filter(status=RevisionStatus.GEPUBLICEERD).select_related("topic")
    )
    rng = random.Random(11)
    topics = []
    for n in range(total - Topic.objects.published().count()):
        source = rng.choice(sources)
        topics.append(
            Topic(
                slug=f"pagina-{n}",
                title=f"{source.title} ({n})",
                summary=source.summary,
                search_text=source.topic.search_text,  # as actions.publish made it
            )
        )
    created = Topic.objects.bulk_create(topics)
    revisions = Revision.objects.bulk_create(
        Revision(
            topic=topic,
            number=1,
            status=RevisionStatus.GEPUBLICEERD,
            title=topic.title,
            summary=topic.summary,
            national_ouders=topic.search_text,
        )
        for topic in created
    )
    for topic, revision in zip(created, revisions, strict=True):
        topic.published_revision = revision
    Topic.objects.bulk_update(created, ["published_revision"], batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def add_schools(count: int) -> None:
    """``count`` schools in 25 gemeenten, each with four kinds of support."""
    from informeren.models import Ondersteuningsvorm, School, SchoolType

    rng = random.Random(3)
    kinds = list(Ondersteuningsvorm.objects.all())
    gemeenten = [f"Gemeente {n}" for n in range(25)]
    schools = School.objects.bulk_create(
        School(
            name=f"School {n}",
            brin=f"{n // 100:02d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}",
            vestiging=f"{n % 100:02d}",
            school_type=rng.choice(SchoolType.values),
            street="Straat 1",
            postcode="9999 AA",
            place=rng.choice(gemeenten),
            gemeente=rng.choice(gemeenten),
            has_lift=rng.random() < 0.5,
            wheelchair_accessible=rng.random() < 0.4,
        )
        for n in range(count)
    )
    through = School.support.through
    through.objects.bulk_create(
        through(school_id=school.pk, ondersteuningsvorm_id=kind.pk)
        for school in schools
        for kind in rng.sample(kinds, 4)
    )


def add_cases(count: int) -> None:
    """``count`` cases over two years, mostly closed, with eight staff members."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from informeren.models import Thema
    from steunen.models import Case, Message, Sender, Status

    rng = random.Random(7)
    now = timezone.now()
    staff = [User.objects.create(username=f"staff{n}") for n in range(8)]
    Group.objects.get(name="medewerker").user_set.add(*staff)
    themes = list(Thema.objects.all())
    statuses = [Status.AFGEROND] * 8 + [Status.IN_BEHANDELING, Status.WACHT_OP_VRAGER, Status.NIEUW]
    batch, messages, links = [], [], []
    through = Case.themes.through
    for _ in range(count):
        created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        # Like a real steunpunt: older questions are closed, recent ones mixed.
        status = rng.choice(statuses) if now - created < timedelta(days=30) else Status.AFGEROND
        open_case = status != Status.AFGEROND
        due = created + timedelta(days=2)
        needs_action = open_case and status != Status.WACHT_OP_VRAGER
        batch.append(
            Case(
                code_hash=secrets.token_hex(32),
                asker_type="ouder",
                status=status,
                outcome="" if open_case else "informatie",
                urgent=rng.random() < 0.05,
                assignee=rng.choice(staff) if status != Status.NIEUW else None,
                created_at=created,
                response_due_at=due,
                first_response_at=None if status == Status.NIEUW else created + timedelta(hours=5),
                closed_at=None if open_case else created + timedelta(days=9),
                attention_at=due if needs_action else None,
            )
        )
        if len(batch) == 5000:
            saved = Case.objects.bulk_create(batch)
            for case in saved:
                messages.append(
                    Message(
                        case=case, sender=Sender.ASKER, body="Vraag", created_at=case.created_at
                    )
                )
                links.append(through(case_id=case.pk, thema_id=rng.choice(themes).pk))
            Message.objects.bulk_create(messages)
            through.objects.bulk_create(links)
            batch, messages, links = [], [], []
    if batch:
        for case in Case.objects.bulk_create(batch):
            links.append(through(case_id=case.pk, thema_id=rng.choice(themes).pk))
        through.objects.bulk_create(links)
