"""Publications from a CSV file (calendar_app/csv_import.py): all the rows as drafts, or none and each problem named."""

import time as clock
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import ContentItem, Publication

from .factories import ContentItemFactory, OwnProfileFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
HEADER = "scheduled_at,platform,handle,content,copy,media\n"


def _upload(client, text: str, name="posts.csv"):
    return client.post(
        reverse("calendar_app:publications_import"), {"file": SimpleUploadedFile(name, text.encode())}, follow=True
    )


@pytest.fixture
def accounts(workspace):
    return (
        OwnProfileFactory(workspace=workspace, platform="instagram", handle="acme"),
        OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news"),
    )


def test_a_file_of_posts_lands_as_drafts_with_their_content_items(client_as, workspace, accounts):
    client = client_as(Role.COMMUNITY_MANAGER)
    existing = ContentItemFactory(workspace=workspace, title="Spring launch")
    text = HEADER + (
        "2026-12-10 09:30,Instagram,@acme,spring launch,Spring is here.,https://cdn.example.com/a.jpg https://cdn.example.com/b.jpg\n"
        "2026-12-11 18:00,x,acme_news,Hiring week,We are hiring.,\n"
        ",x,acme_news,Hiring week,Later.,\n"
    )
    response = _upload(client, text)
    assert response.redirect_chain[-1][0] == f"{reverse('calendar_app:publishing')}?status=draft"
    assert [str(m) for m in response.context["messages"]] == [
        "Imported 3 drafts, and 1 new content item: send them for review from the list."
    ]
    first, second, third = Publication.objects.order_by("pk")
    assert (first.content_item, first.profile, first.status) == (existing, accounts[0], "draft")
    assert first.scheduled_at == datetime(2026, 12, 10, 9, 30, tzinfo=PARIS)
    assert first.media_urls == ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"]
    hiring = ContentItem.objects.get(title="Hiring week")
    assert second.content_item == third.content_item == hiring and hiring.due_date.isoformat() == "2026-12-11"
    assert third.scheduled_at is None and first.owner == client.membership.user
    assert list(first.events.values_list("action", "comment")) == [("created", "Imported from a CSV file.")]


def test_one_wrong_row_imports_nothing_and_every_problem_is_named_by_line_and_column(
    client_as, workspace, other_workspace, accounts
):
    client = client_as(Role.COMMUNITY_MANAGER)
    OwnProfileFactory(workspace=other_workspace, platform="x", handle="theirs")
    text = HEADER + (
        "2026-12-10 09:30,instagram,acme,Good,Fine.,\n"
        "2026-12-10 09:30,myspace,acme,Bad network,Text,\n"
        "2026-12-10 09:30,x,theirs,Their account,Text,\n"
        f"2026-12-10 09:30,x,acme_news,Too long,{'a' * 281},\n"
        "10/12/2026 9h,x,acme_news,Bad time,Text,\n"
        "2026-03-29 02:30,x,acme_news,Summer time,Text,\n"
        "2026-12-10 09:30,x,acme_news,Bad media,Text,ftp://files.example.com/a.jpg\n"
        "2026-12-10 09:30,x,acme_news,,Text,\n"
    )
    response = _upload(client, text)
    assert response.status_code == 400 and not Publication.objects.exists() and not ContentItem.objects.exists()
    page = response.content.decode()
    assert "Nothing was imported." in page and "7 errors" in page
    for expected in (
        "Line 3, platform: Network “myspace” is unknown",
        "Line 4, handle: @theirs is not one of the brand&#x27;s active accounts on X (Twitter).",
        "Line 5, copy: 281 characters: X (Twitter) allows 280.",
        "Line 6, scheduled_at: “10/12/2026 9h” is not a time: write it as YYYY-MM-DD HH:MM.",
        "Line 7, scheduled_at: 2026-03-29 02:30 happens twice or never in Europe/Paris",
        "Line 8, media: “ftp://files.example.com/a.jpg” is not an https address.",
        "Line 9, content: Name the content item",
    ):
        assert expected in page, expected


def test_a_file_that_is_not_csv_or_lacks_columns_is_refused_with_what_to_do(client_as, accounts):
    client = client_as(Role.COMMUNITY_MANAGER)
    workbook = _upload(client, "PK\x03\x04binary", name="posts.xlsx").content.decode()
    assert "an Excel workbook or another zip file, not CSV text" in workbook
    missing = _upload(client, "platform,handle\ninstagram,acme\n").content.decode()
    assert "missing: content, copy" in missing
    assert "It has no rows under its first line." in _upload(client, HEADER).content.decode()


def test_a_thousand_rows_import_in_a_few_queries_and_seconds(
    client_as, workspace, accounts, django_assert_max_num_queries
):
    client = client_as(Role.COMMUNITY_MANAGER)
    text = HEADER + "".join(
        f"2026-12-{1 + i % 28:02d} 09:{i % 60:02d},instagram,acme,Item {i % 40},Post {i}.,\n" for i in range(1000)
    )
    started = clock.perf_counter()
    with django_assert_max_num_queries(40):
        _upload(client, text)
    assert clock.perf_counter() - started < 5
    assert Publication.objects.count() == 1000 and ContentItem.objects.count() == 40
    too_many = _upload(client, HEADER + "2026-12-10 09:30,instagram,acme,Item,Post.,\n" * 1001).content.decode()
    assert "It has more than 1,000 rows" in too_many and Publication.objects.count() == 1000


def test_an_analyst_may_not_import(client_as, accounts):
    client = client_as(Role.ANALYST)
    assert client.get(reverse("calendar_app:publications_import")).status_code == 403


def test_the_template_has_the_columns_the_import_reads(client_as):
    from calendar_app.csv_import import COLUMNS

    client = client_as(Role.COMMUNITY_MANAGER)
    body = client.get(reverse("calendar_app:publications_import_template")).content.decode()
    assert body.splitlines()[0] == ",".join(COLUMNS)
