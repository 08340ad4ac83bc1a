"""The public portal: information pages, find help, the tip form and the codename follow-up.

No page sets a cookie: there is no session and no CSRF cookie. The tip form is protected by a
signed, single-use submission token instead (beacon.tips.tokens), which is also its idempotency
key. Pages that show a codename or a reporter's messages are never cached.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import phonenumbers
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from beacon.directory.selectors import public_providers
from beacon.portal.forms import AddInformationForm, CodenameForm, TipForm, decode_photos
from beacon.portal.labels import REPORTER_STATUS, SERVICE_LABELS, county_name
from beacon.reference import vocabularies
from beacon.reference.models import County
from beacon.tips import ratelimit, services, urgency
from beacon.tips.models import Tip
from beacon.tips.tokens import (
    BadToken,
    new_digits_token,
    new_follow_up_token,
    new_submission_token,
    read_digits_token,
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
    """Forget the cached county list and pages (after reference data changes; in tests)."""
    _counties_cache.clear()
    _local_counties.clear()
    _pages.clear()


def _counties() -> list[tuple[str, str]]:
    """Illinois counties (fips, name in the reader's language): reference data, read again every
    few minutes."""
    now = time.monotonic()
    if not _counties_cache or now - _counties_cache[0][0] > _COUNTIES_SECONDS:
        _counties_cache[:] = [(now, list(County.objects.order_by("name").values_list("fips", "name")))]
        _local_counties.clear()
    language = _language()
    local = _local_counties.get(language)
    if local is None:
        local = _local_counties[language] = [(fips, county_name(name)) for fips, name in _counties_cache[0][1]]
    return local


_local_counties: dict[str, list[tuple[str, str]]] = {}


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
    return [(code, str(SERVICE_LABELS[code])) for code in SERVICE_CODES]


def _phone(raw: str) -> tuple[str, str] | None:
    """(what to show, tel: link) for a directory number: "(312) 555-0142" and "tel:+13125550142"."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return raw, "tel:" + "".join(c for c in raw if c.isdigit() or c == "+")
    if not phonenumbers.is_possible_number(number):
        return raw, "tel:" + "".join(c for c in raw if c.isdigit() or c == "+")
    # National form inside the US (how a caller in Illinois dials it), international otherwise.
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(number, style), "tel:" + e164


def _provider_card(provider: Any, county_fips: str | None = None) -> dict[str, Any]:
    """What the public sees of a directory entry; service names in the reader's language."""
    categories = dict.fromkeys(s.category for s in provider.services.all())
    counties = [c.fips for c in provider.counties.all()]
    return {
        "name": provider.name,
        "address": provider.address,
        "city": provider.city,
        "phone": _phone(provider.phone),
        "hours": provider.hours,
        "website": provider.website,
        "accepting": provider.accepting_new_clients,
        "services": [str(SERVICE_LABELS[c]) for c in categories if c in SERVICE_LABELS],
        "languages": sorted((lang.native_name for lang in provider.languages.all()), key=str.casefold),
        # A provider in the county itself comes before one that serves all of Illinois.
        "local": bool(county_fips and county_fips in counties),
    }


def _order(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those who can take a new client now first, then the county's own before statewide ones."""
    return sorted(cards, key=lambda card: (not card["accepting"], not card["local"], card["name"].casefold()))


@require_GET
def find_help(request: HttpRequest) -> HttpResponse:
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
    # Results on arrival: the county given in the link (the acknowledgement passes the report's
    # county), or all of Illinois before anything is chosen. Nothing about the visitor is looked up.
    providers: list[Any] | None = None
    found = public_providers(**filters).order_by("-accepting_new_clients", "name")[:50]
    providers = _order([_provider_card(p, filters["county_fips"]) for p in found])
    county_label = dict(counties).get(filters["county_fips"] or "", "")
    return render(
        request,
        "portal/find_help.html",
        {
            "page": "find_help",
            "counties": counties,
            "languages": languages,
            "services": services_,
            "selected": {"county": county, "city": city, "language": language, "service": service},
            "county_label": county_label,
            "providers": providers,
            "searched": searched,
        },
    )


# --- Reporting ------------------------------------------------------------------------------------


def _tip_form(data: Any = None, files: Any = None) -> TipForm:
    form_class = TipForm.for_reporter(urgency.checklist_items(_language()), _counties())
    if data is not None:  # a bound form shows what was sent; _refresh gives it a usable token
        return form_class(data, files)
    return form_class(initial={"token": new_submission_token()})


# Some pages are the same for everyone in a language except one value (the empty form's token, the
# acknowledgement's codename): render them once per language and process, for a few minutes, with
# a slot that each response fills. This keeps them cheap when many people report at once.
_PAGE_SECONDS = 300
_SLOT = "__beacon_slot__"
_TOKEN_SLOT = "__beacon_token_slot__"
_pages: dict[tuple[Any, ...], tuple[float, str]] = {}


def _page_with_slot(
    request: HttpRequest, key: tuple[Any, ...], template: str, context: Callable[[], dict[str, Any]]
) -> str:
    key = (template, _language(), *key)
    cached = _pages.get(key)
    now = time.monotonic()
    if cached is None or now - cached[0] > _PAGE_SECONDS:
        cached = (now, render_to_string(template, context(), request=request))
        _pages[key] = cached
    return cached[1]


def _blank_report_page(request: HttpRequest) -> str:
    def context() -> dict[str, Any]:
        form = _tip_form()
        form.initial["token"] = _SLOT
        return {"page": "report", "form": form}

    return _page_with_slot(request, (len(_counties()),), "portal/report.html", context)


def _acknowledgement(request: HttpRequest, submitted: services.Submitted, nonce: str) -> HttpResponse:
    """Shown only once the tip is committed; the codename and its digits token are the variable parts."""
    danger, child = submitted.tip.danger_now, submitted.tip.child_involved == "yes"
    codename = submitted.codename
    digits = codename is not None and codename.replace(" ", "").isdigit()
    language = submitted.tip.language
    context = {
        "page": "report",
        "codename": _SLOT if codename is not None else None,
        "codename_digits": digits,
        "codename_lang": "en" if digits else language,
        "digits_token": _TOKEN_SLOT,
        "danger_now": danger,
        "child": child,
        "county": submitted.tip.county_id or "",  # Find help opens on the report's county
    }
    key = (danger, child, codename is not None, digits, language, submitted.tip.county_id)
    html = _page_with_slot(request, key, "portal/report_received.html", lambda: context)
    if codename is not None:
        html = html.replace(_SLOT, escape(codename), 1).replace(_TOKEN_SLOT, new_digits_token(nonce), 1)
    return HttpResponse(html)


@csrf_exempt  # no cookies on the portal: the signed submission token protects this form
@_no_store
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and not request.GET:
        return HttpResponse(_blank_report_page(request).replace(_SLOT, new_submission_token(), 1))
    if request.method == "GET":
        return render(request, "portal/report.html", {"page": "report", "form": _tip_form()})

    token = request.POST.get("token", "")
    try:
        nonce = read_submission_token(token)
    except BadToken:
        # Keep what was typed and show field errors too, but leave the photos unread: a forged or
        # stale token costs no image work.
        form = _tip_form(request.POST)
        form.is_valid()
        return _refresh(request, form, "expired", status=400)
    form = _tip_form(request.POST, request.FILES)
    if not form.is_valid():  # photos: header checks only
        return _refresh(request, form, "", status=400, token=token)
    if not ratelimit.allow(request, "tip"):
        return _refresh(request, form, "rate", status=429, token=token)
    if not decode_photos(form):
        return _refresh(request, form, "", status=400, token=token)
    submitted = services.submit_tip(
        form.tip_input(_language()),
        nonce=nonce,
        idempotency_key="web:" + nonce,
        photos=form.cleaned_data.get("photos") or [],
    )
    return _acknowledgement(request, submitted, nonce)


@csrf_exempt  # the signed digits token, bound to one submission, protects this form
@_no_store
@require_http_methods(["POST"])
def report_digits(request: HttpRequest) -> HttpResponse:
    """The reporter asks for a codename of digits instead of words, from the acknowledgement."""
    try:
        nonce = read_digits_token(request.POST.get("token", ""))
    except BadToken:
        nonce = ""
    switched = services.switch_codename_to_digits(nonce=nonce, idempotency_key="web:" + nonce) if nonce else None
    if switched is None:
        context = {"page": "follow_up", "form": CodenameForm(), "problem": "expired"}
        return render(request, "portal/follow_up.html", context, status=400)
    return _acknowledgement(request, switched, nonce)


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
    if not form.is_valid():  # photos: header checks only
        return _follow_up_page(request, tip, form=form, status=400)
    if not ratelimit.allow(request, "add"):
        return render(
            request,
            "portal/follow_up.html",
            {"page": "follow_up", "form": CodenameForm(), "problem": "rate"},
            status=429,
        )
    if not decode_photos(form):
        return _follow_up_page(request, tip, form=form, status=400)
    services.add_reporter_information(
        tip,
        body=form.cleaned_data["body"],
        idempotency_key=f"{public_id}:{nonce}",
        photos=form.cleaned_data.get("photos") or [],
    )
    tip.refresh_from_db()
    return _follow_up_page(request, tip, added=True)
