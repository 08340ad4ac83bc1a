from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beacon import portal, warmup
from beacon.screening.engine import registry
from beacon.warmup import PORTAL_TEMPLATES, warm_up


@pytest.mark.django_db
def test_warm_up_loads_instruments_and_templates_without_the_database():
    registry.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        warm_up()
    assert len(queries) == 0  # a worker must start even when the database is unreachable
    assert registry._load.cache_info().currsize == 1  # the instruments are parsed and cached


def test_every_portal_template_is_warmed():
    templates = Path(portal.__file__).parent / "templates" / "portal"
    pages = {f"portal/{p.name}" for p in templates.glob("*.html") if not p.name.startswith("_")}
    pages.discard("portal/base.html")  # compiled as the parent of every page
    assert pages - set(PORTAL_TEMPLATES) == set()


def test_a_failing_warm_up_is_logged_and_the_worker_goes_on(monkeypatch, caplog):
    def broken() -> float:
        raise RuntimeError("instrument file unreadable")

    monkeypatch.setattr(warmup, "warm_up", broken)
    warmup.warm_up_worker()
    assert "warm-up failed" in caplog.text and "instrument file unreadable" in caplog.text
