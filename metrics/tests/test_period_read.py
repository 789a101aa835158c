"""The metrics page's one read of a period (metrics.figures.period_read) gives the same figures as every other
page's (profile_figures), the same followers series and the weeks the database adds up, in four queries whatever
the number of profiles."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metrics import figures
from metrics.models import ProfileDay, TrackedProfile
from metrics.services import pull_run

from .factories import TrackedProfileFactory

pytestmark = pytest.mark.django_db


def _pulled(workspace, n: int, *, prefix: str = "p") -> list[TrackedProfile]:
    profiles = [TrackedProfileFactory(workspace=workspace, is_own=i % 2 == 0, handle=f"{prefix}{i}") for i in range(n)]
    for profile in profiles:
        pull_run(profile=profile)
    return profiles


def _weekly_in_the_database(profiles, *, start, end) -> dict:
    """Posts and engagement rate per profile and week (its Monday), added up by the database."""
    weeks = {p.pk: {} for p in profiles}
    rows = (
        ProfileDay.objects.filter(profile__in=profiles, date__gte=start, date__lte=end)
        .annotate(week=TruncWeek("date"))
        .order_by()
        .values("profile_id", "week")
        .annotate(posts=Sum("posts"), rated=Sum("rated_posts"), rate_sum=Sum("rate_sum"))
        .filter(posts__gt=0)
    )
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        weeks[row["profile_id"]][week] = (row["posts"], row["rate_sum"] / row["rated"] if row["rated"] else None)
    return weeks


def test_period_read_agrees_with_the_separate_reads(workspace):
    profiles = _pulled(workspace, 3)
    end = timezone.localdate()
    start = end - timedelta(days=29)
    # A day without impressions and one with no count of followers: the sums and the series skip what is unknown.
    day = ProfileDay.objects.filter(profile=profiles[0], date__gt=start).order_by("date").first()
    ProfileDay.objects.filter(pk=day.pk).update(impressions=None, followers=None)
    assert ProfileDay.objects.filter(profile__in=profiles, date__gte=start, posts__gt=0).exists()

    read = figures.period_read(TrackedProfile.objects.filter(pk__in=[p.pk for p in profiles]), start=start, end=end)

    assert read.figures == figures.profile_figures(profiles=profiles, start=start, end=end)
    series = figures.followers_series(profiles=profiles, start=start, end=end, by=("profile_id",))
    assert read.followers == {p.pk: series.get((p.pk,), {}) for p in profiles}
    assert day.date not in read.followers[profiles[0].pk]
    weekly = _weekly_in_the_database(profiles, start=start, end=end)
    assert read.weekly.keys() == weekly.keys()
    for pk, weeks in weekly.items():
        assert read.weekly[pk].keys() == weeks.keys()
        for monday, (posts, rate) in weeks.items():
            assert read.weekly[pk][monday][0] == posts
            assert read.weekly[pk][monday][1] == pytest.approx(rate)


def test_period_read_takes_four_queries_whatever_the_number_of_profiles(workspace):
    end = timezone.localdate()
    counts = []
    for how_many in (1, 5):
        profiles = _pulled(workspace, how_many, prefix=f"n{how_many}_")
        with CaptureQueriesContext(connection) as queries:
            figures.period_read(
                TrackedProfile.objects.filter(pk__in=[p.pk for p in profiles]), start=end - timedelta(days=29), end=end
            )
        counts.append(len(queries))
    assert counts == [4, 4]
