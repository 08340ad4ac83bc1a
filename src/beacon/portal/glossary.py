"""The legal and safety glossary (glossary.yaml) and the check that holds every catalog to it.

A translation fails the check when its English uses a glossary concept and the translation drops
the chosen term, or when it uses a forbidden alternative (e.g. the Urdu word that means
smuggling for trafficking, or a word for "message" where the English says "report").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parent / "glossary.yaml"


@dataclass(frozen=True)
class Forbidden:
    text: str
    why: str
    anywhere: bool


@dataclass(frozen=True)
class Choice:
    term: str
    why: str
    match: re.Pattern[str] | None
    forbidden: tuple[Forbidden, ...]
    confirm: bool


@dataclass(frozen=True)
class Term:
    name: str
    legal: bool
    meaning: str
    english: re.Pattern[str] | None
    langs: dict[str, Choice]


@dataclass(frozen=True)
class Problem:
    term: str
    msgid: str
    msgstr: str
    reason: str

    def __str__(self) -> str:
        return f"[{self.term}] {self.reason}: {self.msgid!r} -> {self.msgstr!r}"


def _pattern(text: str | None) -> re.Pattern[str] | None:
    return re.compile(text, re.IGNORECASE) if text else None


@cache
def terms() -> tuple[Term, ...]:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    loaded = []
    for name, spec in data["terms"].items():
        langs = {
            lang: Choice(
                term=choice["term"],
                why=choice["why"],
                match=_pattern(choice.get("match")),
                forbidden=tuple(
                    Forbidden(f["text"], f["why"], bool(f.get("anywhere"))) for f in choice.get("forbidden", ())
                ),
                confirm=bool(choice.get("confirm")),
            )
            for lang, choice in spec["langs"].items()
        }
        loaded.append(Term(name, bool(spec["legal"]), spec["meaning"], _pattern(spec["english"]), langs))
    return tuple(loaded)


def uses(msgid: str) -> list[Term]:
    """The glossary concepts an English string uses."""
    return [t for t in terms() if t.english is not None and t.english.search(msgid)]


@cache
def _legal_strings() -> tuple[re.Pattern[str], ...]:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    return tuple(re.compile(p, re.IGNORECASE) for p in data.get("legal_strings", ()))


def is_legal(msgid: str) -> bool:
    """A string that states the law, a right or a limit of confidentiality: checked by a lawyer."""
    return any(t.legal for t in uses(msgid)) or any(p.search(msgid) for p in _legal_strings())


def check(lang: str, msgid: str, msgstr: str) -> list[Problem]:
    """Everything wrong with one translation against the glossary."""
    problems = []
    used = {t.name for t in uses(msgid)}
    folded = msgstr.casefold()
    for term in terms():
        choice = term.langs.get(lang)
        if choice is None:
            continue
        if term.name in used and choice.match is not None and not choice.match.search(msgstr):
            problems.append(Problem(term.name, msgid, msgstr, f"drops the chosen term {choice.term!r}"))
        for bad in choice.forbidden:
            if (bad.anywhere or term.name in used) and bad.text.casefold() in folded:
                problems.append(Problem(term.name, msgid, msgstr, f"uses the forbidden {bad.text!r} ({bad.why})"))
    return problems


def check_catalog(lang: str, entries) -> list[Problem]:
    """Problems in a catalog's entries (polib entries or (msgid, msgstr) pairs)."""
    problems = []
    for entry in entries:
        msgid, msgstr = (entry.msgid, entry.msgstr) if hasattr(entry, "msgid") else entry
        if msgid and msgstr:
            problems.extend(check(lang, msgid, msgstr))
    return problems


def markdown(languages: list[str]) -> str:
    """docs/glossary.md: the glossary as people read it."""
    out = [
        "# Portal glossary: legal and safety terms",
        "",
        "Generated from `src/beacon/portal/glossary.yaml` by `beacon i18n glossary`; edit the YAML, not this",
        "file. The catalog tests fail when a translation drops a chosen term from a string whose English",
        "uses the concept, or uses a forbidden alternative. Entries marked *confirm* were chosen without a",
        "native-speaking caseworker and must be confirmed before a public launch (see translation.md).",
        "",
    ]
    for term in terms():
        out += [f"## {term.name}" + (" (legal)" if term.legal else ""), "", term.meaning, ""]
        if term.english is None:
            out += ["Not used in the portal's English; listed so that no translation uses it by mistake.", ""]
        out += ["| language | chosen term | why | forbidden |", "|---|---|---|---|"]
        for lang in languages:
            choice = term.langs.get(lang)
            if choice is None:
                continue
            forbidden = "; ".join(f"*{f.text}*: {f.why}" for f in choice.forbidden) or "-"
            mark = " (*confirm*)" if choice.confirm else ""
            out.append(f"| {lang} | {choice.term}{mark} | {choice.why} | {forbidden} |")
        out.append("")
    out += [
        "## Address",
        "",
        "How the text speaks to the reader; the forms in the last column fail the address test.",
        "",
        "| language | register | never |",
        "|---|---|---|",
    ]
    for lang in languages:
        if lang in address():
            register, rules = address()[lang]
            never = "; ".join(f"`{r.pattern.pattern}`: {r.why}" for r in rules)
            out.append(f"| {lang} | {register} | {never.replace('|', '&#124;')} |")
    out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- Address: how the text speaks to the reader ----------------------------------------------


@dataclass(frozen=True)
class AddressRule:
    pattern: re.Pattern[str]
    why: str


@cache
def address() -> dict[str, tuple[str, tuple[AddressRule, ...]]]:
    """Per language: the register, and the forms of address a translation must not use."""
    data = yaml.safe_load(FILE.read_text(encoding="utf-8")).get("address", {})
    return {
        lang: (spec["register"], tuple(AddressRule(re.compile(r["pattern"]), r["why"]) for r in spec["forbidden"]))
        for lang, spec in data.items()
    }


def check_address(lang: str, msgstr: str) -> list[str]:
    _, rules = address().get(lang, ("", ()))
    return [f"{rule.why} ({rule.pattern.pattern}): {msgstr!r}" for rule in rules if rule.pattern.search(msgstr)]
