"""The demo region's information texts: complete enough to go live with, current, and
written for each reader (issue 22).

A steunpunt that starts from the demo content must be able to show every topic of the
parent guide with a real text, sources and a "Wat kunt u doen?" part; youths and children
get texts of their own; and nothing may still describe the stand-alone
schoolondersteuningsprofiel (renewed every four years with advice of the MR) as it was
before the Wet versterking positie ouders en leerlingen in het passend onderwijs.
"""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings

from informeren import demo
from informeren.models import Begrip, ChecklistItem, Meeting, Topic, below_b1

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.BASE_DIR) / "fixtures" / "demo_content.toml"
YOUTH_AND_CHILD_FIELDS = (
    "national_jongeren",
    "national_kinderen",
    "regional_jongeren",
    "regional_kinderen",
)
ALL_FIELDS = ("national_ouders", "regional_ouders", *YOUTH_AND_CHILD_FIELDS)


@pytest.fixture(scope="module")
def demo_topics(django_db_setup, django_db_blocker):
    """The demo content as `load_demo` loads it, loaded once for this module and rolled
    back afterwards (every page goes through the whole four-eyes workflow: slow)."""
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_db_blocker.unblock(), override_settings(TASKS=immediate), transaction.atomic():
        author = User.objects.create(username="demo-redacteur")
        validator = User.objects.create(username="demo-validator")
        demo.load_content(author=author, validator=validator)
        yield list(Topic.objects.published().select_related("published_revision"))
        transaction.set_rollback(True)


def words(markdown: str) -> int:
    """Words a reader reads: markup (headings, bullets, tables, callout syntax) not counted."""
    text = re.sub(r'^!!! [\w-]+ "[^"]*"$', " ", markdown, flags=re.MULTILINE)
    return len(re.findall(r"[A-Za-zÀ-ÿ0-9]+(?:['’-][A-Za-zÀ-ÿ0-9]+)*", text))


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def every_public_text(topics) -> list[tuple[str, str]]:
    """(where, text) for every text a visitor can read: pages, glossary, checklists, meetings."""
    found = []
    for topic in topics:
        revision = topic.published_revision
        found.append((f"{topic.slug}: titel", revision.title))
        found.append((f"{topic.slug}: samenvatting", revision.summary))
        for field in ALL_FIELDS:
            found.append((f"{topic.slug}: {field}", getattr(revision, field)))
    for begrip in Begrip.objects.all():
        found.append((f"begrip {begrip.term}", f"{begrip.term}: {begrip.explanation}"))
    for item in ChecklistItem.objects.all():
        found.append((f"checklist {item.checklist_id}", item.text))
    for meeting in Meeting.objects.all():
        found.append((f"bijeenkomst {meeting.title}", meeting.description))
    return found


def test_the_demo_region_has_forty_topics_each_with_a_full_parent_text(demo_topics):
    assert len(demo_topics) >= 40
    for topic in demo_topics:
        revision = topic.published_revision
        assert words(revision.national_ouders) >= 200, topic.slug
        assert '!!! doen "Wat kunt u doen?"' in revision.national_ouders, topic.slug
        assert revision.source_list(), topic.slug
        assert revision.phrasings.strip(), topic.slug
        assert topic.themes.exists(), topic.slug


def test_youths_and_children_have_texts_of_their_own(demo_topics):
    youth = [t for t in demo_topics if t.published_revision.national_jongeren.strip()]
    child = [t for t in demo_topics if t.published_revision.national_kinderen.strip()]
    assert len(youth) >= 30
    assert len(child) >= 12
    for topic in youth:
        revision = topic.published_revision
        # Written for a youth, not the parent text shortened: a different text that
        # speaks to "je"/"jij".
        assert revision.national_jongeren.strip() != revision.national_ouders.strip()
        assert re.search(r"\b(je|jij|jou|jouw)\b", revision.national_jongeren, re.I), topic.slug
    for topic in child:
        text = topic.published_revision.national_kinderen
        assert re.search(r"\b(je|jij|jou|jouw)\b", text, re.I), topic.slug
        sentences = [s for s in re.split(r"[.!?]\s", text) if s.strip()]
        longest = max(words(s) for s in sentences)
        assert longest <= 15, f"{topic.slug}: a sentence of {longest} words for a child"


def test_youth_and_child_texts_never_call_the_reader_u(demo_topics):
    for topic in demo_topics:
        for field in YOUTH_AND_CHILD_FIELDS:
            text = getattr(topic.published_revision, field)
            found = re.findall(r"\b(u|uw|uzelf)\b", text, re.IGNORECASE)
            assert not found, f"{topic.slug} {field} says {found}"


def test_no_text_describes_the_stand_alone_ondersteuningsprofiel_as_current(demo_topics):
    """Since the new law the support offer is in the schoolgids; the separate profile,
    renewed every four years with advice of the MR, is going away."""
    mentions = 0
    for where, text in every_public_text(demo_topics):
        for paragraph in paragraphs(text):
            if not re.search(r"ondersteuningsprofiel|\bSOP\b", paragraph, re.IGNORECASE):
                continue
            mentions += 1
            assert not re.search(r"vier jaar", paragraph, re.I), where
            assert not re.search(r"medezeggenschapsraad|\bMR\b", paragraph), where
            assert not re.search(r"elke school heeft (een|er een)", paragraph, re.I), where
            # Wherever the old word still appears, the same paragraph says what replaced it.
            assert re.search(
                r"schoolgids|nieuwe wet|vroeger|niet meer|verdwijnt", paragraph, re.I
            ), f"{where}: {paragraph!r}"
    assert mentions, "the old word should still be explained, for parents who know it"
    profile = next(t for t in demo_topics if t.slug == "ondersteuningsprofiel")
    assert "schoolgids" in profile.published_revision.national_ouders
    assert "sinds de nieuwe wet" in profile.published_revision.national_ouders.lower()


def test_special_education_is_not_explained_as_four_clusters(demo_topics):
    for where, text in every_public_text(demo_topics):
        assert not re.search(r"(verdeeld )?in vier (groepen|clusters)", text, re.I), where
    speciaal = next(t for t in demo_topics if t.slug == "speciaal-onderwijs")
    text = speciaal.published_revision.national_ouders
    assert "toelaatbaarheidsverklaring" in text
    assert re.search(r"cluster 1 en 2", text, re.I)


def test_the_opp_page_tells_pupils_they_may_give_their_opinion(demo_topics):
    opp = next(t for t in demo_topics if t.slug == "ontwikkelingsperspectief-opp")
    revision = opp.published_revision
    assert re.search(r"mening", revision.national_ouders, re.I)
    assert re.search(r"mening", revision.national_jongeren, re.I)
    # The right to consent to the handelingsdeel is older than the new law.
    assert "2017" in revision.national_ouders


def test_checklists_have_thirty_five_items_each_linked_to_a_topic(demo_topics):
    items = list(ChecklistItem.objects.select_related("topic"))
    assert len(items) >= 35
    published = {t.pk for t in demo_topics}
    for item in items:
        assert item.topic_id in published, item.text


def test_every_link_in_the_demo_content_points_to_a_page_that_exists():
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    slugs = {row["slug"] for row in data["topics"]}
    assert len(slugs) == len(data["topics"]), "a slug is used twice"
    for row in data["topics"]:
        assert set(row.get("related", [])) <= slugs, row["slug"]
        assert row["slug"] not in row.get("related", []), row["slug"]
    for checklist in data["checklists"]:
        for text, slug in checklist["items"]:
            assert slug in slugs, text


def test_the_existing_page_addresses_are_kept():
    """Topic slugs are public URLs: the 26 pages of the first demo still exist."""
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    slugs = {row["slug"] for row in data["topics"]}
    assert {
        "wat-is-passend-onderwijs",
        "zorgplicht",
        "samenwerkingsverband",
        "ondersteuningsprofiel",
        "basisondersteuning",
        "een-school-kiezen",
        "aanmelden",
        "ontwikkelingsperspectief-opp",
        "instemmingsrecht-handelingsdeel",
        "toelaatbaarheidsverklaring",
        "speciaal-onderwijs",
        "praktijkonderwijs-en-lwoo",
        "overstap-naar-de-middelbare-school",
        "thuiszitten",
        "leerplicht-en-vrijstelling",
        "schorsing-en-verwijdering",
        "onderwijsconsulenten",
        "een-klacht-of-geschil",
        "geschillencommissie-passend-onderwijs",
        "college-voor-de-rechten-van-de-mens",
        "medezeggenschap",
        "ondersteuningsplanraad",
        "jeugdhulp-en-school",
        "leerlingenvervoer",
        "gesprek-met-school-voorbereiden",
        "het-steunpunt",
    } <= slugs


def test_every_demo_page_shows_its_text_with_the_what_can_you_do_box(demo_topics, client):
    for topic in demo_topics:
        page = client.get(topic.get_absolute_url())
        assert page.status_code == 200, topic.slug
        html = page.content.decode()
        assert '<div class="admonition doen">' in html, topic.slug
        assert "Wat kunt u doen?" in html, topic.slug
        # No Markdown left unrendered: a callout or table that failed to parse shows as text.
        assert "!!!" not in html and "|---|" not in html, topic.slug


def test_every_demo_text_is_at_b1_so_none_needs_a_reason(demo_topics):
    """Flesch-Douma 60 or more and no sentence over 20 words, for every audience: the
    demo shows how a steunpunt writes, and the redactie may edit it without a B1 reason."""
    for topic in demo_topics:
        assert topic.published_revision.below_b1() == [], topic.slug
    others = [
        *Begrip.objects.values_list("explanation", flat=True),
        *ChecklistItem.objects.values_list("text", flat=True),
        *Meeting.objects.values_list("description", flat=True),
    ]
    for text in others:
        assert below_b1({"tekst": text}) == [], text


def test_every_demo_youth_and_child_page_speaks_to_them_from_title_to_end(demo_topics, client):
    from tests.informeren.test_audiences import polite_words

    for topic in demo_topics:
        revision = topic.published_revision
        for audience in revision.audiences()[1:]:
            assert getattr(revision, f"title_{audience}"), f"{topic.slug}: no {audience} title"
            page = client.get(f"/informatie/{topic.slug}/{audience}/").text
            assert polite_words(page) == [], f"{topic.slug} {audience}"
