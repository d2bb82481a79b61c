"""The wegwijzer: a few plain questions, one page with what fits, nothing kept of the visitor."""

import re
import tomllib
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from informeren.models import (
    DailyReads,
    Meeting,
    Organisatie,
    ReadKind,
    Thema,
    Topic,
    WegwijzerAudience,
    WegwijzerRoute,
    WegwijzerSituation,
    Werkgebied,
)
from informeren.usage import flush_reads
from informeren.wegwijzer import OUTCOME_NUMBERS
from tests.conftest import client_for
from tests.factories import OrganisatieFactory, SchoolFactory
from tests.informeren.helpers import published_topic
from tests.steunpunt.test_faults import pytestmark as needs_postgres
from tests.steunpunt.test_proxy import site  # noqa: F401 (nginx before bin/serve, for one test)

pytestmark = pytest.mark.django_db

PARENT_AT_HOME = "/wegwijzer/?wie=ouder&wat=thuis&school=vo&gemeente=Lindewaarde"
YOUTH_AT_HOME = "/wegwijzer/?wie=jongere&wat=thuis&school=vo&gemeente=Lindewaarde"
CHILD_AT_HOME = "/wegwijzer/?wie=kind&wat=thuis&school=bao&gemeente=Veldmeer"


def _topic(slug, title, *, themes=("niet-goed",), **content) -> Topic:
    topic = published_topic(slug, title=title, body=f"Uitleg voor ouders over {title}.", **content)
    topic.themes.set(Thema.objects.filter(slug__in=themes))
    return topic


@pytest.fixture
def region():
    return build_region()


def build_region() -> dict:
    """A small region: two gemeenten, three topics, organisations near and far, a route."""
    SchoolFactory(gemeente="Lindewaarde", school_type="vo")
    SchoolFactory(gemeente="Veldmeer")
    thuis = _topic(
        "thuiszitten",
        "Als uw kind thuiszit",
        summary="Gaat uw kind niet naar school? Wacht niet.",
        national_jongeren="Ga je al een tijd niet naar school? Het is niet jouw schuld.",
        national_kinderen="Ga je nu niet naar school? Grote mensen zoeken met jou een plek.",
    )
    leerplicht = _topic("leerplicht", "Leerplicht en vrijstelling")
    consulent = _topic("onderwijsconsulenten", "Hulp van een onderwijsconsulent")
    consulenten = OrganisatieFactory(name="Onderwijsconsulenten", national=True)
    leerplicht_org = OrganisatieFactory(name="Leerplicht in de regio")  # the whole region
    wijkteam = OrganisatieFactory(name="Wijkteam Lindewaarde")
    Werkgebied.objects.create(organisatie=wijkteam, gemeente="Lindewaarde")
    jeugdteam = OrganisatieFactory(name="Jeugdteam Veldmeer")
    Werkgebied.objects.create(organisatie=jeugdteam, gemeente="Veldmeer")
    OrganisatieFactory(name="Niet bij deze route")
    thuis.organisaties.set([leerplicht_org, consulenten])
    route = WegwijzerRoute.objects.create(
        audience="ouder",
        situation="thuis",
        first_topic=thuis,
        second_topic=leerplicht,
        third_topic=consulent,
        thema=Thema.objects.get(slug="niet-goed"),
        intro="Zit uw kind thuis? Wacht niet af.",
    )
    route.organisaties.set([wijkteam, jeugdteam])
    for audience in ("jongere", "kind"):
        youth_route = WegwijzerRoute.objects.create(
            audience=audience, situation="thuis", first_topic=thuis, second_topic=leerplicht
        )
        youth_route.organisaties.set([wijkteam, jeugdteam])
    start = timezone.now() + timedelta(days=3)
    for title, audience in (("Koffieochtend voor ouders", "ouders"), ("Jongerenavond", "jongeren")):
        Meeting.objects.create(
            title=title, kind="lotgenoten", audience=audience, description="Samen praten.",
            starts_at=start, ends_at=start + timedelta(hours=2), place="Buurthuis", capacity=10,
        )  # fmt: skip
    return {"route": route, "thuis": thuis, "leerplicht": leerplicht, "consulent": consulent}


def main(response) -> str:
    return re.search(r"<main.*?</main>", response.text, re.DOTALL).group(0)


# --- The result ---------------------------------------------------------------------------


def test_a_parent_whose_child_is_at_home_gets_what_fits(region):
    page = main(Client().get(PARENT_AT_HOME))
    assert "Dit kan u helpen" in page
    assert "Zit uw kind thuis? Wacht niet af." in page  # the route's intro
    # The route's topics, in its order, with the parents' summary.
    links = re.findall(r'<li><a href="(/informatie/[^"]+)">', page)
    assert links == [
        "/informatie/thuiszitten/",
        "/informatie/leerplicht/",
        "/informatie/onderwijsconsulenten/",
    ]
    assert "Gaat uw kind niet naar school? Wacht niet." in page
    # Organisations of the gemeente and of the whole region, national ones always.
    assert "Wijkteam Lindewaarde" in page
    assert "Leerplicht in de regio" in page
    assert "Onderwijsconsulenten" in page
    assert "Jeugdteam Veldmeer" not in page  # works in another gemeente
    assert "Niet bij deze route" not in page
    # The next meeting for parents.
    assert "Koffieochtend voor ouders" in page
    assert "Jongerenavond" not in page
    # The question with the answers filled in.
    assert (
        'href="/vraag/?asker_type=ouder&amp;school_type=vo&amp;thuiszitter=1&amp;thema=niet-goed'
        '&amp;gemeente=Lindewaarde"' in page
    )
    assert "Stel uw vraag" in page
    assert "voorrang" in page


def test_the_question_link_fills_in_the_form(region):
    response = Client().get("/vraag/?asker_type=ouder&school_type=vo&thuiszitter=1&thema=niet-goed")
    form = response.context["form"]
    assert form["asker_type"].value() == "ouder"
    assert form["school_type"].value() == "vo"
    assert form["thuiszitter"].value() is True
    assert form["themes"].value() == [Thema.objects.get(slug="niet-goed").pk]
    assert re.search(r'value="vo"[^>]*selected', response.text)


def test_the_question_form_takes_nothing_that_is_not_a_choice(region):
    response = Client().get(
        "/vraag/?voor=jongere&asker_type=baas&school_type=%3Cscript%3E&thuiszitter=ja"
        "&thema=%3Cb%3Ebestaat-niet"
    )
    form = response.context["form"]
    assert form["asker_type"].value() == "jongere"  # the youth form's own default
    assert not form["school_type"].value()
    assert not form["thuiszitter"].value()
    assert not form["themes"].value()
    assert "<script>" not in response.text
    assert "<b>bestaat" not in response.text


def test_a_youth_gets_je_and_the_youth_variants(region):
    page = main(Client().get(YOUTH_AT_HOME))
    assert "Dit kan jou helpen" in page
    assert (
        '<a href="/informatie/thuiszitten/jongeren/">Ga je al een tijd niet naar school?</a>'
        in page
    )
    assert "Het is niet jouw schuld." in page
    # No youth text: the parents' page, said so, without the parents' summary.
    assert '<a href="/informatie/leerplicht/">Leerplicht en vrijstelling</a>' in page
    assert "geschreven voor ouders" in page
    assert "Gaat uw kind" not in page
    assert "Stel je vraag" in page
    assert "Stel uw vraag" not in page
    assert (
        "/vraag/?voor=jongere&amp;asker_type=jongere&amp;school_type=vo&amp;thuiszitter=1" in page
    )
    assert "Jongerenavond" in page
    assert not re.search(r"\b(u|uw)\b", _own_words(page)), _own_words(page)


def _own_words(page: str) -> str:
    """The page's own sentences: without the titles of topics and names of organisations."""
    text = re.sub(r"<a [^>]*>.*?</a>", "", page, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", text)


def test_a_child_gets_a_childs_words(region):
    step = main(Client().get("/wegwijzer/?wie=kind&wat=thuis"))
    assert "Op wat voor school zit je nu?" in step
    assert "Een gewone basisschool" in step
    assert "Voortgezet speciaal onderwijs" not in step
    assert not re.search(r"\b(u|uw)\b", _own_words(step))
    page = main(Client().get(CHILD_AT_HOME))
    assert '<a href="/informatie/thuiszitten/kinderen/">Ga je nu niet naar school?</a>' in page
    assert "Vraag het ons" in page
    assert "je vader, je moeder" in page
    assert "/vraag/?voor=jongere&amp;asker_type=kind" in page
    assert "Jeugdteam Veldmeer" in page
    assert "Wijkteam Lindewaarde" not in page
    # Children go with a parent: the parents' meeting, said so.
    assert "Voor je vader, moeder of verzorger:" in page
    assert not re.search(r"\b(u|uw)\b", _own_words(page)), _own_words(page)


def test_the_situation_is_asked_in_the_visitors_own_words(region):
    assert "Mijn kind zit thuis" in Client().get("/wegwijzer/?wie=ouder").text
    assert "Ik zit thuis en ga niet naar school" in Client().get("/wegwijzer/?wie=jongere").text
    assert "Ik ga nu niet naar school" in Client().get("/wegwijzer/?wie=kind").text


# --- Nothing kept of the visitor; the page is public ------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/wegwijzer/",
        "/wegwijzer/?wie=ouder",
        "/wegwijzer/?wie=ouder&wat=thuis",
        "/wegwijzer/?wie=ouder&wat=thuis&school=vo",
        PARENT_AT_HOME,
        "/wegwijzer/?wie=onbekend",
    ],
)
def test_no_cookie_is_set_and_every_step_is_a_public_page(region, settings, path):
    settings.PUBLIC_PAGE_SECONDS = 10
    client = Client()
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert not client.cookies
    assert response["Cache-Control"] == "public, max-age=10"
    assert "HX-Request" in response["Vary"]
    assert "csrfmiddlewaretoken" not in response.text
    assert "X-CSRFToken" not in response.text


def test_a_visitor_with_a_session_gets_a_private_copy(region, redacteur):
    response = client_for(redacteur).get(PARENT_AT_HOME)
    assert "public" not in response["Cache-Control"]


def test_two_visitors_with_other_answers_each_get_their_own_page(region):
    first, second = Client(), Client()
    assert "Wijkteam Lindewaarde" in first.get(PARENT_AT_HOME).text
    other = second.get(PARENT_AT_HOME.replace("Lindewaarde", "Veldmeer")).text
    assert "Jeugdteam Veldmeer" in other
    assert "Wijkteam Lindewaarde" not in other
    assert "Ga je al een tijd" in first.get(YOUTH_AT_HOME).text
    assert "Ga je al een tijd" not in second.get(PARENT_AT_HOME).text


def test_a_result_read_is_counted_by_what_was_chosen_and_nothing_of_who(region, settings):
    settings.READS_FLUSH_SECONDS = 3600
    for path in (PARENT_AT_HOME, PARENT_AT_HOME, YOUTH_AT_HOME):
        visitor = Client()
        page = visitor.get(path, headers={"HX-Request": "true"}).text  # swapped in by htmx
        beacon = re.search(r'data-steunpunt-read="([^"]+)"', page).group(1)
        answer = visitor.post(beacon)
        assert answer.status_code == 204
        assert not answer.cookies
    question = Client().get("/wegwijzer/?wie=ouder").text
    assert "data-steunpunt-read" not in question  # a question on the way is not an outcome
    flush_reads()
    counts = {r.object_id: r.count for r in DailyReads.objects.filter(kind=ReadKind.WEGWIJZER)}
    # A parent whose child is at home, twice; a youth at home, once. No gemeente, no school.
    assert counts == {
        OUTCOME_NUMBERS[(WegwijzerAudience.OUDER, WegwijzerSituation.THUIS)]: 2,
        OUTCOME_NUMBERS[(WegwijzerAudience.JONGERE, WegwijzerSituation.THUIS)]: 1,
    }


def test_a_made_up_outcome_number_is_not_counted(region):
    assert Client().post("/gelezen/wegwijzer/999/").status_code == 204
    flush_reads()
    assert not DailyReads.objects.filter(kind=ReadKind.WEGWIJZER).exists()


# --- One question per page; htmx swaps it in place -------------------------------------------


def test_without_javascript_each_question_is_a_page_that_carries_the_answers(region):
    first = Client().get("/wegwijzer/").text
    assert "Wie zoekt er hulp?" in first
    assert '<form method="get" action="/wegwijzer/"' in first
    assert 'name="wie" value="ouder"' in first
    second = Client().get("/wegwijzer/?wie=ouder").text
    assert '<input type="hidden" name="wie" value="ouder">' in second
    assert 'name="wat" value="thuis"' in second
    assert 'href="/wegwijzer/"' in second  # back to the first question
    third = Client().get("/wegwijzer/?wie=ouder&wat=thuis").text
    assert "Om wat voor school gaat het?" in third
    assert 'name="school" value=""' in third  # "weet ik niet" is an answer too
    fourth = Client().get("/wegwijzer/?wie=ouder&wat=thuis&school=").text
    assert "In welke gemeente woont u?" in fourth
    assert '<input type="hidden" name="school" value="">' in fourth
    assert 'name="gemeente" value="Lindewaarde"' in fourth
    assert 'name="gemeente" value="Veldmeer"' in fourth
    result = Client().get("/wegwijzer/?wie=ouder&wat=thuis&school=&gemeente=").text
    assert "Dit kan u helpen" in result
    assert "Jeugdteam Veldmeer" in result  # no gemeente chosen: every regional one
    assert "Wijkteam Lindewaarde" in result


def test_a_changed_answer_keeps_the_others(region):
    result = Client().get(PARENT_AT_HOME).text
    assert 'href="/wegwijzer/?wie=ouder&amp;school=vo&amp;gemeente=Lindewaarde"' in result
    again = Client().get("/wegwijzer/?wie=ouder&school=vo&gemeente=Lindewaarde").text
    assert "Wat is er aan de hand?" in again
    assert '<input type="hidden" name="gemeente" value="Lindewaarde">' in again
    first = Client().get("/wegwijzer/?wat=thuis&school=vo&gemeente=Lindewaarde").text
    assert "Wie zoekt er hulp?" in first
    assert '<input type="hidden" name="wat" value="thuis">' in first
    assert '<input type="hidden" name="gemeente" value="Lindewaarde">' in first


def test_htmx_gets_the_next_question_in_place_with_its_title(region):
    response = Client().get("/wegwijzer/?wie=ouder", headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert response.text.lstrip().startswith("<title>Wat is er aan de hand?")
    assert 'id="wegwijzer"' in response.text
    assert "autofocus" in response.text  # the question gets the focus
    assert 'data-hx-history="false"' in response.text  # the answers stay out of the browser storage


def test_restoring_history_gets_the_whole_page(region):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = Client().get("/wegwijzer/?wie=ouder", headers=headers)
    assert response.text.startswith("<!doctype html>")
    assert "autofocus" not in response.text


# --- Unknown answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "asks"),
    [
        ("wie=baas", "Wie zoekt er hulp?"),
        ("wie=ouder&wat=%3Cscript%3Ealert(1)%3C/script%3E", "Wat is er aan de hand?"),
        ("wie=ouder&wat=thuis&school=universiteit", "Om wat voor school gaat het?"),
        ("wie=ouder&wat=thuis&school=vo&gemeente=Atlantis", "In welke gemeente woont u?"),
        ("wie=ouder&wat=thuis&school=vo&gemeente=" + "x" * 5000, "In welke gemeente woont u?"),
    ],
)
def test_an_unknown_answer_never_crashes_and_is_asked_again(region, query, asks):
    response = Client().get(f"/wegwijzer/?{query}")
    assert response.status_code == 200
    assert asks in response.text
    assert "Dat antwoord kennen wij niet" in response.text
    assert "<script>alert" not in response.text


def test_a_missing_answer_is_simply_asked(region):
    response = Client().get("/wegwijzer/?wat=thuis")
    assert "Wie zoekt er hulp?" in response.text
    assert "Dat antwoord kennen wij niet" not in response.text


def test_a_gemeente_in_other_letters_is_understood(region):
    assert "Wijkteam Lindewaarde" in Client().get(PARENT_AT_HOME.replace("Linde", "linde")).text


def test_the_result_page_takes_few_queries(region, django_assert_max_num_queries):
    Client().get(PARENT_AT_HOME)  # the gemeenten and excerpts are kept from here on
    with django_assert_max_num_queries(1):  # the next meeting; the rest is kept
        Client().get(PARENT_AT_HOME)


# --- Routes and the fallback ----------------------------------------------------------------


def test_a_route_for_the_school_type_comes_before_the_general_one(region):
    special = _topic("speciaal-onderwijs", "Speciaal onderwijs")
    WegwijzerRoute.objects.create(
        audience="ouder", situation="thuis", school_type="so",
        first_topic=special, second_topic=region["thuis"],
    )  # fmt: skip
    page = Client().get("/wegwijzer/?wie=ouder&wat=thuis&school=so&gemeente=").text
    assert page.index("/informatie/speciaal-onderwijs/") < page.index("/informatie/thuiszitten/")
    assert "/informatie/leerplicht/" not in page
    assert "/informatie/leerplicht/" in Client().get(PARENT_AT_HOME).text


def test_without_a_route_the_topics_of_the_situations_theme_are_shown(region):
    _topic("een-school-kiezen", "Een school kiezen", themes=["schoolkeuze"])
    page = Client().get("/wegwijzer/?wie=ouder&wat=school&school=&gemeente=").text
    assert "/informatie/een-school-kiezen/" in page
    assert "/informatie/thuiszitten/" not in page
    assert "thema=schoolkeuze" in page
    # "Iets anders" has no theme: the first topics there are.
    assert "/informatie/" in Client().get("/wegwijzer/?wie=ouder&wat=anders&school=&gemeente=").text


def test_an_unpublished_topic_of_a_route_is_left_out_and_topped_up(region):
    Topic.objects.filter(pk=region["leerplicht"].pk).update(published_revision=None)
    Topic.objects.filter(pk=region["consulent"].pk).update(published_revision=None)
    spare = _topic("schorsing", "Schorsing en verwijdering")
    page = Client().get(PARENT_AT_HOME).text
    assert "/informatie/leerplicht/" not in page
    assert "/informatie/thuiszitten/" in page
    assert f"/informatie/{spare.slug}/" in page


# --- The redactie keeps the routes ------------------------------------------------------------


def _route_data(region, **changes) -> dict:
    data = {
        "audience": "jongere",
        "situation": "oneens",
        "school_type": "",
        "first_topic": region["consulent"].pk,
        "second_topic": region["thuis"].pk,
        "third_topic": "",
        "intro": "Vind je dat school iets niet goed doet? Vertel het.",
        "thema": "",
    }
    return data | changes


def test_an_editor_makes_a_route_and_the_next_visitor_follows_it(region, redacteur):
    visitor = Client()
    before = visitor.get("/wegwijzer/?wie=jongere&wat=oneens&school=&gemeente=").text
    assert "Vind je dat school iets niet goed doet?" not in before
    editor = client_for(redacteur)
    listing = editor.get("/redactie/wegwijzer/").text
    assert "Maak een route" in listing
    assert "/redactie/wegwijzer/nieuw/?audience=jongere&amp;situation=oneens" in listing
    form = editor.get("/redactie/wegwijzer/nieuw/?audience=jongere&situation=oneens")
    assert form.context["form"]["audience"].value() == "jongere"
    response = editor.post("/redactie/wegwijzer/nieuw/", _route_data(region))
    assert response.status_code == 302
    route = WegwijzerRoute.objects.get(audience="jongere", situation="oneens")
    assert route.topic_ids() == [region["consulent"].pk, region["thuis"].pk]
    # A second visitor, and the first again: both see the new route at once.
    for client in (Client(), visitor):
        after = client.get("/wegwijzer/?wie=jongere&wat=oneens&school=&gemeente=").text
        assert "Vind je dat school iets niet goed doet?" in after
        assert after.index("/informatie/onderwijsconsulenten/") < after.index("thuiszitten")


def test_an_editor_changes_and_deletes_a_route(region, redacteur):
    editor = client_for(redacteur)
    route = region["route"]
    data = _route_data(region, audience="ouder", situation="thuis", intro="Nieuwe inleiding.")
    assert editor.post(f"/redactie/wegwijzer/{route.pk}/", data).status_code == 302
    assert "Nieuwe inleiding." in Client().get(PARENT_AT_HOME).text
    assert editor.post(f"/redactie/wegwijzer/{route.pk}/verwijderen/").status_code == 302
    assert not WegwijzerRoute.objects.filter(pk=route.pk).exists()
    assert "Nieuwe inleiding." not in Client().get(PARENT_AT_HOME).text


def test_a_route_twice_or_a_page_twice_is_refused_in_plain_words(region, redacteur):
    editor = client_for(redacteur)
    twice = editor.post(
        "/redactie/wegwijzer/nieuw/", _route_data(region, audience="ouder", situation="thuis")
    )
    assert twice.status_code == 200
    assert "Er is al een route voor deze keuzes." in twice.text
    same = editor.post(
        "/redactie/wegwijzer/nieuw/", _route_data(region, second_topic=region["consulent"].pk)
    )
    assert "Kies elke pagina maar één keer." in same.text
    empty = editor.post("/redactie/wegwijzer/nieuw/", {})
    assert "Kies de eerste pagina." in empty.text
    assert WegwijzerRoute.objects.count() == 3


def test_the_listing_warns_when_a_visitor_misses_a_text(region, redacteur):
    page = client_for(redacteur).get("/redactie/wegwijzer/").text
    # The youth route's second page has no text for youths.
    assert "Leerplicht en vrijstelling heeft geen tekst voor jongeren." in page


def test_where_an_organisation_works_is_shown_and_changed_under_four_eyes(region, redacteur):
    editor = client_for(redacteur)
    jeugdteam = Organisatie.objects.get(name="Jeugdteam Veldmeer")
    page = editor.get("/redactie/wegwijzer/werkgebied/")
    assert "Jeugdteam Veldmeer" in page.text
    assert "Onderwijsconsulenten" not in page.text  # national: everywhere
    # A change goes through the organisation's own change, which a second person approves.
    assert f'href="/redactie/organisaties/{jeugdteam.pk}/"' in page.text
    before = set(jeugdteam.werkgebied.values_list("gemeente", flat=True))
    refused = editor.post(
        "/redactie/wegwijzer/werkgebied/", {f"org_{jeugdteam.pk}": ["Veldmeer", "Lindewaarde"]}
    )
    assert refused.status_code == 405
    assert set(jeugdteam.werkgebied.values_list("gemeente", flat=True)) == before


@pytest.mark.parametrize("user", ["validator", "medewerker", "outsider"])
def test_only_a_redacteur_may_change_routes(region, request, user):
    client = client_for(request.getfixturevalue(user))
    route = region["route"]
    assert client.post("/redactie/wegwijzer/nieuw/", _route_data(region)).status_code == 403
    assert client.post(f"/redactie/wegwijzer/{route.pk}/verwijderen/").status_code == 403
    assert client.post("/redactie/wegwijzer/werkgebied/", {}).status_code == 403
    assert WegwijzerRoute.objects.filter(pk=route.pk).exists()
    assert WegwijzerRoute.objects.count() == 3
    assert Werkgebied.objects.count() == 2


def test_a_visitor_cannot_reach_the_routes(region):
    response = Client().post(f"/redactie/wegwijzer/{region['route'].pk}/verwijderen/")
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"] or "login" in response["Location"]
    assert WegwijzerRoute.objects.filter(pk=region["route"].pk).exists()


# --- The demo region -------------------------------------------------------------------------


def test_the_demo_has_a_route_for_every_audience_and_situation():
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    data = tomllib.loads((fixtures / "demo_wegwijzer.toml").read_text(encoding="utf-8"))
    content = tomllib.loads((fixtures / "demo_content.toml").read_text(encoding="utf-8"))
    region = tomllib.loads((fixtures / "demo_region.toml").read_text(encoding="utf-8"))
    slugs = {t["slug"] for t in content["topics"]}
    names = {o["name"] for o in region["organisaties"]}
    gemeenten = {row[7] for row in region["schools"]}
    general = {(r["audience"], r["situation"]) for r in data["routes"] if not r.get("school_type")}
    assert general == {(a, s) for a in WegwijzerAudience.values for s in WegwijzerSituation.values}
    for route in data["routes"]:
        assert 2 <= len(route["topics"]) <= 3, route
        assert set(route["topics"]) <= slugs, route
        assert set(route.get("organisaties", [])) <= names, route
        assert len(route.get("intro", "")) <= 400, route
    for name, areas in data["werkgebied"].items():
        assert name in names
        assert set(areas) <= gemeenten


def test_a_region_without_schools_asks_three_questions():
    _topic("thuiszitten", "Als uw kind thuiszit")
    step = Client().get("/wegwijzer/?wie=ouder&wat=thuis").text
    assert "vraag 3 van 3" in step
    assert "Bekijk wat er is" in step
    result = Client().get("/wegwijzer/?wie=ouder&wat=thuis&school=").text
    assert "Dit kan u helpen" in result
    assert "/informatie/thuiszitten/" in result
    assert "<dt>Gemeente</dt>" not in result


# --- Behind the shipped proxy ------------------------------------------------------------------


@needs_postgres
@pytest.mark.django_db(False)
def test_behind_the_proxy_a_question_a_fragment_and_a_restored_page_stay_apart(request):
    """The proxy keeps the page, the htmx fragment and the page htmx restores apart (Vary)."""
    proxy, _, _ = request.getfixturevalue("site")

    def get(path: str, **headers: str) -> tuple[str, str]:
        request = urllib.request.Request(proxy.url + path, headers=headers)
        with urllib.request.urlopen(request) as response:
            assert response.headers.get("Set-Cookie") is None
            return response.read().decode(), response.headers["X-Cache-Status"]

    path = "/wegwijzer/?wie=ouder&wat=thuis&school=vo&gemeente=Lindewaarde"
    page, status = get(path)
    assert status == "MISS" and page.startswith("<!doctype html>")
    assert get(path) == (page, "HIT")  # another visitor, within the seconds
    fragment, _ = get(path, **{"HX-Request": "true"})
    assert fragment.lstrip().startswith("<title>Dit kan u helpen")
    restored, _ = get(path, **{"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert restored.startswith("<!doctype html>")
    assert get(path, **{"HX-Request": "true"})[0] == fragment
