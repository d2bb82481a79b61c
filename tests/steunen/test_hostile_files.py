"""Files made safe before staff open them: each hostile file is made here, in the test."""

import io
import struct
import subprocess
import sys
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steunen.models import Attachment, Case
from tests.conftest import client_for
from tests.servers import ROOT
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def zlib_zeros(length: int) -> bytes:
    """zlib data that unpacks to ``length`` zero bytes, made without holding them.

    After a full flush deflate starts afresh, so one compressed megabyte of
    zeros can be repeated; the checksum of zeros only is known in advance.
    """
    block = 1 << 20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packer.compress(bytes(block))
    packer.flush(zlib.Z_FULL_FLUSH)  # the first block may differ: made and dropped
    repeat = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(length, block)
    tail = packer.compress(bytes(rest)) + packer.flush()
    checksum = struct.pack(">I", (length % 65521) << 16 | 1)  # adler32 of zeros
    return b"\x78\xda" + repeat * whole + tail + checksum


def png_bomb(width: int, height: int, *, colour: int = 2, depth: int = 8) -> bytes:
    """A valid PNG of width x height black pixels that is small on disk."""
    channels = {0: 1, 2: 3}[colour]
    row = 1 + (width * channels * depth + 7) // 8  # a filter byte (0: none), then the pixels
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib_zeros(row * height))
        + _chunk(b"IEND", b"")
    )


def test_the_bomb_is_a_real_png():
    from PIL import Image

    with Image.open(io.BytesIO(png_bomb(1500, 1000))) as image:
        image.load()
        assert image.size == (1500, 1000)
        assert image.getextrema() == ((0, 0), (0, 0), (0, 0))


def send_question_with(client, name: str, data: bytes, content_type: str):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(
        "/vraag/", {**form_data(question="Kijkt u naar de bijlage?"), "attachment": upload}
    )


def test_a_png_of_13000_by_13000_pixels_is_refused_before_it_is_unpacked(tmp_path):
    bomb = png_bomb(13000, 13000)
    assert len(bomb) < 1_000_000  # half a megabyte that unpacks to 500 MB of pixels
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb)
    # In a process of its own, to see the most memory it ever took.
    script = f"""
import django, resource, sys
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from steunen import attachments
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
upload = SimpleUploadedFile("foto.png", open({str(path)!r}, "rb").read(), content_type="image/png")
try:
    attachments.prepare(upload)
    print("accepted")
except ValidationError as error:
    print(error.messages[0])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024, "MB more")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    message, memory = result.stdout.strip().splitlines()
    assert message.startswith("Deze afbeelding is te groot: 13000 bij 13000 beeldpunten")
    assert int(memory.split()[0]) < 100, memory


def test_a_png_of_30000_by_30000_pixels_gets_a_clear_message_and_the_question_stays(client):
    response = send_question_with(
        client, "foto.png", png_bomb(30000, 30000, colour=0, depth=1), "image/png"
    )
    assert response.status_code == 200
    assert "Deze afbeelding is te groot" in response.text
    assert "Kijkt u naar de bijlage?" in response.text  # what was typed is still there
    assert Case.objects.count() == 0


def test_a_normal_photo_still_goes_through(client, medewerker):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), "blue").save(out, format="PNG")
    response = send_question_with(client, "foto.png", out.getvalue(), "image/png")
    assert "Dit is uw code" in response.text
    assert Attachment.objects.get().kind == "png"


def hostile_pdf() -> bytes:
    """A one-page letter that runs a script on opening, launches a program from a link,
    carries a program inside and names its maker."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    script = pdf.make_stream(b"app.alert('OpenActionScript');")
    pdf.Root.OpenAction = pikepdf.Dictionary(
        Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=script
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array(
                [
                    "NamedScript",
                    pdf.make_indirect(
                        pikepdf.Dictionary(
                            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('NamedScript')")
                        )
                    ),
                ]
            )
        )
    )
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('PageOpenScript')")
        )
    )
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=launch,
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    pdf.attachments["factuur.exe"] = pikepdf.AttachedFileSpec(
        pdf, b"MZ-EmbeddedProgram", mime_type="application/octet-stream"
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["XmpMakerName"]
    pdf.docinfo["/Author"] = "Geheime Maker"
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def test_a_pdf_reaches_staff_without_scripts_launch_actions_embedded_files_or_maker(
    client, medewerker
):
    data = hostile_pdf()
    for trace in (
        b"OpenActionScript",
        b"calc.exe",
        b"MZ-EmbeddedProgram",
        b"Geheime Maker",
        b"XmpMakerName",
    ):
        assert trace in data
    response = send_question_with(client, "brief.pdf", data, "application/pdf")
    assert "Dit is uw code" in response.text
    attachment = Attachment.objects.get()
    served = (
        client_for(medewerker)
        .get(reverse("steunen:case_attachment", args=[attachment.case_id, attachment.token]))
        .content
    )
    for trace in (
        b"OpenActionScript",
        b"NamedScript",
        b"PageOpenScript",
        b"calc.exe",
        b"MZ-EmbeddedProgram",
        b"Geheime Maker",
        b"XmpMakerName",
    ):
        assert trace not in served, trace
    with pikepdf.open(io.BytesIO(served)) as pdf:
        assert len(pdf.pages) == 1  # the letter itself is still there
        assert "/OpenAction" not in pdf.Root
        assert "/Metadata" not in pdf.Root
        assert not pdf.attachments
        assert not pdf.docinfo.keys()
        assert "/AA" not in pdf.pages[0].obj
        for annotation in pdf.pages[0].obj.get("/Annots", []):
            assert "/A" not in annotation


def test_a_pdf_locked_with_a_password_is_refused_with_a_clear_message(client):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    response = send_question_with(client, "brief.pdf", out.getvalue(), "application/pdf")
    assert "Deze PDF kunnen wij niet veilig openen" in response.text
    assert "Kijkt u naar de bijlage?" in response.text
    assert Case.objects.count() == 0


def test_a_damaged_pdf_is_refused_not_a_500(client):
    response = send_question_with(
        client, "brief.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 500, "application/pdf"
    )
    assert response.status_code == 200
    assert "Deze PDF kunnen wij niet veilig openen" in response.text


def _traces_of_maker(fmt: str) -> bytes:
    """An image that names its maker in every place a file of ``fmt`` can."""
    from PIL import Image, ImageCms, PngImagePlugin

    exif = Image.Exif()
    exif[0x010F] = "ExifMaker"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">XmpMaker</x:xmpmeta>'
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), "green")
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "TextMaker")
        text.add_itxt("XML:com.adobe.xmp", xmp.decode())
        image.save(out, format="PNG", pnginfo=text, exif=exif, icc_profile=icc)
    else:
        image.save(out, format="JPEG", exif=exif, icc_profile=icc, xmp=xmp, comment="CommentMaker")
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_image_keeps_no_exif_xmp_profile_text_or_comment(fmt):
    from PIL import Image

    from steunen import attachments

    data = _traces_of_maker(fmt)
    for trace in (b"ExifMaker", b"XmpMaker"):
        assert trace in data
    kind = "png" if fmt == "PNG" else "jpg"
    clean = attachments._safe_image(data, kind)
    for trace in (b"ExifMaker", b"XmpMaker", b"TextMaker", b"CommentMaker", b"sRGB"):
        assert trace not in clean, trace
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (40, 30)
        assert not image.getexif()
        assert "icc_profile" not in image.info


def test_a_40_megapixel_image_is_cleaned_with_one_copy_of_its_pixels_in_memory(tmp_path):
    # 8000 x 5000 RGB: 120 MB of pixels once decoded. Cleaning used to hold them
    # three times (decoded, as bytes, as a new image): 360 MB, and 480 MB for RGBA.
    path = tmp_path / "scan.png"
    path.write_bytes(png_bomb(8000, 5000))
    script = f"""
import django, resource
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from steunen import attachments
upload = SimpleUploadedFile("scan.png", open({str(path)!r}, "rb").read(), content_type="image/png")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kind, clean, warning = attachments.prepare(upload)
print(kind, len(clean) > 0)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024, "MB more")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    accepted, memory = result.stdout.strip().splitlines()
    assert accepted.endswith("True"), accepted
    assert int(memory.split()[0]) < 200, memory
