"""Triage classifies a tip by type of exploitation; the statistics count tips by that type."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from beacon.accounts.roles import Role
from beacon.audit.models import AuditEntry
from beacon.tips import services
from beacon.tips.models import Tip


@pytest.fixture
def tip(agency) -> Tip:
    return Tip.objects.create(agency=agency)


@pytest.mark.django_db
def test_hotline_staff_classify_a_tip_and_it_is_audited(tip, agency, make_user, staff_client):
    hotline = make_user(Role.HOTLINE, agency)
    response = staff_client(hotline).post(
        f"/staff/tips/{tip.public_id}/classify", {"exploitation_types": ["ForcedLabour", "SexualExploitation"]}
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.exploitation_types == ["ForcedLabour", "SexualExploitation"]
    assert AuditEntry.objects.filter(object_id=tip.public_id, reason="classified").exists()


@pytest.mark.django_db
def test_unknown_types_and_other_agencies_are_refused(tip, agency, other_agency, make_user):
    with pytest.raises(ValidationError):
        services.classify(make_user(Role.HOTLINE, agency), tip, ["Smuggling"])
    stranger = make_user(Role.HOTLINE, other_agency)
    from beacon.access.policy import AccessDenied

    with pytest.raises(AccessDenied):
        services.classify(stranger, tip, ["ForcedLabour"])


@pytest.mark.django_db
def test_tips_by_type_panel_counts_classified_tips(tip, agency, make_user):
    from beacon.insights.selectors import PANELS, counts, default_filters, viewer_for

    services.classify(make_user(Role.HOTLINE, agency), tip, ["ForcedLabour"])
    supervisor = make_user(Role.SUPERVISOR, agency)
    table = counts(PANELS["tips_exploitation"], viewer_for(supervisor), default_filters())
    assert sum(table.row("ForcedLabour")) == 1
