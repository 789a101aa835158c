"""A member pauses a post at the moment a worker claims it (real PostgreSQL, two connections, many rounds): either
the post went out once and the pause was refused, or it was paused and nothing went out; never both, never twice."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from calendar_app import publisher, services
from calendar_app.models import Publication
from metrics.connectors.demo import PublishedLedger
from tests.markers import requires_postgres

from .factories import PublicationFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_pause_racing_a_workers_claim_never_lets_a_paused_post_out(workspace, settings, tmp_path):
    settings.DEMO_PLATFORM_DIR = str(tmp_path)
    outcomes = {"paused": 0, "sent": 0}
    for _ in range(12):
        post = PublicationFactory(
            workspace=workspace, status="scheduled", scheduled_at=timezone.now() - timedelta(seconds=1)
        )
        start, refused = threading.Barrier(2), []

        def send(pk=post.pk, start=start):
            start.wait()
            publisher.publication_send(publication_id=pk)
            connection.close()

        def pause(pk=post.pk, start=start, refused=refused):
            start.wait()
            try:
                services.publication_pause(publication=Publication.objects.get(pk=pk), by=None)
            except ValidationError:
                refused.append(pk)
            finally:
                connection.close()

        threads = [threading.Thread(target=send), threading.Thread(target=pause)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        went_out = [e for e in PublishedLedger(post.profile.platform).entries() if e["attempt_id"]
                    and e["attempt_id"] == Publication.objects.get(pk=post.pk).attempt_id]  # fmt: skip
        status = Publication.objects.get(pk=post.pk).status
        if status == "paused":
            assert went_out == [] and not refused
            outcomes["paused"] += 1
        else:
            assert status == "published" and len(went_out) == 1 and refused == [post.pk]
            outcomes["sent"] += 1
    assert sum(outcomes.values()) == 12
