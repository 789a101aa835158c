"""No inline script, event handler or style in what the app serves: the Content-Security-Policy would block it.

Reads every template of the project and its apps, the Python that builds HTML (template tags, format_html,
forms) and our own static JavaScript that writes markup. Scripts go in static files, data reaches them through
`{{ value|json_script:"id" }}` or data- attributes, styles are classes of the project's CSS (static/js/app.js
sets colours and widths that come from data).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {"node_modules", ".venv", "var", ".git", "tests", "migrations", "screenshots", "__pycache__"}

# Never served as a web page, so the policy does not apply; both need styles of their own.
NOT_SERVED = {
    "reports/templates/reports/email.html": "the report e-mail: mail clients read inline styles only",
    "reports/templates/reports/report_pdf.html": "drawn into a PDF by xhtml2pdf, never sent to a browser",
}

DJANGO_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTR = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.I | re.S)
STYLE_TAG = re.compile(r"<style\b", re.I)
# In Python and JavaScript source: markup in strings.
CODE_HANDLER = re.compile(r"""\son[a-z]+=\\?["']""", re.I)
CODE_STYLE = re.compile(r"""\sstyle=\\?["']|setAttribute\(\s*["']style["']|<style\b""", re.I)


def _files(suffix: str, under: str = ""):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        relative = path.relative_to(ROOT)
        if SKIP_DIRS & set(relative.parts) or (under and under not in relative.parts):
            continue
        yield relative.as_posix(), path


TEMPLATES = [name for name, _ in _files(".html", under="templates")]
PYTHON = [name for name, _ in _files(".py")]
OUR_JS = [name for name, _ in _files(".js", under="static")]


def inline_code_in_template(text: str) -> list[str]:
    """What the policy would block in one template's text."""
    text = DJANGO_COMMENT.sub("", text)
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if "src=" not in attributes and not re.search(r"""type=["']application/json["']""", attributes):
            found.append(f"inline script: {match.group(0)}")
    found += [f"event handler: {m.group(0)[-60:]}" for m in HANDLER.finditer(text)]
    found += [f"style attribute: {m.group(0)[-60:]}" for m in STYLE_ATTR.finditer(text)]
    found += [f"style element: {m.group(0)}" for m in STYLE_TAG.finditer(text)]
    return found


def inline_code_in_source(text: str) -> list[str]:
    """Markup with a handler, a style attribute or an inline script inside Python or JavaScript code."""
    found = [f"event handler: {m.group(0)}" for m in CODE_HANDLER.finditer(text)]
    found += [f"style: {m.group(0)}" for m in CODE_STYLE.finditer(text)]
    found += [f"inline script: {m.group(0)}" for m in re.finditer(r"<script>", text, re.I)]
    return found


def test_the_walk_finds_the_templates_and_the_code():
    assert "templates/base.html" in TEMPLATES
    assert "calendar_app/templates/calendar_app/_calendar_js.html" in TEMPLATES
    assert set(NOT_SERVED) <= set(TEMPLATES)
    assert "static/js/app.js" in OUR_JS and "calendar_app/static/calendar_app/calendar.js" in OUR_JS
    assert "reports/templatetags/report_tags.py" in PYTHON


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x"</script>',
        '<button class="btn" onclick="window.print()">',
        '<form method="post"\n      onsubmit="return confirm(\'?\')">',
        '<div class="card" style="max-width: 860px">',
        "<style>.x { color: red }</style>",
    ],
)
def test_the_check_sees_each_kind_of_inline_code(markup):
    assert inline_code_in_template(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<script src=\"{% static 'js/app.js' %}\"></script>",
        '{{ charts|json_script:"metrics-charts" }}<script id="x" type="application/json">{}</script>',
        '<button data-print data-confirm="Remove it?">',
        '<span class="platform-dot" data-colour="{{ colour }}"></span>',
        "{# a comment may say <script> or style= #}",
        '<p>Write "style=" or "onclick=" in prose</p>',
    ],
)
def test_the_check_lets_the_right_way_through(markup):
    assert inline_code_in_template(markup) == []


@pytest.mark.parametrize("name", [t for t in TEMPLATES if t not in NOT_SERVED])
def test_template_has_no_inline_script_handler_or_style(name):
    found = inline_code_in_template((ROOT / name).read_text(encoding="utf-8"))
    assert not found, f"{name}: " + "; ".join(found)


@pytest.mark.parametrize("name", PYTHON)
def test_python_builds_no_html_with_inline_script_handler_or_style(name):
    found = inline_code_in_source((ROOT / name).read_text(encoding="utf-8"))
    assert not found, f"{name}: " + "; ".join(found)


@pytest.mark.parametrize("name", OUR_JS)
def test_our_javascript_writes_no_markup_with_a_handler_or_style(name):
    found = inline_code_in_source((ROOT / name).read_text(encoding="utf-8"))
    assert not found, f"{name}: " + "; ".join(found)
