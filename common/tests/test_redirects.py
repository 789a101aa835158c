"""Every redirect to an address the request carries stays on this site (common/redirects.py)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import Publication
from calendar_app.tests.factories import IdeaFactory, PublicationFactory
from common.redirects import safe_next

OFF_SITE = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://testserver.evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "https://testserver/",  # even this host's own full address: only a path is kept
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_an_off_site_or_script_target_gives_the_default(target):
    for request in (RequestFactory().post("/", {"next": target}), RequestFactory().get("/", {"next": target})):
        assert safe_next(request, "/home/") == "/home/"


@pytest.mark.parametrize("target", ["/ideas/", "/calendar/crisis/?status=held", "/ideas/3/#votes"])
def test_a_path_of_this_site_is_kept(target):
    assert safe_next(RequestFactory().post("/", {"next": target}), "/home/") == target


def test_no_target_gives_the_default():
    assert safe_next(RequestFactory().post("/"), "/home/") == "/home/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_the_idea_vote_never_redirects_off_the_site(client_as, workspace, target):
    client = client_as(Role.ANALYST)
    idea = IdeaFactory(workspace=workspace)
    response = client.post(reverse("calendar_app:idea_vote", args=[idea.pk]), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("calendar_app:idea_list")


@pytest.mark.django_db
def test_the_idea_vote_goes_back_to_the_idea_it_came_from(client_as, workspace):
    client = client_as(Role.ANALYST)
    idea = IdeaFactory(workspace=workspace)
    back = reverse("calendar_app:idea_detail", args=[idea.pk])
    response = client.post(reverse("calendar_app:idea_vote", args=[idea.pk]), {"next": back})
    assert response.url == back
    assert idea.votes.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_a_publication_action_never_redirects_off_the_site(client_as, workspace, target):
    client = client_as(Role.COMMUNITY_MANAGER)
    publication = PublicationFactory(workspace=workspace, status=Publication.Status.DRAFT)
    response = client.post(
        reverse("calendar_app:publication_action", args=[publication.pk, "submit"]), {"next": target}
    )
    assert response.url == reverse("calendar_app:publication_detail", args=[publication.pk])
