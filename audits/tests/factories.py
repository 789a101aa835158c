import factory

from accounts.tests.factories import WorkspaceFactory
from audits.models import AccessGrant, SocialAccount


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    workspace = factory.SubFactory(WorkspaceFactory)
    platform = "instagram"
    handle = factory.Sequence(lambda n: f"brand{n}")
    status = SocialAccount.Status.ACTIVE


class AccessGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessGrant

    account = factory.SubFactory(SocialAccountFactory)
    workspace = factory.SelfAttribute("account.workspace")
    person_name = factory.Sequence(lambda n: f"Person {n}")
    person_email = factory.Sequence(lambda n: f"person{n}@outside.test")
    level = AccessGrant.Level.EDITOR
    two_factor = True
    still_with_company = True
