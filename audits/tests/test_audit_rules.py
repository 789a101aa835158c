"""Each rule, firing and not firing, through the same facts a real run reads."""

from datetime import date, timedelta

import pytest

from audits.models import AccessGrant, Process, SocialAccount
from audits.rules import RULES
from audits.selectors import audit_facts
from audits.services import process_save, tool_save

from .factories import AccessGrantFactory, SocialAccountFactory

TODAY = date(2026, 11, 23)


def findings(workspace, rule):
    return list(RULES[rule](audit_facts(workspace=workspace, today=TODAY)))


@pytest.fixture
def owner(make_member):
    return make_member().user


def test_an_account_silent_longer_than_the_threshold_is_dormant(workspace, owner):
    SocialAccountFactory(workspace=workspace, owner=owner, last_post_on=TODAY - timedelta(days=31))
    assert len(findings(workspace, "dormant_account")) == 1


def test_an_account_that_posted_within_the_threshold_is_not_dormant(workspace, owner):
    SocialAccountFactory(workspace=workspace, owner=owner, last_post_on=TODAY - timedelta(days=30))
    SocialAccountFactory(workspace=workspace, status=SocialAccount.Status.CLOSED, last_post_on=date(2015, 1, 1))
    assert findings(workspace, "dormant_account") == []


def test_the_dormant_threshold_is_a_workspace_setting(workspace, owner):
    from audits.services import audit_settings_save

    SocialAccountFactory(workspace=workspace, owner=owner, last_post_on=TODAY - timedelta(days=20))
    assert findings(workspace, "dormant_account") == []
    audit_settings_save(workspace=workspace, dormant_after_days=14, review_after_days=90, max_admins_per_account=2)
    assert len(findings(workspace, "dormant_account")) == 1


def test_the_dormant_rule_prefers_the_last_post_the_metrics_know(workspace, owner):
    from datetime import UTC, datetime

    from metrics.models import Post, TrackedProfile
    from metrics.rollup import rollup_profile

    profile = TrackedProfile.objects.create(workspace=workspace, platform="instagram", handle="acme")
    Post.objects.create(profile=profile, external_id="1", published_at=datetime(2026, 11, 20, tzinfo=UTC))
    rollup_profile(profile)
    SocialAccountFactory(
        workspace=workspace, owner=owner, handle="acme", tracked_profile=profile, last_post_on=date(2020, 1, 1)
    )
    assert findings(workspace, "dormant_account") == []


def test_an_open_account_without_owner_is_reported_and_one_with_an_owner_is_not(workspace, owner):
    lonely = SocialAccountFactory(workspace=workspace, owner=None)
    SocialAccountFactory(workspace=workspace, owner=owner)
    SocialAccountFactory(workspace=workspace, owner=None, status=SocialAccount.Status.CLOSED)
    assert [f.key for f in findings(workspace, "account_without_owner")] == [f"account_without_owner:{lonely.pk}"]


def test_an_admin_who_left_the_company_is_a_critical_finding(workspace):
    grant = AccessGrantFactory(account__workspace=workspace, level=AccessGrant.Level.ADMIN, still_with_company=False)
    AccessGrantFactory(account=grant.account, still_with_company=True)
    [finding] = findings(workspace, "access_after_leaving")
    assert finding.severity == "critical" and grant.person_name in finding.title


def test_access_unreviewed_for_more_than_90_days_is_reported(workspace):
    stale = AccessGrantFactory(account__workspace=workspace, last_reviewed_on=TODAY - timedelta(days=91))
    AccessGrantFactory(account=stale.account, last_reviewed_on=TODAY - timedelta(days=90))
    assert [f.key for f in findings(workspace, "access_not_reviewed")] == [f"access_not_reviewed:{stale.pk}"]


def test_access_never_reviewed_nor_dated_is_reported(workspace):
    AccessGrantFactory(account__workspace=workspace, granted_on=None, last_reviewed_on=None)
    assert len(findings(workspace, "access_not_reviewed")) == 1


def test_more_admins_than_the_setting_allows_is_reported(workspace):
    account = SocialAccountFactory(workspace=workspace)
    for level in ("owner", "admin"):
        AccessGrantFactory(account=account, level=level)
    assert findings(workspace, "too_many_admins") == []
    AccessGrantFactory(account=account, level="admin")
    assert len(findings(workspace, "too_many_admins")) == 1


def test_two_step_verification_off_is_reported_only_where_it_is_off(workspace):
    off = AccessGrantFactory(account__workspace=workspace, two_factor=False, level="admin")
    AccessGrantFactory(account=off.account, two_factor=True)
    [finding] = findings(workspace, "two_factor_off")
    assert finding.key == f"two_factor_off:{off.pk}" and finding.severity == "high"


def test_two_accounts_on_one_platform_for_one_audience_are_reported(workspace):
    SocialAccountFactory(workspace=workspace, platform="instagram", audience="Customers in France")
    SocialAccountFactory(workspace=workspace, platform="facebook", handle="acmefr", audience="Customers in France")
    assert findings(workspace, "same_audience_twice") == []
    SocialAccountFactory(workspace=workspace, platform="instagram", audience="customers in france ")
    assert len(findings(workspace, "same_audience_twice")) == 1


def test_missing_publish_and_crisis_processes_are_reported_until_documented(workspace):
    assert {f.key for f in findings(workspace, "process_not_documented")} == {
        "process_not_documented:publish",
        "process_not_documented:crisis",
    }
    process_save(workspace=workspace, kind=Process.Kind.CRISIS, documented=False)
    process_save(workspace=workspace, kind=Process.Kind.PUBLISH, documented=True)
    assert [f.key for f in findings(workspace, "process_not_documented")] == ["process_not_documented:crisis"]


def test_a_paid_tool_nobody_uses_is_reported_but_a_used_or_free_one_is_not(workspace, owner):
    unused = tool_save(workspace=workspace, name="Brandwatch", purpose="listening", monthly_cost=450)
    tool_save(workspace=workspace, name="Hootsuite", purpose="publishing", monthly_cost=99, users=[owner])
    tool_save(workspace=workspace, name="Buffer", purpose="publishing", monthly_cost=0)
    assert [f.key for f in findings(workspace, "unused_paid_tool")] == [f"unused_paid_tool:{unused.pk}"]


def test_rules_never_read_another_workspace(workspace, other_workspace):
    AccessGrantFactory(account__workspace=other_workspace, two_factor=False, still_with_company=False)
    SocialAccountFactory(workspace=other_workspace, owner=None, last_post_on=date(2010, 1, 1))
    facts = audit_facts(workspace=workspace, today=TODAY)
    assert [d for rule in RULES.values() for d in rule(facts) if not d.key.startswith("process_")] == []
