"""How the app reads a client's address behind its trusted proxies: the settings django-axes passes to ipware.

A module of its own, so that settings.py and the tests build them from the same proxy count.
"""


def client_address_settings(trusted_proxy_count: int) -> dict:
    """The AXES_IPWARE_* settings for this many proxies in front of the app, each appending to X-Forwarded-For.

    0: the socket's REMOTE_ADDR, never the header (any client can write it). N: the N-th entry from the right of
    X-Forwarded-For, the one the proxy nearest to the client added; what a client put in the header before it is
    ignored. (ipware's own proxy count is the number of proxy addresses the header holds after the client's: one
    fewer than the proxies, since the last proxy's address is REMOTE_ADDR. Not strict, so a longer header, with a
    client's forgery on the left, still gives the same entry.)
    """
    if trusted_proxy_count < 0:
        raise ValueError("TRUSTED_PROXY_COUNT is the number of proxies in front of the app: 0 or more.")
    if trusted_proxy_count == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": False,
        }
    return {
        # A request without the header did not come through the proxy (a health check on the host): its socket.
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "IPWARE_STRICT": False,
    }
