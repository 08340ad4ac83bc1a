"""Walk every staff page under /staff/ and every API operation under /api/v1/ with each role, an
anonymous client and a signed-in user without the second factor: no entry point is unguarded, and
what each role is refused is exactly what the access policy table refuses.

Record ids in the URLs name no record, so a role the policy lets in reaches the selector and gets the
styled 404 (or a form, a list, a 405 for a POST-only page); a role it keeps out gets the styled 403
before anything is looked up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from beacon.access.policy import Guard, scopes_for
from beacon.accounts.models import ApiToken
from beacon.accounts.roles import Role
from beacon.api.router import api

NO_RECORD = "no-such-record"

# What each entry point needs, "resource action" as in access/policy.py, or "any staff". Reviewed with the
# policy table: a new page or operation lands here with what it needs, or the walk fails.
ENTRY_POINTS = {
    "staff/account/sign-in-failures/": "any staff",
    "staff/account/tokens/": "any staff",
    "staff/account/tokens/<int:pk>/revoke/": "any staff",
    "staff/audit/": "audit view",
    "staff/audit/export.csv": "audit export",
    "staff/lifecycle/": "legal_hold view",
    "staff/lifecycle/holds/": "legal_hold create",
    "staff/lifecycle/holds/<str:public_id>/release/": "legal_hold update",
    "staff/lifecycle/erase/": "erasure create",
    "staff/users/": "user view",
    "staff/users/new/": "user create",
    "staff/users/<int:pk>/": "user update",
    "staff/users/<int:pk>/reset-second-factor/": "user update",
    "staff/": "any staff",
    "staff/screening/": "screening view",
    "staff/screening/new/": "screening create",
    "staff/screening/new": "screening create",
    "staff/screening/<str:public_id>/": "screening view",
    "staff/screening/<str:public_id>/safety/": "screening update",
    "staff/screening/<str:public_id>/ask/": "screening update",
    "staff/screening/<str:public_id>/answers/": "screening update",
    "staff/screening/<str:public_id>/settings/": "screening update",
    "staff/screening/<str:public_id>/review/": "screening update",
    "staff/screening/<str:public_id>/result/": "screening view",
    "staff/screening/<str:public_id>/print/": "screening view",
    "staff/screening/<str:public_id>/rescreen/": "screening create",
    "staff/cases/": "case view",
    "staff/cases/new/": "case create",
    "staff/cases/team/": "case assign",
    "staff/cases/referrals/": "referral view",
    "staff/cases/referrals/<str:public_id>/": "referral view",
    "staff/cases/referrals/<str:public_id>/messages/": "referral_message create",
    "staff/cases/referrals/<str:public_id>/<str:action>/": "referral update",
    "staff/cases/tasks/<str:task_id>/done/": "any staff",
    "staff/cases/notifications/<int:notification_id>/read/": "any staff",
    "staff/cases/<str:public_id>/": "case view",
    "staff/cases/<str:public_id>/edit/": "case update",
    "staff/cases/<str:public_id>/owner/": "case assign",
    "staff/cases/<str:public_id>/person/": "person update",
    "staff/cases/<str:public_id>/notes/": "note create",
    "staff/cases/<str:public_id>/attachments/": "attachment create",
    "staff/cases/<str:public_id>/attachments/<str:attachment_id>/": "attachment view",
    "staff/cases/<str:public_id>/consents/": "consent create",
    "staff/cases/<str:public_id>/consents/<str:consent_id>/revoke/": "consent update",
    "staff/cases/<str:public_id>/needs/": "case update",
    "staff/cases/<str:public_id>/goals/": "case update",
    "staff/cases/<str:public_id>/plan/": "case update",
    "staff/cases/<str:public_id>/plan/<int:item_id>/": "case update",
    "staff/cases/<str:public_id>/relief/": "case update",
    "staff/cases/<str:public_id>/relief/<int:relief_id>/milestones/": "case update",
    "staff/cases/<str:public_id>/tasks/": "case update",
    "staff/cases/<str:public_id>/events/": "case update",
    "staff/cases/<str:public_id>/perpetrators/": "case update",
    "staff/cases/<str:public_id>/refer/": "referral create",
    "staff/directory/": "directory view",
    "staff/directory/new/": "directory create",
    "staff/directory/match/": "directory view",
    "staff/directory/export.csv": "directory view",
    "staff/directory/import/": "directory create",
    "staff/directory/<str:public_id>/": "directory view",
    "staff/directory/<str:public_id>/edit/": "directory update",
    "staff/tips/": "tip view",
    "staff/tips/<str:public_id>/": "tip view",
    "staff/tips/<str:public_id>/photos/<str:photo_id>": "tip view",
    "staff/tips/<str:public_id>/assign": "tip assign",
    "staff/tips/<str:public_id>/reply": "tip update",
    "staff/tips/<str:public_id>/escalate": "tip update",
    "staff/tips/<str:public_id>/close": "tip update",
    "staff/tips/<str:public_id>/classify": "tip update",
    "staff/tips/<str:public_id>/convert": "tip update",
    "staff/tips/<str:public_id>/claim": "tip update",
    "staff/tips/<str:public_id>/release": "tip update",
    "staff/intel/": "intel view",
    "staff/intel/networks/<str:public_id>/": "intel view",
    "staff/intel/networks/<str:public_id>/export.csv": "intel export",
    "staff/intel/posts/": "intel view",
    "staff/intel/posts/<str:public_id>/": "intel view",
    "staff/intel/imports/": "intel create",
    "staff/intel/imports/<str:public_id>/": "intel view",
    "staff/intel/imports/<str:public_id>/preview": "intel create",
    "staff/intel/imports/<str:public_id>/progress": "intel view",
    "staff/intel/analyse": "intel create",
    "staff/insights/": "insights view",
    "staff/outreach/": "outreach view",
    "staff/outreach/new/": "outreach create",
    "staff/outreach/<str:public_id>/edit/": "outreach update",
    "staff/matters/": "matter view",
    "staff/matters/new/": "matter create",
    "staff/matters/contact/": "deconflictioncontact view",
    "staff/matters/deconfliction/": "deconfliction view",
    "staff/matters/<str:public_id>/": "matter view",
    "staff/matters/<str:public_id>/edit/": "matter update",
    "staff/matters/<str:public_id>/subjects/": "matter update",
    "staff/insights/panels/<slug:key>/": "insights view",
    "staff/insights/panels/<slug:key>.csv": "insights export",
    "staff/insights/exports/": "case export",
    "staff/insights/exports/htcds/<slug:table>.csv": "case export",
    "staff/insights/exports/htcds.json": "case export",
    "staff/insights/exports/ctdc.csv": "case export",
    "staff/insights/exports/federal.csv": "case export",
    "staff/insights/releases/": "insights export",
    "GET /api/v1/me": "any staff",
    "GET /api/v1/agencies": "agency view",
    "GET /api/v1/reference/counties": "any staff",
    "GET /api/v1/screenings/instruments": "any staff",
    "POST /api/v1/screenings": "screening create",
    "GET /api/v1/screenings": "screening view",
    "GET /api/v1/screenings/{public_id}": "screening view",
    "GET /api/v1/cases": "case view",
    "POST /api/v1/cases": "case create",
    "GET /api/v1/cases/caseload": "case view",
    "GET /api/v1/cases/tasks": "any staff",
    "GET /api/v1/cases/referrals": "referral view",
    "GET /api/v1/cases/referrals/{referral_id}": "referral view",
    "GET /api/v1/cases/referrals/{referral_id}/shared": "referral view",
    "POST /api/v1/cases/referrals/{referral_id}/accept": "referral update",
    "POST /api/v1/cases/referrals/{referral_id}/decline": "referral update",
    "POST /api/v1/cases/referrals/{referral_id}/complete": "referral update",
    "POST /api/v1/cases/referrals/{referral_id}/withdraw": "referral update",
    "POST /api/v1/cases/consents/{consent_id}/revoke": "consent update",
    "POST /api/v1/cases/tasks/{task_id}/done": "any staff",
    "GET /api/v1/cases/{case_id}": "case view",
    "PATCH /api/v1/cases/{case_id}": "case update",
    "GET /api/v1/cases/{case_id}/notes": "note view",
    "POST /api/v1/cases/{case_id}/notes": "note create",
    "POST /api/v1/cases/{case_id}/consents": "consent create",
    "POST /api/v1/cases/{case_id}/referrals": "referral create",
    "GET /api/v1/directory/providers": "directory view",
    "GET /api/v1/directory/providers/{provider_id}": "directory view",
    "GET /api/v1/directory/match": "directory view",
    "GET /api/v1/directory/export.csv": "directory view",
    "POST /api/v1/directory/import": "directory create",
    "POST /api/v1/tips": "tip create",
    "GET /api/v1/tips/{public_id}": "tip view",
    "POST /api/v1/field/submissions": "tip create",
    "POST /api/v1/intel/imports": "intel create",
    "GET /api/v1/intel/imports/{public_id}": "intel view",
    "GET /api/v1/intel/networks": "intel view",
    "GET /api/v1/intel/networks/{public_id}": "intel view",
    "GET /api/v1/intel/posts": "intel view",
    "GET /api/v1/insights/panels": "insights view",
    "GET /api/v1/insights/panels/{key}": "insights view",
}

# A role the table lets in, refused by a narrower rule inside the use case (each with the rule).
NARROWER = {
    # Public releases are made from statewide figures only: a supervisor's export grant is for their agency.
    ("staff/insights/releases/", Role.SUPERVISOR),
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _concrete(route: str) -> str:
    route = re.sub(r"<int:\w+>", "987654", route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", NO_RECORD, route)


def staff_pages() -> list[tuple[str, Guard | None]]:
    pages = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("staff/"):
            pages.append((route, getattr(pattern.callback, "staff_guard", None)))
    return pages


def api_operations() -> list[tuple[str, str, Guard | None]]:
    operations = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            access = operation.get("x-beacon-access")
            guard = Guard(access["resource"], access["action"]) if access else None
            operations.append((path, method.upper(), guard))
    return operations


def _granted(user: Any, guard: Guard) -> bool:
    return not guard.resource or bool(scopes_for(user, guard.action, guard.resource))


def test_the_walk_sees_every_area():
    routes = {route for route, _guard in staff_pages()}
    for area in (
        "staff/",
        "staff/tips/",
        "staff/cases/",
        "staff/screening/",
        "staff/directory/",
        "staff/intel/",
        "staff/insights/",
        "staff/users/",
    ):
        assert area in routes
    paths = {path for path, _method, _guard in api_operations()}
    assert {"/api/v1/me", "/api/v1/cases/{case_id}", "/api/v1/tips", "/api/v1/intel/networks"} <= paths


def _needs(guard: Guard | None) -> str | None:
    if guard is None:
        return None
    return f"{guard.resource} {guard.action}" if guard.resource else "any staff"


def test_no_staff_page_or_api_operation_is_unguarded():
    unguarded = [route for route, guard in staff_pages() if guard is None]
    unguarded += [f"{method} {path}" for path, method, guard in api_operations() if guard is None]
    assert unguarded == []


def test_every_entry_point_needs_what_the_table_says():
    declared = {route: _needs(guard) for route, guard in staff_pages()}
    declared |= {f"{method} {path}": _needs(guard) for path, method, guard in api_operations()}
    assert declared == ENTRY_POINTS


@pytest.mark.django_db
def test_anonymous_callers_are_sent_to_sign_in_or_get_401():
    client = Client()
    login = reverse("accounts:login")
    for route, _guard in staff_pages():
        url = _concrete(route)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    for path, method, _guard in api_operations():
        url = _concrete(path.lstrip("/").replace("{", "<").replace("}", ">"))
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 401, f"{method} {url}"


@pytest.mark.django_db
def test_staff_without_the_second_factor_are_sent_to_it(make_user, agency):
    client = Client()
    client.force_login(make_user(Role.SUPERVISOR, agency), backend="django.contrib.auth.backends.ModelBackend")
    second_factor = reverse("accounts:second_factor")
    for route, _guard in staff_pages():
        response = client.get(_concrete(route))
        assert response.status_code == 302 and response["Location"].startswith(second_factor), route


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_exactly_what_the_policy_refuses(role, make_user, agency, staff_client):
    user = make_user(role, agency)
    client = staff_client(user)
    for route, guard in staff_pages():
        assert guard is not None
        url = _concrete(route)
        response = client.get(url)
        if _granted(user, guard) and (route, role) not in NARROWER:
            assert response.status_code != 403, f"{role} refused {url}, which the policy grants ({guard})"
        else:
            assert response.status_code == 403, f"{role} let into {url} ({guard}): {response.status_code}"
            # The styled page, inside the staff layout with the navigation the user may still use.
            assert "web/403.html" in [t.name for t in response.templates], url
            assert reverse("web:home") in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_exactly_what_the_policy_refuses_in_the_api(role, make_user, agency):
    user = make_user(role, agency)
    _token, raw = ApiToken.issue(user, "walk")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for path, method, guard in api_operations():
        assert guard is not None
        url = _concrete(path.lstrip("/").replace("{", "<").replace("}", ">"))
        response = client.generic(method, url, "{}", content_type="application/json")
        if _granted(user, guard):
            assert response.status_code != 403, f"{role} refused {method} {url}, which the policy grants ({guard})"
        else:
            assert response.status_code == 403, f"{role} let into {method} {url} ({guard}): {response.status_code}"
            assert json.loads(response.content) == {"detail": "You are not allowed to do this."}


@pytest.mark.django_db
def test_a_missing_or_out_of_scope_record_is_the_styled_404(make_user, agency, staff_client):
    client = staff_client(make_user(Role.SUPERVISOR, agency))
    response = client.get(reverse("cases:detail", args=[NO_RECORD]))
    assert response.status_code == 404
    assert "web/404.html" in [t.name for t in response.templates]
    assert reverse("cases:list") in response.content.decode()  # the navigation is there
