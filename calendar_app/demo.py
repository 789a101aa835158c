"""Demo data for the calendars: ideas in every state, content over this month and next, publications per network."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Membership, User
from metrics.models import TrackedProfile
from metrics.platforms import Platform

from . import services
from .models import (
    ApprovalStep,
    ContentItem,
    CrisisPause,
    FollowUp,
    FrequencyTarget,
    Idea,
    PostingSlot,
    Publication,
    PublicationEvent,
    PublicationTag,
)
from .steps import approval_steps_set
from .threads import thread_parts

MARKER = "Behind the scenes of our spring collection"
NETWORKS = [Platform.X, Platform.FACEBOOK, Platform.INSTAGRAM, Platform.LINKEDIN]
# The thread some X posts go on with (calendar_app/threads.py: parts separated by a line "---").
DEMO_THREAD = (
    "How it is made: every piece of “{title}” starts in our workshop, by hand. 🧵\n---\n"
    "Each one takes about a day. Ask us anything below, and tell us which one you would pick."
)
IDEAS = [
    (MARKER, "contributor@demo.test", "new", ["instagram"]),
    ("Employee of the month series", "contributor@demo.test", "accepted", ["linkedin", "facebook"]),
    ("A meme about Monday mornings", "contributor@demo.test", "declined", ["x"]),
    ("Customer unboxing reels", "community@demo.test", "parked", ["instagram", "tiktok"]),
    ("Live Q&A with the founders", "analyst@demo.test", "new", ["linkedin", "youtube"]),
    ("Recycling tips week", "coordinator@demo.test", "accepted", ["facebook", "instagram"]),
    ("Office dog takeover", "contributor@demo.test", "new", ["instagram", "x"]),
]
CONTENT = [
    ("Spring launch teaser", "Launch", "video"),
    ("How our products are made", "Behind the scenes", "carousel"),
    ("Customer story: Léa's shop", "Community", "article"),
    ("Five care tips", "Education", "post"),
    ("Team portrait: logistics", "Culture", "post"),
    ("Sustainability report highlights", "Impact", "carousel"),
    ("Weekend giveaway", "Community", "story"),
    ("Trade show recap", "Events", "video"),
    ("New store opening", "Launch", "post"),
    ("Ask us anything live", "Community", "live"),
]
STATUSES = ["published", "published", "failed", "scheduled", "scheduled", "approved", "in_review", "in_review", "draft"]


# Weekday (0 = Monday) and time of each account's posting slots.
DEMO_SLOTS = {
    Platform.INSTAGRAM: [(1, "12:30"), (3, "18:00"), (5, "10:00")],
    Platform.X: [(0, "09:00"), (1, "09:00"), (2, "09:00"), (3, "09:00"), (4, "09:00")],
    Platform.LINKEDIN: [(1, "08:30"), (3, "08:30")],
    Platform.FACEBOOK: [(2, "19:00"), (6, "11:00")],
}


def _user(email):
    return User.objects.filter(email=email).first()


def _own_profiles(workspace) -> dict:
    profiles = {}
    for platform in NETWORKS:
        profile = TrackedProfile.objects.filter(workspace=workspace, platform=platform, is_own=True).first()
        if profile is None:
            profile, _ = TrackedProfile.objects.get_or_create(
                workspace=workspace, platform=platform, handle="demobrand", defaults={"display_name": "Demo Brand"}
            )
        profiles[platform] = profile
    return profiles


def seed(workspace) -> None:
    if not Idea.objects.filter(workspace=workspace, title=MARKER).exists():  # seeded already: a second run adds nothing
        _seed_calendars(workspace)
    # In its own step, so a workspace seeded before approval steps existed gets them too (once).
    _approval_steps(workspace)
    _tags(workspace)  # likewise for tags


# The demo's tags on posts, by their content item's title (the publishing calendar's tag filter shows them).
DEMO_TAGS = {
    "launch": [
        "Spring launch teaser",
        "New store opening",
        "Spring launch teaser (part 2)",
        "New store opening (part 2)",
    ],
    "event": ["Trade show recap", "Ask us anything live", "Trade show recap (part 2)", "Ask us anything live (part 2)"],
    "hiring": ["Team portrait: logistics", "Team portrait: logistics (part 2)"],
    "giveaway": ["Weekend giveaway"],
}


def _tags(workspace) -> None:
    if PublicationTag.objects.filter(workspace=workspace).exists():
        return
    through = Publication.tags.through
    for name, titles in DEMO_TAGS.items():
        tag = PublicationTag.objects.create(workspace=workspace, name=name)
        posts = Publication.objects.filter(workspace=workspace, content_item__title__in=titles).values_list(
            "pk", flat=True
        )
        through.objects.bulk_create(through(publication_id=pk, publicationtag_id=tag.pk) for pk in posts)


# The demo's approval steps (calendar_app/steps.py): three for every network, and LinkedIn's own single step.
DEMO_STEPS = {
    "": [
        ("Content check", ["content_lead"]),
        ("Strategy lead", ["strategy_lead"]),
        ("Final approval", ["admin", "strategy_lead"]),
    ],
    Platform.LINKEDIN: [("Strategy lead", ["strategy_lead", "admin"])],
}
STEP_TWO_COPY = "Five care tips for your spring pieces, from our workshop to your wardrobe. #DemoBrand"


def _approval_steps(workspace) -> None:
    """The demo's steps, and one post waiting at step 2: written by the community manager, step 1 approved by the
    content lead, waiting for the strategy lead."""
    if ApprovalStep.objects.filter(workspace=workspace).exists():
        return  # seeded already (or the workspace's admins set their own)
    for network, rows in DEMO_STEPS.items():
        approval_steps_set(workspace=workspace, network=network, steps=rows)
    community, content_lead = _user("community@demo.test"), _user("content@demo.test")
    item = ContentItem.objects.filter(workspace=workspace, title="Five care tips").first()
    profile = TrackedProfile.objects.filter(workspace=workspace, platform=Platform.INSTAGRAM, is_own=True).first()
    lead = Membership.objects.filter(workspace=workspace, user=content_lead).first()
    if not (item and profile and community and lead):
        return
    zone = ZoneInfo(workspace.time_zone)
    when = datetime.combine(timezone.localdate(timezone=zone) + timedelta(days=4), time(12, 30), tzinfo=zone)
    draft = Publication(workspace=workspace, content_item=item, profile=profile, copy=STEP_TWO_COPY, scheduled_at=when)
    publication = services.publication_save(publication=draft, by=community)
    # Instagram takes no post without media (calendar_app/media_rules.py): a photo from the library goes with it.
    from media_library import services as media_services
    from media_library.demo import picture

    photo = media_services.media_upload(
        workspace=workspace, upload=picture("care-tips.jpg", "#d4efdf"), by=community,
        alt_text="A hand brushing a linen jacket on a workbench",
    )  # fmt: skip
    media_services.publication_media_set(publication=publication, media_files=[photo], by=community, new=True)
    services.publication_submit(publication=publication, by=community)
    services.publication_approve(publication=publication, membership=lead, comment="Clear and warm: over to Sam.")


def _seed_calendars(workspace) -> None:
    zone = ZoneInfo(workspace.time_zone)
    today = timezone.localdate(timezone=zone)
    content_lead, strategy = _user("content@demo.test"), _user("strategy@demo.test")
    community = _user("community@demo.test")

    for platform, target in ((Platform.X, 5), (Platform.FACEBOOK, 3), (Platform.INSTAGRAM, 4), (Platform.LINKEDIN, 2)):
        FrequencyTarget.objects.get_or_create(
            workspace=workspace, platform=platform, defaults={"posts_per_week": target}
        )
    services.approval_settings_update(
        workspace=workspace, approver_roles=["admin", "strategy_lead", "content_lead"], final_approval_required=False
    )

    for n, (title, email, status, networks) in enumerate(IDEAS):
        idea = services.idea_submit(
            workspace=workspace,
            author=_user(email),
            title=title,
            description=f"{title}: a short series for our followers, with photos from the team.",
            networks=networks,
        )
        Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=n * 2 + 1))
        if status == "accepted":
            services.idea_accept(idea=idea, by=content_lead, due_date=today + timedelta(days=5 + n))
        elif status == "parked":
            services.idea_park(idea=idea, by=content_lead)
        elif status == "declined":
            services.idea_decline(idea=idea, by=content_lead, reason="Off-brand humour for us; thanks for the thought!")
        if n % 2 == 0:
            services.idea_comment(idea=idea, author=community, body="Love it, our community asks for this.")
            services.idea_vote_toggle(idea=idea, voter=community)

    profiles = _own_profiles(workspace)
    # Each account's queue: the times it posts on (the queue page, "Add to the account's queue").
    for platform, slots in DEMO_SLOTS.items():
        for weekday, at in slots:
            PostingSlot.objects.get_or_create(
                workspace=workspace, profile=profiles[platform], weekday=weekday, time=time.fromisoformat(at)
            )
    month_start = today.replace(day=1)
    stages = list(ContentItem.Stage.values)
    items = []
    for n, (title, pillar, fmt) in enumerate(CONTENT * 2):
        due = month_start + timedelta(days=3 * n + 1)
        item = ContentItem(
            workspace=workspace,
            title=title if n < len(CONTENT) else f"{title} (part 2)",
            brief=f"Brief: {title.lower()}, warm and concrete, one clear call to action.",
            pillar=pillar,
            format=fmt,
            audience_segment=["Young urban buyers", "Loyal customers", "B2B partners"][n % 3],
            owner=[content_lead, community, strategy][n % 3],
            due_date=due,
            stage=stages[3] if due < today else stages[n % 4],
            seo_keywords="spring, handmade, sustainable",
        )
        items.append(services.content_item_save(item=item))

    now = timezone.now()
    for n, item in enumerate(items):
        for k, platform in enumerate(NETWORKS[: 1 + n % 3]):
            status = STATUSES[(n + k) % len(STATUSES)]
            when = datetime.combine(item.due_date, time(9 + 2 * k, 30), tzinfo=zone)
            if status in ("published", "failed"):
                when = min(when, now - timedelta(days=1 + k))
            elif status == "scheduled" and when <= now:
                when = now + timedelta(days=2 + n % 5, hours=k)
            copy = f"{item.title}: {item.brief.split(': ', 1)[-1]} #DemoBrand"
            if platform == Platform.X:
                copy = copy[:270]
            # Instagram captions cannot hold a clickable link: every other one carries it in its first comment.
            first_comment = "Shop the collection: https://demo.invalid/spring" if platform == Platform.INSTAGRAM else ""
            first_comment = first_comment if n % 2 == 0 else ""
            # Every third X post goes on as a thread of two more posts.
            thread = DEMO_THREAD.format(title=item.title) if platform == Platform.X and n % 3 == 0 else ""
            media = [f"https://demo.invalid/media/{item.pk}.jpg"] if platform == Platform.INSTAGRAM else []
            pub = Publication.objects.create(
                workspace=workspace,
                content_item=item,
                profile=profiles[platform],
                copy=copy,
                first_comment=first_comment,
                thread=thread,
                media_urls=media,
                scheduled_at=when,
                status=status,
                owner=item.owner,
                failure_reason="rate_limited: the platform asked us to slow down" if status == "failed" else "",
                permalink=f"https://demo.invalid/{platform}/posts/{item.pk}-{k}" if status == "published" else "",
                published_at=when if status == "published" else None,
            )
            PublicationEvent.objects.create(publication=pub, actor=item.owner, action="created", to_status="draft")
            if status == "published":
                follow_ups = dict(enumerate(thread_parts(thread), start=1)) | {0: first_comment}
                posted = {"status": FollowUp.Status.POSTED, "attempts": 1}
                FollowUp.objects.bulk_create(
                    FollowUp(
                        publication=pub,
                        position=position,
                        text=text,
                        external_id=f"demo-reply-{pub.pk}-{position}",
                        posted_at=when + timedelta(seconds=40 + position),
                        **posted,
                    )
                    for position, text in follow_ups.items()
                    if text
                )
            if status != "draft":
                PublicationEvent.objects.create(
                    publication=pub, actor=item.owner, action="submitted", from_status="draft", to_status="in_review"
                )

    # A conversation on a post in review: a question, its answer (the publication's page, "Comments").
    in_review = (
        Publication.objects.filter(workspace=workspace, status=Publication.Status.IN_REVIEW).order_by("pk").first()
    )
    if in_review is not None:
        question = services.publication_comment(
            publication=in_review, author=strategy, body="Can we add the price to the copy? Customers ask for it."
        )
        services.publication_comment(
            publication=in_review,
            author=in_review.owner or community,
            body="Done in the next version.",
            parent_id=question.pk,
        )
    _crisis_and_incidents(workspace, items[0], profiles, strategy, now)


def _crisis_and_incidents(workspace, item, profiles, strategy, now) -> None:
    """Last night's crisis pause, lifted this morning with one post held for review, and a send whose outcome the
    platform never gave: the two decisions publishing leaves to a person."""
    started, ended = now - timedelta(hours=16), now - timedelta(hours=3)
    CrisisPause.objects.create(
        workspace=workspace,
        reason="Supplier recall in the news: hold promotional posts until the statement is out.",
        started_by=strategy,
        started_at=started,
        ended_by=strategy,
        ended_at=ended,
        paused_count=4,
        resumed_count=3,
        held_count=1,
    )
    held = Publication.objects.create(
        workspace=workspace,
        content_item=item,
        profile=profiles[Platform.INSTAGRAM],
        copy="Our spring collection is here: 20 % off this weekend only! #DemoBrand",
        scheduled_at=now - timedelta(hours=9),
        status=Publication.Status.HELD,
        owner=item.owner,
    )
    unknown = Publication.objects.create(
        workspace=workspace,
        content_item=item,
        profile=profiles[Platform.FACEBOOK],
        copy="Meet the makers behind our spring collection, live from the workshop. #DemoBrand",
        scheduled_at=now - timedelta(hours=2),
        status=Publication.Status.UNKNOWN,
        owner=item.owner,
        publish_attempts=1,
        attempt_id="demo-attempt-1",
        sending_started_at=now - timedelta(hours=2),
        failure_reason=(
            "Outcome unknown: check on the platform whether it went out. The platform did not answer "
            "(transient: 504 Gateway Time-out) and could not be asked afterwards."
        ),
    )
    history = [
        (held, item.owner, "created", "", "draft", "", started - timedelta(days=2)),
        (held, item.owner, "submitted", "draft", "in_review", "", started - timedelta(days=2)),
        (held, strategy, "approved", "in_review", "scheduled", "", started - timedelta(days=1)),
        (held, strategy, "paused", "scheduled", "paused", "Supplier recall in the news.", started),
        (held, strategy, "held", "paused", "held", "It fell due during the crisis pause.", ended),
        (unknown, item.owner, "created", "", "draft", "", now - timedelta(days=3)),
        (unknown, item.owner, "submitted", "draft", "in_review", "", now - timedelta(days=3)),
        (unknown, strategy, "approved", "in_review", "scheduled", "", now - timedelta(days=2)),
        (unknown, None, "sending", "scheduled", "sending", "Attempt 1", now - timedelta(hours=2)),
        (unknown, None, "no_answer", "sending", "sending", "transient: 504 Gateway Time-out", now - timedelta(hours=2)),
        (
            unknown,
            None,
            "outcome_unknown",
            "sending",
            "unknown",
            "The platform could not be asked.",
            now - timedelta(hours=1),
        ),
    ]
    for publication, actor, action, before, after, comment, at in history:
        event = PublicationEvent.objects.create(
            publication=publication, actor=actor, action=action, from_status=before, to_status=after, comment=comment
        )
        PublicationEvent.objects.filter(pk=event.pk).update(created_at=at)
