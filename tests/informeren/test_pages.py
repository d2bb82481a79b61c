"""A visitor reads validated information: national text, regional supplement, audiences."""

import pytest
from django.urls import reverse

from informeren.models import Begrip, RevisionStatus
from tests.conftest import client_for
from tests.factories import OrganisatieFactory
from tests.informeren.helpers import draft, published_topic

pytestmark = pytest.mark.django_db


def test_topics_page_lists_published_topics_by_theme(client):
    published_topic("zorgplicht", title="Zorgplicht")
    page = client.get("/informatie/").text
    assert "Rechten en plichten" in page
    assert "Zorgplicht" in page


def test_topic_shows_national_text_regional_supplement_sources_and_check_date(client):
    topic = published_topic(
        body="Landelijke uitleg.",
        regional_ouders="In onze regio belt u het loket.",
        sources="Wet op het primair onderwijs, artikel 40\nRijksoverheid | https://www.rijksoverheid.nl",
    )
    page = client.get(f"/informatie/{topic.slug}/").text
    assert "Landelijke uitleg." in page
    assert "Zo werkt het in onze regio" in page
    assert "In onze regio belt u het loket." in page
    assert "Wet op het primair onderwijs, artikel 40" in page
    assert '<a href="https://www.rijksoverheid.nl">Rijksoverheid</a>' in page
    assert "Gecontroleerd op" in page


def test_youth_variant_has_its_own_address_and_a_clear_switch(client):
    topic = published_topic(national_jongeren="Uitleg voor jou.")
    parent_page = client.get(f"/informatie/{topic.slug}/").text
    assert f'href="/informatie/{topic.slug}/jongeren/"' in parent_page
    youth_page = client.get(f"/informatie/{topic.slug}/jongeren/").text
    assert "Uitleg voor jou." in youth_page
    assert '<span aria-current="page">Voor jongeren</span>' in youth_page


def test_missing_variant_shows_the_parent_text_and_says_so(client):
    topic = published_topic(body="Tekst voor ouders.")
    page = client.get(f"/informatie/{topic.slug}/kinderen/").text
    assert "Deze tekst is nog niet voor kinderen geschreven." in page
    assert "Tekst voor ouders." in page
    assert client.get(f"/informatie/{topic.slug}/onzin/").status_code == 404


def test_the_public_sees_only_the_published_revision(client):
    topic = published_topic(body="Gepubliceerde tekst.")
    draft(topic, topic.published_revision.author, national_ouders="Nog niet goedgekeurd.")
    page = client.get(f"/informatie/{topic.slug}/").text
    assert "Gepubliceerde tekst." in page
    assert "Nog niet goedgekeurd." not in page


def test_unknown_slug_is_a_friendly_404_with_search(client):
    response = client.get("/informatie/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text
    assert 'action="/zoeken/"' in response.text


def test_unpublished_topic_is_not_found(client, redacteur):
    from informeren import actions

    actions.create_topic(
        slug="geheim", by=redacteur, title="Geheim", summary="x", national_ouders="x"
    )
    assert client.get("/informatie/geheim/").status_code == 404


def test_glossary_terms_are_linked_on_first_use_only(client):
    Begrip.objects.create(
        term="Zorgplicht", slug="zorgplicht", explanation="De plicht van de school."
    )
    topic = published_topic(
        body="De zorgplicht geldt. Nog eens zorgplicht.", regional_ouders="Ook hier zorgplicht."
    )
    page = client.get(f"/informatie/{topic.slug}/").text
    assert page.count('class="begrip"') == 1
    assert 'href="/begrippen/#zorgplicht"' in page
    glossary = client.get("/begrippen/").text
    assert 'id="zorgplicht"' in glossary
    assert "De plicht van de school." in glossary


def test_related_topics_and_organisations_are_shown(client):
    topic = published_topic("zorgplicht", title="Zorgplicht")
    other = published_topic("aanmelden", title="Aanmelden")
    topic.related.add(other)
    topic.organisaties.add(OrganisatieFactory(name="Onderwijsconsulenten"))
    page = client.get("/informatie/zorgplicht/").text
    assert "Aanmelden" in page
    assert "Onderwijsconsulenten" in page
    assert "Zorgplicht" in client.get("/informatie/aanmelden/").text


def test_a_published_page_costs_the_same_queries_however_much_content_exists(
    client, django_assert_max_num_queries, settings
):
    # Reads go to the database on a clock (informeren.usage): which request pays
    # for that depends on how long the setup took, not on the content.
    settings.COUNT_READS = False
    topic = published_topic()
    # Rendered from scratch both times: every edit below starts a new content generation.
    with django_assert_max_num_queries(10) as few:
        client.get(f"/informatie/{topic.slug}/")
    for n in range(15):
        other = published_topic(f"onderwerp-{n}", title=f"Onderwerp {n}")
        topic.related.add(other)
        Begrip.objects.create(term=f"Begrip {n}", slug=f"begrip-{n}", explanation="uitleg")
        draft(topic, topic.published_revision.author, title=f"Concept {n}").submit(
            by=topic.published_revision.author
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/informatie/{topic.slug}/")


def test_overdue_pages_are_listed_for_editors(redacteur):
    topic = published_topic()
    type(topic).objects.filter(pk=topic.pk).update(review_by="2020-01-01")
    page = client_for(redacteur).get(reverse("informeren:redactie")).text
    assert "Moet opnieuw gecontroleerd worden" in page
    assert topic.title in page.split("Moet opnieuw gecontroleerd worden")[1].split("Alle pagina")[0]


def test_revision_status_labels_are_dutch():
    assert RevisionStatus.TER_BEOORDELING.label == "Ter beoordeling"
