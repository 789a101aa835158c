from datetime import timedelta

from django import forms
from django.utils import timezone

from .figures import STANDARD_DAYS, standard_period
from .models import TrackedProfile
from .platforms import Platform

PERIOD_CHOICES = [(30, "Last 30 days"), (90, "Last 90 days"), (182, "Last 6 months"), (365, "Last 12 months")]
LIVE_PLATFORMS = [
    (Platform.X.value, Platform.X.label),
    (Platform.FACEBOOK.value, Platform.FACEBOOK.label),
    (Platform.INSTAGRAM.value, Platform.INSTAGRAM.label),
    (Platform.MASTODON.value, Platform.MASTODON.label),  # a pasted token: the brand's own accounts only
]


class PeriodForm(forms.Form):
    """The metrics page's period: by default the last 30 days, the period of every other page's figures."""

    days = forms.TypedChoiceField(choices=PERIOD_CHOICES, coerce=int, initial=STANDARD_DAYS, required=False)

    def period(self):
        """The last `days` local days, as every page counts them (metrics.figures.standard_period)."""
        days = (self.cleaned_data.get("days") if self.is_valid() else None) or STANDARD_DAYS
        return standard_period(days=days)

    @property
    def chosen_days(self) -> int:
        return (self.cleaned_data.get("days") if self.is_valid() else None) or STANDARD_DAYS


class TopForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    platform = forms.ChoiceField(choices=[("", "All networks"), *Platform.choices], required=False)

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=89)
        if start > end:
            self.add_error("start", "The period must start before it ends.")
        data["start"], data["end"] = start, end
        return data


class BlueskyConnectForm(forms.Form):
    """Bluesky's way for a tool to sign in besides OAuth: the handle and an app password (Settings → Privacy and
    security → App passwords). The password is sent once to sign in and never stored."""

    identifier = forms.CharField(max_length=253, label="Handle", help_text="For example acme.bsky.social.")
    app_password = forms.CharField(
        widget=forms.PasswordInput(render_value=False), max_length=64, label="App password",
        help_text="Made for this app in Bluesky's settings; revoke it there to disconnect for good.",
    )  # fmt: skip


class CredentialForm(forms.Form):
    platform = forms.ChoiceField(choices=LIVE_PLATFORMS)
    token = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        min_length=8,
        help_text="X: an app bearer token. Meta: a long-lived Page or system-user token. Stored encrypted; never shown again.",
    )
    account_id = forms.CharField(
        required=False,
        max_length=64,
        label="Instagram account id",
        help_text="Instagram only: the brand's professional account id, used to read competitors (business discovery).",
    )

    def clean(self):
        data = super().clean()
        if data.get("platform") == Platform.INSTAGRAM and not data.get("account_id"):
            self.add_error("account_id", "Instagram needs the brand's own professional account id.")
        return data


class OwnProfileForm(forms.Form):
    """One of the brand's own accounts, as the connections page adds it."""

    platform = forms.ChoiceField(choices=Platform.choices)
    handle = forms.CharField(max_length=100, help_text="The username or page name, with or without @.")
    source = forms.ChoiceField(
        choices=TrackedProfile.Source.choices,
        initial=TrackedProfile.Source.DEMO,
        help_text="Live needs the network connected (Connect, on this page).",
    )


class OwnProfileEditForm(forms.Form):
    handle = forms.CharField(max_length=100, help_text="A corrected handle is pulled again by itself.")
    source = forms.ChoiceField(choices=TrackedProfile.Source.choices)
    is_active = forms.BooleanField(
        required=False, label="Tracked", help_text="Unticked: no longer pulled; its history stays."
    )


class AccountChoiceForm(forms.Form):
    """The accounts a connect flow found, as ids: the tokens stay in the session, never in the page."""

    accounts = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Accounts to track", required=True,
        error_messages={"required": "Tick at least one account, or go back to the connections page."},
    )  # fmt: skip

    def __init__(self, *args, choices, tracked: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        field.choices = [(c.external_id, _choice_label(c, c.external_id in tracked)) for c in choices]
        if not self.is_bound:
            self.initial["accounts"] = [c.external_id for c in choices if c.external_id in tracked]


def _choice_label(choice, tracked: bool) -> str:
    label = f"{choice.name or choice.handle} (@{choice.handle})"
    if choice.page_name:
        label += f", through the Page {choice.page_name}"
    return label + (" · already tracked: its connection is renewed" if tracked else "")
