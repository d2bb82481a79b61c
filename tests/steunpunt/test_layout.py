"""The base layout every visitor meets: Dutch, accessible, with a quick exit."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import client_for

PUBLIC_PAGES = ["home", "privacy", "accessibility", "account:login"]


@pytest.fixture
def home(client, db):
    return client.get(reverse("home"))


def test_home_explains_the_three_ways_to_get_help(home):
    assert home.status_code == 200
    assert "Lees wat er kan" in home.text
    assert "Stel uw vraag" in home.text
    assert "Praat met anderen" in home.text


def test_page_is_in_dutch_with_landmarks(home):
    page = home.text
    assert '<html lang="nl">' in page
    assert "<header" in page
    assert '<nav class="site-nav" aria-label="Hoofdmenu">' in page
    assert '<main id="inhoud"' in page
    assert "<footer" in page


def test_skip_link_is_the_first_link_and_points_at_main(home):
    page = home.text
    body = page[page.index("<body") :]
    first_link = body[body.index("<a ") : body.index("</a>")]
    assert 'href="#inhoud"' in first_link
    assert "Direct naar de inhoud" in first_link
    assert 'id="inhoud"' in page


@pytest.mark.parametrize("name", ["home", "privacy", "accessibility"])
def test_every_public_page_has_the_quick_exit(client, db, settings, name):
    settings.QUICK_EXIT_URL = "https://neutraal.example/"
    page = client.get(reverse(name)).text
    # The link goes through our server (it ends the session); the script goes straight there.
    assert f'href="{reverse("quick_exit")}"' in page
    assert 'data-quick-exit-to="https://neutraal.example/"' in page
    assert "Snel weg" in page
    assert "drie keer op de Shift-toets" in page


def test_quick_exit_link_sends_no_referrer(home):
    assert 'rel="nofollow noreferrer" data-quick-exit-button' in home.text


def test_htmx_comes_from_our_own_static_files(home):
    page = home.text
    assert '<script src="/static/vendor/htmx/htmx.' in page
    assert "unpkg" not in page and "cdn" not in page.lower()


def test_htmx_requests_carry_the_csrf_token(client, db):
    page = client.get(reverse("steunen:ask")).text
    start = page.index("data-hx-headers='") + len("data-hx-headers='")
    headers = json.loads(page[start : page.index("'", start)])
    assert len(headers["X-CSRFToken"]) >= 32


def test_pages_cached_for_everyone_carry_no_token_and_set_no_cookie(home):
    assert "X-CSRFToken" not in home.text
    assert not home.cookies


def test_no_inline_script_is_needed_and_csp_forbids_it(home):
    policy = home["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in home.text


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_load_for_a_visitor(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_footer_has_contact_privacy_and_independence(home, settings):
    page = home.text
    assert settings.STEUNPUNT_PHONE in page
    assert reverse("privacy") in page
    assert reverse("accessibility") in page
    assert "onafhankelijk" in page


def test_unknown_page_is_a_friendly_dutch_404(client, db):
    response = client.get("/bestaat-echt-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text
    assert reverse("home") in response.text
    assert "Snel weg" in response.text


@pytest.mark.urls("tests.steunpunt.urls_broken")
def test_server_error_is_a_friendly_dutch_500(client, db):
    client.raise_request_exception = False
    response = client.get("/kapot/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    assert "Dat ligt aan ons" in response.text
    assert "Snel weg" in response.text


@pytest.mark.urls("tests.steunpunt.urls_broken")
def test_a_database_that_is_away_gives_a_friendly_503(client, db):
    client.raise_request_exception = False
    response = client.get("/database-weg/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "De website is even niet bereikbaar" in response.text
    assert "Dan is uw vraag nog niet bij ons aangekomen" in response.text


def test_healthz_reports_the_database_as_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "tasks": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_unhealthy_when_the_database_is_unreachable(client):
    # Without the db fixture pytest-django blocks every query, like a database that is down.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_staff_see_a_logout_button_instead_of_the_login_link(medewerker):
    page = client_for(medewerker).get(reverse("home")).text
    assert "Uitloggen" in page
    assert "Inloggen voor medewerkers" not in page


def test_the_top_of_the_page_kept_per_process_stays_right_for_each_visitor(
    client, medewerker, bestuur
):
    # An error page in the staff area first: what is kept must not depend on it.
    assert client_for(bestuur).get(reverse("steunen:inbox")).status_code == 403
    staff = client_for(medewerker)
    inbox = staff.get(reverse("steunen:inbox")).text
    staff_home = staff.get(reverse("home")).text
    visitor_home = client.get(reverse("home")).text
    login = client.get(reverse("account:login")).text
    # Staff pages leave the quick exit out; every public page has it, for staff too.
    assert "Snel weg" not in inbox and "Snel weg" not in login
    assert "Snel weg" in staff_home and "Snel weg" in visitor_home
    # What only staff see is never part of what visitors get.
    assert "Uitloggen" in staff_home
    assert "Uitloggen" not in visitor_home
    assert medewerker.get_username() not in visitor_home
    # An error page outside the staff area keeps the quick exit.
    assert "Snel weg" in client.get("/bestaat-niet/").text


def test_privacy_statement_follows_the_retention_settings(client, db, settings):
    settings.CASE_RETENTION_DAYS = 730
    settings.MEETING_RETENTION_DAYS = 14
    page = client.get("/privacy/").text
    assert "Tot 24 maanden nadat uw vraag is afgerond" in page
    assert "Tot 14 dagen na de bijeenkomst" in page


REDIS_AWAY = {
    # Nothing listens on port 9 of loopback: a Redis that is down.
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    },
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def test_with_the_shared_cache_away_pages_still_work_and_healthz_says_so(client, db):
    client.raise_request_exception = False
    with override_settings(CACHES=REDIS_AWAY):
        page = client.get(reverse("home"))
        health = client.get("/healthz")
        question = client.post(reverse("steunen:ask"), {"question": "Mag dit?"})
    assert page.status_code == 200
    assert "Lees wat er kan" in page.text
    # The site still serves: a load balancer must keep it (issue 19).
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
        "tasks": "ok",
    }
    # Rate limits cannot be checked: asking waits for the cache, with the friendly page.
    assert question.status_code == 503
    assert "Dan is uw vraag nog niet bij ons aangekomen" in question.text
