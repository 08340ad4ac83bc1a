"""The public portal: information pages, find help, the tip form and the codename follow-up.

No page sets a cookie: there is no session and no CSRF cookie. The tip form is protected by a
signed, single-use submission token instead (beacon.tips.tokens), which is also its idempotency
key. Pages that show a codename or a reporter's messages are never cached.
"""

from __future__ import annotations

import logging
import time
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from beacon.portal.forms import AddInformationForm, CodenameForm, TipForm
from beacon.portal.labels import REPORTER_STATUS
from beacon.reference import vocabularies
from beacon.reference.models import County
from beacon.tips import ratelimit, services, urgency
from beacon.tips.models import Tip
from beacon.tips.tokens import (
    BadToken,
    new_follow_up_token,
    new_submission_token,
    read_follow_up_token,
    read_submission_token,
)

logger = logging.getLogger(__name__)


def _page(template: str, name: str):
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template, {"page": name})

    view.__name__ = name
    return view


landing = _page("portal/landing.html", "landing")
signs = _page("portal/signs.html", "signs")
rights = _page("portal/rights.html", "rights")
workers = _page("portal/workers.html", "workers")
young_people = _page("portal/young_people.html", "young_people")
how_to_report = _page("portal/how_to_report.html", "how_to_report")


def _language() -> str:
    return get_language() or "en"


_COUNTIES_SECONDS = 300
_counties_cache: list[tuple[float, list[tuple[str, str]]]] = []


def clear_caches() -> None:
    """Forget the cached county list and blank forms (after reference data changes; in tests)."""
    _counties_cache.clear()
    _blank_forms.clear()


def _counties() -> list[tuple[str, str]]:
    """Illinois counties (fips, name): reference data, read again every few minutes."""
    now = time.monotonic()
    if not _counties_cache or now - _counties_cache[0][0] > _COUNTIES_SECONDS:
        _counties_cache[:] = [(now, list(County.objects.order_by("name").values_list("fips", "name")))]
    return _counties_cache[0][1]


def _no_store(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, max-age=0"
        return response

    return never_cache(wrapped)


# --- Find help ----------------------------------------------------------------------------------


# The service category codes of the reference data (reference/data/service_categories.csv).
SERVICE_CODES = tuple(code for code, _label in vocabularies.choices("service_category"))


def _service_choices() -> list[tuple[str, str]]:
    from beacon.portal.labels import SERVICE_LABELS

    return [(code, str(SERVICE_LABELS[code])) for code in SERVICE_CODES]


def _provider_card(provider: Any) -> dict[str, Any]:
    """What the public sees of a directory entry; service names in the reader's language."""
    from beacon.portal.labels import SERVICE_LABELS

    categories = dict.fromkeys(s.category for s in provider.services.all())
    return {
        "name": provider.name,
        "address": provider.address,
        "city": provider.city,
        "phone": provider.phone,
        "website": provider.website,
        "services": [str(SERVICE_LABELS[c]) for c in categories if c in SERVICE_LABELS],
        "languages": [lang.native_name for lang in provider.languages.all()],
    }


@require_GET
def find_help(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    county = request.GET.get("county", "")[:5]
    city = request.GET.get("city", "").strip()[:100]
    language = request.GET.get("language", "")[:10]
    service = request.GET.get("service", "")[:40]
    counties = _counties()
    valid_counties = {fips for fips, _ in counties}
    languages = list(settings.LANGUAGES)
    services_ = _service_choices()
    filters = {
        "county_fips": county if county in valid_counties else None,
        "city": city or None,
        "language": language if language in {c for c, _ in languages} else None,
        "service": service if service in SERVICE_CODES else None,
    }
    searched = any(request.GET.get(k) for k in ("county", "city", "language", "service"))
    providers: list[Any] | None = None
    unavailable = False
    if searched:
        try:
            from beacon.directory.selectors import public_providers
        except ImportError:
            unavailable = True
        else:
            providers = [_provider_card(p) for p in public_providers(**filters)[:50]]
    return render(
        request,
        "portal/find_help.html",
        {
            "page": "find_help",
            "counties": counties,
            "languages": languages,
            "services": services_,
            "selected": {"county": county, "city": city, "language": language, "service": service},
            "providers": providers,
            "searched": searched,
            "unavailable": unavailable,
        },
    )


# --- Reporting ------------------------------------------------------------------------------------


def _tip_form(request: HttpRequest, data: Any = None, files: Any = None) -> TipForm:
    return TipForm(
        data,
        files,
        checklist=urgency.checklist_items(_language()),
        counties=_counties(),
        initial={"token": new_submission_token()},
    )


# The empty form is the same for everyone in a language except its token: render it once per
# language and process (for a few minutes), then put a fresh token in. This keeps the page cheap
# when many people report at once.
_BLANK_FORM_SECONDS = 300
_TOKEN_SLOT = "__beacon_submission_token__"
_blank_forms: dict[tuple[str, int], tuple[float, str]] = {}


def _blank_report_page(request: HttpRequest) -> str:
    key = (_language(), len(_counties()))
    cached = _blank_forms.get(key)
    now = time.monotonic()
    if cached is None or now - cached[0] > _BLANK_FORM_SECONDS:
        form = _tip_form(request)
        form.initial["token"] = _TOKEN_SLOT
        html = render_to_string("portal/report.html", {"page": "report", "form": form}, request=request)
        cached = (now, html)
        _blank_forms[key] = cached
    return cached[1]


@csrf_exempt  # no cookies on the portal: the signed submission token protects this form
@_no_store
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and not request.GET:
        return HttpResponse(_blank_report_page(request).replace(_TOKEN_SLOT, new_submission_token(), 1))
    if request.method == "GET":
        return render(request, "portal/report.html", {"page": "report", "form": _tip_form(request)})

    form = _tip_form(request, request.POST, request.FILES)
    token = request.POST.get("token", "")
    try:
        nonce = read_submission_token(token)
    except BadToken:
        form.is_valid()  # keep what was typed and show field errors too
        return _refresh(request, form, "expired", status=400)
    if not form.is_valid():
        return _refresh(request, form, "", status=400, token=token)
    if not ratelimit.allow(request, "tip"):
        return _refresh(request, form, "rate", status=429, token=token)
    submitted = services.submit_tip(
        form.tip_input(_language()),
        nonce=nonce,
        idempotency_key="web:" + nonce,
        photos=form.cleaned_data.get("photos") or [],
    )
    # Only now, with the tip committed, is the acknowledgement shown.
    return render(
        request,
        "portal/report_received.html",
        {
            "page": "report",
            "codename": submitted.codename,
            "danger_now": submitted.tip.danger_now,
            "child": submitted.tip.child_involved == "yes",
        },
    )


def _refresh(request: HttpRequest, form: TipForm, problem: str, *, status: int, token: str = "") -> HttpResponse:
    """Show the form again with what was typed, a message, and a usable token."""
    data = form.data.copy()
    data["token"] = token or new_submission_token()
    form.data = data
    return render(request, "portal/report.html", {"page": "report", "form": form, "problem": problem}, status=status)


# --- Follow-up with the codename ------------------------------------------------------------------


def _follow_up_page(
    request: HttpRequest,
    tip: Tip,
    *,
    form: AddInformationForm | None = None,
    added: bool = False,
    status: int = 200,
) -> HttpResponse:
    form = form or AddInformationForm(initial={"token": new_follow_up_token(tip.public_id)})
    return render(
        request,
        "portal/follow_up_tip.html",
        {
            "page": "follow_up",
            "tip": tip,
            "status_label": REPORTER_STATUS.get(tip.status, ""),
            "messages_": list(tip.messages.all()),
            "form": form,
            "added": added,
        },
        status=status,
    )


@csrf_exempt
@_no_store
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/follow_up.html", {"page": "follow_up", "form": CodenameForm()})
    form = CodenameForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/follow_up.html", {"page": "follow_up", "form": form}, status=400)
    if not ratelimit.allow(request, "codename"):
        return render(
            request,
            "portal/follow_up.html",
            {"page": "follow_up", "form": form, "problem": "rate"},
            status=429,
        )
    tip = services.find_by_codename(form.cleaned_data["codename"])
    if tip is None:
        return render(
            request,
            "portal/follow_up.html",
            {"page": "follow_up", "form": CodenameForm(), "problem": "unknown"},
            status=404,
        )
    return _follow_up_page(request, tip)


@csrf_exempt
@_no_store
@require_http_methods(["POST"])
def follow_up_add(request: HttpRequest) -> HttpResponse:
    try:
        public_id, nonce = read_follow_up_token(request.POST.get("token", ""))
    except BadToken:
        return render(
            request,
            "portal/follow_up.html",
            {"page": "follow_up", "form": CodenameForm(), "problem": "expired"},
            status=400,
        )
    tip = Tip.objects.filter(public_id=public_id).first()
    if tip is None:
        raise Http404
    form = AddInformationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _follow_up_page(request, tip, form=form, status=400)
    if not ratelimit.allow(request, "add"):
        return render(
            request,
            "portal/follow_up.html",
            {"page": "follow_up", "form": CodenameForm(), "problem": "rate"},
            status=429,
        )
    services.add_reporter_information(
        tip,
        body=form.cleaned_data["body"],
        idempotency_key=f"{public_id}:{nonce}",
        photos=form.cleaned_data.get("photos") or [],
    )
    tip.refresh_from_db()
    return _follow_up_page(request, tip, added=True)
