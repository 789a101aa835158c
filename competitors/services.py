"""Every write of the competitors app: competitors and their profiles, SWOT versions, items and suggestions."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Workspace
from metrics.models import TrackedProfile
from metrics.network_days import network_days_regroup, profile_groups
from metrics.platforms import Platform

from .models import (
    MAX_ACTIVE_COMPETITORS,
    Competitor,
    CompetitorProfile,
    Quadrant,
    SwotItem,
    SwotSuggestion,
    SwotVersion,
)
from .quarters import quarter_label, quarter_of
from .suggestions import draw_suggestions

# The networks a competitor can be followed on (one profile each).
COMPETITOR_PLATFORMS = [p for p in Platform if p != Platform.OTHER]
LIMIT_MESSAGE = (
    f"You already follow {MAX_ACTIVE_COMPETITORS} competitors, the most a workspace follows. "
    "Archive one to make room for another."
)
_HANDLE = re.compile(r"^[\w.\-]{1,100}$")


class CompetitorLimitReached(ValidationError):
    """The workspace already follows the maximum number of active competitors."""

    def __init__(self):
        super().__init__(LIMIT_MESSAGE, code="competitor_limit")


def clean_handle(raw: str) -> str:
    """'@Acme', ' acme ' and 'https://x.com/acme' all mean the handle 'acme' as typed (case kept)."""
    handle = (raw or "").strip()
    if handle.startswith(("http://", "https://")):
        handle = handle.rstrip("/").rsplit("/", 1)[-1]
    handle = handle.lstrip("@").strip()
    if handle and not _HANDLE.match(handle):
        raise ValidationError(
            f"“{raw}” is not a handle: use letters, digits, dots, dashes or underscores.", code="bad_handle"
        )
    return handle


def _active_count(workspace) -> int:
    return Competitor.objects.filter(workspace=workspace, archived_at__isnull=True).count()


def _free_slot(workspace) -> int:
    taken = set(Competitor.objects.filter(workspace=workspace, archived_at__isnull=True).values_list("slot", flat=True))
    for slot in range(1, MAX_ACTIVE_COMPETITORS + 1):
        if slot not in taken:
            return slot
    raise CompetitorLimitReached()


def _check_name_free(workspace, name: str, *, exclude_pk=None) -> None:
    clash = Competitor.objects.filter(workspace=workspace, archived_at__isnull=True, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"You already follow a competitor named “{name}”."}, code="duplicate_name")


def _lock_competitors(workspace) -> None:
    """Make this transaction the workspace's only writer of competitors until it ends.

    Every check below (the cap, the name, the handles, case-insensitively) then sees every earlier write, so
    two requests that race cannot both pass them: the second waits, then gets the form's message. FOR NO KEY
    UPDATE on the workspace row blocks only other holders of this lock (and updates of the row itself, such as
    the data version's), not the many inserts that merely reference the workspace. SQLite takes the write lock
    at the transaction's start anyway (transaction_mode IMMEDIATE).
    """
    list(Workspace.objects.select_for_update(no_key=True).filter(pk=workspace.pk).values_list("pk", flat=True))


def _backstop(competitor_workspace, name: str, handles: dict, *, competitor=None):
    """A unique index refused a write that a writer without the lock (an own profile added meanwhile) made
    clash: say which field, as the form would."""
    _check_name_free(competitor_workspace, name, exclude_pk=getattr(competitor, "pk", None))
    _validate_handles(competitor_workspace, handles, competitor=competitor)
    raise ValidationError("Someone changed these competitors or profiles at the same moment: try again.")


def _validate_handles(workspace, handles: dict, *, competitor: Competitor | None = None) -> dict[str, str]:
    """Clean the handles and refuse ones that already belong to the brand or to another competitor."""
    cleaned, errors = {}, {}
    for platform, raw in handles.items():
        try:
            handle = clean_handle(raw)
        except ValidationError as error:
            errors[platform] = error.messages
            continue
        cleaned[platform] = handle
        if not handle:
            continue
        existing = (
            TrackedProfile.objects.filter(workspace=workspace, platform=platform, handle__iexact=handle)
            .select_related("competitor_link__competitor")
            .first()
        )
        if existing is None:
            continue
        label = Platform(platform).label
        link = getattr(existing, "competitor_link", None)
        if existing.is_own:
            errors[platform] = [f"@{handle} on {label} is one of the brand's own profiles."]
        elif link is not None and (competitor is None or link.competitor_id != competitor.pk):
            other = link.competitor
            hint = " (archived: restore it instead)" if not other.is_active else ""
            errors[platform] = [f"@{handle} on {label} is already followed for {other.name}{hint}."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _profile_source(workspace) -> str:
    # Competitors are pulled the way the brand's own profiles are: live once the brand is connected.
    live = TrackedProfile.objects.filter(workspace=workspace, is_own=True, source=TrackedProfile.Source.LIVE)
    return TrackedProfile.Source.LIVE if live.exists() else TrackedProfile.Source.DEMO


def _sync_profiles(competitor: Competitor, handles: dict[str, str]) -> None:
    """Make the competitor's active profiles match the handles; stopped profiles keep their history. The profiles
    that stop, resume or join the competitor move their days between its groups per network (network_days)."""
    links = list(competitor.profile_links.select_related("profile"))
    before = profile_groups(link.profile.pk for link in links)
    _sync_links(competitor, handles, links)
    for pk in competitor.profile_links.values_list("profile_id", flat=True):
        before.setdefault(pk, None)  # newly linked: followed for no one until now
    network_days_regroup(before=before)


def _sync_links(competitor: Competitor, handles: dict[str, str], links: list) -> None:
    source = None
    for platform, handle in handles.items():
        mine = [link.profile for link in links if link.profile.platform == platform]
        for profile in mine:
            keep = bool(handle) and profile.handle.lower() == handle.lower()
            if profile.is_active != keep:
                profile.is_active = keep
                profile.save(update_fields=["is_active"])
        if not handle or any(p.handle.lower() == handle.lower() for p in mine):
            continue
        profile = TrackedProfile.objects.filter(
            workspace=competitor.workspace, platform=platform, handle__iexact=handle, is_own=False
        ).first()
        if profile is None:
            source = source or _profile_source(competitor.workspace)
            profile = TrackedProfile.objects.create(
                workspace=competitor.workspace,
                platform=platform,
                handle=handle,
                display_name=competitor.name,
                is_own=False,
                source=source,
            )
        elif not profile.is_active:
            profile.is_active = True
            profile.save(update_fields=["is_active"])
        CompetitorProfile.objects.create(competitor=competitor, profile=profile)


def competitor_create(
    *, workspace, name: str, website: str = "", notes: str = "", handles: dict | None = None, by=None
) -> Competitor:
    """Follow a new competitor, refusing a fourth active one; its profiles become tracked profiles."""
    name = name.strip()
    try:
        with transaction.atomic():
            _lock_competitors(workspace)
            if _active_count(workspace) >= MAX_ACTIVE_COMPETITORS:
                raise CompetitorLimitReached()
            _check_name_free(workspace, name)
            cleaned = _validate_handles(workspace, handles or {})
            competitor = Competitor(
                workspace=workspace, name=name, website=website, notes=notes, created_by=by, slot=_free_slot(workspace)
            )
            competitor.save()
            _sync_profiles(competitor, cleaned)
    except IntegrityError:
        _backstop(workspace, name, handles or {})
    return competitor


def competitor_update(
    *, competitor: Competitor, name: str, website: str = "", notes: str = "", handles: dict | None = None
) -> Competitor:
    """Change a competitor's details and profiles (a cleared handle stops pulling that profile)."""
    name = name.strip()
    try:
        with transaction.atomic():
            _lock_competitors(competitor.workspace)
            if competitor.is_active:
                _check_name_free(competitor.workspace, name, exclude_pk=competitor.pk)
            cleaned = _validate_handles(competitor.workspace, handles or {}, competitor=competitor)
            competitor.name, competitor.website, competitor.notes = name, website, notes
            competitor.save(update_fields=["name", "website", "notes"])
            if competitor.is_active:
                _sync_profiles(competitor, cleaned)
    except IntegrityError:
        _backstop(competitor.workspace, name, handles or {}, competitor=competitor)
    return competitor


def competitor_archive(*, competitor: Competitor) -> Competitor:
    """Stop following a competitor: its slot frees up, its profiles stop being pulled, its history stays."""
    if not competitor.is_active:
        return competitor
    with transaction.atomic():
        _lock_competitors(competitor.workspace)
        competitor.archived_at = timezone.now()
        competitor.slot = None
        competitor.save(update_fields=["archived_at", "slot"])
        profiles = TrackedProfile.objects.filter(competitor_link__competitor=competitor)
        before = profile_groups(profiles.values_list("pk", flat=True))
        profiles.update(is_active=False)
        network_days_regroup(before=before)
    return competitor


def competitor_restore(*, competitor: Competitor) -> Competitor:
    """Follow an archived competitor again, if a slot is free; its newest profile per network resumes."""
    if competitor.is_active:
        return competitor
    with transaction.atomic():
        _lock_competitors(competitor.workspace)
        _check_name_free(competitor.workspace, competitor.name)
        if _active_count(competitor.workspace) >= MAX_ACTIVE_COMPETITORS:
            raise CompetitorLimitReached()
        competitor.archived_at, competitor.slot = None, _free_slot(competitor.workspace)
        competitor.save(update_fields=["archived_at", "slot"])
        newest = {}
        for link in competitor.profile_links.select_related("profile").order_by("pk"):
            newest[link.profile.platform] = link.profile.pk
        before = profile_groups(newest.values())
        TrackedProfile.objects.filter(pk__in=newest.values()).update(is_active=True)
        network_days_regroup(before=before)
    return competitor


# SWOT


def _copy_items(source: SwotVersion | None, target: SwotVersion) -> None:
    if source is None:
        return
    SwotItem.objects.bulk_create(
        SwotItem(
            version=target,
            quadrant=item.quadrant,
            text=item.text,
            evidence_url=item.evidence_url,
            author_id=item.author_id,
            position=item.position,
            lineage=item.lineage,
        )
        for item in source.items.all()
    )


def swot_version_create(*, workspace, by=None, quarterly: bool = False, note: str = "", today: date | None = None):
    """Start a new SWOT version from the current one's items; the older version is kept unchanged.

    A quarterly version is made once per quarter: asking again returns the one that exists.
    """
    today = today or timezone.localdate()
    current = swot_current_version(workspace=workspace)
    quarter = quarter_of(today) if quarterly else ""
    if quarterly:
        existing = SwotVersion.objects.filter(workspace=workspace, quarter=quarter).first()
        if existing is not None:
            return existing
        label = quarter_label(quarter)
    else:
        label = f"{today:%d %b %Y}" + (f" · {note}" if note else "")
    try:
        with transaction.atomic():
            version = SwotVersion.objects.create(
                workspace=workspace, label=label[:80], quarter=quarter, note=note, created_by=by
            )
            _copy_items(current, version)
    except IntegrityError:
        # Another request (or the quarterly task) made this quarter's version first.
        return SwotVersion.objects.get(workspace=workspace, quarter=quarter)
    return version


def swot_current_version(*, workspace) -> SwotVersion | None:
    return SwotVersion.objects.filter(workspace=workspace).order_by("-created_at", "-pk").first()


def _editable(version: SwotVersion) -> None:
    current = swot_current_version(workspace=version.workspace)
    if current is None or current.pk != version.pk:
        raise ValidationError("Older SWOT versions are kept as they were: edit the current version.")


def swot_item_add(*, version: SwotVersion, quadrant: str, text: str, evidence_url: str = "", author=None) -> SwotItem:
    """Add an item at the end of a quadrant of the current version."""
    _editable(version)
    if quadrant not in Quadrant.values:
        raise ValidationError({"quadrant": "Choose strengths, weaknesses, opportunities or threats."})
    last = version.items.filter(quadrant=quadrant).aggregate(last=Max("position"))["last"]
    return SwotItem.objects.create(
        version=version,
        quadrant=quadrant,
        text=text.strip(),
        evidence_url=evidence_url.strip(),
        author=author,
        position=0 if last is None else last + 1,
    )


def swot_item_update(*, item: SwotItem, text: str, evidence_url: str = "", quadrant: str | None = None) -> SwotItem:
    """Change an item's text, evidence or quadrant (a moved item goes to the end of its new quadrant)."""
    _editable(item.version)
    item.text, item.evidence_url = text.strip(), evidence_url.strip()
    if quadrant and quadrant != item.quadrant:
        last = item.version.items.filter(quadrant=quadrant).aggregate(last=Max("position"))["last"]
        item.quadrant, item.position = quadrant, 0 if last is None else last + 1
    item.save()
    return item


def swot_item_delete(*, item: SwotItem) -> None:
    """Remove an item from the current version (older versions keep their copy)."""
    _editable(item.version)
    item.delete()


def swot_items_reorder(*, version: SwotVersion, quadrant: str, item_ids: list[int]) -> None:
    """Put the given items, in this order, into a quadrant (drag and drop may bring one from another quadrant)."""
    _editable(version)
    if quadrant not in Quadrant.values:
        raise ValidationError("Unknown quadrant.")
    items = {item.pk: item for item in version.items.filter(pk__in=item_ids)}
    if len(items) != len(set(item_ids)) or len(item_ids) != len(set(item_ids)):
        raise ValidationError("Some of these items are not in this SWOT version.")
    for position, pk in enumerate(item_ids):
        item = items[pk]
        item.quadrant, item.position = quadrant, position
    SwotItem.objects.bulk_update(items.values(), ["quadrant", "position"])


def _open_suggestion(suggestion: SwotSuggestion) -> SwotSuggestion:
    """The suggestion's row, locked until the transaction ends, if no one decided it yet (two people pressing
    "Accept" at once would otherwise add the point twice)."""
    locked = SwotSuggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if locked is None or locked.status != SwotSuggestion.Status.OPEN:
        raise ValidationError("This suggestion was already decided.")
    return locked


def swot_suggestion_accept(*, suggestion: SwotSuggestion, by, version: SwotVersion | None = None) -> SwotItem:
    """Turn a suggestion into an item of the current SWOT (a first version is started if there is none)."""
    with transaction.atomic():
        suggestion = _open_suggestion(suggestion)
        version = version or swot_current_version(workspace=suggestion.workspace)
        if version is None:
            version = swot_version_create(workspace=suggestion.workspace, by=by, quarterly=True)
        item = swot_item_add(
            version=version,
            quadrant=suggestion.quadrant,
            text=suggestion.text,
            evidence_url=suggestion.evidence_url,
            author=by,
        )
        suggestion.status, suggestion.decided_by, suggestion.decided_at = (
            SwotSuggestion.Status.ACCEPTED,
            by,
            timezone.now(),
        )
        suggestion.item = item
        suggestion.save(update_fields=["status", "decided_by", "decided_at", "item"])
    return item


def swot_suggestion_dismiss(*, suggestion: SwotSuggestion, by) -> SwotSuggestion:
    """Set a suggestion aside; the same finding is not suggested again this quarter."""
    with transaction.atomic():
        suggestion = _open_suggestion(suggestion)
        suggestion.status, suggestion.decided_by, suggestion.decided_at = (
            SwotSuggestion.Status.DISMISSED,
            by,
            timezone.now(),
        )
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


def swot_suggestions_refresh(*, workspace, today: date | None = None) -> list[SwotSuggestion]:
    """Draw suggestions from the last 90 days of the benchmark; findings already suggested are skipped."""
    today = today or timezone.localdate()
    drawn = draw_suggestions(workspace=workspace, today=today)
    if not drawn:
        return []
    known = set(SwotSuggestion.objects.filter(workspace=workspace).values_list("key", flat=True))
    new = [
        SwotSuggestion(workspace=workspace, key=d.key, quadrant=d.quadrant, text=d.text, evidence_url=d.evidence_url)
        for d in drawn
        if d.key not in known
    ]
    return SwotSuggestion.objects.bulk_create(new, ignore_conflicts=True)


def workspaces_with_swot() -> list[int]:
    """Workspaces that keep a SWOT or follow a competitor: the quarterly version is made for them."""
    with_swot = SwotVersion.objects.values_list("workspace_id", flat=True)
    with_competitors = Competitor.objects.filter(archived_at__isnull=True).values_list("workspace_id", flat=True)
    return sorted(set(with_swot) | set(with_competitors))
