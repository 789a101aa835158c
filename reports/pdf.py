"""The report as a PDF, drawn by xhtml2pdf from plain HTML tables (no JavaScript)."""

from io import BytesIO

from django.template.loader import render_to_string
from xhtml2pdf import pisa

from .sections import section_templates


def report_pdf(report) -> bytes:
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "data": report.data, "sections": section_templates(report.data), "for_pdf": True},
    )
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"xhtml2pdf could not draw the report ({result.err} errors)")
    return out.getvalue()
