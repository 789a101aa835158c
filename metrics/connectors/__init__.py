"""Connectors to the platforms. `connector_for(profile)` picks the one that pulls a tracked profile."""

from collections.abc import Callable

from .base import Connector, ConnectorError
from .demo import DemoConnector

# platform value -> factory(profile) for live connections; filled by the X and Meta connector modules.
LIVE_CONNECTORS: dict[str, Callable] = {}


def connector_for(profile) -> Connector:
    """The connector that pulls (and publishes for) this tracked profile."""
    if profile.source == "demo":
        return DemoConnector(profile.platform)
    factory = LIVE_CONNECTORS.get(profile.platform)
    if factory is None:
        raise ConnectorError(f"No live connector for {profile.get_platform_display()} yet.")
    return factory(profile)
