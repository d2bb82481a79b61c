"""Demo content for the information pages (fixtures/demo_content.toml).

Idempotent: glossary terms are matched by term; a topic that already exists
is left as it is (editors may have changed it since).
"""

import tomllib
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from informeren import actions
from informeren.models import Begrip, Organisatie, Thema, Topic

CONTENT_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_content.toml"
FIELDS = {
    "ouders": "national_ouders",
    "jongeren": "national_jongeren",
    "kinderen": "national_kinderen",
    "regio": "regional_ouders",
    "regio_jongeren": "regional_jongeren",
    "regio_kinderen": "regional_kinderen",
}


@transaction.atomic
def load_content(*, author, validator) -> None:
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
            title=row["title"],
            summary=row["summary"],
            sources="\n".join(row.get("sources", [])),
            **content,
        )
        Topic.objects.filter(pk=topic.pk).update(position=position)
        if row.get("overdue"):
            # So the editors' dashboard has something to show in the demo.
            Topic.objects.filter(pk=topic.pk).update(review_by=date.today() - timedelta(days=20))
        created.append((topic, row))
    for topic, row in created:
        # add(), not set(): "zie ook" works both ways, and set() would drop the
        # links that other topics made to this one.
        topic.related.add(*Topic.objects.filter(slug__in=row.get("related", [])))
        topic.organisaties.set(Organisatie.objects.filter(name__in=row.get("organisaties", [])))
