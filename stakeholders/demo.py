"""Demo stakeholders: the seed departments, a dozen contacts, a few meetings and ambassadors. Idempotent."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from metrics.platforms import Platform

from . import services
from .models import Ambassador, Contact, Department

DEPARTMENTS = [
    ("Video", "Films events, interviews and product demos."),
    ("Sales", "Key accounts, trade fairs and customer success stories."),
    ("Customer service", "Hears every complaint first; answers private messages."),
    ("Events", "Trade fairs, open days and the annual conference."),
    ("Communication", "Press relations, internal newsletter and brand guidelines."),
    ("HR", "Recruiting, employer brand and onboarding."),
    ("Product", "Roadmap, launches and release notes."),
]

# name, job title, department, influence, interest, met, brings, expectations, tags
CONTACTS = [
    (
        "Claire Fontaine",
        "Head of video",
        "Video",
        2,
        3,
        True,
        "content",
        "Wants a channel for the behind-the-scenes series.",
        "photos;video",
    ),
    (
        "Hugo Marchand",
        "Video editor",
        "Video",
        1,
        3,
        False,
        "content",
        "Short vertical cuts of existing footage.",
        "video",
    ),
    (
        "Inès Garnier",
        "Sales director",
        "Sales",
        3,
        2,
        True,
        "expertise;events",
        "Leads from LinkedIn; case studies of big clients.",
        "spokesperson;linkedin",
    ),
    (
        "Thomas Roux",
        "Key account manager",
        "Sales",
        2,
        2,
        False,
        "expertise",
        "Posts he can share with his prospects.",
        "linkedin",
    ),
    (
        "Sophie Lefèvre",
        "Customer service manager",
        "Customer service",
        2,
        3,
        True,
        "expertise",
        "A clear process to escalate angry comments.",
        "escalation;faq",
    ),
    (
        "Karim Benali",
        "Support team lead",
        "Customer service",
        1,
        2,
        False,
        "expertise",
        "Canned answers for the top ten questions.",
        "faq",
    ),
    (
        "Émilie Dubois",
        "Events manager",
        "Events",
        2,
        3,
        False,
        "events;content",
        "Live coverage of the trade fairs.",
        "trade fairs;photos",
    ),
    (
        "Paul Mercier",
        "Communication director",
        "Communication",
        3,
        3,
        True,
        "expertise",
        "One voice across press and social media.",
        "spokesperson;brand",
    ),
    (
        "Léa Fournier",
        "Press officer",
        "Communication",
        2,
        2,
        False,
        "content",
        "Be warned before anything sensitive is posted.",
        "press",
    ),
    (
        "Nadia Chevalier",
        "HR business partner",
        "HR",
        2,
        2,
        False,
        "content;events",
        "Employer-brand posts for recruiting.",
        "recruiting",
    ),
    (
        "Julien Perrin",
        "Head of product",
        "Product",
        3,
        1,
        False,
        "expertise",
        "Launch posts that do not over-promise.",
        "launches",
    ),
    (
        "Margaux Blanc",
        "Product marketing manager",
        "Product",
        2,
        3,
        True,
        "content;expertise",
        "Launch calendar shared with the social team.",
        "launches;demos",
    ),
]

MEETINGS = [
    # contact, days ago, notes, [(follow-up, owner e-mail, due in days)]
    (
        "Paul Mercier",
        12,
        "Agreed the social team and the press office share one crisis contact list.",
        [("Send the draft crisis contact list", "strategy@demo.test", -2)],
    ),
    (
        "Inès Garnier",
        8,
        "Sales want two client stories a month on LinkedIn.",
        [
            ("Pick two clients for the first stories", "content@demo.test", 0),
            ("Share LinkedIn analytics with sales", "analyst@demo.test", 5),
        ],
    ),
    (
        "Claire Fontaine",
        5,
        "Behind-the-scenes series: one episode a fortnight, filmed on Thursdays.",
        [("Book the first shooting slot", "community@demo.test", 3)],
    ),
    (
        "Sophie Lefèvre",
        20,
        "Escalation path for angry comments drafted together.",
        [("Publish the escalation path in the charter", "admin@demo.test", -10)],
    ),
    ("Margaux Blanc", 3, "Launch calendar: product marketing adds dates, we add posts.", []),
]

AMBASSADORS = [
    # e-mail (or None), name, department, networks, relays, ideas, analytics
    (
        "contributor@demo.test",
        "Robin Moreau",
        "Sales",
        {Platform.LINKEDIN: "linkedin.com/in/robin-moreau"},
        True,
        True,
        False,
    ),
    (None, "Chloé Girard", "HR", {Platform.LINKEDIN: "", Platform.INSTAGRAM: "@chloe.g"}, True, False, False),
    (None, "Mehdi Ait", "Product", {Platform.X: "@mehdi_builds", Platform.LINKEDIN: ""}, True, True, True),
    (None, "Anne Caron", "Events", {Platform.INSTAGRAM: "@anne.events", Platform.FACEBOOK: ""}, True, False, False),
]

EXAMPLE_TEXTS = [
    (
        Platform.LINKEDIN,
        "Our team at the trade fair",
        "Proud to be at the trade fair with my colleagues this week. Come and say hello on our stand!",
    ),
    (Platform.INSTAGRAM, "Behind the scenes", "A peek behind the scenes of our latest video shoot #teamwork"),
]


def seed(workspace) -> None:
    if Department.objects.filter(workspace=workspace).exists():
        return  # seeded already: a second run adds nothing
    departments = {
        name: services.department_create(workspace=workspace, name=name, description=description)
        for name, description in DEPARTMENTS
    }
    for name, title, dept, influence, interest, met, brings, expectations, tags in CONTACTS:
        services.contact_create(
            workspace=workspace,
            full_name=name,
            job_title=title,
            department=departments[dept],
            email=f"{slugify(name).replace('-', '.')}@demo-brand.test",
            phone=f"+33 1 45 67 {len(name):02d} {influence}{interest}",
            influence=influence,
            interest=interest,
            is_met=met,
            expectations=expectations,
            brings_content="content" in brings,
            brings_expertise="expertise" in brings,
            brings_events="events" in brings,
            tag_names=tags.split(";"),
        )
    today = timezone.localdate()
    users = {u.email: u for u in User.objects.filter(memberships__workspace=workspace)}
    for name, days_ago, notes, follow_ups in MEETINGS:
        contact = Contact.objects.get(workspace=workspace, full_name=name)
        services.meeting_log(
            contact=contact,
            by=users.get("admin@demo.test"),
            date=today - timedelta(days=days_ago),
            attendees="Alex Martin, Sam Durand",
            notes=notes,
            follow_ups=[
                services.FollowUpDraft(description=text, owner=users.get(owner), due_on=today + timedelta(days=due))
                for text, owner, due in follow_ups
            ],
        )
    for email, name, dept, networks, relays, ideas, analytics in AMBASSADORS:
        user = users.get(email) if email else None
        if email and user is None:
            continue
        services.ambassador_sign_up(
            workspace=workspace,
            user=user,
            full_name=name,
            email=email or "",
            department=departments[dept],
            networks={str(p): h for p, h in networks.items()},
            relays_posts=relays,
            shares_ideas=ideas,
            helps_analytics=analytics,
        )
    texts = [
        services.example_text_add(
            workspace=workspace,
            by=users.get("content@demo.test"),
            month=today,
            title=title,
            text=text,
            platform=platform,
        )
        for platform, title, text in EXAMPLE_TEXTS
    ]
    # Two ambassadors already shared the first text, so the team sees who relays what.
    for ambassador in Ambassador.objects.filter(workspace=workspace, full_name__in=["Chloé Girard", "Mehdi Ait"]):
        services.relay_record(ambassador=ambassador, example_text=texts[0])
