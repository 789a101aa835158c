"""Free tags on publications (calendar_app/tags.py): the workspace's own, set on the form, the composer, the CSV import
and in bulk, kept by a duplicate and a template, filtered by on the publishing calendar and shown on its list and a
post's page, read in one query for a page of rows."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from calendar_app import bulk
from calendar_app.models import Publication, PublicationTag, PublicationTemplate
from calendar_app.tags import tags_set

from .factories import ContentItemFactory, OwnProfileFactory, PublicationFactory

pytestmark = pytest.mark.django_db
AT = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
WINDOW = {"start": "2026-12-01", "end": "2026-12-31"}


def _names(publication) -> list[str]:
    return sorted(publication.tags.values_list("name", flat=True))


def _tagged(publication, *names):
    for name in names:
        tag, _ = PublicationTag.objects.get_or_create(workspace=publication.workspace, name=name)
        publication.tags.add(tag)
    return publication


# ---- the model -----------------------------------------------------------------------------------------------------


def test_a_tag_name_is_unique_in_its_workspace_whatever_its_case(workspace, other_workspace):
    PublicationTag.objects.create(workspace=workspace, name="Launch")
    PublicationTag.objects.create(workspace=other_workspace, name="launch")  # another workspace may have it
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationTag.objects.create(workspace=workspace, name="LAUNCH")


# ---- the publication form ------------------------------------------------------------------------------------------


def _form_data(*, item, profile, tags):
    return {
        "content_item": item.pk,
        "profile": profile.pk,
        "copy": "Spring is here",
        "scheduled_at": "2026-12-10T10:00",
        "media": "",
        "tags": tags,
    }


def test_the_form_sets_tags_finding_names_without_case_and_making_new_ones(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    launch = PublicationTag.objects.create(workspace=workspace, name="Launch")
    item, profile = ContentItemFactory(workspace=workspace), OwnProfileFactory(workspace=workspace)
    data = _form_data(item=item, profile=profile, tags="launch,  spring  sale , LAUNCH,")
    assert client.post(reverse("calendar_app:publication_new"), data).status_code == 302
    publication = Publication.objects.get()
    assert _names(publication) == ["Launch", "spring sale"]
    assert publication.tags.get(name="Launch") == launch
    assert PublicationTag.objects.filter(workspace=workspace).count() == 2
    # The edit form shows them, and changing them leaves a scheduled post where it is (a label, not its copy).
    Publication.objects.filter(pk=publication.pk).update(status=Publication.Status.SCHEDULED)
    edit = reverse("calendar_app:publication_edit", args=[publication.pk])
    assert client.get(edit).context["form"].initial["tags"] == "Launch, spring sale"
    assert client.post(edit, data | {"tags": "hiring"}).status_code == 302
    publication.refresh_from_db()
    assert _names(publication) == ["hiring"] and publication.status == Publication.Status.SCHEDULED


def test_the_form_offers_only_the_workspaces_tags_and_refuses_too_many(client_as, workspace, other_workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    PublicationTag.objects.create(workspace=workspace, name="hiring")
    theirs = PublicationTag.objects.create(workspace=other_workspace, name="their-secret-campaign")
    page = client.get(reverse("calendar_app:publication_new")).content.decode()
    assert 'list="id_tags-names"' in page and '<option value="hiring">' in page
    assert "their-secret-campaign" not in page
    item, profile = ContentItemFactory(workspace=workspace), OwnProfileFactory(workspace=workspace)
    # Their tag's name makes a tag of ours; their row is never given to our post.
    client.post(reverse("calendar_app:publication_new"), _form_data(item=item, profile=profile, tags=theirs.name))
    ours = Publication.objects.get().tags.get()
    assert ours.workspace == workspace and ours != theirs and theirs.publications.count() == 0
    eleven = ", ".join(f"tag {n}" for n in range(11))
    response = client.post(reverse("calendar_app:publication_new"), _form_data(item=item, profile=profile, tags=eleven))
    assert response.status_code == 200 and "At most 10 tags per post." in response.content.decode()
    assert Publication.objects.count() == 1


def test_a_tag_of_another_workspace_is_refused_by_the_service(workspace, other_workspace):
    publication = PublicationFactory(workspace=workspace)
    with pytest.raises(PermissionDenied):
        tags_set(item=publication, tags=[PublicationTag.objects.create(workspace=other_workspace, name="x")])
    assert not publication.tags.exists()


# ---- the composer --------------------------------------------------------------------------------------------------


def test_every_draft_of_the_composer_gets_the_tags(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    PublicationTag.objects.create(workspace=workspace, name="Event")
    x = OwnProfileFactory(workspace=workspace, platform="x")
    linkedin = OwnProfileFactory(workspace=workspace, platform="linkedin")
    item = ContentItemFactory(workspace=workspace)
    page = client.get(reverse("calendar_app:composer")).content.decode()
    assert 'name="tags"' in page and '<option value="Event">' in page
    data = {"content_item": item.pk, "accounts": [x.pk, linkedin.pk], "copy": "See you at the fair.", "media": ""}
    response = client.post(reverse("calendar_app:composer"), data | {"tags": "event, trade fair"})
    assert response.status_code == 302
    drafts = Publication.objects.filter(workspace=workspace)
    assert drafts.count() == 2 and all(_names(p) == ["Event", "trade fair"] for p in drafts)
    assert PublicationTag.objects.filter(workspace=workspace).count() == 2


# ---- copies: a duplicate, a template, in bulk ----------------------------------------------------------------------


def test_a_duplicate_and_a_template_keep_the_tags(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    source = _tagged(PublicationFactory(workspace=workspace), "launch", "spring")
    client.post(reverse("calendar_app:publication_duplicate", args=[source.pk]))
    copy = Publication.objects.exclude(pk=source.pk).get()
    assert _names(copy) == ["launch", "spring"]
    client.post(reverse("calendar_app:template_save", args=[source.pk]), {"name": "Launch post"})
    template = PublicationTemplate.objects.get()
    assert sorted(template.tags.values_list("name", flat=True)) == ["launch", "spring"]
    form = client.get(reverse("calendar_app:publication_new"), {"template": template.pk}).context["form"]
    assert form.initial["tags"] == "launch, spring"


def test_bulk_adds_a_tag_to_the_selected_posts_of_the_workspace_only(client_as, workspace, other_workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    mine = [PublicationFactory(workspace=workspace) for _ in range(2)]
    theirs = PublicationFactory(workspace=other_workspace)
    response = client.post(
        reverse("calendar_app:publications_bulk"),
        {"action": "add_tag", "tag": "Hiring", "ids": [mine[0].pk, mine[1].pk, theirs.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Tagged 2 of 2."]
    assert all(_names(p) == ["Hiring"] for p in mine) and not theirs.tags.exists()
    with pytest.raises(ValidationError, match="Give the one tag"):
        bulk.bulk_apply(workspace=workspace, membership=client.membership, action="add_tag", ids=[mine[0].pk])


# ---- the CSV import ------------------------------------------------------------------------------------------------

HEADER = "scheduled_at,platform,handle,content,copy,media,tags\n"


def _upload(client, text: str):
    return client.post(
        reverse("calendar_app:publications_import"), {"file": SimpleUploadedFile("posts.csv", text.encode())}
    )


def test_the_import_reads_the_optional_tags_column(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    PublicationTag.objects.create(workspace=workspace, name="Launch")
    text = HEADER + (
        "2026-12-10 09:30,x,acme_news,Spring launch,One.,,launch; spring\n"
        "2026-12-11 09:30,x,acme_news,Spring launch,Two.,,Spring|hiring\n"
        "2026-12-12 09:30,x,acme_news,Spring launch,Three.,,\n"
    )
    assert _upload(client, text).status_code == 302
    one, two, three = Publication.objects.order_by("scheduled_at")
    assert (_names(one), _names(two), _names(three)) == (["Launch", "spring"], ["hiring", "spring"], [])
    assert sorted(PublicationTag.objects.filter(workspace=workspace).values_list("name", flat=True)) == [
        "Launch",
        "hiring",
        "spring",
    ]
    # A file without the column imports as before.
    old = "platform,handle,content,copy\nx,acme_news,Later,Four.\n"
    assert _upload(client, old).status_code == 302 and Publication.objects.count() == 4


def test_a_bad_tags_cell_imports_nothing_and_is_named_by_line_and_column(client_as, workspace):
    client = client_as(Role.COMMUNITY_MANAGER)
    OwnProfileFactory(workspace=workspace, platform="x", handle="acme_news")
    text = HEADER + (
        "2026-12-10 09:30,x,acme_news,Spring launch,Fine.,,launch\n"
        f"2026-12-11 09:30,x,acme_news,Spring launch,Too long a tag.,,{'a' * 41}\n"
        f"2026-12-12 09:30,x,acme_news,Spring launch,Too many.,,{';'.join(f't{n}' for n in range(11))}\n"
    )
    response = _upload(client, text)
    page = response.content.decode()
    assert response.status_code == 400 and not Publication.objects.exists()
    assert not PublicationTag.objects.exists()  # all or nothing: not even the good row's new tag
    assert "Line 3, tags: “" in page and "is longer than 40 characters" in page
    assert "Line 4, tags: At most 10 tags per post." in page


def test_the_import_template_names_the_tags_column(client_as):
    lines = client_as(Role.COMMUNITY_MANAGER).get(reverse("calendar_app:publications_import_template"))
    header, example = lines.content.decode().splitlines()
    assert header.endswith(",tags") and example.endswith(",launch; spring")


# ---- the publishing calendar: filter, list, a post's page ----------------------------------------------------------


@pytest.fixture
def tagged_posts(workspace):
    return {
        "launch": _tagged(
            PublicationFactory(workspace=workspace, scheduled_at=AT, content_item__title="Launch day"), "launch"
        ),
        "both": _tagged(
            PublicationFactory(workspace=workspace, scheduled_at=AT, content_item__title="Launch event"),
            "launch",
            "event",
        ),
        "none": PublicationFactory(workspace=workspace, scheduled_at=AT, content_item__title="Untagged"),
    }


def _feed(client, **filters) -> set[str]:
    return {e["title"] for e in client.get(reverse("calendar_app:publishing_events"), WINDOW | filters).json()}


def test_the_tag_filter_narrows_the_feed_the_list_and_the_csv_and_stays_in_their_links(
    client_as, workspace, tagged_posts
):
    client = client_as(Role.ANALYST)
    launch = PublicationTag.objects.get(workspace=workspace, name="launch")
    event = PublicationTag.objects.get(workspace=workspace, name="event")
    assert _feed(client) == {"Launch day", "Launch event", "Untagged"}
    assert _feed(client, tag=str(launch.pk)) == {"Launch day", "Launch event"}
    assert _feed(client, tag=str(event.pk)) == {"Launch event"}
    response = client.get(reverse("calendar_app:publishing"), {"tag": event.pk, "status": "draft"})
    assert [row["title"] for row in response.context["publications"]] == ["Launch event"]
    page = response.content.decode()
    kept = f"status=draft&amp;tag={event.pk}"
    assert f'data-events="{reverse("calendar_app:publishing_events")}?{kept}"' in page
    assert f'href="{reverse("calendar_app:publishing_csv")}?{kept}"' in page
    assert f'<option value="{event.pk}" selected>event</option>' in page
    exported = client.get(reverse("calendar_app:publishing_csv"), {"tag": launch.pk}).content.decode()
    header, *rows = csv.reader(io.StringIO(exported))
    # Each post's tags in the last column, as the import reads them.
    assert header[-1] == "tags" and sorted((r[4], r[-1]) for r in rows) == [
        ("Launch day", "launch"),
        ("Launch event", "event; launch"),
    ]
    # The pillar filter stays beside it.
    assert "filter-pillar" in page


def test_another_workspaces_tag_selects_nothing_and_is_never_offered(
    client_as, workspace, other_workspace, tagged_posts
):
    client = client_as(Role.ANALYST)
    theirs = _tagged(
        PublicationFactory(workspace=other_workspace, scheduled_at=AT, content_item__title="Theirs"), "their-tag"
    )
    their_tag = theirs.tags.get()
    assert _feed(client, tag=str(their_tag.pk)) == set()
    page = client.get(reverse("calendar_app:publishing"), {"tag": their_tag.pk}).content.decode()
    assert "their-tag" not in page and "Theirs" not in page
    # Ours are offered, in the filter and to the bulk bar's "Add a tag".
    offered = client_as(Role.CONTENT_LEAD).get(reverse("calendar_app:publishing")).content.decode()
    assert "their-tag" not in offered
    assert offered.count('<option value="launch">') == 1  # the bulk bar's datalist
    assert (
        f'<option value="{PublicationTag.objects.get(workspace=workspace, name="launch").pk}">launch</option>'
        in offered
    )
    assert _feed(client, tag="not-a-number") == {"Launch day", "Launch event", "Untagged"}


def test_the_list_and_a_posts_page_show_its_tags_as_links_to_the_filter(client_as, workspace, tagged_posts):
    client = client_as(Role.ANALYST)
    launch = PublicationTag.objects.get(workspace=workspace, name="launch")
    response = client.get(reverse("calendar_app:publishing"))
    rows = {row["title"]: row["tags"] for row in response.context["publications"]}
    event = PublicationTag.objects.get(workspace=workspace, name="event")
    assert rows == {"Launch day": [(launch.pk, "launch")], "Launch event": [(event.pk, "event"), (launch.pk, "launch")],
                    "Untagged": []}  # fmt: skip
    assert f'href="?tag={launch.pk}"' in response.content.decode()
    detail = client.get(reverse("calendar_app:publication_detail", args=[tagged_posts["both"].pk])).content.decode()
    tags = detail.split('data-testid="publication-tags"', 1)[1].split("</div>", 1)[0]
    assert ">event</a>" in tags and ">launch</a>" in tags
    assert f'href="{reverse("calendar_app:publishing")}?tag={launch.pk}"' in tags


def _queries(client, url, params=None) -> int:
    client.get(url, params or {})  # the first request after the login writes to the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


def _more_tagged(workspace, n, start):
    for k in range(n):
        post = PublicationFactory(workspace=workspace, scheduled_at=AT, content_item__title=f"Post {start + k}")
        _tagged(post, f"tag {start + k}", "launch", "event")


@pytest.mark.parametrize(
    "page",
    ["calendar_app:publishing", "calendar_app:publishing_events", "calendar_app:publication_detail"],
)
def test_tags_cost_the_same_queries_for_two_posts_as_for_ten(client_as, workspace, page):
    client = client_as(Role.CONTENT_LEAD)
    _more_tagged(workspace, 2, 0)
    post = Publication.objects.first()
    args = [post.pk] if page.endswith("detail") else []
    params = WINDOW if page.endswith("events") else {}
    small = _queries(client, reverse(page, args=args), params)
    _more_tagged(workspace, 8, 2)
    _tagged(post, *(f"extra {n}" for n in range(5)))  # and a post with more tags
    larger = _queries(client, reverse(page, args=args), params)
    assert larger == small
    launch = PublicationTag.objects.get(workspace=workspace, name="launch")
    assert _queries(client, reverse(page, args=args), params | {"tag": launch.pk}) == small


def test_the_import_page_documents_the_tags_column(client_as):
    page = client_as(Role.COMMUNITY_MANAGER).get(reverse("calendar_app:publications_import")).content.decode()
    assert "copy,media,first_comment,thread,tags" in page and "<code>tags</code> (optional)" in page
