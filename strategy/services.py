"""Every change to the strategy goes through here, and every change records a revision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Membership
from accounts.permissions import can

from .models import (
    AudienceSegment,
    BudgetLine,
    CharterVersion,
    NetworkPlan,
    Objective,
    Strategy,
    StrategyRevision,
)

# The free-text parts of Strategy, in the order the page and the diff show them.
TEXT_FIELDS = [
    "business_goals",
    "content_plan",
    "distribution_plan",
    "tone_words",
    "words_to_avoid",
    "voice_examples",
    "crisis_contacts",
    "crisis_escalation",
    "holding_statements",
    "exit_plan",
    "evaluation_plan",
]

# The rows a strategist edits one at a time, through strategy_item_save / strategy_item_delete.
ITEM_MODELS = (Objective, AudienceSegment, NetworkPlan, BudgetLine)


def strategy_snapshot(*, workspace) -> dict:
    """The whole strategy as plain JSON, the form a revision keeps."""
    strategy = Strategy.objects.filter(workspace=workspace).first()
    charter = CharterVersion.objects.filter(workspace=workspace).select_related("approved_by").first()
    return {
        "texts": {name: getattr(strategy, name, "") for name in TEXT_FIELDS},
        "objectives": [
            {
                "title": o.title,
                "kind": o.get_kind_display(),
                "goal": o.goal,
                "kpi": o.kpi_name,
                "baseline": str(o.baseline),
                "target": str(o.target),
                "manual_value": None if o.manual_value is None else str(o.manual_value),
                "deadline": o.deadline.isoformat(),
            }
            for o in Objective.objects.filter(workspace=workspace)
        ],
        "segments": [
            {"name": s.name, "description": s.description, "networks": s.network_labels}
            for s in AudienceSegment.objects.filter(workspace=workspace)
        ],
        "networks": [
            {"network": n.get_platform_display(), "role": n.role, "target_posts_per_week": n.target_posts_per_week}
            for n in NetworkPlan.objects.filter(workspace=workspace)
        ],
        "budget": [
            {"label": b.label, "amount": str(b.amount), "period": b.get_period_display(), "notes": b.notes}
            for b in BudgetLine.objects.filter(workspace=workspace)
        ],
        "charter": None
        if charter is None
        else {
            "version": charter.version,
            "approved_by": str(charter.approved_by) if charter.approved_by else None,
            "approved_at": charter.approved_at.isoformat() if charter.approved_at else None,
        },
    }


def _lock_strategy(workspace) -> Strategy:
    # One writer at a time per workspace, so revision numbers follow each other without gaps or clashes.
    strategy, _ = Strategy.objects.select_for_update().get_or_create(workspace=workspace)
    return strategy


def _record_revision(*, workspace, by, summary: str) -> StrategyRevision:
    last = StrategyRevision.objects.filter(workspace=workspace).aggregate(n=Max("number"))["n"] or 0
    return StrategyRevision.objects.create(
        workspace=workspace,
        number=last + 1,
        summary=summary[:200],
        snapshot=strategy_snapshot(workspace=workspace),
        created_by=by,
    )


@transaction.atomic
def strategy_update(*, workspace, by, summary: str, **fields) -> Strategy:
    """Change the strategy's free-text parts and record a revision."""
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not a strategy text field: {', '.join(sorted(unknown))}")
    strategy = _lock_strategy(workspace)
    changed = [name for name, value in fields.items() if getattr(strategy, name) != value]
    if not changed:
        return strategy
    for name in changed:
        setattr(strategy, name, fields[name])
    strategy.save()
    _record_revision(workspace=workspace, by=by, summary=summary)
    return strategy


def _label(item) -> str:
    return f"{item._meta.verbose_name.capitalize()} “{item}”"


@transaction.atomic
def strategy_item_save(*, item, by):
    """Add or change an objective, audience segment, network plan or budget line, and record a revision."""
    if not isinstance(item, ITEM_MODELS):
        raise TypeError(f"{type(item).__name__} is not part of the strategy")
    _lock_strategy(item.workspace)
    is_new = item.pk is None
    item.full_clean()
    item.save()
    _record_revision(workspace=item.workspace, by=by, summary=f"{_label(item)} {'added' if is_new else 'changed'}")
    return item


@transaction.atomic
def strategy_item_delete(*, item, by) -> None:
    """Remove an objective, audience segment, network plan or budget line, and record a revision."""
    if not isinstance(item, ITEM_MODELS):
        raise TypeError(f"{type(item).__name__} is not part of the strategy")
    workspace, label = item.workspace, _label(item)
    _lock_strategy(workspace)
    item.delete()
    _record_revision(workspace=workspace, by=by, summary=f"{label} removed")


@transaction.atomic
def charter_publish(*, workspace, by, body: str) -> CharterVersion:
    """Write a new version of the charter; it waits for management's approval."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "The charter cannot be empty."})
    _lock_strategy(workspace)
    current = CharterVersion.objects.filter(workspace=workspace).first()
    if current is not None and current.body.strip() == body:
        return current
    charter = CharterVersion.objects.create(
        workspace=workspace, version=(current.version + 1 if current else 1), body=body, created_by=by
    )
    _record_revision(workspace=workspace, by=by, summary=f"Charter version {charter.version} written")
    return charter


@transaction.atomic
def charter_approve(*, charter: CharterVersion, by) -> CharterVersion:
    """Record management's approval of one charter version: who, when, which version."""
    membership = Membership.objects.filter(user=by, workspace=charter.workspace).first()
    if membership is None or not can(membership.role, "strategy", "approve_charter"):
        raise PermissionDenied("Only a member of management (an executive) approves the charter.")
    _lock_strategy(charter.workspace)
    charter = CharterVersion.objects.select_for_update().get(pk=charter.pk)
    if charter.is_approved:
        raise ValidationError(f"Version {charter.version} was already approved by {charter.approved_by}.")
    latest = CharterVersion.objects.filter(workspace=charter.workspace).first()
    if latest.pk != charter.pk:
        raise ValidationError(f"Version {charter.version} has been replaced by version {latest.version}.")
    charter.approved_by, charter.approved_at = by, timezone.now()
    charter.save(update_fields=["approved_by", "approved_at"])
    _record_revision(workspace=charter.workspace, by=by, summary=f"Charter version {charter.version} approved by {by}")
    return charter
