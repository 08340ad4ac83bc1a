import pytest


@pytest.fixture(autouse=True)
def _fresh_portal_caches():
    from beacon.portal.views import clear_caches

    clear_caches()
    yield
    clear_caches()
