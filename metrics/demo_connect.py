"""The demo journey with no network: "Connect" for each network goes through the app's own demo consent page
(Allow / Cancel, the scopes the network would ask) and lands at once with a demo credential.

One rule says where (`demo_connects`): OAUTH_DEMO is on (development and `make run`; the settings refuse it with
DEBUG off, so a production site never connects a fake credential), the workspace's tracked accounts are all demo
ones, and the network's app keys are not configured (with keys, the real consent screen is used even in the demo).
Everywhere else a demo provider is unknown: the views answer 404 for it.

A demo credential is marked (`Credential.is_demo`): demo profiles pull through the DemoConnector whatever the
credential, and a live profile never sends a demo token to a platform (metrics.connectors refuse it).
"""

from dataclasses import replace

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.core import signing
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from . import oauth
from .models import TrackedProfile
from .platforms import Platform, label_of

# The networks a demo workspace connects, with the scopes each would ask (the real provider's, once one is built).
DEMO_SCOPES: dict[str, dict[str, str]] = {
    Platform.X: {scope: oauth.PROVIDERS["x"].scope_uses[scope] for scope in oauth.X_SCOPES},
    Platform.FACEBOOK: {
        "pages_show_list": "list the Pages you manage",
        "pages_read_engagement": "read the Page's posts and their figures",
        "read_insights": "read the Page's insights",
        "pages_manage_posts": "publish posts",
    },
    Platform.INSTAGRAM: {
        "instagram_basic": "read the professional account's profile and media",
        "instagram_manage_insights": "read the account's insights",
        "instagram_content_publish": "publish posts",
        "pages_show_list": "find the account through its Facebook Page",
    },
    Platform.LINKEDIN: {
        "r_organization_social": "read the company page's posts and their figures",
        "w_organization_social": "publish posts as the company page",
        "rw_organization_admin": "read the page's follower statistics",
    },
    Platform.BLUESKY: {"atproto": "act as the account", "transition:generic": "read and publish posts"},
    Platform.MASTODON: dict(oauth.PROVIDERS["mastodon"].scope_uses),
}
# The setting that holds a network's app keys: set, the real consent screen is used.
APP_KEYS = {
    Platform.X: "X_CLIENT_ID",
    Platform.FACEBOOK: "META_APP_ID",
    Platform.INSTAGRAM: "META_APP_ID",
    Platform.LINKEDIN: "LINKEDIN_CLIENT_ID",
}
CODE_SALT = "metrics.demo_connect.code"
CODE_MAX_AGE = 300  # seconds: a consent left open longer starts again


def _real_provider(platform: str) -> oauth.Provider | None:
    return next(
        (p for p in oauth.PROVIDERS.values() if p.platform == platform and not isinstance(p, oauth.DemoProvider)),
        None,
    )


def _demo_provider(platform: str) -> oauth.DemoProvider:
    real = _real_provider(platform)
    uses = dict(real.scope_uses) if real is not None and real.scope_uses else DEMO_SCOPES[platform]
    label = real.label if real is not None else label_of(platform)  # "X", as its real "Connect" says
    return oauth.DemoProvider(slug=platform, label=label, platform=platform, scopes=list(uses), scope_uses=uses)


DEMO_PROVIDERS: dict[str, oauth.DemoProvider] = {platform: _demo_provider(platform) for platform in DEMO_SCOPES}


def workspace_is_demo(workspace) -> bool:
    """A workspace whose tracked accounts are all demo ones (and has some): one query."""
    counts = TrackedProfile.objects.filter(workspace=workspace).aggregate(
        demo=Count("pk", filter=Q(source=TrackedProfile.Source.DEMO)),
        live=Count("pk", filter=~Q(source=TrackedProfile.Source.DEMO)),
    )
    return counts["demo"] > 0 and counts["live"] == 0


def demo_connects(*, workspace, platform: str, is_demo: bool | None = None) -> bool:
    """The one rule: does "Connect" for this network go through the demo consent page in this workspace?"""
    if not settings.OAUTH_DEMO or platform not in DEMO_PROVIDERS:
        return False
    if platform in APP_KEYS and getattr(settings, APP_KEYS[platform], ""):
        return False
    return workspace_is_demo(workspace) if is_demo is None else is_demo


def provider_for(*, workspace, slug: str) -> oauth.Provider | None:
    """The provider a connect flow for `slug` runs through in this workspace, or None (the views answer 404)."""
    if slug in DEMO_PROVIDERS and demo_connects(workspace=workspace, platform=slug):
        return DEMO_PROVIDERS[slug]
    provider = oauth.provider_for(slug)
    return None if isinstance(provider, oauth.DemoProvider) else provider


def provider_of(credential) -> oauth.Provider | None:
    """The provider that refreshes and revokes a stored credential: a demo one for a demo credential."""
    if credential.is_demo:
        return DEMO_PROVIDERS.get(credential.platform)
    return _real_provider(credential.platform)


def connect_choices(*, workspace) -> list[tuple[oauth.Provider, str]]:
    """The "Connect" buttons of the connections page: (provider, why it is disabled or "")."""
    is_demo = workspace_is_demo(workspace) if settings.OAUTH_DEMO else False
    demo = [
        DEMO_PROVIDERS[p] for p in DEMO_PROVIDERS if demo_connects(workspace=workspace, platform=p, is_demo=is_demo)
    ]
    shown = {p.platform for p in demo}
    real = [p for p in oauth.PROVIDERS.values() if not isinstance(p, oauth.DemoProvider) and p.platform not in shown]
    return [(p, "") for p in demo] + [(p, p.missing_configuration()) for p in real]


def consent_address(provider: oauth.DemoProvider, *, state: str, code_verifier: str) -> str:
    """Where the demo network's consent page is, with what a real authorize address carries."""
    query = {
        "state": state,
        "scope": " ".join(provider.scopes),
        "code_challenge": create_s256_code_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    return f"{reverse('metrics:demo_consent', args=[provider.slug])}?{urlencode(query)}"


def demo_account(*, workspace, platform: str) -> str:
    """The account a demo connection acts as: the workspace's own demo account on the network."""
    handle = (
        TrackedProfile.objects.filter(
            workspace=workspace, platform=platform, is_own=True, source=TrackedProfile.Source.DEMO
        )
        .order_by("pk")
        .values_list("handle", flat=True)
        .first()
    )
    return f"@{handle or 'demo_brand'}"


def consent_answer(
    *, provider: oauth.DemoProvider, account: str, allowed: bool, state: str, code_challenge: str
) -> str:
    """Where the consent page sends the person back, as a platform's does: the callback with a code and the state on
    "Allow", with error=access_denied on "Cancel". The code is signed, so only this site's consent page makes one."""
    if allowed:
        note = {"p": provider.platform, "a": account, "c": code_challenge}
        answer = {"code": signing.dumps(note, salt=CODE_SALT, compress=True), "state": state}
    else:
        answer = {"error": "access_denied", "state": state}
    return f"{reverse('metrics:oauth_callback', args=[provider.slug])}?{urlencode(answer)}"


def grant_for_code(provider: oauth.DemoProvider, *, code: str, code_verifier: str) -> oauth.Grant:
    """Trade a demo code for a demo grant, as a token endpoint would: signature, age, network and PKCE checked."""
    try:
        note = signing.loads(code, salt=CODE_SALT, max_age=CODE_MAX_AGE)
    except signing.BadSignature as error:
        raise oauth.ConnectRefused("The demo network gave an unknown or expired code: connect again.") from error
    if note.get("p") != provider.platform or note.get("c") != create_s256_code_challenge(code_verifier):
        raise oauth.ConnectRefused("The demo network's code belongs to another connection attempt: connect again.")
    grant = provider.refresh(refresh_token="")
    return replace(grant, account_id=f"demo:{note['a'].lstrip('@')}", account_name=note["a"])
