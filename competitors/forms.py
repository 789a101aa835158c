from django import forms
from django.core.exceptions import ValidationError

from metrics.platforms import Platform

from .evidence import validate_evidence
from .models import Competitor, Quadrant, SwotItem
from .selectors import NO_COMPETITOR_DATA
from .services import COMPETITOR_PLATFORMS


def handle_field_name(platform: str) -> str:
    return f"handle_{platform}"


class CompetitorForm(forms.Form):
    """A competitor's details and one handle per network (blank: not followed there)."""

    name = forms.CharField(max_length=120)
    website = forms.URLField(required=False, assume_scheme="https")
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What they do, who they speak to, why we follow them.",
    )

    def __init__(self, *args, competitor: Competitor | None = None, **kwargs):
        if competitor is not None and "initial" not in kwargs:
            initial = {"name": competitor.name, "website": competitor.website, "notes": competitor.notes}
            for link in competitor.profile_links.all():
                if link.profile.is_active:
                    initial[handle_field_name(link.profile.platform)] = link.profile.handle
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for platform in COMPETITOR_PLATFORMS:
            help_text = NO_COMPETITOR_DATA.get(platform, "")
            self.fields[handle_field_name(platform)] = forms.CharField(
                label=f"{platform.label} handle",
                required=False,
                max_length=200,
                help_text=help_text,
                widget=forms.TextInput(attrs={"placeholder": "@handle or profile address"}),
            )

    @property
    def handle_fields(self):
        return [self[handle_field_name(p)] for p in COMPETITOR_PLATFORMS]

    @property
    def detail_fields(self):
        return [self["name"], self["website"], self["notes"]]

    def handles(self) -> dict[str, str]:
        return {p.value: self.cleaned_data.get(handle_field_name(p), "") for p in COMPETITOR_PLATFORMS}

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's refusal on the field it concerns (handles are keyed by platform)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            field = handle_field_name(key) if key in Platform.values else key
            self.add_error(field if field in self.fields else None, errors)


class SwotItemForm(forms.ModelForm):
    evidence_url = forms.CharField(
        label="Evidence link",
        required=False,
        max_length=500,
        validators=[validate_evidence],
        help_text="A web address (https://…) or a page of this workspace (/competitors/…).",
    )

    class Meta:
        model = SwotItem
        fields = ["quadrant", "text", "evidence_url"]
        widgets = {"text": forms.TextInput(attrs={"placeholder": "One point, in a sentence"})}
        labels = {"text": "Point"}


class SwotVersionForm(forms.Form):
    KIND_CHOICES = [("quarter", "This quarter's version"), ("now", "A version now (on demand)")]
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="now", widget=forms.RadioSelect)
    note = forms.CharField(required=False, max_length=120, help_text="Why this version, e.g. “after the rebrand”.")


class ReorderForm(forms.Form):
    quadrant = forms.ChoiceField(choices=Quadrant.choices)
    items = forms.CharField(required=False)

    def clean_items(self) -> list[int]:
        raw = self.cleaned_data["items"]
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError as error:
            raise ValidationError("The order must be a list of item numbers.") from error
