"""The member's pages: only their own notifications in the current workspace, opening one marks it read, the bell's
count, mark all read, the e-mail choices."""

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from accounts.roles import Role
from notifications.models import Notification, Preference
from notifications.selectors import PAGE_SIZE

from .helpers import of, tell

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_members_own_notifications_newest_first(client_as, workspace, make_member):
    client = client_as(Role.CONTRIBUTOR)
    me, someone = client.membership, make_member(Role.ADMIN)
    tell(workspace, [me], key="1", title="Older news")
    tell(workspace, [me], key="2", title="Newer news")
    tell(workspace, [someone], key="3", title="Someone else's news")
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Newer news") < page.index("Older news")
    assert "Someone else" not in page
    assert "2 unread" in page


def test_the_list_shows_the_current_workspace_only(client, workspace, other_workspace, make_member):
    here = make_member(Role.ADMIN)
    there = make_member(Role.ADMIN, ws=other_workspace, email=here.user.email)
    tell(workspace, [here], title="News of Acme")
    tell(other_workspace, [there], title="News of the other brand")
    client.force_login(here.user)
    session = client.session
    session[SESSION_KEY] = other_workspace.pk
    session.save()
    page = client.get(reverse("notifications:list")).content.decode()
    assert "News of the other brand" in page and "News of Acme" not in page


def test_the_list_is_paged(client_as, workspace):
    client = client_as(Role.ADMIN)
    for n in range(PAGE_SIZE + 2):
        tell(workspace, [client.membership], key=f"k{n}", title=f"Item number {n:03d}")
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert f"Item number {PAGE_SIZE + 1:03d}" in first and "Item number 000" not in first
    assert "Item number 000" in second and "Item number 001" in second
    assert client.get(reverse("notifications:list"), {"page": "x"}).status_code == 200


def test_opening_one_marks_it_read_and_goes_to_its_object(client_as, workspace):
    client = client_as(Role.ADMIN)
    tell(workspace, [client.membership], link="/ideas/12/")
    notification = Notification.objects.get()
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/ideas/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_to_another_site_stays_on_the_list(client_as, workspace):
    client = client_as(Role.ADMIN)
    tell(workspace, [client.membership], link="https://evil.example/")
    response = client.post(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("notifications:list")


def test_another_members_notification_cannot_be_opened(client_as, workspace, make_member):
    client = client_as(Role.ADMIN)
    tell(workspace, [make_member(Role.ADMIN)])
    notification = Notification.objects.get()
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405


def test_mark_all_read_and_the_bell_count(client_as, workspace, make_member):
    client = client_as(Role.ADMIN)
    other = make_member(Role.ADMIN)
    for key in ("a", "b", "c"):
        tell(workspace, [client.membership, other], key=key)
    home = client.get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="bell-count">3<' in home and "Notifications, 3 unread" in home
    assert client.get(reverse("notifications:unread_count")).json() == {"unread": 3}
    client.post(reverse("notifications:read_all"))
    assert client.get(reverse("notifications:unread_count")).json() == {"unread": 0}
    assert all(n.read_at for n in of(client.membership))
    assert not any(n.read_at for n in of(other))


def test_the_bell_costs_one_query(client_as, workspace, django_assert_num_queries):
    from django.template import Context, Template

    client = client_as(Role.ADMIN)
    tell(workspace, [client.membership])
    template = Template("{% load notifications_tags %}{% notification_bell %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"membership": client.membership}))
    assert ">1<" in html


def test_login_is_required(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_preferences_form_saves_the_members_choices(client_as, workspace):
    client = client_as(Role.CONTRIBUTOR)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Publishing problems" in page and "Daily digest" in page
    data = {"comment": "off", "review_requested": "immediate"}
    from notifications.kinds import KINDS

    form = {name: kind.email for name, kind in KINDS.items()} | data
    response = client.post(reverse("notifications:preferences"), form)
    assert response.status_code == 302
    saved = dict(Preference.objects.filter(membership=client.membership).values_list("kind", "email"))
    assert saved["comment"] == "off" and saved["review_requested"] == "immediate"
    bad = client.post(reverse("notifications:preferences"), form | {"comment": "hourly"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
