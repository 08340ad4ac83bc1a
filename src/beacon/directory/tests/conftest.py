from __future__ import annotations

import pytest

from beacon.accounts.roles import Role
from beacon.directory.models import Provider, ProviderService
from beacon.reference.models import County, Language


@pytest.fixture
def ref(db) -> dict:
    counties = {
        f: County.objects.create(fips=f, name=n)
        for f, n in [("17031", "Cook County"), ("17043", "DuPage County"), ("17201", "Winnebago County")]
    }
    languages = {
        c: Language.objects.create(code=c, iso639_3=i, name=n, native_name=n)
        for c, i, n in [("en", "eng", "English"), ("es", "spa", "Spanish"), ("pl", "pol", "Polish")]
    }
    return {"counties": counties, "languages": languages}


def make_provider(
    name,
    *,
    services,
    counties=(),
    languages=(),
    populations=(),
    public=True,
    accepting=True,
    capacity=None,
    statewide=False,
    agency=None,
    city="Chicago",
):
    provider = Provider.objects.create(
        name=name,
        city=city,
        is_public=public,
        accepting_new_clients=accepting,
        capacity=capacity,
        statewide=statewide,
        populations=list(populations),
        agency=agency,
    )
    provider.counties.set(counties)
    provider.languages.set(languages)
    for s in services:
        ProviderService.objects.create(provider=provider, category=s)
    return provider


@pytest.fixture
def providers(ref, agency) -> dict:
    c, lang = ref["counties"], ref["languages"]
    return {
        "shelter_cook_es": make_provider(
            "Shelter A",
            services=["shelter"],
            counties=[c["17031"]],
            languages=[lang["es"], lang["en"]],
            populations=["women", "adults"],
            capacity=3,
            agency=agency,
        ),
        "shelter_dupage": make_provider(
            "Shelter B", services=["shelter"], counties=[c["17043"]], languages=[lang["en"]], populations=["women"]
        ),
        "legal_statewide": make_provider(
            "Legal C", services=["legal_immigration"], statewide=True, languages=[lang["pl"]]
        ),
        "private": make_provider("Private D", services=["shelter"], counties=[c["17031"]], public=False),
        "full": make_provider(
            "Full E", services=["shelter"], counties=[c["17031"]], languages=[lang["es"]], accepting=False
        ),
    }


@pytest.fixture
def admin(make_user, agency):
    return make_user(Role.AGENCY_ADMIN, agency)
