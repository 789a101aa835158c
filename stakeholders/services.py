"""Every change to the stakeholder directory goes through these functions."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, Workspace
from calendar_app.relay import publications_to_relay
from notifications.services import notify

from .models import Ambassador, AmbassadorNetwork, Contact, Department, ExampleText, FollowUp, Meeting, Relay, Tag

CONTACT_FIELDS = (
    "department",
    "full_name",
    "job_title",
    "email",
    "phone",
    "expectations",
    "brings_content",
    "brings_expertise",
    "brings_events",
    "can_bring",
    "preferred_channel",
    "influence",
    "interest",
    "is_met",
)


def department_create(*, workspace: Workspace, name: str, description: str = "") -> Department:
    """Add a department; a name the workspace already has is refused."""
    name = name.strip()
    taken = ValidationError(f"There is already a department called {name}.")
    if Department.objects.filter(workspace=workspace, name__iexact=name).exists():
        raise taken
    try:
        with transaction.atomic():
            return Department.objects.create(workspace=workspace, name=name, description=description)
    except IntegrityError:
        raise taken from None  # the same name saved by another request a moment ago


def department_get_or_create(*, workspace: Workspace, name: str) -> Department:
    """The department with that name (any case), created if it does not exist yet."""
    name = name.strip()
    existing = Department.objects.filter(workspace=workspace, name__iexact=name).first()
    return existing or Department.objects.create(workspace=workspace, name=name)


def _tags_from_names(*, workspace: Workspace, names) -> list[Tag]:
    tags = []
    for name in dict.fromkeys(n.strip().lower() for n in names if n and n.strip()):
        tag, _ = Tag.objects.get_or_create(workspace=workspace, name=name[:40])
        tags.append(tag)
    return tags


def _check_department(workspace: Workspace, department: Department | None) -> None:
    if department is not None and department.workspace_id != workspace.pk:
        raise ValidationError("That department belongs to another workspace.")


def contact_create(*, workspace: Workspace, tag_names=(), **fields) -> Contact:
    """Add a contact to the directory."""
    _check_department(workspace, fields.get("department"))
    with transaction.atomic():
        contact = Contact.objects.create(
            workspace=workspace, **{k: v for k, v in fields.items() if k in CONTACT_FIELDS}
        )
        contact.tags.set(_tags_from_names(workspace=workspace, names=tag_names))
    return contact


def contact_update(*, contact: Contact, tag_names=None, **fields) -> Contact:
    """Change a contact's details (and its tags when `tag_names` is given)."""
    _check_department(contact.workspace, fields.get("department"))
    with transaction.atomic():
        for name, value in fields.items():
            if name in CONTACT_FIELDS:
                setattr(contact, name, value)
        contact.save()
        if tag_names is not None:
            contact.tags.set(_tags_from_names(workspace=contact.workspace, names=tag_names))
    return contact


def contact_delete(*, contact: Contact) -> None:
    """Remove a contact with its meetings and follow-ups."""
    contact.delete()


@dataclass
class FollowUpDraft:
    description: str
    due_on: date
    owner: User | None = None


def meeting_log(
    *,
    contact: Contact,
    by: User | None,
    date: date,
    attendees: str = "",
    notes: str = "",
    follow_ups: list[FollowUpDraft] = (),
) -> Meeting:
    """Note a meeting with a contact and what was promised; the contact counts as met from then on."""
    with transaction.atomic():
        meeting = Meeting.objects.create(
            workspace=contact.workspace, contact=contact, date=date, attendees=attendees, notes=notes, created_by=by
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                workspace=contact.workspace,
                meeting=meeting,
                description=draft.description,
                due_on=draft.due_on,
                owner=draft.owner,
            )
            for draft in follow_ups
        )
        if not contact.is_met:
            contact.is_met = True
            contact.save(update_fields=["is_met", "updated_at"])
    return meeting


def follow_up_complete(*, follow_up: FollowUp) -> FollowUp:
    """Tick a follow-up off; ticking it twice keeps the first time."""
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at"])
    return follow_up


def follow_up_reopen(*, follow_up: FollowUp) -> FollowUp:
    """Undo a tick made by mistake."""
    follow_up.done_at = None
    follow_up.save(update_fields=["done_at"])
    return follow_up


def follow_ups_due_notify(*, now=None) -> int:
    """Beat, hourly: each open follow-up due today, by its workspace's time zone, notifies its owner (once)."""
    now = now or timezone.now()
    around = (now.date() - timedelta(days=1), now.date() + timedelta(days=1))  # today somewhere on earth
    due = FollowUp.objects.filter(done_at=None, owner__isnull=False, due_on__range=around)
    told = 0
    for follow_up in due.select_related("workspace", "meeting__contact").order_by("pk"):
        if follow_up.due_on != now.astimezone(ZoneInfo(follow_up.workspace.time_zone)).date():
            continue
        meeting = follow_up.meeting
        with transaction.atomic():
            told += notify(
                workspace=follow_up.workspace, kind="follow_up_due", recipients=[follow_up.owner_id],
                title=f"Follow-up due today: {follow_up.description}",
                body=f"Promised to {meeting.contact} at the meeting of {meeting.date:%d %b %Y}.",
                link=reverse("stakeholders:contact", args=[meeting.contact_id]),
                dedupe_key=f"follow_up:{follow_up.pk}:due:{follow_up.due_on.isoformat()}",
            )  # fmt: skip
    return told


def ambassadors_monthly_notify(*, workspace: Workspace, month_start: date) -> int:
    """The monthly staff mail (seed 004): the month's publications to relay, and the texts ready to copy, to every
    active ambassador who relays posts and has an account. Once a month; nothing when there is nothing to relay."""
    month_start = month_start.replace(day=1)
    ambassadors = list(
        Ambassador.objects.filter(
            workspace=workspace, is_active=True, relays_posts=True, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    publications = publications_to_relay(workspace=workspace, month_start=month_start)
    texts = list(ExampleText.objects.filter(workspace=workspace, month=month_start).order_by("pk"))
    if not ambassadors or not (publications or texts):
        return 0
    lines = [f"Our publications of {month_start:%B %Y} to relay on your own networks:"] if publications else []
    for p in publications:
        lines += [f"- {p['scheduled_at']:%a %d %b, %H:%M} · {p['network_label']} · {p['title']}", f"  {p['copy']}"]
        lines += [f"  {p['permalink']}"] if p["permalink"] else []
    lines += ["", "Texts ready to copy and paste:"] if texts else []
    for text in texts:
        lines += [f"- {text.title}" + (f" ({text.get_platform_display()})" if text.platform else ""), f"  {text.text}"]
        lines += [f"  {text.link}"] if text.link else []
    with transaction.atomic():
        return notify(
            workspace=workspace, kind="ambassador_relay", recipients=ambassadors,
            title=f"{month_start:%B %Y}: {_count(len(publications), 'publication')} to relay, "
            f"{_count(len(texts), 'text')} ready to copy",
            body="\n".join(lines).strip(), link=reverse("stakeholders:ambassadors"),
            dedupe_key=f"ambassadors:{workspace.pk}:{month_start:%Y-%m}",
        )  # fmt: skip


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


AMBASSADOR_FIELDS = ("full_name", "email", "department", "relays_posts", "shares_ideas", "helps_analytics", "notes")


def _set_networks(ambassador: Ambassador, networks: dict[str, str]) -> None:
    """Replace the ambassador's networks with `networks` ({platform: handle})."""
    ambassador.networks.exclude(platform__in=list(networks)).delete()
    for platform, handle in networks.items():
        AmbassadorNetwork.objects.update_or_create(
            ambassador=ambassador, platform=platform, defaults={"handle": handle.strip()}
        )


def ambassador_sign_up(*, workspace: Workspace, user: User | None, networks: dict[str, str], **fields) -> Ambassador:
    """An employee volunteers as an ambassador (or the team adds one); one profile per user."""
    _check_department(workspace, fields.get("department"))
    if user is not None and Ambassador.objects.filter(workspace=workspace, user=user).exists():
        raise ValidationError("You are already an ambassador: edit your profile instead.")
    if not networks:
        raise ValidationError("Pick at least one network where you would relay our publications.")
    with transaction.atomic():
        ambassador = Ambassador.objects.create(
            workspace=workspace, user=user, **{k: v for k, v in fields.items() if k in AMBASSADOR_FIELDS}
        )
        _set_networks(ambassador, networks)
    return ambassador


def ambassador_update(*, ambassador: Ambassador, networks: dict[str, str] | None = None, **fields) -> Ambassador:
    """Change an ambassador's profile and, when given, their networks."""
    _check_department(ambassador.workspace, fields.get("department"))
    if networks is not None and not networks:
        raise ValidationError("Pick at least one network where you would relay our publications.")
    with transaction.atomic():
        for name, value in fields.items():
            if name in (*AMBASSADOR_FIELDS, "is_active"):
                setattr(ambassador, name, value)
        ambassador.save()
        if networks is not None:
            _set_networks(ambassador, networks)
    return ambassador


def ambassador_leave(*, ambassador: Ambassador) -> Ambassador:
    """Stop being an ambassador; the profile stays so the team keeps the history."""
    ambassador.is_active = False
    ambassador.save(update_fields=["is_active"])
    return ambassador


def example_text_add(
    *, workspace: Workspace, by: User | None, month: date, title: str, text: str, platform: str = "", link: str = ""
) -> ExampleText:
    """Suggest a ready-to-copy text to ambassadors for one month."""
    return ExampleText.objects.create(
        workspace=workspace,
        month=month.replace(day=1),
        title=title,
        text=text,
        platform=platform,
        link=link,
        created_by=by,
    )


def example_text_delete(*, example_text: ExampleText) -> None:
    """Withdraw a suggested text."""
    example_text.delete()


def relay_record(*, ambassador: Ambassador, example_text: ExampleText) -> Relay:
    """An ambassador shared an example text; saying so twice records it once."""
    if ambassador.workspace_id != example_text.workspace_id:
        raise ValidationError("That text belongs to another workspace.")
    if not ambassador.is_active:
        raise ValidationError("Your ambassador profile is paused: open it and save it to come back.")
    relay, _ = Relay.objects.get_or_create(ambassador=ambassador, example_text=example_text)
    return relay


def relay_undo(*, ambassador: Ambassador, example_text: ExampleText) -> None:
    """Take back a relay ticked by mistake."""
    Relay.objects.filter(ambassador=ambassador, example_text=example_text).delete()
