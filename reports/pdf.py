"""The report as a PDF, drawn by xhtml2pdf from plain HTML tables (no JavaScript)."""

from io import BytesIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from xhtml2pdf import pisa

from accounts.time_zone import workspace_time_zone

from .sections import section_templates


def _sections_css() -> str:
    """The sections' style sheet, which the report page links, for the PDF's own style element."""
    return Path(finders.find("reports/sections.css")).read_text(encoding="utf-8")


def report_pdf(report) -> bytes:
    """The report drawn in its workspace's time zone, from a request or from a task."""
    with workspace_time_zone(report.workspace):
        html = render_to_string(
            "reports/report_pdf.html",
            {
                "report": report,
                "data": report.data,
                "sections": section_templates(report.data),
                "for_pdf": True,
                "sections_css": _sections_css(),
            },
        )
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"xhtml2pdf could not draw the report ({result.err} errors)")
    return out.getvalue()
