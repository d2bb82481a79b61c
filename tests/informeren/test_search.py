"""Search over published pages and the glossary, the same on SQLite and PostgreSQL."""

import re

import pytest

from informeren.models import Begrip, Synonym, Topic
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
        body="Thuiszitten: een kind zit thuis en gaat niet naar school.",
    )
    Begrip.objects.create(
        term="Thuiszitter", slug="thuiszitter", explanation="Een kind dat niet naar school gaat."
    )


def _results(page: str) -> str:
    """The list of pages found, as HTML."""
    return (
        page.split('class="search-results"')[1].split("</ol>")[0]
        if "search-results" in page
        else ""
    )


def _titles(page: str) -> list[str]:
    """The titles of the pages found, best first."""
    return re.findall(r'<li[^>]*><a href="[^"]+">([^<]+)</a>', _results(page))


def test_finds_pages_and_explains_the_glossary_term_the_query_names(client, content):
    page = client.get("/zoeken/", {"q": "thuiszitter"}).text
    assert "Als uw kind thuiszit" in _titles(page)
    assert "<mark>" in _results(page)
    explained = page.split("Wat betekent het?")[1].split("</dl>")[0]
    assert "Thuiszitter" in explained and "Een kind dat niet naar school gaat." in explained


def test_title_matches_rank_first(client, content):
    page = client.get("/zoeken/", {"q": "aanmelden"}).text
    assert _titles(page)[0] == "Uw kind aanmelden"


def test_the_best_answer_comes_first_with_its_summary_and_audience(client, content):
    page = client.get("/zoeken/", {"q": "mijn kind zit al weken thuis"}).text
    best = _results(page).split("</li>")[0]
    assert 'class="search-results__best"' in best
    assert "Als uw kind thuiszit" in best
    assert "Over als uw kind thuiszit." in best  # its summary
    assert "voor ouders" in best


def test_dutch_stemming_finds_other_word_forms_on_every_database(client, db):
    # The engine is the same Python on SQLite and PostgreSQL: CI runs this on both.
    published_topic(
        "opp", title="Het plan voor uw kind", body="De school maakt een ontwikkelingsperspectief."
    )
    published_topic("kiezen", title="Kiezen", body="Bekijk de school en de klas.")
    assert _titles(client.get("/zoeken/", {"q": "ontwikkelingsperspectieven"}).text) == [
        "Het plan voor uw kind"
    ]
    assert "Kiezen" in _titles(client.get("/zoeken/", {"q": "scholen"}).text)


def test_any_word_may_match_and_the_page_matching_most_words_comes_first(client, content):
    page = client.get("/zoeken/", {"q": "kind schriftelijk aanmelden bij een school"}).text
    assert _titles(page) == ["Uw kind aanmelden", "Als uw kind thuiszit"]


def test_stop_words_alone_find_nothing(client, content):
    assert "0 resultaten" in client.get("/zoeken/", {"q": "de het een van uw"}).text


def test_compound_words_are_found_by_their_parts(client, db):
    # Parts are words of the site's own vocabulary: the pages and the glossary.
    Begrip.objects.create(
        term="Leerlingenvervoer", slug="leerlingenvervoer", explanation="Vervoer naar school."
    )
    published_topic(
        "vervoer", title="Naar school", body="De gemeente regelt het leerlingenvervoer."
    )
    published_topic("taxi", title="Reizen", body="Soms rijdt er een taxi.")
    assert _titles(client.get("/zoeken/", {"q": "vervoer"}).text) == ["Naar school"]
    assert "<mark>leerlingenvervoer</mark>" in client.get("/zoeken/", {"q": "vervoer"}).text
    # And a compound no page uses, by its parts.
    assert set(_titles(client.get("/zoeken/", {"q": "taxivervoer"}).text)) == {
        "Naar school",
        "Reizen",
    }


def test_a_typo_still_finds_the_page_and_says_what_was_meant(client, content):
    page = client.get("/zoeken/", {"q": "thuiszitetn"}).text
    assert _titles(page)[0] == "Als uw kind thuiszit"
    assert "Bedoelde u:" in page
    assert '<a href="?q=thuiszitten">thuiszitten</a>' in page.split("Bedoelde u:")[1]


def test_bedoelde_u_only_when_the_correction_finds_clearly_more(client, content):
    # "aanmelden" alone already finds the best page: correcting "schooll" adds little.
    page = client.get("/zoeken/", {"q": "aanmelden schooll"}).text
    assert _titles(page)[0] == "Uw kind aanmelden"
    assert "Bedoelde u" not in page
    # A short word is never corrected: too many words are near it.
    assert "Bedoelde u" not in client.get("/zoeken/", {"q": "kinf"}).text


def test_synonyms_from_the_redactie_widen_the_query(client, db):
    published_topic("extra", title="Extra ondersteuning", body="Hulp die verder gaat dan de basis.")
    assert "0 resultaten" in client.get("/zoeken/", {"q": "rugzakje"}).text
    Synonym.objects.create(word="rugzakje", alternatives="extra ondersteuning, arrangement")
    content_changed()  # as the redactie does after changing the list
    assert _titles(client.get("/zoeken/", {"q": "rugzakje"}).text) == ["Extra ondersteuning"]
    # Several words of a synonym are matched together: "ondersteuning" alone is no rugzakje.
    published_topic("rugzak", title="Rugzakje", body="Vroeger heette het zo.")
    page = client.get("/zoeken/", {"q": "ondersteuning"}).text
    assert "Rugzakje" not in _titles(page)


def test_a_phrasing_is_found_only_once_its_revision_is_approved_and_published(
    client, db, redacteur, validator
):
    from informeren import actions

    topic = published_topic("thuis", title="Als uw kind thuiszit", body="Er is hulp.")
    revision = actions.start_revision(topic=topic, by=redacteur)
    actions.edit_revision(
        revision=revision, by=redacteur, content={"phrasings": "mijn kind heeft schoolangst"}
    )

    def found() -> list[str]:
        return _titles(client.get("/zoeken/", {"q": "schoolangst"}).text)

    assert found() == []  # a concept
    revision = actions.submit_revision(revision=revision, by=redacteur)
    assert found() == []  # under review
    revision = actions.approve_revision(revision=revision, by=validator)
    assert found() == []  # approved, not yet published
    actions.publish(revision=revision, by=validator)
    assert found() == ["Als uw kind thuiszit"]
    # Searched, never shown.
    assert "schoolangst" not in _results(client.get("/zoeken/", {"q": "schoolangst"}).text)


def test_youth_text_is_found_by_youth_words_and_links_to_the_youth_page(client, db):
    published_topic(
        "opp",
        title="Het OPP",
        body="De school maakt een plan en overlegt met u.",
        national_jongeren="Praat met je mentor over wat jou helpt.",
        national_kinderen="Vertel de juf wat moeilijk is.",
    )
    page = client.get("/zoeken/", {"q": "mentor"}).text
    assert 'href="/informatie/opp/jongeren/"' in _results(page)
    assert "voor jongeren" in _results(page)
    assert "<mark>mentor</mark>" in _results(page)
    page = client.get("/zoeken/", {"q": "juf moeilijk"}).text
    assert 'href="/informatie/opp/kinderen/"' in _results(page)
    assert "voor kinderen" in _results(page)
    page = client.get("/zoeken/", {"q": "plan"}).text
    assert 'href="/informatie/opp/"' in _results(page)
    assert "voor ouders" in _results(page)


def test_no_result_offers_the_next_steps(client, content, settings):
    from django.urls import NoReverseMatch, reverse

    page = client.get("/zoeken/", {"q": "xyzzyq"}).text
    assert "0 resultaten" in page
    steps = page.split("Zo komt u verder")[1].split("</section>")[0]
    assert 'href="/vraag/' in steps
    assert f'href="tel:{settings.STEUNPUNT_PHONE.replace(" ", "")}"' in steps
    try:
        assert f'href="{reverse("informeren:wegwijzer")}"' in steps
    except NoReverseMatch:  # the wegwijzer is not there yet: no dead link either
        assert "wegwijzer" not in steps
    assert "Zo komt u verder" not in client.get("/zoeken/", {"q": "aanmelden"}).text


def test_drafts_are_never_found(client, content, redacteur):

    draft(Topic.objects.get(slug="aanmelden"), redacteur, national_ouders="Geheimwoord in concept.")
    page = client.get("/zoeken/", {"q": "geheimwoord"}).text
    assert "0 resultaten" in page


def test_two_visitors_get_the_same_answer_and_a_publish_shows_to_both_at_once(client, content):
    from django.test import Client

    other = Client()
    other.get("/vraag/")  # this one has a session and a CSRF cookie
    mine = client.get("/zoeken/", {"q": "thuiszitten"})
    theirs = other.get("/zoeken/", {"q": "thuiszitten"})
    assert _results(mine.text) == _results(theirs.text) != ""
    assert "csrfmiddlewaretoken" not in mine.text
    published_topic("nieuw", title="Thuiszitten: nieuw", body="Over thuiszitten.")
    assert "Thuiszitten: nieuw" in _titles(client.get("/zoeken/", {"q": "thuiszitten"}).text)
    assert "Thuiszitten: nieuw" in _titles(other.get("/zoeken/", {"q": "thuiszitten"}).text)


def test_empty_query_gets_help_not_an_error(client, content):
    page = client.get("/zoeken/", {"q": "   "}).text
    assert "Typ een woord" in page


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

    results = _results

    first = client.get("/zoeken/", {"q": "leerlingenvervoer"}).text
    assert f"{PER_PAGE + 3} resultaten" in first
    assert results(first).count("<li") == PER_PAGE
    assert results(first).count("<mark>") == PER_PAGE
    assert "Pagina 1 van 2" in first
    assert 'href="?q=leerlingenvervoer&amp;pagina=2" rel="next"' in first

    second = client.get("/zoeken/", {"q": "leerlingenvervoer", "pagina": "2"}).text
    assert results(second).count("<li") == 3
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


def test_an_index_updated_page_by_page_is_the_one_made_anew(db, redacteur, validator):
    from informeren import actions
    from informeren.search import build_index

    first = published_topic("een", title="Leerlingenvervoer", body="Het busje van de gemeente.")
    published_topic("twee", title="Thuiszitten", body="Een kind zit thuis.")
    before = build_index()
    published_topic("drie", title="Vervoer naar school", body="Een taxi of een busje.")
    revision = actions.start_revision(topic=first, by=redacteur)
    actions.edit_revision(revision=revision, by=redacteur, content={"title": "Het busje"})
    actions.submit_revision(revision=revision, by=redacteur)
    actions.approve_revision(revision=revision, by=validator)
    actions.publish(revision=revision, by=validator)
    Topic.objects.filter(slug="twee").update(published_revision=None)  # no longer public

    updated, anew = build_index(before), build_index()
    assert (
        updated.pages.keys()
        == anew.pages.keys()
        == {Topic.objects.get(slug=slug).pk for slug in ("een", "drie")}
    )
    assert updated.postings == anew.postings
    assert updated.words == anew.words
    assert updated.splits == anew.splits and updated.containing == anew.containing
