import factory

from accounts.tests.factories import WorkspaceFactory
from metrics.models import TrackedProfile
from metrics.platforms import Platform


class TrackedProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedProfile

    workspace = factory.SubFactory(WorkspaceFactory)
    platform = Platform.X
    handle = factory.Sequence(lambda n: f"brand{n}")
    source = TrackedProfile.Source.DEMO
