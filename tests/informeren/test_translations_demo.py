"""The demo's translations: at least eight topics in every language, loaded by load_demo,
each following the published Dutch text, with the same structure and numbers."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from informeren import actions
from informeren.demo import CONTENT_FILE, FIELDS
from informeren.demo_translations import load_translations, translation_rows
from informeren.models import TRANSLATION_LANGUAGES, RevisionStatus, Thema, Translation
from steunpunt.cache import forget_kept
from steunpunt.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in TRANSLATION_LANGUAGES]
DUTCH = {row["slug"]: row for row in tomllib.loads(CONTENT_FILE.read_text())["topics"]}


def _shape(text: str) -> tuple[int, int, int]:
    """Headings, admonition blocks and list items: what a translation keeps as it is."""
    lines = text.strip().splitlines()
    return (
        sum(line.startswith("## ") for line in lines),
        sum(line.startswith("!!! ") for line in lines),
        sum(bool(re.match(r"\s*(-|\d+\.) ", line)) for line in lines),
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_eight_demo_topics_with_the_dutch_facts(language):
    rows = translation_rows(language)
    assert len(rows) >= 8
    for row in rows:
        dutch = DUTCH[row["slug"]]  # slugs are never translated
        assert row["title"].strip() and row["summary"].strip()
        for key in ("ouders", "regio", "jongeren", "regio_jongeren", "kinderen"):
            if key in row:
                assert _shape(row[key]) == _shape(dutch[key]), (row["slug"], key)
                # Numbers stay numbers: 2017, 18, 12 are in both or in neither.
                assert set(re.findall(r"\d{2,}", row[key])) == set(
                    re.findall(r"\d{2,}", dutch[key])
                ), (row["slug"], key)
        # The regional text is translated wherever the Dutch page has one.
        assert bool(row.get("regio", "").strip()) == bool(dutch.get("regio", "").strip())


def test_load_demo_loads_the_translations_once_and_the_pages_show_them(settings):
    settings.COUNT_READS = False
    author = UserFactory(roles=[Role.REDACTEUR])
    validator = UserFactory(roles=[Role.VALIDATOR])
    slugs = {row["slug"] for language in LANGUAGES for row in translation_rows(language)}
    for slug in sorted(slugs):
        row = DUTCH[slug]
        actions.publish_directly(
            topic_slug=slug,
            author=author,
            validator=validator,
            themes=list(Thema.objects.filter(slug__in=row.get("themes", []))),
            b1_reason="Demotekst.",
            title=row["title"],
            summary=row["summary"],
            **{field: row.get(key, "").strip() for key, field in FIELDS.items()},
        )
    added = load_translations(author=author, validator=validator)
    assert added == sum(len(translation_rows(language)) for language in LANGUAGES)
    assert load_translations(author=author, validator=validator) == 0  # idempotent
    published = Translation.objects.filter(status=RevisionStatus.GEPUBLICEERD)
    assert published.count() == added
    assert all(not t.is_outdated and t.reviewer != t.author for t in published)

    forget_kept()
    english = Client().get("/en/informatie/thuiszitten/").text
    assert "When your child is at home instead of at school" in english
    assert "Translation of the Dutch text of" in english
    youth = Client().get("/en/informatie/thuiszitten/jongeren/").text
    assert "<h1>When you are not going to school</h1>" in youth
    assert "topic__dutch-only" not in youth
    child = Client().get("/uk/informatie/het-steunpunt/kinderen/").text
    assert "<h1>Що робить пункт підтримки?</h1>" in child
    arabic = Client().get("/ar/informatie/zorgplicht/").text
    assert "واجب الرعاية: المدرسة تبحث عن مكان مناسب" in arabic
    assert '<html lang="ar" dir="rtl">' in arabic
    for language in ("tr", "pl", "uk"):
        page = Client().get(f"/{language}/informatie/het-steunpunt/").text
        assert "topic__dutch-only" not in page and "topic__translation" in page


def test_the_demo_files_live_where_load_demo_reads_them():
    folder = Path(settings.BASE_DIR) / "fixtures" / "translations"
    assert sorted(p.stem for p in folder.glob("*.toml")) == sorted(LANGUAGES)
