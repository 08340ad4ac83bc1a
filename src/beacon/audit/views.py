"""The audit page: who did what to which record, and who was refused; CSV export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from beacon.access.policy import Action, can
from beacon.accounts.models import User
from beacon.audit import selectors
from beacon.audit.forms import AuditFilterForm
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.web.csvsafe import iter_csv
from beacon.web.decorators import StaffRequest, staff_view

PAGE_SIZE = 100
EXPORT_HEADER = [
    "seq",
    "at_utc",
    "actor_id",
    "actor",
    "actor_agency_id",
    "action",
    "object_type",
    "object_id",
    "reason",
]


def _filters(form: AuditFilterForm) -> selectors.AuditFilters:
    if not form.is_valid():
        return selectors.AuditFilters()
    data = form.cleaned_data
    actor_ids = None
    if data["user"]:
        actor_ids = tuple(User.objects.filter(username=data["user"].strip()).values_list("pk", flat=True))
    return selectors.AuditFilters(
        actor_ids=actor_ids,
        action=data["action"],
        object_type=data["object_type"].strip(),
        object_id=data["object_id"].strip(),
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


def _names(ids: set[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))


@staff_view("audit", Action.VIEW)
def log(request: StaffRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    qs = selectors.entries(request.user, _filters(form))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    probing = selectors.probing(request.user)
    names = _names({e.actor_id for e in page if e.actor_id} | {p["actor_id"] for p in probing})
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [{"entry": e, "actor": names.get(e.actor_id, "")} for e in page],
        "probing": [{**p, "username": names.get(p["actor_id"], str(p["actor_id"]))} for p in probing],
        "query": query.urlencode(),
        "can_export": can(request.user, Action.EXPORT, "audit"),
    }
    return render(request, "audit/log.html", context)


@staff_view("audit", Action.EXPORT)
def export(request: StaffRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV, through the one formula-safe writer; the export is itself audited."""
    qs = selectors.entries(request.user, _filters(AuditFilterForm(request.GET or None)))
    record(request.user, AuditAction.EXPORT, object_type="audit.auditentry", reason="audit log CSV")
    names = _names(set(qs.exclude(actor_id=None).values_list("actor_id", flat=True).distinct()))

    def rows():
        for e in qs.iterator(chunk_size=2000):
            yield [
                e.seq,
                e.at.isoformat(),
                e.actor_id,
                names.get(e.actor_id, ""),
                e.actor_agency_id,
                e.action,
                e.object_type,
                e.object_id,
                e.reason,
            ]

    response = StreamingHttpResponse(
        iter_csv(rows(), header=EXPORT_HEADER, bom=True), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
