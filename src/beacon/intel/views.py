"""Staff screens for online recruitment and advertisement intelligence: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beacon.access.policy import Action, can
from beacon.intel import core, forms, highlight, selectors, services, tasks, vocab
from beacon.intel.models import Network, Post
from beacon.web.csvsafe import iter_csv
from beacon.web.decorators import StaffRequest, staff_view

RESOURCE = "intel"


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ------------------------------------------------------------------------------------------ networks
@staff_view(RESOURCE, Action.VIEW)
@require_GET
def networks(request: StaffRequest) -> HttpResponse:
    form = forms.NetworkFilterForm(request.GET or None)
    filters = selectors.NetworkFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.NetworkFilters(
            sort=d["sort"] or "score",
            family=d["family"],
            county=d["county"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            page=d["page"] or 1,
        )
    page = selectors.network_page(request.user, filters)
    return render(
        request,
        "intel/networks.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "run": selectors.latest_run(request.user),
            "may_import": can(request.user, Action.CREATE, RESOURCE),
        },
    )


def _flag_rows(network: Network) -> list[dict[str, Any]]:
    rows = [{"flag": f, "description": vocab.describe(f), "posts": n} for f, n in network.flag_counts.items()]
    return sorted(rows, key=lambda r: -r["posts"])


def _moved(request: HttpRequest, public_id: str, view: str) -> HttpResponse:
    """An id a network no longer has: follow it to the network holding most of its posts now."""
    alias = selectors.network_alias(request.user, public_id)
    if alias is None:
        raise Http404
    messages.info(
        request,
        _("Network %(old)s is now part of network %(new)s (%(how)s).")
        % {"old": alias.old_id, "new": alias.network_id, "how": alias.get_kind_display()},
    )
    return redirect(view, public_id=alias.network_id)


@staff_view(RESOURCE, Action.VIEW)
@require_GET
def network_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    network = selectors.get_network(request.user, public_id)
    if network is None:
        return _moved(request, public_id, "intel:network")
    services.record_view(request.user, network)
    posts = list(selectors.network_posts(network, limit=500))
    return render(
        request,
        "intel/network_detail.html",
        {
            "network": network,
            "posts": [
                {"post": p, "segments": highlight.segments(p.text, p.flags), "flags": [h["flag"] for h in p.flags]}
                for p in posts
            ],
            "shown": len(posts),
            "contacts": selectors.network_contacts(network),
            "timeline": selectors.timeline(posts),
            "flag_rows": _flag_rows(network),
            "linked": selectors.linked_records(request.user, network),
            "history": selectors.network_history(network),
            "may_export": can(request.user, Action.EXPORT, RESOURCE),
            "descriptions": vocab.flag_descriptions(),
        },
    )


EXPORT_HEADER = [
    "network",
    "rank",
    "source",
    "post_id",
    "url",
    "posted_at",
    "location",
    "city",
    "county_fips",
    "title",
    "body",
    "phones",
    "emails",
    "handles",
    "flags",
    "flag_words",
    "flag_score",
]


def export_rows(network: Network):
    for p in selectors.network_posts(network).iterator(chunk_size=500):
        ex = p.extracted or {}
        yield [
            network.public_id,
            network.rank,
            p.source,
            p.source_post_id,
            p.url,
            p.posted_at.isoformat() if p.posted_at else "",
            p.location,
            p.city,
            p.county_fips,
            p.title,
            p.body,
            " ".join(x["e164"] for x in ex.get("phones", [])),
            " ".join(x["value"] for x in ex.get("emails", [])),
            " ".join(f"{x['platform']}:{x['value']}" for x in ex.get("handles", [])),
            " ".join(h["flag"] for h in p.flags),
            "; ".join(f"{h['flag']}: " + ", ".join(highlight.phrases(h)) for h in p.flags),
            p.flag_score,
        ]


@staff_view(RESOURCE, Action.EXPORT)
@require_GET
def network_export(request: StaffRequest, public_id: str) -> HttpResponse:
    network = selectors.get_network(request.user, public_id)
    if network is None:
        return _moved(request, public_id, "intel:network_export")
    services.record_export(request.user, network)
    response = StreamingHttpResponse(
        iter_csv(export_rows(network), header=EXPORT_HEADER, bom=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="network-{network.public_id}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------------------------------ posts
@staff_view(RESOURCE, Action.VIEW)
@require_GET
def posts(request: StaffRequest) -> HttpResponse:
    form = forms.PostSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        page = selectors.search_posts(
            request.user,
            selectors.PostFilters(q=d["q"], phone=d["phone"], email=d["email"], flag=d["flag"], page=d["page"] or 1),
        )
    elif not form.is_bound:
        page = selectors.search_posts(request.user, selectors.PostFilters())
    return render(
        request,
        "intel/posts.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "descriptions": vocab.flag_descriptions(),
        },
    )


@staff_view(RESOURCE, Action.VIEW)
@require_GET
def post_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    post: Post | None = selectors.get_post(request.user, public_id)
    if post is None:
        raise Http404
    return render(
        request,
        "intel/post_detail.html",
        {
            "post": post,
            "segments": highlight.segments(post.text, post.flags),
            "flag_items": [{"hit": h, "phrases": highlight.phrases(h)} for h in post.flags],
            "networks": list(selectors.post_networks(request.user, post)),
            "descriptions": vocab.flag_descriptions(),
        },
    )


# ------------------------------------------------------------------------------------------ imports
@staff_view(RESOURCE, Action.CREATE)
@require_http_methods(["GET", "POST"])
def imports(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.start_import(
                    request.user,
                    form.cleaned_data["file"],
                    default_source=form.cleaned_data["source"],
                    analyse_after=form.cleaned_data["analyse_after"],
                    preview=True,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("intel:import_preview", public_id=job.public_id)
    else:
        form = forms.ImportForm()
    return render(request, "intel/imports.html", {"form": form, "jobs": selectors.recent_jobs(request.user)})


def _preview_rows(preview) -> list[dict[str, Any]]:
    rows = []
    for item in preview.rows:
        if isinstance(item, core.RowError):
            rows.append({"line": item.line, "error": item.message})
            continue
        ex = core.extract(item)
        rows.append(
            {
                "line": item.line,
                "post": item,
                "posted": services.parse_time(item.posted_at),
                "contacts": [p.e164 for p in ex.phones] + [e.value for e in ex.emails] + [h.key for h in ex.handles],
            }
        )
    return rows


@staff_view(RESOURCE, Action.CREATE)
@require_http_methods(["GET", "POST"])
def import_preview(request: StaffRequest, public_id: str) -> HttpResponse:
    """Check which column holds what against the first rows, then load (or change and look again)."""
    job = selectors.get_job(request.user, public_id)
    if job is None:
        raise Http404
    if not job.awaiting_preview:
        return redirect("intel:import", public_id=job.public_id)
    preview = services.preview_import(job)
    initial = forms.ImportMappingForm.initial_for(preview.fields, preview.contacts, job.source_tz, job.default_source)
    form = forms.ImportMappingForm(request.POST or None, header=preview.header, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_import_mapping(request.user, job, form.mapping(), default_source=form.cleaned_data["source"])
            if request.POST.get("action") == "load":
                if services.confirm_import(request.user, job):
                    tasks.ingest_task(job.pk)
                messages.success(request, _("Columns saved. The import runs in the background."))
                return redirect("intel:import", public_id=job.public_id)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("intel:import_preview", public_id=job.public_id)
    return render(
        request,
        "intel/import_preview.html",
        {
            "job": job,
            "form": form,
            "preview": preview,
            "rows": _preview_rows(preview),
            "ignored": [h for h in preview.header if h not in preview.fields.values() and h not in preview.contacts],
        },
    )


@staff_view(RESOURCE, Action.VIEW)
@require_GET
def import_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    job = selectors.get_job(request.user, public_id)
    if job is None:
        raise Http404
    if job.awaiting_preview and can(request.user, Action.CREATE, RESOURCE):
        return redirect("intel:import_preview", public_id=job.public_id)
    return render(request, "intel/import_detail.html", {"job": job})


@staff_view(RESOURCE, Action.VIEW)
@require_GET
def import_progress(request: StaffRequest, public_id: str) -> HttpResponse:
    job = selectors.get_job(request.user, public_id)
    if job is None:
        raise Http404
    return render(request, "intel/_import_progress.html", {"job": job})


@staff_view(RESOURCE, Action.CREATE)
@require_http_methods(["POST"])
def analyse(request: StaffRequest) -> HttpResponse:
    tasks.analyse_task(request.user.pk)
    messages.success(request, _("Analysis started. The networks table shows the new results when it finishes."))
    return redirect("intel:networks")
