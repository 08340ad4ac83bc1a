"""Which languages the staff pages can honestly be shown in.

Staff pages (everything outside the public portal) use the staff catalog in ``LOCALE_PATHS``
(``src/beacon/locale/<lang>/LC_MESSAGES/django.po``). A language is offered on staff pages only
when that catalog exists, is compiled, and has no empty or fuzzy entry: otherwise a page would mix
it with English. English, the source language, is always offered. The portal keeps every language
in ``settings.LANGUAGES`` (its own catalogs live in the portal app).

The answer is computed once per process from the catalog files; ``clear_cache()`` forgets it
(tests, or after a catalog is replaced in a running process).
"""

from __future__ import annotations

import functools
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale

SOURCE_LANGUAGE = "en"

# What `makemessages` leaves out of the staff catalog: tests, migrations, and the portal app,
# whose reporter-facing strings have their own 13 catalogs (src/beacon/portal/locale). Run from
# src/beacon: `beacon makemessages -l es --ignore=<each of these>` (docs/translation.md).
MAKEMESSAGES_IGNORE = ("tests/*", "*/tests/*", "migrations/*", "*/migrations/*", "portal/*", "static/*", ".venv/*")


def catalog_path(code: str) -> Path:
    """The staff catalog (.po) for a language code such as ``es`` or ``zh-hans``."""
    return Path(settings.LOCALE_PATHS[0]) / to_locale(code) / "LC_MESSAGES" / "django.po"


def incomplete_entries(path: Path) -> list[str]:
    """The msgids of ``path`` that are untranslated or fuzzy; [] when the catalog is complete.

    A missing file, a missing .mo, or a fuzzy header counts as incomplete (the reason is returned).
    """
    if not path.exists():
        return [f"no catalog at {path}"]
    if not path.with_suffix(".mo").exists():
        return [f"no compiled catalog at {path.with_suffix('.mo')}"]
    catalog = polib.pofile(str(path))
    problems: list[str] = []
    if catalog.metadata_is_fuzzy:
        problems.append("the header is fuzzy")
    for entry in catalog:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            problems.append(entry.msgid)
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(text.strip() for text in entry.msgstr_plural.values()):
                problems.append(entry.msgid)
        elif not entry.msgstr.strip():
            problems.append(entry.msgid)
    if not len(catalog):
        problems.append("the catalog has no entries")
    return problems


@functools.cache
def staff_language_codes() -> tuple[str, ...]:
    """English plus every language of ``settings.LANGUAGES`` whose staff catalog is complete."""
    codes = [SOURCE_LANGUAGE]
    for code, _name in settings.LANGUAGES:
        if code != SOURCE_LANGUAGE and not incomplete_entries(catalog_path(code)):
            codes.append(code)
    return tuple(codes)


def staff_languages() -> list[tuple[str, str]]:
    """(code, name) pairs for the staff language switch, in the order of ``settings.LANGUAGES``."""
    offered = set(staff_language_codes())
    return [(code, name) for code, name in settings.LANGUAGES if code in offered]


def clear_cache() -> None:
    staff_language_codes.cache_clear()
