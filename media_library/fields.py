"""The media library on a post's forms (calendar_app's publication form and composer): a multi-select of the
workspace's newest 200 files plus those the post carries (selectors.form_window), written through
services.publication_media_set after the post itself is saved."""

from django import forms

from common.widgets import FastSelectMultiple

from . import selectors, services

FIELD = "library_media"


def _label(media) -> str:
    return f"{media.original_name} · {media.kind_label} · {media.created_at:%d %b %Y}"


def add_library_media_field(form, *, workspace, publication=None) -> None:
    """Adds the `library_media` field to a form: the files chosen, in the order of the list."""
    attached = selectors.publication_media_ids(publication=publication)
    if form.is_bound:
        values = form.data.getlist(FIELD) if hasattr(form.data, "getlist") else form.data.get(FIELD) or []
        chosen = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12]
    else:
        chosen = attached
        form.initial.setdefault(FIELD, attached)
    field = forms.ModelMultipleChoiceField(
        queryset=selectors.form_window(workspace=workspace, selected=[*chosen, *attached]),
        required=False,
        label="Files from the media library",
        help_text="The newest 200 files, and those the post has. Ctrl or ⌘ chooses several.",
        widget=FastSelectMultiple(attrs={"size": 6}),
    )
    field.label_from_instance = _label
    form.fields[FIELD] = field
    # The picker's options and the composer's preview from one query of values (selectors.window_rows); the
    # queryset still checks what a POST chooses.
    options, form.library_preview = selectors.window_rows(field.queryset)
    form.fields[FIELD].widget.rows = options


def save_library_media(form, *, publication, by, new: bool = False) -> bool:
    """Writes the files chosen on the form to the publication (True when they changed)."""
    return services.publication_media_set(
        publication=publication, media_files=form.cleaned_data.get(FIELD) or [], by=by, new=new
    )
