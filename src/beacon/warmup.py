"""Work each web worker does once when it starts, instead of in its first requests.

A fresh worker otherwise spends most of a second on its first tip: importing the API modules,
building the URL reverse tables, parsing and validating the screening instruments, compiling the
portal templates and reading translation catalogs. Under load every worker's first requests
queued behind that. Nothing here touches the database, so a worker still starts while the
database is unreachable. It lives beside wsgi.py and asgi.py, which call it, because it reaches into
feature apps (the portal's templates, the screening instruments) that the platform apps must not import.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from beacon.screening.engine import registry

logger = logging.getLogger(__name__)

PORTAL_TEMPLATES = (
    "portal/landing.html",
    "portal/signs.html",
    "portal/rights.html",
    "portal/workers.html",
    "portal/young_people.html",
    "portal/how_to_report.html",
    "portal/find_help.html",
    "portal/report.html",
    "portal/report_received.html",
    "portal/follow_up.html",
    "portal/follow_up_tip.html",
    "portal/statistics.html",
)


def warm_up() -> float:
    """Load what the first requests would load; return the seconds it took."""
    began = time.perf_counter()
    for template in PORTAL_TEMPLATES:
        get_template(template)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("portal:landing")  # imports every URL module, then builds this language's reverse table
    registry.load_instruments()  # parses and checks the screening instruments
    seconds = time.perf_counter() - began
    logger.info("worker warmed up in %.2f s", seconds)
    return seconds


def warm_up_worker() -> None:
    """Called by wsgi.py and asgi.py. A worker that cannot warm up still serves; the error is logged."""
    try:
        warm_up()
    except Exception:
        logger.exception("warm-up failed")
