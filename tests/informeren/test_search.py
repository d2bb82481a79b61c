"""Search over published pages and the glossary, on SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection

from informeren.models import Begrip
from steunpunt.cache import content_changed
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    published_topic(
        "aanmelden",
        title="Uw kind aanmelden",
        body="U meldt uw kind schriftelijk aan bij de school.",
    )
    published_topic(
        "thuiszitten",
        title="Als uw kind thuiszit",
        body="Een kind dat niet naar school gaat, heet thuiszitter.",
    )
    Begrip.objects.create(
        term="Thuiszitter", slug="thuiszitter", explanation="Een kind dat niet naar school gaat."
    )


def test_finds_pages_and_glossary_terms_with_highlighted_snippets(client, content):
    page = client.get("/zoeken/", {"q": "thuiszitter"}).text
    assert "Als uw kind thuiszit" in page
    assert "<mark>" in page
    assert "Begrippen" in page and "Thuiszitter" in page


def test_title_matches_rank_first(client, content):
    page = client.get("/zoeken/", {"q": "aanmelden"}).text
    assert "Uw kind aanmelden" in page
    results = page.split('class="search-results"')[1]
    assert results.index("Uw kind aanmelden") < results.index("</ol>")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Dutch stemming needs PostgreSQL")
def test_dutch_stemming_finds_other_word_forms(client, content):
    # "scholen" and "school" share a stem in the dutch configuration.
    page = client.get("/zoeken/", {"q": "scholen"}).text
    assert "Uw kind aanmelden" in page


def test_drafts_are_never_found(client, content, redacteur):
    from informeren.models import Topic

    draft(Topic.objects.get(slug="aanmelden"), redacteur, national_ouders="Geheimwoord in concept.")
    page = client.get("/zoeken/", {"q": "geheimwoord"}).text
    assert "0 resultaten" in page


def test_empty_query_gets_help_not_an_error(client, content):
    page = client.get("/zoeken/", {"q": "   "}).text
    assert "Typ een woord" in page


def test_a_typo_gets_a_suggestion(client, content):
    page = client.get("/zoeken/", {"q": "thuiszittr"}).text
    assert "0 resultaten" in page
    assert "Bedoelde u:" in page
    assert "thuiszitter" in page.split("Bedoelde u:")[1]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "🙂🙃" * 50,
        "'; DROP TABLE informeren_topic; --",
        "<script>alert(1)</script>",
        "\x00\x01\x02",
        "& | ! ( ) :*",
    ],
)
def test_odd_queries_are_answered_not_crashed(client, content, query):
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_schools_organisations_and_meetings_are_found_too(client, content):
    from datetime import timedelta

    from django.utils import timezone

    from informeren.models import Meeting
    from tests.factories import OrganisatieFactory, SchoolFactory

    SchoolFactory(name="Montessorischool De Linde", place="Lindewaarde")
    OrganisatieFactory(name="Leerplicht Lindewaarde", summary="Let op de leerplicht.")
    start = timezone.now() + timedelta(days=3)
    Meeting.objects.create(
        title="Avond in Lindewaarde", kind="thema", description="x", starts_at=start,
        ends_at=start + timedelta(hours=1), place="Lindewaarde", capacity=5,
    )  # fmt: skip
    page = client.get("/zoeken/", {"q": "lindewaarde"}).text
    assert "Montessorischool De Linde" in page
    assert "Leerplicht Lindewaarde" in page
    assert "Avond in Lindewaarde" in page


def test_many_pages_found_come_ten_at_a_time_each_with_the_words_marked(client, db):
    from informeren.search import PER_PAGE

    for n in range(PER_PAGE + 3):
        published_topic(
            f"vervoer-{n}",
            title=f"Vervoer {n:02d}",
            body=f"Leerlingenvervoer regelt de gemeente, ook in geval {n}.",
        )

    def results(page: str) -> str:
        return page.split('class="search-results"')[1].split("</ol>")[0]

    first = client.get("/zoeken/", {"q": "leerlingenvervoer"}).text
    assert f"{PER_PAGE + 3} resultaten" in first
    assert results(first).count("<li>") == PER_PAGE
    assert results(first).count("<mark>") == PER_PAGE
    assert "Pagina 1 van 2" in first
    assert 'href="?q=leerlingenvervoer&amp;pagina=2" rel="next"' in first

    second = client.get("/zoeken/", {"q": "leerlingenvervoer", "pagina": "2"}).text
    assert results(second).count("<li>") == 3
    assert f'start="{PER_PAGE + 1}"' in second
    assert 'rel="next"' not in second
    titles = lambda page: set(re.findall(r"Vervoer \d\d", results(page)))  # noqa: E731
    assert titles(first) | titles(second) == {f"Vervoer {n:02d}" for n in range(PER_PAGE + 3)}

    # A page past the end, or no number at all, is answered with a page that exists.
    assert results(client.get("/zoeken/", {"q": "leerlingenvervoer", "pagina": "9"}).text) == (
        results(second)
    )
    for odd in ("0", "-1", "twee", "99999999999"):
        page = client.get("/zoeken/", {"q": "leerlingenvervoer", "pagina": odd})
        assert page.status_code == 200
        assert results(page.text) == results(first)


def test_schools_are_found_by_words_from_name_place_and_gemeente_also_after_an_edit(client, db):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="OBS De Vuurtoren", place="Zeedorp", gemeente="Kustwaarde")
    page = client.get("/zoeken/", {"q": "vuurtoren KUSTWAARDE"}).text
    assert "OBS De Vuurtoren" in page
    assert "OBS De Vuurtoren" not in client.get("/zoeken/", {"q": "vuurtoren lindewaarde"}).text
    school.name = "OBS Het Baken"
    school.save()
    content_changed()  # as every path that edits a school does (admin, import)
    assert "OBS Het Baken" in client.get("/zoeken/", {"q": "baken zeedorp"}).text


def test_only_published_meetings_still_to_come_are_found_and_edits_show_at_once(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from informeren.models import Meeting
    from tests.factories import OrganisatieFactory

    now = timezone.now()

    def meeting(title: str, starts_at, published: bool = True) -> Meeting:
        return Meeting.objects.create(
            title=title, kind="thema", description="Over de overstap.", starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2), capacity=10, published=published,
        )  # fmt: skip

    coming = meeting("Avond overstap", now + timedelta(days=2))
    meeting("Middag overstap (geweest)", now - timedelta(days=2))
    meeting("Ochtend overstap (concept)", now + timedelta(days=3), published=False)
    page = client.get("/zoeken/", {"q": "overstap"}).text
    assert "Avond overstap" in page
    assert "geweest" not in page
    assert "concept" not in page

    coming.title = "Avond brugklas"
    coming.save()
    content_changed()  # as the editing views do
    assert "Avond brugklas" in client.get("/zoeken/", {"q": "brugklas"}).text
    organisatie = OrganisatieFactory(name="Loket Jeugd", summary="Hulp thuis.")
    content_changed()
    assert "Loket Jeugd" not in client.get("/zoeken/", {"q": "brugklas"}).text
    organisatie.summary = "Hulp bij de brugklas."
    organisatie.save()
    content_changed()
    assert "Loket Jeugd" in client.get("/zoeken/", {"q": "brugklas"}).text
