"""A versioned case edit refreshes the dashboard facts at once (no wait for the periodic rebuild)."""

import pytest

from beacon.accounts.roles import Role
from beacon.cases.models import Case
from beacon.cases.services import open_case, update_case
from beacon.insights.models import CaseFact


@pytest.mark.django_db
def test_versioned_update_refreshes_case_facts(agency, make_user):
    supervisor = make_user(Role.SUPERVISOR, agency)
    case = open_case(supervisor, given_name="Fictional", polaris_type="construction")
    case = Case.objects.get(pk=case.pk)
    update_case(supervisor, case, version=case.version, polaris_type="landscaping")
    assert CaseFact.objects.get(case_id=case.pk).polaris_type == "landscaping"
