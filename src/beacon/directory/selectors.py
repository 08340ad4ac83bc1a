"""Reads for the service directory, including the public list and need-based matching."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from beacon.access.policy import Action, get_in_scope, scope_queryset
from beacon.directory.models import Provider, ProviderService


def _with_related(qs: QuerySet[Provider]) -> QuerySet[Provider]:
    return qs.select_related("agency").prefetch_related(
        Prefetch("services", queryset=ProviderService.objects.order_by("category", "subtype")),
        "counties",
        "languages",
    )


def _filtered(
    qs: QuerySet[Provider], *, county_fips: str | None, city: str | None, language: str | None, service: str | None
) -> QuerySet[Provider]:
    if county_fips:
        qs = qs.filter(Q(statewide=True) | Q(counties__fips=county_fips))
    if city:
        qs = qs.filter(city__iexact=city.strip())
    if language:
        qs = qs.filter(languages__code=language)
    if service:
        qs = qs.filter(services__category=service)
    return qs.distinct()


def public_providers(
    *, county_fips: str | None, city: str | None, language: str | None, service: str | None
) -> QuerySet[Provider]:
    """Entries flagged public and active, for the portal's find-help page (no sign-in, no personal data)."""
    qs = Provider.objects.filter(is_public=True, is_active=True)
    return _with_related(_filtered(qs, county_fips=county_fips, city=city, language=language, service=service))


def providers(
    user: Any,
    *,
    county_fips: str | None = None,
    city: str | None = None,
    language: str | None = None,
    service: str | None = None,
    q: str = "",
) -> QuerySet[Provider]:
    qs = scope_queryset(user, Action.VIEW, "directory", Provider.objects.all())
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return _with_related(_filtered(qs, county_fips=county_fips, city=city, language=language, service=service))


def get_provider(user: Any, public_id: str) -> Provider:
    provider = get_in_scope(user, Action.VIEW, "directory", _with_related(Provider.objects.all()), public_id=public_id)
    if provider is None:
        raise Http404
    return provider


@dataclass
class Match:
    provider: Provider
    score: int
    reasons: list[str] = field(default_factory=list)


def match_providers(
    user: Any,
    *,
    service: str,
    county_fips: str | None = None,
    language: str | None = None,
    populations: list[str] | None = None,
    limit: int = 20,
) -> list[Match]:
    """Providers of `service`, ranked by county coverage, language, population fit and capacity.

    Scores (explained in `reasons`): county served +3 (statewide +2), language spoken +3, each population
    served +1, accepting new clients +2 with open places +1 more; not accepting -5.
    """
    populations = populations or []
    candidates = providers(user, service=service).filter(is_active=True)
    results = []
    for provider in candidates:
        score, reasons = 0, []
        county_set = {c.fips for c in provider.counties.all()}
        if county_fips:
            if county_fips in county_set:
                score += 3
                reasons.append(_("serves the county"))
            elif provider.statewide:
                score += 2
                reasons.append(_("serves all of Illinois"))
            else:
                reasons.append(_("does not list the county"))
        if language:
            if language in {lang.code for lang in provider.languages.all()}:
                score += 3
                reasons.append(_("speaks the language"))
            else:
                reasons.append(_("does not list the language (interpretation needed)"))
        fits = [p for p in populations if p in (provider.populations or [])]
        if fits:
            score += len(fits)
            reasons.append(_("serves: %(groups)s") % {"groups": ", ".join(fits)})
        missing = [p for p in populations if p not in (provider.populations or [])]
        if missing:
            reasons.append(_("does not list: %(groups)s") % {"groups": ", ".join(missing)})
        if provider.accepting_new_clients:
            score += 2
            reasons.append(_("accepting new clients"))
            if provider.capacity:
                score += 1
                reasons.append(_("%(n)s open places") % {"n": provider.capacity})
        else:
            score -= 5
            reasons.append(_("not accepting new clients"))
        results.append(Match(provider, score, reasons))
    results.sort(key=lambda m: (-m.score, m.provider.name))
    return results[:limit]


def referral_warnings(agency_id: int, service: str) -> list[str]:
    """What the directory says against referring `service` to the agency: none of its active entries
    accepts new clients, or none offers the service. An agency with no directory entry has nothing
    said against it (the directory does not know it)."""
    entries = list(
        Provider.objects.filter(agency_id=agency_id, is_active=True).prefetch_related(
            Prefetch("services", queryset=ProviderService.objects.only("provider_id", "category"))
        )
    )
    if not entries:
        return []
    warnings = []
    offering = [p for p in entries if any(s.category == service for s in p.services.all())]
    if not any(p.accepting_new_clients for p in entries):
        warnings.append(_("The directory marks this agency as not accepting new clients."))
    elif offering and not any(p.accepting_new_clients for p in offering):
        warnings.append(_("The agency's directory entries that offer this service are not accepting new clients."))
    if service and not offering:
        warnings.append(_("The directory does not list this service for this agency."))
    return warnings
