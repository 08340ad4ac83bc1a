"""The staff catalogs: complete, never fuzzy, placeholders kept, compiled, and holding every staff string.

A language is offered on staff pages only when its staff catalog is complete, so a new staff string
that nobody translated fails here (run makemessages, translate, compile) rather than reaching a
Spanish-speaking caseworker as English.
"""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import to_locale

from beacon.web import staff_languages

PACKAGE = Path(settings.PACKAGE_DIR)
LOCALE = Path(settings.LOCALE_PATHS[0])
PORTAL_LOCALE = PACKAGE / "portal" / "locale"
# Every language with a staff catalog in the repository; a new one is checked as soon as it is added.
STAFF_CATALOGS = sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/django.po"))
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f|\{\w+\}")
_TAG = re.compile(r"<[^>]+>")


def _catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _texts(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_spanish_has_a_staff_catalog():
    assert "es" in STAFF_CATALOGS


@pytest.mark.parametrize("lang", STAFF_CATALOGS)
def test_staff_catalog_is_complete_and_has_no_fuzzy_entries(lang):
    catalog = _catalog(lang)
    assert not catalog.metadata_is_fuzzy, f"{lang}: the header is fuzzy"
    assert staff_languages.incomplete_entries(LOCALE / lang / "LC_MESSAGES" / "django.po") == []
    for entry in catalog:
        if entry.obsolete:
            continue
        assert "fuzzy" not in entry.flags, f"{lang}: fuzzy entry {entry.msgid!r}"
        for text in _texts(entry):
            assert text.strip(), f"{lang}: missing {entry.msgid!r}"
            source = entry.msgid_plural if entry.msgid_plural and text is not _texts(entry)[0] else entry.msgid
            assert sorted(_PLACEHOLDER.findall(text)) == sorted(_PLACEHOLDER.findall(source)), (lang, entry.msgid)
            assert sorted(_TAG.findall(text)) == sorted(_TAG.findall(entry.msgid)), (lang, entry.msgid)


@pytest.mark.parametrize("lang", STAFF_CATALOGS)
def test_every_staff_entry_is_marked_for_review(lang):
    unmarked = [
        e.msgid for e in _catalog(lang) if not e.obsolete and not re.search(r"^review(ed)?: ", e.comment or "", re.M)
    ]
    assert not unmarked, f"{lang}: entries without a review state: {unmarked[:10]}"


@pytest.mark.parametrize("lang", STAFF_CATALOGS)
def test_compiled_staff_catalog_matches_the_po_file(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _catalog(lang):
        if entry.obsolete:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert compiled.ngettext(key, entry.msgid_plural, 1) == entry.msgstr_plural[0], (lang, entry.msgid)
        else:
            assert compiled.gettext(key) == entry.msgstr, f"{lang}: stale .mo for {entry.msgid!r}"


@pytest.mark.parametrize("lang", [lang for lang in STAFF_CATALOGS if (PORTAL_LOCALE / lang).exists()])
def test_a_string_in_both_catalogs_reads_the_same_in_both(lang):
    """The staff catalog is searched first, so it must not change what the portal says."""
    portal = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PORTAL_LOCALE / lang / "LC_MESSAGES" / "django.po"))}
    differ = [
        e.msgid
        for e in _catalog(lang)
        if not e.obsolete and (e.msgctxt, e.msgid) in portal and _texts(portal[(e.msgctxt, e.msgid)]) != _texts(e)
    ]
    assert not differ, f"{lang}: copy the portal's translation for {differ}"


@pytest.mark.slow
def test_every_marked_staff_string_is_in_the_staff_catalog(tmp_path, monkeypatch):
    """Extract the staff strings afresh (as docs/translation.md says) and compare with the catalog."""
    tree = tmp_path / "beacon"
    shutil.copytree(
        PACKAGE, tree, ignore=shutil.ignore_patterns("locale", "tests", "migrations", "__pycache__", "static")
    )
    (tree / "locale").mkdir()
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[str(tree / "locale")]):
        call_command(
            "makemessages", locale=["es"], ignore_patterns=list(staff_languages.MAKEMESSAGES_IGNORE), verbosity=0
        )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tree / "locale" / "es" / "LC_MESSAGES" / "django.po"))}
    for lang in STAFF_CATALOGS:
        held = {(e.msgctxt, e.msgid) for e in _catalog(lang) if not e.obsolete}
        missing = sorted(msgid for _ctx, msgid in fresh - held)
        stale = sorted(msgid for _ctx, msgid in held - fresh)
        assert not missing, f"{lang}: run makemessages and translate: {missing}"
        assert not stale, f"{lang}: run makemessages, these are no longer used: {stale}"


def test_a_language_is_complete_only_with_a_compiled_catalog_without_gaps(tmp_path):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    assert staff_languages.incomplete_entries(po)  # no catalog
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Cases", msgstr="Casos"))
    catalog.append(polib.POEntry(msgid="Tips", msgstr=""))
    catalog.save(str(po))
    assert staff_languages.incomplete_entries(po)  # no .mo
    catalog.save_as_mofile(str(po.with_suffix(".mo")))
    assert staff_languages.incomplete_entries(po) == ["Tips"]
    catalog[1].msgstr = "Reportes"
    catalog[1].flags.append("fuzzy")
    catalog.save(str(po))
    assert staff_languages.incomplete_entries(po) == ["Tips"]
    catalog[1].flags.remove("fuzzy")
    catalog.save(str(po))
    assert staff_languages.incomplete_entries(po) == []


def test_the_staff_languages_are_english_and_every_complete_staff_catalog():
    staff_languages.clear_cache()
    complete = [code for code, _ in settings.LANGUAGES if to_locale(code) in STAFF_CATALOGS]
    assert list(staff_languages.staff_language_codes()) == ["en", *complete]
    assert "es" in staff_languages.staff_language_codes()
