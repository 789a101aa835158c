from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common.widgets import options_html

from .. import selectors

register = template.Library()


@register.simple_tag
def row_options(rows, selected) -> str:
    """<option>s of rows (folders, tags) by pk and name, the chosen one selected."""
    return options_html(((row.pk, row.name) for row in rows), selected)


@register.inclusion_tag("media_library/_publication_media.html")
def publication_media(publication):
    """The library files a publication carries, as thumbnails with their alt text (the publication's page)."""
    return {"files": selectors.publication_media(publication=publication)}


@register.simple_tag
def media_tiles(files, library_url) -> str:
    """The library page's tiles (thumbnail, name, kind, size, missing alt text, tags), in one pass, every stored text
    escaped: `{% media_tiles files library_url %}` (files of `selectors.library_page`, each with `tag_names`).

    Forty-eight tiles through the template's nodes, a size filter and a loop of tags each, were most of the page's
    rendering (profiled); the markup is the one the tiles had.
    """
    base = escape(library_url)
    out = []
    for f in files:
        name = escape(f.original_name)
        thumb = (
            f'<img src="{base}{f.pk}/thumbnail/" alt="{escape(f.alt_text)}" loading="lazy" width="160" height="160">'
            if f.thumbnail
            else '<i class="bi bi-film" aria-hidden="true"></i>'
        )
        no_alt = ' · <span class="text-warning">no alt text</span>' if not f.alt_text and f.is_image else ""
        tags = (
            '<div class="text-truncate">'
            + "".join(f'<span class="badge text-bg-light border">{escape(name)}</span> ' for name in f.tag_names)
            + "</div>"
            if f.tag_names
            else ""
        )
        out.append(
            f'<div class="col">\n<a class="media-tile card h-100 text-decoration-none" href="{base}{f.pk}/" '
            f'data-testid="media-tile">\n  <div class="media-thumb">{thumb}</div>\n  <div class="card-body p-2 small">\n'
            f'    <div class="text-truncate fw-semibold" title="{name}">{name}</div>\n'
            f'    <div class="text-body-secondary text-truncate">{escape(f.kind_label)} · {filesizeformat(f.size_bytes)}'
            f"{no_alt}</div>\n    {tags}\n  </div>\n</a>\n      </div>"
        )
    return mark_safe("".join(out))  # every stored text escaped above
