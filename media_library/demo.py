"""Demo media: a few pictures drawn with Pillow, in a folder, tagged and described, one on a draft post."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from . import services
from .models import MediaFile

PICTURES = [
    ("spring-collection.jpg", "Spring campaign", "spring, product", "Three pastel jackets on a rail", "#7fb3d5"),
    ("team-offsite.jpg", "Employer brand", "team", "The team laughing around a picnic table", "#f5b041"),
    ("store-opening.png", "Events", "event, store", "The new shop front with a ribbon across the door", "#58d68d"),
    ("recipe-card.png", "Tips", "tips", "", "#ec7063"),
    (
        "behind-the-scenes.jpg",
        "Spring campaign",
        "spring, behind the scenes",
        "A photographer setting up lights",
        "#af7ac5",
    ),
    ("customer-review.png", "", "community", "A quote from a customer on a yellow card", "#f4d03f"),
]


def picture(name: str, colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 150, 900, 750), fill="white")
    draw.rectangle((80, 780, 1120, 860), fill="#333333")
    out = io.BytesIO()
    image.save(out, "JPEG" if name.endswith(".jpg") else "PNG")
    return SimpleUploadedFile(name, out.getvalue())


def seed(workspace) -> None:
    if MediaFile.objects.filter(workspace=workspace, original_name=PICTURES[0][0]).exists():
        return  # seeded already (the calendar's demo adds a photo of its own to a post first)
    from calendar_app.models import Publication

    for name, folder, tags, alt_text, colour in PICTURES:
        media = services.media_upload(
            workspace=workspace,
            upload=picture(name, colour),
            by=None,
            folder=services.folder_get_or_create(workspace=workspace, name=folder) if folder else None,
            tags=services.tags_from_text(workspace=workspace, text=tags),
            alt_text=alt_text,
        )
        if name == "spring-collection.jpg":
            draft = Publication.objects.filter(workspace=workspace, status=Publication.Status.DRAFT).order_by("pk")
            if (post := draft.first()) is not None:
                services.publication_media_set(publication=post, media_files=[media], by=None, new=True)
