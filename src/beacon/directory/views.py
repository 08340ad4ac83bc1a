"""Staff screens for the service directory."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beacon.access.policy import AccessDenied, Action, can
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.directory import forms, selectors, services
from beacon.directory.models import Provider
from beacon.web.decorators import StaffRequest, staff_view


@staff_view("directory", Action.VIEW)
def provider_list(request: StaffRequest) -> HttpResponse:
    form = forms.DirectorySearchForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "service": data["service"] or None,
            "county_fips": data["county"].fips if data["county"] else None,
            "language": data["language"].code if data["language"] else None,
        }
    entries = selectors.providers(request.user, **filters)[:200]
    return render(
        request,
        "directory/provider_list.html",
        {
            "form": form,
            "entries": entries,
            "can_create": can(request.user, Action.CREATE, "directory"),
        },
    )


@staff_view("directory", Action.VIEW)
def provider_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    provider = selectors.get_provider(request.user, public_id)
    return render(
        request,
        "directory/provider_detail.html",
        {
            "provider": provider,
            "can_update": can(request.user, Action.UPDATE, "directory", provider),
        },
    )


def _form_kwargs(data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in services.SIMPLE_FIELDS}
    return {
        "services": data["service_pairs"],
        "counties": list(data["counties"]),
        "languages": list(data["languages"]),
        **fields,
    }


@staff_view("directory", Action.CREATE)
@require_http_methods(["GET", "POST"])
def provider_new(request: StaffRequest) -> HttpResponse:
    return _provider_form(request, None)


@staff_view("directory", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def provider_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    provider = selectors.get_provider(request.user, public_id)
    if not can(request.user, Action.UPDATE, "directory", provider):
        raise AccessDenied("this directory entry belongs to another agency")
    return _provider_form(request, provider)


def _provider_form(request: HttpRequest, provider: Provider | None) -> HttpResponse:
    initial = {}
    if provider:
        initial = {name: getattr(provider, name) for name in services.SIMPLE_FIELDS}
        initial.update(
            services=[s.category for s in provider.services.all() if not s.subtype],
            subtypes="; ".join(f"{s.category}:{s.subtype}" for s in provider.services.all() if s.subtype),
            counties=list(provider.counties.all()),
            languages=list(provider.languages.all()),
            version=provider.version,
        )
    form = forms.ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if provider:
                provider = services.update_provider(
                    request.user, provider, version=form.cleaned_data["version"] or 0, **_form_kwargs(form.cleaned_data)
                )
            else:
                provider = services.create_provider(request.user, **_form_kwargs(form.cleaned_data))
        except services.EditConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Directory entry saved."))
            return redirect("directory:detail", provider.public_id)
    return render(request, "directory/provider_form.html", {"form": form, "provider": provider})


@staff_view("directory", Action.VIEW)
def match(request: StaffRequest) -> HttpResponse:
    form = forms.MatchForm(request.GET or None)
    results = None
    if request.GET.get("service") and form.is_valid():
        data = form.cleaned_data
        results = selectors.match_providers(
            request.user,
            service=data["service"],
            county_fips=data["county"].fips if data["county"] else None,
            language=data["language"].code if data["language"] else None,
            populations=data["populations"],
        )
    return render(
        request, "directory/match.html", {"form": form, "results": results, "case": request.GET.get("case", "")}
    )


@staff_view("directory", Action.VIEW)
def export(request: StaffRequest) -> HttpResponse:
    record(request.user, AuditAction.EXPORT, object_type="directory.export", object_id="csv")
    response = HttpResponse(services.export_csv(selectors.providers(request.user)), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="beacon-directory.csv"'
    return response


@staff_view("directory", Action.CREATE)
@require_http_methods(["GET", "POST"])
def import_view(request: StaffRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
        else:
            result = services.import_csv(request.user, text)
            if result.ok:
                messages.success(
                    request, _("Imported: %(c)s new, %(u)s updated.") % {"c": result.created, "u": result.updated}
                )
                return redirect("directory:list")
    return render(request, "directory/import.html", {"form": form, "result": result})
