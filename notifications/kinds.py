"""Every kind of notification, with what the preferences page calls it and how it is e-mailed by default.

An app that adds a kind adds it here, then calls `notifications.services.notify(kind=...)` from its service.
In the app a notification always shows; the member chooses per kind whether it is also e-mailed: not at all, at
once, or in the daily digest. Failures and comments are e-mailed at once by default, the rest in the digest.
"""

from dataclasses import dataclass

from django.db import models


class Email(models.TextChoices):
    OFF = "off", "No e-mail"
    IMMEDIATE = "immediate", "E-mail at once"
    DIGEST = "digest", "Daily digest"


@dataclass(frozen=True)
class Kind:
    label: str  # what the preferences page and the e-mails call it
    description: str  # who gets it, when
    email: str  # the default e-mail choice (Email)


KINDS: dict[str, Kind] = {
    "review_requested": Kind(
        "Reviews requested",
        "A publication was sent for review, or reached the approval step that is yours, and you may approve it.",
        Email.DIGEST,
    ),
    "approved": Kind(
        "Approvals",
        "A publication you wrote was approved, or a first approval waits for your final one.",
        Email.DIGEST,
    ),
    "changes_requested": Kind(
        "Changes requested", "A reviewer sent your publication back with what should change.", Email.IMMEDIATE
    ),
    "review_expired": Kind(
        "Expired reviews", "Nobody answered your publication's review in time: it is a draft again.", Email.IMMEDIATE
    ),
    "client_review": Kind(
        "Client reviews",
        "A reviewer outside the workspace approved, asked for changes or commented on a post.",
        Email.IMMEDIATE,
    ),
    "comment": Kind("Comments", "Someone commented on your idea or post, or answered in its thread.", Email.IMMEDIATE),
    "mention": Kind("Mentions", "Someone wrote @your name in a comment.", Email.IMMEDIATE),
    "idea_triaged": Kind("Your ideas", "The content lead accepted, parked or declined your idea.", Email.DIGEST),
    "follow_up_due": Kind("Follow-ups due", "A stakeholder follow-up you own is due today.", Email.DIGEST),
    "publication_failed": Kind(
        "Publishing problems", "A post could not be sent, or may not have gone out.", Email.IMMEDIATE
    ),
    "connection_needs_attention": Kind(
        "Connections to renew", "A network connection stopped working and must be reconnected.", Email.IMMEDIATE
    ),
    "audit_critical": Kind("Critical audit findings", "An audit run found new critical findings.", Email.DIGEST),
    # The report itself is e-mailed to the executives (reports/): the notification is for the app.
    "report_ready": Kind("Monthly report", "The month's executive report is ready.", Email.OFF),
    # It is the monthly staff mail itself (seed 004): e-mailed when it is written.
    "ambassador_relay": Kind(
        "Publications to relay", "Once a month, the publications to relay and texts ready to copy.", Email.IMMEDIATE
    ),
}

KIND_CHOICES = [(name, kind.label) for name, kind in KINDS.items()]


class UnknownKind(LookupError):
    pass


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(f"No notification kind is named {name!r}: add it to notifications.kinds.KINDS.") from None


def label(name: str) -> str:
    return KINDS[name].label if name in KINDS else name
