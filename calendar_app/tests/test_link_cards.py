"""Link cards in the composer's preview (calendar_app/link_cards.py): read from the page's Open Graph tags, kept a day,
and never fetched from a private address, even through a redirect."""

from datetime import timedelta

import pytest
import responses
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from calendar_app import link_cards
from calendar_app.models import LinkCard

pytestmark = pytest.mark.django_db

# The Open Graph protocol's own example (ogp.me), with the tags a network's card reads.
OGP_PAGE = """<!doctype html><html prefix="og: https://ogp.me/ns#"><head>
<title>The Rock (1996) - IMDb</title>
<meta property="og:title" content="The Rock" />
<meta property="og:type" content="video.movie" />
<meta property="og:url" content="https://www.imdb.com/title/tt0117500/" />
<meta property="og:image" content="https://ia.media-imdb.com/images/rock.jpg" />
<meta property="og:description" content="Sean Connery found fame and fortune as the suave, sophisticated British agent, James Bond." />
<meta property="og:site_name" content="IMDb" />
</head><body><h1>The Rock</h1><meta property="og:title" content="Not this one"></body></html>"""

PUBLIC, PRIVATE, METADATA = "93.184.215.14", "10.0.0.5", "169.254.169.254"


@pytest.fixture
def resolves(monkeypatch):
    """Names resolve from this table, never through a real DNS."""
    table = {"www.imdb.com": [PUBLIC], "example.com": [PUBLIC], "intranet.acme.test": [PRIVATE]}
    table["metadata.google.internal"] = [METADATA]
    monkeypatch.setattr(link_cards, "_addresses", lambda host: table[host])
    return table


@responses.activate
def test_the_card_is_the_pages_open_graph_tags_and_is_kept_a_day(workspace, resolves):
    responses.get("https://www.imdb.com/title/tt0117500/", body=OGP_PAGE, content_type="text/html; charset=utf-8")
    card = link_cards.link_card(workspace=workspace, url="https://www.imdb.com/title/tt0117500/")
    assert (card.title, card.site_name, card.error) == ("The Rock", "IMDb", "")
    assert card.description.startswith("Sean Connery found fame")
    link_cards.link_card(workspace=workspace, url="https://www.imdb.com/title/tt0117500/")
    assert len(responses.calls) == 1  # kept: typing does not fetch the page again
    later = timezone.now() + timedelta(days=1, minutes=1)
    link_cards.link_card(workspace=workspace, url="https://www.imdb.com/title/tt0117500/", now=later)
    assert len(responses.calls) == 2
    assert LinkCard.objects.count() == 1


@responses.activate
def test_a_page_without_open_graph_gives_its_title_and_description(workspace, resolves):
    page = '<html><head><title> Spring   collection </title><meta name="description" content="New in."></head></html>'
    responses.get("https://example.com/spring", body=page, content_type="text/html")
    card = link_cards.link_card(workspace=workspace, url="https://example.com/spring")
    assert (card.title, card.description, card.site_name) == ("Spring collection", "New in.", "example.com")


@responses.activate
def test_a_private_address_is_never_fetched_even_through_a_redirect(workspace, resolves):
    card = link_cards.link_card(workspace=workspace, url="http://intranet.acme.test/payroll")
    assert card.error == "That link points into a private network: no card."
    responses.get("https://example.com/r", status=302, headers={"Location": "http://metadata.google.internal/"})
    card = link_cards.link_card(workspace=workspace, url="https://example.com/r")
    assert card.error == "That link points into a private network: no card."
    assert [call.request.url for call in responses.calls] == ["https://example.com/r"]
    assert link_cards.link_card(workspace=workspace, url="https://example.com:8080/").error.startswith(
        "Links to another"
    )
    assert (
        link_cards.link_card(workspace=workspace, url="ftp://example.com/").error
        == "Only http and https links get a card."
    )


@responses.activate
def test_a_file_or_a_missing_page_gets_no_card_and_says_why(workspace, resolves):
    responses.get("https://example.com/a.pdf", body=b"%PDF-1.7", content_type="application/pdf")
    responses.get("https://example.com/gone", status=404, body="<html></html>", content_type="text/html")
    assert "not a web page" in link_cards.link_card(workspace=workspace, url="https://example.com/a.pdf").error
    assert link_cards.link_card(workspace=workspace, url="https://example.com/gone").error == (
        "The site answered 404: no card."
    )


@responses.activate
def test_the_preview_asks_the_app_for_the_card_as_json(client_as, workspace, resolves):
    responses.get("https://www.imdb.com/title/tt0117500/", body=OGP_PAGE, content_type="text/html")
    client = client_as(Role.COMMUNITY_MANAGER)
    url = reverse("calendar_app:link_card")
    answer = client.get(url, {"url": "https://www.imdb.com/title/tt0117500/"}).json()
    assert answer["ok"] and answer["title"] == "The Rock" and answer["domain"] == "imdb.com"
    assert client.get(url, {"url": "http://intranet.acme.test/"}).json() == {
        "ok": False,
        "url": "http://intranet.acme.test/",
        "error": "That link points into a private network: no card.",
    }
    assert client.get(url).status_code == 400
    assert client_as(Role.ANALYST).get(url, {"url": "https://www.imdb.com/title/tt0117500/"}).status_code == 403
