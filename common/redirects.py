"""Where to send the browser back to after a form: a user-supplied address only when it stays on this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The POSTed (or ?next=) address when it is a path of this site, else `default`.

    Every redirect to an address the request carries goes through here: `//evil.example`, `/\\evil.example`,
    `https://evil.example` and `javascript:` are refused by Django's own check, and only a path (never a full
    address, even of this host) is kept, so nothing depends on the Host header.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") and not target.startswith("//") else default
