"""Connectors to the platforms. `connector_for(profile)` picks the one that pulls a tracked profile."""

from collections.abc import Callable

from ..platforms import NO_COMPETITOR_DATA
from .base import AuthExpired, Connector, NoLiveConnector, NotAvailable
from .demo import DemoConnector


def _credential(profile):
    from metrics.models import Credential

    credential = Credential.objects.filter(workspace_id=profile.workspace_id, platform=profile.platform).first()
    if credential is None:
        raise AuthExpired(f"No {profile.get_platform_display()} credential for this workspace: add one.")
    refuse_demo(credential)
    try:
        return credential, credential.token
    except ValueError as error:
        raise AuthExpired(str(error)) from error


def refuse_demo(credential) -> None:
    """A live profile never sends a demo connection's token (metrics.demo_connect) to a platform."""
    if credential.is_demo:
        raise AuthExpired(
            f"The workspace's {credential.get_platform_display()} connection is a demo one: connect the real account."
        )


def _x(profile) -> Connector:
    from .x import XConnector

    _, token = _credential(profile)
    return XConnector(token=token)


def _page_token(profile):
    """The connected account a profile acts through (chosen after Meta's consent screen), or None: then the
    workspace's pasted token is used, as before connect flows existed."""
    from metrics.models import ConnectedAccount

    account = ConnectedAccount.objects.filter(profile=profile).exclude(token_encrypted="").first()
    if account is None:
        return None
    try:
        return account.external_id, account.token
    except ValueError as error:
        raise AuthExpired(str(error)) from error


def _facebook(profile) -> Connector:
    from .meta import FacebookPageConnector

    if connected := _page_token(profile):
        page_id, token = connected
        return FacebookPageConnector(token=token, page_id=page_id)
    _, token = _credential(profile)
    return FacebookPageConnector(token=token, page_id=profile.external_id)


def _instagram(profile) -> Connector:
    from .meta import InstagramConnector

    if profile.is_own and (connected := _page_token(profile)):
        account_id, token = connected  # the linked Page's token acts for its Instagram account
        return InstagramConnector(token=token, own_account_id=account_id, is_own=True, handle=profile.handle)
    credential, token = _credential(profile)
    return InstagramConnector(
        token=token, own_account_id=credential.account_id, is_own=profile.is_own, handle=profile.handle
    )


def _bluesky(profile) -> Connector:
    from metrics.models import Credential

    from .bluesky import BlueskyConnector, session_keeper

    # Reads are public: a profile pulls without a connection; publishing needs the app password's session.
    credential = Credential.objects.filter(workspace_id=profile.workspace_id, platform=profile.platform).first()
    if credential is None or credential.is_demo or not credential.refresh_token_encrypted:
        return BlueskyConnector(handle=profile.handle)  # public reads; publishing then says it needs a connection
    _, token = _credential(profile)
    return BlueskyConnector(
        access_token=token, refresh_token=credential.refresh_token, did=credential.account_id,
        handle=credential.account_name, **session_keeper(credential),
    )  # fmt: skip


def _mastodon(profile) -> Connector:
    from .mastodon import mastodon_connector

    return mastodon_connector(profile)


def _linkedin(profile) -> Connector:
    from .linkedin import linkedin_connector

    return linkedin_connector(profile)


# platform value -> factory(profile) for live connections.
LIVE_CONNECTORS: dict[str, Callable] = {
    "x": _x, "facebook": _facebook, "instagram": _instagram, "bluesky": _bluesky, "mastodon": _mastodon,
    "linkedin": _linkedin,
}  # fmt: skip


def connector_for(profile) -> Connector:
    """The connector that pulls (and publishes for) this tracked profile. A competitor's account on a network that
    gives no other brand's figures (NO_COMPETITOR_DATA) has none, demo or live: as on the real platform."""
    if not profile.is_own and profile.platform in NO_COMPETITOR_DATA:
        raise NotAvailable(NO_COMPETITOR_DATA[profile.platform])
    if profile.source == "demo":
        return DemoConnector(profile.platform, is_own=profile.is_own, handle=profile.handle)
    factory = LIVE_CONNECTORS.get(profile.platform)
    if factory is None:
        raise NoLiveConnector(f"No live connector for {profile.get_platform_display()} yet.")
    return factory(profile)
