from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.models import User
from accounts.roles import TEAM_ROLES
from metrics.platforms import Platform

from .models import Ambassador, Contact, Department, ExampleText, Level, Tag
from .selectors import ContactFilters

# The networks an employee is likely to relay on, in the order people think of them.
AMBASSADOR_PLATFORMS = [
    Platform.LINKEDIN,
    Platform.INSTAGRAM,
    Platform.FACEBOOK,
    Platform.X,
    Platform.TIKTOK,
    Platform.YOUTUBE,
]
YES_NO = [("", "Met or not"), ("yes", "Met"), ("no", "Not met yet")]
BRINGS = [("", "Can bring anything"), ("content", "Content"), ("expertise", "Expertise"), ("events", "Events")]


class PlainSelect(forms.Select):
    """A select written in Python: the same HTML as Django's, without rendering a template per option.

    The directory shows six of them on every view; through the templates they cost as much as its table."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Name, job, tag…"})
    )
    department = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[], widget=PlainSelect)
    tag = forms.ChoiceField(required=False, choices=[], widget=PlainSelect)
    met = forms.ChoiceField(required=False, choices=YES_NO, widget=PlainSelect)
    influence = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any influence"), *Level.choices],
        widget=PlainSelect,
    )
    interest = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "Any interest"), *Level.choices], widget=PlainSelect
    )
    brings = forms.ChoiceField(required=False, choices=BRINGS, widget=PlainSelect)

    def __init__(self, *args, workspace, departments=None, **kwargs):
        """`departments`: the workspace's departments if the page has them already (saves a query)."""
        super().__init__(*args, **kwargs)
        if departments is None:
            departments = Department.objects.filter(workspace=workspace).only("pk", "name")
        self.fields["department"].choices = [("", "All departments")] + [(d.pk, d.name) for d in departments]
        tags = Tag.objects.filter(workspace=workspace).values_list("name", flat=True)
        self.fields["tag"].choices = [("", "All tags")] + [(t, t) for t in tags]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            )

    def to_filters(self) -> ContactFilters:
        if not self.is_valid():
            return ContactFilters()
        data = self.cleaned_data
        return ContactFilters(
            q=data["q"].strip(),
            department=data["department"],
            tag=data["tag"],
            met={"yes": True, "no": False}.get(data["met"]),
            influence=data["influence"],
            interest=data["interest"],
            brings=data["brings"],
        )


class ContactForm(forms.ModelForm):
    tag_names = forms.CharField(
        required=False, label="Tags", help_text="Separated by commas, e.g. spokesperson, photos, trade fairs."
    )

    class Meta:
        model = Contact
        fields = [
            "full_name",
            "job_title",
            "department",
            "email",
            "phone",
            "preferred_channel",
            "influence",
            "interest",
            "expectations",
            "brings_content",
            "brings_expertise",
            "brings_events",
            "can_bring",
            "is_met",
        ]
        widgets = {"expectations": forms.Textarea(attrs={"rows": 3}), "can_bring": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["department"].queryset = Department.objects.filter(workspace=workspace)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email:
            clash = Contact.objects.filter(workspace=self.workspace, email__iexact=email).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("Another contact already has this e-mail address.")
        return email

    def clean_tag_names(self):
        names = [n.strip() for n in self.cleaned_data["tag_names"].split(",") if n.strip()]
        if any(len(n) > 40 for n in names):
            raise forms.ValidationError("A tag is at most 40 characters.")
        return names

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "tag_names"}


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "description"]


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with a header row; at most 5,000 contacts.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 2 MB: split it in several imports.")
        return upload


def _team_users(workspace):
    return User.objects.filter(memberships__workspace=workspace, memberships__role__in=TEAM_ROLES).order_by(
        "full_name", "email"
    )


class MeetingForm(forms.Form):
    date = forms.DateField(initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(required=False, max_length=300, help_text="Who was there besides the contact.")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(forms.Form):
    description = forms.CharField(max_length=300, required=False, label="Follow-up")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Nobody yet")
    due_on = forms.DateField(required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _team_users(workspace)

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("due_on"):
            self.add_error("due_on", "Give the follow-up a due date.")
        if data.get("due_on") and not data.get("description"):
            self.add_error("description", "Say what is to be done.")
        return data


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=3, max_num=10)


class AmbassadorForm(forms.ModelForm):
    networks = forms.MultipleChoiceField(
        choices=[(p.value, p.label) for p in AMBASSADOR_PLATFORMS],
        widget=forms.CheckboxSelectMultiple,
        help_text="Where you would relay our publications.",
    )

    class Meta:
        model = Ambassador
        fields = ["full_name", "email", "department", "relays_posts", "shares_ideas", "helps_analytics", "notes"]
        labels = {
            "relays_posts": "I relay publications",
            "shares_ideas": "I send content ideas",
            "helps_analytics": "I can help with analytics",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(workspace=workspace)
        for platform in AMBASSADOR_PLATFORMS:
            self.fields[f"handle_{platform.value}"] = forms.CharField(
                required=False, max_length=200, label=f"Your {platform.label} profile"
            )
        if self.instance.pk:
            current = {n.platform: n.handle for n in self.instance.networks.all()}
            self.fields["networks"].initial = list(current)
            for platform, handle in current.items():
                if f"handle_{platform}" in self.fields:
                    self.fields[f"handle_{platform}"].initial = handle

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("relays_posts", "shares_ideas", "helps_analytics")):
            raise forms.ValidationError("Tick at least one way you would like to help.")
        return data

    def network_handles(self) -> dict[str, str]:
        return {p: self.cleaned_data.get(f"handle_{p}", "") for p in self.cleaned_data["networks"]}

    def service_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in self._meta.fields}

    def handle_fields(self):
        """(checkbox value, label, handle bound field) per network, for a compact template."""
        return [(p.value, p.label, self[f"handle_{p.value}"]) for p in AMBASSADOR_PLATFORMS]


class ExampleTextForm(forms.ModelForm):
    link = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = ExampleText
        fields = ["platform", "title", "text", "link"]
        labels = {"platform": "Network", "text": "Text to copy"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
