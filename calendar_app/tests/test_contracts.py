"""What other apps read from the calendar: voice, frequency, relay list, report section."""

import json
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string

from calendar_app.frequency import target_posts_per_week, weeks_below_target
from calendar_app.models import FrequencyTarget, Publication
from calendar_app.relay import publications_to_relay
from calendar_app.reporting import report_section
from calendar_app.voice import copy_problems, words_to_avoid

from .factories import IdeaFactory, OwnProfileFactory, PublicationFactory, brand_voice_avoids

pytestmark = pytest.mark.django_db
S = Publication.Status


def test_words_to_avoid_are_matched_as_whole_words_whatever_the_case(workspace, other_workspace):
    brand_voice_avoids(workspace, "cheap")
    brand_voice_avoids(other_workspace, "spring")
    assert words_to_avoid(workspace=workspace) == ["cheap"]
    assert copy_problems(workspace=workspace, platform="facebook", copy="CHEAP prices!") == [
        "Words the brand avoids: cheap."
    ]
    assert copy_problems(workspace=workspace, platform="facebook", copy="Cheapest spring deals") == []


def test_weeks_below_target_count_planned_posts_per_network_and_week(workspace):
    FrequencyTarget.objects.create(workspace=workspace, platform="x", posts_per_week=2)
    x = OwnProfileFactory(workspace=workspace, platform="x")
    # Week of 30 Nov 2026: two posts (met). Week of 7 Dec: one post (below). A draft does not count.
    for day in (datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 12, 2, 9, tzinfo=UTC)):
        PublicationFactory(workspace=workspace, profile=x, status=S.SCHEDULED, scheduled_at=day)
    PublicationFactory(
        workspace=workspace, profile=x, status=S.SCHEDULED, scheduled_at=datetime(2026, 12, 8, 9, tzinfo=UTC)
    )
    PublicationFactory(
        workspace=workspace, profile=x, status=S.DRAFT, scheduled_at=datetime(2026, 12, 9, 9, tzinfo=UTC)
    )
    assert target_posts_per_week(workspace=workspace) == {"x": 2}
    short = weeks_below_target(workspace=workspace, start=date(2026, 12, 1), weeks=2)
    assert [(w["week"], w["networks"][0]["planned"]) for w in short] == [(date(2026, 12, 7), 1)]


def test_the_relay_list_holds_the_months_published_and_scheduled_posts(workspace, other_workspace):
    PublicationFactory(
        workspace=workspace,
        status=S.PUBLISHED,
        permalink="https://x.com/p/1",
        scheduled_at=datetime(2026, 12, 3, 9, tzinfo=UTC),
        content_item__title="Ours",
    )
    PublicationFactory(workspace=workspace, status=S.DRAFT, scheduled_at=datetime(2026, 12, 4, 9, tzinfo=UTC))
    PublicationFactory(workspace=other_workspace, status=S.PUBLISHED, scheduled_at=datetime(2026, 12, 3, 9, tzinfo=UTC))
    items = publications_to_relay(workspace=workspace, month_start=date(2026, 12, 1))
    assert [(i["title"], i["network"], i["permalink"]) for i in items] == [("Ours", "x", "https://x.com/p/1")]
    assert set(items[0]) == {"network", "network_label", "scheduled_at", "title", "copy", "permalink"}
    html = render_to_string("calendar_app/_relay_list.html", {"relay_items": items})
    assert "Ours" in html and "https://x.com/p/1" in html


def test_the_report_section_is_plain_json_with_published_against_planned(workspace):
    IdeaFactory(workspace=workspace)
    when = datetime(2026, 12, 3, 9, tzinfo=UTC)
    PublicationFactory(workspace=workspace, status=S.PUBLISHED, scheduled_at=when)
    PublicationFactory(workspace=workspace, status=S.SCHEDULED, scheduled_at=when)
    section = report_section(workspace=workspace, period_start=date(2026, 12, 1), period_end=date(2026, 12, 31))
    assert json.loads(json.dumps(section)) == section
    assert (section["planned"], section["published"]) == (2, 1)
    html = render_to_string("calendar_app/_report_section.html", {"section": section})
    assert "1</strong> of 2 planned" in html


def test_a_quiet_month_has_no_report_section(workspace):
    assert report_section(workspace=workspace, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31)) is None


def test_x_counts_every_link_as_23_characters_and_the_others_count_it_whole():
    from calendar_app.voice import copy_length, length_problem

    link = "https://shop.example.com/spring-collection-2027?utm_source=x"
    text = f"Spring is here {link} and {link}"
    assert copy_length("x", text) == len("Spring is here  and ") + 2 * 23
    assert copy_length("instagram", text) == len(text)
    assert length_problem("x", "a" * 256 + " " + link) is None  # 256 + 1 + 23 = 280: it fits
    assert length_problem("x", "a" * 257 + " " + link) == "281 characters: X (Twitter) allows 280."
