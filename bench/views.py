"""The floor page: what every page pays before it shows anything (login, workspace, navigation, base layout)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines

from accounts.decorators import member_required

FLOOR = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Floor{% endblock %}{% block content %}{% endblock %}'
)


@member_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR.render({}, request))
