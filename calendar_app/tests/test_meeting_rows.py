"""The weekly meeting's rows written in one pass (calendar_tags.meeting_*_rows) print what the template's loop
printed: every stored text escaped, the reason cut as `truncatechars:140` cuts it, "not scheduled", "nobody yet",
the overdue badge only before the week's Monday."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from calendar_app.templatetags.calendar_tags import (
    meeting_day_rows,
    meeting_follow_up_rows,
    meeting_gone_wrong_rows,
    meeting_week_days,
)

ROW = {
    "pk": 7,
    "url": "/calendar/publishing/7/",
    "title": 'Launch <b>"now"</b> & later',
    "status": "failed",
    "colour": "#1d9bf0",
    "platform_label": "X (Twitter)",
    "account": "@acme<x>",
    "scheduled_at": datetime(2026, 12, 1, 9, 5, tzinfo=ZoneInfo("UTC")),
    "failure_reason": "The network said <no>: " + "very long " * 30,
}


def test_a_day_row_escapes_the_title_and_prints_the_local_time_network_and_badge():
    with timezone.override("Europe/Paris"):
        html = meeting_day_rows([ROW])
    assert "&lt;b&gt;&quot;now&quot;&lt;/b&gt; &amp; later" in html and "<b>" not in html
    assert ">10:05<" in html and "X (Twitter)" in html and 'href="/calendar/publishing/7/"' in html
    assert 'data-testid="publication-status"' in html and 'data-testid="meeting-publication"' in html


def test_a_gone_wrong_row_cuts_the_reason_as_truncatechars_and_says_when_it_was_not_scheduled():
    with timezone.override("UTC"):
        html = meeting_gone_wrong_rows([ROW, ROW | {"scheduled_at": None, "failure_reason": ""}])
    cut = Template("{{ reason|truncatechars:140 }}").render(Context({"reason": ROW["failure_reason"]}))
    assert f"Tue 1 Dec, 09:05 · {cut}</div>" in html
    assert "@acme&lt;x&gt; · not scheduled</div>" in html  # no reason: nothing after the time
    assert html.count('data-testid="meeting-gone-wrong-item"') == 2


def test_a_follow_up_row_marks_only_what_was_due_before_monday_and_names_nobody_without_an_owner():
    monday = date(2026, 11, 30)
    rows = [
        {"contact_url": "/stakeholders/3/", "description": "Send <deck>", "due_on": date(2026, 11, 27), "owner": "",
         "contact_name": "Sophie & co"},
        {"contact_url": "/stakeholders/4/", "description": "Call", "due_on": monday, "owner": "Ana",
         "contact_name": "Jo"},
    ]  # fmt: skip
    first, second = meeting_follow_up_rows(rows, monday).split("</li>")[:2]
    assert 'Send &lt;deck&gt;</a> <span class="badge text-bg-danger">Overdue</span>' in first
    assert "Due Fri 27 Nov · nobody yet · with Sophie &amp; co" in first
    assert "Overdue" not in second and "Due Mon 30 Nov · Ana · with Jo" in second


def test_a_gone_wrong_reason_of_any_length_reads_as_truncatechars():
    reasons = ["Short.", "x" * 140, "y" * 141, "e\u0301" * 139 + "!", "Cafe\u0301 " * 40]
    with timezone.override("UTC"):
        for reason in reasons:
            html = meeting_gone_wrong_rows([ROW | {"failure_reason": reason}])
            cut = Template("{{ reason|truncatechars:140 }}").render(Context({"reason": reason}))
            assert f" · {cut}</div>" in html, reason


def test_the_week_days_print_each_day_its_rows_the_rest_linked_or_nothing_scheduled():
    days = [
        {"day": date(2026, 12, 9), "publications": [ROW], "more": 3, "calendar_url": "/calendar/publishing/?date=<9>"},
        {"day": date(2026, 12, 10), "publications": [ROW], "more": 0, "calendar_url": "/calendar/publishing/?x"},
        {"day": date(2026, 12, 11), "publications": [], "more": 0, "calendar_url": "/calendar/publishing/?y"},
    ]
    with timezone.override("Europe/Paris"):
        busy, quiet, empty = meeting_week_days(days).split('<li class="list-group-item" data-testid="meeting-day">')[1:]
        assert meeting_day_rows([ROW]) in busy and meeting_day_rows([ROW]) in quiet
    assert '<div class="fw-semibold">Wednesday 9 December</div><ul class="list-unstyled mb-0 mt-1">' in busy
    assert (
        'href="/calendar/publishing/?date=&lt;9&gt;" data-testid="meeting-day-more">3 more on Wed 9 Dec in the' in busy
    )
    assert '<span class="small d-none d-print-inline">And 3 more.</span>' in busy
    assert "meeting-day-more" not in quiet and "And " not in quiet and "Nothing scheduled." not in quiet
    assert empty == (
        '<div class="fw-semibold">Friday 11 December</div>'
        '<div class="small text-body-secondary">Nothing scheduled.</div></li>'
    )
