"""Which template shows each frozen section another app contributed."""

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

SECTION_TITLES = {
    "competitors": "Competitor benchmark",
    "audits": "Open audit findings",
    "calendar_app": "Content pipeline",
}


def section_templates(data: dict) -> list[dict]:
    shown = []
    for app, section in (data.get("sections") or {}).items():
        name = f"{app}/_report_section.html"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue  # the app was removed since the report was frozen
        shown.append({"app": app, "title": SECTION_TITLES.get(app, app), "template": name, "section": section})
    return shown
