"""notify(): one row per recipient membership, once per event, in the caller's transaction, never across workspaces."""

import pytest
from django.db import transaction

from accounts.roles import Role
from notifications.kinds import UnknownKind
from notifications.models import Notification
from notifications.services import notify
from outbox.models import QueuedAction

from .helpers import of, tell

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_one_notification_and_the_same_event_again_adds_nothing(workspace, make_member):
    ann, bob = make_member(Role.ADMIN), make_member(Role.CONTENT_LEAD)
    assert tell(workspace, [ann.user, bob]) == 2  # users or memberships
    tell(workspace, [ann.user, bob.user])
    assert [n.title for n in of(ann)] == ["Something happened"] and len(of(bob)) == 1
    assert Notification.objects.get(recipient=ann).workspace == workspace


def test_another_event_is_another_notification(workspace, make_member):
    ann = make_member(Role.ADMIN)
    tell(workspace, [ann], key="event:1")
    tell(workspace, [ann], key="event:2")
    assert len(of(ann)) == 2


def test_the_actor_is_not_told_of_their_own_action(workspace, make_member):
    ann, bob = make_member(Role.ADMIN), make_member(Role.ADMIN)
    tell(workspace, [ann, bob], actor=ann.user)
    assert of(ann) == [] and len(of(bob)) == 1


def test_a_member_of_another_workspace_only_is_never_told(workspace, other_workspace, make_member):
    outsider = make_member(Role.ADMIN, ws=other_workspace)
    assert tell(workspace, [outsider.user]) == 0
    assert Notification.objects.count() == 0


def test_a_person_in_two_workspaces_is_told_in_the_workspace_of_the_event_only(workspace, other_workspace, make_member):
    here = make_member(Role.ADMIN)
    there = make_member(Role.ADMIN, ws=other_workspace, email=here.user.email)
    tell(workspace, [here.user])
    assert len(of(here)) == 1 and of(there) == []


def test_the_rows_and_the_queued_email_vanish_with_the_callers_transaction(workspace, make_member):
    ann = make_member(Role.ADMIN)
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(workspace, [ann], kind="publication_failed")  # e-mailed at once by default
        assert Notification.objects.count() == 1 and QueuedAction.objects.count() == 1
        raise RuntimeError("the service failed after notifying")
    assert Notification.objects.count() == 0 and QueuedAction.objects.count() == 0


def test_an_unknown_kind_fails_in_the_service_that_names_it(workspace, make_member):
    with pytest.raises(UnknownKind):
        notify(workspace=workspace, kind="no_such_kind", recipients=[make_member()], title="x", dedupe_key="k")


def test_mentioned_members_are_told_as_a_mention_by_name_or_email_local_part(workspace, make_member):
    ann = make_member(Role.ANALYST, full_name="Ann Lee", email="ann.lee@example.test")
    bob = make_member(Role.ANALYST, full_name="Bob Marsh", email="bmarsh@example.test")
    cy = make_member(Role.ANALYST, full_name="Ann", email="example@cy.test")
    author = make_member(Role.CONTRIBUTOR)
    text = "Thoughts, @Ann Lee? And @bmarsh: ping ann.lee@example.test"
    tell(workspace, [author], mentions=text)
    assert [(n.kind, n.title) for n in of(ann)] == [("mention", "You were mentioned: Something happened")]
    assert [n.kind for n in of(bob)] == ["mention"]
    assert of(cy) == []  # "@example" inside an address, "@Ann" of "@Ann Lee": not her
    assert [n.kind for n in of(author)] == ["comment"]


def test_a_recipient_who_is_also_mentioned_is_told_once(workspace, make_member):
    ann = make_member(Role.ANALYST, full_name="Ann Lee")
    tell(workspace, [ann], mentions="@Ann Lee look")
    assert [n.kind for n in of(ann)] == ["comment"]
