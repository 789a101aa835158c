"""A realistic workspace at scale for the benchmark: "Bench Brand", seeded, written with bulk inserts.

Scale 1 is the issue's brand with years of history: 10 own accounts and 3 competitors on 3 networks each,
3 years of daily snapshots, 50,000 posts, 5,000 publications, 2,000 ideas, 20 audit runs. Scale 10 holds ten
times the rows (100 own accounts); fractional scales (0.01) make small workspaces for tests.

This writes rows directly with bulk_create rather than through the apps' services: it loads a fixture of
millions of rows in seconds, the way a restore would, and the pages read it back through their selectors.
"""

import math
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, User, Workspace
from accounts.roles import Role
from metrics.engagement import engagement_rate, interactions
from metrics.models import DailySnapshot, Post, PullRun, PullRunDay, TrackedProfile
from metrics.network_days import network_days_rebuild
from metrics.platforms import Platform
from metrics.pull_run_days import pull_runs_count
from metrics.rollup import rollup_profiles

BENCH_SLUG = "bench-brand"
BENCH_NAME = "Bench Brand"
BENCH_PASSWORD = "bench"  # noqa: S105 -- a public benchmark login, like the demo's
BENCH_DOMAIN = "bench.test"
BATCH = 2000
HISTORY_DAYS = 3 * 365
NETWORKS = [Platform.INSTAGRAM, Platform.FACEBOOK, Platform.X]
COMPETITORS = ["rivalco", "othermaker", "challenger"]
TEAM = [
    (Role.ADMIN, "admin"),
    (Role.STRATEGY_LEAD, "strategy"),
    (Role.CONTENT_LEAD, "content"),
    (Role.COMMUNITY_MANAGER, "community"),
    (Role.ANALYST, "analyst"),
    (Role.COORDINATOR, "coordinator"),
    (Role.EXECUTIVE, "executive"),
]
WORDS = ["launch", "recipe", "behind the scenes", "team", "offer", "event", "tips", "story", "review", "news"]
PILLARS = ["Product", "Community", "Employer brand", "Tips", "Events"]


@dataclass
class Sizes:
    """How many rows of each kind a scale asks for."""

    own_accounts: int
    posts: int
    publications: int
    ideas: int
    stakeholders: int
    audit_runs: int
    monthly_reports: int
    contributors: int
    pull_run_days: int  # days of the 6-hour schedule's pull runs per profile: a year from scale 1 on
    media_files: int  # the media library's rows (a handful of stored files shared between them)

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        if scale <= 0:
            raise ValueError("The scale must be positive, e.g. 1, 10 or 0.01.")
        return cls(
            own_accounts=math.ceil(10 * scale),
            posts=max(30, round(50_000 * scale)),
            publications=max(10, round(5_000 * scale)),
            ideas=max(10, round(2_000 * scale)),
            stakeholders=max(5, round(500 * scale)),
            audit_runs=max(2, round(20 * scale)),
            monthly_reports=max(2, min(36 * 10, round(36 * scale))),
            contributors=max(3, round(100 * scale)),
            pull_run_days=min(365, max(7, round(365 * scale))),
            media_files=max(20, round(5_000 * scale)),
        )


@dataclass
class Generated:
    workspace: Workspace
    sizes: Sizes
    counts: dict[str, int] = field(default_factory=dict)


@contextmanager
def _keeping_our_timestamps(*models):
    """Let the generator write past creation times into auto_now(_add) fields, then restore them."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bench_workspace() -> Workspace | None:
    return Workspace.objects.filter(slug=BENCH_SLUG).first()


def estimated_scale(workspace: Workspace) -> float:
    """The scale an existing Bench Brand was generated at, read back from its number of posts."""
    posts = Post.objects.filter(profile__workspace=workspace).count()
    return round(posts / 50_000, 3)


def bench_user_email(name: str) -> str:
    return f"{name}@{BENCH_DOMAIN}"


def _remove(workspace: Workspace) -> None:
    """Delete a workspace and its history; the big tables go first, in plain DELETEs rather than the collector."""
    from calendar_app.models import Publication

    # Publication.profile is PROTECT: the publications must go before the workspace cascades to its profiles.
    Publication.objects.filter(workspace=workspace).delete()
    Post.objects.filter(profile__workspace=workspace)._raw_delete(Post.objects.db)
    PullRun.objects.filter(profile__workspace=workspace)._raw_delete(PullRun.objects.db)
    PullRunDay.objects.filter(profile__workspace=workspace)._raw_delete(PullRunDay.objects.db)
    DailySnapshot.objects.filter(profile__workspace=workspace)._raw_delete(DailySnapshot.objects.db)
    workspace.delete()


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 20), rng.choice([0, 15, 30, 45])), tzinfo=UTC)


def generate(*, scale: float, seed: int = 1, today: date | None = None, log=lambda message: None) -> Generated:
    """Replace the Bench Brand workspace with a fresh one of the given scale; the demo workspace is untouched."""
    sizes = Sizes.for_scale(scale)
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with transaction.atomic():
        old = bench_workspace()
        if old is not None:
            log("removing the previous Bench Brand")
            _remove(old)
        workspace = Workspace.objects.create(
            slug=BENCH_SLUG,
            name=BENCH_NAME,
            time_zone="Europe/Paris",
            two_factor_policy="nobody",  # force_login
        )
        out = Generated(workspace=workspace, sizes=sizes)
        users = _people(workspace, sizes, out)
        log(f"people: {out.counts['members']}")
        profiles = _profiles(workspace, sizes, out)
        followers = _snapshots(profiles, sizes, today, rng, out)
        log(f"profiles: {len(profiles)}, snapshots: {out.counts['snapshots']}")
        _posts(profiles, followers, sizes, today, rng, out)
        log(f"posts: {out.counts['posts']}")
        for step in (_audits, _calendar, _media_library, _stakeholders, _competitors, _strategy, _reports):
            step(workspace=workspace, users=users, profiles=profiles, sizes=sizes, today=today, rng=rng, out=out)
        log("done: " + ", ".join(f"{k} {v}" for k, v in out.counts.items()))
    rollup_profiles(TrackedProfile.objects.filter(workspace=workspace))  # the daily roll-ups the pages read
    network_days_rebuild(workspace_ids=[workspace.pk])
    # What autovacuum does after a restore: fresh planner statistics (without them PostgreSQL plans for the
    # empty tables it last saw) and, with VACUUM, the visibility map that lets it answer from an index
    # alone. VACUUM cannot run inside a transaction (a test's), where ANALYZE alone does.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return out


def _people(workspace, sizes, out) -> dict:
    """One member per team role (password 'bench') and contributors who send ideas."""
    password = make_password(BENCH_PASSWORD)
    wanted = [(bench_user_email(name), name.title(), role) for role, name in TEAM]
    wanted += [
        (bench_user_email(f"contributor{i}"), f"Contributor {i}", Role.CONTRIBUTOR) for i in range(sizes.contributors)
    ]
    existing = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
    User.objects.bulk_create(
        [User(email=e, full_name=n, password=password) for e, n, _ in wanted if e not in existing], batch_size=BATCH
    )
    by_email = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
    Membership.objects.bulk_create(
        [Membership(user=by_email[e], workspace=workspace, role=r) for e, _, r in wanted], batch_size=BATCH
    )
    out.counts["members"] = len(wanted)
    team = [by_email[bench_user_email(name)] for _, name in TEAM]
    contributors = [by_email[e] for e, _, r in wanted if r == Role.CONTRIBUTOR]
    return {"team": team, "contributors": contributors, "admin": team[0]}


def _profiles(workspace, sizes, out) -> list[TrackedProfile]:
    rows = []
    for i in range(sizes.own_accounts):
        handle = "benchbrand" if i == 0 else f"benchbrand{i + 1}"
        rows += [TrackedProfile(workspace=workspace, platform=p, handle=handle, is_own=True) for p in NETWORKS]
    for name in COMPETITORS:
        rows += [TrackedProfile(workspace=workspace, platform=p, handle=name, is_own=False) for p in NETWORKS]
    for n, row in enumerate(rows):
        row.display_name = f"{row.handle.title()} ({row.get_platform_display()})"
        row.external_id = f"bench-{n}"
    TrackedProfile.objects.bulk_create(rows, batch_size=BATCH)
    out.counts["profiles"] = len(rows)
    return list(TrackedProfile.objects.filter(workspace=workspace).order_by("pk"))


def _snapshots(profiles, sizes, today, rng, out) -> dict[int, list[int]]:
    """Three years of daily figures per profile: a slow random walk upwards. Returns followers per day index."""
    start = today - timedelta(days=HISTORY_DAYS - 1)
    followers, total, batch = {}, 0, []
    now = timezone.now()
    for profile in profiles:
        value = rng.randint(2_000, 80_000)
        series = []
        for d in range(HISTORY_DAYS):
            value = max(100, value + rng.randint(-15, 40))
            series.append(value)
            batch.append(
                DailySnapshot(
                    profile=profile,
                    date=start + timedelta(days=d),
                    followers=value,
                    following=300 + d // 30,
                    posts_count=None,
                    updated_at=now,
                )
            )
            if len(batch) >= BATCH:
                DailySnapshot.objects.bulk_create(batch)
                total, batch = total + len(batch), []
        followers[profile.pk] = series
    DailySnapshot.objects.bulk_create(batch)
    out.counts["snapshots"] = total + len(batch)
    out.counts["pull_runs"] = _pull_runs(profiles, sizes.pull_run_days, now, rng)
    return followers


def _pull_runs(profiles, days, now, rng) -> int:
    """A year of the 6-hour schedule for every profile (4 runs a day), about 2% of them failed, each counted in
    its day (PullRunDay) as a pull that ends is.

    Only finished outcomes: a run left open (rate limited, interrupted) is continued by the next pull.
    """
    failures = [
        (PullRun.Status.FAILED, "transient", "The platform answered 503 three times."),
        (PullRun.Status.FAILED, "unexpected_reply", "The platform's reply had no follower count."),
        (PullRun.Status.NOT_FOUND, "not_found", "The platform did not find the handle for a while."),
    ]
    total, batch = 0, []
    with _keeping_our_timestamps(PullRun):
        for profile in profiles:
            for h in range(0, days * 24, 6):
                started = now - timedelta(hours=h)
                failed = h > 0 and rng.random() < 0.02  # the latest run succeeded: the page shows a healthy brand
                status, kind, message = rng.choice(failures) if failed else (PullRun.Status.SUCCESS, "", "")
                batch.append(
                    PullRun(
                        profile=profile,
                        kind=PullRun.Kind.SCHEDULED,
                        status=status,
                        started_at=started,
                        finished_at=started + timedelta(seconds=3),
                        error_kind=kind,
                        error_message=message,
                        rows_written=0 if failed else 2,
                    )
                )
                if len(batch) >= BATCH:
                    PullRun.objects.bulk_create(batch)
                    total, batch = total + len(batch), []
        PullRun.objects.bulk_create(batch)
    pull_runs_count(PullRun.objects.filter(profile__in=profiles))
    return total + len(batch)


def _posts(profiles, followers, sizes, today, rng, out) -> None:
    start = today - timedelta(days=HISTORY_DAYS - 1)
    weights = [3 if p.is_own else 2 for p in profiles]
    batch, total = [], 0
    now = timezone.now()
    with _keeping_our_timestamps(Post):
        for n in range(sizes.posts):
            if n < 2 * len(profiles):
                # Every profile posted lately, at any scale, so each page has its "this month" rows to show.
                profile, day = profiles[n % len(profiles)], HISTORY_DAYS - 1 - rng.randrange(30)
            else:
                profile, day = rng.choices(profiles, weights)[0], rng.randrange(HISTORY_DAYS)
            follower_count = followers[profile.pk][day]
            likes = int(follower_count * rng.uniform(0.002, 0.05))
            comments, shares = likes // rng.randint(8, 30), likes // rng.randint(10, 40)
            total_interactions = interactions(likes, comments, shares)
            published = _at(start + timedelta(days=day), rng)
            batch.append(
                Post(
                    profile=profile,
                    external_id=f"p{n}",
                    published_at=published,
                    text=f"{rng.choice(WORDS).capitalize()}: {rng.choice(WORDS)} and {rng.choice(WORDS)} #{n}",
                    permalink=f"https://example.com/{profile.platform}/{profile.handle}/{n}",
                    media_type=rng.choice(["image", "video", "carousel", "text"]),
                    likes=likes,
                    comments=comments,
                    shares=shares,
                    views=total_interactions * rng.randint(10, 40) if profile.is_own else None,
                    interactions=total_interactions,
                    followers_at_posting=follower_count,
                    engagement_rate=engagement_rate(total_interactions, follower_count),
                    last_refreshed_at=now,
                    created_at=published,
                )
            )
            if len(batch) >= BATCH:
                Post.objects.bulk_create(batch)
                total, batch = total + len(batch), []
        Post.objects.bulk_create(batch)
    out.counts["posts"] = total + len(batch)


def _audits(*, workspace, users, profiles, sizes, today, rng, out, **_) -> None:
    from audits.models import AccessGrant, AuditRun, AuditSettings, Finding, Severity, SocialAccount

    AuditSettings.objects.get_or_create(workspace=workspace)
    team = users["team"]
    accounts = SocialAccount.objects.bulk_create(
        [
            SocialAccount(
                workspace=workspace,
                platform=p.platform,
                handle=p.handle,
                url=f"https://example.com/{p.platform}/{p.handle}",
                purpose=rng.choice(["Product news", "Customer service", "Employer brand"]),
                audience=rng.choice(["Customers in France", "Press", "Job seekers"]),
                owner=rng.choice([*team, None]),
                status=SocialAccount.Status.ACTIVE,
                created_on=today - timedelta(days=rng.randint(400, 3000)),
                tracked_profile=p,
            )
            for p in profiles
            if p.is_own
        ],
        batch_size=BATCH,
    )
    accounts = list(SocialAccount.objects.filter(workspace=workspace).order_by("pk"))
    grants = []
    for account in accounts:
        for k, member in enumerate(rng.sample(team, 3)):
            grants.append(
                AccessGrant(
                    workspace=workspace,
                    account=account,
                    member=member,
                    level=[AccessGrant.Level.OWNER, AccessGrant.Level.ADMIN, AccessGrant.Level.EDITOR][k],
                    tool=rng.choice(AccessGrant.Tool.values),
                    two_factor=rng.random() < 0.7,
                    granted_on=today - timedelta(days=rng.randint(30, 1500)),
                    last_reviewed_on=today - timedelta(days=rng.randint(1, 200)),
                )
            )
        grants.append(
            AccessGrant(
                workspace=workspace,
                account=account,
                person_name=f"Agency person {account.pk}",
                person_email=f"agency{account.pk}@agency.example",
                department="Agency",
                level=AccessGrant.Level.ADVERTISER,
                still_with_company=rng.random() < 0.8,
                granted_on=today - timedelta(days=rng.randint(30, 1500)),
            )
        )
    AccessGrant.objects.bulk_create(grants, batch_size=BATCH)
    out.counts["access_grants"] = len(grants)
    holders = {
        g.pk: f"{g.holder_name} to {g.account}"
        for g in AccessGrant.objects.filter(workspace=workspace).select_related("member", "account")
    }
    grant_ids = sorted(holders)
    runs = AuditRun.objects.bulk_create(
        [
            AuditRun(
                workspace=workspace,
                ran_at=timezone.now() - timedelta(days=30 * (sizes.audit_runs - 1 - i)),
                ran_by=team[0],
                score=40 + i * 50 // sizes.audit_runs,
                findings_count=0,
            )
            for i in range(sizes.audit_runs)
        ]
    )
    runs = list(AuditRun.objects.filter(workspace=workspace).order_by("ran_at"))
    findings = []
    severities = list(Severity.values)
    for i, run in enumerate(runs):
        # Older runs found more; a key reappears across runs so the comparison has something to match.
        keys = rng.sample(grant_ids, min(len(grant_ids), max(3, 40 - i)))
        for pk in keys:
            findings.append(
                Finding(
                    run=run,
                    workspace=workspace,
                    rule="access_not_reviewed",
                    key=f"access_not_reviewed:{pk}",
                    severity=rng.choice(severities),
                    title=f"Access of {holders[pk]} not reviewed for {rng.randint(95, 400)} days",
                    detail="Confirm they still need it and press “Reviewed” in the access register.",
                )
            )
        run.findings_count = len(keys)
    Finding.objects.bulk_create(findings, batch_size=BATCH)
    AuditRun.objects.bulk_update(runs, ["findings_count"])
    out.counts["audit_runs"], out.counts["findings"] = len(runs), len(findings)


def _calendar(*, workspace, users, profiles, sizes, today, rng, out, **_) -> None:
    from calendar_app.models import ContentItem, FrequencyTarget, Idea, Publication, PublicationEvent

    own = [p for p in profiles if p.is_own]
    team = users["team"]
    first = today - timedelta(days=HISTORY_DAYS - 1)
    span = HISTORY_DAYS + 90  # three years back and three months ahead
    n_items = max(5, sizes.publications // 2)
    now = timezone.now()
    with _keeping_our_timestamps(ContentItem, Idea, Publication, PublicationEvent):
        items = [
            ContentItem(
                workspace=workspace,
                title=f"{rng.choice(PILLARS)}: {rng.choice(WORDS)} #{i}",
                brief="What we want to say, to whom, and the call to action.",
                pillar=rng.choice(PILLARS),
                format=rng.choice(ContentItem.Format.values),
                owner=rng.choice(team),
                # The first dozen fall around today, so the month views have rows to show at any scale.
                due_date=(due := _due_date(i, first, today, span, rng)),
                stage=ContentItem.Stage.READY if due < today else rng.choice(ContentItem.Stage.values),
                created_at=_at(due - timedelta(days=14), rng),
                updated_at=now,
            )
            for i in range(n_items)
        ]
        ContentItem.objects.bulk_create(items, batch_size=BATCH)
        items = list(ContentItem.objects.filter(workspace=workspace).order_by("pk"))
        publications = []
        for i in range(sizes.publications):
            item = items[i % len(items)]
            when = _at(item.due_date, rng)
            past = item.due_date < today
            status = (
                (Publication.Status.PUBLISHED if rng.random() < 0.97 else Publication.Status.FAILED)
                if past
                else rng.choice(
                    [
                        Publication.Status.SCHEDULED,
                        Publication.Status.APPROVED,
                        Publication.Status.IN_REVIEW,
                        Publication.Status.DRAFT,
                    ]
                )
            )
            publications.append(
                Publication(
                    workspace=workspace,
                    content_item=item,
                    profile=rng.choice(own),
                    copy=f"{item.title}. {rng.choice(WORDS).capitalize()} soon!",
                    scheduled_at=when,
                    status=status,
                    owner=item.owner,
                    failure_reason="The platform refused the media." if status == Publication.Status.FAILED else "",
                    external_id=f"pub{i}" if status == Publication.Status.PUBLISHED else "",
                    permalink=f"https://example.com/pub/{i}" if status == Publication.Status.PUBLISHED else "",
                    published_at=when if status == Publication.Status.PUBLISHED else None,
                    created_at=when - timedelta(days=10),
                    updated_at=when,
                )
            )
        Publication.objects.bulk_create(publications, batch_size=BATCH)
        pubs = Publication.objects.filter(workspace=workspace).values_list("pk", "owner_id", "status", "created_at")
        PublicationEvent.objects.bulk_create(
            [
                PublicationEvent(publication_id=pk, actor_id=owner, action="created", to_status=status, created_at=at)
                for pk, owner, status, at in pubs
            ],
            batch_size=BATCH,
        )
        accepted_items = iter(items)
        ideas = []
        for i in range(sizes.ideas):
            status = rng.choices(Idea.Status.values, [3, 3, 2, 2])[0]
            created = _at(first + timedelta(days=rng.randrange(HISTORY_DAYS)), rng)
            ideas.append(
                Idea(
                    workspace=workspace,
                    author=rng.choice(users["contributors"]),
                    title=f"Idea: {rng.choice(WORDS)} with {rng.choice(WORDS)} #{i}",
                    description="Seen at the trade fair; customers loved it.",
                    networks=rng.sample([p.value for p in NETWORKS], 2),
                    status=status,
                    decline_reason="Off our voice." if status == Idea.Status.DECLINED else "",
                    triaged_by=team[1] if status != Idea.Status.NEW else None,
                    triaged_at=created + timedelta(days=3) if status != Idea.Status.NEW else None,
                    content_item=next(accepted_items, None) if status == Idea.Status.ACCEPTED else None,
                    created_at=created,
                )
            )
        Idea.objects.bulk_create(ideas, batch_size=BATCH)
    FrequencyTarget.objects.bulk_create(
        [
            FrequencyTarget(workspace=workspace, platform=p, posts_per_week=w)
            for p, w in zip(NETWORKS, (4, 3, 7), strict=True)
        ]
    )
    out.counts.update(content_items=len(items), publications=len(publications), ideas=len(ideas))


def _due_date(i: int, first: date, today: date, span: int, rng: random.Random) -> date:
    if i < 12:
        return today + timedelta(days=rng.randint(-10, 40))
    return first + timedelta(days=rng.randrange(span))


MEDIA_STORED = 8  # real files in the store; every row points at one of them (the page reads rows, not bytes)


def _bench_media_files() -> list[tuple[str, str]]:
    """(file, thumbnail) names of a few small images kept in the default storage for every Bench Brand."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    names = []
    for n in range(MEDIA_STORED):
        pair = []
        for kind, size in (("file", (1080, 1080)), ("thumb", (320, 320))):
            name = f"media-library/bench/{kind}-{n}.jpg"
            if not default_storage.exists(name):
                out = io.BytesIO()
                Image.new("RGB", size, (30 * n % 255, 90, 160)).save(out, "JPEG", quality=70)
                default_storage.save(name, ContentFile(out.getvalue()))
            pair.append(name)
        names.append(tuple(pair))
    return names


def _media_library(*, workspace, users, sizes, today, rng, out, **_) -> None:
    from calendar_app.models import Publication
    from media_library.models import MediaFile, MediaFolder, MediaTag, PublicationMedia

    stored = _bench_media_files()
    folders = MediaFolder.objects.bulk_create(
        [MediaFolder(workspace=workspace, name=f"{pillar} {year}") for pillar in PILLARS for year in (2024, 2025, 2026)]
    )
    names = {w.lower(): w for w in WORDS + PILLARS}  # "tips" and "Tips": one tag (names are unique in any case)
    tags = MediaTag.objects.bulk_create([MediaTag(workspace=workspace, name=w) for w in names.values()])
    team = users["team"]
    now = timezone.now()
    chosen = [rng.sample(tags, rng.randint(0, 3)) for _ in range(sizes.media_files)]  # each file's tags
    rows = []
    for i in range(sizes.media_files):
        image = i % 10 != 0  # one in ten a video, without a thumbnail
        media = MediaFile(
            workspace=workspace,
            folder=rng.choice(folders) if rng.random() < 0.8 else None,
            file=stored[i % MEDIA_STORED][0],
            thumbnail=stored[i % MEDIA_STORED][1] if image else "",
            original_name=f"{rng.choice(WORDS).replace(' ', '-')}-{i}.{'jpg' if image else 'mp4'}",
            kind=MediaFile.Kind.IMAGE if image else MediaFile.Kind.VIDEO,
            content_type="image/jpeg" if image else "video/mp4",
            size_bytes=rng.randint(80_000, 4_000_000),
            width=1080 if image else None,
            height=1080 if image else None,
            alt_text=f"A picture about {rng.choice(WORDS)}" if rng.random() < 0.7 else "",
            uploaded_by=rng.choice(team),
            created_at=now - timedelta(days=HISTORY_DAYS * (sizes.media_files - i) / sizes.media_files),
        )
        media.search_text = media.search_text_for(chosen[i])
        rows.append(media)
    with _keeping_our_timestamps(MediaFile):
        files = MediaFile.objects.bulk_create(rows, batch_size=BATCH)
    Through = MediaFile.tags.through
    Through.objects.bulk_create(
        [Through(mediafile_id=f.pk, mediatag_id=t.pk) for f, its in zip(files, chosen, strict=True) for t in its],
        batch_size=BATCH,
    )
    posts = list(Publication.objects.filter(workspace=workspace).order_by("?").values_list("pk", flat=True)[:500])
    PublicationMedia.objects.bulk_create(
        [PublicationMedia(publication_id=pk, media_file_id=rng.choice(files).pk) for pk in posts], batch_size=BATCH
    )
    out.counts["media files"] = len(files)


def _stakeholders(*, workspace, users, sizes, today, rng, out, **_) -> None:
    from stakeholders.models import Contact, Department, FollowUp, Meeting, Tag

    departments = Department.objects.bulk_create(
        [
            Department(workspace=workspace, name=name)
            for name in ("Sales", "HR", "Legal", "Product", "Customer service", "Finance", "Executive committee", "R&D")
        ]
    )
    tags = Tag.objects.bulk_create(
        [Tag(workspace=workspace, name=name) for name in ("press", "expert", "events", "ambassador", "VIP")]
    )
    departments = list(Department.objects.filter(workspace=workspace))
    tags = list(Tag.objects.filter(workspace=workspace))
    Contact.objects.bulk_create(
        [
            Contact(
                workspace=workspace,
                department=rng.choice(departments),
                full_name=f"Contact {i:04d}",
                job_title=rng.choice(["Director", "Manager", "Engineer", "Lawyer", "Sales rep"]),
                email=f"contact{i}@company.example",
                expectations="Visibility for the team's work.",
                brings_content=rng.random() < 0.4,
                brings_expertise=rng.random() < 0.4,
                brings_events=rng.random() < 0.2,
                influence=rng.randint(1, 3),
                interest=rng.randint(1, 3),
                is_met=rng.random() < 0.6,
            )
            for i in range(sizes.stakeholders)
        ],
        batch_size=BATCH,
    )
    contacts = list(Contact.objects.filter(workspace=workspace).order_by("pk"))
    through = Contact.tags.through
    through.objects.bulk_create(
        [through(contact_id=c.pk, tag_id=t.pk) for c in contacts for t in rng.sample(tags, rng.randint(0, 2))],
        batch_size=BATCH,
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                workspace=workspace,
                contact=c,
                date=today - timedelta(days=rng.randrange(HISTORY_DAYS)),
                notes="Talked about the coming launch.",
                created_by=users["admin"],
            )
            for c in contacts
            for _ in range(rng.randint(0, 3))
        ],
        batch_size=BATCH,
    )
    meetings = list(Meeting.objects.filter(workspace=workspace).order_by("pk"))
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                workspace=workspace,
                meeting=m,
                description="Send the photos of the event.",
                owner=rng.choice(users["team"]),
                due_on=m.date + timedelta(days=14),
                done_at=None if m.date > today - timedelta(days=30) else timezone.now(),
            )
            for m in meetings[::3]
        ],
        batch_size=BATCH,
    )
    out.counts.update(contacts=len(contacts), meetings=len(meetings))


def _reports(*, workspace, users, sizes, today, out, **_) -> None:
    """Each month's report is built by the reports app itself, from the data above; more than 36 become versions."""
    from reports.models import MonthlyReport
    from reports.services import report_generate

    months = []
    month = today.replace(day=1)
    for _ in range(min(sizes.monthly_reports, HISTORY_DAYS // 30)):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    reports = [report_generate(workspace=workspace, month=m, by=users["admin"]) for m in months]
    copies = [
        MonthlyReport(workspace=workspace, month=r.month, version=v, data=r.data, generated_by=r.generated_by)
        for v in range(2, 2 + (sizes.monthly_reports - len(reports)) // max(1, len(reports)))
        for r in reports
    ]
    MonthlyReport.objects.bulk_create(copies, batch_size=BATCH)
    out.counts["monthly_reports"] = len(reports) + len(copies)


def _competitors(*, workspace, users, profiles, out, **_) -> None:
    from competitors.models import Competitor, CompetitorProfile

    Competitor.objects.bulk_create(
        [
            Competitor(
                workspace=workspace,
                name=name.title(),
                website=f"https://{name}.example",
                slot=n,
                created_by=users["admin"],
            )
            for n, name in enumerate(COMPETITORS, 1)
        ]
    )
    rivals = {c.name.lower(): c for c in Competitor.objects.filter(workspace=workspace)}
    CompetitorProfile.objects.bulk_create(
        [CompetitorProfile(competitor=rivals[p.handle], profile=p) for p in profiles if not p.is_own]
    )
    out.counts["competitors"] = len(rivals)


def _strategy(*, workspace, today, **_) -> None:
    from decimal import Decimal

    from strategy.models import NetworkPlan, Objective, Strategy

    Strategy.objects.create(
        workspace=workspace,
        business_goals="Grow awareness in France; bring qualified visitors to the shop.",
        words_to_avoid="cheap\nguaranteed\nfree",
    )
    NetworkPlan.objects.bulk_create(
        [
            NetworkPlan(workspace=workspace, platform=p, role=role, target_posts_per_week=w)
            for p, role, w in zip(NETWORKS, ("Inspiration", "Community", "News"), (4, 3, 7), strict=True)
        ]
    )
    Objective.objects.bulk_create(
        [
            Objective(
                workspace=workspace,
                title=f"Grow {p.label} followers by 20%",
                kpi=Objective.Kpi.FOLLOWERS,
                platform=p,
                baseline=Decimal(10_000),
                target=Decimal(12_000),
                deadline=today.replace(month=12, day=31),
                position=n,
            )
            for n, p in enumerate(NETWORKS)
        ]
        + [
            Objective(
                workspace=workspace,
                title="Engagement rate above 3%",
                kpi=Objective.Kpi.ENGAGEMENT_RATE,
                baseline=Decimal("1.5"),
                target=Decimal(3),
                deadline=today.replace(month=12, day=31),
                position=9,
            )
        ]
    )
