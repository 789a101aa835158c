from django import forms

from .kinds import KINDS, Email


class PreferencesForm(forms.Form):
    """One choice per kind: in the app it always shows; the member says whether and how it is e-mailed."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in KINDS.items():
            self.fields[name] = forms.ChoiceField(
                label=kind.label, help_text=kind.description, choices=Email.choices, initial=initial_choices[name]
            )
