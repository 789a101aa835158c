from django import forms

from common.widgets import FastSelect

from .models import MediaFile, MediaFolder
from .services import MAX_TAGS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The files of one post: each is checked on its own (services.media_upload), so one refusal names its file."""

    def clean(self, data, initial=None):
        return [file for file in (data if isinstance(data, (list, tuple)) else [data]) if file]


class UploadForm(forms.Form):
    """Where the files go and how they are tagged; the files themselves are checked one by one (views.upload)."""

    files = MultipleFileField(
        widget=MultipleFileInput(
            attrs={"multiple": True, "accept": "image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime"}
        ),
        required=False,
        label="Files",
        help_text="Images (JPEG, PNG, GIF, WebP) and videos (MP4, MOV); several at once.",
    )
    folder = forms.ModelChoiceField(queryset=MediaFolder.objects.none(), required=False, empty_label="No folder")
    tags = forms.CharField(required=False, max_length=500, help_text="Comma-separated, given to every file.")

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].widget = FastSelect()
        self.fields["folder"].queryset = MediaFolder.objects.filter(workspace=workspace).order_by("name")

    def clean_tags(self):
        return _tag_names(self.cleaned_data["tags"])


def _tag_names(text: str) -> str:
    if len({n.strip().lower() for n in text.split(",") if n.strip()}) > MAX_TAGS:
        raise forms.ValidationError(f"At most {MAX_TAGS} tags per file.")
    return text


class MediaEditForm(forms.ModelForm):
    """A file's alt text, folder (or a new one) and tags; services.media_update writes them."""

    new_folder = forms.CharField(required=False, max_length=80, label="Or a new folder")
    tags_text = forms.CharField(required=False, max_length=500, label="Tags", help_text="Comma-separated.")

    class Meta:
        model = MediaFile
        fields = ["alt_text", "folder"]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 2})}
        labels = {"alt_text": "Alt text"}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].widget = FastSelect()
        self.fields["folder"].queryset = MediaFolder.objects.filter(workspace=workspace).order_by("name")
        self.fields["folder"].empty_label = "No folder"
        if self.instance.pk and not self.is_bound:
            self.initial["tags_text"] = ", ".join(tag.name for tag in self.instance.tags.all())
        self.field_order = ["alt_text", "folder", "new_folder", "tags_text"]
        self.order_fields(self.field_order)

    def clean_tags_text(self):
        return _tag_names(self.cleaned_data["tags_text"])

    def save(self, commit=True):
        raise TypeError("MediaEditForm writes nothing: the view calls services.media_update.")
