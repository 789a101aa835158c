"""A disabled action says why: the reason is a tooltip on a wrapper a keyboard reaches, and text on the page."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from competitors import services as competitors


def _wrapper(page: str, testid: str) -> str:
    match = re.search(
        rf'<span class="disabled-action"[^>]*data-testid="{testid}-reason"[^>]*>(.*?)</span>\s*</span>', page, re.S
    )
    assert match, f"no reason around {testid}"
    return match.group(0)


@pytest.mark.django_db
def test_the_disabled_add_a_competitor_says_why(client_as, workspace):
    client = client_as(Role.ADMIN)
    for name in ("A", "B", "C"):
        competitors.competitor_create(workspace=workspace, name=name)
    page = client.get(reverse("competitors:benchmark")).content.decode()
    wrapper = _wrapper(page, "add-competitor-disabled")
    reason = "At most 3 competitors: archive one to add another."
    assert f'title="{reason}"' in wrapper and 'tabindex="0"' in wrapper
    assert f'<span class="disabled-action-reason">{reason}</span>' in wrapper
    assert re.search(r"<button[^>]*disabled[^>]*>", wrapper)


@pytest.mark.django_db
def test_follow_again_at_the_cap_says_why(client_as, workspace):
    client = client_as(Role.ADMIN)
    archived = competitors.competitor_create(workspace=workspace, name="Old")
    competitors.competitor_archive(competitor=archived)
    for name in ("A", "B", "C"):
        competitors.competitor_create(workspace=workspace, name=name)
    page = client.get(reverse("competitors:benchmark")).content.decode()
    wrapper = _wrapper(page, "restore-disabled")
    assert 'title="At most 3 competitors: archive one to follow this one again."' in wrapper


@pytest.mark.django_db
def test_with_room_left_the_actions_are_plain_buttons(client_as, workspace):
    client = client_as(Role.ADMIN)
    archived = competitors.competitor_create(workspace=workspace, name="Old")
    competitors.competitor_archive(competitor=archived)
    page = client.get(reverse("competitors:benchmark")).content.decode()
    assert "disabled-action" not in page
    assert 'data-testid="add-competitor"' in page and "Follow again</button>" in page


@pytest.mark.django_db
def test_a_backfill_running_says_why_another_cannot_start(client_as, workspace):
    from metrics.models import PullRun
    from metrics.tests.factories import TrackedProfileFactory

    client = client_as(Role.ADMIN)
    profile = TrackedProfileFactory(workspace=workspace)
    PullRun.objects.create(profile=profile, kind=PullRun.Kind.BACKFILL, posts_done=300, posts_expected=1200)
    page = client.get(reverse("metrics:connections")).content.decode()
    wrapper = _wrapper(page, "backfill-disabled")
    assert 'title="A backfill of this profile is running: its progress shows in this row."' in wrapper
    assert reverse("metrics:backfill", args=[profile.pk]) not in page  # nothing to post while it runs
