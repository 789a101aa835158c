from django import forms

from .models import ReportRecipient


class HighlightsForm(forms.Form):
    highlights = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Three or four sentences: what went well, what did not, what comes next.",
    )


class GenerateForm(forms.Form):
    month = forms.CharField(widget=forms.TextInput(attrs={"type": "month"}), help_text="The month to report on.")

    def clean_month(self):
        from django.utils import timezone

        from .periods import month_start, parse_month

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
