"""The national hub and a region as two real servers on loopback (issue 26, done when).

Each has its own PostgreSQL cluster, Redis database and keys (SECRET_KEY, and
so NATIONAL_SIGNING_KEY). A text published at the hub reaches the region as a
version for review, is approved and published there, and the region's page
says where it comes from; a tampered or replayed feed is refused.
"""

import json
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import Page, Portal, Visitor, manage, production_database, shell

HUB_REDIS = "redis://127.0.0.1:6379/9"
REGION_REDIS = "redis://127.0.0.1:6379/10"
NEW_TEXT = "Vanaf dit schooljaar zoekt de school binnen zes weken een passende plek."


def publish_at_hub(env: dict[str, str]) -> None:
    shell(
        "from django.contrib.auth.models import User\n"
        "from informeren import actions\n"
        "from informeren.models import Topic\n"
        "r, v = User.objects.get(username='redacteur'), User.objects.get(username='validator')\n"
        "topic = Topic.objects.get(slug='zorgplicht')\n"
        "rev = actions.start_revision(topic=topic, by=r)\n"
        f"rev = actions.edit_revision(revision=rev, by=r, content={{'national_ouders': "
        f"rev.national_ouders + '\\n\\n{NEW_TEXT}'}})\n"
        "rev = actions.submit_revision(revision=rev, by=r)\n"
        "rev = actions.approve_revision(revision=rev, by=v, b1_reason='Getest.')\n"
        "actions.publish(revision=rev, by=v)\n",
        env,
    )


def shown_within_seconds(base: str, path: str, text: str, seconds: float = 12) -> Page:
    """The page once it shows ``text``: a published change shows within seconds, as public
    pages may be kept that long (PUBLIC_PAGE_SECONDS)."""
    deadline = time.monotonic() + seconds
    while True:
        page = Visitor(base).get(path)
        if text in page.text or time.monotonic() > deadline:
            return page
        time.sleep(0.5)


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url + "/landelijk/feed/", timeout=10) as response:
        return response.read(), response.headers["X-Steunpunt-Signature"]


def pull_file(env: dict[str, str], body: bytes, signature: str) -> str:
    """Feed the region bytes as if its hub had sent them; the pull's result and message."""
    path = Path(tempfile.mkdtemp()) / "feed.json"
    path.write_bytes(body)
    return shell(
        "from pathlib import Path\n"
        "from informeren.subscription import pull_bytes\n"
        f"p = pull_bytes(Path({str(path)!r}).read_bytes(), {signature!r})\n"
        "print(p.result, p.message)",
        env,
    )


@pytest.fixture(scope="module")
def hub_and_region():
    with (
        production_database(HUB_REDIS, SECRET_KEY="hub-" + "h" * 60, NATIONAL_HUB="1") as hub_env,
        production_database(REGION_REDIS, SECRET_KEY="region-" + "r" * 60) as region_env,
    ):
        hub_key = shell("from steunpunt.signing import public_key; print(public_key())", hub_env)
        with Portal(hub_env, workers=1) as hub:
            region_env.update(NATIONAL_HUB_URL=hub.url, NATIONAL_HUB_PUBLIC_KEY=hub_key)
            with Portal(region_env, workers=1) as region:
                yield hub, hub_env, region, region_env


def test_a_text_published_at_the_hub_is_reviewed_and_published_in_the_region(hub_and_region):
    hub, hub_env, region, region_env = hub_and_region
    assert Visitor(region.url).get("/landelijk/feed/").status == 404  # a region is no hub
    first_body, first_signature = fetch(hub.url)
    print(manage("pull_national", env=region_env))  # the region takes in what it has
    publish_at_hub(hub_env)
    body, signature = fetch(hub.url)
    assert json.loads(body)["version"] == json.loads(first_body)["version"] + 1
    assert NEW_TEXT.encode() in body

    out = manage("pull_national", env=region_env)
    assert "Opgehaald" in out and "zorgplicht" in out, out
    assert NEW_TEXT not in Visitor(region.url).get("/informatie/zorgplicht/").text  # not yet

    # The region's validator reads the word diff and publishes it.
    published = shell(
        "from django.contrib.auth.models import User\n"
        "from informeren import actions\n"
        "from informeren.diff import revision_diff\n"
        "from informeren.models import Revision\n"
        "rev = Revision.objects.get(topic__slug='zorgplicht', status='ter_beoordeling', "
        "origin='import')\n"
        "diff = ''.join(str(d) for _l, d in revision_diff(rev.topic.published_revision, rev))\n"
        "assert '<ins>' in diff, diff\n"
        "v = User.objects.get(username='validator')\n"
        "rev = actions.approve_revision(revision=rev, by=v, b1_reason='Getest.')\n"
        "actions.publish(revision=rev, by=v)\n"
        "print(rev.national_number)",
        region_env,
    )
    page = shown_within_seconds(region.url, "/informatie/zorgplicht/", NEW_TEXT)
    assert page.status == 200
    assert NEW_TEXT in page.text
    assert f"Landelijke tekst, versie {published} van " in page.text

    # The first feed, replayed, is older than what the region took: refused.
    replay = pull_file(region_env, first_body, first_signature)
    assert replay.startswith("geweigerd"), replay
    assert "ouder dan" in replay
    # The newest feed with one word changed on the way: refused.
    tampered = body.replace(b"zes weken", b"zes maanden")
    refused = pull_file(region_env, tampered, signature)
    assert refused.startswith("geweigerd") and "handtekening" in refused, refused
    assert "zes maanden" not in Visitor(region.url).get("/informatie/zorgplicht/").text
