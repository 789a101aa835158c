"""Every change to the audit's data goes through here: views, imports, the demo and tasks call these."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.permissions import MATRIX
from notifications.services import notify

from .models import (
    SEVERITY_WEIGHT,
    AccessGrant,
    AuditRun,
    AuditSettings,
    Finding,
    Process,
    Severity,
    SocialAccount,
    Tool,
)
from .rules import Draft, evaluate
from .selectors import audit_facts


def _save(instance, **fields):
    """Set fields, validate the row (clean gives the friendly messages), save; a race ends as a ValidationError."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError("This row duplicates one that was saved in the meantime: reload the page.") from error
    return instance


def account_save(*, workspace, account: SocialAccount | None = None, **fields) -> SocialAccount:
    """Add an account to the inventory, or change one."""
    return _save(account or SocialAccount(workspace=workspace), **fields)


def account_delete(*, account: SocialAccount) -> None:
    """Remove an account and its access rows from the inventory."""
    account.delete()


def access_save(*, workspace, grant: AccessGrant | None = None, **fields) -> AccessGrant:
    """Record who holds access to an account, or change it."""
    return _save(grant or AccessGrant(workspace=workspace), **fields)


def access_review(*, grant: AccessGrant, by) -> AccessGrant:
    """Stamp today's date as the last review of this access."""
    grant.last_reviewed_on = timezone.localdate()
    grant.last_reviewed_by = by
    grant.save(update_fields=["last_reviewed_on", "last_reviewed_by"])
    return grant


def access_delete(*, grant: AccessGrant) -> None:
    """Forget an access (it was removed on the network)."""
    grant.delete()


def tool_save(*, workspace, tool: Tool | None = None, users=(), **fields) -> Tool:
    """Add a tool or change one, with who uses it."""
    with transaction.atomic():
        tool = _save(tool or Tool(workspace=workspace), **fields)
        tool.users.set(users)
    return tool


def tool_delete(*, tool: Tool) -> None:
    """Remove a tool from the list."""
    tool.delete()


def process_save(*, workspace, process: Process | None = None, **fields) -> Process:
    """Describe one of the team's processes, or change it."""
    return _save(process or Process(workspace=workspace), **fields)


def audit_settings_save(*, workspace, **fields) -> AuditSettings:
    """Change the workspace's audit thresholds."""
    settings = AuditSettings.objects.filter(workspace=workspace).first() or AuditSettings(workspace=workspace)
    return _save(settings, **fields)


def score_for(drafts) -> int:
    """100 with no finding; halves when the penalty reaches 100 (e.g. 4 critical and 5 high findings)."""
    penalty = sum(SEVERITY_WEIGHT[d.severity] for d in drafts)
    return round(100 * 100 / (100 + penalty))


def audit_run_record(*, workspace, by, ran_at: datetime, drafts: list[Draft]) -> AuditRun:
    """Store a run with the findings given (the demo uses it to write past runs)."""
    with transaction.atomic():
        run = AuditRun.objects.create(
            workspace=workspace, ran_at=ran_at, ran_by=by, score=score_for(drafts), findings_count=len(drafts)
        )
        Finding.objects.bulk_create(
            Finding(
                run=run,
                workspace=workspace,
                rule=d.rule,
                key=d.key[:200],
                severity=d.severity,
                title=d.title[:200],
                detail=d.detail,
            )
            for d in drafts
        )
    return run


def audit_run(*, workspace, by, at: datetime | None = None) -> AuditRun:
    """Run every rule against the data as it is now and keep the findings with a score."""
    at = at or timezone.now()
    drafts = evaluate(audit_facts(workspace=workspace, today=timezone.localdate(at)))
    with transaction.atomic():
        previous = AuditRun.objects.filter(workspace=workspace).order_by("-ran_at", "-pk").values("pk").first()
        run = audit_run_record(workspace=workspace, by=by, ran_at=at, drafts=drafts)
        # Critical now and not in the run before: a finding that was critical already was told then.
        critical = run.findings.filter(severity=Severity.CRITICAL).exclude(
            key__in=Finding.objects.filter(run_id=(previous or {}).get("pk"), severity=Severity.CRITICAL).values("key")
        )
        if titles := list(critical.values_list("title", flat=True)):
            owners = [role for role, actions in MATRIX["audit"].items() if "edit" in actions]
            notify(
                workspace=workspace, kind="audit_critical", actor=by, dedupe_key=f"audit_run:{run.pk}:critical",
                recipients=Membership.objects.filter(workspace=workspace, role__in=owners),
                title=f"The audit found {len(titles)} new critical finding{'' if len(titles) == 1 else 's'}",
                body="\n".join(f"- {title}" for title in titles), link=reverse("audits:report"),
            )  # fmt: skip
    return run


def finding_resolve(*, finding: Finding, by, note: str) -> Finding:
    """Mark a finding resolved, saying how; the next run checks the data again."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say how it was resolved, so the next person knows."})
    if finding.is_resolved:
        raise ValidationError({"note": "This finding is already resolved."})
    finding.resolved_at = timezone.now()
    finding.resolved_by = by
    finding.resolution_note = note
    finding.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return finding
