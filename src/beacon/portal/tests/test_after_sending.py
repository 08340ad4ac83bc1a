"""After sending: what happens next, the reporter's own words in the thread, county names and lists
in the reader's language, and labels without doubled punctuation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from beacon.portal import labels
from beacon.reference.models import County
from beacon.tips.tests.conftest import fresh_token, report_url, tip_form


@pytest.fixture
def counties(db):
    from beacon.portal.views import clear_caches

    clear_caches()
    County.objects.create(fips="17031", name="Cook County", chicago_metro=True)
    County.objects.create(fips="17089", name="Kane County")
    yield
    clear_caches()


def _send(client: Client, lang: str) -> str:
    data = tip_form()
    data["token"] = fresh_token(client, lang)
    response = client.post(report_url(lang), data)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading", "check_back"),
    [
        ("en", "What happens next", "in two or three days"),
        ("es", "Qué pasa ahora", "en dos o tres días"),
        ("ar", "ما الذي يحدث بعد ذلك", "بعد يومين أو ثلاثة أيام"),
    ],
)
def test_the_acknowledgement_says_what_happens_next_and_when_to_check_back(counties, lang, heading, check_back):
    html = _send(Client(), lang)
    section = html.split('id="next-steps"')[1].split("</section>")[0]
    assert heading in section and check_back in section


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "cook"),
    [
        ("en", "Cook County"),
        ("es", "Condado de Cook"),
        ("ar", "مقاطعة Cook"),
        ("zh-hans", "Cook县"),
        ("ko", "Cook 카운티"),
    ],
)
def test_county_names_follow_the_language_on_the_form_and_find_help(client, counties, lang, cook):
    with translation.override(lang):
        form = client.get(report_url(lang)).content.decode()
        find_help = client.get(f"/{lang}/find-help/").content.decode()
    assert f'<option value="17031">{cook}</option>' in form
    assert f">{cook}</option>" in find_help


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "ur", "zh-hans", "es", "en"])
def test_no_label_ends_in_a_question_mark_and_a_colon(client, counties, lang):
    html = client.get(report_url(lang)).content.decode()
    labels_ = re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S)
    assert labels_
    for text in labels_:
        assert not re.search(r"[?؟？][:：]\s*$", text), (lang, text)
    if lang == "zh-hans":
        assert any(text.endswith("：") for text in labels_)  # the full-width colon, not ":"
        assert not any(text.endswith(":") for text in labels_)


def test_lists_are_joined_as_the_language_joins_them():
    items = ["Español", "Polski", "English"]
    expected = {
        "en": "Español, Polski, and English",
        "es": "Español, Polski y English",
        "ar": "Español وPolski وEnglish",
        "zh-hans": "Español、Polski和English",
    }
    for lang, joined in expected.items():
        with translation.override(lang):
            assert labels.as_list(items) == joined
    with translation.override("es"):
        assert labels.as_list([]) == "" and labels.as_list(["Español"]) == "Español"
