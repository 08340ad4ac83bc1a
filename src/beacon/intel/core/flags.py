"""Explainable red-flag rules, kept as data in data/flags.yaml.

Speed: the literal words a pattern starts with are derived from the regex itself, and a post only
tries the patterns whose first (and, when literal, second) word it contains, at the positions where
the first word starts; the handful of patterns with no literal start word (such as "24/7") run on
every post that holds their literal first characters. When only the flags are needed, not their
evidence (the analysis without details), fired_flags() stops trying a flag's patterns once it has
fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import phonenumbers
import yaml
from phonenumbers import geocoder

from .gazetteer import state_abbr
from .models import Extraction, FlagHit, FlagMatch
from .normalise import fold, words_of
from .typos import Vocabulary, correct, pattern_words

# the families a network is tagged with; "both" marks signals of either kind (they score, never tag)
TAG_FAMILIES = ("labour-recruitment", "commercial-sex")
NEUTRAL = "both"
FAMILIES = (*TAG_FAMILIES, NEUTRAL)
POST_SIGNALS = frozenset({"phone_obfuscated", "age_under_18", "unrealistic_pay", "phone_out_of_area"})
NETWORK_SIGNALS = frozenset({"shared_phone", "many_cities"})
_WORD_END = r"(?![a-z0-9áéíóúüñ])"


class FlagRulesError(ValueError):
    """flags.yaml does not follow the schema described at its top."""


@dataclass(slots=True)
class Pattern:
    flag: int  # index into Rules.flags, or -1 - context index for contexts
    lang: str
    source: str
    regex: re.Pattern[str]


@dataclass(slots=True)
class Flag:
    id: str
    family: str
    description: str
    source: str
    weight: float
    weight_basis: str
    level: str = "post"
    signals: tuple[str, ...] = ()
    requires_context: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    unskilled: re.Pattern[str] | None = None


@dataclass(slots=True)
class Rules:
    version: str
    flags: list[Flag]
    contexts: list[str]
    patterns: list[Pattern]
    # Gate: first word -> (patterns needing only that word, second word -> patterns). A pattern is
    # tried only when its first (and, where known, second) word is among the post's words.
    gate: dict[str, tuple[set[int], dict[str, set[int]]]]
    loose: list[tuple[str, int]]  # (literal prefix, pattern) for patterns whose first word is open-ended
    always: list[int]  # patterns with no literal start, such as "24/7"
    signal_flags: list[int] = field(default_factory=list)  # post-level flags with extractor signals
    # derived from the fields above when the rules are built, for scoring: the gate's words as a
    # frozenset (intersecting a dict walks all its keys; a frozenset lets Python walk the smaller
    # side), each gate word's entry with its second words as a frozenset, every pattern's flag and
    # bound match method, the literal text an always-run pattern starts with ("" when none), the
    # patterns scanned over the whole text (loose, then always-run) and each flag's context key
    gate_words: frozenset[str] = field(init=False, repr=False, compare=False)
    gate_index: dict[str, tuple[set[int], frozenset[str], dict[str, set[int]]]] = field(
        init=False, repr=False, compare=False
    )
    pattern_flags: list[int] = field(init=False, repr=False, compare=False)
    matchers: list[Callable[[str, int], re.Match[str] | None]] = field(init=False, repr=False, compare=False)
    always_prefixes: list[tuple[str, int]] = field(init=False, repr=False, compare=False)
    scanned: list[tuple[str, int]] = field(init=False, repr=False, compare=False)
    context_keys: list[int | None] = field(init=False, repr=False, compare=False)  # -1 - context index
    vocab: Vocabulary = field(init=False, repr=False, compare=False)  # flag words, for typo tolerance

    def __post_init__(self) -> None:
        self.vocab = Vocabulary.of(pattern_words(p.source for p in self.patterns))
        self.gate_words = frozenset(self.gate)
        self.gate_index = {w: (alone, frozenset(by_second), by_second) for w, (alone, by_second) in self.gate.items()}
        self.pattern_flags = [p.flag for p in self.patterns]
        self.matchers = [p.regex.match for p in self.patterns]
        self.always_prefixes = [(_literal_prefix(self.patterns[pi]), pi) for pi in self.always]
        self.scanned = [*self.loose, *self.always_prefixes]
        self.context_keys = [
            None if f.requires_context is None else -1 - self.contexts.index(f.requires_context) for f in self.flags
        ]

    def flag(self, flag_id: str) -> Flag:
        for f in self.flags:
            if f.id == flag_id:
                return f
        raise KeyError(flag_id)

    @property
    def post_flags(self) -> list[Flag]:
        return [f for f in self.flags if f.level == "post"]


def _literal_prefix(pattern: Pattern) -> str:
    """The literal characters every match of `pattern` starts with ("" when unknown): a post
    without them cannot match, so the pattern's scan is skipped."""
    if pattern.regex.flags & re.IGNORECASE:
        return ""
    out = []
    for op, av in sre_parse.parse(pattern.source):
        if op is not sre_c.LITERAL:
            break
        out.append(chr(av))
    return "".join(out)


# --- anchors ------------------------------------------------------------------------------------------
_MAX_PREFIX = 24
_END = "\x00"  # marks a prefix that runs to the end of its pattern


def _words_done(p: str, words: int) -> bool:
    """Has prefix `p` completed `words` words (each followed by a non-letter)?"""
    if len(p) >= _MAX_PREFIX or p.endswith(_END):
        return True
    done, in_word = 0, False
    for ch in p:
        if ch.isalpha():
            in_word = True
        elif in_word:
            done += 1
            in_word = False
    return done >= words


def _expand(items: list[tuple[Any, Any]], prefixes: set[str], words: int, budget: int) -> set[str] | None:
    """Literal prefixes, up to `words` whole words, that every match of `items` starts with one
    of; None when there would be more than `budget` of them."""
    for i, (op, av) in enumerate(items):
        if all(_words_done(p, words) for p in prefixes):
            return prefixes
        if op is sre_c.LITERAL:
            prefixes = {p if _words_done(p, words) else p + chr(av) for p in prefixes}
            continue
        if op is sre_c.IN:
            chars = [chr(v) for o, v in av if o is sre_c.LITERAL]
            if len(chars) != len(av):
                return prefixes
            prefixes = {p if _words_done(p, words) else p + c for p in prefixes for c in chars}
            if len(prefixes) > budget:
                return None
            continue
        if op is sre_c.AT and av is sre_c.AT_BOUNDARY:  # "\\b": the word so far is whole
            return {p if _words_done(p, words) else p + _END for p in prefixes}
        rest = list(items[i + 1 :])
        alts: list[list[tuple[Any, Any]]]
        if op is sre_c.SUBPATTERN:
            alts = [list(av[-1]) + rest]
        elif op is sre_c.BRANCH:
            alts = [list(alt) + rest for alt in av[1]]
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            alts = [list(av[2]) + rest, rest]
        else:
            return prefixes
        out: set[str] = set()
        for alt in alts:
            sub = _expand(alt, prefixes, words, budget)
            if sub is None:
                return None
            out |= sub
            if len(out) > budget:
                return None
        return out
    return {p if _words_done(p, words) else p + _END for p in prefixes}  # the whole pattern was literal


def anchors_of(pattern: str) -> list[tuple[str, str]] | None:
    """Public view of `_anchors`: (first word, literal phrase) pairs."""
    found = _anchors(pattern)
    return None if found is None else sorted({(w, p.rstrip(_END)) for w, p in found})


def _anchors(pattern: str) -> list[tuple[str, str]] | None:
    """(first word, literal phrase) pairs, one of which starts every match; None if unknown.

    The first word gates the pattern on the post's words; the phrase (when longer than the word)
    is a substring check before the regex runs.
    """
    items = list(sre_parse.parse(pattern))
    prefixes = _expand(items, {""}, 2, 256) or _expand(items, {""}, 1, 512) or set()
    out = []
    for prefix in prefixes:
        word = ""
        for ch in prefix:
            if not ch.isalpha():
                break
            word += ch
        if not word:
            return None
        out.append((word, prefix))
    return sorted(set(out)) or None


def _second_word(rest: str) -> str | None:
    """The whole word after the first one in a phrase's remainder, if the phrase holds all of it."""
    i = 0
    while i < len(rest) and not rest[i].isalpha():
        if rest[i] == _END:
            return None
        i += 1
    j = i
    while j < len(rest) and rest[j].isalpha():
        j += 1
    return rest[i:j] if j > i and j < len(rest) else None


def _whole_word(word: str, phrase: str) -> bool:
    """True when a match must have `word` as a whole token (something literal follows it)."""
    return len(phrase) > len(word) or phrase.endswith(_END)


# --- loading ------------------------------------------------------------------------------------------
def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(f"(?:{pattern}){_WORD_END}")
    except re.error as exc:
        raise FlagRulesError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def _lang_patterns(spec: Any, where: str) -> list[tuple[str, str]]:
    if spec is None:
        return []
    if not isinstance(spec, dict) or not set(spec) <= {"en", "es"}:
        raise FlagRulesError(f"{where}: patterns must map 'en'/'es' to lists of regexes")
    out = []
    for lang, items in spec.items():
        if not isinstance(items, list) or not all(isinstance(p, str) and p for p in items):
            raise FlagRulesError(f"{where}: patterns.{lang} must be a list of non-empty strings")
        out += [(lang, p) for p in items]
    return out


def load_rules(path: str | Path | None = None) -> Rules:
    """Load and validate a rule file (the packaged flags.yaml by default)."""
    if path is None:
        text = resources.files(__package__).joinpath("data").joinpath("flags.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("flags"), list):
        raise FlagRulesError("flags.yaml must be a mapping with a 'flags' list")
    default_weight = float(doc.get("default_weight", 1.5))
    patterns: list[Pattern] = []
    contexts: list[str] = []
    for i, (name, spec) in enumerate((doc.get("contexts") or {}).items()):
        contexts.append(name)
        for lang, p in _lang_patterns(spec.get("patterns"), f"context {name}"):
            patterns.append(Pattern(-1 - i, lang, p, _compile(p, f"context {name}")))
    flags: list[Flag] = []
    seen: set[str] = set()
    known = {
        "id",
        "family",
        "description",
        "source",
        "weight",
        "weight_basis",
        "level",
        "signals",
        "requires_context",
        "patterns",
        "unskilled",
    }
    for raw in doc["flags"]:
        fid = raw.get("id") if isinstance(raw, dict) else None
        if not fid or fid in seen:
            raise FlagRulesError(f"flag without a unique id: {raw!r}")
        seen.add(fid)
        for key in ("family", "description", "source"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise FlagRulesError(f"flag {fid}: '{key}' is required")
        if raw["family"] not in FAMILIES:
            raise FlagRulesError(f"flag {fid}: family must be one of {FAMILIES}")
        level = raw.get("level", "post")
        signals = tuple(raw.get("signals") or ())
        allowed = NETWORK_SIGNALS if level == "network" else POST_SIGNALS
        if level not in {"post", "network"} or not set(signals) <= allowed:
            raise FlagRulesError(f"flag {fid}: bad level or signals {signals}")
        ctx = raw.get("requires_context")
        if ctx is not None and ctx not in contexts:
            raise FlagRulesError(f"flag {fid}: unknown context {ctx!r}")
        lang_patterns = _lang_patterns(raw.get("patterns"), f"flag {fid}")
        if level == "post" and not lang_patterns and not signals:
            raise FlagRulesError(f"flag {fid}: needs patterns or signals")
        unskilled = None
        if "unrealistic_pay" in signals:
            words = [p for _, p in _lang_patterns(raw.get("unskilled"), f"flag {fid}")]
            if not words or "min_hourly_usd" not in raw:
                raise FlagRulesError(f"flag {fid}: unrealistic_pay needs 'unskilled' and 'min_hourly_usd'")
            unskilled = re.compile(rf"(?<![a-z])(?:{'|'.join(words)}){_WORD_END}")
        index = len(flags)
        flags.append(
            Flag(
                id=fid,
                family=raw["family"],
                description=raw["description"].strip(),
                source=raw["source"].strip(),
                weight=float(raw.get("weight", default_weight)),
                weight_basis=str(raw.get("weight_basis", "default")),
                level=level,
                signals=signals,
                requires_context=ctx,
                params={k: v for k, v in raw.items() if k not in known},
                unskilled=unskilled,
            )
        )
        for lang, p in lang_patterns:
            patterns.append(Pattern(index, lang, p, _compile(p, f"flag {fid}")))
    gate: dict[str, tuple[set[int], dict[str, set[int]]]] = {}
    loose: list[tuple[str, int]] = []
    always: list[int] = []
    for pi, pat in enumerate(patterns):
        anchors = _anchors(pat.source)
        if not anchors:
            always.append(pi)
            continue
        for word, phrase in anchors:
            if not _whole_word(word, phrase):
                loose.append((word, pi))
                continue
            alone, by_second = gate.setdefault(word, (set(), {}))
            second = _second_word(phrase[len(word) :])
            if second:
                by_second.setdefault(second, set()).add(pi)
            else:
                alone.add(pi)
    signal_flags = [i for i, f in enumerate(flags) if f.signals and f.level == "post"]
    return Rules(str(doc.get("version", "1")), flags, contexts, patterns, gate, loose, always, signal_flags)


@cache
def default_rules() -> Rules:
    return load_rules()


# --- phone geography ----------------------------------------------------------------------------------
_AREA_STATE: dict[str, str | None] = {}


def phone_state(e164: str) -> str | None:
    """US state of a NANP number's area code (from phonenumbers' geocoder), else None."""
    if not e164.startswith("+1") or len(e164) != 12:
        return None
    key = e164[:5]
    if key not in _AREA_STATE:
        desc = geocoder.description_for_number(phonenumbers.parse(e164), "en")
        state = desc.rsplit(",", 1)[-1].strip() if desc else ""
        _AREA_STATE[key] = state_abbr(state) if state else None
    return _AREA_STATE[key]


# --- scoring ------------------------------------------------------------------------------------------
def _is_word_start(low: str, s: int) -> bool:
    return s == 0 or not (low[s - 1].isalnum() or low[s - 1] == "_")


def _match_key(m: FlagMatch) -> tuple[tuple[int, int], str]:
    return (m.span or (-1, -1), m.text)


def _lacks_context(rules: Rules, fi: int, found: Container[int]) -> bool:
    """Flag `fi` needs a context whose words are not among `found` (flags and -1 - context index)."""
    key = rules.context_keys[fi]
    return key is not None and key not in found


def _match_all(rules: Rules, text: str, low: str, wordset: set[str] | frozenset[str]) -> dict[int, list[FlagMatch]]:
    """Flag index (contexts: -1 - context index) -> matches of its patterns. A pattern is only
    tried at word starts holding its first word, and only in posts that hold its first and second
    words."""
    out: dict[int, list[FlagMatch]] = {}
    gate, flag_of, matchers = rules.gate_index, rules.pattern_flags, rules.matchers
    for w in rules.gate_words.intersection(wordset):
        pis, seconds, by_second = gate[w]
        if seconds:
            for second in seconds.intersection(wordset):
                pis = pis | by_second[second]
        if not pis:
            continue
        step = len(w)  # a later occurrence overlapping this one does not start a word
        pos = low.find(w)
        while pos >= 0:
            if not pos or not (low[pos - 1].isalnum() or low[pos - 1] == "_"):  # the start of a word
                for pi in pis:
                    m = matchers[pi](low, pos)
                    if m is not None:
                        end = m.end()
                        fm = FlagMatch(text[pos:end], (pos, end))
                        f = flag_of[pi]
                        if f in out:
                            out[f].append(fm)
                        else:
                            out[f] = [fm]
            pos = low.find(w, pos + step)
    patterns = rules.patterns
    for prefix, pi in rules.scanned:
        if prefix not in low:
            continue
        for m in patterns[pi].regex.finditer(low):
            if _is_word_start(low, m.start()):
                out.setdefault(flag_of[pi], []).append(FlagMatch(text[m.start() : m.end()], m.span()))
    return out


def score_flags(
    text: str,
    extraction: Extraction | None = None,
    *,
    rules: Rules | None = None,
    low: str | None = None,
    words: list[str] | set[str] | None = None,
) -> list[FlagHit]:
    """The post-level flags that fire on `text`, each with the words (or extracted facts) that fired.

    A hit's matches and its context words are in text order.
    """
    rules = rules or default_rules()
    if low is None:
        low = fold(text)
    wordset = words if isinstance(words, set | frozenset) else set(words_of(low) if words is None else words)
    found = _match_all(rules, text, low, wordset)
    fixed = correct(rules.vocab, low, wordset)
    if fixed is not None:  # flag words with a typo or split by a space, reported as written
        for fi, ms in _match_all(rules, fixed.low, fixed.low, fixed.words).items():
            spans = [fixed.span(*m.span) for m in ms if m.span]
            found.setdefault(fi, []).extend(FlagMatch(text[a:b], (a, b)) for a, b in spans)
    if extraction is not None and (extraction.phones or extraction.ages or extraction.prices):
        for fi in rules.signal_flags:
            ev = _signal_evidence(rules.flags[fi], extraction, text, low)
            if ev:
                if fi in found:
                    found[fi].extend(ev)
                else:
                    found[fi] = ev
    hits: list[FlagHit] = []
    for fi in sorted(found):
        if fi < 0 or _lacks_context(rules, fi, found):  # context words; a flag without its context
            continue
        flag = rules.flags[fi]
        ck = rules.context_keys[fi]
        ctx = () if ck is None else tuple(sorted(found[ck], key=_match_key))
        ms = found[fi]
        matches = (ms[0],) if len(ms) == 1 else tuple(sorted(set(ms), key=_match_key))
        hits.append(FlagHit(flag.id, flag.family, flag.weight, flag.source, matches, ctx))
    return hits


def fired_flags(
    text: str, extraction: Extraction | None, *, rules: Rules, low: str, words: set[str] | frozenset[str]
) -> list[int]:
    """Indices (into `rules.flags`, ascending) of the flags score_flags() reports for the same
    arguments (`words`: the set of the text's words), without their evidence: each pattern is
    tried at the same places, but only until its flag or context has matched."""
    fired = _fired(rules, low, words)
    fixed = correct(rules.vocab, low, words)
    if fixed is not None:
        fired |= _fired(rules, fixed.low, fixed.words)
    if extraction is not None and (extraction.phones or extraction.ages or extraction.prices):
        for fi in rules.signal_flags:
            if fi not in fired and _signal_evidence(rules.flags[fi], extraction, text, low):
                fired.add(fi)
    return [fi for fi in sorted(fired) if fi >= 0 and not _lacks_context(rules, fi, fired)]


def _fired(rules: Rules, low: str, words: set[str] | frozenset[str]) -> set[int]:
    """Flag and context indices whose patterns match `low` (each tried until its flag fired)."""
    fired: set[int] = set()  # flag indices, and -1 - context index for contexts
    # the gate lookup of _match_all, inline: a generator shared by both costs a few percent here
    gate, flag_of, matchers = rules.gate_index, rules.pattern_flags, rules.matchers
    for w in rules.gate_words.intersection(words):
        pis, seconds, by_second = gate[w]
        if seconds:
            for second in seconds.intersection(words):
                pis = pis | by_second[second]
        if not pis:
            continue
        step = len(w)
        pos = low.find(w)
        while pos >= 0:
            if not pos or not (low[pos - 1].isalnum() or low[pos - 1] == "_"):
                for pi in pis:
                    f = flag_of[pi]
                    if f not in fired and matchers[pi](low, pos) is not None:
                        fired.add(f)
            pos = low.find(w, pos + step)
    patterns = rules.patterns
    for prefix, pi in rules.scanned:
        f = flag_of[pi]
        if f in fired or prefix not in low:
            continue
        for m in patterns[pi].regex.finditer(low):
            if _is_word_start(low, m.start()):
                fired.add(f)
                break
    return fired


@cache
def _decimal(value: str) -> Decimal:
    return Decimal(value)


def _signal_evidence(flag: Flag, ex: Extraction, text: str, low: str) -> list[FlagMatch]:
    """The extracted facts that fire `flag`'s signals (empty: the flag does not fire on them)."""
    out: list[FlagMatch] = []
    for signal in flag.signals:
        if signal == "phone_obfuscated":
            out += [FlagMatch(p.raw, p.span) for p in ex.phones if p.obfuscations]
        elif signal == "age_under_18":
            out += [FlagMatch(a.raw, a.span) for a in ex.ages if a.value < 18]
        elif signal == "unrealistic_pay":
            limit = _decimal(str(flag.params["min_hourly_usd"]))
            high = [p for p in ex.prices if p.per_hour is not None and p.per_hour >= limit]
            if high and flag.unskilled is not None:
                m = flag.unskilled.search(low)
                if m:
                    out += [FlagMatch(p.raw, p.span) for p in high]
                    out.append(FlagMatch(text[m.start() : m.end()], m.span()))
        elif signal == "phone_out_of_area":
            place = ex.place
            if place is not None:
                for p in ex.phones:
                    st = phone_state(p.e164)
                    if st and st != place.state:
                        out.append(FlagMatch(p.raw, p.span))
    return out


def flag_ids(rules: Rules | None = None, level: str = "post") -> list[str]:
    return [f.id for f in (rules or default_rules()).flags if f.level == level]


__all__ = [
    "FlagRulesError",
    "Rules",
    "anchors_of",
    "default_rules",
    "fired_flags",
    "flag_ids",
    "load_rules",
    "score_flags",
]
