"""The report as a PDF that looks like a report: cover, contents, page numbers, tagged."""

from django.template.loader import render_to_string


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def report_pdf(context: dict) -> bytes:
    try:
        import weasyprint
    except OSError as error:  # Pango or fonts missing
        raise PdfUnavailable(str(error)) from error
    html = render_to_string("signaleren/report_pdf.html", context)
    # PDF/UA-1: tagged for screen readers.
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
