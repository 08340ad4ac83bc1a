"""The case seeder: fictional content, related rows, and a second run adds nothing."""

from __future__ import annotations

import pytest

from beacon.cases.models import Case, Consent, Person
from beacon.cases.seed import seed_cases
from beacon.demo.seeding import SeedContext, seed_people
from beacon.directory.models import Provider
from beacon.directory.seed import seed_directory


@pytest.mark.django_db
def test_seed_is_idempotent_and_tops_up(ref):
    ctx = SeedContext(cases=300, out=lambda _m: None)
    seed_people(ctx)
    seed_directory(ctx)
    seed_cases(ctx)
    assert Case.objects.count() == 300 and Person.objects.count() == 300
    assert Consent.objects.filter(kind="services").count() == 300
    assert Provider.objects.filter(is_public=True).exists()
    seed_directory(ctx)
    seed_cases(ctx)
    assert Case.objects.count() == 300
    seed_cases(SeedContext(cases=350, agencies=ctx.agencies, out=lambda _m: None))
    assert Case.objects.count() == 350
    person = Person.objects.first()
    assert person.given_name and person.name_bidx
    assert "Fictional" in Case.objects.first().summary
