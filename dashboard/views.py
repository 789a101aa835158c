from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.roles import Role

from .home import home_panels


def home(request: HttpRequest) -> HttpResponse:
    """The team's dashboard; contributors and executives get a home of their own."""
    membership = request.membership
    if membership is None:
        return redirect("accounts:no_workspace")
    if membership.role == Role.CONTRIBUTOR:
        home_kind, template = "contributor", "dashboard/home_contributor.html"
    elif membership.role == Role.EXECUTIVE:
        home_kind, template = "executive", "dashboard/home_executive.html"
    else:
        home_kind, template = "team", "dashboard/home_team.html"
    panels = home_panels(request=request, home=home_kind)
    return render(request, template, {"panels": panels, "home_kind": home_kind})
