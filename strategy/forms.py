from django import forms

from metrics.platforms import Platform

from .models import AudienceSegment, BudgetLine, NetworkPlan, Objective, Strategy

TEXT_SECTIONS = {
    "goals": ("Goals and plans for content", ["business_goals", "content_plan", "distribution_plan"]),
    "voice": ("Brand voice", ["tone_words", "words_to_avoid", "voice_examples"]),
    "plans": (
        "Crisis, exit and evaluation plans",
        ["crisis_contacts", "crisis_escalation", "holding_statements", "exit_plan", "evaluation_plan"],
    ),
}


def text_section_form(section: str):
    fields = TEXT_SECTIONS[section][1]
    return forms.modelform_factory(
        Strategy, fields=fields, widgets={f: forms.Textarea(attrs={"rows": 4}) for f in fields}
    )


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = [
            "title",
            "kind",
            "goal",
            "kpi",
            "kpi_label",
            "platform",
            "baseline",
            "target",
            "manual_value",
            "deadline",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        kpi = data.get("kpi")
        if kpi == Objective.Kpi.MANUAL and not data.get("kpi_label"):
            self.add_error("kpi_label", "Say what a manual KPI counts.")
        if kpi != Objective.Kpi.MANUAL and data.get("manual_value") is not None:
            self.add_error("manual_value", "Only a manual KPI takes a value by hand; the others are measured.")
        if data.get("baseline") is not None and data.get("baseline") == data.get("target"):
            self.add_error("target", "The target must differ from the baseline.")
        return data


class AudienceSegmentForm(forms.ModelForm):
    networks = forms.MultipleChoiceField(
        choices=Platform.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Where the brand meets them.",
    )

    class Meta:
        model = AudienceSegment
        fields = ["name", "description", "networks"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class NetworkPlanForm(forms.ModelForm):
    class Meta:
        model = NetworkPlan
        fields = ["platform", "role", "target_posts_per_week"]
        widgets = {"target_posts_per_week": forms.NumberInput(attrs={"min": 0, "max": 100})}

    def clean_target_posts_per_week(self):
        value = self.cleaned_data["target_posts_per_week"]
        if value > 100:
            raise forms.ValidationError("At most 100 posts a week.")
        return value


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["label", "amount", "period", "notes"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError("A budget line cannot be negative.")
        return amount


class CharterForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        label="Charter text",
        help_text="Markdown-free plain text; blank lines separate paragraphs.",
    )


ITEM_KINDS = {
    "objectives": (Objective, ObjectiveForm, "objective"),
    "segments": (AudienceSegment, AudienceSegmentForm, "audience segment"),
    "networks": (NetworkPlan, NetworkPlanForm, "network"),
    "budget": (BudgetLine, BudgetLineForm, "budget line"),
}
