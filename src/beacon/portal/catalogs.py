"""The portal's 13 translation catalogs as translators work on them.

The catalogs (`locale/<lang>/LC_MESSAGES/django.po`) are read with polib. They are edited in place,
entry by entry: an entry whose text does not change keeps its exact bytes, so several people can
change one catalog at the same time and a merge conflicts only where they changed the same entry.

Each entry carries its review state in an extracted comment (see `State`); `beacon i18n` prints
the states, exports a language for a translator and imports the translator's file back.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale

LOCALE = Path(__file__).resolve().parent / "locale"
SOURCE = "en"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
NUMBER = re.compile(r"\d+")


class State(StrEnum):
    """How far a translation has been checked, lowest first.

    DRAFT: a machine or team draft. New and changed entries carry `#. review: native speaker`
    (the request for that review); entries without any review comment are drafts too.
    NATIVE: a native speaker read it against the English: `#. reviewed: native speaker`.
    LEGAL: additionally, someone who knows the law checked the legal wording: `#. reviewed: legal`.
    """

    DRAFT = "draft"
    NATIVE = "native"
    LEGAL = "legal"


REQUEST = "review: native speaker"
MARKS = {State.NATIVE: "reviewed: native speaker", State.LEGAL: "reviewed: legal"}
_REVIEW_LINE = re.compile(r"^(review|reviewed):")


def languages() -> list[str]:
    """The portal's languages as locale folder names (zh-hans -> zh_Hans), English first."""
    return [to_locale(code) for code, _ in settings.LANGUAGES]


def path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def load(lang: str) -> polib.POFile:
    return polib.pofile(str(path(lang)), wrapwidth=0)


def state(entry: polib.POEntry) -> State:
    comments = entry.comment.splitlines()
    if MARKS[State.LEGAL] in comments:
        return State.LEGAL
    if MARKS[State.NATIVE] in comments:
        return State.NATIVE
    return State.DRAFT


def with_state(comment: str, new: State) -> str:
    """The extracted comment with its review lines replaced by the one for `new`."""
    kept = [line for line in comment.splitlines() if not _REVIEW_LINE.match(line)]
    if new == State.DRAFT:
        kept.append(REQUEST)
    else:
        kept.append(MARKS[State.NATIVE])
        if new == State.LEGAL:
            kept.append(MARKS[State.LEGAL])
    return "\n".join(kept)


def mismatches(msgid: str, msgstr: str) -> list[str]:
    """What a translation must keep from its English: every placeholder and every number."""
    problems = []
    if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
        problems.append("placeholders differ")
    # Numbers carry facts (911, 18, 3 years, phone numbers); digits inside placeholders don't count.
    english = sorted(NUMBER.findall(PLACEHOLDER.sub("", msgid)))
    translated = PLACEHOLDER.sub("", msgstr)
    missing = [n for n in dict.fromkeys(english) if translated.count(n) < english.count(n)]
    if missing:
        problems.append("numbers missing: " + ", ".join(missing))
    return problems


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    entry: polib.POEntry | None  # None for the header and for text between entries


def _blocks(text: str) -> list[_Block]:
    """The catalog's entries with their character spans, each parsed by polib on its own."""
    blocks = []
    for match in re.finditer(r"(?:^.+\n?)+", text, flags=re.M):
        chunk = match.group(0)
        parsed = polib.pofile(chunk, wrapwidth=0) if "msgid" in chunk else None
        entry = parsed[0] if parsed is not None and len(parsed) == 1 and parsed[0].msgid else None
        blocks.append(_Block(match.start(), match.end(), entry))
    return blocks


def _render(entry: polib.POEntry) -> str:
    return entry.__unicode__(wrapwidth=0).rstrip("\n") + "\n"


def rewrite(
    lang: str,
    replace: Mapping[str, polib.POEntry] | None = None,
    insert_after: Iterable[tuple[str | None, polib.POEntry]] = (),
) -> None:
    """Change only the named entries of a catalog, leaving every other byte as it was.

    `replace` maps an existing msgid to its new entry (which may have a new msgid: a changed
    English source); `insert_after` adds entries after the entry with the given msgid (at the
    end for None). The new catalog is checked by polib and compiled before anything is written.
    """
    replace = dict(replace or {})
    inserts: dict[str | None, list[polib.POEntry]] = {}
    for anchor, entry in insert_after:
        inserts.setdefault(anchor, []).append(entry)
    file = path(lang)
    text = file.read_text(encoding="utf-8")
    out, done, position = [], set(), 0
    for block in _blocks(text):
        out.append(text[position : block.start])
        msgid = block.entry.msgid if block.entry is not None else None
        chunk = text[block.start : block.end]
        if msgid in replace:
            chunk = _render(replace[msgid])
            done.add(msgid)
        if msgid is not None and msgid in inserts:
            chunk = chunk.rstrip("\n") + "\n" + "".join("\n" + _render(e) for e in inserts.pop(msgid))
        out.append(chunk)
        position = block.end
    out.append(text[position:])
    missing = set(replace) - done
    anchors = set(inserts) - {None}
    if missing or anchors:
        raise KeyError(f"{lang}: no entry {sorted(missing | anchors)!r}")
    new = "".join(out)
    for entry in inserts.pop(None, []):
        new = new.rstrip("\n") + "\n\n" + _render(entry)
    catalog = polib.pofile(new, wrapwidth=0)
    ids = [e.msgid for e in catalog]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{lang}: duplicate entries after the change")
    file.write_text(new, encoding="utf-8")
    compile_catalog(lang)


def compile_catalog(lang: str) -> None:
    """Compile the .mo next to the .po with msgfmt, as Django's compilemessages does."""
    po = path(lang)
    subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


# --- The translators' workflow: status, export, import ---------------------------------------


@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    counts: dict[State, int]
    requested: int  # drafts that carry the request for a native speaker's review
    unreviewed_legal: list[str]  # msgids of legal strings whose wording no one has checked yet


def status(lang: str) -> LanguageStatus:
    from beacon.portal import glossary

    counts = dict.fromkeys(State, 0)
    requested = 0
    unreviewed_legal = []
    for entry in load(lang):
        if not entry.msgid or entry.obsolete:
            continue
        current = state(entry)
        counts[current] += 1
        requested += current == State.DRAFT and REQUEST in entry.comment.splitlines()
        if glossary.is_legal(entry.msgid) and current != State.LEGAL:
            unreviewed_legal.append(entry.msgid)
    return LanguageStatus(lang, counts, requested, unreviewed_legal)


def export(lang: str, only_unreviewed: bool = False) -> polib.POFile:
    """A standard PO file of one language for a translator: every entry with its English, the
    current translation, its review state and the glossary terms it must use."""
    from beacon.portal import glossary

    catalog = load(lang)
    out = polib.POFile(wrapwidth=0)
    out.metadata = dict(catalog.metadata)
    out.header = f"Beacon portal, {lang}: exported for translation review. Import with `beacon i18n import {lang}`."
    for entry in catalog:
        if not entry.msgid or entry.obsolete:
            continue
        current = state(entry)
        if only_unreviewed and current != State.DRAFT:
            continue
        notes = [f"state: {current.value}"]
        if glossary.is_legal(entry.msgid):
            notes.append("legal wording: needs a legal check before launch")
        for term in glossary.uses(entry.msgid):
            choice = term.langs.get(lang)
            if choice is not None:
                avoid = ", ".join(f.text for f in choice.forbidden)
                notes.append(f"glossary: {term.name} = {choice.term}" + (f" (never: {avoid})" if avoid else ""))
        out.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                occurrences=entry.occurrences,
                flags=list(entry.flags),
                comment="\n".join(notes),
            )
        )
    return out


class ImportRefused(ValueError):
    """A translator's file that cannot be taken as it is; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    changed: int
    marked: int
    skipped_fuzzy: int


def import_file(lang: str, source: str | Path, reviewed: State = State.DRAFT) -> ImportResult:
    """Take a translator's PO file into the catalog: every entry checked first, then only the
    entries whose text or state changes are rewritten, and the catalog recompiled.

    A changed translation gets `reviewed` (by default a draft that asks for a native speaker's
    review); with `reviewed` native or legal, the unchanged entries of the file are marked too,
    because the file is the reviewer's statement that they read them. Fuzzy entries are skipped:
    the translator was not sure.
    """
    from beacon.portal import glossary

    if lang == SOURCE or lang not in languages():
        raise ImportRefused([f"{lang!r} is not a translated portal language ({', '.join(languages()[1:])})"])
    try:
        incoming = polib.pofile(str(source), wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise ImportRefused([f"cannot read {source}: {exc}"]) from exc
    catalog = load(lang)
    problems, updates, skipped = [], {}, 0
    for entry in incoming:
        if entry.obsolete or not entry.msgid:
            continue
        current = catalog.find(entry.msgid)
        if current is None:
            problems.append(f"not in the {lang} catalog (the English may have changed): {entry.msgid!r}")
            continue
        if "fuzzy" in entry.flags or not entry.msgstr.strip():
            skipped += 1
            continue
        for problem in mismatches(entry.msgid, entry.msgstr):
            problems.append(f"{problem}: {entry.msgid!r} -> {entry.msgstr!r}")
        problems.extend(str(p) for p in glossary.check(lang, entry.msgid, entry.msgstr))
        changed = entry.msgstr != current.msgstr
        new_state = reviewed if changed or reviewed != State.DRAFT else state(current)
        if changed or new_state != state(current):
            updated = polib.POEntry(
                msgid=current.msgid,
                msgstr=entry.msgstr,
                occurrences=current.occurrences,
                flags=[f for f in current.flags if f != "fuzzy"],
                comment=with_state(current.comment, new_state),
                tcomment=current.tcomment,
            )
            updates[current.msgid] = (updated, changed)
    if problems:
        raise ImportRefused(problems)
    if updates:
        rewrite(lang, {msgid: entry for msgid, (entry, _) in updates.items()})
    changed_count = sum(changed for _, changed in updates.values())
    return ImportResult(changed=changed_count, marked=len(updates) - changed_count, skipped_fuzzy=skipped)
