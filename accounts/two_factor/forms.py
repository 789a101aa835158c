from django import forms

from . import services

CODE_HELP = "Enter the 6-digit code from your authenticator app, or one of your recovery codes."


def _throttled(seconds: int) -> str:
    return f"Too many wrong codes: wait {seconds} second{'s' if seconds != 1 else ''}, then try again."


class CodeForm(forms.Form):
    """The login's second step: an app code or a recovery code, in one field."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None
        self.wrong_code = False  # a code was checked and refused (counted against the login by the view)

    def clean_code(self):
        check = services.code_check(user=self.user, code=self.cleaned_data["code"])
        if check.ok:
            self.device = check.device
            return self.cleaned_data["code"]
        if check.wait_seconds:
            raise forms.ValidationError(_throttled(check.wait_seconds))
        self.wrong_code = True
        raise forms.ValidationError("That code is not right, or it was already used.")


class AppConfirmForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code your app shows now",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.recovery_codes = None

    def clean_code(self):
        wait = services.throttled_for(self.device)
        if wait:
            raise forms.ValidationError(_throttled(wait))
        codes = services.app_setup_confirm(device=self.device, code=self.cleaned_data["code"])
        if codes is None:
            raise forms.ValidationError(
                "That code is not the one the app shows: check the phone's clock, or scan the code again."
            )
        self.recovery_codes = codes
        return self.cleaned_data["code"]


class SwitchOffForm(forms.Form):
    proof = forms.CharField(
        label="Your password, or a code from your authenticator app",
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        if self.user.check_password(proof):
            return proof
        check = services.code_check(user=self.user, code=proof)
        if check.ok:
            return proof
        if check.wait_seconds:
            raise forms.ValidationError(_throttled(check.wait_seconds))
        raise forms.ValidationError("That is neither your password nor a valid code.")
