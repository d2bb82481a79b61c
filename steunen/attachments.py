"""Files from askers: checked by their first bytes, made safe, encrypted, outside the web root.

Staff open what askers send, so nothing reaches them as it came in: an image
is decoded (within a pixel limit) and saved again, a PDF is rewritten
without what it could run or hide (pikepdf). What cannot be made safe is
refused with a message the asker understands, before anything is saved.
"""

import io
import logging
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steunen.models import Attachment, AttachmentKind, Case, Message
from steunpunt.crypto import fernet

logger = logging.getLogger(__name__)

SIGNATURES = {
    AttachmentKind.PDF: b"%PDF-",
    AttachmentKind.PNG: b"\x89PNG\r\n\x1a\n",
    AttachmentKind.JPEG: b"\xff\xd8\xff",
}
CONTENT_TYPES: dict[str, str] = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
}


def _folder() -> Path:
    folder = Path(settings.PRIVATE_FILES_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sniff(head: bytes) -> str | None:
    """The real type from the first bytes; the name and the browser's word do not count."""
    for kind, signature in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def validate_upload(upload: File[bytes]) -> str:
    if (upload.size or 0) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Dit bestand is te groot. Het mag hooguit %(mb)d MB zijn.")
            % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(_("Alleen een PDF, PNG of JPG kan mee. Dit bestand is iets anders."))
    return kind


# An image of more pixels is refused before it is decoded: a small PNG can
# unpack to gigabytes (13000 x 13000 pixels is 169 million, about 700 MB).
# 40 million is more than any phone photo or scan a letter needs.
MAX_IMAGE_PIXELS = 40_000_000
TOO_MANY_PIXELS = gettext_lazy(
    "Deze afbeelding is te groot: %(width)d bij %(height)d beeldpunten. Maak hem kleiner "
    "(bijvoorbeeld met een schermafdruk) en probeer het opnieuw."
)
PDF_NOT_SAFE = gettext_lazy(
    "Deze PDF kunnen wij niet veilig openen. Maak er een foto of schermafdruk van en stuur "
    "die mee, of stuur de PDF zonder wachtwoord."
)


def _without_metadata(data: bytes, kind: str) -> tuple[bytes, str]:
    """What staff may open safely: images decoded and saved again, PDFs rewritten."""
    if kind == AttachmentKind.PDF:
        return _safe_pdf(data), ""
    return _safe_image(data, kind), ""


def _safe_image(data: bytes, kind: str) -> bytes:
    """Only the pixels travel to a new image: no EXIF (such as a location), no text chunks.

    The size is read from the header first, so an image bomb is refused
    before a single pixel is decoded.
    """
    from PIL import Image

    fmt = "PNG" if kind == AttachmentKind.PNG else "JPEG"
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS % {"width": width, "height": height})
            image.load()
            # Saved again from the decoded pixels themselves, with everything but
            # them let go: no copy of the pixels (a 40-megapixel RGBA image is
            # 160 MB), and what the encoders would carry over from the file
            # (image.info: EXIF, XMP, ICC profile, comments, text chunks) is gone.
            image.info.clear()
            image.encoderinfo = {}
            image.getexif().clear()
            out = io.BytesIO()
            image.save(out, format=fmt, quality=90)
            return out.getvalue()
    except Image.DecompressionBombError as error:  # larger still than Pillow's own limit
        raise ValidationError(_("Deze afbeelding is te groot. Maak hem kleiner.")) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen.")) from error


# What a PDF can do besides show pages, and where its maker's details sit.
PDF_ACTIVE_KEYS = (
    "/OpenAction",  # runs when the file opens
    "/AA",  # runs on opening a page, a field, closing ...
    "/JS",
    "/JavaScript",  # the document's scripts (in /Names)
    "/EmbeddedFiles",  # files inside the file (in /Names)
    "/EF",  # the file of a file specification
    "/AF",  # files associated with the document or a part (PDF 2.0)
    "/XFA",  # forms that may script themselves
    "/RichMedia",
    "/Metadata",  # XMP: author, tools, dates
    "/PieceInfo",  # private data of the program that made it
)
PDF_ACTIONS_REMOVED = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/RichMediaExecute",
    "/Rendition",
    "/Movie",
    "/Sound",
}


def _disarm(obj: Any) -> None:
    """Take out what a PDF object (and what sits inside it directly) could run or hide.

    Objects of their own (indirect ones) are visited from ``pdf.objects``;
    here the dictionaries and arrays written inside this one.
    """
    import pikepdf

    if isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, pikepdf.Dictionary | pikepdf.Array) and not item.is_indirect:
                _disarm(item)
        return
    if not isinstance(obj, pikepdf.Dictionary):
        return
    for key in PDF_ACTIVE_KEYS:
        if key in obj:
            del obj[key]
    if str(obj.get("/S", "")) in PDF_ACTIONS_REMOVED:
        for key in list(obj.keys()):
            del obj[key]  # an empty dictionary does nothing
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and (
        str(action.get("/S", "")) in PDF_ACTIONS_REMOVED or not action.keys()
    ):
        del obj["/A"]
    if obj.get("/Subtype") == pikepdf.Name.FileAttachment and "/FS" in obj:
        del obj["/FS"]
    for key in list(obj.keys()):
        value = obj[key]
        if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
            _disarm(value)


def _safe_pdf(data: bytes) -> bytes:
    """The PDF rewritten without scripts, launch actions, embedded files or metadata.

    Every object is looked at, so an action hidden in an annotation, a form
    field or an outline goes too. Streams are copied as they are, never
    unpacked: a small file cannot make the server unpack gigabytes. A PDF
    that cannot be read (damaged, or locked with a password) is refused.
    """
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                _disarm(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj)
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]  # author, title, program
            out = io.BytesIO()
            pdf.save(
                out,
                preserve_pdfa=False,
                fix_metadata_version=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                encryption=False,
                deterministic_id=True,
            )
            return out.getvalue()
    except Exception as error:  # whatever a hostile file makes qpdf say: refused, never a 500
        logger.info("A PDF could not be made safe: %s", type(error).__name__)
        raise ValidationError(PDF_NOT_SAFE) from error


def prepare(upload: File[bytes]) -> tuple[str, bytes, str]:
    """Check and clean an upload before anything is saved: (kind, data, warning).

    Raises ValidationError with a Dutch message; run it in the form, so a bad
    file never costs the asker their question.
    """
    kind = validate_upload(upload)
    data, warning = _without_metadata(upload.read(), kind)
    return kind, data, warning


def store(
    case: Case, prepared: tuple[str, bytes, str], *, message: Message | None = None
) -> Attachment:
    """Save a prepared file encrypted; ``message``: the staff answer it goes with."""
    kind, data, warning = prepared
    token = secrets.token_hex(16)
    (_folder() / token).write_bytes(fernet().encrypt(data))
    return Attachment.objects.create(
        case=case, token=token, kind=kind, size=len(data), warning=warning, message=message
    )


def read(attachment: Attachment) -> bytes:
    return fernet().decrypt((_folder() / attachment.token).read_bytes())


def download(attachment: Attachment) -> HttpResponse:
    """Always a download with our own name, never shown inline. Callers add never_cache."""
    response = HttpResponse(read(attachment), content_type=CONTENT_TYPES[attachment.kind])
    response["Content-Disposition"] = f'attachment; filename="{attachment.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_all(case: Case) -> None:
    for attachment in case.attachments.all():
        (_folder() / attachment.token).unlink(missing_ok=True)
    case.attachments.all().delete()
