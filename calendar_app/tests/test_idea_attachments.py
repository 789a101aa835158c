"""Idea attachments: checked by content and size at upload, served only to members who may see the idea."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from calendar_app.models import Idea

from .factories import IdeaFactory

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "purple").save(out, format="PNG")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _submit(client, name, content):
    return client.post(
        reverse("calendar_app:idea_new"),
        {"title": "Workshop tour", "description": "A tour.", "attachment": SimpleUploadedFile(name, content)},
    )


def _idea_with(workspace, author, name, content):
    idea = IdeaFactory(workspace=workspace, author=author)
    idea.attachment.save(name, ContentFile(content))
    return idea


# --- upload ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"), [("tour.png", png_bytes()), ("brief.pdf", PDF), ("plan.docx", docx_bytes())]
)
def test_an_image_a_pdf_and_a_word_file_are_taken(client_as, workspace, name, content):
    response = _submit(client_as(Role.CONTRIBUTOR), name, content)
    assert response.status_code == 302
    assert Idea.objects.get(workspace=workspace).attachment.name.endswith(name.rsplit(".", 1)[1])


@pytest.mark.parametrize("name", ["brief.pdf", "tour.png", "plan.docx", "clip.mp4"])
def test_a_renamed_program_is_refused(client_as, name):
    response = _submit(client_as(Role.CONTRIBUTOR), name, EXE)
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert "not the" in response.context["form"].errors["attachment"][0]
    assert not Idea.objects.exists()


def test_a_pdf_named_as_an_image_is_refused(client_as):
    response = _submit(client_as(Role.CONTRIBUTOR), "tour.png", PDF)
    assert "attachment" in response.context["form"].errors


def test_a_file_above_the_limit_is_refused(client_as, settings):
    settings.IDEA_ATTACHMENT_MAX_MB = 1
    response = _submit(client_as(Role.CONTRIBUTOR), "brief.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 200
    assert "larger than 1 MB" in response.context["form"].errors["attachment"][0]
    assert not Idea.objects.exists()


# --- download ----------------------------------------------------------------------------------------------------


def _download(client, idea):
    return client.get(reverse("calendar_app:idea_attachment", args=[idea.pk]))


def test_a_member_downloads_a_pdf_as_an_attachment(client_as, workspace):
    client = client_as(Role.ANALYST)
    idea = _idea_with(workspace, client.membership.user, "brief.pdf", PDF)
    response = _download(client, idea)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_shows_in_place(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    idea = _idea_with(workspace, None, "tour.png", png_bytes())
    response = _download(client, idea)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_a_stored_file_that_is_not_an_image_downloads_whatever_its_name(client_as, workspace):
    # Stored before the upload check: an HTML page named .png must not render in the app's origin.
    client = client_as(Role.ADMIN)
    idea = _idea_with(workspace, None, "tour.png", b"<html><script>alert(1)</script></html>")
    response = _download(client, idea)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_member_of_another_workspace_gets_404(client_as, workspace, other_workspace, make_member):
    author = make_member(Role.CONTRIBUTOR).user
    idea = _idea_with(workspace, author, "brief.pdf", PDF)
    assert _download(client_as(Role.ADMIN, ws=other_workspace), idea).status_code == 404


def test_a_user_in_no_workspace_never_gets_the_file(client, workspace, make_member):
    from accounts.tests.factories import UserFactory

    idea = _idea_with(workspace, make_member(Role.CONTRIBUTOR).user, "brief.pdf", PDF)
    client.force_login(UserFactory())
    response = _download(client, idea)
    assert response.status_code in (302, 404)
    assert not hasattr(response, "streaming_content")


def test_another_contributor_of_the_workspace_gets_404(client_as, workspace, make_member):
    idea = _idea_with(workspace, make_member(Role.CONTRIBUTOR).user, "brief.pdf", PDF)
    assert _download(client_as(Role.CONTRIBUTOR), idea).status_code == 404


def test_the_author_contributor_gets_their_file(client_as, workspace):
    client = client_as(Role.CONTRIBUTOR)
    idea = _idea_with(workspace, client.membership.user, "brief.pdf", PDF)
    assert _download(client, idea).status_code == 200


def test_an_executive_may_not_see_ideas(client_as, workspace):
    idea = _idea_with(workspace, None, "brief.pdf", PDF)
    assert _download(client_as(Role.EXECUTIVE), idea).status_code == 403


def test_the_idea_page_links_to_the_served_file(client_as, workspace):
    client = client_as(Role.ADMIN)
    idea = _idea_with(workspace, None, "brief.pdf", PDF)
    page = client.get(reverse("calendar_app:idea_detail", args=[idea.pk])).content.decode()
    assert f'href="/ideas/{idea.pk}/attachment/"' in page
    assert "/media/" not in page


def test_an_anonymous_visitor_is_sent_to_log_in(client, workspace):
    idea = _idea_with(workspace, None, "brief.pdf", PDF)
    response = _download(client, idea)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
