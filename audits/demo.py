"""A realistic, messy starting point for the demo workspace, and three past audit runs.

Idempotent: accounts, access, tools and processes are looked up by their natural keys; past runs are written
only when the workspace has none.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from metrics.models import TrackedProfile

from . import services
from .models import AccessGrant, AuditRun, Process, SocialAccount, Tool
from .rules import Draft, evaluate
from .selectors import audit_facts

A, S = SocialAccount.Status, AccessGrant
TODAY = timezone.localdate


def _user(email):
    return User.objects.filter(email=email).first()


ACCOUNTS = [
    # platform, handle, purpose, audience, owner, status, created years ago, last post days ago
    (
        "instagram",
        "demobrand",
        "Product launches and behind the scenes",
        "Customers in France",
        "content@demo.test",
        A.ACTIVE,
        6,
        1,
    ),
    ("instagram", "demobrand.shop", "Shop promotions", "Customers in France", None, A.ACTIVE, 3, 12),
    (
        "facebook",
        "DemoBrandOfficial",
        "Customer service and events",
        "Customers in France",
        "community@demo.test",
        A.ACTIVE,
        9,
        2,
    ),
    (
        "x",
        "demobrand",
        "News, press and customer service",
        "Press and customers",
        "community@demo.test",
        A.ACTIVE,
        9,
        3,
    ),
    ("x", "demobrand_fr", "French-speaking news (abandoned in 2021)", "Customers in Belgium", None, A.DORMANT, 8, 1600),
    (
        "linkedin",
        "demo-brand",
        "Employer brand and B2B",
        "Job seekers and partners",
        "strategy@demo.test",
        A.ACTIVE,
        7,
        5,
    ),
    ("youtube", "demobrandtv", "Tutorials", "Customers in France", "content@demo.test", A.ACTIVE, 5, 75),
    (
        "bluesky",
        "demobrand.bsky.social",
        "Tech press and early adopters",
        "Tech-savvy customers",
        "community@demo.test",
        A.ACTIVE,
        1,
        3,
    ),
    (
        "mastodon",
        "demobrand@mastodon.social",
        "Open-source and maker community",
        "Makers",
        "community@demo.test",
        A.ACTIVE,
        1,
        5,
    ),
    ("tiktok", "demobrand", "Test opened by an intern in 2023", "Under 25", None, A.TO_CLOSE, 2, 400),
    ("pinterest", "demobrand", "Mood boards", "Designers", None, A.CLOSED, 6, 1200),
]

ACCESS = [
    # handle on platform, member email or (name, email, department), level, tool, 2FA, granted years ago, reviewed days ago, still here
    (("facebook", "DemoBrandOfficial"), "admin@demo.test", S.Level.OWNER, S.Tool.NATIVE, True, 5, 20, True),
    (("facebook", "DemoBrandOfficial"), "community@demo.test", S.Level.ADMIN, S.Tool.HOOTSUITE, True, 2, 20, True),
    (
        ("facebook", "DemoBrandOfficial"),
        ("Léa Fontaine", "lea.fontaine@demo.test", "Marketing (intern 2022)"),
        S.Level.ADMIN,
        S.Tool.NATIVE,
        False,
        4,
        None,
        False,
    ),
    (
        ("facebook", "DemoBrandOfficial"),
        ("Paul Girard", "paul@pixel-agency.test", "Pixel Agency (ads)"),
        S.Level.ADVERTISER,
        S.Tool.NATIVE,
        True,
        1,
        200,
        True,
    ),
    (("instagram", "demobrand"), "content@demo.test", S.Level.ADMIN, S.Tool.NATIVE, True, 3, 30, True),
    (("instagram", "demobrand"), "community@demo.test", S.Level.EDITOR, S.Tool.HOOTSUITE, True, 2, 30, True),
    (
        ("instagram", "demobrand.shop"),
        ("Inès Roux", "ines.roux@demo.test", "E-commerce"),
        S.Level.ADMIN,
        S.Tool.NATIVE,
        False,
        3,
        None,
        True,
    ),
    (("x", "demobrand"), "community@demo.test", S.Level.ADMIN, S.Tool.HOOTSUITE, True, 3, 40, True),
    (("x", "demobrand"), "admin@demo.test", S.Level.OWNER, S.Tool.NATIVE, True, 6, 40, True),
    (
        ("x", "demobrand"),
        ("Marc Dubois", "marc.dubois@demo.test", "Communication"),
        S.Level.ADMIN,
        S.Tool.NATIVE,
        True,
        6,
        400,
        True,
    ),
    (
        ("x", "demobrand_fr"),
        ("Marc Dubois", "marc.dubois@demo.test", "Communication"),
        S.Level.OWNER,
        S.Tool.NATIVE,
        False,
        8,
        None,
        True,
    ),
    (("linkedin", "demo-brand"), "strategy@demo.test", S.Level.ADMIN, S.Tool.NATIVE, True, 4, 15, True),
    (
        ("linkedin", "demo-brand"),
        ("Claire Morel", "claire.morel@demo.test", "HR"),
        S.Level.EDITOR,
        S.Tool.BUFFER,
        True,
        2,
        15,
        True,
    ),
    (("youtube", "demobrandtv"), "content@demo.test", S.Level.OWNER, S.Tool.NATIVE, True, 5, 60, True),
    (("bluesky", "demobrand.bsky.social"), "community@demo.test", S.Level.OWNER, S.Tool.NATIVE, True, 1, 10, True),
    (("mastodon", "demobrand@mastodon.social"), "community@demo.test", S.Level.OWNER, S.Tool.NATIVE, True, 1, 10, True),
]

TOOLS = [
    ("Hootsuite", Tool.Purpose.PUBLISHING, 99, ["community@demo.test", "content@demo.test"], "Team plan, 3 seats"),
    ("Canva Pro", Tool.Purpose.DESIGN, 12, ["content@demo.test"], ""),
    ("Brandwatch", Tool.Purpose.LISTENING, 450, [], "Annual contract signed in 2023; renews in March"),
    ("Buffer", Tool.Purpose.PUBLISHING, 0, ["strategy@demo.test"], "Free plan, used by HR for LinkedIn"),
    ("Meta Business Suite", Tool.Purpose.ADS, 0, ["admin@demo.test", "community@demo.test"], ""),
]

PROCESSES = [
    (
        Process.Kind.CREATE,
        "Ideas collected on the intranet, briefs written by the content lead.",
        "content@demo.test",
        True,
        "https://intranet.demo.test/social/create",
    ),
    (
        Process.Kind.PUBLISH,
        "Posts scheduled in Hootsuite after the content lead approves them.",
        "content@demo.test",
        True,
        "https://intranet.demo.test/social/publish",
    ),
    (Process.Kind.ANALYSE, "Monthly figures pulled by hand into a spreadsheet.", "analyst@demo.test", False, ""),
    (
        Process.Kind.RESPOND,
        "Answer within 24 hours on weekdays; escalate complaints to customer service.",
        "community@demo.test",
        True,
        "https://intranet.demo.test/social/respond",
    ),
    (Process.Kind.CRISIS, "“Call Sam if something goes wrong.” Nothing written.", "strategy@demo.test", False, ""),
]


def seed(workspace) -> None:
    _seed_inventory(workspace)
    _seed_access(workspace)
    _seed_tools_and_processes(workspace)
    if not AuditRun.objects.filter(workspace=workspace).exists():
        _seed_runs(workspace)


def _seed_inventory(workspace):
    profiles = {
        (p.platform, p.handle.lower()): p for p in TrackedProfile.objects.filter(workspace=workspace, is_own=True)
    }
    for platform, handle, purpose, audience, owner, status, years, days in ACCOUNTS:
        if SocialAccount.objects.filter(workspace=workspace, platform=platform, handle__iexact=handle).exists():
            continue
        services.account_save(
            workspace=workspace,
            platform=platform,
            handle=handle,
            purpose=purpose,
            audience=audience,
            owner=_user(owner) if owner else None,
            status=status,
            created_on=TODAY() - timedelta(days=365 * years),
            last_post_on=TODAY() - timedelta(days=days),
            tracked_profile=profiles.get((platform, handle.lower())),
        )


def _seed_access(workspace):
    accounts = {(a.platform, a.handle): a for a in SocialAccount.objects.filter(workspace=workspace)}
    for account_key, who, level, tool, two_factor, years, reviewed, here in ACCESS:
        account = accounts.get(account_key)
        if account is None:
            continue
        if isinstance(who, str):
            member, name, email, department = _user(who), "", "", ""
            if member is None or AccessGrant.objects.filter(account=account, member=member).exists():
                continue
        else:
            member, (name, email, department) = None, who
            if AccessGrant.objects.filter(account=account, member=None, person_email=email).exists():
                continue
        services.access_save(
            workspace=workspace,
            account=account,
            member=member,
            person_name=name,
            person_email=email,
            department=department,
            level=level,
            tool=tool,
            two_factor=two_factor,
            granted_on=TODAY() - timedelta(days=365 * years),
            last_reviewed_on=TODAY() - timedelta(days=reviewed) if reviewed is not None else None,
            still_with_company=here,
        )


def _seed_tools_and_processes(workspace):
    for name, purpose, cost, users, notes in TOOLS:
        if Tool.objects.filter(workspace=workspace, name__iexact=name).exists():
            continue
        services.tool_save(
            workspace=workspace,
            name=name,
            purpose=purpose,
            monthly_cost=cost,
            notes=notes,
            users=[u for u in map(_user, users) if u],
        )
    for kind, description, owner, documented, link in PROCESSES:
        if Process.objects.filter(workspace=workspace, kind=kind).exists():
            continue
        services.process_save(
            workspace=workspace,
            kind=kind,
            description=description,
            owner=_user(owner),
            documented=documented,
            link=link,
        )


# Problems the team fixed between the past runs: they show as "resolved" when two runs are compared.
FIXED_BEFORE_SECOND_RUN = [
    Draft(
        "access_after_leaving",
        "access_after_leaving:demo-agency",
        "critical",
        "Former agency Social&Co is still admin of @DemoBrandOfficial on Facebook",
    ),
    Draft("process_not_documented", "process_not_documented:publish", "medium", "No documented process to publish"),
    Draft(
        "account_without_owner",
        "account_without_owner:demo-linkedin",
        "high",
        "@demo-brand on LinkedIn has no owner in the team",
    ),
]
FIXED_BEFORE_THIRD_RUN = [
    Draft(
        "two_factor_off",
        "two_factor_off:demo-ceo",
        "high",
        "2-step verification is off for the CEO's assistant on @demobrand on X",
    ),
    Draft(
        "unused_paid_tool",
        "unused_paid_tool:demo-sprout",
        "medium",
        "Sprout Social costs 249 € a month and nobody uses it",
    ),
]


def _seed_runs(workspace):
    admin = _user("admin@demo.test")
    now = timezone.now()
    for days_ago, extra in (
        (120, FIXED_BEFORE_SECOND_RUN + FIXED_BEFORE_THIRD_RUN),
        (60, FIXED_BEFORE_THIRD_RUN),
        (7, []),
    ):
        at = now - timedelta(days=days_ago)
        drafts = evaluate(audit_facts(workspace=workspace, today=timezone.localdate(at)))
        run = services.audit_run_record(workspace=workspace, by=admin, ran_at=at, drafts=drafts + extra)
        if days_ago == 60:
            finding = run.findings.filter(rule="unused_paid_tool").first()
            if finding is not None:
                services.finding_resolve(
                    finding=finding, by=admin, note="Asked finance to cancel Brandwatch at renewal in March."
                )
