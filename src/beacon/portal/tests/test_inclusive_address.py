"""Inclusive and respectful address in every language (docs/translation.md, "Address"): no form that
speaks to one gender where a neutral one exists, and no intimate register on the young people's page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.utils.translation import to_locale

from beacon.portal import catalogs, glossary

TRANSLATED = catalogs.languages()[1:]
CHECKLIST = Path(__file__).resolve().parents[2] / "screening" / "instruments" / "community-red-flags.yaml"
YOUTH = "templates/portal/young_people.html"
RESPECTFUL = {"gu": "તમ", "hi": "आप", "ur": "آپ"}

# The review's examples as they were before the fixes (review §3 and §5).
BEFORE_THE_FIXES = [
    ("pl", "Zgłoś to, co widziałeś"),
    ("pl", "Dodałeś informacje"),
    ("ru", "Вы можете остаться анонимным."),
    ("ru", "Будь осторожен с обещаниями работы, учёбы или брака"),
    ("uk", "Будь обережним з обіцянками роботи"),
    ("ar", "يمكنك أن تبقى مجهول الهوية."),
    ("ar", 'أجب فقط عما تعرفه. إذا لم تكن متأكدًا، اختر "لا أعرف".'),
    ("gu", "જો તારી ઉંમર 18 વર્ષથી ઓછી હોય"),
    ("gu", "તું કોઈ શિક્ષક, શાળાના કાઉન્સેલર કે બીજા કોઈ વિશ્વાસુ મોટા સાથે પણ વાત કરી શકે છે."),
    ("hi", "अगर तुम्हारी उम्र 18 साल से कम है"),
    ("hi", "नौकरी, पढ़ाई या शादी के ऐसे वादों से सावधान रहो जिनके साथ"),
    ("ur", "اگر تمہاری عمر 18 سال سے کم ہے"),
    ("es", "Obligada a hacer cosas ilegales"),
    ("es", "Otra persona habla por ella"),
    ("ru", "Кто-то другой говорит за него"),
]


@pytest.mark.parametrize(("lang", "before"), BEFORE_THE_FIXES)
def test_the_rules_catch_the_reviews_examples(lang, before):
    assert glossary.check_address(lang, before)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_addresses_the_reader_as_its_language_rule_says(lang):
    problems = [p for e in catalogs.load(lang) if e.msgid for p in glossary.check_address(lang, e.msgstr)]
    assert not problems, "\n".join(problems)


def test_the_checklist_addresses_everyone():
    instrument = yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))
    problems = []
    for item in instrument["items"]:
        for field in ("text", "question", "help"):
            for code, text in (item.get(field) or {}).items():
                problems += [f"{item['id']} {field} {code}: {p}" for p in glossary.check_address(to_locale(code), text)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", sorted(RESPECTFUL))
def test_the_young_people_page_uses_the_respectful_form(lang):
    youth = [e for e in catalogs.load(lang) if any(path == YOUTH for path, _ in e.occurrences)]
    addressed = [e for e in youth if "you" in e.msgid.lower().split() or "your" in e.msgid.lower()]
    assert addressed
    for entry in addressed:
        assert RESPECTFUL[lang] in entry.msgstr, entry.msgid


def test_every_language_has_a_register():
    assert set(glossary.address()) >= {"es", "pl", "ar", "ru", "uk", "gu", "hi", "ur"}
