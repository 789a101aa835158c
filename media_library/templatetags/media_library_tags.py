from django import template

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
