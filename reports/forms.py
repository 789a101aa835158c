from django import forms
from django.utils import timezone

from .models import ReportRecipient
from .periods import month_start, parse_month, previous_month


class HighlightsForm(forms.Form):
    highlights = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Three or four sentences: what went well, what did not, what comes next.",
    )


def last_complete_month() -> str:
    """The month before today's, as the month input wants it ('2026-11'): today in the current time zone, which
    the middleware sets to the workspace's."""
    return f"{previous_month(month_start(timezone.localdate())):%Y-%m}"


class GenerateForm(forms.Form):
    month = forms.CharField(widget=forms.TextInput(attrs={"type": "month"}), help_text="The month to report on.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = last_complete_month()  # computed per form: the month turns while we run

    def clean_month(self):
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError("Give a month as YYYY-MM.")
        if month > month_start(timezone.localdate()):
            raise forms.ValidationError("That month has not begun yet.")
        return month


class RecipientForm(forms.ModelForm):
    class Meta:
        model = ReportRecipient
        fields = ["email", "name"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if ReportRecipient.objects.filter(workspace=self.workspace, email=email).exists():
            raise forms.ValidationError("This address already receives the report.")
        return email
