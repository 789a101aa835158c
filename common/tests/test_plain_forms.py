"""`{{ form|plain_fields }}` writes what `{{ form|crispy }}` writes (the same elements and attributes), unbound and
with errors, for the forms of the pages that use it (the connections page)."""

import pytest
from django import forms
from django.template import Context, Template
from django.test.html import parse_html

from metrics.forms import BlueskyConnectForm, CredentialForm, OwnProfileForm

CRISPY = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
PLAIN = Template("{% load plain_forms %}{{ form|plain_fields }}")


class _Mixed(forms.Form):
    """Hidden, e-mail, number and checkbox fields (the last one through crispy's own field filter), and an error
    that belongs to no field."""

    next = forms.CharField(widget=forms.HiddenInput, initial="/metrics/")
    email = forms.EmailField(label="E-mail <work>", help_text="The <b>work</b> address.")
    count = forms.IntegerField(required=False)
    agreed = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, initial="Line <one>\n& two")
    size = forms.ChoiceField(choices=[("s", "Small <s>"), ("m", "Medium")], initial="m")
    grouped = forms.ChoiceField(choices=[("Sizes", [("s", "Small"), ("m", "Medium")])], required=False)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), required=False)

    def clean(self):
        raise forms.ValidationError("Nothing <matches>.")


FORMS = [
    lambda: OwnProfileForm(),
    lambda: OwnProfileForm(data={"platform": "x", "handle": "", "source": "demo"}),
    lambda: CredentialForm(),
    lambda: CredentialForm(data={"platform": "instagram", "token": "short"}),
    lambda: BlueskyConnectForm(),
    lambda: BlueskyConnectForm(data={}),
    lambda: _Mixed(),
    lambda: _Mixed(
        data={
            "next": "/",
            "email": "not an address",
            "count": "x",
            "agreed": "on",
            "notes": "<b>",
            "size": "s",
            "when": "not a time",
        }
    ),
]


@pytest.mark.parametrize("make", FORMS)
def test_plain_fields_print_what_crispy_prints(make):
    # One instance each: crispy writes its classes into the widgets' attributes of the form it renders.
    crispy_form, plain_form = make(), make()
    if crispy_form.is_bound:
        assert not crispy_form.is_valid() and not plain_form.is_valid()
    crispy = CRISPY.render(Context({"form": crispy_form}))
    plain = PLAIN.render(Context({"form": plain_form}))
    assert parse_html(plain) == parse_html(crispy)
    if plain_form.is_bound:
        assert "is-invalid" in plain and "invalid-feedback" in plain


def test_plain_fields_escape_what_a_member_typed():
    form = OwnProfileForm(data={"platform": "x", "handle": "<script>x</script>" * 20, "source": "demo"})
    assert not form.is_valid()
    plain = PLAIN.render(Context({"form": form}))
    assert "<script>" not in plain and "&lt;script&gt;" in plain


@pytest.mark.django_db
def test_plain_field_prints_what_as_crispy_field_prints_for_the_composers_fields(workspace):
    from calendar_app.forms import ComposerForm

    crispy_form, plain_form = ComposerForm(workspace=workspace), ComposerForm(workspace=workspace)
    for name in crispy_form.fields:
        crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(
            Context({"field": crispy_form[name]})
        )
        plain = Template("{% load plain_forms %}{{ field|plain_field }}").render(Context({"field": plain_form[name]}))
        assert parse_html(plain) == parse_html(crispy), name
