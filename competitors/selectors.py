"""Reads shared by the benchmark page, the SWOT suggestions, the home panels and the monthly report.

The benchmark is built in a fixed number of queries whatever the number of profiles or posts:
competitors, profiles, their figures (metrics.figures, the one source), best posts, follower series; plus the last pull of the
profiles that have no figures, when there are any, to say why.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from metrics import figures as metric_figures
from metrics.models import Post, PullRun, TrackedProfile
from metrics.platforms import NO_COMPETITOR_DATA, PLATFORM_COLOURS, Platform
from metrics.selectors import profile_rows

from .models import Competitor, SwotItem, SwotSuggestion, SwotVersion

BRAND_KEY = "brand"
BRAND_COLOUR = "#6b4de6"
COMPETITOR_COLOURS = ["#f59f00", "#20c997", "#e8590c", "#868e96", "#d6336c"]
PERIOD_CHOICES = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (180, "6 months"), (365, "12 months")]
DEFAULT_DAYS = metric_figures.STANDARD_DAYS  # the period of every other page's figures
BEST_POSTS_PER_COMPETITOR = 3

FIGURES = ["followers", "growth", "growth_pct", "posts_per_week", "engagement_rate", "interactions_per_post"]
FAILED_PULLS = {
    PullRun.Status.FAILED,
    PullRun.Status.NEEDS_ATTENTION,
    PullRun.Status.NOT_FOUND,
    PullRun.Status.RATE_LIMITED,
}


@dataclass(frozen=True)
class Entity:
    """The brand or one competitor: a row of the benchmark."""

    key: str
    name: str
    is_brand: bool
    colour: str
    competitor: Competitor | None = None
    has_profiles: bool = False  # any profile linked, stopped ones too (a competitor's card says when none is)


@dataclass
class Figures:
    """One entity's figures on one network (or all networks together), with the reason for any gap."""

    followers: int | None = None
    followers_start: int | None = None
    growth: int | None = None
    growth_pct: float | None = None
    posts: int = 0
    posts_per_week: float = 0.0
    engagement_rate: float | None = None
    interactions: int = 0
    interactions_per_post: float | None = None
    share_of_posts: float | None = None  # 0..1 of all posts by the brand and its competitors
    share_of_interactions: float | None = None
    profiles: list = field(default_factory=list)
    missing: str | None = None  # why there are no figures at all

    @property
    def has_data(self) -> bool:
        return self.missing is None

    @property
    def engagement_rate_pct(self) -> float | None:
        return None if self.engagement_rate is None else self.engagement_rate * 100

    def why(self, figure: str) -> str:
        """Why a figure is blank ("" when it is not)."""
        if self.missing:
            return self.missing
        if figure in ("engagement_rate", "interactions_per_post") and not self.posts:
            return "No posts in this period."
        if figure in ("followers", "growth", "growth_pct") and self.followers is None:
            return "No follower count pulled yet."
        if figure == "growth_pct" and self.growth is not None and not self.followers_start:
            return "No follower count at the start of the period."
        return ""


@dataclass
class Average:
    """The mean of a figure over the entities that have it."""

    label: str
    followers: float | None = None
    growth: float | None = None
    growth_pct: float | None = None
    posts_per_week: float | None = None
    engagement_rate: float | None = None
    interactions_per_post: float | None = None

    @property
    def engagement_rate_pct(self) -> float | None:
        return None if self.engagement_rate is None else self.engagement_rate * 100


@dataclass
class Scope:
    """The side-by-side table for one network, or for all networks together (platform None)."""

    platform: str | None
    label: str
    rows: list[tuple[Entity, Figures]]
    competitor_average: Average
    landscape_average: Average

    @property
    def brand(self) -> Figures | None:
        return next((figures for entity, figures in self.rows if entity.is_brand), None)

    @property
    def colour(self) -> str:
        return PLATFORM_COLOURS.get(self.platform, "#6c757d") if self.platform else BRAND_COLOUR


@dataclass
class Benchmark:
    start: date
    end: date
    entities: list[Entity]
    overall: Scope
    networks: list[Scope]
    best_posts: dict[int, list[dict]]  # competitor pk -> its best posts (see _best_posts)
    follower_series: dict[str, dict[str, list]]  # platform or "all" -> {"labels": [...], entity key: [...]}

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def competitors(self) -> list[Entity]:
        return [e for e in self.entities if not e.is_brand]

    def scope(self, platform: str | None) -> Scope:
        return next((s for s in self.networks if s.platform == platform), self.overall)


def active_competitors(*, workspace):
    return Competitor.objects.filter(workspace=workspace, archived_at__isnull=True).order_by("slot")


def archived_competitors(*, workspace):
    return Competitor.objects.filter(workspace=workspace, archived_at__isnull=False).order_by("-archived_at")


def followed_and_archived(*, workspace) -> tuple[list[Competitor], list[Competitor]]:
    """The active competitors (by slot) and the archived ones (newest first), in one query; the benchmark reads the
    active ones' profiles (and says whether each has any: `Entity.has_profiles`)."""
    competitors = list(Competitor.objects.filter(workspace=workspace).order_by("slot", "pk"))
    active = [c for c in competitors if c.archived_at is None]
    archived = sorted((c for c in competitors if c.archived_at is not None), key=lambda c: c.archived_at, reverse=True)
    return active, archived


def _entities(workspace, competitors, linked: set[int]) -> list[Entity]:
    brand = Entity(key=BRAND_KEY, name=workspace.name, is_brand=True, colour=BRAND_COLOUR, has_profiles=True)
    return [brand] + [
        Entity(
            key=f"c{c.pk}",
            name=c.name,
            is_brand=False,
            colour=COMPETITOR_COLOURS[i % len(COMPETITOR_COLOURS)],
            competitor=c,
            has_profiles=c.pk in linked,
        )
        for i, c in enumerate(competitors)
    ]


def _profiles(workspace, competitor_ids):
    """The brand's active profiles and every profile of the active competitors, stopped ones too (a queryset): the
    benchmark counts the active ones, and a competitor with stopped ones only is not "without a profile"."""
    return (
        TrackedProfile.objects.filter(workspace=workspace)
        .filter(Q(is_own=True, is_active=True) | Q(competitor_link__competitor_id__in=competitor_ids))
        .only("pk", "platform", "handle", "is_own")
        .annotate(competitor_id=F("competitor_link__competitor_id"))
        .order_by("platform", "handle")
    )


def _has_figures(perf: metric_figures.Figures | None) -> bool:
    return bool(perf and perf.has_figures)


def _entity_key(profile) -> str:
    return BRAND_KEY if profile.is_own else f"c{profile.competitor_id}"


def _attach_last_pulls(profiles, by_network) -> None:
    """Sets `last_pull_status` and `last_pull_error` on each profile. Only the profiles of an entity's network
    without figures need them (they say why it has none), so they are read, in one query, only when there are."""
    silent = [p.pk for p in profiles if not _has_figures(by_network.get((_entity_key(p), p.platform)))]
    last_pulls = {}
    if silent:
        last_run = PullRun.objects.filter(profile=OuterRef("pk")).order_by("-started_at", "-pk")
        rows = TrackedProfile.objects.filter(pk__in=silent).annotate(
            status=Subquery(last_run.values("status")[:1]), error=Subquery(last_run.values("error_message")[:1])
        )
        last_pulls = {pk: (status, error) for pk, status, error in rows.values_list("pk", "status", "error")}
    for profile in profiles:
        profile.last_pull_status, profile.last_pull_error = last_pulls.get(profile.pk, (None, None))


def _missing_reason(profiles, total: metric_figures.Figures, *, is_brand: bool, platform: str | None) -> str | None:
    """None when the profiles have figures (at least one of them has); otherwise why there are none."""
    if not profiles:
        if platform is None:
            return "No profile tracked yet." if is_brand else "No profile of theirs is followed yet."
        label = Platform(platform).label
        return f"The brand has no {label} profile tracked." if is_brand else f"Not followed on {label}."
    if total.has_figures:
        return None
    reasons = []
    for profile in profiles:
        if not is_brand and profile.platform in NO_COMPETITOR_DATA:
            reasons.append(NO_COMPETITOR_DATA[profile.platform])
        elif profile.last_pull_status is None or profile.last_pull_status == PullRun.Status.RUNNING:
            reasons.append("Not pulled yet: figures appear after the first pull.")
        elif profile.last_pull_status in FAILED_PULLS:
            status = PullRun.Status(profile.last_pull_status).label
            detail = f" ({profile.last_pull_error[:120]})" if profile.last_pull_error else ""
            reasons.append(f"The last pull of @{profile.handle} did not succeed: {status}{detail}.")
        else:
            reasons.append("The platform gave no figures for this profile yet.")
    return " ".join(dict.fromkeys(reasons))


def combine(profiles, by_network: dict, *, key: str, days: int, is_brand: bool, platform) -> Figures:
    """One entity's figures over its profiles on a network (or all its networks: platform None), from the roll-up
    per network (metrics.figures.network_figures, the one source: `combine` of the profiles' figures)."""
    figures = Figures(profiles=list(profiles))
    platforms = [platform] if platform else sorted({p.platform for p in profiles})
    total = metric_figures.combine((by_network.get((key, p)) for p in platforms), days=days)
    figures.missing = _missing_reason(profiles, total, is_brand=is_brand, platform=platform)
    if figures.missing:
        return figures
    figures.followers, figures.followers_start, figures.growth = total.followers, total.followers_start, total.growth
    figures.growth_pct = total.growth_pct
    figures.posts, figures.posts_per_week = total.posts, total.posts_per_week
    figures.engagement_rate = total.engagement_rate
    figures.interactions, figures.interactions_per_post = total.interactions, total.interactions_per_post
    return figures


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def average(label: str, figures_list: list[Figures]) -> Average:
    """Mean of each figure over the entities that have it (an entity without figures does not count)."""
    present = [f for f in figures_list if f.has_data]
    return Average(label=label, **{name: _mean(getattr(f, name) for f in present) for name in FIGURES})


def _scope(platform, entities, profiles_by_entity, by_network, days) -> Scope:
    rows = []
    for entity in entities:
        profiles = [p for p in profiles_by_entity[entity.key] if platform is None or p.platform == platform]
        figures = combine(profiles, by_network, key=entity.key, days=days, is_brand=entity.is_brand, platform=platform)
        rows.append((entity, figures))
    counted = [f for _, f in rows if f.has_data]
    all_posts = sum(f.posts for f in counted)
    all_interactions = sum(f.interactions for f in counted)
    for figures in counted:
        figures.share_of_posts = figures.posts / all_posts if all_posts else None
        figures.share_of_interactions = figures.interactions / all_interactions if all_interactions else None
    label = Platform(platform).label if platform else "All networks"
    return Scope(
        platform=platform,
        label=label,
        rows=rows,
        competitor_average=average("Competitor average", [f for e, f in rows if not e.is_brand]),
        landscape_average=average("Landscape average (with us)", [f for _, f in rows]),
    )


_BEST_FIRST = [F("engagement_rate").desc(nulls_last=True), F("interactions").desc(), F("pk").desc()]


def _best_posts(workspace, competitor_profiles, start, end) -> dict[int, list[dict]]:
    """Each competitor's best posts of the period: highest engagement rate, then most interactions; as the columns
    the page and the report print (`pk`, `platform`, `network`, `published_at`, `text`, `permalink`, `media_type`,
    `interactions`, `engagement_rate`). The database ranks each profile's posts (its best are among its
    profiles' best, and the profiles' competitors are known here: no join to the links)."""
    if not competitor_profiles:
        return {}
    by_pk = {p.pk: p for p in competitor_profiles}
    since, until = metric_figures.period_bounds(workspace=workspace, start=start, end=end)
    ranked = (
        Post.objects.filter(profile_id__in=list(by_pk), published_at__gte=since, published_at__lt=until)
        .annotate(rank=Window(RowNumber(), partition_by=[F("profile_id")], order_by=_BEST_FIRST))
        .filter(rank__lte=BEST_POSTS_PER_COMPETITOR)
        .order_by()
        .values(
            "pk",
            "profile_id",
            "published_at",
            "text",
            "permalink",
            "media_type",
            "interactions",
            "engagement_rate",
        )
    )
    candidates: dict[int, list[dict]] = {}
    for post in ranked:
        profile = by_pk[post.pop("profile_id")]
        post["platform"], post["network"] = profile.platform, Platform(profile.platform).label
        candidates.setdefault(profile.competitor_id, []).append(post)
    best = {}
    for competitor_id, posts in candidates.items():
        # The SQL order of _BEST_FIRST: a rate before none, then the higher rate, more interactions, newer pk.
        posts.sort(
            key=lambda p: (p["engagement_rate"] is None, -(p["engagement_rate"] or 0), -p["interactions"], -p["pk"])
        )
        best[competitor_id] = posts[:BEST_POSTS_PER_COMPETITOR]
    return best


def _follower_series(profiles_by_entity, entities, start, end, parts) -> dict[str, dict[str, list]]:
    """Followers at each day's end for each entity, per network and summed over all networks: each active profile's
    last known count, summed (metrics.figures.network_followers_series, from the parts the figures were read from)."""
    if not any(profiles_by_entity[entity.key] for entity in entities):
        return {}
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    series: dict[str, dict[str, list]] = {}
    summed = metric_figures.network_followers_series(
        start=start, end=end, entities=[e.key for e in entities], active_only=True, parts=parts
    )
    for (key, platform), per_day in sorted(summed.items()):
        for scope in (platform, "all"):
            values = series.setdefault(scope, {}).setdefault(key, [None] * len(days))
            for day, followers in per_day.items():
                i = index[day]
                values[i] = (values[i] or 0) + followers
    labels = [d.isoformat() for d in days]
    for scope in series.values():
        scope["labels"] = labels
    return series


def benchmark(
    *,
    workspace,
    start: date,
    end: date,
    with_posts: bool = True,
    with_series: bool = True,
    with_networks: bool = True,
    competitors=None,
    profiles=None,
    parts: list | None = None,
) -> Benchmark:
    """The brand against each active competitor, per network and for all networks, over [start, end].

    The figures are the roll-up per entity and network's (metrics.figures.network_parts, the one source: one read
    for the figures and the followers chart), of the active profiles; the profiles themselves are read for their
    names, their networks and their best posts, and the stopped ones of a competitor say it has profiles. A page
    that has already loaded the active competitors passes them (in slot order) to save a query; one that shows all
    networks together only (the home panels) skips the per-network tables. The homes also pass what they read once
    for all their panels: `profiles` (the brand's and every profile of the active competitors, with
    `competitor_id`) and `parts` (metrics.figures.network_parts over [start, end]); the stopped ones are left out
    of the figures here as they are from `_profiles`' rows.
    """
    if competitors is None:
        competitors = list(active_competitors(workspace=workspace))
    followed = {c.pk for c in competitors}
    if profiles is None:
        profiles = profile_rows(_profiles(workspace, list(followed)))
    linked = {p.competitor_id for p in profiles if not p.is_own and p.competitor_id in followed}
    entities = _entities(workspace, competitors, linked)
    profiles = sorted(
        (p for p in profiles if p.is_active and (p.is_own or p.competitor_id in followed)),
        key=lambda p: (p.platform, p.handle),
    )
    keys = [e.key for e in entities]
    if parts is None:
        parts = metric_figures.network_parts(workspace=workspace, start=start, end=end, entities=keys)
    by_network = metric_figures.network_figures(start=start, end=end, entities=keys, active_only=True, parts=parts)
    profiles_by_entity: dict[str, list] = {e.key: [] for e in entities}
    for profile in profiles:
        profiles_by_entity[_entity_key(profile)].append(profile)
    _attach_last_pulls(profiles, by_network)
    days = (end - start).days + 1
    present = {profile.platform for profile in profiles}
    platforms = [p for p in Platform.values if p in present]
    networks = [_scope(p, entities, profiles_by_entity, by_network, days) for p in platforms] if with_networks else []
    competitor_profiles = [p for p in profiles if not p.is_own]
    return Benchmark(
        start=start,
        end=end,
        entities=entities,
        overall=_scope(None, entities, profiles_by_entity, by_network, days),
        networks=networks,
        best_posts=_best_posts(workspace, competitor_profiles, start, end) if with_posts else {},
        follower_series=_follower_series(profiles_by_entity, entities, start, end, parts) if with_series else {},
    )


# SWOT reads


def swot_versions(*, workspace):
    return SwotVersion.objects.filter(workspace=workspace).select_related("created_by").order_by("-created_at", "-pk")


def swot_quadrants(version: SwotVersion | None) -> dict[str, list[SwotItem]]:
    """The version's items by quadrant letter, in their order, in one query."""
    quadrants: dict[str, list[SwotItem]] = {"S": [], "W": [], "O": [], "T": []}
    if version is None:
        return quadrants
    for item in version.items.select_related("author").order_by("quadrant", "position", "pk"):
        quadrants[item.quadrant].append(item)
    return quadrants


@dataclass
class ItemChange:
    status: str  # "added", "removed", "changed", "kept"
    text: str
    before: str = ""


def swot_compare(older: SwotVersion, newer: SwotVersion) -> dict[str, list[ItemChange]]:
    """What changed from one version to another, per quadrant: items follow their lineage across versions."""
    before = {item.lineage: item for item in older.items.all()}
    after = {item.lineage: item for item in newer.items.all()}
    changes: dict[str, list[ItemChange]] = {"S": [], "W": [], "O": [], "T": []}
    for lineage, item in sorted(after.items(), key=lambda kv: (kv[1].quadrant, kv[1].position, kv[1].pk)):
        old = before.get(lineage)
        if old is None:
            changes[item.quadrant].append(ItemChange("added", item.text))
        elif old.text != item.text or old.quadrant != item.quadrant:
            moved = f" (was in {old.get_quadrant_display()})" if old.quadrant != item.quadrant else ""
            changes[item.quadrant].append(ItemChange("changed", item.text, before=old.text + moved))
        else:
            changes[item.quadrant].append(ItemChange("kept", item.text))
    for lineage, old in sorted(before.items(), key=lambda kv: (kv[1].quadrant, kv[1].position, kv[1].pk)):
        if lineage not in after:
            changes[old.quadrant].append(ItemChange("removed", old.text))
    return changes


def open_suggestions(*, workspace):
    return SwotSuggestion.objects.filter(workspace=workspace, status=SwotSuggestion.Status.OPEN).order_by(
        "quadrant", "created_at", "pk"
    )
