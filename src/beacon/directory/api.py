"""`/api/v1/directory`: providers, need-based matching, CSV export and import."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from beacon.access.policy import Action
from beacon.api.auth import ApiRequest, requires
from beacon.directory import selectors, services

router = Router(tags=["directory"])


class ServiceOut(Schema):
    category: str
    subtype: str


class ProviderOut(Schema):
    id: str = Field(..., alias="public_id")
    name: str
    agency: str | None = None
    services: list[ServiceOut]
    counties: list[str]
    statewide: bool
    languages: list[str]
    populations: list[str]
    accepting_new_clients: bool
    capacity: int | None
    hours: str
    phone: str
    email: str
    website: str
    city: str
    is_public: bool

    @staticmethod
    def resolve_agency(obj: Any) -> str | None:
        return obj.agency.public_id if obj.agency_id else None

    @staticmethod
    def resolve_services(obj: Any) -> list[dict]:
        return [{"category": s.category, "subtype": s.subtype} for s in obj.services.all()]

    @staticmethod
    def resolve_counties(obj: Any) -> list[str]:
        return [c.fips for c in obj.counties.all()]

    @staticmethod
    def resolve_languages(obj: Any) -> list[str]:
        return [lang.code for lang in obj.languages.all()]


class MatchOut(Schema):
    provider: ProviderOut
    score: int
    reasons: list[str]


class ImportOut(Schema):
    created: int
    updated: int
    errors: list[dict]


@router.get("/providers", response=list[ProviderOut], **requires("directory", Action.VIEW))
def list_providers(
    request: ApiRequest,
    service: str | None = None,
    county: str | None = None,
    language: str | None = None,
    city: str | None = None,
    q: str = "",
):
    return list(
        selectors.providers(request.auth, service=service, county_fips=county, language=language, city=city, q=q)[:500]
    )


@router.get("/providers/{provider_id}", response=ProviderOut, **requires("directory", Action.VIEW))
def get_provider(request: ApiRequest, provider_id: str):
    return selectors.get_provider(request.auth, provider_id)


@router.get(
    "/match",
    response=list[MatchOut],
    summary="Rank providers for a need, with the reasons",
    **requires("directory", Action.VIEW),
)
def match(
    request: ApiRequest, service: str, county: str | None = None, language: str | None = None, populations: str = ""
):
    results = selectors.match_providers(
        request.auth,
        service=service,
        county_fips=county,
        language=language,
        populations=[p for p in populations.split(",") if p],
    )
    return [{"provider": m.provider, "score": m.score, "reasons": m.reasons} for m in results]


@router.get("/export.csv", summary="All visible entries as CSV", **requires("directory", Action.VIEW))
def export(request: ApiRequest) -> HttpResponse:
    return HttpResponse(services.export_csv(selectors.providers(request.auth)), content_type="text/csv")


class ImportIn(Schema):
    csv: str


@router.post(
    "/import",
    response={200: ImportOut, 422: ImportOut},
    summary="Import CSV text: all rows or none; errors name their line",
    **requires("directory", Action.CREATE),
)
def import_csv(request: ApiRequest, payload: ImportIn):
    result = services.import_csv(request.auth, payload.csv)
    body = {
        "created": result.created,
        "updated": result.updated,
        "errors": [{"line": line, "problem": problem} for line, problem in result.errors],
    }
    return Status(200 if result.ok else 422, body)
