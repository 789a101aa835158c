"""Every figure and date of a report reads the same in the page, the e-mail (both parts) and the PDF's HTML:
counts with separators, rates with two decimals, days as "3 Oct 2026"; no raw 479645 and no ISO date."""

import re
from datetime import date

import pytest
from django.template.loader import render_to_string

from accounts.roles import Role
from reports.message import email_parts
from reports.models import MonthlyReport
from reports.sections import section_templates

KNOWN = {
    "period": {"start": "2026-10-01", "end": "2026-10-31", "label": "October 2026"},
    "workspace": "Acme",
    "generated_at": "2026-11-01T06:00:00+00:00",
    "headline": {
        "followers": 479645,
        "growth": 4104,
        "growth_pct": 0.862,
        "posts": 1234,
        "posts_per_week": 278.66,
        "engagement_rate_pct": 1.23456,
    },
    "kpis": [
        {
            "title": "Instagram reach",
            "kind": "business",
            "kpi": "Followers · Instagram",
            "baseline": 250000.0,
            "target": 500000.0,
            "deadline": "2027-06-30",
            "value": 479645,
            "previous_value": 475541,
            "trend": "up",
            "improving": True,
            "progress_pct": 91.858,
        },
        {
            "title": "Engaging posts",
            "kind": "brand",
            "kpi": "Engagement rate (%) · all networks",
            "baseline": 1.0,
            "target": 2.5,
            "deadline": "2027-03-31",
            "value": 1.23456,
            "previous_value": None,
            "trend": None,
            "improving": None,
            "progress_pct": 15.6,
        },
    ],
    "networks": [
        {
            "platform": "instagram",
            "label": "Instagram",
            "colour": "#d62976",
            "followers": 379645,
            "growth": -2345,
            "growth_pct": -0.61,
            "posts": 1001,
            "posts_per_week": 226.04,
            "target_posts_per_week": 5,
            "engagement_rate_pct": 2.34567,
        }
    ],
    "followers_series": {
        "labels": ["2026-10-01"],
        "datasets": [{"label": "Instagram", "colour": "#d62976", "data": [1]}],
    },
    "top_posts": [
        {
            "network": "Instagram",
            "colour": "#d62976",
            "published_at": "2026-10-03T09:05:00+00:00",
            "text": "Best post",
            "permalink": "",
            "interactions": 123456,
            "engagement_rate_pct": 5.4321,
        }
    ],
    "sections": {
        "competitors": {
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "share_of_posts_pct": 41.7,
            "share_of_interactions_pct": 38.25,
            "rows": [
                {
                    "name": "Rival",
                    "is_brand": False,
                    "missing": "",
                    "followers": 987654,
                    "growth_pct": 3.456,
                    "posts": 77,
                    "posts_per_week": 17.97,
                    "engagement_rate_pct": 0.812,
                    "interactions_per_post": 65432.1,
                    "share_of_posts_pct": 58.3,
                    "share_of_interactions_pct": 61.75,
                }
            ],
            "competitor_average": {
                "label": "Competitors' average",
                "posts_per_week": 17.97,
                "engagement_rate_pct": 0.812,
                "interactions_per_post": 65432.1,
                "growth_pct": 3.456,
            },
            "landscape_average": {
                "label": "Everyone's average",
                "posts_per_week": 12.5,
                "engagement_rate_pct": 0.7,
                "interactions_per_post": 43210.0,
                "growth_pct": None,
            },
            "networks": [],
            "best_posts": [
                {
                    "competitor": "Rival",
                    "network": "Instagram",
                    "published_on": "2026-10-17",
                    "text": "Their post",
                    "engagement_rate_pct": 9.87654,
                    "interactions": 234567,
                    "permalink": "",
                }
            ],
        },
        "audits": {
            "run_at": "2026-10-20T08:00:00+00:00",
            "run_date": "2026-10-20",
            "score": 72,
            "open_total": 1234,
            "by_severity": [
                {"severity": "high", "label": "High", "count": 1200},
                {"severity": "low", "label": "Low", "count": 34},
            ],
            "top_findings": [],
        },
        "calendar_app": {
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "ideas_received": 4321,
            "ideas_accepted": 1200,
            "networks": [
                {"network": "instagram", "label": "Instagram", "planned": 2345, "published": 2000, "failed": 12}
            ],
            "planned": 2345,
            "published": 2000,
        },
    },
}

FORMATTED = ["479,645", "+4,104", "1.23 %", "1,234"]  # in every rendering: the headline
FORMATTED_PAGE = [
    *FORMATTED,
    "(+0.9 %)",
    "278.7",
    "Business objective",
    "Brand objective",
    "500,000",
    "475,541",
    "2.50",
    "92 %",
    "379,645",
    "-2,345",
    "(-0.6 %)",
    "2.35 %",
    "226.0",
    "123,456",
    "5.43 %",
    "3 Oct 2026",
    # the other apps' sections, the report's lower half
    "1 Oct 2026",
    "31 Oct 2026",
    "41.70 %",
    "38.25 %",
    "987,654",
    "+3.5 %",
    "0.81 %",
    "65,432",
    "61.75 %",
    "17 Oct 2026",
    "9.88 %",
    "234,567",
    "20 Oct 2026",
    "1,200",
    "4,321",
    "2,345",
    "2,000",
]
RAW = [
    "479645",
    "4104",
    "1.23456",
    "379645",
    "123456",
    "987654",
    "65432.1",
    "234567",
    "2345",
    "4321",
    "91.858",
    "278.66",
]
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _text(html: str) -> str:
    """What a reader sees: the text without the tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _assert_readable(text: str, expected: list[str]) -> None:
    missing = [figure for figure in expected if figure not in text]
    assert not missing, f"not in the rendering: {missing}"
    raw = [figure for figure in RAW if re.search(rf"(?<![\d,.]){re.escape(figure)}(?![\d,])", text)]
    assert not raw, f"raw figures: {raw}"
    assert not ISO_DATE.findall(text), "ISO dates"


@pytest.fixture
def report(workspace):
    return MonthlyReport.objects.create(workspace=workspace, month=date(2026, 10, 1), data=KNOWN, highlights="Good.")


@pytest.mark.django_db
def test_the_report_page_formats_every_figure_and_date(client_as, report):
    page = client_as(Role.EXECUTIVE).get(f"/reports/{report.slug}/").content.decode()
    body = page.split('<div class="report">', 1)[1].split('<script id="followers-data"', 1)[0]
    _assert_readable(_text(body), FORMATTED_PAGE)


@pytest.mark.django_db
def test_the_pdf_source_formats_every_figure_and_date(report):
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "data": report.data, "sections": section_templates(report.data), "for_pdf": True},
    )
    _assert_readable(_text(html.split("</style>", 1)[1]), FORMATTED_PAGE)


@pytest.mark.django_db
def test_the_e_mail_formats_its_figures_in_both_parts(report):
    parts = email_parts(report)
    expected = [*FORMATTED, "479,645 / 500,000", "1.23 / 2.50", "92 %"]
    _assert_readable(_text(parts["html"]), expected)
    _assert_readable(parts["text"], [*FORMATTED, "479,645 (target 500,000, 92 % of the way)", "1.23 (target 2.50"])
