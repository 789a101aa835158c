"""The metrics pages for each role, workspace isolation, and the connection actions."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from metrics.models import Credential, PullRun
from metrics.services import credential_save, pull_run
from tests.homes import home_as_shown

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db
PAGES = ["metrics:dashboard", "metrics:top", "metrics:connections"]
READERS = [r for r in Role if r != Role.CONTRIBUTOR]


@pytest.fixture
def profile(workspace):
    profile = TrackedProfileFactory(workspace=workspace, handle="acme_brand")
    pull_run(profile=profile, backfill=True)
    return profile


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("name", PAGES)
def test_every_reading_role_opens_the_metrics_pages(client_as, profile, role, name):
    response = client_as(role).get(reverse(name))
    assert response.status_code == 200
    assert b"acme_brand" in response.content


@pytest.mark.parametrize("name", PAGES)
def test_contributor_cannot_open_metrics(client_as, name):
    assert client_as(Role.CONTRIBUTOR).get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("metrics:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_names_the_engagement_denominator(client_as, profile):
    content = client_as(Role.ANALYST).get(reverse("metrics:dashboard")).content.decode()
    assert "followers on the day of posting" in content
    assert 'id="metrics-charts"' in content


def test_dashboard_without_profiles_says_what_to_do(client_as):
    content = client_as(Role.ANALYST).get(reverse("metrics:dashboard")).content.decode()
    assert "No tracked profile yet" in content


def test_top_lists_twenty_best_and_twenty_worst_with_links(client_as, profile):
    response = client_as(Role.CONTENT_LEAD).get(reverse("metrics:top"), {"platform": "x"})
    top, flop = response.context["top_posts"], response.context["flop_posts"]
    assert len(top) == len(flop) == 20
    rates = [post["engagement_rate"] for post in top + flop[::-1]]
    assert rates == sorted(rates, reverse=True)
    assert top[0]["permalink"] in response.content.decode()


def test_top_with_a_period_ending_before_it_starts_shows_a_field_error(client_as, profile):
    response = client_as(Role.ANALYST).get(reverse("metrics:top"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 200
    assert "must start before it ends" in response.content.decode()


def test_top_filters_keep_the_chosen_period_and_network(client_as, profile):
    response = client_as(Role.ANALYST).get(
        reverse("metrics:top"), {"start": "2026-04-01", "end": "2026-05-01", "platform": "x"}
    )
    content = response.content.decode()
    assert 'name="start" value="2026-04-01"' in content and 'name="end" value="2026-05-01"' in content
    assert '<option value="x" selected>X (Twitter)</option>' in content
    assert '<option value="" selected>' not in content and "is-invalid" not in content


def test_top_marks_the_field_in_error(client_as, profile):
    response = client_as(Role.ANALYST).get(reverse("metrics:top"), {"start": "someday", "platform": "nowhere"})
    content = response.content.decode()
    assert 'value="someday" class="dateinput form-control is-invalid"' in content
    assert 'class="select form-select is-invalid"' in content
    assert "Enter a valid date." in content and "Select a valid choice." in content


def test_top_rows_print_the_date_and_excerpt_as_the_template_filters_would(settings):
    from datetime import UTC, datetime

    from django.template.defaultfilters import date, truncatechars
    from django.utils import timezone

    from metrics.views import _post_rows

    settings.TIME_ZONE = "Europe/Paris"
    texts = ["Short.", "x" * 180, "y" * 181, "e\u0301" * 200, "Nai\u0308ve " * 30]
    posts = [{"published_at": datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "text": text} for text in texts]
    for post in _post_rows(posts):
        assert post["when"] == date(timezone.localtime(post["published_at"]), "j M Y H:i") == "29 Mar 2026 01:30"
        assert post["excerpt"] == truncatechars(post["text"], 180)


def test_another_workspaces_profiles_never_show(client_as, other_workspace, profile):
    TrackedProfileFactory(workspace=other_workspace, handle="secret_rival")
    for name in PAGES:
        assert b"secret_rival" not in client_as(Role.ADMIN).get(reverse(name)).content


def test_admin_pulls_now_and_the_run_is_recorded(client_as, profile, django_capture_on_commit_callbacks):
    client = client_as(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("metrics:pull_now", args=[profile.pk]))
    assert response.status_code == 302
    assert PullRun.objects.filter(profile=profile, kind=PullRun.Kind.MANUAL, status=PullRun.Status.SUCCESS).exists()


def test_only_admins_may_pull_or_manage_credentials(client_as, profile):
    client = client_as(Role.STRATEGY_LEAD)
    assert client.post(reverse("metrics:pull_now", args=[profile.pk])).status_code == 403
    assert client.post(reverse("metrics:credential_save"), {"platform": "x", "token": "x" * 20}).status_code == 403
    assert b"Pull now" not in client.get(reverse("metrics:connections")).content


def test_pulling_another_workspaces_profile_is_not_found(client_as, other_workspace):
    theirs = TrackedProfileFactory(workspace=other_workspace)
    assert client_as(Role.ADMIN).post(reverse("metrics:pull_now", args=[theirs.pk])).status_code == 404


def test_saved_token_is_never_rendered_back(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(reverse("metrics:credential_save"), {"platform": "x", "token": "super-secret-bearer-9876"})
    assert response.status_code == 302
    page = client.get(reverse("metrics:connections")).content.decode()
    assert "super-secret-bearer" not in page and "…9876" in page
    assert Credential.objects.get(workspace=workspace).token == "super-secret-bearer-9876"


def test_instagram_credential_without_account_id_shows_a_field_error(client_as):
    response = client_as(Role.ADMIN).post(
        reverse("metrics:credential_save"), {"platform": "instagram", "token": "long-lived-token"}
    )
    assert response.status_code == 400
    assert "professional account id" in response.content.decode()
    assert not Credential.objects.exists()


def test_removing_another_workspaces_credential_is_not_found(client_as, other_workspace):
    theirs = credential_save(workspace=other_workspace, platform="x", token="their-token-1234")
    assert client_as(Role.ADMIN).post(reverse("metrics:credential_delete", args=[theirs.pk])).status_code == 404
    assert Credential.objects.filter(pk=theirs.pk).exists()


def test_backfill_in_progress_shows_its_progress(client_as, profile):
    PullRun.objects.create(profile=profile, kind=PullRun.Kind.BACKFILL, posts_done=300, posts_expected=1200)
    content = client_as(Role.ADMIN).get(reverse("metrics:connections")).content.decode()
    assert "300 of 1,200 posts" in content
    assert 'http-equiv="refresh"' in content


def test_team_home_shows_followers_and_connection_problems(client_as, profile, workspace):
    TrackedProfileFactory(
        workspace=workspace, handle="needs_fix", needs_attention=True, last_error_message="token expired"
    )
    content = home_as_shown(client_as(Role.COMMUNITY_MANAGER))
    panel = content[content.index('data-testid="metrics-panel"') :]
    assert "Followers, last 30 days" in content and f'data-network="{profile.platform}"' in panel
    assert "Needs attention" in content and "needs_fix" in content


def test_executive_home_shows_the_followers_trend_but_not_connection_health(client_as, profile):
    content = home_as_shown(client_as(Role.EXECUTIVE))
    assert "Followers, last 30 days" in content
    assert "Connection health" not in content


def test_flop_leaves_out_posts_still_gathering_engagement(client_as, profile):
    from datetime import timedelta

    from django.utils import timezone

    from metrics.models import Post

    # The worst rates of all, but published in the last two days: too young to be called a flop.
    young = [
        Post.objects.create(
            profile=profile,
            external_id=f"young-{n}",
            published_at=timezone.now() - timedelta(hours=3 + 10 * n),
            interactions=0,
            followers_at_posting=1000,
            engagement_rate=0.0,
        )
        for n in range(3)
    ]
    settled = Post.objects.create(
        profile=profile,
        external_id="settled",
        published_at=timezone.now() - timedelta(days=3),
        interactions=0,
        followers_at_posting=1000,
        engagement_rate=0.0,
    )
    flop = client_as(Role.ANALYST).get(reverse("metrics:top")).context["flop_posts"]
    shown = [post["pk"] for post in flop]
    assert flop and not {p.pk for p in young} & set(shown)
    assert shown[0] == settled.pk  # the settled post with the same (lowest) rate is the first flop
    assert all(timezone.now() - post["published_at"] > timedelta(days=2) for post in flop)


def test_dashboard_queries_do_not_grow_with_the_number_of_profiles(client_as, workspace, django_assert_max_num_queries):
    client = client_as(Role.ANALYST)
    for n in range(2):
        pull_run(profile=TrackedProfileFactory(workspace=workspace, handle=f"few{n}"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("metrics:dashboard"))
    for n in range(6):
        pull_run(profile=TrackedProfileFactory(workspace=workspace, handle=f"many{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("metrics:dashboard"))


def test_own_accounts_also_show_the_rate_by_impressions_and_competitors_do_not(client_as, profile, workspace):
    rival = TrackedProfileFactory(workspace=workspace, handle="rival_views", is_own=False)
    pull_run(profile=rival)
    rows = client_as(Role.ANALYST).get(reverse("metrics:dashboard")).context["rows"]
    by_views = {p.handle: rate for p, _, rate in rows}
    assert 0 < by_views["acme_brand"] < 1
    assert by_views["rival_views"] is None


def test_pulling_a_profile_that_needs_attention_asks_for_a_credential_first(client_as, workspace):
    broken = TrackedProfileFactory(workspace=workspace, needs_attention=True)
    response = client_as(Role.ADMIN).post(reverse("metrics:pull_now", args=[broken.pk]), follow=True)
    assert "save a new credential" in response.content.decode()
    assert not PullRun.objects.filter(profile=broken).exists()


def test_a_backfill_abandoned_by_a_dead_worker_no_longer_shows_as_progress(client_as, profile):
    from django.utils import timezone

    run = PullRun.objects.create(profile=profile, kind=PullRun.Kind.BACKFILL, posts_done=10, posts_expected=100)
    PullRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timezone.timedelta(days=1))
    assert "backfill-progress" not in client_as(Role.ADMIN).get(reverse("metrics:connections")).content.decode()
