"""The public statistics page: the latest published release only (already noised or synthetic).

The portal shows what insights publishes; it never reads case data itself."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beacon.insights import services
from beacon.insights.models import ReleaseKind
from beacon.portal.statistics_labels import labelled_pairs
from beacon.web.csvsafe import iter_csv


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    release = services.latest_release(ReleaseKind.DP)
    if release is not None:
        for table in release.content.get("tables", []):
            table["pairs"] = labelled_pairs(table)
    return render(
        request,
        "portal/statistics.html",
        {
            "release": release,
            "synthetic": services.latest_release(ReleaseKind.SYNTHETIC),
        },
    )


@require_GET
def synthetic_csv(request: HttpRequest) -> HttpResponse:
    release = services.latest_release(ReleaseKind.SYNTHETIC)
    if release is None:
        raise Http404
    content = release.content
    response = StreamingHttpResponse(
        iter_csv(content["rows"], header=content["columns"]), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="beacon-synthetic-{release.public_id}.csv"'
    return response
