import pytest

from beacon.reference.loader import load_reference_data
from beacon.reference.models import Country, County, Language, Term


@pytest.mark.django_db
def test_reference_data_loads_the_facts():
    counts = load_reference_data()
    assert counts["counties"] == 102
    assert County.objects.filter(chicago_metro=True).count() == 9
    assert County.objects.get(fips="17031").name == "Cook County"
    portal = set(Language.objects.filter(portal=True).values_list("code", flat=True))
    assert portal == {"en", "es", "pl", "zh-hans", "ar", "tl", "ko", "ru", "gu", "vi", "uk", "ur", "hi"}
    assert Language.objects.get(code="es").il_lep_rank == 1
    assert Language.objects.get(code="ar").rtl
    assert Country.objects.get(alpha2="MX").alpha3 == "MEX"
    assert Term.objects.filter(vocabulary="polaris").count() == 25
    statuses = list(Term.objects.filter(vocabulary="htcds:cas_Status").values_list("code", flat=True))
    assert statuses == ["Active", "FollowUp", "Closed", "ClosedReferred"]
    assert load_reference_data() == counts, "loading twice changes nothing"
