from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.roles import Role
from calendar_app.models import CalendarFeed

from .factories import ContentItemFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _feed_url(client, kind):
    client.post(reverse("calendar_app:feed_create", args=[kind]))
    feed = CalendarFeed.objects.get(user=client.membership.user, kind=kind, revoked_at__isnull=True)
    return feed, reverse("calendar_app:ical_feed", args=[feed.token])


def test_the_publishing_feed_parses_back_with_times_in_utc(client_as, client, workspace, other_workspace):
    member = client_as(Role.COMMUNITY_MANAGER)
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0, second=0)
    publication = PublicationFactory(workspace=workspace, scheduled_at=when, copy="Spring is here")
    PublicationFactory(workspace=other_workspace, content_item__title="Not ours")
    _, url = _feed_url(member, "publishing")
    client.logout()  # calendar apps fetch without a session
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart").astimezone(UTC) == when.astimezone(UTC)
    assert str(events[0]["description"]) == "Spring is here"
    assert str(events[0]["uid"]).startswith(f"publication-{publication.pk}@")


def test_the_editorial_feed_has_all_day_events_on_due_dates(client_as, client, workspace):
    member = client_as(Role.ANALYST)
    item = ContentItemFactory(workspace=workspace, title="Care tips")
    _, url = _feed_url(member, "editorial")
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert [(e.decoded("dtstart"), str(e["summary"])) for e in events] == [(item.due_date, "[Drafting] Care tips")]


def test_a_revoked_address_answers_not_found(client_as, client, workspace):
    member = client_as(Role.ADMIN)
    feed, url = _feed_url(member, "editorial")
    member.post(reverse("calendar_app:feed_revoke", args=[feed.pk]))
    client.logout()
    assert client.get(url).status_code == 404


def test_asking_for_a_new_address_revokes_the_old_one(client_as):
    member = client_as(Role.ADMIN)
    _, first = _feed_url(member, "publishing")
    _, second = _feed_url(member, "publishing")
    assert first != second
    assert member.get(first).status_code == 404 and member.get(second).status_code == 200


def test_a_member_who_lost_access_no_longer_gets_the_feed(client_as, client):
    member = client_as(Role.ADMIN)
    _, url = _feed_url(member, "publishing")
    member.membership.role = Role.CONTRIBUTOR
    member.membership.save()
    assert client.get(url).status_code == 404


def test_an_unknown_token_answers_not_found(client):
    assert client.get(reverse("calendar_app:ical_feed", args=["nope"])).status_code == 404


@pytest.mark.parametrize("site", ["https://social.example.com", "https://social.example.com/"])
def test_events_link_to_the_sites_address(client_as, client, workspace, settings, site):
    settings.SITE_URL = site
    member = client_as(Role.CONTENT_LEAD)
    item = ContentItemFactory(workspace=workspace, title="Care tips")
    publication = PublicationFactory(workspace=workspace, scheduled_at=timezone.now() + timedelta(days=2))
    links = {}
    for kind in ("editorial", "publishing"):
        _, url = _feed_url(member, kind)
        links[kind] = {str(e["url"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")}
    base = "https://social.example.com"
    assert f"{base}{reverse('calendar_app:content_item_edit', args=[item.pk])}" in links["editorial"]
    assert links["publishing"] == {f"{base}{reverse('calendar_app:publication_detail', args=[publication.pk])}"}
    for link in links["editorial"] | links["publishing"]:
        assert member.get(link.removeprefix(base)).status_code == 200
