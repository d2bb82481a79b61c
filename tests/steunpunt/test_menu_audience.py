"""The menu of a youth's or child's page leads to their own variants, the quick exit is
in a landmark, and no two menus share a name (issue 21, item 6)."""

import re

import pytest
from django.test import Client

from steunpunt.context_processors import nav_audience
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def menu_links(html: str) -> dict[str, str]:
    """The wide menu's items: their text and where they lead."""
    nav = re.search(r'<nav class="site-nav" aria-label="Hoofdmenu">(.*?)</nav>', html, re.S)
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav.group(1))
    }


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/jongeren/", "jongere"),
        ("/informatie/thuiszitten/jongeren/", "jongere"),
        ("/vraag/?voor=jongere", "jongere"),
        ("/wegwijzer/?wie=jongere&wat=thuis", "jongere"),
        ("/kinderen/", "kind"),
        ("/informatie/thuiszitten/kinderen/", "kind"),
        ("/vraag/kind/", "kind"),
        ("/vraag/terug/?voor=kind", "kind"),
        ("/", ""),
        ("/informatie/thuiszitten/", ""),
        ("/vraag/?voor=iemand", ""),
    ],
)
def test_whom_a_page_speaks_to_comes_from_its_address(path, expected):
    from django.http import QueryDict

    address, _, query = path.partition("?")
    assert nav_audience(address, QueryDict(query)) == expected


def test_a_youths_menu_leads_to_the_youth_variants():
    links = menu_links(Client().get("/jongeren/").content.decode())
    assert links["Informatie"] == "/jongeren/"
    assert links["Stel een vraag"] == "/vraag/?voor=jongere"
    assert links["Mijn vraag"] == "/vraag/terug/?voor=jongere"
    assert links["Wegwijzer"] == "/wegwijzer/?wie=jongere"


def test_a_childs_menu_leads_to_the_child_variants():
    links = menu_links(Client().get("/kinderen/").content.decode())
    assert links["Informatie"] == "/kinderen/"
    assert links["Stel een vraag"] == "/vraag/kind/"
    assert links["Mijn vraag"] == "/vraag/terug/?voor=kind"


def test_a_parents_menu_after_a_youths_is_the_parents_again():
    Client().get("/jongeren/")  # the top of the page is kept: per audience
    links = menu_links(Client().get("/privacy/").content.decode())
    assert links["Informatie"] == "/informatie/"
    assert links["Stel een vraag"] == "/vraag/"
    assert links["Mijn vraag"] == "/vraag/terug/"


def test_the_youth_menu_in_another_language_keeps_its_prefix():
    links = menu_links(Client().get("/en/jongeren/").content.decode().replace(
        'aria-label="Main menu"', 'aria-label="Hoofdmenu"'))  # fmt: skip
    assert "/en/vraag/?voor=jongere" in links.values()
    assert "/en/jongeren/" in links.values()


def test_the_quick_exit_is_in_a_landmark_of_its_own():
    html = Client().get("/").content.decode()
    assert re.search(r'<aside class="quick-exit" data-quick-exit aria-label="Snel weg">', html)


def test_staff_items_are_a_menu_of_their_own_with_its_own_name(medewerker):
    html = client_for(medewerker).get("/").content.decode()
    names = re.findall(r'<nav class="[^"]*" aria-label="([^"]+)"', html)
    assert "Menu voor medewerkers" in names
    # The phone's and the wide public menu are never shown together (CSS); the
    # staff menu stands beside either, under its own name.
    assert names.count("Menu voor medewerkers") == 1
