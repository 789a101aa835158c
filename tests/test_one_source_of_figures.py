"""One account, one period, the same figures on every page that shows them (issue 17).

Today is 30 November 2026 in Paris, so "the last 30 days" (every page's default) is 1-30 November, the period of
November's monthly report too. The rows are chosen so that a page that counts its own way shows something else:
- followers: 990 on 31 October (outside the period), 1,000 on 1 November, 1,040 on the 15th, 1,100 on the 30th:
  1,100 at the end, +100 (31 days from 31 October would read +110);
- posts: 13, 7 and 22 interactions on 1,000 followers and one of 40 on 1,040 (November), one of 500 on
  31 October (outside): the rate is the mean over November's four posts, (1.3 + 0.7 + 2.2 + 3.846) / 4 % = 2.01 %,
  which neither the old 90-day window, a 31-day window nor a rounding to three places shows.
"""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from audits.tests.factories import SocialAccountFactory
from competitors import services as competitor_services
from reports.services import report_generate
from strategy import services as strategy_services
from strategy.models import Objective
from strategy.tests.factories import own_profile, post, snapshot
from tests.homes import as_shown, home_as_shown

pytestmark = pytest.mark.django_db
TODAY = "2026-11-30 11:00 +00:00"

EXPECTED = {"followers": "1100", "growth": "+100", "engagement-rate": "2.01"}


@pytest.fixture(autouse=True)
def on_the_30th():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def account(workspace, make_member):
    lead = make_member(Role.STRATEGY_LEAD).user
    profile = own_profile(workspace, "instagram", handle="acme")
    for day, followers in [(date(2026, 10, 31), 990), (date(2026, 11, 1), 1000), (date(2026, 11, 15), 1040)]:
        snapshot(profile, day, followers)
    snapshot(profile, date(2026, 11, 30), 1100)
    for day, likes in [(3, 13), (9, 7), (14, 22)]:
        post(profile, date(2026, 11, day), likes=likes, followers=1000, text=f"Post {day}")
    post(profile, date(2026, 11, 20), likes=40, followers=1040, text="Post 20")
    post(profile, date(2026, 10, 31), likes=500, followers=990, text="October post")
    SocialAccountFactory(workspace=workspace, platform="instagram", handle="acme", tracked_profile=profile)
    competitor_services.competitor_create(workspace=workspace, name="Rival", handles={"instagram": "rival"})
    for kpi in ("followers", "engagement_rate"):
        strategy_services.strategy_item_save(
            item=Objective(
                workspace=workspace,
                title=kpi,
                kpi=kpi,
                platform="instagram",
                baseline=0,
                target=5000,
                deadline=date(2027, 6, 30),
            ),
            by=lead,
        )
    return profile


def _number(text: str) -> str:
    """'1,100' -> '1100'; '+100' stays; '2.01 %' / '2.01%' -> '2.01'."""
    return re.sub(r"[,\s%]", "", re.sub(r"<[^>]+>", "", text))


def _figures(html: str, scope: str = "") -> dict:
    """The first cells marked data-figure="..." after `scope`'s element."""
    if scope:
        html = html[html.index(scope) :]
    found = {}
    for name, value in re.findall(r'data-figure="([\w-]+)"[^>]*>(.*?)</', html, flags=re.S):
        found.setdefault(name, _number(value))
    return found


def _page_figures(html: str, scope: str) -> dict:
    found = _figures(html, scope)
    return {name: found.get(name) for name in EXPECTED}


def _benchmark_brand_row(html: str) -> dict:
    table = html[html.index('data-testid="benchmark-table-all"') :]
    row = table[table.index('data-entity="brand"') : table.index("</tr>", table.index('data-entity="brand"'))]
    cells = [_number(cell) for cell in re.findall(r'<td class="text-end">(.*?)</td>', row, flags=re.S)]
    growth = re.match(r"[+-]?\d+", cells[1]).group(0)
    return {"followers": cells[0], "growth": growth, "engagement-rate": cells[3]}


def _report_headline(html: str) -> dict:
    headline = html[html.index('data-testid="headline"') :]
    values = [_number(v) for v in re.findall(r'<div class="h-value">(.*?)</div>', headline, flags=re.S)]
    return {"followers": values[0], "growth": values[1], "engagement-rate": values[2]}


def test_every_page_shows_the_same_followers_growth_and_engagement_rate(client_as, account, workspace):
    client = client_as(Role.ADMIN)
    shown = {}

    shown["audit inventory"] = _page_figures(
        client.get(reverse("audits:accounts")).content.decode(), 'data-testid="inventory"'
    )
    shown["team home"] = _page_figures(home_as_shown(client), 'data-testid="metrics-panel"')
    shown["metrics page (30 days)"] = _page_figures(
        client.get(reverse("metrics:dashboard"), {"days": 30}).content.decode(), 'data-testid="performance-table"'
    )
    shown["benchmark"] = _benchmark_brand_row(client.get(reverse("competitors:benchmark")).content.decode())
    strategy_html = client.get(reverse("strategy:home")).content.decode()
    strategy = _figures(strategy_html)
    shown["strategy KPIs"] = {
        "followers": strategy["kpi-followers"],
        "engagement-rate": strategy["kpi-engagement_rate"],
    }
    report = report_generate(workspace=workspace, month=date(2026, 11, 1))
    shown["monthly report"] = _report_headline(client.get(f"/reports/{report.slug}/").content.decode())

    for page, figures in shown.items():
        for name, value in figures.items():
            assert value == EXPECTED[name], f"{page} shows {name} {value}, not {EXPECTED[name]}"
    assert set(shown["benchmark"]) == set(shown["monthly report"]) == set(EXPECTED)


# Two accounts on one network: "acme" as above, and "acme.two", first counted inside the period (500 on the 10th,
# 520 on the 20th, nothing on the 30th: counted with its 520). The brand on Instagram: 1,100 + 520 = 1,620 at the
# end, 1,000 + 500 = 1,500 at the start (acme's count on the 1st, acme.two's first), +120.
TWO_ACCOUNTS = {"followers": "1620", "growth": "+120", "engagement-rate": "2.01"}


def _objectives(html: str) -> dict:
    found = _figures(html, 'data-figure="kpi-')
    return {"followers": found["kpi-followers"], "engagement-rate": found["kpi-engagement_rate"]}


def _shown_for_two_accounts(client, workspace) -> dict:
    shown = {
        "benchmark": _benchmark_brand_row(client.get(reverse("competitors:benchmark")).content.decode()),
        "strategy KPIs": _objectives(client.get(reverse("strategy:home")).content.decode()),
        "team home objectives": _objectives(home_as_shown(client)),
        "meeting objectives": _objectives(as_shown(client, reverse("calendar_app:meeting"))),
    }
    report = report_generate(workspace=workspace, month=date(2026, 11, 1))
    shown["monthly report"] = _report_headline(client.get(f"/reports/{report.slug}/").content.decode())
    return shown


def test_two_accounts_on_a_network_add_up_the_same_on_every_page_and_after_a_rebuild(client_as, account, workspace):
    from django.core.management import call_command

    from metrics import figures

    second = own_profile(workspace, "instagram", handle="acme.two")
    snapshot(second, date(2026, 11, 10), 500)
    snapshot(second, date(2026, 11, 20), 520)
    client = client_as(Role.ADMIN)
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    combined = figures.combine(
        figures.profile_figures(profiles=[account, second], start=start, end=end).values(), days=30
    )
    by_network = figures.network_figures(workspace=workspace, start=start, end=end)[("brand", "instagram")]
    assert (by_network.followers, by_network.followers_start, by_network.growth) == (1620, 1500, 120)
    assert (combined.followers, combined.followers_start, combined.growth) == (1620, 1500, 120)
    assert by_network.engagement_rate == pytest.approx(combined.engagement_rate)

    for rebuilt in (False, True):
        if rebuilt:
            call_command("rollup_rebuild", verbosity=0)
        for page, shown in _shown_for_two_accounts(client, workspace).items():
            for name, value in shown.items():
                assert value == TWO_ACCOUNTS[name], f"{page} shows {name} {value}, not {TWO_ACCOUNTS[name]}"
