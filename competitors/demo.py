"""Demo Brand's three competitors with ~400 days of figures, and a filled SWOT in two versions."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from metrics.connectors.demo import DemoConnector
from metrics.engagement import engagement_rate, interactions
from metrics.models import DailySnapshot, Post, TrackedProfile
from metrics.platforms import Platform
from metrics.rollup import rollup_profile

from . import services
from .models import Competitor, Quadrant, SwotVersion

HISTORY_DAYS = 400

DEMO_COMPETITORS = [
    {
        "name": "Northwind Outfitters",
        "website": "https://northwind.example",
        "notes": "Outdoor gear, same price range. Very active on X with daily tips; big Instagram community.",
        "handles": {
            Platform.X: "northwind",
            Platform.INSTAGRAM: "northwind_outdoors",
            Platform.FACEBOOK: "northwindoutfitters",
        },
    },
    {
        "name": "Bluepeak Co.",
        "website": "https://bluepeak.example",
        "notes": "Newer brand, aggressive paid social; posts less but with strong video.",
        "handles": {Platform.INSTAGRAM: "bluepeak", Platform.FACEBOOK: "bluepeakco", Platform.LINKEDIN: "bluepeak-co"},
    },
    {
        "name": "Maison Verte",
        "website": "https://maisonverte.example",
        "notes": "Eco-positioned competitor; strong on sustainability stories, small but loyal audience.",
        "handles": {Platform.X: "maisonverte", Platform.INSTAGRAM: "maison.verte"},
    },
]

# The SWOT as it stood last quarter; the current version keeps most of it and changes a few points.
SWOT_LAST_QUARTER = [
    (Quadrant.STRENGTH, "Loyal community that answers our questions within the hour", ""),
    (
        Quadrant.STRENGTH,
        "Product photos are the best-performing posts on Instagram",
        "/competitors/?days=90&network=instagram",
    ),
    (Quadrant.WEAKNESS, "No video format: Bluepeak's reels get three times our interactions", ""),
    (Quadrant.WEAKNESS, "Posting rhythm drops every August and December", "/competitors/?days=365"),
    (
        Quadrant.OPPORTUNITY,
        "LinkedIn: no competitor speaks to buyers and partners there",
        "/competitors/?days=90&network=linkedin",
    ),
    (Quadrant.OPPORTUNITY, "Employees volunteer as ambassadors: relay their posts", ""),
    (
        Quadrant.THREAT,
        "Northwind posts twice a day on X and owns the hashtags we use",
        "/competitors/?days=90&network=x",
    ),
    (Quadrant.THREAT, "Instagram reach falls for accounts without reels", "https://about.instagram.com/blog"),
]
SWOT_CHANGES = {
    "remove": "No video format: Bluepeak's reels get three times our interactions",
    "add": [
        (Quadrant.WEAKNESS, "Only one person can publish on Facebook: the access audit flags it", "/audit/access/"),
        (
            Quadrant.OPPORTUNITY,
            "Maison Verte's sustainability posts lead their engagement: our report is due in March",
            "",
        ),
        (Quadrant.STRENGTH, "First reels (since September) already beat our photo posts", ""),
    ],
}


def backfill(profile: TrackedProfile, *, days: int = HISTORY_DAYS) -> None:
    """Daily snapshots and posts for the last `days` days from the demo connector, written in bulk."""
    connector = DemoConnector(profile.platform)
    today = timezone.localdate()
    DailySnapshot.objects.bulk_create(
        [
            DailySnapshot(profile=profile, date=day, followers=connector.followers_on(profile.handle, day))
            for day in (today - timedelta(days=n) for n in range(days))
        ],
        ignore_conflicts=True,
    )
    external_id = f"demo-{profile.platform}-{profile.handle}"
    since = timezone.now() - timedelta(days=days)
    cursor, posts = None, []
    while True:
        page = connector.fetch_posts(external_id=external_id, since=since, cursor=cursor, page_size=100)
        for data in page.posts:
            total = interactions(data.likes, data.comments, data.shares)
            followers = connector.followers_on(profile.handle, data.published_at.date())
            posts.append(
                Post(
                    profile=profile,
                    external_id=data.external_id,
                    published_at=data.published_at,
                    text=data.text,
                    permalink=data.permalink,
                    media_type=data.media_type,
                    likes=data.likes,
                    comments=data.comments,
                    shares=data.shares,
                    views=data.views,
                    interactions=total,
                    followers_at_posting=followers,
                    engagement_rate=engagement_rate(total, followers),
                    last_refreshed_at=timezone.now(),
                )
            )
        cursor = page.next_cursor
        if cursor is None:
            break
    Post.objects.bulk_create(posts, ignore_conflicts=True, batch_size=500)
    rollup_profile(profile)  # the daily roll-up every page reads (metrics/rollup.py)
    if not profile.external_id:
        TrackedProfile.objects.filter(pk=profile.pk).update(external_id=external_id)


def _seed_swot(workspace) -> None:
    # The strategy lead writes the SWOT in the demo (accounts/demo.py); none when seeding another workspace.
    author = User.objects.filter(email="strategy@demo.test", memberships__workspace=workspace).first()
    today = timezone.localdate()
    last_quarter_day = today.replace(day=1) - timedelta(days=92)
    first = services.swot_version_create(workspace=workspace, quarterly=True, today=last_quarter_day)
    for quadrant, text, evidence in SWOT_LAST_QUARTER:
        services.swot_item_add(version=first, quadrant=quadrant, text=text, evidence_url=evidence, author=author)
    current = services.swot_version_create(workspace=workspace, quarterly=True, today=today)
    current.items.filter(text=SWOT_CHANGES["remove"]).delete()
    for quadrant, text, evidence in SWOT_CHANGES["add"]:
        services.swot_item_add(version=current, quadrant=quadrant, text=text, evidence_url=evidence, author=author)


def seed(workspace) -> None:
    """Create (once) the three demo competitors with their history, the SWOT and its suggestions."""
    names = [c["name"] for c in DEMO_COMPETITORS]
    if Competitor.objects.filter(workspace=workspace, name__in=names).exists():
        return
    for spec in DEMO_COMPETITORS:
        competitor = services.competitor_create(
            workspace=workspace,
            name=spec["name"],
            website=spec["website"],
            notes=spec["notes"],
            handles={platform.value: handle for platform, handle in spec["handles"].items()},
        )
        for link in competitor.profile_links.select_related("profile"):
            # LinkedIn does not give competitors' figures: the benchmark shows why they are missing.
            if link.profile.platform != Platform.LINKEDIN:
                backfill(link.profile)
    if not SwotVersion.objects.filter(workspace=workspace).exists():
        _seed_swot(workspace)
    services.swot_suggestions_refresh(workspace=workspace)
