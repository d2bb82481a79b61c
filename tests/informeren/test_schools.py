"""A parent finds a school by gemeente, type, support and accessibility."""

import pytest

from informeren.models import Ondersteuningsvorm, School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def support(slug: str) -> Ondersteuningsvorm:
    return Ondersteuningsvorm.objects.get(slug=slug)


@pytest.fixture
def region():
    autism_lindewaarde = SchoolFactory(
        name="De Regenboog", gemeente="Lindewaarde", place="Lindewaarde"
    )
    autism_lindewaarde.support.add(support("autisme"), support("dyslexie"))
    autism_lindewaarde.wheelchair_accessible = True
    autism_lindewaarde.save()
    dyslexia_only = SchoolFactory(name="Het Kompas", gemeente="Lindewaarde")
    dyslexia_only.support.add(support("dyslexie"))
    elsewhere = SchoolFactory(name="De Bron", gemeente="Veldmeer", school_type="sbo")
    elsewhere.support.add(support("autisme"))
    return autism_lindewaarde, dyslexia_only, elsewhere


def names(response) -> list[str]:
    results = response.text.split('id="results"')[1]
    return [
        part.split("</a>")[0].split(">")[-1]
        for part in results.split('class="school-card__name"')[1:]
    ]


def test_filters_combine(client, region):
    assert names(client.get("/scholen/", {"gemeente": "Lindewaarde"})) == [
        "De Regenboog",
        "Het Kompas",
    ]
    assert names(
        client.get("/scholen/", {"gemeente": "Lindewaarde", "ondersteuning": "autisme"})
    ) == ["De Regenboog"]
    assert names(client.get("/scholen/", {"ondersteuning": ["autisme", "dyslexie"]})) == [
        "De Regenboog"
    ]
    assert names(client.get("/scholen/", {"soort": "sbo"})) == ["De Bron"]
    assert names(client.get("/scholen/", {"toegankelijk": "rolstoel"})) == ["De Regenboog"]


def test_filters_stay_in_the_url_and_in_the_form(client, region):
    page = client.get("/scholen/", {"gemeente": "Veldmeer", "ondersteuning": "autisme"}).text
    assert '<option value="Veldmeer" selected>' in page
    assert 'value="autisme"' in page and "checked" in page.split('value="autisme"')[1][:40]
    assert 'data-hx-push-url="true"' in page


def test_htmx_gets_only_the_results(client, region):
    response = client.get("/scholen/", {"gemeente": "Veldmeer"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results"')
    assert "HX-Request" in response["Vary"]


def test_filter_values_that_do_not_exist_are_ignored(client, region):
    response = client.get(
        "/scholen/",
        {
            "gemeente": "Atlantis",
            "soort": "xyz",
            "ondersteuning": "vliegen",
            "toegankelijk": "?",
            "pagina": "-1",
        },
    )
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_school_page_shows_its_profile(client, region):
    school = region[0]
    page = client.get(f"/scholen/{school.pk}/").text
    assert "De Regenboog" in page
    assert "Autisme" in page
    assert "Rolstoeltoegankelijk" in page
    assert school.samenwerkingsverband.code in page


def test_unknown_school_is_a_404(client, db):
    assert client.get("/scholen/999999/").status_code == 404


def test_finder_queries_do_not_grow_with_the_number_of_schools(
    client, region, django_assert_max_num_queries, settings
):
    params = {
        "gemeente": "Lindewaarde",
        "ondersteuning": ["autisme", "dyslexie"],
        "toegankelijk": "rolstoel",
    }
    client.get("/scholen/", params)
    with django_assert_max_num_queries(10) as few:
        client.get("/scholen/", params)
    for _n in range(40):
        school = SchoolFactory(gemeente="Lindewaarde")
        school.support.add(support("autisme"), support("dyslexie"))
        School.objects.filter(pk=school.pk).update(wheelchair_accessible=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/scholen/", params)
    assert len(names(response)) == 25


def test_editor_keeps_the_support_profile(client, redacteur, region):
    from tests.conftest import client_for

    school = region[1]
    response = client_for(redacteur).post(
        f"/redactie/scholen/{school.pk}/",
        {
            "support": [support("gedrag").pk],
            "has_lift": "on",
            "profile_url": "geen-url",
            "profile_checked_at": "2026-11-01",
        },
    )
    assert "Vul een volledig webadres in" in response.text
    client_for(redacteur).post(
        f"/redactie/scholen/{school.pk}/",
        {"support": [support("gedrag").pk], "has_lift": "on", "profile_checked_at": "2026-11-01"},
    )
    school.refresh_from_db()
    assert list(school.support.values_list("slug", flat=True)) == ["gedrag"]
    assert school.has_lift


def test_only_editors_edit_profiles(client, medewerker, region):
    from tests.conftest import client_for

    assert client_for(medewerker).get(f"/redactie/scholen/{region[0].pk}/").status_code == 403
