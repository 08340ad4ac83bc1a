from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from beacon.web import home_panels
from beacon.web.decorators import StaffRequest, staff_view


@staff_view()
def home(request: StaffRequest) -> HttpResponse:
    panels = [panel(request) for panel in home_panels.panels_for(request.user)]
    return render(request, "web/home.html", {"panels": [p for p in panels if p]})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
