"""Long choice lists in one pass. Django renders each <option> of a Select through its own template (about 30 µs an
option: a select of 1,700 content items took most of a page's time); `options_html` writes them at once, every value
and label escaped, for the form widget `FastSelect` and the filters' `{% select_options %}` alike."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


def options_html(choices, selected) -> str:
    """The <option>s of (value, label) pairs, those whose value is among `selected` (one value or several) selected."""
    chosen = {
        str(v) for v in (selected if isinstance(selected, (list, tuple, set)) else [selected]) if v not in (None, "")
    }
    return mark_safe(  # every value and label escaped here
        "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>{escape(str(label))}</option>'
            for v, label in choices
        )
    )


class FastSelect(forms.Select):
    """A select written in one pass. `rows`, when set, are its (value, label) options as read from the database in
    one query of values: the field's queryset then only checks what a POST chooses (no model instance per option, and
    not Django's normalising of a long choices list)."""

    rows = None

    def _options(self):
        return self.rows if self.rows is not None else self.choices

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs or {}) | {"name": name}
        return mark_safe(f"<select{flatatt(final)}>{options_html(self._options(), value)}</select>")


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    """FastSelect for several choices (the media library's files on a post's form)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs or {}) | {"name": name, "multiple": True}
        return mark_safe(f"<select{flatatt(final)}>{options_html(self._options(), value or [])}</select>")


class SearchSelect(FastSelect):
    """A FastSelect of a handful of rows (the nearest, the chosen one) that `static/js/select_search.js` makes
    searchable: what is typed in the box it adds asks `search_url` (`?q=`) for the matching options, JSON
    `{"results": [{"id", "label"}], "more": bool}`. The select stays the field: its label, its keyboard, its value.
    The field's queryset still accepts any row of the workspace, not only those rendered; without JavaScript the
    select offers its rows."""

    def __init__(self, *, search_url: str, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, {**(attrs or {}), "data-search-url": self.search_url}, renderer)
