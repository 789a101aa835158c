"""The metrics charts in a real browser: at most six series, each with its own colour and dash, and a legend of
buttons (network icon and name) that hides and shows an account in the three charts, from the keyboard too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from strategy.tests.factories import snapshot

from .factories import TrackedProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Four Facebook accounts (the issue: every Facebook line was the same blue), nine accounts in all.
ACCOUNTS = [
    ("facebook", "fb_big", 9000),
    ("facebook", "fb_mid", 5000),
    ("facebook", "fb_small", 300),
    ("facebook", "fb_tiny", 100),
    ("instagram", "insta", 8000),
    ("x", "x_acct", 7000),
    ("linkedin", "li_acct", 6000),
    ("youtube", "yt_acct", 200),
    ("tiktok", "tt_acct", 150),
]


def test_nine_accounts_draw_as_five_and_other_accounts_with_a_keyboard_legend(
    page, browser_login, make_member, workspace
):
    today = timezone.localdate()
    for platform, handle, followers in ACCOUNTS:
        profile = TrackedProfileFactory(workspace=workspace, platform=platform, handle=handle)
        snapshot(profile, today - timedelta(days=10), followers - 50)
        snapshot(profile, today - timedelta(days=1), followers)
    member = make_member(Role.ANALYST)
    browser_login(member.user.email)
    page.goto("/metrics/")

    buttons = page.locator("#metrics-legend button")
    assert buttons.count() == 6
    names = buttons.all_inner_texts()
    # The five with the most followers one by one (in the table's order), then the rest grouped.
    assert sorted(n.strip() for n in names[:5]) == [
        "@fb_big (Facebook)",
        "@fb_mid (Facebook)",
        "@insta (Instagram)",
        "@li_acct (LinkedIn)",
        "@x_acct (X (Twitter))",
    ]
    assert names[5].strip() == "Other accounts (4)"
    for handle, icon in [
        ("fb_big", "facebook"),
        ("fb_mid", "facebook"),
        ("insta", "instagram"),
        ("x_acct", "twitter-x"),
    ]:
        assert buttons.filter(has_text=f"@{handle} ").locator(f"i.bi-{icon}").count() == 1
    assert "@fb_small" in buttons.nth(5).get_attribute("title")

    looks = page.evaluate(
        """Object.values(Chart.instances).map((chart) => chart.data.datasets.map(
             (d) => `${d.borderColor}|${JSON.stringify(d.borderDash || [])}`))"""
    )
    assert len(looks) == 3 and all(len(datasets) == 6 for datasets in looks)
    assert len(set(looks[0])) == 6  # six colours and dashes, the two Facebook accounts apart
    assert page.evaluate("document.querySelectorAll('#metrics-legend svg line').length") == 6

    first = buttons.nth(0)
    first.focus()
    page.keyboard.press("Space")
    assert first.get_attribute("aria-pressed") == "false"
    hidden = "Object.values(Chart.instances).map((chart) => chart.isDatasetVisible(0))"
    assert page.evaluate(hidden) == [False, False, False]
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-pressed") == "true"
    assert page.evaluate(hidden) == [True, True, True]
    # The sum of the grouped ones: 300 + 100 + 200 + 150 on the last day.
    assert page.evaluate("Chart.getChart('followers-chart').data.datasets[5].data.at(-1)") == 750
