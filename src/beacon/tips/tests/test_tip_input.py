"""A tip checks itself when it is built: every channel maps to TipInput, none validates on its own."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from beacon.tips.services import TipInput

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"narrative": "   "}, "narrative"),
        ({"narrative": "x" * 10_001}, "narrative"),
        ({"narrative": "a\x00b"}, "narrative"),
        ({"narrative": "x", "when": "yesterday"}, "when"),
        ({"narrative": "x", "location_kind": "moon"}, "location_kind"),
        ({"narrative": "x", "child_involved": "maybe"}, "child_involved"),
        ({"narrative": "x", "contact_preference": "pigeon"}, "contact_preference"),
        ({"narrative": "x", "location_kind": "county", "county_fips": "99999"}, "county_fips"),
        ({"narrative": "x", "checklist": {"DEBT": "perhaps"}}, "checklist"),
    ],
)
def test_a_tip_no_channel_may_store_is_refused_by_field(fields, bad):
    with pytest.raises(ValidationError) as refused:
        TipInput(**fields)
    assert set(refused.value.message_dict) == {bad}


def test_an_illinois_county_may_be_unknown():
    """The tip form's default place is "an Illinois county"; a reporter who does not know which one
    still sends the tip (triage sets the county)."""
    assert TipInput(narrative="x", location_kind="county").county_fips is None


def test_a_plain_tip_is_accepted():
    tip = TipInput(narrative="Workers sleep at the restaurant", checklist={"DEBT": "yes"})
    assert tip.narrative == "Workers sleep at the restaurant"
