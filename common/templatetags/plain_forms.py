"""`{{ form|plain_fields }}` and `{{ form.field|plain_field }}`: a form's fields in the markup crispy's bootstrap5 pack
gives them, written in one pass (common/tests/test_plain_forms.py compares the two).

For a page whose few small forms cost more through crispy's templates than the rest of the page: crispy renders
each field through half a dozen templates (the connections page's three forms, eight fields, were about half of its
rendering, profiled at scale 10). Only the plain widgets are written here (text-like inputs, passwords, selects);
any other widget goes through crispy's own field filter, so the markup stays the pack's either way.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from common.widgets import options_html

register = template.Library()

# The widget types written here (and their subclasses: a select with a search box is a select), with the Bootstrap
# class crispy's pack adds to each beside the widget's own name. Checkboxes, radios and file inputs, whose markup
# differs, go through crispy.
_BOOTSTRAP_CLASS = (
    (forms.Select, "form-select"),
    (forms.Textarea, "form-control"),
    (forms.widgets.DateTimeBaseInput, "form-control"),
    (forms.TextInput, "form-control"),
    (forms.PasswordInput, "form-control"),
    (forms.EmailInput, "form-control"),
    (forms.URLInput, "form-control"),
    (forms.NumberInput, "form-control"),
)


# Widgets whose markup is written here in one pass, as their Django templates write it (input.html, textarea.html,
# select.html): each widget's templates cost more than the rest of its field (about 1.7 ms for the connections page's
# three small forms). Their subclasses have markup of their own (FastSelect is one pass already) and keep it.
_INPUTS = {forms.TextInput, forms.PasswordInput, forms.EmailInput, forms.URLInput, forms.NumberInput}


def _grouped(choices) -> bool:
    return any(isinstance(label, (list, tuple)) for _, label in choices)


def _widget(field, attrs: dict) -> str:
    """What `field.as_widget(attrs=attrs)` gives, the plain widgets written here rather than through templates."""
    widget = field.field.widget
    kind = type(widget)
    one_pass = kind in _INPUTS or kind is forms.Textarea or (kind is forms.Select and not _grouped(widget.choices))
    if not one_pass:
        return field.as_widget(attrs=attrs)
    attrs = field.build_widget_attrs(attrs, widget)  # required, disabled, aria-describedby: as_widget's
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    value = field.value()
    if kind is forms.Select:
        final = flatatt(widget.build_attrs(widget.attrs, attrs))
        return mark_safe(
            f'<select name="{escape(field.html_name)}"{final}>{options_html(widget.choices, value)}</select>'
        )
    context = widget.get_context(field.html_name, value, attrs)["widget"]  # the value formatted as the widget does
    final = flatatt(context["attrs"])
    if kind is forms.Textarea:
        text = escape(context["value"]) if context["value"] else ""
        return mark_safe(f'<textarea name="{escape(field.html_name)}"{final}>\n{text}</textarea>')
    shown = "" if context["value"] is None else f' value="{escape(str(context["value"]))}"'
    return mark_safe(f'<input type="{context["type"]}" name="{escape(field.html_name)}"{shown}{final}>')


def _bootstrap_class(widget) -> str | None:
    return next((css for kind, css in _BOOTSTRAP_CLASS if isinstance(widget, kind)), None)


def _field(field) -> str:
    widget = field.field.widget
    bootstrap = _bootstrap_class(widget)
    if bootstrap is None:
        return as_crispy_field(field)
    classes = [type(widget).__name__.lower(), bootstrap]
    if widget.attrs.get("class"):
        classes.insert(0, widget.attrs["class"])
    if field.errors:
        classes.append("is-invalid")
    described_by = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label{}">{}{}</label> ',
            field.id_for_label,
            " requiredField" if field.field.required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if field.field.required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div> ',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
            ),
        )
    # Help texts are the form's own words, unescaped as Django and crispy print them.
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div> ', field.auto_id, mark_safe(field.help_text))
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"> {}{} {}{}</div> ',
        field.auto_id,
        label,
        _widget(field, attrs),
        errors,
        help_text,
    )


@register.filter
def plain_fields(form) -> str:
    """The form's errors not tied to a field, its hidden fields, then each visible field (label, widget, errors,
    help), as `{{ form|crispy }}` prints them."""
    parts = []
    if form.non_field_errors():
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                format_html_join("", "<li>{}</li>", ((error,) for error in form.non_field_errors())),
            )
        )
    parts.extend(str(field) for field in form.hidden_fields())
    parts.extend(_field(field) for field in form.visible_fields())
    return mark_safe("".join(parts))  # each part is escaped by format_html or rendered by its widget


@register.filter
def plain_field(field) -> str:
    """`{{ form.field|plain_field }}`: one field as `{{ form.field|as_crispy_field }}` prints it."""
    return _field(field)
