"""Staff screens for insights: the dashboard (panels loaded one by one), exports and releases."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beacon.access.policy import Action, can
from beacon.insights import exports, selectors, services
from beacon.insights.formats.federal import Period
from beacon.insights.forms import FederalForm, FilterForm, ReleaseForm
from beacon.insights.models import PublishedRelease
from beacon.insights.privacy.dp import BudgetExceeded
from beacon.insights.selectors import Filters
from beacon.web.csvsafe import iter_csv
from beacon.web.decorators import StaffRequest, staff_view


def _filters(request: HttpRequest) -> tuple[FilterForm, Filters]:
    form = FilterForm(request.GET or None, viewer=services.viewer(request.user))
    return form, form.filters()


def _query(filters: Filters) -> str:
    from urllib.parse import urlencode

    params = {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "granularity": filters.granularity,
        "region": filters.region,
    }
    if filters.agency_id:
        params["agency"] = str(filters.agency_id)
    return urlencode(params)


def _stream(chunks: Iterator[bytes], filename: str, content_type: str = "text/csv; charset=utf-8") -> HttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view("insights", Action.VIEW)
@require_GET
def dashboard(request: StaffRequest) -> HttpResponse:
    form, filters = _filters(request)
    viewer = services.viewer(request.user)
    panels = [{"key": p.key, "title": p.title} for p in selectors.PANELS.values() if _available(p)]
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "query": _query(filters),
            "panels": panels,
            "viewer": viewer,
            "can_export_records": can(request.user, Action.EXPORT, "case"),
        },
    )


def _available(panel: selectors.Panel) -> bool:
    from django.apps import apps

    app = {"tips": "beacon.tips", "screenings": "beacon.screening"}.get(panel.subject)
    return app is None or apps.is_installed(app)


@staff_view("insights", Action.VIEW)
@require_GET
def panel(request: StaffRequest, key: str) -> HttpResponse:
    if key not in selectors.PANELS:
        raise Http404
    _form, filters = _filters(request)
    result = services.panel(request.user, key, filters)
    context = {
        "result": result,
        "table": result.table,
        "spec": result.spec,
        "spec_id": f"spec-{key}",
        "query": _query(filters),
        "key": key,
        "filters": filters,
    }
    template = "insights/_panel.html" if request.headers.get("HX-Request") else "insights/panel_page.html"
    return render(request, template, context)


@staff_view("insights", Action.EXPORT)
@require_GET
def panel_csv(request: StaffRequest, key: str) -> HttpResponse:
    if key not in selectors.PANELS:
        raise Http404
    _form, filters = _filters(request)
    chunks = services.panel_csv(request.user, key, filters)
    return _stream(chunks, f"beacon-{key}-{filters.start}-{filters.end}.csv")


# --- Exports ---------------------------------------------------------------------------------


@staff_view("case", Action.EXPORT)
@require_GET
def export_index(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    half = 1 if today.month <= 6 else 7
    return render(
        request,
        "insights/exports.html",
        {
            "tables": exports.HTCDS_TABLES,
            "federal_form": FederalForm(initial={"start": today.replace(month=half, day=1), "end": today}),
        },
    )


@staff_view("case", Action.EXPORT)
@require_GET
def export_htcds_table(request: StaffRequest, table: str) -> HttpResponse:
    if table not in exports.HTCDS_TABLES:
        raise Http404
    return _stream(services.htcds_csv(request.user, table), f"htcds-{table}.csv")


@staff_view("case", Action.EXPORT)
@require_GET
def export_htcds_json(request: StaffRequest) -> HttpResponse:
    return _stream(services.htcds_json(request.user), "htcds.json", "application/json")


@staff_view("case", Action.EXPORT)
@require_GET
def export_ctdc(request: StaffRequest) -> HttpResponse:
    return _stream(services.ctdc_csv(request.user), "ctdc-v2024.csv")


@staff_view("case", Action.EXPORT)
@require_GET
def export_federal(request: StaffRequest) -> HttpResponse:
    form = FederalForm(request.GET)
    if not form.is_valid():
        return render(
            request, "insights/exports.html", {"tables": exports.HTCDS_TABLES, "federal_form": form}, status=400
        )
    data = form.cleaned_data
    rows = services.federal_report(request.user, data["report"], Period(data["start"], data["end"]))
    return _stream(iter_csv(rows, bom=True), f"{data['report']}-{data['start']}-{data['end']}.csv")


# --- Releases --------------------------------------------------------------------------------


@staff_view("insights", Action.EXPORT)
@require_http_methods(["GET", "POST"])
def releases(request: StaffRequest) -> HttpResponse:
    status = services.budget_status(request.user)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filters = Filters(start=data["start"], end=data["end"])
        publish = services.publish_synthetic_release if data["kind"] == "synthetic" else services.publish_dp_release
        try:
            release = publish(request.user, filters, epsilon=data["epsilon"], title=data["title"])
        except BudgetExceeded as exc:
            form.add_error(
                "epsilon",
                _("Not enough privacy budget left: %(remaining).2f of %(total).2f remains.")
                % {"remaining": exc.remaining, "total": exc.total_budget},
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Release %(id)s published.") % {"id": release.public_id})
            return redirect("insights:releases")
    return render(
        request,
        "insights/releases.html",
        {"form": form, "budget": status, "releases": PublishedRelease.objects.all()[:20]},
    )
