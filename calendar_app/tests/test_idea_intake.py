from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import ContentItem, Idea

from .factories import IdeaFactory
from .test_idea_attachments import png_bytes

pytestmark = pytest.mark.django_db


def test_contributor_submits_an_idea_and_sees_it_in_their_list(client_as, workspace, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.CONTRIBUTOR)
    response = client.post(
        reverse("calendar_app:idea_new"),
        {
            "title": "Workshop tour",
            "description": "A short video tour.",
            "networks": ["instagram", "x"],
            "link": "https://example.com/tour",
            "attachment": SimpleUploadedFile("tour.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get(workspace=workspace)
    assert (idea.author, idea.networks, idea.status) == (client.membership.user, ["instagram", "x"], "new")
    assert idea.attachment.name.endswith(".png")
    assert "Workshop tour" in client.get(reverse("calendar_app:idea_list")).content.decode()


def test_an_attachment_of_a_refused_type_is_reported_and_nothing_is_saved(client_as):
    client = client_as(Role.CONTRIBUTOR)
    response = client.post(
        reverse("calendar_app:idea_new"),
        {"title": "T", "description": "D", "attachment": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    assert not Idea.objects.exists()


def test_contributor_sees_only_their_own_ideas(client_as, workspace, make_member):
    client = client_as(Role.CONTRIBUTOR)
    IdeaFactory(workspace=workspace, author=client.membership.user, title="Mine")
    other = IdeaFactory(workspace=workspace, author=make_member(Role.CONTRIBUTOR).user, title="Someone else's")
    page = client.get(reverse("calendar_app:idea_list")).content.decode()
    assert "Mine" in page and "Someone else" not in page
    assert client.get(reverse("calendar_app:idea_detail", args=[other.pk])).status_code == 404


def test_contributor_cannot_triage(client_as, workspace):
    client = client_as(Role.CONTRIBUTOR)
    idea = IdeaFactory(workspace=workspace, author=client.membership.user)
    response = client.post(reverse("calendar_app:idea_triage", args=[idea.pk]), {"decision": "park"})
    assert response.status_code == 403
    assert Idea.objects.get().status == "new"


def test_content_lead_accepts_an_idea_into_a_linked_content_item(client_as, workspace):
    client = client_as(Role.CONTENT_LEAD)
    idea = IdeaFactory(workspace=workspace, title="Recycling tips")
    client.post(reverse("calendar_app:idea_triage", args=[idea.pk]), {"decision": "accept", "due_date": "2026-12-01"})
    idea.refresh_from_db()
    assert idea.status == "accepted"
    assert idea.content_item.title == "Recycling tips"
    assert idea.content_item.due_date == date(2026, 12, 1)
    assert ContentItem.objects.filter(workspace=workspace).count() == 1


def test_a_decline_needs_a_reason_that_the_submitter_then_reads(client, client_as, workspace, make_member):
    author = make_member(Role.CONTRIBUTOR)
    idea = IdeaFactory(workspace=workspace, author=author.user)
    lead = client_as(Role.CONTENT_LEAD)
    lead.post(reverse("calendar_app:idea_triage", args=[idea.pk]), {"decision": "decline", "reason": ""})
    assert Idea.objects.get().status == "new"
    lead.post(reverse("calendar_app:idea_triage", args=[idea.pk]), {"decision": "decline", "reason": "Off-brand."})
    assert Idea.objects.get().status == "declined"
    client.force_login(author.user)
    assert "Off-brand." in client.get(reverse("calendar_app:idea_detail", args=[idea.pk])).content.decode()


def test_team_members_comment_and_vote_and_a_second_vote_takes_it_back(client_as, workspace):
    client = client_as(Role.ANALYST)
    idea = IdeaFactory(workspace=workspace)
    client.post(reverse("calendar_app:idea_comment", args=[idea.pk]), {"body": "Great for LinkedIn."})
    client.post(reverse("calendar_app:idea_vote", args=[idea.pk]))
    assert idea.comments.get().body == "Great for LinkedIn."
    assert idea.votes.count() == 1
    client.post(reverse("calendar_app:idea_vote", args=[idea.pk]))
    assert idea.votes.count() == 0


def test_another_workspace_idea_is_not_found(client_as, other_workspace):
    client = client_as(Role.CONTENT_LEAD)
    idea = IdeaFactory(workspace=other_workspace)
    assert client.get(reverse("calendar_app:idea_detail", args=[idea.pk])).status_code == 404
    response = client.post(reverse("calendar_app:idea_triage", args=[idea.pk]), {"decision": "park"})
    assert response.status_code == 404


def test_executive_cannot_open_the_ideas(client_as):
    assert client_as(Role.EXECUTIVE).get(reverse("calendar_app:idea_list")).status_code == 403


def _titles_in_order(page: str, titles) -> list[str]:
    return sorted(titles, key=page.index)


@pytest.mark.parametrize("role", [Role.CONTENT_LEAD, Role.CONTRIBUTOR])
def test_the_newest_idea_comes_first_in_the_inbox_and_in_my_ideas(client_as, workspace, role):
    """The list counts votes and comments (a GROUP BY, which drops the model's ordering): it orders itself."""
    client = client_as(role)
    titles = ["Oldest idea", "Middle idea", "Newest idea"]
    for title in titles:  # sent in this order, so the newest also has the highest id
        IdeaFactory(workspace=workspace, author=client.membership.user, title=title)
    for status in ("", "new"):
        page = client.get(reverse("calendar_app:idea_list"), {"status": status}).content.decode()
        assert _titles_in_order(page, titles) == ["Newest idea", "Middle idea", "Oldest idea"]


@pytest.mark.parametrize("role", [Role.CONTENT_LEAD, Role.CONTRIBUTOR])
def test_the_list_escapes_what_was_typed_and_shows_each_column_its_role_sees(client_as, workspace, role):
    client = client_as(role)
    script = "<script>alert(1)</script>"
    IdeaFactory(
        workspace=workspace, author=client.membership.user, title=script, status="declined", decline_reason=script,
        networks=["instagram", "nonsense"],
    )  # fmt: skip
    html = client.get(reverse("calendar_app:idea_list")).content.decode()
    assert script not in html and f"Declined: {'&lt;script&gt;alert(1)&lt;/script&gt;'}</div>" in html
    assert '<td class="small">Instagram</td>' in html
    assert ('<td class="text-end">0</td><td class="text-end">0</td>' in html) == (role == Role.CONTENT_LEAD)
