"""Metrics pages: thin views over selectors and services; every row is fetched within request.workspace."""

import unicodedata
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import area_required
from accounts.permissions import can
from common import dates
from common.numbers import as_percent
from outbox.feedback import say_queued
from outbox.selectors import action_of, unfinished_actions

from . import demo_connect, figures, oauth, selectors, services
from .connectors.mastodon import credential_server
from .engagement import DENOMINATOR_LABEL
from .forms import (
    AccountChoiceForm,
    BlueskyConnectForm,
    CredentialForm,
    OwnProfileEditForm,
    OwnProfileForm,
    PeriodForm,
    TopForm,
)
from .models import Credential, PullRun, TrackedProfile
from .platforms import Platform, colour_of
from .pull_history import failed_days as pull_failed_days
from .pull_history import pull_history
from .tasks import PULL_ACTIONS, queue_pull

CONNECTIONS_PER_PAGE = 25
PROFILES_PER_PAGE = 25  # the metrics page's table and charts


def _profile_for_member(request, pk) -> TrackedProfile:
    return get_object_or_404(TrackedProfile, pk=pk, workspace=request.workspace)


@area_required("metrics")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    # One page of accounts: the table and the charts show it, and only its figures are read.
    profiles = selectors.workspace_profiles(workspace=request.workspace)
    page = Paginator(profiles.values_list("pk", flat=True), PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    # Only the columns the table and the charts print: a profile's row also holds its connection's state and errors.
    shown = profiles.filter(pk__in=list(page.object_list)).only("pk", "platform", "handle", "is_own")
    read = figures.period_read(shown, start=start, end=end)
    profiles, performance, series, weekly = read.profiles, read.figures, read.followers, read.weekly
    weeks = sorted({w for per in weekly.values() for w in per})
    days = sorted({d for per in series.values() for d in per})
    charts = {
        "days": [d.isoformat() for d in days],
        "weeks": [w.isoformat() for w in weeks],
        "profiles": [
            {
                "label": f"@{p.handle} ({p.platform_label})" + ("" if p.is_own else " · competitor"),
                "colour": colour_of(p.platform),
                "platform": p.platform,  # the legend's network icon
                "key": p.pk,
                "own": p.is_own,
                "followers": _aligned(series.get(p.pk, {}), days),
                "rate": [as_percent(weekly[p.pk].get(w, (0, None))[1]) for w in weeks],
                "posts": [weekly[p.pk].get(w, (0, None))[0] for w in weeks],
            }
            for p in profiles
        ],
    }
    # The rate by impressions is the brand's own: competitors' views are not given, or not comparable.
    rows = [
        (p, performance.get(p.pk), performance[p.pk].rate_by_impressions if p.is_own and p.pk in performance else None)
        for p in profiles
    ]
    return render(
        request,
        "metrics/dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "page": page,
            "rows": rows,
            "charts": charts,
            "denominator": DENOMINATOR_LABEL,
        },
    )


def _aligned(values: dict, days: list) -> list:
    return [values.get(d) for d in days]


def _post_rows(posts: list[dict]) -> list[dict]:
    """The posts with their date and excerpt as the tables print them.

    Formatted here once: through the `date` and `truncatechars` filters the 40 rows took more time than the
    rest of the page. Same strings: the day as the site's time zone sees it, 180 characters at most.
    """
    for post in posts:
        post["when"] = dates.day_time(post["published_at"], separator=" ")
        # Truncator normalises to NFC as it counts characters; only a long text needs the count.
        text = unicodedata.normalize("NFC", post["text"])
        post["excerpt"] = Truncator(text).chars(180) if len(text) > 180 else text
    return posts


@area_required("metrics")
def top(request: HttpRequest) -> HttpResponse:
    form = TopForm(request.GET or None)
    if form.is_valid():
        start, end, platform = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["platform"]
    else:
        end = timezone.localdate()
        start, platform = end - timedelta(days=89), ""
    top_posts, flop_posts = selectors.top_and_flop(workspace=request.workspace, start=start, end=end, platform=platform)
    return render(
        request,
        "metrics/top.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "top_posts": _post_rows(top_posts),
            "flop_posts": _post_rows(flop_posts),
            "denominator": DENOMINATOR_LABEL,
        },
    )


@area_required("metrics")
def connections(request: HttpRequest) -> HttpResponse:
    manage = can(request.membership.role, "metrics", "manage_connections")
    context = _connections_context(request, manage)
    return _allowing_consent(render(request, "metrics/connections.html", context), context["providers"])


def _allowing_consent(response: HttpResponse, providers) -> HttpResponse:
    """ "Connect" (and "Reconnect") post to us and are redirected to the platform's consent screen: CSP form-action
    follows that redirect, so the page allows the consent screens it knows ('self' stays the only other target)."""
    origins = sorted({o for p, why in providers if not why and (o := p.consent_origin())})
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def _connections_context(request: HttpRequest, manage: bool) -> dict:
    # One page of connections: what a row shows is read for the page's rows only (problems come first).
    page = Paginator(selectors.connection_profiles(workspace=request.workspace), CONNECTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    profiles = list(page.object_list)
    runs = selectors.open_pull_runs(profiles=profiles)
    history = pull_history(profiles=profiles, today=timezone.localdate())
    for profile in profiles:
        profile.pull_history = history[profile.pk]
    credentials = selectors.workspace_credentials(workspace=request.workspace) if manage else []
    # The connect flows are read only for a "Reconnect" (metrics:connect lists them all).
    providers = (
        demo_connect.connect_choices(workspace=request.workspace)
        if any(c.needs_reconnecting for c in credentials)
        else []
    )
    for credential in credentials:
        # Where "Reconnect" goes: the provider a new connect flow for this network runs through here.
        credential.reconnect = next((p for p, why in providers if p.platform == credential.platform and not why), None)
        if credential.reconnect is not None and credential.reconnect.asks_server:
            credential.reconnect_server = credential_server(credential)
    return {
        "rows": [(p, runs.get(p.pk)) for p in profiles],
        "page": page,
        "manage": manage,
        "credentials": credentials,
        "providers": providers,
        # The page refreshes itself while a pull it shows is making progress.
        "has_running": any(run.is_live for run in runs.values()),
        # Pulls a person asked for that no worker has finished yet (outbox): "queued, waiting for the task queue".
        "queued": unfinished_actions(workspace=request.workspace, names=PULL_ACTIONS, key="profile_id"),
    }


@area_required("metrics", "manage_connections")
def connect(request: HttpRequest) -> HttpResponse:
    """Connect an account: every network's "Connect", Bluesky's app password, a pasted token, and a brand's own
    account tracked by its handle."""
    return _connect_page(request)


def _connect_page(request: HttpRequest, *, credential_form=None, profile_form=None, status: int = 200) -> HttpResponse:
    providers = demo_connect.connect_choices(workspace=request.workspace)
    context = {
        "providers": providers,
        "demo_journey": {p.platform for p, _ in providers if isinstance(p, oauth.DemoProvider)},
        "credential_form": credential_form if credential_form is not None else CredentialForm(),
        "bluesky_form": BlueskyConnectForm(),
        "profile_form": profile_form if profile_form is not None else OwnProfileForm(),
    }
    return _allowing_consent(render(request, "metrics/connect.html", context, status=status), providers)


@require_POST
@area_required("metrics", "manage_connections")
def pull_now(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_for_member(request, pk)
    if profile.needs_attention:
        messages.warning(request, f"{profile} needs attention: save a new credential for it first.")
        return redirect("metrics:connections")
    action = queue_pull(profile=profile, kind=PullRun.Kind.MANUAL, requested_by=request.user)
    say_queued(request, action, queued=f"A pull of {profile} is queued.", what=f"the pull of {profile}")
    return redirect("metrics:connections")


@require_POST
@area_required("metrics", "manage_connections")
def backfill(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_for_member(request, pk)
    action = queue_pull(profile=profile, kind=PullRun.Kind.BACKFILL, backfill=True, requested_by=request.user)
    say_queued(
        request,
        action,
        queued=f"A backfill of {profile}'s history is queued; its progress shows below.",
        what=f"the backfill of {profile}",
    )
    return redirect("metrics:connections")


def _local_time(value, zone_name: str) -> str:
    """ "9 Dec 2026, 10:00 (Europe/Paris)" in the workspace's zone; nothing for no time."""
    if value is None:
        return ""
    return f"{dates.day_time(timezone.localtime(value, ZoneInfo(zone_name)))} ({zone_name})"


@require_GET
@area_required("metrics")
def failed_days(request: HttpRequest, pk: int) -> HttpResponse:
    """A connection's failed days, fetched when someone opens them on the connections page (static/js/app.js)."""
    profile = _profile_for_member(request, pk)
    today = timezone.localdate()
    days = pull_failed_days(profile=profile, today=today)
    total = pull_history(profiles=[profile], today=today)[profile.pk].failed_day_count
    return render(request, "metrics/_failed_days.html", {"profile": profile, "days": days, "total": total})


@require_GET
@never_cache
@area_required("metrics")
def pull_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Where a queued pull or backfill stands, for the connections page to follow it without a reload."""
    action = action_of(workspace=request.workspace, pk=pk, names=PULL_ACTIONS)
    if action is None:
        raise Http404("No such pull in this workspace.")
    status = selectors.pull_status(action=action, run=selectors.pull_run_for_action(action=action))
    return JsonResponse(
        {
            "state": status.state,
            "final": status.final,
            "kind": status.kind,
            "pages": status.pages,
            "posts": status.posts,
            "posts_expected": status.posts_expected,
            "reason": status.reason,
            "waiting_for_queue": status.waiting_for_queue,
            "resumes_at": _local_time(status.resumes_at, request.workspace.time_zone),
        }
    )


@require_POST
@area_required("metrics", "manage_connections")
def credential_save(request: HttpRequest) -> HttpResponse:
    form = CredentialForm(request.POST)
    if form.is_valid():
        services.credential_save(workspace=request.workspace, **form.cleaned_data)
        messages.success(request, "Credential saved (encrypted). Profiles waiting for it will be pulled again.")
        return redirect("metrics:connections")
    return _connect_page(request, credential_form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@require_POST
@area_required("metrics", "manage_connections")
def own_profile_add(request: HttpRequest) -> HttpResponse:
    form = OwnProfileForm(request.POST)
    if form.is_valid():
        try:
            profile = services.own_profile_add(workspace=request.workspace, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{profile} is tracked; the next scheduled run pulls it.")
            return redirect("metrics:connections")
    return _connect_page(request, profile_form=form, status=400)


@area_required("metrics", "manage_connections")
def own_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Competitors' profiles are edited with their competitor (competitors page).
    profile = get_object_or_404(TrackedProfile, pk=pk, workspace=request.workspace, is_own=True)
    initial = {"handle": profile.handle, "source": profile.source, "is_active": profile.is_active}
    form = OwnProfileEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.own_profile_update(profile=profile, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{profile} saved.")
            return redirect("metrics:connections")
    return render(request, "metrics/own_profile_edit.html", {"profile": profile, "form": form})


@require_POST
@area_required("metrics", "manage_connections")
def profile_resume(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_for_member(request, pk)
    services.profile_pulls_resume(profile=profile)
    messages.success(request, f"{profile} will be pulled at the next scheduled run.")
    return redirect("metrics:connections")


@require_POST
@area_required("metrics", "manage_connections")
def credential_delete(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_object_or_404(Credential, pk=pk, workspace=request.workspace)
    network = credential.get_platform_display()
    revoked = services.credential_delete(credential=credential)
    if revoked is False:
        messages.warning(
            request,
            f"{network} is disconnected here, but {network} did not confirm it revoked the token: "
            "remove this app from the account's settings there too.",
        )
    else:
        messages.success(request, f"{network} disconnected" + (": its token is revoked." if revoked else "."))
    return redirect("metrics:connections")


@require_POST
@area_required("metrics", "manage_connections")
def oauth_connect(request: HttpRequest, platform: str) -> HttpResponse:
    """Start a flow: remember state and PKCE verifier in the session, send the admin to the consent screen. Bluesky
    (outside the demo) signs in here with a handle and an app password instead: no consent screen."""
    provider = demo_connect.provider_for(workspace=request.workspace, slug=platform)
    if provider is None and platform == Platform.BLUESKY:
        return _bluesky_sign_in(request)
    if provider is None:
        raise Http404("No connect flow for this network.")
    # Refused before the consent screen: back to the connect page, where the admin tries again.
    if reason := provider.missing_configuration():
        messages.error(request, reason)
        return redirect("metrics:connect")
    try:
        details = provider.flow_details(request.POST)
    except oauth.ConnectRefused as error:
        messages.error(request, str(error))
        return redirect("metrics:connect")
    member = request.user.pk
    address = oauth.flow_start(session=request.session, provider=provider, member_id=member, details=details)
    if address.startswith("/") or provider.consent_origin():
        return redirect(address)
    # A consent screen the page could not allow in advance (the Mastodon server just typed): CSP form-action would
    # stop the redirect, so a page of ours continues there as a new navigation.
    return render(request, "metrics/oauth_continue.html", {"provider": provider, "address": address})


@require_GET
@area_required("metrics", "manage_connections")
def oauth_callback(request: HttpRequest, platform: str) -> HttpResponse:
    """End a flow: check the one-use state, trade the code for a token, store it encrypted."""
    provider = demo_connect.provider_for(workspace=request.workspace, slug=platform)
    if provider is None:
        raise Http404("No connect flow for this network.")
    try:
        flow = oauth.flow_take(
            session=request.session, provider=provider, state=request.GET.get("state", ""), member_id=request.user.pk
        )
        if error := request.GET.get("error"):
            detail = "you declined the request" if error == "access_denied" else error
            raise oauth.ConnectRefused(f"{provider.label} was not connected: {detail}.")
        grant = provider.exchange(
            code=request.GET.get("code", ""), code_verifier=flow["verifier"], **flow.get("details", {})
        )
    except oauth.ConnectRefused as error:
        messages.error(request, str(error))
        return redirect("metrics:connections")
    demo = isinstance(provider, oauth.DemoProvider)
    credential = services.credential_connect(
        workspace=request.workspace, platform=provider.platform, grant=grant, by=request.user, demo=demo
    )
    if provider.chooses_accounts:
        oauth.choices_keep(
            session=request.session, provider=provider, member_id=request.user.pk,
            workspace_id=request.workspace.pk, credential_id=credential.pk, choices=grant.choices,
        )  # fmt: skip
        return redirect("metrics:oauth_choose", provider.slug)
    messages.success(request, f"{provider.label} {grant.account_name} is connected.")
    return redirect("metrics:connections")


@area_required("metrics", "manage_connections")
def oauth_choose(request: HttpRequest, platform: str) -> HttpResponse:
    """After a Meta or LinkedIn connect: which of the accounts the person manages the workspace tracks. Only this
    member's last flow in this workspace is offered; the form posts ids back, never a token."""
    provider = oauth.provider_for(platform)
    if provider is None or not provider.chooses_accounts:
        raise Http404("No choice of accounts for this network.")
    pending = oauth.choices_read(
        session=request.session, provider=provider, member_id=request.user.pk, workspace_id=request.workspace.pk
    )
    credential = pending and Credential.objects.filter(pk=pending[0], workspace=request.workspace).first()
    if not credential:
        messages.error(request, f"No {provider.label} connection is waiting for a choice: connect again.")
        return redirect("metrics:connections")
    choices = pending[1]
    tracked = selectors.tracked_external_ids(workspace=request.workspace, platform=provider.platform)
    form = AccountChoiceForm(request.POST or None, choices=choices, tracked=tracked)
    if request.method == "POST" and form.is_valid():
        profiles, refused = services.connected_accounts_choose(
            workspace=request.workspace, credential=credential, choices=choices,
            chosen=form.cleaned_data["accounts"], by=request.user,
        )  # fmt: skip
        oauth.choices_drop(session=request.session, provider=provider)
        if profiles:
            names = ", ".join(f"@{p.handle}" for p in profiles)
            messages.success(request, f"{provider.label} {names} tracked and connected; the next run pulls them.")
        for choice in refused:
            messages.warning(request, f"@{choice.handle} is followed as a competitor's account: it was left alone.")
        return redirect("metrics:connections")
    return render(
        request,
        "metrics/oauth_choose.html",
        {"provider": provider, "form": form, "credential": credential, "count": len(choices)},
        status=400 if form.is_bound else 200,
    )


@area_required("metrics", "manage_connections")
def demo_consent(request: HttpRequest, platform: str) -> HttpResponse:
    """The demo network's consent page (metrics.demo_connect): "Allow" hands a code back to the callback, "Cancel"
    says access_denied, as a platform's consent screen does."""
    provider = demo_connect.provider_for(workspace=request.workspace, slug=platform)
    if not isinstance(provider, oauth.DemoProvider):
        raise Http404("No demo network here.")
    state, challenge = request.GET.get("state", ""), request.GET.get("code_challenge", "")
    account = demo_connect.demo_account(workspace=request.workspace, platform=provider.platform)
    if request.method == "POST":
        allowed = request.POST.get("decision") == "allow"
        return redirect(
            demo_connect.consent_answer(
                provider=provider, account=account, allowed=allowed, state=state, code_challenge=challenge
            )
        )
    return render(request, "metrics/demo_consent.html", {"provider": provider, "account": account})


def _bluesky_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in to Bluesky with a handle and an app password; keep the session, encrypted, never the password."""
    form = BlueskyConnectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the Bluesky handle and an app password.")
        return redirect("metrics:connect")
    try:
        credential = services.bluesky_connect(workspace=request.workspace, by=request.user, **form.cleaned_data)
    except oauth.ConnectRefused as error:
        messages.error(request, str(error))
        return redirect("metrics:connect")
    messages.success(request, f"Bluesky {credential.account_name} is connected.")
    return redirect("metrics:connections")
