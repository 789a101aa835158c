"""The member's notifications: the list, opening one, marking all read, the e-mail preferences, the bell's count
and the e-mails' unsubscribe page (the one public view: the signed token is the key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import Membership

from . import selectors, services
from .forms import PreferencesForm
from .kinds import label
from .unsubscribe import read_token

UNDO_SALT = "notifications.unsubscribe.undo"


def _membership(request):
    if request.membership is None:
        raise Http404("You are not a member of any workspace.")
    return request.membership


def notification_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    page = selectors.notifications_page(membership=membership, page=request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_count(membership=membership)},
    )


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go to what it is about (a path of this site; anything else stays on the list)."""
    notification = services.notification_open(membership=_membership(request), pk=pk)
    if notification is None:
        raise Http404
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("notifications:list")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(membership=_membership(request))
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked read.")
    return redirect("notifications:list")


def preferences(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    form = PreferencesForm(request.POST or None, initial_choices=selectors.preferences_of(membership=membership))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(membership=membership, choices=form.cleaned_data)
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@never_cache
def unread_count(request: HttpRequest) -> JsonResponse:
    """The bell's figure, for static/notifications/bell.js."""
    return JsonResponse({"unread": selectors.unread_count(membership=request.membership)})


def _unsubscribing(token: str):
    found = read_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    membership = Membership.objects.select_related("workspace", "user").filter(pk=found[0]).first()
    if membership is None:
        raise Http404("This membership no longer exists.")
    return membership, found[1]


@login_not_required
@csrf_exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token; the signed token is the key
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an e-mail, no login: no more e-mail of the kinds the link names; the page offers the undo."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    membership, kinds = _unsubscribing(token)
    previous = services.unsubscribe(membership=membership, kinds=kinds)
    undo = signing.dumps({"m": membership.pk, "p": previous}, salt=UNDO_SALT, compress=True)
    return render(
        request,
        "notifications/unsubscribed.html",
        {"subscriber": membership, "labels": [label(k) for k in kinds], "token": token, "undo": undo},
    )


@login_not_required
def unsubscribe_undo(request: HttpRequest, token: str) -> HttpResponse:
    membership, kinds = _unsubscribing(token)  # a link that is not ours is a 404, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        data = signing.loads(request.POST.get("undo", ""), salt=UNDO_SALT)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("m") != membership.pk or not isinstance(data.get("p"), dict):
        return render(
            request, "notifications/unsubscribed.html", {"subscriber": membership, "invalid": True}, status=400
        )
    services.unsubscribe_undo(membership=membership, previous={k: v for k, v in data["p"].items() if k in kinds})
    return render(
        request,
        "notifications/unsubscribed.html",
        {"subscriber": membership, "labels": [label(k) for k in kinds], "restored": True},
    )
