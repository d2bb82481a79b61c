"""Files from askers: checked by their first bytes, cleaned, encrypted, outside the web root."""

import io
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from steunen.models import Attachment, AttachmentKind, Case
from steunpunt.crypto import fernet

SIGNATURES = {
    AttachmentKind.PDF: b"%PDF-",
    AttachmentKind.PNG: b"\x89PNG\r\n\x1a\n",
    AttachmentKind.JPEG: b"\xff\xd8\xff",
}
CONTENT_TYPES = {
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


def validate_upload(upload) -> str:
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
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


def _without_metadata(data: bytes, kind: str) -> tuple[bytes, str]:
    """Images lose EXIF (such as location) by being saved again. PDFs: a warning for staff."""
    if kind == AttachmentKind.PDF:
        return data, _("Let op: een PDF kan gegevens bevatten, zoals de naam van de maker.")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Only the pixels travel to the new image: no EXIF, no text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
            out = io.BytesIO()
            clean.save(out, format="PNG" if kind == AttachmentKind.PNG else "JPEG", quality=90)
            return out.getvalue(), ""
    except (OSError, ValueError) as error:
        raise ValidationError(_("Deze afbeelding kan niet worden gelezen.")) from error


def prepare(upload) -> tuple[str, bytes, str]:
    """Check and clean an upload before anything is saved: (kind, data, warning).

    Raises ValidationError with a Dutch message; run it in the form, so a bad
    file never costs the asker their question.
    """
    kind = validate_upload(upload)
    data, warning = _without_metadata(upload.read(), kind)
    return kind, data, warning


def store(case: Case, prepared: tuple[str, bytes, str]) -> Attachment:
    kind, data, warning = prepared
    token = secrets.token_hex(16)
    (_folder() / token).write_bytes(fernet().encrypt(data))
    return Attachment.objects.create(
        case=case, token=token, kind=kind, size=len(data), warning=warning
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
