from django import forms
from django.contrib.auth import get_user_model
from django.db import models

from metrics.models import TrackedProfile

from .models import AccessGrant, AuditSettings, Process, SocialAccount, Tool


def _https_urls(field, **kwargs):
    """A URL typed without scheme is read as https (Django 6's default, without the warning)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _in_workspace(form, workspace) -> None:
    """A new row belongs to the workspace before the form validates it: the model's clean() compares against it."""
    if form.instance.workspace_id is None:
        form.instance.workspace = workspace


def _members(workspace):
    return get_user_model().objects.filter(memberships__workspace=workspace).order_by("full_name", "email")


class AccountForm(forms.ModelForm):
    class Meta:
        model = SocialAccount
        formfield_callback = _https_urls
        fields = [
            "platform",
            "handle",
            "url",
            "purpose",
            "audience",
            "owner",
            "status",
            "created_on",
            "last_post_on",
            "tracked_profile",
        ]
        widgets = {"created_on": DATE, "last_post_on": DATE}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        _in_workspace(self, workspace)
        self.fields["owner"].queryset = _members(workspace)
        self.fields["tracked_profile"].queryset = TrackedProfile.objects.filter(workspace=workspace, is_own=True)


class AccessForm(forms.ModelForm):
    class Meta:
        model = AccessGrant
        fields = [
            "account",
            "member",
            "person_name",
            "person_email",
            "department",
            "level",
            "tool",
            "two_factor",
            "granted_on",
            "last_reviewed_on",
            "still_with_company",
        ]
        widgets = {"granted_on": DATE, "last_reviewed_on": DATE}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        _in_workspace(self, workspace)
        self.fields["account"].queryset = SocialAccount.objects.filter(workspace=workspace)
        self.fields["member"].queryset = _members(workspace)


class ToolForm(forms.ModelForm):
    class Meta:
        model = Tool
        fields = ["name", "purpose", "monthly_cost", "users", "notes"]
        widgets = {"users": forms.CheckboxSelectMultiple}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = _members(workspace)


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        formfield_callback = _https_urls
        fields = ["kind", "description", "owner", "documented", "link"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members(workspace)


class AuditSettingsForm(forms.ModelForm):
    class Meta:
        model = AuditSettings
        fields = ["dormant_after_days", "review_after_days", "max_admins_per_account"]


class ResolveForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=[("accounts", "Accounts"), ("access", "Access rows")], label="What the file holds")
    file = forms.FileField(help_text="A CSV file with a header line; download an export to get the columns.")

    def clean_file(self):
        from common.csv_import import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB

        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is {uploaded.size / 1024 / 1024:.1f} MB: import at most {MAX_UPLOAD_MB} MB "
                "(about 200,000 rows) at a time, in several files if needed."
            )
        return uploaded
