from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from common.widgets import FastSelect, SearchSelect
from media_library.fields import add_library_media_field
from metrics.models import TrackedProfile
from metrics.platforms import Platform, account_name

from . import tags
from .attachments import validate_attachment
from .models import APPROVER_ROLE_CHOICES, MAX_APPROVAL_STEPS, ContentItem, PostingSlot, Publication, PublicationComment
from .queue import next_free_slot, no_free_slot
from .selectors import content_item_choices
from .threads import THREAD_PLATFORMS
from .voice import copy_problems, first_comment_problem, length_problem, thread_problem


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=160)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What, for whom, and why now.")
    networks = forms.MultipleChoiceField(
        choices=Platform.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Suggested networks"
    )
    link = forms.URLField(required=False, max_length=500, assume_scheme="https")
    attachment = forms.FileField(required=False, validators=[validate_attachment])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "attachment"
        ].help_text = (
            f"Optional: an image, video, PDF, Word file or slide deck, up to {settings.IDEA_ATTACHMENT_MAX_MB} MB."
        )


class TriageForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("park", "Park"), ("decline", "Decline")])
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="A word for the person who sent it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="They are told the decision with it, and read it on their idea. Required to decline: say why.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("due_date"):
            self.add_error("due_date", "Pick the date the content is due.")
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why, so the person who sent it understands.")
        return data


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Comment", max_length=4000)


def _members(workspace):
    return User.objects.filter(memberships__workspace=workspace).order_by("full_name", "email")


class ContentItemForm(forms.ModelForm):
    class Meta:
        model = ContentItem
        fields = [
            "title",
            "brief",
            "pillar",
            "format",
            "audience_segment",
            "owner",
            "contributors",
            "due_date",
            "stage",
            "seo_keywords",
        ]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}), "brief": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["owner"].queryset = _members(workspace)
        self.fields["contributors"].queryset = _members(workspace)


CONTENT_ITEM_HELP = "The list shows the items due soonest: type a few letters of a title to find any other."


def content_item_label(item) -> str:
    """How a post's forms name a content item: "Spring launch · due 10 Dec"."""
    return item_label(item.title, item.due_date)


def item_label(title, due) -> str:
    return f"{title} · due {due:%d %b}"


def _content_item_field(form, *, workspace, chosen) -> None:
    """A post's content item: any of the workspace's validates, the select renders the nearest few (and the one
    chosen) and a type-ahead finds the others (common.widgets.SearchSelect, calendar_app:content_item_search)."""
    field = form.fields["content_item"]
    field.widget = SearchSelect(search_url=reverse("calendar_app:content_item_search"))
    field.queryset = ContentItem.objects.filter(workspace=workspace)
    field.label_from_instance = content_item_label
    field.help_text = CONTENT_ITEM_HELP
    chosen = str(chosen or "")
    rows, _ = content_item_choices(
        workspace=workspace, selected=int(chosen) if chosen.isdigit() and len(chosen) < 12 else None
    )
    field.widget.rows = [("", field.empty_label), *((pk, item_label(t, due)) for pk, t, due in rows)]


FIRST_COMMENT_HELP = (
    "Posted under the post as soon as it is out: a reply on X, Bluesky and Mastodon, a comment on Facebook and "
    "Instagram. For the link "
    "an Instagram caption cannot make clickable, or the hashtags."
)
THREAD_HELP = (
    "X, Bluesky and Mastodon: the posts that follow this one, each a reply to the one before. Separate them with a "
    "line holding only ---. Each is checked against the network's limit."
)


class TagsInput(forms.TextInput):
    """Tag names, comma-separated, with the workspace's names offered in a datalist (and again after each comma, by
    calendar_app/static/calendar_app/tag_input.js)."""

    template_name = "calendar_app/widgets/tags_input.html"

    def __init__(self, attrs=None, names=()):
        super().__init__({"autocomplete": "off", "data-tag-input": "", **(attrs or {})})
        self.names = list(names)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-names"
        context["widget"]["attrs"]["list"] = context["widget"]["list_id"] = list_id
        context["widget"]["names"] = self.names
        return context


def _tags_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=500,
        label="Tags",
        help_text="Comma-separated, e.g. launch, hiring: the team's own labels, to filter the calendar by. "
        "A new name adds a tag.",
    )


def _offer_tags(form, *, workspace) -> None:
    form.fields["tags"].widget = TagsInput(names=tags.suggestions(workspace=workspace))


class PublicationForm(forms.ModelForm):
    """Validates a publication and fills `form.instance` (copy, account, time, media); it writes nothing.

    The view hands `form.instance` to services.publication_save, which writes it (the review rules, the event log).
    """

    media = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Media addresses, one per line.",
        label="Media",
    )
    add_to_queue = forms.BooleanField(
        required=False,
        label="Add to the account's queue",
        help_text="Schedules it at the account's next free posting slot (the time above is then ignored).",
    )
    tags = _tags_field()
    field_order = [
        "content_item", "profile", "copy", "first_comment", "thread", "scheduled_at", "add_to_queue", "media"
    ]  # fmt: skip

    class Meta:
        model = Publication
        fields = ["content_item", "profile", "copy", "first_comment", "thread", "scheduled_at"]
        widgets = {
            "copy": forms.Textarea(attrs={"rows": 5}),
            "first_comment": forms.Textarea(attrs={"rows": 2}),
            "thread": forms.Textarea(attrs={"rows": 3}),
            "scheduled_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        labels = {"profile": "Social account", "scheduled_at": "Scheduled for (workspace time)"}
        labels |= {"thread": "Thread (optional)"}
        help_texts = {"first_comment": FIRST_COMMENT_HELP, "thread": THREAD_HELP}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.instance.workspace = workspace
        # The nearest content items (and the one it has) in the select, not every item of the years behind.
        chosen = self.data.get("content_item") or self.initial.get("content_item") or self.instance.content_item_id
        _content_item_field(self, workspace=workspace, chosen=chosen)
        self.fields["profile"].widget = FastSelect()  # the widget first: the queryset hands it its choices
        self.fields["profile"].queryset = TrackedProfile.objects.filter(workspace=workspace, is_own=True)
        self.fields["scheduled_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.initial.setdefault("media", "\n".join(self.instance.media_urls or []))
        if self.instance.pk:
            self.initial.setdefault("tags", ", ".join(tag.name for tag in self.instance.tags.all()))
        _offer_tags(self, workspace=workspace)
        self.warnings: list[str] = []
        # The media library's files, beside the addresses (media_library/fields.py writes them after the save).
        add_library_media_field(self, workspace=workspace, publication=self.instance)
        self.fields["tags"] = self.fields.pop("tags")  # last, after the media

    def clean_media(self):
        urls = [line.strip() for line in self.cleaned_data.get("media", "").splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https")
        return [validator.clean(url) for url in urls]

    def clean_tags(self) -> list[str]:
        return tags.tag_names(self.cleaned_data.get("tags", ""))

    def clean(self):
        data = super().clean()
        profile, copy = data.get("profile"), data.get("copy") or ""
        if profile:
            if too_long := length_problem(profile.platform, copy):
                self.add_error("copy", too_long)
            if too_long := first_comment_problem(profile.platform, data.get("first_comment") or ""):
                self.add_error("first_comment", too_long)
            if wrong := thread_problem(profile.platform, data.get("thread") or ""):
                self.add_error("thread", wrong)
            # Words to avoid are flagged on the draft and block only the submission for review.
            self.warnings = [
                p
                for p in copy_problems(
                    workspace=self.workspace,
                    platform=profile.platform,
                    copy=copy,
                    first_comment=data.get("first_comment") or "",
                    thread=data.get("thread") or "",
                )
                if p.startswith("Words")
            ]
        if data.get("add_to_queue") and profile:
            # Said here first, for the field; the slot itself is taken by queue.publication_save_queued.
            slot = next_free_slot(profile=profile, excluding=self.instance.pk)
            if slot is None:
                self.add_error("add_to_queue", no_free_slot(profile))
            else:
                data["scheduled_at"] = slot  # ModelForm gives the instance the cleaned time after clean()
        # Not a model field of the form: the instance takes it here, as ModelForm does the others after clean().
        self.instance.media_urls = data.get("media", [])
        return data

    def save(self, commit=True):
        raise TypeError("PublicationForm writes nothing: pass form.instance to services.publication_save.")


class RequestChangesForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What should change")


class MarkPublishedForm(forms.Form):
    permalink = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Its address on the platform (optional)"
    )


class RescheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label="New time (workspace time)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CrisisForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Reason", max_length=2000)


class ApprovalSettingsForm(forms.Form):
    approver_roles = forms.MultipleChoiceField(
        choices=APPROVER_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, label="Roles that may approve"
    )
    final_approval_required = forms.BooleanField(
        required=False,
        label="A final approval by an admin or the strategy lead is required",
        help_text="The content lead's approval is then a first approval; the final approval comes from a different "
        "person than the first one. Each approver counts once. Approval steps, where defined (below), replace this "
        "and the roles above.",
    )
    four_eyes = forms.BooleanField(
        required=False,
        label="The author of a publication may not approve it",
        help_text="Four eyes: whoever created a publication, sent it for review or changed its copy or media does not "
        "approve it, nor send or reschedule it alone when it is held after a crisis pause. On by default.",
    )
    review_expires_after_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=60,
        label="A review nobody answers expires after (days)",
        help_text="The post goes back to draft and its authors are told. Empty: a review waits until someone answers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One target per network: posts per week the calendar should plan (empty: no target).
        for value, label in Platform.choices:
            self.fields[f"target_{value}"] = forms.IntegerField(
                required=False, min_value=0, max_value=100, label=f"Target posts per week on {label}"
            )

    def targets(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[f"target_{value}"]
            for value in Platform.values
            if self.cleaned_data.get(f"target_{value}") is not None
        }


NETWORK_STEP_CHOICES = [("", "Every network"), *Platform.choices]


class ApprovalStepsForm(forms.Form):
    """The approval steps of one network ("" for every network): up to three rows of a name and the roles that may
    approve it, filled from the top (an empty row ends them)."""

    network = forms.ChoiceField(choices=NETWORK_STEP_CHOICES, required=False, label="Steps for")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_APPROVAL_STEPS + 1):
            self.fields[f"name_{n}"] = forms.CharField(
                required=False,
                max_length=60,
                label=f"Step {n}: name",
                help_text="e.g. Content check, Final approval" if n == 1 else "",
            )
            self.fields[f"roles_{n}"] = forms.MultipleChoiceField(
                required=False,
                choices=APPROVER_ROLE_CHOICES,
                widget=forms.CheckboxSelectMultiple,
                label=f"Step {n}: who approves it",
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"name_{n}"], self[f"roles_{n}"]) for n in range(1, MAX_APPROVAL_STEPS + 1)]

    def clean(self):
        data = super().clean()
        steps, ended_at = [], None
        for n in range(1, MAX_APPROVAL_STEPS + 1):
            name, roles = (data.get(f"name_{n}") or "").strip(), data.get(f"roles_{n}") or []
            if not name and not roles:
                ended_at = ended_at or n
                continue
            if ended_at:
                self.add_error(f"name_{n}", f"Step {ended_at} is empty: fill the steps in order, from step 1.")
                continue
            if not name:
                self.add_error(f"name_{n}", "Name this step.")
            if not roles:
                self.add_error(f"roles_{n}", "Choose who approves this step.")
            steps.append((name, list(roles)))
        data["steps"] = steps
        return data


class MoveForm(forms.Form):
    """A drag-and-drop move: a date (content items) or a workspace-local date and time (publications)."""

    start = forms.CharField(max_length=40)


class PostingSlotForm(forms.Form):
    """A slot for one of the brand's own accounts, from its row on the queue page (calendar_app/queue.py writes it,
    and says when the account has that slot already)."""

    profile = forms.ModelChoiceField(queryset=TrackedProfile.objects.none(), label="Account")
    weekday = forms.TypedChoiceField(choices=PostingSlot.Weekday.choices, coerce=int, label="Day")
    time = forms.TimeField(
        label="Time (workspace time)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = TrackedProfile.objects.filter(
            workspace=workspace, is_own=True, is_active=True
        )


class PublicationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="Saved from a spreadsheet as “CSV UTF-8”; the columns are listed beside."
    )


class PublicationCommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, label="Comment")
    visibility = forms.ChoiceField(
        choices=PublicationComment.Visibility.choices,
        initial=PublicationComment.Visibility.INTERNAL,
        label="Who it is for",
    )


@dataclass(frozen=True)
class AccountRow:
    """One of the brand's accounts as the composer lists it."""

    pk: int
    platform: str
    handle: str


class ComposerForm(forms.Form):
    """One post for several of the brand's accounts (calendar_app/composer.py); each account's variant field is
    `variant_<id>` (empty: the shared text)."""

    content_item = forms.ModelChoiceField(queryset=ContentItem.objects.none(), label="Content item")
    accounts = forms.ModelMultipleChoiceField(
        queryset=TrackedProfile.objects.none(), widget=forms.CheckboxSelectMultiple, label="Accounts"
    )
    copy = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Text for every account", max_length=63206)
    scheduled_at = forms.DateTimeField(
        required=False,
        label="Scheduled for (workspace time)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    first_comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="First comment for every account (optional)",
        max_length=8000,
        help_text=FIRST_COMMENT_HELP,
    )
    thread = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Thread for the X, Bluesky and Mastodon accounts (optional)",
        max_length=63206,
        help_text=THREAD_HELP,
    )
    add_to_queue = forms.BooleanField(required=False, label="Each account's next free posting slot instead")
    media = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Media",
        help_text="Media addresses, one per line.",
    )
    tags = _tags_field()  # every draft gets them

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_tags(self, workspace=workspace)
        _content_item_field(
            self, workspace=workspace, chosen=self.data.get("content_item") or self.initial.get("content_item")
        )
        accounts = TrackedProfile.objects.filter(workspace=workspace, is_own=True, is_active=True).order_by(
            "platform", "handle"
        )
        self.fields["accounts"].queryset = accounts
        self.fields["accounts"].label_from_instance = lambda p: account_name(p.platform, p.handle)
        # The accounts as rows (pk, platform, handle), not 300 model instances: the page lists them, the field's
        # queryset checks those chosen.
        self.accounts = [AccountRow(*row) for row in accounts.values_list("pk", "platform", "handle")]
        self.variants, self.times, self.own_media, self.account_errors = {}, {}, {}, {}
        self.first_comments = {}
        self.workspace = workspace
        # The media library's files, beside the addresses (media_library/fields.py).
        add_library_media_field(self, workspace=workspace)

    def clean_tags(self) -> list[str]:
        return tags.tag_names(self.cleaned_data.get("tags", ""))

    def clean_media(self):
        validator = forms.URLField(assume_scheme="https")
        return [
            validator.clean(line.strip()) for line in self.cleaned_data.get("media", "").splitlines() if line.strip()
        ]

    def clean(self):
        """Each chosen account's own text and time (`variant_<id>`, `time_<id>`), read for the chosen accounts only:
        not a form field each, since a brand with 300 accounts would build 600 fields on every request."""
        data = super().clean()
        for account in data.get("accounts") or []:
            errors = []
            for name, field, into in (
                ("variant", _VARIANT, self.variants),
                ("first_comment", _OWN_FIRST_COMMENT, self.first_comments),
                ("time", _OWN_TIME, self.times),
            ):
                try:
                    into[account.pk] = field.clean(self.data.get(f"{name}_{account.pk}", ""))
                except forms.ValidationError as error:
                    errors.extend(error.messages)
            mode = self.data.get(f"media_{account.pk}", "shared")
            if mode == "none":
                self.own_media[account.pk] = []
            elif mode == "own":
                self.own_media[account.pk] = self._own_files(account, errors)
            if errors:
                self.account_errors[account.pk] = errors
        if self.account_errors:
            raise forms.ValidationError("The own text or time of an account is not right: see under “Per account”.")
        return data

    def _own_files(self, account, errors) -> list:
        """The library files chosen for this account alone (`library_media_<id>`), in their order, the workspace's."""
        from media_library.models import MediaFile

        getlist = getattr(self.data, "getlist", None)
        values = getlist(f"library_media_{account.pk}") if getlist else []
        ids = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12][:20]
        found = {f.pk: f for f in MediaFile.objects.filter(workspace=self.workspace, pk__in=ids)}
        if len(found) < len(set(ids)):
            errors.append("A file chosen for this account is not in the media library.")
        if not ids:
            errors.append("Choose this account's files, or give it the shared media or none.")
        return [found[pk] for pk in ids if pk in found]

    def media_of(self, account):
        """The account's own library files ([] for none), or None for the shared media."""
        return self.own_media.get(account.pk)

    def variant(self, account) -> str:
        return (self.variants.get(account.pk) or "").strip()

    def first_comment_of(self, account) -> str:
        """The account's own first comment, else the shared one ("" for none)."""
        return (self.first_comments.get(account.pk) or "").strip() or (self.cleaned_data.get("first_comment") or "")

    def thread_of(self, account) -> str:
        """The shared thread, for an account on a network that takes one ("" for the others)."""
        return (self.cleaned_data.get("thread") or "") if account.platform in THREAD_PLATFORMS else ""

    def own_time(self, account):
        """The account's own time (workspace time, made aware by the field), or None for the shared time or queue."""
        return self.times.get(account.pk)

    def typed(self, account) -> dict:
        """What was given for the account (its variant, time and media), to show the form again."""
        getlist = getattr(self.data, "getlist", None)
        return {
            "variant": self.data.get(f"variant_{account.pk}", ""),
            "first_comment": self.data.get(f"first_comment_{account.pk}", ""),
            "time": self.data.get(f"time_{account.pk}", ""),
            "media": self.data.get(f"media_{account.pk}", "shared"),
            "files": [v for v in (getlist(f"library_media_{account.pk}") if getlist else []) if str(v).isdigit()],
        }


# One field each for every account's own text and time in the composer (ComposerForm.clean).
_VARIANT = forms.CharField(required=False, max_length=63206)
_OWN_FIRST_COMMENT = forms.CharField(required=False, max_length=8000)
_OWN_TIME = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
