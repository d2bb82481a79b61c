"""Demo translations of the Dutch demo topics (fixtures/translations/<language>.toml).

Each file holds, per topic, the parents' text (and where written the youths'
text) in one language, translated from the Dutch demo text with the same
facts. Each goes the whole way a translation goes: written by the demo's
redacteur, approved by its validator, published, following the topic's
published Dutch revision.

Idempotent: a topic that already has a translation in a language (editors
may have changed it since) is left as it is; a slug the demo does not have
is skipped.
"""

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from informeren import actions
from informeren.demo import FIELDS
from informeren.models import TRANSLATION_LANGUAGES, Topic, Translation

TRANSLATIONS_DIR = Path(settings.BASE_DIR) / "fixtures" / "translations"


def translation_rows(language: str) -> list[dict[str, Any]]:
    path = TRANSLATIONS_DIR / f"{language}.toml"
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["topics"]
    return rows


@transaction.atomic
def load_translations(*, author: User, validator: User) -> int:
    """Publish the demo translations that are not there yet; returns how many were added."""
    topics = {t.slug: t for t in Topic.objects.published()}
    done = set(Translation.objects.values_list("topic_id", "language"))
    added = 0
    for language, _name in TRANSLATION_LANGUAGES:
        for row in translation_rows(language):
            topic = topics.get(row["slug"])
            if topic is None or (topic.pk, language) in done:
                continue
            content = {field: row.get(key, "").strip() for key, field in FIELDS.items()}
            actions.publish_translation_directly(
                topic=topic,
                language=language,
                author=author,
                validator=validator,
                title=row["title"],
                summary=row["summary"],
                **content,
            )
            added += 1
    return added
