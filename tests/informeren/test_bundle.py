"""The national set travels as a file; the regional layer stays home."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from informeren.models import RevisionOrigin, RevisionStatus, Topic
from tests.informeren.helpers import published_topic

pytestmark = pytest.mark.django_db


def export(tmp_path) -> dict:
    path = tmp_path / "landelijk.json"
    call_command("export_national", str(path), set_version="2026.1", stdout=StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def import_(tmp_path, data: dict, *args) -> str:
    path = tmp_path / "nieuw.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = StringIO()
    call_command("import_national", str(path), *args, stdout=out)
    return out.getvalue()


def test_export_holds_national_texts_but_no_regional_layer(tmp_path):
    published_topic(body="Landelijk.", regional_ouders="Alleen in onze regio.")
    bundle = export(tmp_path)
    assert bundle["format"] == "steunpunt-landelijke-set"
    assert bundle["set_version"] == "2026.1"
    (entry,) = bundle["topics"]
    assert entry["national_ouders"] == "Landelijk."
    assert "regional_ouders" not in entry
    assert "Alleen in onze regio." not in json.dumps(bundle)


def test_round_trip_changes_national_text_and_leaves_regional_untouched(tmp_path, client):
    topic = published_topic(body="Oude landelijke tekst.", regional_ouders="Onze regionale tekst.")
    bundle = export(tmp_path)
    bundle["topics"][0]["national_ouders"] = "Nieuwe landelijke tekst."
    bundle["topics"].append(
        {
            "slug": "nieuw-onderwerp",
            "title": "Nieuw",
            "summary": "Nieuw.",
            "national_ouders": "Tekst.",
            "themes": ["rechten", "bestaat-niet"],
        }
    )
    report = import_(tmp_path, bundle)
    assert "new topics:       1 nieuw-onderwerp" in report
    assert "changed topics:   1 zorgplicht" in report
    assert "unknown themes (ignored): bestaat-niet" in report

    revision = topic.revisions.order_by("-number").first()
    assert revision.status == RevisionStatus.TER_BEOORDELING
    assert revision.origin == RevisionOrigin.IMPORT
    assert revision.national_ouders == "Nieuwe landelijke tekst."
    assert revision.regional_ouders == "Onze regionale tekst."
    # Still needs approval: the public sees the old text.
    assert "Oude landelijke tekst." in client.get("/informatie/zorgplicht/").text
    assert Topic.objects.get(slug="nieuw-onderwerp").published_revision is None


def test_importing_the_same_set_again_changes_nothing(tmp_path):
    topic = published_topic()
    bundle = export(tmp_path)
    report = import_(tmp_path, bundle)
    assert "unchanged topics: 1" in report
    assert topic.revisions.count() == 1


def test_dry_run_reports_without_writing(tmp_path):
    topic = published_topic(body="Oud.")
    bundle = export(tmp_path)
    bundle["topics"][0]["national_ouders"] = "Nieuw."
    report = import_(tmp_path, bundle, "--dry-run")
    assert report.startswith("Would import")
    assert topic.revisions.count() == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("niet eens json", "Not a JSON file"),
        ('{"format": "iets anders"}', "Not a national set"),
        (
            '{"format": "steunpunt-landelijke-set", "format_version": 99, "topics": []}',
            "Unsupported format_version",
        ),
        (
            '{"format": "steunpunt-landelijke-set", "format_version": 1, '
            '"topics": [{"slug": "x"}]}',
            "missing title",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_changes(tmp_path, content, message):
    published_topic()
    path = tmp_path / "kapot.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_national", str(path), stdout=StringIO())
    assert Topic.objects.get().revisions.count() == 1
