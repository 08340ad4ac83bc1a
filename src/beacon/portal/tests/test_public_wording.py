"""What the public pages promise, in every language: no more than is true (screening.md §3, §4).

The checks read the rendered pages in each language and compare them with that language's
catalog, so a language that loses a sentence (or keeps an old promise) fails here.
"""

from __future__ import annotations

import html as html_lib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LANGS = [code for code, _ in settings.LANGUAGES]
NOTICE = [
    "This form is not an emergency service.",
    "Staff at this portal's partner organizations in Illinois read what you send and decide how to help.",
    "A report about a child may be passed to DCFS, the Illinois child protection agency.",
]
UNDER_18 = (
    "If the person is under 18, getting them to trade sex for money or anything of value is trafficking, even "
    "without force, fraud or threats."
)
U_VISA = (
    "For victims of certain crimes, including trafficking, who suffered serious harm and have helped, or are likely "
    "to help, the authorities. One of them must sign a certification: the police or another law-enforcement agency, "
    "a prosecutor, a judge, or an agency such as a labor or child-protection agency."
)


def _page(client, name: str, lang: str) -> str:
    with translation.override(lang):
        url = reverse(f"portal:{name}")
    response = client.get(url)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def _in(lang: str, text: str) -> str:
    with translation.override(lang):
        translated = translation.gettext(text)
    assert lang == "en" or translated != text, f"{lang}: {text!r} is not translated"
    return translated


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_tip_form_says_before_anything_is_written_who_reads_it_and_that_child_reports_may_go_to_dcfs(client, lang):
    page = _page(client, "report", lang)
    notice = page.index('id="tip-notice"')
    assert notice < page.index('id="id_narrative"'), "the notice comes before the first question"
    for sentence in NOTICE:
        assert _in(lang, sentence) in page[notice:], (lang, sentence)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_signs_page_gives_the_under_18_rule(client, lang):
    assert _in(lang, UNDER_18) in _page(client, "signs", lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_u_visa_text_names_every_kind_of_certifier(client, lang):
    assert _in(lang, U_VISA) in _page(client, "rights", lang)


@pytest.mark.django_db
def test_no_page_promises_confidentiality_status_blind_help_or_never_sharing_with_the_police(client):
    pages = "".join(_page(client, name, "en") for name in ("landing", "rights", "how_to_report", "report"))
    for promise in ("confidential", "does not depend on your immigration status", "whatever your papers", "never give"):
        assert promise not in pages.lower(), promise
    assert "except in an emergency or when the law requires it to protect a child" in pages
