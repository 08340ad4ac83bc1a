"""Staff screens for outreach events."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beacon.access.policy import Action, can
from beacon.outreach import forms, selectors, services
from beacon.outreach.models import OutreachEvent
from beacon.web.decorators import StaffRequest, staff_view


@staff_view("outreach", Action.VIEW)
def event_list(request: StaffRequest) -> HttpResponse:
    period = forms.PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    events = selectors.events(request.user, start=start, end=end)
    return render(
        request,
        "outreach/event_list.html",
        {
            "form": period,
            "events": events[:500],
            "totals": selectors.totals(events),
            "can_create": can(request.user, Action.CREATE, "outreach"),
        },
    )


@staff_view("outreach", Action.CREATE)
@require_http_methods(["GET", "POST"])
def event_new(request: StaffRequest) -> HttpResponse:
    return _event_form(request, None)


@staff_view("outreach", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def event_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    return _event_form(request, selectors.get_event(request.user, public_id))


def _input(data: dict) -> services.OutreachInput:
    return services.OutreachInput(
        held_on=data["held_on"],
        audience=data["audience"],
        people_reached=data["people_reached"],
        county=data["county"],
        place=data["place"],
        languages=tuple(lang.code for lang in data["languages"]),
        materials_distributed=data["materials_distributed"] or 0,
        follow_ups=data["follow_ups"] or 0,
        notes=data["notes"],
    )


def _event_form(request: HttpRequest, event: OutreachEvent | None) -> HttpResponse:
    initial = {}
    if event:
        initial = {
            "held_on": event.held_on,
            "county": event.county,
            "place": event.place,
            "audience": event.audience,
            "languages": event.languages,
            "people_reached": event.people_reached,
            "materials_distributed": event.materials_distributed,
            "follow_ups": event.follow_ups,
            "notes": event.notes,
            "version": event.version,
        }
    form = forms.OutreachEventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if event:
                services.update_outreach(
                    request.user, event, _input(form.cleaned_data), version=form.cleaned_data["version"] or 0
                )
                messages.success(request, _("Outreach event saved."))
            else:
                services.record_outreach(request.user, _input(form.cleaned_data))
                messages.success(request, _("Outreach event recorded."))
            return redirect("outreach:list")
        except services.OutreachChanged:
            form.add_error(
                None,
                _(
                    "Someone else changed this event since you opened it. Reload the page to see "
                    "their changes; your entries are still in the form."
                ),
            )
        except ValidationError as problem:
            form.add_error(None, problem)
    return render(request, "outreach/event_form.html", {"form": form, "event": event})
