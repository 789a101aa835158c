"""Templates: a publication saved as one, a new publication started from it; names unique per workspace, none of
another workspace offered."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from calendar_app.models import PublicationTemplate

from .factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_a_publication_saved_as_a_template_starts_a_new_one(client_as, workspace, other_workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    source = PublicationFactory(
        workspace=workspace, copy="Tip of the week: ...", media_urls=["https://a.example/t.jpg"]
    )
    client.post(reverse("calendar_app:template_save", args=[source.pk]), {"name": "Weekly tip"})
    again = client.post(reverse("calendar_app:template_save", args=[source.pk]), {"name": "weekly TIP"}, follow=True)
    assert "A template is named “weekly TIP” already" in again.content.decode()
    template = PublicationTemplate.objects.get()
    assert (template.copy, template.media_urls, template.profile) == (source.copy, source.media_urls, source.profile)
    PublicationTemplate.objects.create(workspace=other_workspace, name="Theirs", copy="Not yours")
    page = client.get(reverse("calendar_app:publication_new")).content.decode()
    assert "Weekly tip" in page and "Theirs" not in page
    form = client.get(reverse("calendar_app:publication_new"), {"template": template.pk}).context["form"]
    assert form.initial["copy"] == "Tip of the week: ..." and form.initial["media"] == "https://a.example/t.jpg"
    assert form.initial["profile"] == source.profile_id
    theirs = PublicationTemplate.objects.get(name="Theirs")
    assert (
        "copy"
        not in client.get(reverse("calendar_app:publication_new"), {"template": theirs.pk}).context["form"].initial
    )
    client.post(reverse("calendar_app:template_delete", args=[theirs.pk]))
    assert PublicationTemplate.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("calendar_app:template_delete", args=[template.pk]))
    assert not PublicationTemplate.objects.filter(pk=template.pk).exists()
