from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .home import HOMES_WITH_FIGURES, home_kind, home_panels

TEMPLATES = {
    "contributor": "dashboard/home_contributor.html",
    "executive": "dashboard/home_executive.html",
    "team": "dashboard/home_team.html",
}


def home(request: HttpRequest) -> HttpResponse:
    """The team's dashboard; contributors and executives get a home of their own. The figures come after."""
    membership = request.membership
    if membership is None:
        return redirect("accounts:no_workspace")
    kind = home_kind(membership)
    context = {
        "panels": home_panels(request=request, home=kind),
        "home_kind": kind,
        "figures_url": reverse("dashboard:figures") if kind in HOMES_WITH_FIGURES else "",
    }
    return render(request, TEMPLATES[kind], context)


def figures(request: HttpRequest) -> HttpResponse:
    """The home's figure panels (followers, competitors, objectives), which the home fetches once it shows."""
    membership = request.membership
    if membership is None:
        return redirect("accounts:no_workspace")
    kind = home_kind(membership)
    panels = home_panels(request=request, home=kind, figures=True) if kind in HOMES_WITH_FIGURES else []
    return render(request, "dashboard/_figures.html", {"panels": panels})
