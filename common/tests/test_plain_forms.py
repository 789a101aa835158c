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
    lambda: _Mixed(data={"next": "/", "email": "not an address", "count": "x", "agreed": "on"}),
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
