"""Approval steps (issue 20, point 4): up to three per workspace or per network, approved in order, each by a member
of the step's roles, a different person at each step (models.ApprovalStep, models.PublicationApproval).

Which steps a post goes through: its network's own, if it has any, otherwise the workspace's (network ""). With no
step for it at all, the workspace's approval settings decide as before steps existed (approver roles and the
optional final approver). The service that approves is calendar_app.services.publication_approve; this module reads
the steps and where a post stands, and writes the workspace's steps from the settings page.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.roles import Role

from .models import APPROVER_ROLE_CHOICES, MAX_APPROVAL_STEPS, ApprovalStep, PublicationApproval

# A step's roles are those the settings page offers to approve (the matrix's "approve" and "approve_if_allowed").
STEP_ROLES = frozenset(value for value, _ in APPROVER_ROLE_CHOICES)
ROLE_LABELS = dict(Role.choices)


def steps_by_network(workspace_id) -> dict[str, list[ApprovalStep]]:
    """The workspace's steps, by network ("" for every network), each list in order: one query."""
    steps: dict[str, list[ApprovalStep]] = {}
    for step in ApprovalStep.objects.filter(workspace_id=workspace_id).order_by("network", "position"):
        steps.setdefault(step.network, []).append(step)
    return steps


def steps_of(by_network: dict[str, list[ApprovalStep]], network: str) -> list[ApprovalStep]:
    """The steps a post on `network` goes through: the network's own, else the workspace's; [] for none."""
    return by_network.get(network) or by_network.get("", [])


def steps_for(publication) -> list[ApprovalStep]:
    return steps_of(steps_by_network(publication.workspace_id), publication.profile.platform)


def round_of(publication_ids) -> dict[int, dict[int, PublicationApproval]]:
    """The steps approved in each publication's current round, {publication id: {position: approval}}: one query."""
    rounds: dict[int, dict[int, PublicationApproval]] = {pk: {} for pk in publication_ids}
    for approval in PublicationApproval.objects.filter(publication_id__in=rounds).select_related("approved_by"):
        rounds[approval.publication_id][approval.position] = approval
    return rounds


def current_step(steps: list[ApprovalStep], approved: dict[int, object]) -> ApprovalStep | None:
    """The first step not approved yet in the round; the last one if all are (steps redefined meanwhile)."""
    if not steps:
        return None
    return next((s for s in steps if s.position not in approved), steps[-1])


def roles_text(roles) -> str:
    """ "Content lead or Strategy lead"."""
    return " or ".join(ROLE_LABELS.get(r, r) for r in roles)


@dataclass
class StepLine:
    """One line of a publication's progress list."""

    position: int
    name: str
    roles: str
    approval: PublicationApproval | None
    is_current: bool


@dataclass
class Progress:
    lines: list[StepLine]
    current: ApprovalStep
    total: int


def progress_of(publication, *, in_review: bool) -> Progress | None:
    """Where a publication stands in its steps (None when no step applies to it), for its page."""
    steps = steps_for(publication)
    if not steps:
        return None
    approved = round_of([publication.pk])[publication.pk]
    current = current_step(steps, approved)
    lines = [
        StepLine(
            position=s.position,
            name=s.name,
            roles=roles_text(s.roles),
            approval=approved.get(s.position),
            is_current=in_review and s is current,
        )
        for s in steps
    ]
    return Progress(lines=lines, current=current, total=len(steps))


def step_positions(workspace_id, rows) -> dict[int, tuple[int, int]]:
    """For the rows in review among `rows` ((id, status, network) each): {id: (current step, number of steps)}, for
    the "step 2 of 3" of lists; two queries whatever their number, none without a row in review. Those with no
    steps are left out."""
    in_review = [(pk, network) for pk, status, network in rows if status == "in_review"]
    if not in_review:
        return {}
    by_network = steps_by_network(workspace_id)
    if not by_network:
        return {}
    rounds = round_of([pk for pk, _ in in_review])
    positions = {}
    for pk, network in in_review:
        steps = steps_of(by_network, network)
        if steps:
            positions[pk] = (steps.index(current_step(steps, rounds[pk])) + 1, len(steps))
    return positions


# ---- the settings page's write ----------------------------------------------------------------------------------


def approval_steps_set(*, workspace, network: str, steps: list[tuple[str, list[str]]]) -> list[ApprovalStep]:
    """Replace the steps of one network ("" for every network) with `steps`, [(name, roles), ...] in order (at most
    three, each with a name and approver roles; [] removes them). Posts in review keep the steps they approved."""
    if len(steps) > MAX_APPROVAL_STEPS:
        raise ValidationError(f"At most {MAX_APPROVAL_STEPS} steps.")
    for position, (name, roles) in enumerate(steps, start=1):
        if not name.strip():
            raise ValidationError(f"Step {position} needs a name.")
        if not roles or not set(roles) <= STEP_ROLES:
            raise ValidationError(f"Step {position} needs one or more roles that may approve.")
    with transaction.atomic():
        ApprovalStep.objects.filter(workspace=workspace, network=network).delete()
        return ApprovalStep.objects.bulk_create(
            ApprovalStep(workspace=workspace, network=network, position=position, name=name.strip()[:60], roles=roles)
            for position, (name, roles) in enumerate(steps, start=1)
        )
