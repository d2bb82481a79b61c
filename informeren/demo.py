"""Demo content for the information pages (fixtures/demo_content.toml), the
experience stories (fixtures/demo_stories.toml) and the starter list of
synonyms the search uses (fixtures/synonyms.toml).

Idempotent: glossary terms are matched by term; a topic or a synonym that
already exists is left as it is (editors may have changed it since).
"""

import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from informeren import actions
from informeren.models import (
    Begrip,
    Checklist,
    ChecklistItem,
    Ervaring,
    Meeting,
    Ondersteuningsvorm,
    Organisatie,
    Samenwerkingsverband,
    School,
    SchoolType,
    SwvGemeente,
    Synonym,
    Thema,
    ToestemmingWijze,
    Topic,
    WegwijzerRoute,
    Werkgebied,
    WijzigingSoort,
)

CONTENT_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_content.toml"
SYNONYMS_FILE = Path(settings.BASE_DIR) / "fixtures" / "synonyms.toml"
STORIES_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_stories.toml"
# Demo texts were reviewed before they were loaded; a text below B1 says so
# in its history like any other.
DEMO_B1_REASON = "Demotekst, beoordeeld voordat hij werd geladen."
FIELDS = {
    "ouders": "national_ouders",
    "jongeren": "national_jongeren",
    "kinderen": "national_kinderen",
    "regio": "regional_ouders",
    "regio_jongeren": "regional_jongeren",
    "regio_kinderen": "regional_kinderen",
    "titel_jongeren": "title_jongeren",
    "samenvatting_jongeren": "summary_jongeren",
    "titel_kinderen": "title_kinderen",
    "samenvatting_kinderen": "summary_kinderen",
}


@transaction.atomic
def load_content(*, author: User, validator: User) -> None:
    data = tomllib.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    for row in data["begrippen"]:
        Begrip.objects.update_or_create(
            term=row["term"],
            defaults={
                "slug": slugify(row["term"]),
                "explanation": row["explanation"],
                "also_matches": row.get("also", ""),
            },
        )
    themes = {t.slug: t for t in Thema.objects.all()}
    created = []
    for position, row in enumerate(data["topics"]):
        if Topic.objects.filter(slug=row["slug"]).exists():
            continue
        content = {field: row.get(key, "").strip() for key, field in FIELDS.items()}
        topic = actions.publish_directly(
            topic_slug=row["slug"],
            author=author,
            validator=validator,
            themes=[themes[s] for s in row.get("themes", [])],
            b1_reason=DEMO_B1_REASON,
            title=row["title"],
            summary=row["summary"],
            sources="\n".join(row.get("sources", [])),
            phrasings="\n".join(row.get("phrasings", [])),
            **content,
        )
        # Every demo page has an owner, who gets the monthly review reminder.
        Topic.objects.filter(pk=topic.pk).update(position=position, owner=author)
        if row.get("overdue"):
            # So the editors' dashboard has something to show in the demo.
            Topic.objects.filter(pk=topic.pk).update(review_by=date.today() - timedelta(days=20))
        created.append((topic, row))
    for topic, row in created:
        # add(), not set(): "zie ook" works both ways, and set() would drop the
        # links that other topics made to this one.
        topic.related.add(*Topic.objects.filter(slug__in=row.get("related", [])))
        topic.organisaties.set(Organisatie.objects.filter(name__in=row.get("organisaties", [])))
    load_checklists(data)
    load_meetings(data)
    load_school_profiles()
    load_wegwijzer()
    load_synonyms()
    load_stories(author=author, validator=validator)


def load_stories(*, author: User, validator: User) -> None:
    """The demo's experience stories, every one made up and marked so.

    Each goes the whole way a real story goes: written with its consent
    record (here: none, a made-up example), approved by a second person,
    published. A story whose title exists is left as it is.
    """
    data = tomllib.loads(STORIES_FILE.read_text(encoding="utf-8"))
    topics = dict(Topic.objects.values_list("slug", "pk"))
    for row in data["stories"]:
        if Ervaring.objects.filter(title=row["title"]).exists():
            continue
        consent = actions.record_consent(
            by=author,
            given_by="Niemand: een verzonnen voorbeeld voor de demo",
            given_on=timezone.localdate(),
            how=ToestemmingWijze.DEMO,
        )
        actions.publish_change_directly(
            kind=WijzigingSoort.ERVARING,
            data={
                "title": row["title"],
                "teller": row["teller"],
                "text": row["text"].strip(),
                "topics": sorted(topics[slug] for slug in row["topics"] if slug in topics),
                "fictional": True,
            },
            author=author,
            validator=validator,
            consent=consent,
            b1_reason=DEMO_B1_REASON,
        )


def load_synonyms() -> None:
    """The national starter list of words the search treats as one."""
    data = tomllib.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
    for row in data["synonyms"]:
        Synonym.objects.get_or_create(
            word=row["word"].strip().lower(),
            defaults={"alternatives": ", ".join(row["alternatives"]), "national": True},
        )


def load_checklists(data: dict[str, Any]) -> None:
    topics = {t.slug: t for t in Topic.objects.all()}
    for position, row in enumerate(data["checklists"]):
        checklist, created = Checklist.objects.get_or_create(
            slug=row["slug"],
            defaults={"title": row["title"], "intro": row["intro"], "position": position},
        )
        if not created:
            continue
        for number, (text, topic_slug) in enumerate(row["items"]):
            ChecklistItem.objects.create(
                checklist=checklist, text=text, topic=topics.get(topic_slug), position=number
            )


def load_meetings(data: dict[str, Any]) -> None:
    today = timezone.localdate()
    for row in data["meetings"]:
        if Meeting.objects.filter(title=row["title"]).exists():
            continue
        hour, minute = (int(part) for part in row["time"].split(":"))
        starts = timezone.make_aware(
            datetime.combine(today + timedelta(days=row["days_ahead"]), time(hour, minute))
        )
        Meeting.objects.create(
            title=row["title"],
            kind=row["kind"],
            audience=row["audience"],
            description=row["description"],
            starts_at=starts,
            ends_at=starts + timedelta(hours=row["hours"]),
            place=row.get("place", ""),
            online_url=row.get("online_url", ""),
            capacity=row["capacity"],
        )


# Support that fits each kind of school; each demo school gets a few of these.
SUPPORT_BY_TYPE: dict[str, list[str]] = {
    SchoolType.BAO: [
        "dyslexie",
        "dyscalculie",
        "hoogbegaafdheid",
        "taal-spraak",
        "adhd",
        "autisme",
        "faalangst",
    ],
    SchoolType.SBO: ["kleine-groepen", "gedrag", "adhd", "autisme", "dyslexie", "taal-spraak"],
    SchoolType.SO: [
        "kleine-groepen",
        "medische-zorg",
        "lichamelijk",
        "autisme",
        "gedrag",
        "zien-horen",
    ],
    SchoolType.VO: ["dyslexie", "dyscalculie", "autisme", "adhd", "hoogbegaafdheid", "faalangst"],
    SchoolType.VSO: ["kleine-groepen", "gedrag", "autisme", "medische-zorg", "lichamelijk"],
    SchoolType.PRO: ["kleine-groepen", "gedrag", "faalangst", "taal-spraak"],
    SchoolType.MBO: ["dyslexie", "faalangst"],
}


def load_school_profiles() -> None:
    """Give demo schools a believable profile, unless editors already gave one."""
    kinds = {k.slug: k for k in Ondersteuningsvorm.objects.all()}
    checked = timezone.localdate() - timedelta(days=60)
    for school in School.objects.filter(brin__startswith="99").prefetch_related("support"):
        if school.support.all() or school.profile_checked_at:
            continue
        seed = sum(ord(ch) for ch in school.brin + school.vestiging)
        options = SUPPORT_BY_TYPE[school.school_type]
        chosen = [options[(seed + step * 3) % len(options)] for step in range(2 + seed % 3)]
        school.support.set([kinds[slug] for slug in set(chosen) if slug in kinds])
        school.has_lift = seed % 2 == 0
        school.has_adapted_toilet = seed % 3 != 0
        school.wheelchair_accessible = seed % 2 == 0
        school.profile_summary = (
            f"{school.name} biedt naast de basisondersteuning extra hulp op de punten hieronder. "
            "Neem contact op met de school voor een kennismaking."
        )
        school.profile_checked_at = checked
        school.save()


WEGWIJZER_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_wegwijzer.toml"


def load_wegwijzer() -> None:
    """The demo region's wegwijzer routes and where its organisations work.

    A route that exists is left as it is; a werkgebied only for an
    organisation that has none yet (editors may have changed both).
    """
    data = tomllib.loads(WEGWIJZER_FILE.read_text(encoding="utf-8"))
    organisaties = {o.name: o for o in Organisatie.objects.all()}
    for name, gemeenten in data["werkgebied"].items():
        organisatie = organisaties.get(name)
        if organisatie is None or organisatie.werkgebied.exists():
            continue
        Werkgebied.objects.bulk_create(
            Werkgebied(organisatie=organisatie, gemeente=g) for g in gemeenten
        )
    topics = {t.slug: t for t in Topic.objects.all()}
    themes = {t.slug: t for t in Thema.objects.all()}
    for row in data["routes"]:
        slugs = row["topics"]
        route, created = WegwijzerRoute.objects.get_or_create(
            audience=row["audience"],
            situation=row["situation"],
            school_type=row.get("school_type", ""),
            defaults={
                "first_topic": topics[slugs[0]],
                "second_topic": topics[slugs[1]],
                "third_topic": topics[slugs[2]] if len(slugs) > 2 else None,
                "thema": themes.get(row.get("thema", "")),
                "intro": row.get("intro", ""),
            },
        )
        if created:
            route.organisaties.set(
                [organisaties[n] for n in row.get("organisaties", []) if n in organisaties]
            )


# --- The whole demo of this pillar (steunpunt's load_demo calls it; DEMO_LOADERS) ----

# Made-up pupil numbers per gemeente in DUO's format, for the reach figures.
PUPILS_FILE = Path(settings.BASE_DIR) / "fixtures" / "duo" / "leerlingen-per-gemeente-voorbeeld.csv"


def load_demo(data: dict[str, Any]) -> list[str]:
    """The region's SWVs, schools and organisations (from fixtures/demo_region.toml),
    the information pages with their translations, and the pupil counts. Runs after
    the demo users exist (steunpunt's load_demo); returns what it loaded, to print."""
    from informeren.demo_translations import load_translations
    from informeren.pupils import import_pupil_counts

    swvs = _load_swvs(data["samenwerkingsverbanden"])
    _load_schools(data["schools"], swvs)
    _load_organisaties(data["organisaties"])
    author = User.objects.get(username="redacteur")
    validator = User.objects.get(username="validator")
    load_content(author=author, validator=validator)
    load_translations(author=author, validator=validator)
    import_pupil_counts(PUPILS_FILE.read_bytes())
    return [
        f"{Samenwerkingsverband.objects.count()} samenwerkingsverbanden, "
        f"{School.objects.count()} schools, {Organisatie.objects.count()} organisations, "
        f"{Topic.objects.count()} information pages, {Begrip.objects.count()} glossary terms."
    ]


def _load_swvs(rows: list[dict[str, Any]]) -> dict[str, Samenwerkingsverband]:
    swvs = {}
    for row in rows:
        swv, _ = Samenwerkingsverband.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "sector": row["sector"], "website": row["website"]},
        )
        swv.full_clean()
        swvs[swv.code] = swv
        for gemeente in row.get("gemeenten", []):
            SwvGemeente.objects.update_or_create(
                gemeente=gemeente, sector=swv.sector, defaults={"samenwerkingsverband": swv}
            )
    return swvs


def _load_schools(rows: list[list[str]], swvs: dict[str, Samenwerkingsverband]) -> None:
    for number, row in enumerate(rows, start=1):
        name, brin, vestiging, school_type, street, postcode, place, gemeente, swv = row
        school, _ = School.objects.update_or_create(
            brin=brin,
            vestiging=vestiging,
            defaults={
                "name": name,
                # Made up like the rest: the 0999 area code and .example are no one's.
                "phone": f"0999 40 {number:02d} 00",
                "website": f"https://www.{slugify(name)}.example",
                "school_type": school_type,
                "street": street,
                "postcode": postcode,
                "place": place,
                "gemeente": gemeente,
                "samenwerkingsverband": swvs[swv] if swv else None,
            },
        )
        school.full_clean()


def _load_organisaties(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        fields = {key: value for key, value in row.items() if key != "name"}
        organisatie, _ = Organisatie.objects.update_or_create(name=row["name"], defaults=fields)
        organisatie.full_clean()
