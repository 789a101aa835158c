from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import WorkspaceFactory
from calendar_app.models import ContentItem, Idea, Publication
from metrics.models import TrackedProfile


class OwnProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedProfile

    workspace = factory.SubFactory(WorkspaceFactory)
    platform = "x"
    handle = factory.Sequence(lambda n: f"brand{n}")
    is_own = True
    source = TrackedProfile.Source.DEMO


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    workspace = factory.SubFactory(WorkspaceFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "A series of short videos from the workshop."


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem

    workspace = factory.SubFactory(WorkspaceFactory)
    title = factory.Sequence(lambda n: f"Content {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    workspace = factory.SubFactory(WorkspaceFactory)
    content_item = factory.SubFactory(ContentItemFactory, workspace=factory.SelfAttribute("..workspace"))
    profile = factory.SubFactory(OwnProfileFactory, workspace=factory.SelfAttribute("..workspace"))
    copy = "Meet the team behind our spring collection."
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))


def brand_voice_avoids(workspace, *words: str) -> None:
    """The strategy's brand voice lists these words to avoid (the one list the calendar checks)."""
    from strategy.models import Strategy

    Strategy.objects.update_or_create(workspace=workspace, defaults={"words_to_avoid": "\n".join(words)})
