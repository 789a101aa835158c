from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from . import throttle
from .models import Membership, Workspace
from .roles import Role


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean(self):
        # The account guard (accounts/throttle.py) answers a new device first while the account is under attack.
        throttle.login_guard(
            request=self.request, username=self.cleaned_data.get("username"), password=self.cleaned_data.get("password")
        )
        return super().clean()


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CONTRIBUTOR)


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "time_zone", "two_factor_policy"]
        help_texts = {
            "time_zone": "Publications are scheduled and shown in this time zone.",
            "two_factor_policy": "Those it names are asked to set it up in their profile before they can go on.",
        }


class AcceptInvitationForm(forms.Form):
    """For an invitee who has no account yet."""

    full_name = forms.CharField(max_length=150)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        elif cleaned.get("password1"):
            try:
                password_validation.validate_password(cleaned["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
