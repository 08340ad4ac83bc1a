"""Every portal, tip-form and text-message string is translated in all 13 languages: nothing missing, nothing fuzzy."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

PORTAL = Path(__file__).resolve().parent.parent
# What the text-message channel says to reporters is in the portal catalogs too (its model
# labels are staff vocabulary, in the staff catalog).
MESSAGING = PORTAL.parent / "messaging"
# And what the person being screened reads around the questions, in the interview language.
SCREENING = PORTAL.parent / "screening"
LOCALE = PORTAL / "locale"
LANGS = [to_locale(code) for code, _ in settings.LANGUAGES]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, msgstr(s) and flags."""
    entries: list[dict] = []
    current: dict = {"flags": set(), "msgstr": {}}
    key: tuple | None = None

    def flush() -> None:
        nonlocal current
        if "msgid" in current:
            entries.append(current)
        current = {"flags": set(), "msgstr": {}}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            current["msgid_plural"] = _unquote(line[13:])
            key = ("msgid_plural",)
        elif line.startswith("msgid "):
            if "msgid" in current:
                flush()
            current["msgid"] = _unquote(line[6:])
            key = ("msgid",)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current["msgstr"][index] = _unquote(line[line.index("]") + 2 :])
            key = ("msgstr", index)
        elif line.startswith("msgstr "):
            current["msgstr"][0] = _unquote(line[7:])
            key = ("msgstr", 0)
        elif line.startswith('"') and key is not None:
            if key[0] == "msgstr":
                current["msgstr"][key[1]] += _unquote(line)
            else:
                current[key[0]] += _unquote(line)
    flush()
    return entries


def _source_strings() -> set[str]:
    """Strings marked for translation in the portal's templates and Python modules."""
    found: set[str] = set()
    for template in (PORTAL / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        found.update(m.group(2) for m in re.finditer(r"{%\s*translate\s+([\"'])(.*?)\1", text))
    for module in [*PORTAL.glob("*.py"), MESSAGING / "texts.py", SCREENING / "interview_texts.py"]:
        text = module.read_text(encoding="utf-8")
        for m in re.finditer(r"\b_\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*\)", text):
            found.add(_unquote(m.group(1)))
    return found


def test_there_is_a_catalog_for_every_portal_language():
    assert len(LANGS) == 13
    for lang in LANGS:
        assert (LOCALE / lang / "LC_MESSAGES" / "django.po").exists(), lang
        assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists(), lang


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete_and_has_no_fuzzy_entries(lang):
    english = {e["msgid"] for e in parse_po(LOCALE / "en" / "LC_MESSAGES" / "django.po") if e["msgid"]}
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    header = next(e for e in entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"], f"{lang}: the header is fuzzy"
    messages = {e["msgid"]: e for e in entries if e["msgid"]}
    assert set(messages) == english, f"{lang}: catalog differs from the English one"
    for msgid, entry in messages.items():
        assert "fuzzy" not in entry["flags"], f"{lang}: fuzzy entry {msgid!r}"
        assert entry["msgstr"] and all(s.strip() for s in entry["msgstr"].values()), f"{lang}: missing {msgid!r}"
        for text in entry["msgstr"].values():
            assert sorted(_PLACEHOLDER.findall(text)) == sorted(_PLACEHOLDER.findall(msgid)), (lang, msgid)


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_the_po_file(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in parse_po(folder / "django.po"):
        if entry["msgid"] and "msgid_plural" not in entry:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], f"{lang}: stale .mo for {entry['msgid']!r}"


def test_every_marked_string_is_in_the_catalog():
    english = {e["msgid"] for e in parse_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    missing = sorted(_source_strings() - english)
    assert not missing, f"run makemessages: {missing}"


def test_ukrainian_uses_the_typographic_apostrophe():
    """Ukrainian spelling writes the apostrophe inside words (ім’я, зв’язатися) as ’, not the typewriter '."""
    typewriter = re.compile(r"(?<=[\u0400-\u04FF])'(?=[\u0400-\u04FF])")
    entries = parse_po(LOCALE / "uk" / "LC_MESSAGES" / "django.po")
    wrong = [text for e in entries for text in e["msgstr"].values() if typewriter.search(text)]
    assert wrong == []
