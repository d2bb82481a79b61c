"""Every public page is valid HTML: the W3C Nu checker (npm `vnu-jar`) finds no error.

The pages are those of the demo region (tests/public_pages.py) in every language, every
topic in every written variant in Dutch, and the asker's own pages (the receipts, the
conversation, the evaluation). They are rendered with the test client and checked in
one run of the checker (one Java start for some three hundred files).
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.public_pages import NOT_PAGES, PREFIXES, demo_pages, load_demo, public_route_names
from tests.steunen.helpers import code_data, form_data

JAVA = shutil.which("java") or "java"
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo region, loaded once for this module and rolled back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(TASKS=IMMEDIATE_TASKS),
        transaction.atomic(),
    ):
        load_demo()
        yield demo_pages()
        transaction.set_rollback(True)


def asker_pages(demo, prefix: str) -> dict[str, str]:
    """The pages of one's own question, by name: what a visitor gets after a form."""
    pages = {}
    for name, path, data in (
        ("receipt", "/vraag/", form_data(submission_token=f"valid{prefix}1")),
        ("youth receipt", "/vraag/?voor=jongere", form_data(
            submission_token=f"valid{prefix}2", asker_type="jongere", voor="jongere")),
        ("child receipt", "/vraag/kind/", form_data(submission_token=f"valid{prefix}3")),
        ("form with errors", "/vraag/", form_data(submission_token=f"valid{prefix}4", question="")),
    ):  # fmt: skip
        response = Client().post(prefix + path, data)
        assert response.status_code == 200, (name, response.status_code)
        pages[f"{prefix}{path} ({name})"] = response.content.decode()
    for asker, name in ((demo.asker, "conversation"), (demo.youth, "youth conversation")):
        client = Client()
        response = client.post(f"{prefix}/vraag/terug/", code_data(asker.code), follow=True)
        assert response.redirect_chain, (name, response.status_code)
        pages[f"{prefix}/vraag/terug/gesprek/ ({name})"] = response.content.decode()
        delete = client.get(f"{prefix}/vraag/terug/verwijderen/")
        pages[f"{prefix}/vraag/terug/verwijderen/ ({name})"] = delete.content.decode()
    client = Client()
    client.post(f"{prefix}/vraag/terug/", code_data(demo.closed.code))
    response = client.get(f"{prefix}/vraag/terug/beoordeling/")
    assert response.status_code == 200
    pages[f"{prefix}/vraag/terug/beoordeling/"] = response.content.decode()
    return pages


def vnu_errors(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The checker's errors per page, all pages in one run."""
    names = {}
    for number, (page, html) in enumerate(pages.items()):
        path = folder / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = page
    result = subprocess.run(
        [JAVA, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
         *[str(folder / f"page-{n:04d}.html") for n in range(len(pages))]],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    report = json.loads(result.stderr or result.stdout)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        url = message.get("url", "?")
        page = names.get(url.rpartition("/")[2], url)
        extract = re.sub(r"\s+", " ", message.get("extract", "")).strip()
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} [{extract}]"
        )
    return errors


@pytest.fixture(scope="module")
def java():
    if shutil.which(JAVA) is None or not VNU_JAR.exists():
        import os

        if os.environ.get("CI"):
            pytest.fail("Java or node_modules/vnu-jar missing: the HTML check may not skip in CI")
        pytest.skip("needs Java (Debian: default-jre-headless) and `npm ci` (vnu-jar)")


def test_every_public_page_in_every_language_is_valid_html(demo, java, tmp_path, settings):
    settings.QUESTIONS_PER_HOUR = 1000
    settings.RETURN_CODE_ATTEMPTS = 1000
    settings.RETURN_CODE_FAILURE_DELAY = 0
    pages: dict[str, str] = {}
    for prefix in PREFIXES:
        paths = demo.paths + (demo.topic_paths if prefix == "" else ())
        client = Client()
        for path in dict.fromkeys(paths):
            response = client.get(prefix + path)
            assert response.status_code == 200, (prefix + path, response.status_code)
            pages[prefix + path] = response.content.decode()
        pages.update(asker_pages(demo, prefix))
    # The error pages too (a visitor meets them by mistyping an address).
    pages["/bestaat-niet/ (404)"] = Client().get("/bestaat-niet/").content.decode()

    errors = vnu_errors(pages, tmp_path)
    assert not errors, "\n".join(
        f"{page}:\n  " + "\n  ".join(found[:5]) for page, found in sorted(errors.items())
    )


def test_every_public_route_is_on_the_list(demo):
    """A new public page gets checked: its route is on the list or says why it is not."""
    from django.urls import resolve

    covered = set(NOT_PAGES)
    for path in (*demo.paths, *demo.topic_paths):
        covered.add(resolve(path.partition("?")[0]).view_name)
    covered |= {
        "steunen:conversation",
        "steunen:delete",
        "steunen:evaluate",
        "steunen:return",
        "steunen:ask",
        "steunen:ask_child",
    }  # fmt: skip (asker_pages above)
    missing = public_route_names() - covered
    assert not missing, f"public routes checked by no test: {sorted(missing)}"


def test_every_public_page_answers_head_as_it_answers_get(demo, settings):
    """A link checker or a monitor asks HEAD: the same answer as GET, without the body."""
    settings.RETURN_CODE_FAILURE_DELAY = 0
    visitor = Client()
    for path in dict.fromkeys(demo.paths + demo.topic_paths):
        got, head = visitor.get(path), visitor.head(path)
        assert (head.status_code, head["Content-Type"]) == (
            got.status_code,
            got["Content-Type"],
        ), path
        assert got.status_code == 200 and head.content == b"", path
    # An asker's own pages, once the code has opened them.
    asker = Client()
    asker.post("/vraag/terug/", code_data(demo.asker.code))
    for path in ("/vraag/terug/gesprek/", "/vraag/terug/download/", "/vraag/terug/verwijderen/"):
        got, head = asker.get(path), asker.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head["Content-Type"] == got["Content-Type"], path
