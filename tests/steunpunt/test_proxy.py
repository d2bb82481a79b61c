"""The shipped proxy configuration (deploy/nginx.conf) in front of the production server.

nginx runs the file as shipped (tests/bench/proxy.py replaces only the
upstream, the listen lines and the cache folder) before a real bin/serve on
PostgreSQL and Redis, and visitors use it as browsers do (tests/bench/browser.py:
a cookie jar each, forms sent with the fields of the page they loaded). It
shows that the proxy keeps what the portal marks public, for the seconds the
portal allows, and never serves one visitor's page to another.
"""

import os
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from steunen.demo import DEMO_CODE
from tests.bench.browser import Browser
from tests.bench.proxy import SHIPPED, Proxy, nginx_binary
from tests.servers import Portal, production_database, return_code, shell

REDIS_URL = "redis://127.0.0.1:6379/15"
SECONDS = 2  # PUBLIC_PAGE_SECONDS for this test


@pytest.fixture(scope="module")
def site():
    if nginx_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (bin/check and .ci/run install Debian's nginx)")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    settings = {
        "PUBLIC_PAGE_SECONDS": str(SECONDS),
        # As in production behind this proxy (deploy/nginx.conf says so).
        "BEHIND_TLS_PROXY": "1",
        "TRUSTED_PROXIES": "1",
    }
    with production_database(REDIS_URL, **settings) as env:
        slugs = shell(
            "from informeren.models import Topic; "
            "print(' '.join(Topic.objects.published().order_by('position')"
            ".values_list('slug', flat=True)[:4]))",
            env,
        ).split()
        with Portal(env, workers=1) as portal, Proxy(f"127.0.0.1:{portal.port}") as proxy:
            proxy.portal = portal
            yield proxy, env, [f"/informatie/{slug}/" for slug in slugs]


def test_an_anonymous_information_page_comes_from_the_proxy_the_second_time(site):
    proxy, _, pages = site
    first = Browser(proxy.url).get(pages[0])
    assert first.status == 200
    directives = {d.strip() for d in first.headers["Cache-Control"].split(",")}
    assert directives == {"public", f"max-age={SECONDS}"}
    assert "Cookie" not in (first.headers.get("Vary") or "")
    assert first.headers.get("Set-Cookie") is None
    assert first.headers["X-Cache-Status"] == "MISS"

    second = Browser(proxy.url).get(pages[0])  # another visitor, within the seconds
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.text == first.text

    # Compressed for a browser that accepts it.
    request = urllib.request.Request(proxy.url + pages[0], headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as zipped:
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["X-Cache-Status"] == "HIT"


def test_a_stampede_on_a_page_not_kept_makes_one_request_to_the_portal(site):
    proxy, _, pages = site
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: Browser(proxy.url).get(pages[1]), range(12)))
    assert {a.status for a in answers} == {200}
    statuses = sorted(a.headers["X-Cache-Status"] for a in answers)
    # One asks the portal; the others wait for its answer (proxy_cache_lock).
    assert statuses.count("MISS") == 1, statuses
    assert len({a.text for a in answers}) == 1


def test_visitors_loading_a_form_at_the_same_moment_do_not_wait_for_each_other(site):
    proxy, _, _ = site

    def crowd(url: str) -> float:
        started = time.monotonic()
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(lambda _: Browser(url).get("/vraag/"), range(12)))
        assert {a.status for a in answers} == {200}
        return time.monotonic() - started

    crowd(proxy.portal.url)  # warm
    direct, through = crowd(proxy.portal.url), crowd(proxy.url)
    # Looked up in the cache, they would go one at a time, 0.5 s apart (proxy_cache_lock).
    assert through < direct + 1.5, (direct, through)


def public_routes() -> list[str]:
    """A path for every URL of the portal whose view is a public_page (steunpunt/cache.py)."""

    def is_public(view) -> bool:
        while view is not None:
            code = getattr(view, "__code__", None)  # functools.wraps keeps the code's own name
            if code is not None and code.co_qualname == "public_page.<locals>.serve":
                return True
            view = getattr(view, "__wrapped__", None)
        return False

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and is_public(pattern.callback):
                yield "/" + re.sub(r"<[^>]+>", "1", route)

    return list(walk(get_resolver().url_patterns, ""))


def test_the_proxy_looks_up_every_kind_of_public_page_and_no_form():
    block = SHIPPED.read_text().split("map $uri $steunpunt_never_public {", 1)[1].split("}", 1)[0]
    exact = re.findall(r'^\s*"(/[^"~]*)" 0;', block, re.M)
    prefixes = [re.compile(rx) for rx in re.findall(r'^\s*"~([^"]+)" 0;', block, re.M)]

    def looked_up(path: str) -> bool:
        return path in exact or any(rx.search(path) for rx in prefixes)

    routes = public_routes()
    assert "/informatie/1/" in routes and "/" in routes
    assert [path for path in routes if not looked_up(path)] == []
    for form in ("/vraag/", "/vraag/terug/", "/zoeken/", "/account/login/", "/bijeenkomsten/1/"):
        assert not looked_up(form), form


def test_the_proxy_looks_up_each_public_page_in_every_language_and_no_form():
    # Every public page is also under /en/, /ar/, ... (steunpunt/languages.py).
    block = SHIPPED.read_text().split("map $uri $steunpunt_never_public {", 1)[1].split("}", 1)[0]
    exact = re.findall(r'^\s*"(/[^"~]*)" 0;', block, re.M)
    prefixes = [re.compile(rx) for rx in re.findall(r'^\s*"~([^"]+)" 0;', block, re.M)]

    def looked_up(path: str) -> bool:
        return path in exact or any(rx.search(path) for rx in prefixes)

    routes = public_routes()
    for code in ("en", "ar", "tr", "pl", "uk"):
        assert [path for path in routes if not looked_up(f"/{code}{path}")] == [], code
        for form in ("/vraag/", "/vraag/terug/", "/zoeken/", "/bijeenkomsten/1/"):
            assert not looked_up(f"/{code}{form}"), (code, form)
    assert not looked_up("/xx/informatie/1/")  # not a language of ours


def test_the_proxy_keeps_each_language_of_a_page_apart(site):
    proxy, _, pages = site
    arabic, dutch = f"/ar{pages[1]}", pages[1]
    seen = {"ar": [], "nl": []}
    for _ in range(3):  # kept by the proxy after the first (unless just expired)
        ar = Browser(proxy.url).get(arabic, headers={"Accept-Language": "nl"})
        nl = Browser(proxy.url).get(dutch, headers={"Accept-Language": "ar"})
        assert ar.status == nl.status == 200
        assert '<html lang="ar" dir="rtl">' in ar.text and '<html lang="nl">' in nl.text
        assert ar.headers["Content-Language"] == "ar" and nl.headers["Content-Language"] == "nl"
        seen["ar"].append(ar.headers["X-Cache-Status"])
        seen["nl"].append(nl.headers["X-Cache-Status"])
    assert "HIT" in seen["ar"][1:] and "HIT" in seen["nl"][1:], seen


def test_three_visitors_in_turn_each_send_their_own_form(site):
    proxy, _, _ = site
    visitors = [Browser(proxy.url) for _ in range(3)]
    forms = [visitor.get("/vraag/") for visitor in visitors]
    receipts = [
        visitor.submit(
            "vraagformulier",
            question=f"Vraag {n}: krijgt mijn dochter een plek op het speciaal onderwijs?",
        )
        for n, visitor in enumerate(visitors)
    ]
    for receipt in receipts:
        assert receipt.status == 200, receipt.text[:500]
        assert 'id="return-code"' in receipt.text
    codes = {return_code(receipt.text) for receipt in receipts}
    assert len(codes) == 3  # three questions, not one sent three times
    # Because the proxy kept none of the forms: each was made for its visitor.
    for form in forms:
        assert form.headers["X-Cache-Status"] != "HIT"
        assert "private" in form.headers["Cache-Control"]
    tokens = {visitor.cookie("csrftoken") for visitor in visitors}
    assert len(tokens) == 3 and None not in tokens  # a CSRF cookie each, not a shared one


def test_a_visitor_with_a_session_is_never_served_from_the_cache(site):
    proxy, _, pages = site
    # Kept for everyone: anonymous visitors get it from the proxy.
    Browser(proxy.url).get(pages[2])
    assert Browser(proxy.url).get(pages[2]).headers["X-Cache-Status"] == "HIT"

    asker = Browser(proxy.url)
    asker.get("/vraag/terug/")
    opened = asker.submit(code=DEMO_CODE)
    assert opened.status == 302, opened.text[:500]
    assert asker.cookie("sessionid")
    page = asker.get(pages[2])
    assert page.status == 200
    assert page.headers["X-Cache-Status"] == "BYPASS"
    assert "private" in page.headers["Cache-Control"]
    # Nor is what the portal made for them kept for others: a page only the
    # asker has seen is still new to the next visitor.
    assert asker.get(pages[3]).headers["X-Cache-Status"] == "BYPASS"
    assert Browser(proxy.url).get(pages[3]).headers["X-Cache-Status"] == "MISS"
    conversation = asker.get("/vraag/terug/gesprek/")
    assert conversation.status == 200
    assert "/vraag/terug/sluiten/" in conversation.text
    stranger = Browser(proxy.url).get("/vraag/terug/gesprek/")
    assert "/vraag/terug/sluiten/" not in stranger.text

    # A message waiting (Django's messages cookie) goes past the cache too.
    flash = Browser(proxy.url).get(pages[2], headers={"Cookie": "messages=abc"})
    assert flash.headers["X-Cache-Status"] == "BYPASS"


def test_a_published_change_shows_within_the_public_seconds(site):
    proxy, env, pages = site
    page = pages[0]
    # Kept by the proxy (on a slow machine the copy may just have expired
    # between two requests: the next one is then served from the new copy).
    statuses = [Browser(proxy.url).get(page).headers["X-Cache-Status"] for _ in range(3)]
    assert "HIT" in statuses[1:], statuses
    marker = f"Nieuw in onze regio {time.time_ns()}"
    # As the redactie does it: a new revision, checked by someone else, published.
    shell(
        "from django.contrib.auth.models import User\n"
        "from informeren import actions\n"
        "from informeren.models import Topic\n"
        f"topic = Topic.objects.get(slug={page.split('/')[2]!r})\n"
        "author, validator = User.objects.get(username='redacteur'), "
        "User.objects.get(username='validator')\n"
        "revision = actions.start_revision(topic=topic, by=author)\n"
        f"revision.regional_ouders += '\\n\\n{marker}'\n"
        "revision.save()\n"
        "revision.submit(by=author)\n"
        "revision.approve(by=validator)\n"
        "actions.publish(revision=revision, by=validator)\n",
        env,
    )
    time.sleep(SECONDS + 0.5)
    fresh = Browser(proxy.url).get(page)
    assert marker in fresh.text, fresh.headers["X-Cache-Status"]
    assert fresh.headers["X-Cache-Status"] in {"MISS", "EXPIRED"}
