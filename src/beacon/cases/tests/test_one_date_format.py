"""Staff pages write every date one way ("Dec 2, 2026, 9:53 AM", Chicago time), in English and in
Spanish: no ISO dates, no numeric dates, no "a.m.", no Spanish month names."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.template import Context, Template

from beacon.cases import services
from beacon.cases.models import CaseNote, ConsentKind

pytestmark = pytest.mark.django_db

US_DATETIME = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}, \d{1,2}:\d{2} (AM|PM)\b")
US_DATE = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b")
OTHER_FORMATS = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 12/03/2026
    re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    re.compile(r"[ap]\.\s?m\.", re.I),
    re.compile(r"\b(Dec|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov)\.\s"),  # Django's "Dec." style
    re.compile(r"\bde (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b"),
]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)  # attributes (datetime="...") are not read as text
    return re.sub(r"\s+", " ", html)


def test_the_filters_write_the_us_form_in_chicago_time_whatever_the_language():
    from django.utils import translation

    moment = dt.datetime(2026, 12, 2, 15, 53, tzinfo=dt.UTC)  # 9:53 AM in Chicago (CST)
    template = Template("{{ t|staff_datetime }} | {{ d|staff_date }} | {{ iso|staff_date }} | {{ none|staff_date }}")
    for language in ("en", "es", "ar"):
        with translation.override(language):
            out = template.render(Context({"t": moment, "d": dt.date(2026, 7, 4), "iso": "1995-04-02", "none": None}))
        assert out == "Dec 2, 2026, 9:53 AM | Jul 4, 2026 | Apr 2, 1995 | ", language


@pytest.mark.parametrize("language", ["en", "es"])
def test_case_referral_and_tip_pages_use_one_date_format(language, case, staff, other_agency, staff_client):
    from beacon.tips import services as tips

    cw = staff["cw"]
    CaseNote.objects.create(case=case, author=cw, body="A note.")
    services.add_task(cw, case, title="Call back", due_date=dt.date(2026, 12, 9), assignee=cw)
    services.add_plan_item(cw, case, category="shelter", start_date=dt.date(2026, 12, 1), due_date=dt.date(2027, 1, 15))
    application = services.add_relief(cw, case, kind="t_visa")
    services.add_milestone(cw, application, kind="filed", due_date=dt.date(2027, 2, 1))
    services.add_event(
        cw, case, type="Exploitation", start_date=dt.date(2025, 5, 1), end_date=dt.date(2026, 3, 1), country="MEX"
    )
    services.grant_consent(cw, case, kind=ConsentKind.REFERRAL, agency=other_agency)
    referral = services.send_referral(cw, case, to_agency=other_agency, service="shelter", shared_fields=["name"])
    tip = tips.submit_tip(tips.TipInput(narrative="x"), nonce="n" * 16, idempotency_key="dates").tip
    client = staff_client(cw)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = {
        "case": f"/staff/cases/{case.public_id}/",
        "cases": "/staff/cases/",
        "referral": f"/staff/cases/referrals/{referral.public_id}/",
        "referrals": "/staff/cases/referrals/",
        "home": "/staff/",
    }
    hotline = staff_client(staff["hotline"])
    hotline.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name, url in pages.items():
        _check(client.get(url), name, language)
    for name, url in {"tip": f"/staff/tips/{tip.public_id}/", "queue": "/staff/tips/"}.items():
        _check(hotline.get(url), name, language)


def _check(response, name: str, language: str) -> None:
    assert response.status_code == 200, name
    text = _visible_text(response.content.decode())
    assert US_DATETIME.search(text) or US_DATE.search(text), f"{name} ({language}) shows no date"
    for pattern in OTHER_FORMATS:
        found = pattern.search(text)
        context = text[max(0, found.start() - 60) : found.end() + 20] if found else ""
        assert found is None, f"{name} ({language}): {found.group(0)!r} in …{context}…"
