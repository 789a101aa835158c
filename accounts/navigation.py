"""The main navigation: an entry shows only when the role may use it and its page exists."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .permissions import allowed_actions


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    area: str
    actions: frozenset  # any one of these actions in the area shows the entry
    icon: str
    group: str = ""  # entries sharing a group show as one dropdown


def _entry(label, url_name, area, actions, icon, group=""):
    return NavEntry(label, url_name, area, frozenset(actions), icon, group)


GROUP_ICONS = {"Calendars": "calendar3"}


NAV = [
    _entry("Dashboard", "dashboard:home", "dashboard", {"view"}, "speedometer2"),
    _entry("Audit", "audits:report", "audit", {"view"}, "clipboard-check"),
    _entry("Stakeholders", "stakeholders:directory", "stakeholders", {"view"}, "people"),
    _entry("Ambassador", "stakeholders:ambassadors", "stakeholders", {"own_ambassador"}, "megaphone"),
    _entry("Ideas", "calendar_app:idea_list", "ideas", {"view", "view_own"}, "lightbulb"),
    _entry("Editorial calendar", "calendar_app:editorial", "editorial", {"view"}, "journal-text", "Calendars"),
    _entry("Publishing calendar", "calendar_app:publishing", "publishing", {"view"}, "calendar-week", "Calendars"),
    _entry("Posting queue", "calendar_app:queue", "publishing", {"view"}, "clock", "Calendars"),
    _entry("Weekly meeting", "calendar_app:meeting", "meeting", {"view"}, "people", "Calendars"),
    # The publishing area's images and videos, beside its calendars (a top-level entry would widen the bar past 1440 px).
    _entry("Media library", "media_library:library", "publishing", {"view"}, "images", "Calendars"),
    _entry("Competitors", "competitors:benchmark", "competitors", {"view"}, "bar-chart-steps"),
    _entry("Metrics", "metrics:dashboard", "metrics", {"view"}, "graph-up"),
    _entry("Strategy", "strategy:home", "strategy", {"view"}, "compass"),
    _entry("Charter", "strategy:charter", "strategy", {"charter"}, "file-earmark-text"),
    _entry("Reports", "reports:list", "reports", {"view"}, "file-earmark-bar-graph"),
]


def nav_for(role: str | None, current_path: str) -> list[dict]:
    """The entries this role may use, in order; grouped entries come as one item with `children`."""
    items, groups = [], {}
    for entry in NAV:
        granted = allowed_actions(role, entry.area)
        if not granted & entry.actions:
            continue
        # A contributor sees "Charter" but not "Strategy"; a strategist sees "Strategy" only.
        if entry.url_name == "strategy:charter" and "view" in granted:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # that area's pages are not built yet
        active = current_path == url if url == "/" else current_path.startswith(url)
        item = {"label": entry.label, "url": url, "icon": entry.icon, "active": active}
        if not entry.group:
            items.append(item)
            continue
        if entry.group not in groups:
            groups[entry.group] = {"label": entry.group, "icon": GROUP_ICONS.get(entry.group, "list"), "children": []}
            items.append(groups[entry.group])
        groups[entry.group]["children"].append(item)
        groups[entry.group]["active"] = groups[entry.group].get("active") or active
    return items
