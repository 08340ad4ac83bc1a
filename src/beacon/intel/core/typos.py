"""Typo- and spacing-tolerant flag words: a post's words are compared with the literal words of
the flag patterns by edit distance (rapidfuzz, in C) and a word one typo away ("pasport",
"deductd", "inscripcion") is read as the flag word; two tokens that join into a flag word ("pass
port") are read as one. The corrected copy of the text keeps a map back to the original, so the
words that fired are reported (and marked) as the post wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from .normalise import CACHE_MAX, WORD_RE

MIN_LEN = 5  # shorter words are too close to ordinary ones ("fee"/"see") to correct
LONG = 9  # from this length two edits (or a transposition and an edit) are allowed
_LETTERS = re.compile(r"[a-záéíóúüñ]+")


def pattern_words(sources: Iterable[str]) -> frozenset[str]:
    """The literal words of regex sources: letter runs not glued to a character class, with the
    optional last letter of "fees?" both ways."""
    out: set[str] = set()
    for src in sources:
        for m in _LETTERS.finditer(src):
            s, e = m.span()
            if (s and src[s - 1] in "[]\\") or (e < len(src) and src[e] in "[]"):
                continue
            word = m.group()
            out.add(word)
            if e < len(src) and src[e] == "?" and len(word) > 1:
                out.add(word[:-1])
    return frozenset(w for w in out if len(w) >= 3)


@dataclass(slots=True)
class Vocabulary:
    words: frozenset[str]
    choices: list[str]  # the words long enough to be a typo's target
    joins: frozenset[str]  # prefixes (3+ letters) of flag words that are not words themselves
    cache: dict[str, str]

    @classmethod
    def of(cls, words: frozenset[str]) -> Vocabulary:
        choices = sorted(w for w in words if len(w) >= MIN_LEN)
        joins = frozenset(w[:i] for w in choices for i in range(3, len(w) - 2)) - words
        return cls(words, choices, joins, {})

    def nearest(self, word: str) -> str:
        """The flag word one typo away from `word` (two for long words), or "" when none is."""
        hit = self.cache.get(word)
        if hit is None:
            limit = 2 if len(word) >= LONG else 1
            # the closest; among equally close ones the longest, since typing drops letters more
            # often than it adds them ("deductd" is "deducted" rather than "deduct")
            found = extract(word, self.choices, scorer=OSA.distance, score_cutoff=limit, limit=8)
            best = min(found, key=lambda f: (f[1], -len(f[0]), f[0]), default=None)
            hit = best[0] if best is not None else ""
            if len(self.cache) >= CACHE_MAX:
                self.cache.clear()
            self.cache[word] = hit
        return hit


@dataclass(slots=True)
class Corrected:
    low: str  # the corrected lower-cased text
    starts: list[int]  # original start index of each character of `low`
    ends: list[int]  # original end index (exclusive) of each character of `low`
    words: set[str]

    def span(self, s: int, e: int) -> tuple[int, int]:
        return self.starts[s], self.ends[e - 1]


def correct(vocab: Vocabulary, low: str, wordset: Iterable[str]) -> Corrected | None:
    """The text with typo'd and split flag words repaired, or None when nothing needs it."""
    words = vocab.words
    fixes = {w: t for w in wordset if len(w) >= MIN_LEN and w not in words and (t := vocab.nearest(w))}
    maybe_joined = any(w in vocab.joins for w in wordset)
    if not fixes and not maybe_joined:
        return None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    changed = False
    tokens = list(WORD_RE.finditer(low))
    i = 0
    while i < len(tokens):
        m = tokens[i]
        s, e = m.span()
        word = m.group()
        replacement, end, step = fixes.get(word), e, 1
        if replacement is None and i + 1 < len(tokens) and word in vocab.joins:
            nxt = tokens[i + 1]
            gap = low[e : nxt.start()]
            if gap.isspace() or gap in {"-", "_", "."}:
                joined = word + nxt.group()
                target = joined if joined in words else (vocab.nearest(joined) if len(joined) >= MIN_LEN else "")
                if target:
                    replacement, end, step = target, nxt.end(), 2
        if replacement is None:
            i += 1
            continue
        pieces.append(low[pos:s])
        starts.extend(range(pos, s))
        ends.extend(range(pos + 1, s + 1))
        pieces.append(replacement)
        starts.extend([s] * len(replacement))
        ends.extend([end] * len(replacement))
        pos = end
        changed = True
        i += step
    if not changed:
        return None
    pieces.append(low[pos:])
    starts.extend(range(pos, len(low)))
    ends.extend(range(pos + 1, len(low) + 1))
    fixed = "".join(pieces)
    return Corrected(fixed, starts, ends, set(WORD_RE.findall(fixed)))
