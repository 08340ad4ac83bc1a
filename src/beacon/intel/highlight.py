"""Split a post's text into plain and flagged segments; templates escape every segment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    flags: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.flags)


def phrases(hit: dict[str, Any]) -> list[str]:
    """The words that fired a flag, each once (a phrase repeated in a post is one phrase), in text order."""
    seen: set[str] = set()
    out = []
    for match in hit.get("matches") or []:
        text = " ".join(str(match.get("text") or "").split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


def _spans(text: str, flags: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    out = []
    low = text.lower()
    for hit in flags:
        for match in hit.get("matches") or []:
            span, words = match.get("span"), match.get("text") or ""
            if span and 0 <= span[0] < span[1] <= len(text) and text[span[0] : span[1]].lower() == words.lower():
                out.append((span[0], span[1], hit["flag"]))
            elif words:  # spans refer to the text at ingest; fall back to finding the words
                pos = low.find(words.lower())
                if pos >= 0:
                    out.append((pos, pos + len(words), hit["flag"]))
    return out


def segments(text: str, flags: list[dict[str, Any]]) -> list[Segment]:
    """Non-overlapping segments in text order; overlapping matches merge into one marked segment."""
    spans = sorted(_spans(text, flags))
    merged: list[list[Any]] = []
    for start, end, flag in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if flag not in merged[-1][2]:
                merged[-1][2].append(flag)
        else:
            merged.append([start, end, [flag]])
    out: list[Segment] = []
    pos = 0
    for start, end, names in merged:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], tuple(names)))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out
