"""The pure cores carry their own copy of the service category codes; they must match the reference data."""

from beacon.insights.formats.federal import SERVICE_CATEGORIES as FEDERAL
from beacon.reference.vocabularies import choices
from beacon.screening.engine import SERVICE_CATEGORIES as SCREENING


def test_service_codes_match_the_reference_data():
    reference = [code for code, _ in choices("service_category")]
    assert list(FEDERAL) == reference
    assert sorted(SCREENING) == sorted(reference)
