"""Staff triage: the queue, one tip, and the actions on it. Every read and action is audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beacon.access.policy import AccessDenied, Action, can
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases import selectors as case_selectors
from beacon.cases.forms import OwnerForm
from beacon.tips import channels, photos, selectors, services, urgency
from beacon.tips.forms import AssignForm, ClaimForm, ClassifyForm, CloseForm, EscalateForm, MessageForm, QueueForm
from beacon.tips.models import TipPhoto
from beacon.web.decorators import StaffRequest, staff_view
from beacon.web.redirects import safe_next

QUEUE_PAGE = 50


@staff_view("tip", Action.VIEW)
@require_GET
def queue(request: StaffRequest) -> HttpResponse:
    form = QueueForm(request.GET or None, initial={"status": "open"})
    filters = selectors.QueueFilters()
    page = 1
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        page = data.pop("page") or 1
        filters = selectors.QueueFilters(**data)
    start = (page - 1) * QUEUE_PAGE
    tips = list(selectors.queue(request.user, filters)[start : start + QUEUE_PAGE + 1])
    has_next = len(tips) > QUEUE_PAGE
    tips = tips[:QUEUE_PAGE]
    linked = selectors.linked_counts(request.user, tips)
    languages = dict(settings.LANGUAGES)
    rows = [
        {
            "tip": t,
            "level": urgency.level(t.urgency_score),
            "level_label": urgency.level_label(t.urgency_score),
            "reasons": urgency.describe(t.urgency_reasons),
            "linked": linked.get(t.pk, 0),
            "language": languages.get(t.language, t.language),
        }
        for t in tips
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tips/queue.html",
        {
            "rows": rows,
            "form": form,
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "here": request.get_full_path(),
            "may_claim": can(request.user, Action.UPDATE, "tip"),
        },
    )


def _tip_or_404(request: HttpRequest, public_id: str):
    tip = selectors.get_tip(request.user, public_id)
    if tip is None:
        raise Http404
    return tip


@staff_view("tip", Action.VIEW)
@require_GET
def detail(request: StaffRequest, public_id: str) -> HttpResponse:
    tip = _tip_or_404(request, public_id)
    services.record_view(request.user, tip)
    services.start_review(request.user, tip)
    user = request.user
    thread = list(tip.messages.select_related("staff_user"))
    deliveries = channels.delivery_status(tip)  # a staff message also sent by text: how that went
    for message in thread:
        message.delivery = deliveries.get(message.pk, "")
    context = {
        "tip": tip,
        "reasons": urgency.describe(tip.urgency_reasons),
        "level": urgency.level(tip.urgency_score),
        "level_label": urgency.level_label(tip.urgency_score),
        "checklist": [
            (i.text, tip.checklist.get(i.id, "unknown"))
            for i in urgency.checklist_items("en")
            if tip.checklist.get(i.id) == "yes"
        ],
        "people": tip.people or {},
        "contact_visible": selectors.contact_visible_to(user, tip),
        "photos": list(tip.photos.values_list("public_id", flat=True)),
        "thread": thread,
        "events": selectors.history(tip),
        "linked": selectors.linked_tips(user, tip),
        "external": selectors.external_matches(user, tip),
        "may_update": can(user, Action.UPDATE, "tip", tip),
        "may_assign": can(user, Action.ASSIGN, "tip", tip),
        "may_convert": can(user, Action.UPDATE, "tip", tip) and can(user, Action.CREATE, "case"),
        "may_open_case": tip.case_id is not None and can(user, Action.VIEW, "case", tip.case),
        "may_screen": can(user, Action.CREATE, "screening"),
        # Several forms on one page: each its own id prefix, so no two fields share an id.
        "assign_form": AssignForm(auto_id="assign_%s"),
        "message_form": MessageForm(auto_id="reply_%s"),
        "escalate_form": EscalateForm(auto_id="escalate_%s"),
        "classify_form": ClassifyForm(
            initial={"exploitation_types": tip.exploitation_types, "self_report": tip.self_report}
        ),
        "claim_form": ClaimForm(initial={"version": tip.version}),
        "language_name": dict(settings.LANGUAGES).get(tip.language, tip.language),
    }
    return render(request, "tips/detail.html", context)


@staff_view("tip", Action.VIEW)
@require_GET
def photo(request: StaffRequest, public_id: str, photo_id: str) -> HttpResponse:
    tip = _tip_or_404(request, public_id)
    item = TipPhoto.objects.filter(tip=tip, public_id=photo_id).first()
    if item is None:
        raise Http404
    record(request.user, AuditAction.VIEW, item, reason=f"photo of tip {tip.public_id}")
    response = HttpResponse(photos.decode(item.data), content_type=item.content_type)
    response["Cache-Control"] = "no-store"
    return response


def _act(request: HttpRequest, public_id: str, form_class, action) -> HttpResponse:
    tip = _tip_or_404(request, public_id)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("tips:detail", public_id=tip.public_id)
    try:
        done = action(tip, form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("tips:detail", public_id=tip.public_id)


@staff_view("tip", Action.ASSIGN)
@require_POST
def assign(request: StaffRequest, public_id: str) -> HttpResponse:
    def action(tip, data):
        services.assign(request.user, tip, data["agency"])
        return _("Tip assigned to %(agency)s.") % {"agency": data["agency"].name}

    return _act(request, public_id, AssignForm, action)


@staff_view("tip", Action.UPDATE)
@require_POST
def reply(request: StaffRequest, public_id: str) -> HttpResponse:
    def action(tip, data):
        services.message_reporter(request.user, tip, data["body"], request_info=data["request_info"])
        return _("Message saved. The reporter sees it when they return with their codename.")

    return _act(request, public_id, MessageForm, action)


@staff_view("tip", Action.UPDATE)
@require_POST
def escalate(request: StaffRequest, public_id: str) -> HttpResponse:
    def action(tip, data):
        tip = services.escalate(request.user, tip, data["agency"], share_identity=data["share_identity"])
        if tip.identity_shared_with_police:
            return _("Escalated to %(agency)s with the reporter's contact details (consent given).") % {
                "agency": data["agency"].name
            }
        return _("Escalated to %(agency)s without the reporter's identity.") % {"agency": data["agency"].name}

    return _act(request, public_id, EscalateForm, action)


@staff_view("tip", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def close(request: StaffRequest, public_id: str) -> HttpResponse:
    """Closing asks for a reason and a confirmation on a page of its own."""
    tip = _tip_or_404(request, public_id)
    form = CloseForm(request.POST or None, initial={"version": tip.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.close(request.user, tip, form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tip closed."))
            return redirect("tips:detail", public_id=tip.public_id)
    return render(request, "tips/close.html", {"tip": tip, "form": form})


@staff_view("tip", Action.UPDATE)
@require_POST
def classify(request: StaffRequest, public_id: str) -> HttpResponse:
    def action(tip, data):
        services.classify(request.user, tip, data["exploitation_types"], self_report=data["self_report"])
        return _("Classification saved; urgency recalculated.")

    return _act(request, public_id, ClassifyForm, action)


@staff_view("tip", Action.UPDATE)
@require_http_methods(["GET", "POST"])
def convert(request: StaffRequest, public_id: str) -> HttpResponse:
    """Convert a tip into a case: choose the owner from the agency's caseworkers, then confirm."""
    tip = _tip_or_404(request, public_id)
    if not can(request.user, Action.CREATE, "case"):
        raise AccessDenied("case create")
    owners = case_selectors.assignable_owners(request.user)
    form = OwnerForm(request.POST or None, initial={"version": tip.version}, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.convert_to_case(
                request.user, tip, services.Conversion(owner_id=data["owner"], version=data["version"])
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            owner = next((o.user for o in owners if o.user.pk == data["owner"]), None)
            messages.success(
                request,
                _("Case %(case)s opened from this tip and assigned to %(owner)s.")
                % {"case": case.public_id, "owner": owner.get_full_name() or owner.username if owner else ""},
            )
            return redirect("tips:detail", public_id=tip.public_id)
    return render(request, "tips/convert.html", {"tip": tip, "form": form, "owners": owners})


def _claim_action(request: HttpRequest, public_id: str, service, done: str) -> HttpResponse:
    tip = _tip_or_404(request, public_id)
    form = ClaimForm(request.POST)
    back = reverse("tips:detail", args=[tip.public_id])
    if not form.is_valid():
        messages.error(request, _("This form is out of date: reload the page and try again."))
        return redirect(back)
    try:
        service(request.user, tip, version=form.cleaned_data["version"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"id": tip.public_id})
    return redirect(safe_next(request, form.cleaned_data.get("next"), back))


@staff_view("tip", Action.UPDATE)
@require_POST
def claim(request: StaffRequest, public_id: str) -> HttpResponse:
    return _claim_action(request, public_id, services.claim, _("You are working on tip %(id)s."))


@staff_view("tip", Action.UPDATE)
@require_POST
def release(request: StaffRequest, public_id: str) -> HttpResponse:
    return _claim_action(request, public_id, services.release, _("Tip %(id)s is back in the queue."))
