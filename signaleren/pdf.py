"""The report as a PDF that looks like a report: cover, contents, page numbers, tagged."""

from django.template.loader import render_to_string
from django.utils import timezone


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def _weasyprint():
    try:
        import weasyprint
    except OSError as error:  # Pango or fonts missing
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def report_document(context: dict):
    """The laid-out pages (WeasyPrint's Document): what report_pdf writes out.
    The cover says on which day the PDF was made."""
    html = render_to_string(
        "signaleren/report_pdf.html", {"made_on": timezone.localdate()} | context
    )
    return _weasyprint().HTML(string=html).render(pdf_variant="pdf/ua-1")


def report_pdf(context: dict) -> bytes:
    # PDF/UA-1: tagged for screen readers.
    return report_document(context).write_pdf(pdf_variant="pdf/ua-1")
