"""One time zone: every page that shows a time, and the e-mails, print it in the workspace's zone.

The instant is 2026-03-29 09:30 UTC, the morning summer time starts in Paris: 11:30 CEST (10:30 would be UTC
shown as it is, 10:30 also what a fixed UTC+1 would give).
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from audits import services as audits_services
from calendar_app import publisher
from calendar_app.models import CrisisPause, IdeaComment, Publication
from calendar_app.tests.factories import IdeaFactory, OwnProfileFactory, PublicationFactory
from media_library.models import MediaFile, PublicationMedia
from metrics.models import Post
from notifications.models import Notification
from notifications.services import emails_send_immediate
from reports.services import report_generate
from strategy.services import strategy_update

pytestmark = pytest.mark.django_db

INSTANT = datetime(2026, 3, 29, 9, 30, tzinfo=UTC)
LOCAL = "11:30"


@pytest.fixture
def at_the_instant():
    with time_machine.travel(INSTANT, tick=False):
        yield


@pytest.fixture
def one_of_everything(at_the_instant, workspace, make_member):
    assert workspace.time_zone == "Europe/Paris"
    lead = make_member(Role.ADMIN, full_name="Ada Admin")
    profile = OwnProfileFactory(workspace=workspace, platform="instagram")
    in_review = PublicationFactory(
        workspace=workspace, profile=profile, status=Publication.Status.IN_REVIEW, scheduled_at=INSTANT
    )
    PublicationFactory(workspace=workspace, profile=profile, status=Publication.Status.SCHEDULED, scheduled_at=INSTANT)
    idea = IdeaFactory(workspace=workspace, author=lead.user)
    IdeaComment.objects.create(idea=idea, author=lead.user, body="Let's do it")
    strategy_update(workspace=workspace, by=lead.user, summary="First version")
    audits_services.audit_run(workspace=workspace, by=lead.user)
    report = report_generate(workspace=workspace, month=datetime(2026, 2, 1).date())
    Post.objects.create(
        profile=profile,
        external_id="p1",
        published_at=INSTANT,
        text="Spring",
        likes=10,
        interactions=10,
        followers_at_posting=1000,
        engagement_rate=0.01,
    )
    CrisisPause.objects.create(workspace=workspace, reason="Storm", started_by=lead.user, started_at=INSTANT)
    # A media library file used by the post in review: its page lists the post with its time.
    media = MediaFile.objects.create(
        workspace=workspace, file="media-library/x.png", original_name="x.png", kind="image", content_type="image/png",
        size_bytes=10,
    )  # fmt: skip
    PublicationMedia.objects.create(publication=in_review, media_file=media)
    return {"lead": lead, "publication": in_review, "idea": idea, "report": report, "media": media}


def _pages(objects) -> dict[str, str]:
    return {
        "home (awaiting approval)": reverse("dashboard:home"),
        "publication": reverse("calendar_app:publication_detail", args=[objects["publication"].pk]),
        "crisis page and banner": reverse("calendar_app:crisis"),
        "idea comments": reverse("calendar_app:idea_detail", args=[objects["idea"].pk]),
        "strategy revisions": reverse("strategy:history"),
        "audit": reverse("audits:report"),
        "report": reverse("reports:detail", kwargs={"slug": objects["report"].slug}),
        "top posts": reverse("metrics:top"),
        "ambassadors' relay list": reverse("stakeholders:ambassadors") + "?month=2026-03",
        "media file (used in)": reverse("media_library:detail", args=[objects["media"].pk]),
    }


def test_every_page_that_shows_a_time_prints_it_in_the_workspace_zone_and_says_which(one_of_everything, client):
    client.force_login(one_of_everything["lead"].user)
    wrong = {}
    for name, url in _pages(one_of_everything).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        if LOCAL not in html or "10:30" in html or "09:30" in html:
            wrong[name] = url
        assert 'data-testid="time-zone-note"' in html and "Times in Europe/Paris" in html, name
    assert not wrong, wrong


def test_the_crisis_banner_shows_the_start_in_the_workspace_zone_on_any_page(one_of_everything, client):
    client.force_login(one_of_everything["lead"].user)
    html = client.get(reverse("calendar_app:editorial")).content.decode()
    assert "Crisis pause on since Sun 29 Mar, 11:30" in html


def test_the_failure_e_mail_gives_the_time_in_the_workspace_zone_with_its_abbreviation(one_of_everything):
    publication = one_of_everything["publication"]
    publication.owner = one_of_everything["lead"].user
    publication.failure_reason = "The platform refused the image."
    publisher._tell_people(publication, what="failed: it did not go out")
    told = Notification.objects.get(recipient=one_of_everything["lead"], kind="publication_failed")
    emails_send_immediate(notification_ids=[told.pk])  # as the outbox runs it after the commit
    (message,) = mail.outbox
    assert "scheduled for 2026-03-29 11:30 CEST (Europe/Paris)" in message.body


def test_the_report_pdf_renders_in_the_workspace_zone_outside_a_request(one_of_everything, monkeypatch):
    from reports import pdf

    drawn = {}

    def capture(html, dest, encoding):
        drawn["html"] = html
        return type("Result", (), {"err": 0})()

    monkeypatch.setattr(pdf.pisa, "CreatePDF", capture)
    pdf.report_pdf(one_of_everything["report"])  # as the monthly task calls it: no request, no zone activated
    assert "figures frozen on 29 Mar 2026, 11:30 CEST" in drawn["html"]
