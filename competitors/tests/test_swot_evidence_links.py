"""A SWOT evidence link is an http(s) address or a path of this app: checked when saved and when shown."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from competitors import services
from competitors.evidence import evidence_href
from competitors.models import Quadrant, SwotItem, SwotSuggestion

REFUSED = ["//evil.example", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example", "ftp://files.example/x"]
ACCEPTED = ["https://ok.example/x", "http://ok.example", "/competitors/", "/competitors/?days=90&network=x"]


@pytest.mark.parametrize("value", REFUSED)
def test_a_link_elsewhere_in_disguise_is_not_a_link(value):
    assert evidence_href(value) == ""


@pytest.mark.parametrize("value", ACCEPTED)
def test_web_addresses_and_the_apps_own_pages_are_links(value):
    assert evidence_href(value) == value


@pytest.mark.django_db
@pytest.mark.parametrize("value", REFUSED)
def test_the_swot_form_refuses_a_disguised_link(client_as, workspace, value):
    client = client_as(Role.STRATEGY_LEAD)
    response = client.post(
        reverse("competitors:swot_item_add"), {"quadrant": "O", "text": "Podcasts", "evidence_url": value}
    )
    assert response.status_code == 400
    assert "Use a web address" in response.text
    assert not SwotItem.objects.filter(version__workspace=workspace).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["https://ok.example/x", "/competitors/"])
def test_the_swot_form_takes_a_good_link(client_as, workspace, value):
    client = client_as(Role.STRATEGY_LEAD)
    response = client.post(
        reverse("competitors:swot_item_add"), {"quadrant": "O", "text": "Podcasts", "evidence_url": value}
    )
    assert response.status_code == 302
    assert SwotItem.objects.get(version__workspace=workspace).evidence_url == value


@pytest.mark.django_db
@pytest.mark.parametrize("model", [SwotItem, SwotSuggestion])
def test_the_models_refuse_a_disguised_link(model):
    with pytest.raises(ValidationError):
        model._meta.get_field("evidence_url").clean("//evil.example", None)


@pytest.mark.django_db
def test_a_stored_bad_link_shows_as_text_not_a_link(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    version = services.swot_version_create(workspace=workspace, quarterly=True, today=date(2026, 8, 1))
    good = services.swot_item_add(
        version=version, quadrant=Quadrant.STRENGTH, text="Good", evidence_url="/competitors/"
    )
    bad = services.swot_item_add(version=version, quadrant=Quadrant.STRENGTH, text="Bad")
    # Written past the form, as before this rule.
    SwotItem.objects.filter(pk=bad.pk).update(evidence_url="//evil.example")
    SwotSuggestion.objects.create(
        workspace=workspace, key="k", quadrant="O", text="Try", evidence_url="/\\evil.example"
    )

    page = client.get(reverse("competitors:swot")).content.decode()

    assert 'href="/competitors/"' in page and good.text in page
    assert 'href="//evil.example"' not in page
    assert "evidence: //evil.example" in page
    assert 'href="/\\evil.example"' not in page
    assert "(/\\evil.example)" in page


@pytest.mark.django_db
def test_the_export_writes_a_stored_bad_link_as_text(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    version = services.swot_version_create(workspace=workspace, quarterly=True, today=date(2026, 8, 1))
    item = services.swot_item_add(version=version, quadrant=Quadrant.STRENGTH, text="Bad")
    SwotItem.objects.filter(pk=item.pk).update(evidence_url="//evil.example")

    text = client.get(reverse("competitors:swot_export", args=[version.pk])).content.decode()

    assert "//evil.example" in text
    assert "http://evil.example" not in text
