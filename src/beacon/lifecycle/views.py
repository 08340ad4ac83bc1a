"""Staff screens for legal holds and erasure on request (thin: forms in, services out)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beacon.access.policy import Action, can
from beacon.cases.models import Attachment, CaseNote
from beacon.lifecycle import forms, purge, selectors, services
from beacon.tips.models import Tip
from beacon.web.decorators import StaffRequest, staff_view


def _index(request: HttpRequest, hold_form: forms.HoldForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        "lifecycle/index.html",
        {
            "holds": selectors.shown_holds(user),
            "hold_form": hold_form or forms.HoldForm(),
            "release_form": forms.ReleaseForm(),
            "can_place": can(user, Action.CREATE, "legal_hold"),
            "can_release": can(user, Action.UPDATE, "legal_hold"),
            "can_erase": can(user, Action.CREATE, "erasure"),
            "erase_form": forms.EraseLookupForm(),
            "erasures": selectors.erasures(user) if can(user, Action.VIEW, "erasure") else [],
            "schedule": purge.SCHEDULE,
        },
        status=status,
    )


@staff_view("legal_hold", Action.VIEW)
def index(request: StaffRequest) -> HttpResponse:
    return _index(request)


@staff_view("legal_hold", Action.CREATE)
@require_POST
def hold_place(request: StaffRequest) -> HttpResponse:
    form = forms.HoldForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hold = services.place_hold(
                request.user, services.HoldTarget(data["kind"], data["public_id"]), data["reason"]
            )
        except (ValidationError, services.LifecycleRefused) as problem:
            form.add_error(None, problem.messages[0] if isinstance(problem, ValidationError) else str(problem))
        else:
            target = hold.case or hold.tip
            messages.success(request, _("Legal hold placed on %(id)s.") % {"id": target.public_id})
            return redirect("lifecycle:index")
    return _index(request, form, status=400)


@staff_view("legal_hold", Action.UPDATE)
@require_POST
def hold_release(request: StaffRequest, public_id: str) -> HttpResponse:
    form = forms.ReleaseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        hold = services.release_hold(request.user, public_id, reason)
    except (ValidationError, services.LifecycleRefused) as problem:
        messages.error(request, problem.messages[0] if isinstance(problem, ValidationError) else str(problem))
    else:
        target = hold.case or hold.tip
        messages.success(request, _("Legal hold on %(id)s released.") % {"id": target.public_id})
    return redirect("lifecycle:index")


@staff_view("erasure", Action.CREATE)
@require_http_methods(["GET", "POST"])
def erase(request: StaffRequest) -> HttpResponse:
    """Step 1 (GET ?case=ID): what will be destroyed and what kept; step 2 (POST): erase."""
    lookup = forms.EraseLookupForm(request.GET or request.POST or None)
    if not lookup.is_valid():
        return _index(request, status=400 if request.GET or request.POST else 200)
    public_id = lookup.cleaned_data["case"]
    try:
        case = services.erasure_case(request.user, public_id)
    except services.LifecycleRefused as problem:
        messages.error(request, str(problem))
        return redirect("lifecycle:index")
    form = forms.EraseForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            report = services.erase_person(request.user, case.public_id, confirm=form.cleaned_data["confirm"])
        except (ValidationError, services.LifecycleRefused) as refused:
            problem = refused.messages[0] if isinstance(refused, ValidationError) else str(refused)
        else:
            messages.success(
                request,
                _(
                    "Personal data erased from %(cases)s: %(notes)d notes, %(files)d attachments, "
                    "%(messages)d tip messages."
                )
                % {
                    "cases": ", ".join(report.cases),
                    "notes": report.notes,
                    "files": report.attachments,
                    "messages": report.messages,
                },
            )
            return redirect("lifecycle:index")
    cases = list(case.person.cases.order_by("opened_at"))
    case_ids = [c.pk for c in cases]
    tips = list(Tip.objects.filter(case_id__in=case_ids).values_list("public_id", flat=True))
    holds = selectors.holds_on(case_ids, list(Tip.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)))
    return render(
        request,
        "lifecycle/erase.html",
        {
            "case": case,
            "cases": cases,
            "tips": tips,
            "notes": CaseNote.objects.filter(case_id__in=case_ids).count(),
            "attachments": Attachment.objects.filter(case_id__in=case_ids).count(),
            "holds": holds,
            "form": form,
            "problem": problem,
            "lookup": lookup,
        },
        status=400 if problem or (request.method == "POST" and not form.is_valid()) else 200,
    )
