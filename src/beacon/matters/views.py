"""Staff screens for matters: list, open, read, edit, add a subject; the agency's designated
deconfliction contact; the coordinator's deconfliction log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beacon.access.policy import AccessDenied, Action, can
from beacon.matters import forms, selectors, services
from beacon.matters.models import Matter
from beacon.web.decorators import StaffRequest, staff_view


@staff_view("matter", Action.VIEW)
def matter_list(request: StaffRequest) -> HttpResponse:
    filters = forms.FilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    return render(
        request,
        "matters/matter_list.html",
        {
            "form": filters,
            "matters": selectors.listed(
                request.user, selectors.matters(request.user, status=status), limit=500, reason="matter list"
            ),
            "can_create": can(request.user, Action.CREATE, "matter"),
            "contact": selectors.contact_of(request.user),
        },
    )


def _input(data: dict) -> services.MatterInput:
    return services.MatterInput(
        title=data["title"],
        exploitation_type=data["exploitation_type"],
        county=data["county"],
        status=data["status"],
        lead=data["lead"],
        confidential=data["confidential"],
    )


@staff_view("matter", Action.CREATE)
@require_http_methods(["GET", "POST"])
def matter_new(request: StaffRequest) -> HttpResponse:
    form = forms.MatterForm(request.POST or None, agency_id=request.user.agency_id, initial={"lead": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.open_matter(request.user, _input(form.cleaned_data))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Matter %(id)s opened. Add its subjects to check them against other agencies.")
                % {"id": matter.public_id},
            )
            return redirect("matters:detail", matter.public_id)
    return render(request, "matters/matter_form.html", {"form": form, "matter": None})


@staff_view("matter", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def matter_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    matter = selectors.get_matter(request.user, public_id, Action.UPDATE)
    selectors.read_for_edit(request.user, matter)
    initial = {
        "title": matter.title,
        "exploitation_type": matter.exploitation_type,
        "county": matter.county,
        "status": matter.status,
        "lead": matter.lead,
        "confidential": matter.confidential,
    }
    form = forms.MatterForm(request.POST or None, agency_id=matter.agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_matter(request.user, matter, _input(form.cleaned_data))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Matter saved."))
            return redirect("matters:detail", matter.public_id)
    return render(request, "matters/matter_form.html", {"form": form, "matter": matter})


def _detail(request: HttpRequest, matter: Matter, subject_form: forms.SubjectForm, status: int = 200) -> HttpResponse:
    subjects = selectors.subjects(request.user, matter)
    findings = selectors.findings(request.user, matter)
    rows = [{"subject": s, "findings": findings.get(s.pk), "checked": s.pk in findings} for s in subjects]
    return render(
        request,
        "matters/matter_detail.html",
        {
            "matter": matter,
            "rows": rows,
            "subject_form": subject_form,
            "can_update": can(request.user, Action.UPDATE, "matter", matter),
        },
        status=status,
    )


@staff_view("matter", Action.VIEW)
def detail(request: StaffRequest, public_id: str) -> HttpResponse:
    return _detail(request, selectors.get_matter(request.user, public_id), forms.SubjectForm())


@staff_view("matter", Action.UPDATE)
@require_POST
def subject_add(request: StaffRequest, public_id: str) -> HttpResponse:
    matter = selectors.get_matter(request.user, public_id, Action.UPDATE)
    form = forms.SubjectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_subject(request.user, matter, data["kind"], data["value"], data["note"])
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            if added.merged:
                messages.info(request, _("This subject was already on the matter; the entry was merged into it."))
            elif not added.subject.indexed:
                messages.warning(
                    request,
                    _(
                        "Saved as text only: “%(value)s” could not be read as a %(kind)s, so it is not "
                        "checked against other agencies. Correct it by adding it again in full."
                    )
                    % {"value": added.subject.value, "kind": added.subject.get_kind_display().lower()},
                )
            else:
                hits = added.check.hits.count() if added.check else 0
                if hits:
                    messages.warning(
                        request, _("Subject added. Deconfliction found matches at other agencies: read them below.")
                    )
                else:
                    messages.success(request, _("Subject added. No other agency holds it."))
            return redirect(f"{matter.get_absolute_url()}#subjects")
    return _detail(request, matter, form, status=400)


@staff_view("deconflictioncontact", Action.VIEW)
@require_http_methods(["GET", "POST"])
def contact(request: StaffRequest) -> HttpResponse:
    agency = request.user.agency
    current = selectors.contact_of(request.user)
    may_edit = agency is not None and can(request.user, Action.UPDATE, "deconflictioncontact", agency)
    initial = (
        {"name": current.name, "phone": current.phone, "email": current.email, "user": current.user} if current else {}
    )
    form = forms.ContactForm(request.POST or None, agency_id=request.user.agency_id, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise AccessDenied(
                "only the agency administrator sets the contact", action=Action.UPDATE, resource="deconflictioncontact"
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_contact(
                    request.user,
                    agency,
                    services.ContactInput(
                        name=data["name"], phone=data["phone"], email=data["email"], user=data["user"]
                    ),
                )
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(request, _("Designated deconfliction contact saved."))
                return redirect("matters:contact")
    return render(
        request, "matters/contact.html", {"form": form, "contact": current, "may_edit": may_edit, "agency": agency}
    )


@staff_view("deconfliction", Action.VIEW)
def deconfliction_log(request: StaffRequest) -> HttpResponse:
    hits = list(selectors.deconfliction_log(request.user)[:300])
    contacts = selectors.contacts_for({h.holder_agency_id for h in hits} | {h.check_run.agency_id for h in hits})
    rows = [
        {
            "hit": h,
            "asker_contact": contacts.get(h.check_run.agency_id),
            "holder_contact": contacts.get(h.holder_agency_id),
        }
        for h in hits
    ]
    return render(request, "matters/deconfliction_log.html", {"rows": rows})
