"""Staff screens for cases and referrals: thin views over services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beacon.access.policy import Action, can
from beacon.cases import forms, selectors, services
from beacon.cases.models import (
    Attachment,
    Consent,
    ReliefApplication,
    ServicePlanItem,
    Task,
)
from beacon.cases.services import EditConflict
from beacon.directory.selectors import referral_warnings
from beacon.web.decorators import StaffRequest, staff_view
from beacon.web.redirects import safe_next


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@staff_view("case", Action.VIEW)
def case_list(request: StaffRequest) -> HttpResponse:
    form = forms.CaseSearchForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            q=data["q"],
            status=data["status"],
            type=data["type"],
            county=data["county"],
            owner=data["owner"],
            page=data["page"] or 1,
        )
    page = selectors.search_cases(request.user, filters)
    query = request.GET.copy()
    query.pop("page", None)
    can_assign = can(request.user, Action.ASSIGN, "case")
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": can(request.user, Action.CREATE, "case"),
            "can_assign": can_assign,
            "here": request.get_full_path(),
            # Supervisors reassign from the list (the team caseload links each count here).
            "owners": selectors.assignable_owners(request.user) if can_assign else [],
        },
    )


@staff_view("case", Action.ASSIGN)
def team(request: StaffRequest) -> HttpResponse:
    return render(request, "cases/team.html", {"rows": selectors.team_caseload(request.user)})


@staff_view("case", Action.CREATE)
@require_http_methods(["GET", "POST"])
def intake(request: StaffRequest) -> HttpResponse:
    """Intake of a survivor met in person. Cases from tips open from the tip (tips: convert)."""
    form = forms.IntakeForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.find_duplicates(
            request.user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=data["birth_date"],
            estimated_age=data["estimated_age"],
            phone=data["phone"],
            email=data["email"],
        )
        if (duplicates.matches or duplicates.elsewhere) and not request.POST.get("confirm_new"):
            return render(request, "cases/intake.html", {"form": form, "duplicates": duplicates})
        try:
            case = services.open_case(request.user, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Case %(id)s opened.") % {"id": case.public_id})
            return redirect("cases:detail", case.public_id)
    return render(request, "cases/intake.html", {"form": form, "duplicates": duplicates})


@staff_view("case", Action.VIEW)
def detail(request: StaffRequest, public_id: str) -> HttpResponse:
    case = selectors.get_case(request.user, public_id)
    context = selectors.case_page(request.user, case)
    context.update(_action_forms(request, case))
    return render(request, "cases/case_detail.html", context)


def _action_forms(request: HttpRequest, case: Any) -> dict[str, Any]:
    user = request.user
    can_assign = can(user, Action.ASSIGN, "case", case)
    owners = selectors.assignable_owners(user, case.agency_id) if can_assign else []
    return {
        "can_assign": can_assign,
        "owner_form": forms.OwnerForm(
            initial={"version": case.version, "owner": case.owner_id}, owners=owners, auto_id="reassign_%s"
        )
        if can_assign
        else None,
        "can_update": can(user, Action.UPDATE, "case", case),
        "note_form": forms.NoteForm(),
        "attachment_form": forms.AttachmentForm(),
    }


@staff_view("case", Action.ASSIGN)
@require_POST
def reassign(request: StaffRequest, public_id: str) -> HttpResponse:
    """A supervisor gives the case to another caseworker (from the case page or the case list)."""
    case = selectors.get_case(request.user, public_id, action=Action.ASSIGN)
    form = forms.OwnerForm(request.POST, owners=selectors.assignable_owners(request.user, case.agency_id))
    if form.is_valid():
        try:
            case = services.reassign_case(
                request.user,
                case,
                services.Reassignment(owner_id=form.cleaned_data["owner"], version=form.cleaned_data["version"]),
            )
        except EditConflict as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("Case %(id)s is now owned by %(owner)s.")
                % {"id": case.public_id, "owner": case.owner.get_full_name() or case.owner.username},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(safe_next(request, request.POST.get("next"), reverse("cases:detail", args=[case.public_id])))


@staff_view("case", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def edit(request: StaffRequest, public_id: str) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, action=Action.UPDATE)
    initial = {name: getattr(case, name) for name in services.CASE_FIELDS if name != "county"}
    initial.update(version=case.version, county=case.county_id or "")
    form = forms.EditCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_case(request.user, case, version=version, **data)
        except EditConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", case.public_id)
    selectors.case_shown(request.user, case, "case edit form")
    return render(request, "cases/case_edit.html", {"case": case, "form": form})


@staff_view("person", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def edit_person(request: StaffRequest, public_id: str) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, action=Action.UPDATE)
    person = case.person
    contact = person.contact or {}
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    initial.update(aliases=", ".join(person.aliases or []), **{k: contact.get(k, "") for k in services.CONTACT_FIELDS})
    initial["version"] = person.version
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_person(request.user, person, version=version, **data)
        except EditConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Personal details saved."))
            return redirect("cases:detail", case.public_id)
    selectors.case_shown(request.user, case, "person edit form")
    return render(request, "cases/person_edit.html", {"case": case, "form": form})


def _case_action(
    form_class: type,
    handler: Callable[[HttpRequest, Any, dict], Any],
    done: str,
    title: str = "",
    resource: str = "case",
    action: str = Action.UPDATE,
) -> Callable[..., HttpResponse]:
    """A case-page action: GET shows the form on its own page, POST validates it, calls the service and
    goes back to the case (errors are shown there as messages). `resource`/`action` is what the service needs."""

    @staff_view(resource, action)
    @require_http_methods(["GET", "POST"])
    def view(request: StaffRequest, public_id: str) -> HttpResponse:
        case = (
            selectors.get_case(request.user, public_id, action=Action.UPDATE)
            if form_class not in (forms.NoteForm, forms.AttachmentForm)
            else selectors.get_case(request.user, public_id, reason="action")
        )
        if request.method == "GET":
            return render(
                request,
                "cases/action_form.html",
                {
                    "case": case,
                    "form": form_class(),
                    "title": title,
                    "multipart": form_class in (forms.AttachmentForm, forms.ConsentForm),
                },
            )
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                handler(request, case, form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, done)
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
        return redirect("cases:detail", case.public_id)

    return view


add_note = _case_action(
    forms.NoteForm,
    lambda r, c, d: services.add_note(r.user, c, d["body"]),
    _("Note added."),
    _("Add a note"),
    "note",
    Action.CREATE,
)
add_attachment = _case_action(
    forms.AttachmentForm,
    lambda r, c, d: services.add_attachment(r.user, c, filename=d["file"].name, data=d["file"].read()),
    _("File attached."),
    _("Attach a file"),
    "attachment",
    Action.CREATE,
)
add_consent = _case_action(
    forms.ConsentForm,
    lambda r, c, d: services.grant_consent(
        r.user,
        c,
        kind=d["kind"],
        agency=d["agency"],
        method=d["method"],
        expires_on=d["expires_on"],
        scope_fields=d["scope_fields"],
        witness=d["witness"],
        signed_form=(d["signed_form"].name, d["signed_form"].read()) if d["signed_form"] else None,
    ),
    _("Consent recorded."),
    _("Record consent"),
    "consent",
    Action.CREATE,
)
add_need = _case_action(
    forms.NeedForm, lambda r, c, d: services.add_need(r.user, c, **d), _("Need added."), _("Add a service need")
)
add_goal = _case_action(
    forms.GoalForm, lambda r, c, d: services.add_goal(r.user, c, **d), _("Goal added."), _("Add a goal")
)
add_plan_item = _case_action(
    forms.PlanItemForm,
    lambda r, c, d: services.add_plan_item(r.user, c, **d),
    _("Service plan item added."),
    _("Add a service plan item"),
)
add_relief = _case_action(
    forms.ReliefForm,
    lambda r, c, d: services.add_relief(r.user, c, **d),
    _("Immigration relief added."),
    _("Track an immigration relief application"),
)
add_task = _case_action(
    forms.TaskForm, lambda r, c, d: services.add_task(r.user, c, **d), _("Task added."), _("Add a task")
)
add_event = _case_action(
    forms.EventForm,
    lambda r, c, d: services.add_event(r.user, c, **d),
    _("Event added."),
    _("Add a recruitment, transit or exploitation event"),
)
add_perpetrator = _case_action(
    forms.PerpetratorForm,
    lambda r, c, d: services.add_perpetrator(r.user, c, **d),
    _("Perpetrator added."),
    _("Add a perpetrator"),
)


@staff_view("case", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def add_milestone(request: StaffRequest, public_id: str, relief_id: int) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, action=Action.UPDATE)
    application = ReliefApplication.objects.filter(pk=relief_id, case=case).first()
    if application is None:
        raise Http404
    if request.method == "GET":
        title = _("Add a milestone: %(kind)s") % {"kind": application.get_kind_display()}
        return render(request, "cases/action_form.html", {"case": case, "form": forms.MilestoneForm(), "title": title})
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(request.user, application, **form.cleaned_data)
            messages.success(request, _("Milestone added."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("cases:detail", case.public_id)


@staff_view("case", Action.UPDATE)
@require_POST
def plan_item_status(request: StaffRequest, public_id: str, item_id: int) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, action=Action.UPDATE)
    item = ServicePlanItem.objects.filter(pk=item_id, case=case).first()
    if item is None:
        raise Http404
    form = forms.PlanItemStatusForm(request.POST)
    if form.is_valid():
        services.update_plan_item(request.user, item, **form.cleaned_data)
        messages.success(request, _("Service plan item updated."))
    return redirect("cases:detail", case.public_id)


@staff_view("consent", Action.UPDATE)
@require_POST
def revoke_consent(request: StaffRequest, public_id: str, consent_id: str) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, reason="consent")
    consent = Consent.objects.filter(public_id=consent_id, case=case).first()
    if consent is None:
        raise Http404
    services.revoke_consent(request.user, consent)
    messages.success(request, _("Consent revoked. Sharing based on it has ended."))
    return redirect("cases:detail", case.public_id)


@staff_view()
@require_POST
def task_done(request: StaffRequest, task_id: str) -> HttpResponse:
    task = Task.objects.filter(public_id=task_id).select_related("case").first()
    if task is None:
        raise Http404
    services.complete_task(request.user, task)
    messages.success(request, _("Task done."))
    return redirect(safe_next(request, request.POST.get("next"), "web:home"))


@staff_view("attachment", Action.VIEW)
def attachment(request: StaffRequest, public_id: str, attachment_id: str) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, reason="attachment")
    item = Attachment.objects.filter(public_id=attachment_id, case=case).first()
    if item is None:
        raise Http404
    data = services.read_attachment(request.user, item)
    response = HttpResponse(data, content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.public_id}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Referrals ------------------------------------------------------------------------------------------


@staff_view("referral", Action.CREATE)
@require_http_methods(["GET", "POST"])
def new_referral(request: StaffRequest, public_id: str) -> HttpResponse:
    case = selectors.get_case(request.user, public_id, action=Action.UPDATE)
    service = request.GET.get("service", "")
    initial = {"service": service, "urgency": selectors.need_priority(case, service)}
    if request.GET.get("agency"):
        initial["to_agency"] = request.GET["agency"]
    form = forms.ReferralForm(request.POST or None, initial=initial, own_agency_id=case.agency_id)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The directory's word against this agency is shown first; sending anyway is a second, deliberate step.
        # The confirmation names the agency and service it was given for: changing either asks again.
        warnings = referral_warnings(data["to_agency"].pk, data["service"])
        confirm = f"{data['to_agency'].pk}:{data['service']}"
        if warnings and request.POST.get("confirm_warnings") != confirm:
            return render(
                request,
                "cases/referral_new.html",
                {"case": case, "form": form, "warnings": warnings, "confirm": confirm},
            )
        try:
            referral = services.send_referral(request.user, case, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Referral %(id)s sent.") % {"id": referral.public_id})
            return redirect("cases:referral", referral.public_id)
    elif request.method == "GET" and request.GET.get("agency", "").isdigit() and service:
        warnings = referral_warnings(int(request.GET["agency"]), service)
    return render(request, "cases/referral_new.html", {"case": case, "form": form, "warnings": warnings})


@staff_view("referral", Action.VIEW)
def referrals(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "cases/referrals.html",
        {
            "queue": selectors.intake_queue(request.user),
            "incoming": selectors.incoming_referrals(request.user),
            "outgoing": selectors.outgoing_referrals(request.user),
        },
    )


@staff_view("referral", Action.VIEW)
def referral(request: StaffRequest, public_id: str) -> HttpResponse:
    item = selectors.get_referral(request.user, public_id)
    receiving = item.to_agency_id == request.user.agency_id
    shared = None
    if receiving:
        try:
            shared = selectors.shared_case(request.user, public_id)
        except Http404:
            shared = None
    received_case = item.received_case if item.received_case_id else None
    events = list(item.events.select_related("actor"))
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": item,
            "receiving": receiving,
            "shared": shared,
            "summary": selectors.referral_summary(item),
            "received_case": received_case
            if received_case is not None and can(request.user, Action.VIEW, "case", received_case)
            else None,
            "can_open_case": can(request.user, Action.CREATE, "case"),
            "decline_form": forms.DeclineForm(),
            "thread": selectors.referral_thread(request.user, item),
            "message_form": forms.ReferralMessageForm(),
            "can_write": can(request.user, Action.CREATE, "referral_message"),
            "events": events,
            "consent_refused": any(e.note == "accept refused: consent" for e in events),
        },
    )


@staff_view("referral_message", Action.CREATE)
@require_POST
def referral_message(request: StaffRequest, public_id: str) -> HttpResponse:
    item = selectors.get_referral(request.user, public_id)
    form = forms.ReferralMessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_referral_message(request.user, item, form.cleaned_data["body"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Message sent to the other agency."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("Message: %(error)s") % {"error": error})
    return redirect(reverse("cases:referral", args=[item.public_id]) + "#thread")


@staff_view("referral", Action.UPDATE)
@require_POST
def referral_action(request: StaffRequest, public_id: str, action: str) -> HttpResponse:
    item = selectors.get_referral(request.user, public_id)
    try:
        if action == "accept":
            item = services.accept_referral(request.user, item)
            if item.received_case_id:
                messages.success(
                    request,
                    _("Referral accepted. Your agency's case %(id)s is open, with the shared details.")
                    % {"id": item.received_case.public_id},
                )
            else:
                messages.success(request, _("Referral accepted. The shared details are below."))
        elif action == "decline":
            form = forms.DeclineForm(request.POST)
            services.decline_referral(request.user, item, reason=form.data.get("reason", ""))
            messages.success(request, _("Referral declined."))
        elif action == "complete":
            services.complete_referral(request.user, item)
            messages.success(request, _("Referral marked completed."))
        elif action == "withdraw":
            services.withdraw_referral(request.user, item, reason=request.POST.get("reason", ""))
            messages.success(request, _("Referral withdrawn."))
        else:
            raise Http404
    except (ValidationError, EditConflict) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    return redirect("cases:referral", item.public_id)


@staff_view()
@require_POST
def notification_read(request: StaffRequest, notification_id: int) -> HttpResponse:
    services.mark_notification_read(request.user, notification_id)
    return redirect("web:home")
