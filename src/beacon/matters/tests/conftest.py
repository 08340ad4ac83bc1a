from __future__ import annotations

import pytest

from beacon.accounts.models import Agency
from beacon.accounts.roles import AgencyType, Role
from beacon.matters import services
from beacon.matters.models import MatterStatus


@pytest.fixture
def unit_a(db) -> Agency:
    return Agency.objects.create(name="Unit A Police", type=AgencyType.LAW_ENFORCEMENT, city="Chicago")


@pytest.fixture
def unit_b(db) -> Agency:
    return Agency.objects.create(name="Unit B Sheriff", type=AgencyType.LAW_ENFORCEMENT, city="Joliet")


@pytest.fixture
def open_matter():
    def make(user, title="Restaurant labour", confidential=False):
        return services.open_matter(
            user,
            services.MatterInput(
                title=title,
                exploitation_type="ForcedLabour",
                county=None,
                status=MatterStatus.OPEN,
                lead=None,
                confidential=confidential,
            ),
        )

    return make


@pytest.fixture
def people(make_user, unit_a, unit_b, agency):
    return {
        "a": make_user(Role.INVESTIGATOR, unit_a, first_name="Ari", last_name="Ames"),
        "b": make_user(Role.INVESTIGATOR, unit_b, first_name="Bea", last_name="Burns"),
        "b_contact": make_user(Role.INVESTIGATOR, unit_b, first_name="Cal", last_name="Contact"),
        "b_admin": make_user(Role.AGENCY_ADMIN, unit_b),
        "coordinator": make_user(Role.COORDINATOR, None),
        "caseworker": make_user(Role.CASEWORKER, agency),
        "hotline": make_user(Role.HOTLINE, unit_b),
    }
