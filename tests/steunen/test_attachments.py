"""Askers may add a file; it is checked, cleaned, encrypted and served to the right people only."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from steunen.models import Attachment, Case
from tests.conftest import client_for
from tests.steunen.helpers import ask, code_data, form_data

pytestmark = pytest.mark.django_db

# A one-page PDF, as small as a real one can be.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker-Geheim"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_asker_sends_a_letter_with_the_question_and_staff_download_it(client, medewerker, settings):
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    response = client.post("/vraag/", {**form_data(), "attachment": upload})
    assert "Dit is uw code" in response.text
    attachment = Attachment.objects.get()
    stored = (Path(settings.PRIVATE_FILES_ROOT) / attachment.token).read_bytes()
    assert b"%PDF" not in stored  # encrypted on disk
    staff = client_for(medewerker)
    page = staff.get(reverse("steunen:case", args=[attachment.case_id])).text
    assert attachment.download_name in page
    download = staff.get(
        reverse("steunen:case_attachment", args=[attachment.case_id, attachment.token])
    )
    assert download.content.startswith(b"%PDF")  # rewritten without what it could run
    assert download["Content-Disposition"] == f'attachment; filename="bijlage-{attachment.pk}.pdf"'
    assert "no-store" in download["Cache-Control"]


def test_image_metadata_is_removed(client):
    data = jpeg_with_location()
    assert b"CameraMaker-Geheim" in data
    case, code = ask()
    client.post("/vraag/terug/", code_data(code))
    client.post(
        reverse("steunen:conversation"),
        {
            "body": "Hier de foto",
            "attachment": SimpleUploadedFile("foto.jpg", data, content_type="image/jpeg"),
        },
    )
    attachment = Attachment.objects.get(case=case)
    served = client.get(reverse("steunen:asker_attachment", args=[attachment.token])).content
    assert served.startswith(b"\xff\xd8\xff")
    assert b"CameraMaker-Geheim" not in served


def test_a_file_that_lies_about_its_type_is_refused(client):
    fake = SimpleUploadedFile(
        "brief.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post("/vraag/", {**form_data(), "attachment": fake})
    assert "Alleen een PDF, PNG of JPG kan mee" in response.text
    assert Case.objects.count() == 0


def test_a_big_file_is_refused_clearly(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * 5000, content_type="application/pdf")
    response = client.post("/vraag/", {**form_data(), "attachment": big})
    assert "Dit bestand is te groot" in response.text
    assert Case.objects.count() == 0


def test_others_cannot_fetch_the_file(client, bestuur, vrijwilliger):
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    client.post("/vraag/", {**form_data(), "attachment": upload})
    attachment = Attachment.objects.get()
    url = reverse("steunen:case_attachment", args=[attachment.case_id, attachment.token])
    assert client_for(bestuur).get(url).status_code == 404
    assert client_for(vrijwilliger).get(url).status_code == 404
    _other, other_code = ask()
    stranger = client.__class__()
    stranger.post("/vraag/terug/", code_data(other_code))
    assert (
        stranger.get(reverse("steunen:asker_attachment", args=[attachment.token])).status_code
        == 404
    )


def test_deleting_the_question_deletes_the_file(client, settings):
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    response = client.post("/vraag/", {**form_data(), "attachment": upload})
    code = response.text.split('id="return-code"')[1].split(">")[1].split("<")[0].strip()
    attachment = Attachment.objects.get()
    path = Path(settings.PRIVATE_FILES_ROOT) / attachment.token
    assert path.exists()
    client.post("/vraag/terug/", code_data(code))
    client.post(reverse("steunen:delete"), {"confirm": "on"})
    assert not path.exists()
    assert not Attachment.objects.exists()


def test_an_unreadable_image_is_refused_before_the_question_is_saved(client):
    broken = SimpleUploadedFile(
        "foto.png", b"\x89PNG\r\n\x1a\n" + b"rommel" * 10, content_type="image/png"
    )
    response = client.post("/vraag/", {**form_data(question="Bewaar mij"), "attachment": broken})
    assert "Deze afbeelding kan niet worden gelezen." in response.text
    assert "Bewaar mij" in response.text  # what was typed is kept
    assert Case.objects.count() == 0


def test_a_disk_failure_keeps_the_question_and_says_so(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.PRIVATE_FILES_ROOT = str(blocker / "private")
    upload = SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")
    response = client.post("/vraag/", {**form_data(), "attachment": upload})
    assert "Dit is uw code" in response.text
    assert "uw bestand kon niet worden bewaard" in response.text
    assert Case.objects.count() == 1
