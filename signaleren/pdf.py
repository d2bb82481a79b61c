"""The report as a PDF that looks like a report: cover, contents, page numbers, tagged."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def _weasyprint() -> Any:  # the module; it has no type hints
    try:
        import weasyprint
    except OSError as error:  # Pango or fonts missing
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def report_document(context: dict[str, Any]) -> Any:
    """The laid-out pages (WeasyPrint's Document): what report_pdf writes out.
    The cover says on which day the PDF was made."""
    html = render_to_string(
        "signaleren/report_pdf.html", {"made_on": timezone.localdate()} | context
    )
    return _weasyprint().HTML(string=html).render(pdf_variant="pdf/ua-1")


def report_pdf(context: dict[str, Any]) -> bytes:
    # PDF/UA-1: tagged for screen readers.
    pdf: bytes = report_document(context).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
