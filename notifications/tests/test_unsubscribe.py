"""The e-mails' unsubscribe link: no login, one click turns off e-mail of that kind only, the page offers the undo."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from notifications import services
from notifications.models import Notification
from notifications.selectors import preferences_of
from notifications.unsubscribe import token_for

from .helpers import tell

pytestmark = pytest.mark.django_db


def _link_in_mail(workspace, membership) -> str:
    tell(workspace, [membership], kind="comment")
    services.emails_send_immediate(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    (message,) = mail.outbox
    return message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")


def test_one_click_without_login_turns_off_that_kind_only(workspace, make_member):
    ann = make_member(Role.ADMIN)
    before = preferences_of(membership=ann)
    path = _link_in_mail(workspace, ann)
    response = Client().get(path)
    assert response.status_code == 200
    assert "no longer get e-mails about <strong>Comments</strong>" in response.content.decode()
    after = preferences_of(membership=ann)
    assert after["comment"] == "off"
    assert {k: v for k, v in after.items() if k != "comment"} == {k: v for k, v in before.items() if k != "comment"}
    tell(workspace, [ann], kind="comment", key="next")
    assert Notification.objects.get(dedupe_key="next").email == "off"


def test_the_undo_puts_the_choice_back(workspace, make_member):
    ann = make_member(Role.ADMIN)
    path = _link_in_mail(workspace, ann)
    services.preferences_set(membership=ann, choices={"comment": "digest"})  # chosen since that mail
    browser = Client(enforce_csrf_checks=False)
    page = browser.get(path).content.decode()
    assert 'data-testid="unsubscribe-undo"' in page
    undo = page.split('name="undo" value="')[1].split('"')[0]
    response = browser.post(path + "undo/", {"undo": undo})
    assert response.status_code == 200 and "back on" in response.content.decode()
    assert preferences_of(membership=ann)["comment"] == "digest"


def test_mail_clients_one_click_post_needs_no_csrf_token(workspace, make_member):
    ann = make_member(Role.ADMIN)
    path = _link_in_mail(workspace, ann)
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert preferences_of(membership=ann)["comment"] == "off"


def test_a_forged_or_altered_token_changes_nothing(workspace, make_member):
    ann = make_member(Role.ADMIN)
    token = token_for(membership_id=ann.pk, kinds=["comment"])
    assert Client().get(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    assert Client().get(reverse("notifications:unsubscribe", args=["garbage"])).status_code == 404
    assert preferences_of(membership=ann)["comment"] == "immediate"


def test_an_undo_signed_for_another_member_is_refused(workspace, make_member):
    ann, bob = make_member(Role.ADMIN), make_member(Role.ADMIN)
    browser = Client()
    ann_page = browser.get(
        reverse("notifications:unsubscribe", args=[token_for(membership_id=ann.pk, kinds=["comment"])])
    )
    undo = ann_page.content.decode().split('name="undo" value="')[1].split('"')[0]
    bob_token = token_for(membership_id=bob.pk, kinds=["comment"])
    services.unsubscribe(membership=bob, kinds=["comment"])
    response = browser.post(reverse("notifications:unsubscribe_undo", args=[bob_token]), {"undo": undo})
    assert response.status_code == 400
    assert preferences_of(membership=bob)["comment"] == "off"


def test_the_digests_link_stops_every_kind_in_it_and_turning_off_stops_what_waits(workspace, make_member):
    ann = make_member(Role.ADMIN)
    tell(workspace, [ann], kind="review_requested", key="a")
    tell(workspace, [ann], kind="idea_triaged", key="b")
    Client().get(
        reverse(
            "notifications:unsubscribe",
            args=[token_for(membership_id=ann.pk, kinds=["review_requested", "idea_triaged"])],
        )
    )
    prefs = preferences_of(membership=ann)
    assert prefs["review_requested"] == prefs["idea_triaged"] == "off" and prefs["approved"] == "digest"
    assert set(Notification.objects.values_list("email", flat=True)) == {"off"}


def test_someone_else_logged_in_who_opens_the_link_sees_their_own_bell_not_the_subscribers(
    client, workspace, make_member
):
    ann, bob = make_member(Role.ADMIN), make_member(Role.ADMIN)
    tell(workspace, [ann], key="a")
    tell(workspace, [ann], key="b")
    client.force_login(bob.user)
    page = client.get(reverse("notifications:unsubscribe", args=[token_for(membership_id=ann.pk, kinds=["comment"])]))
    html = page.content.decode()
    assert 'data-testid="bell-count">0<' in html and "Notifications, 2 unread" not in html
    assert ann.user.email in html  # the page is about the link's member
