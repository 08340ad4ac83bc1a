from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from beacon.reference.models import County


@pytest.fixture(autouse=True)
def _fresh_portal_caches():
    from beacon.portal.views import clear_caches

    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def counties(db) -> list[County]:
    return [
        County.objects.create(fips="17031", name="Cook County", chicago_metro=True),
        County.objects.create(fips="17201", name="Winnebago County"),
    ]


def report_url(lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("portal:report")


def follow_up_url(lang: str = "en", name: str = "follow_up") -> str:
    with translation.override(lang):
        return reverse(f"portal:{name}")


def fresh_token(client: Client, lang: str = "en") -> str:
    html = client.get(report_url(lang)).content.decode()
    marker = 'name="token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def tip_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "narrative": "Workers at a farm are locked in at night.",
        "location_kind": "county",
        "county": "17031",
        "city": "",
        "place": "",
        "when": "week",
        "when_detail": "",
        "people_description": "",
        "names": "",
        "phones": "",
        "emails": "",
        "plates": "",
        "child_involved": "unknown",
        "contact_preference": "codename",
        "contact_detail": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit(client, counties) -> Callable[..., Any]:
    """POST the public form with a fresh token; returns (response, codename or None)."""

    def post(lang: str = "en", token: str | None = None, files: dict | None = None, **fields: Any):
        data = tip_form(**fields)
        data["token"] = token or fresh_token(client, lang)
        if files:
            data.update(files)
        response = client.post(
            report_url(lang),
            data,
            REMOTE_ADDR="203.0.113.77",
            HTTP_USER_AGENT="SecretBrowser/9.9 (Reporter-Phone)",
            HTTP_X_FORWARDED_FOR="198.51.100.23",
            HTTP_REFERER="https://example.org/ref",
        )
        html = response.content.decode()
        codename = None
        if 'id="codename"' in html:
            start = html.index('id="codename"')
            codename = html[html.index(">", start) + 1 : html.index("<", start + 1)].strip()
        return response, codename

    return post


@pytest.fixture
def log_capture():
    """Every log record at DEBUG and above, formatted, from every logger, through the real filters."""
    from beacon.web.logging import StripIdentifyingDataFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(StripIdentifyingDataFilter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("django.request", "django.server", "django.db.backends"):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name in ("django.request", "django.server", "django.db.backends"):
        logging.getLogger(name).removeHandler(handler)


def jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0131] = "SecretSoftware"
    gps = {1: "N", 2: (41.0, 52.0, 55.0), 3: "W", 4: (87.0, 37.0, 40.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
