"""The people the social media team works with: departments, contacts, meetings and ambassadors."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Workspace
from metrics.platforms import Platform

# A phone number as people write it: digits, spaces and + - . ( ), then an optional extension ("ext. 12", "x12",
# "#12"). Nothing else, so no line break or ";" can reach a vCard or a spreadsheet through it.
PHONE_PATTERN = re.compile(r"\+?[0-9 ().-]*[0-9][0-9 ().-]*(?: *(?:ext\.?|x|#) *[0-9]{1,6})?", re.IGNORECASE)


def validate_phone(value: str) -> None:
    """The contact form's and the CSV import's rule for a phone number."""
    if value and not PHONE_PATTERN.fullmatch(value):
        raise ValidationError(
            "Use digits, spaces and + - . ( ) only, with an optional extension (e.g. +33 1 23 45 67 89 ext. 12).",
            code="invalid_phone",
        )


class Level(models.IntegerChoices):
    """Influence and interest share one three-step scale, so the map is a 3 by 3 grid."""

    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat (Teams, Slack…)"
    IN_PERSON = "in_person", "In person"
    VIDEO_CALL = "video_call", "Video call"


class Department(models.Model):
    """A part of the company the team works with: video, sales, customer service, events…"""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_department_name_per_workspace")]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A free label on contacts ("spokesperson", "photos", "trade fairs"), one list per workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="stakeholder_tags")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_stakeholder_tag_per_workspace")]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """Someone in the company the team meets, asks for content, or keeps informed."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    full_name = models.CharField("name", max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    expectations = models.TextField("what they expect from social media", blank=True)
    brings_content = models.BooleanField("can bring content", default=False)
    brings_expertise = models.BooleanField("can bring expertise", default=False)
    brings_events = models.BooleanField("can bring events", default=False)
    can_bring = models.TextField("what they can bring, in detail", blank=True)
    preferred_channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    influence = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEDIUM)
    interest = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEDIUM)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")
    is_met = models.BooleanField("met", default=False, help_text="Whether the team has met them yet.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            # The import matches rows to contacts by e-mail, so one address names one contact.
            models.UniqueConstraint(
                fields=["workspace", "email"], condition=~Q(email=""), name="one_contact_per_email_per_workspace"
            ),
            models.CheckConstraint(condition=Q(influence__gte=1, influence__lte=3), name="contact_influence_1_to_3"),
            models.CheckConstraint(condition=Q(interest__gte=1, interest__lte=3), name="contact_interest_1_to_3"),
        ]
        indexes = [
            models.Index(fields=["workspace", "is_met"]),
            # The directory's order, so a page of 50 reads 50 index entries instead of sorting everyone.
            models.Index(fields=["workspace", "full_name", "id"], name="contact_directory_order"),
            # Who to meet first (dashboard nudge, map): the few not met, most influential and interested.
            models.Index(
                fields=["workspace", "-influence", "-interest", "full_name"],
                condition=Q(is_met=False),
                name="contact_not_met_first",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def brings(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.brings_content, "content"),
                (self.brings_expertise, "expertise"),
                (self.brings_events, "events"),
            )
            if flag
        ]


class Meeting(models.Model):
    """One meeting with a contact, as the team noted it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="stakeholder_meetings")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(default=timezone.localdate)
    attendees = models.CharField(max_length=300, blank=True, help_text="Who was there besides the contact.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.contact} on {self.date}"


class FollowUp(models.Model):
    """Something promised in a meeting, with who does it and by when."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="stakeholder_follow_ups")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["workspace", "done_at", "due_on"])]

    def __str__(self):
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class Ambassador(models.Model):
    """An employee who relays the brand's publications on their own networks."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="ambassadors")
    # Set when the employee signed up themselves; the team may also add someone without an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="ambassador_profiles"
    )
    full_name = models.CharField("name", max_length=150)
    email = models.EmailField(blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="ambassadors"
    )
    relays_posts = models.BooleanField("relays publications", default=True)
    shares_ideas = models.BooleanField("sends content ideas", default=False)
    helps_analytics = models.BooleanField("helps with analytics", default=False)
    notes = models.TextField("anything else", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"], condition=Q(user__isnull=False), name="one_ambassador_profile_per_user"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def help_offered(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.relays_posts, "relays posts"),
                (self.shares_ideas, "ideas"),
                (self.helps_analytics, "analytics"),
            )
            if flag
        ]


class AmbassadorNetwork(models.Model):
    """One network an ambassador is on, and where."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="networks")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=200, blank=True, help_text="Profile name or address.")

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "platform"], name="one_network_entry_per_ambassador")
        ]

    def __str__(self):
        return f"{self.ambassador} on {self.get_platform_display()}"


class ExampleText(models.Model):
    """A ready-to-copy text the team suggests to ambassadors for one month."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="ambassador_example_texts")
    month = models.DateField(help_text="The first day of the month it is for.")
    platform = models.CharField(max_length=16, choices=Platform.choices, blank=True)
    title = models.CharField(max_length=150)
    text = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "pk"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="example_text_month_is_first_day")]

    def __str__(self):
        return self.title


class Relay(models.Model):
    """An ambassador says they shared one of the month's example texts: the team sees who relays what."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="relays")
    example_text = models.ForeignKey(ExampleText, on_delete=models.CASCADE, related_name="relays")
    relayed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-relayed_at"]
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "example_text"], name="one_relay_per_ambassador_and_text")
        ]

    def __str__(self):
        return f"{self.ambassador} relayed {self.example_text}"
