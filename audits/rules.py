"""The audit rules: one small function per rule, registered in RULES, each yielding findings from the facts.

A finding's `key` must name the same problem in every run (rule + the row it is about), so two runs compare.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from accounts.models import Membership, TwoFactorPolicy
from accounts.roles import TEAM_ROLES, Role

from .models import AccessGrant, Process, Severity, SocialAccount, Tool


@dataclass(frozen=True)
class Draft:
    rule: str
    key: str
    severity: str
    title: str
    detail: str = ""


@dataclass
class Facts:
    """Everything the rules read, loaded once per run (see selectors.audit_facts)."""

    today: date
    dormant_after_days: int
    review_after_days: int
    max_admins_per_account: int
    accounts: list[SocialAccount]
    grants: list[AccessGrant]
    tools: list[Tool]  # annotated with user_count
    processes: list[Process]
    last_post_on: dict[int, date | None] = field(default_factory=dict)  # account id -> last post date
    # The app's own access: the workspace's members, each annotated `has_two_factor`, and what the workspace requires.
    members: list[Membership] = field(default_factory=list)
    two_factor_policy: str = TwoFactorPolicy.ADMINS


Rule = Callable[[Facts], Iterator[Draft]]
RULES: dict[str, Rule] = {}


def rule(name: str):
    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def _open_accounts(facts: Facts) -> list[SocialAccount]:
    return [a for a in facts.accounts if a.status != SocialAccount.Status.CLOSED]


def _live_grants(facts: Facts) -> list[AccessGrant]:
    return [g for g in facts.grants if g.account.status != SocialAccount.Status.CLOSED]


@rule("dormant_account")
def dormant_account(facts: Facts) -> Iterator[Draft]:
    for account in _open_accounts(facts):
        last = facts.last_post_on.get(account.pk)
        if last is None:
            continue  # nothing to judge by; the inventory asks for the last post date
        days = (facts.today - last).days
        if days > facts.dormant_after_days:
            yield Draft(
                "dormant_account",
                f"dormant_account:{account.pk}",
                Severity.HIGH if days > 365 else Severity.MEDIUM,
                f"{account} has not posted for {days} days",
                f"Last post on {last:%d %b %Y}. Revive it with a plan, or close it so it cannot be hijacked.",
            )


@rule("account_without_owner")
def account_without_owner(facts: Facts) -> Iterator[Draft]:
    for account in _open_accounts(facts):
        if account.owner_id is None:
            yield Draft(
                "account_without_owner",
                f"account_without_owner:{account.pk}",
                Severity.HIGH,
                f"{account} has no owner in the team",
                "Nobody answers for it: name an owner in the inventory.",
            )


@rule("access_after_leaving")
def access_after_leaving(facts: Facts) -> Iterator[Draft]:
    for grant in _live_grants(facts):
        if not grant.still_with_company:
            yield Draft(
                "access_after_leaving",
                f"access_after_leaving:{grant.pk}",
                Severity.CRITICAL if grant.is_admin_level else Severity.HIGH,
                f"{grant.holder_name} left the company but is still {grant.get_level_display().lower()} of {grant.account}",
                "Remove their access and change the shared passwords they knew.",
            )


@rule("access_not_reviewed")
def access_not_reviewed(facts: Facts) -> Iterator[Draft]:
    for grant in _live_grants(facts):
        if not grant.still_with_company:
            continue  # already reported, more urgently, by access_after_leaving
        seen = grant.last_reviewed_on or grant.granted_on
        if seen is None or (facts.today - seen).days > facts.review_after_days:
            since = f"since {seen:%d %b %Y}" if seen else "ever"
            yield Draft(
                "access_not_reviewed",
                f"access_not_reviewed:{grant.pk}",
                Severity.MEDIUM,
                f"Access of {grant.holder_name} to {grant.account} not reviewed {since}",
                "Confirm they still need it and press “Reviewed” in the access register.",
            )


@rule("too_many_admins")
def too_many_admins(facts: Facts) -> Iterator[Draft]:
    admins = Counter(g.account_id for g in _live_grants(facts) if g.is_admin_level)
    accounts = {a.pk: a for a in facts.accounts}
    for account_id, count in sorted(admins.items()):
        if count > facts.max_admins_per_account:
            yield Draft(
                "too_many_admins",
                f"too_many_admins:{account_id}",
                Severity.MEDIUM,
                f"{accounts[account_id]} has {count} owners or admins",
                f"Keep at most {facts.max_admins_per_account}; give the others editor or analyst access.",
            )


@rule("two_factor_off")
def two_factor_off(facts: Facts) -> Iterator[Draft]:
    for grant in _live_grants(facts):
        if not grant.two_factor and grant.still_with_company:
            yield Draft(
                "two_factor_off",
                f"two_factor_off:{grant.pk}",
                Severity.HIGH if grant.is_admin_level else Severity.MEDIUM,
                f"2-step verification is off for {grant.holder_name} on {grant.account}",
                "A stolen password is enough to take the account: switch 2-step verification on.",
            )


@rule("app_login_without_two_factor")
def app_login_without_two_factor(facts: Facts) -> Iterator[Draft]:
    """The app's own access: team members who log in to this workspace with a password alone, admins first."""
    team = [m for m in facts.members if m.role in TEAM_ROLES and not m.has_two_factor]
    for member in sorted(team, key=lambda m: (m.role != Role.ADMIN, str(m.user).lower())):
        is_admin = member.role == Role.ADMIN
        required = facts.two_factor_policy == TwoFactorPolicy.EVERYONE or (
            is_admin and facts.two_factor_policy == TwoFactorPolicy.ADMINS
        )
        fix = (
            "The workspace requires it: they are asked to set it up in their profile at their next page."
            if required
            else "Ask them to set it up in their profile, or require it in the workspace settings (Members and settings)."
        )
        yield Draft(
            "app_login_without_two_factor",
            f"app_login_without_two_factor:{member.user_id}",
            Severity.HIGH if is_admin else Severity.MEDIUM,
            f"{member.user} ({member.get_role_display().lower()}) logs in to this workspace without a second factor",
            f"A stolen password is enough to act as them here. {fix}",
        )


@rule("same_audience_twice")
def same_audience_twice(facts: Facts) -> Iterator[Draft]:
    groups = defaultdict(list)
    for account in _open_accounts(facts):
        if account.audience.strip():
            groups[(account.platform, account.audience.strip().lower())].append(account)
    for (platform, audience), accounts in sorted(groups.items()):
        if len(accounts) > 1:
            names = ", ".join(str(a) for a in accounts)
            yield Draft(
                "same_audience_twice",
                f"same_audience_twice:{platform}:{audience}",
                Severity.LOW,
                f"{len(accounts)} {accounts[0].get_platform_display()} accounts speak to “{accounts[0].audience}”",
                f"{names}: merge them or give each its own audience.",
            )


@rule("process_not_documented")
def process_not_documented(facts: Facts) -> Iterator[Draft]:
    documented = {p.kind for p in facts.processes if p.documented}
    for kind, severity in ((Process.Kind.PUBLISH, Severity.MEDIUM), (Process.Kind.CRISIS, Severity.HIGH)):
        if kind not in documented:
            yield Draft(
                "process_not_documented",
                f"process_not_documented:{kind}",
                severity,
                f"No documented process to {kind.label.lower()}",
                "Write it down, name its owner and link it in Tools and processes.",
            )


@rule("unused_paid_tool")
def unused_paid_tool(facts: Facts) -> Iterator[Draft]:
    for tool in facts.tools:
        if tool.monthly_cost > 0 and tool.user_count == 0:
            yield Draft(
                "unused_paid_tool",
                f"unused_paid_tool:{tool.pk}",
                Severity.MEDIUM,
                f"{tool.name} costs {tool.monthly_cost:.0f} € a month and nobody uses it",
                "Cancel the subscription, or name who uses it.",
            )


def evaluate(facts: Facts) -> list[Draft]:
    """Every rule's findings, in registry order."""
    return [draft for check in RULES.values() for draft in check(facts)]
