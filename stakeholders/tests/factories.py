import factory

from accounts.tests.factories import WorkspaceFactory
from stakeholders.models import Contact, Department, FollowUp, Meeting


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    workspace = factory.SubFactory(WorkspaceFactory)
    department = factory.SubFactory(DepartmentFactory, workspace=factory.SelfAttribute("..workspace"))
    full_name = factory.Faker("name")
    job_title = "Manager"
    email = factory.Sequence(lambda n: f"contact{n}@company.test")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    contact = factory.SubFactory(ContactFactory)
    workspace = factory.SelfAttribute("contact.workspace")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    meeting = factory.SubFactory(MeetingFactory)
    workspace = factory.SelfAttribute("meeting.workspace")
    description = factory.Sequence(lambda n: f"Follow-up {n}")
