"""`/api/v1/`: one NinjaAPI. Errors are JSON with a `detail` message.

The platform's own operations are here; each feature app mounts its router from its `wiring.connect()`
(called by its AppConfig.ready), so this platform module imports no feature app.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError

from beacon.access.policy import AccessDenied, Action, RecordRefused, scope_queryset
from beacon.accounts.models import Agency
from beacon.api.auth import ApiRequest, requires, staff_auth
from beacon.api.parser import StrictJSONParser
from beacon.audit.services import record_refusal
from beacon.reference.models import County

api = NinjaAPI(
    title="Beacon API",
    version="1",
    description="Beacon's integration API. Authenticate with `Authorization: Bearer <token>`.",
    auth=staff_auth,
    urls_namespace="api",
    parser=StrictJSONParser(),
)


@api.exception_handler(AccessDenied)
def access_denied(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
    record_refusal(getattr(request, "auth", None), exc)
    return api.create_response(request, {"detail": "You are not allowed to do this."}, status=403)


@api.exception_handler(RecordRefused)
def record_refused(request: HttpRequest, exc: RecordRefused) -> HttpResponse:
    """The same answer as for a missing record (ninja's own 404 body); the refusal is audited."""
    record_refusal(getattr(request, "auth", None), exc)
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentication required: send a valid bearer token."}, status=401)


class MeOut(Schema):
    username: str
    role: str
    agency: str | None


class AgencyOut(Schema):
    public_id: str
    name: str
    type: str
    city: str


class CountyOut(Schema):
    fips: str
    name: str
    chicago_metro: bool


core = Router(tags=["core"])


@core.get("/me", response=MeOut, **requires())
def me(request: ApiRequest) -> dict:
    user = request.auth
    return {"username": user.username, "role": user.role, "agency": user.agency.name if user.agency else None}


@core.get("/agencies", response=list[AgencyOut], **requires("agency", Action.VIEW))
def agencies(request: ApiRequest):
    return scope_queryset(request.auth, Action.VIEW, "agency", Agency.objects.all())


@core.get("/reference/counties", response=list[CountyOut], **requires())
def counties(request: HttpRequest):
    return County.objects.all()


api.add_router("", core)
