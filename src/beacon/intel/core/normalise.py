"""Contact normalisers: phone numbers (E.164) and e-mail addresses, obfuscations included.

Both scanners work on a lower-cased copy of the text whose length equals the original's, so the
spans they return index the original text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat

from beacon.crypto.normalise import normalise_email as canonical_email

from .models import Email, Phone

DEFAULT_REGION = "US"

# --- Unicode digits -> ASCII (one char to one char, so spans stay valid) ---------------------------
_DIGIT_RANGES = (
    (0xFF10, 0xFF19),  # full-width 0-9
    (0x2460, 0x2468),  # circled 1-9
    (0x24EA, 0x24EA),  # circled 0
    (0x2776, 0x277E),  # dingbat negative circled 1-9
    (0x2780, 0x2788),  # dingbat circled sans-serif 1-9
    (0x278A, 0x2792),  # dingbat negative circled sans-serif 1-9
    (0x24F5, 0x24FD),  # double circled 1-9
    (0x1D7CE, 0x1D7FF),  # mathematical bold/double-struck/sans/monospace digits
    (0x0660, 0x0669),  # Arabic-Indic
    (0x06F0, 0x06F9),  # extended Arabic-Indic
    (0x0966, 0x096F),  # Devanagari
)
DIGIT_TABLE: dict[int, str] = {}
for _lo, _hi in _DIGIT_RANGES:
    for _cp in range(_lo, _hi + 1):
        _d = unicodedata.digit(chr(_cp), None)
        if _d is not None and 0 <= _d <= 9:
            DIGIT_TABLE[_cp] = str(_d)

_NUMBER_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "cero": "0",
    "uno": "1",
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
}
_LETTER_DIGITS = {"o": "0", "l": "1", "i": "1"}


def _char_class(codepoints: list[int]) -> str:
    """A regex character class of these code points, consecutive ones as ranges."""
    runs: list[list[int]] = []
    for cp in sorted(codepoints):
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs) + "]"


_FANCY_DIGITS = re.compile(_char_class(list(DIGIT_TABLE)))
_HIGH_CHAR = re.compile("[\u0660-\U0010ffff]")  # at or above the lowest digit-like character


def fold(text: str) -> str:
    """Lower-case with Unicode digits mapped to ASCII, keeping the length of `text`."""
    if text.isascii():
        return text.lower()
    # str.translate with a dict is slow: only when a digit-like character can be present (the
    # lowest is U+0660; accented Latin letters are far below it)
    if _HIGH_CHAR.search(text) and _FANCY_DIGITS.search(text):
        text = text.translate(DIGIT_TABLE)
    low = text.lower()
    if len(low) != len(text):  # a few characters expand when lower-cased (e.g. U+0130)
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


# --- phone candidates ---------------------------------------------------------------------------------
_WORDS_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# a digit unit: a digit, a number word, or o/l/i standing where a digit belongs (a run of up to
# ten of them: a whole group such as "OlOl" can be written in look-alike letters)
_UNIT = rf"(?:\d|(?<![a-z])(?:{_WORDS_RE}|[oli]{{1,10}})(?![a-z]))"
# what may sit between units: ordinary separators, keycap/variation selectors, zero-width
# characters, dingbats and emoji
_SEP_CHARS = (
    r"\s.\-/()\[\]_*,:;|~+#=\\'\"\u00b7\u2022\u2010-\u2015\u2022\ufe0f\u20e3\u200b-\u200d"
    r"\u2190-\u21ff\u2300-\u23ff\u2500-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
)
_SEP = f"[{_SEP_CHARS}]{{0,4}}"
# no optional "+" in front: a pattern that starts with a fixed set of characters lets the regex
# engine skip ahead; a leading "+" is looked up by hand
PHONE_CANDIDATE = re.compile(rf"{_UNIT}(?:{_SEP}{_UNIT}){{6,40}}")


def _digit_candidate(digit: str) -> re.Pattern[str]:
    """The common case (no spelled-out digits): candidates start at a digit, which lets the regex
    engine skip straight to digits. No separator character can start a unit, so separators are
    never given back (possessive)."""
    unit = rf"(?:{digit}|(?<![a-z])[oli]{{1,10}}(?![a-z]))"
    return re.compile(rf"{digit}(?:[{_SEP_CHARS}]{{0,4}}+{unit}){{6,40}}")


DIGIT_CANDIDATE = _digit_candidate(r"\d")
# for ASCII text, where \d and [0-9] match the same characters and [0-9] is faster to test
_ASCII_DIGIT_CANDIDATE = _digit_candidate("[0-9]")
NUMBER_WORDS = frozenset(_NUMBER_WORDS)
_PLAIN_PHONE = re.compile(r"(?:1[ .\-]?)?\(?[2-9]\d\d\)?[ .\-]?\d{3}[ .\-]?\d{4}")
_NON_DIGIT = re.compile(r"\D")

WORD_RE = re.compile(r"[a-záéíóúüñ]+")
# ASCII text: every character WORD_RE does not take becomes a space, so str.split gives its words
_ASCII_WORD_TABLE = "".join(c if WORD_RE.fullmatch(c) else " " for c in map(chr, range(128)))
_NOT_DIGITS = bytes(b for b in range(256) if not 48 <= b <= 57)
_UNIT_ONLY = re.compile(_UNIT)
_STANDARD_SEPS = frozenset(" .-()+")
_STANDARD_GROUPS = frozenset({(10,), (11,), (3, 3, 4), (1, 3, 3, 4), (3, 7), (1, 10), (2, 3, 3, 4)})
_EMOJI_RE = re.compile(r"[\ufe0f\u20e3\u2190-\u21ff\u2300-\u23ff\u2500-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")

_INTL_CACHE: dict[str, str | None] = {}
CACHE_MAX = 100_000  # entries a memo dict of this package holds before it is cleared (or stops growing)
# Validity of a 10-digit NANP number in phonenumbers' metadata is fixed by its first six digits
# (area code + exchange); checked against phonenumbers on samples (see tests). Caching it per
# prefix saves a phonenumbers call for almost every new number.
_NANP_PREFIX: dict[str, bool] = {}


def _e164(digits: str, plus: bool) -> str | None:
    """E.164 for a digit string, or None; phonenumbers is only called for plausible strings."""
    if not plus:  # national (NANP) form, with or without the leading 1
        nsn = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        if len(nsn) != 10 or nsn[0] in "01" or nsn[3] in "01":
            return None
        valid = _NANP_PREFIX.get(nsn[:6])
        if valid is None:
            try:
                valid = phonenumbers.is_valid_number(phonenumbers.parse(nsn, DEFAULT_REGION))
            except phonenumbers.NumberParseException:
                valid = False
            _NANP_PREFIX[nsn[:6]] = valid
        return "+1" + nsn if valid else None
    key = "+" + digits
    hit = _INTL_CACHE.get(key, "")
    if hit != "":
        return hit
    result: str | None = None
    try:
        num = phonenumbers.parse(key, DEFAULT_REGION)
        if phonenumbers.is_valid_number(num):
            result = phonenumbers.format_number(num, PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        result = None
    if len(_INTL_CACHE) >= CACHE_MAX:
        _INTL_CACHE.clear()
    _INTL_CACHE[key] = result
    return result


@dataclass(slots=True)
class _Unit:
    digit: str
    start: int
    end: int
    kind: str  # digit, word, letter, fullwidth


def _segments(original: str, low: str, start: int, end: int) -> list[list[_Unit]]:
    """Digit units of one candidate, split where an o/l/i does not touch a real digit ("oil")."""
    segments: list[list[_Unit]] = [[]]
    for m in _UNIT_ONLY.finditer(low, start, end):
        tok = m.group()
        s, e = m.span()
        if len(tok) == 1 and tok.isdigit():
            segments[-1].append(_Unit(tok, s, e, "digit" if original[s].isascii() else "fullwidth"))
        elif tok in _NUMBER_WORDS:
            segments[-1].append(_Unit(_NUMBER_WORDS[tok], s, e, "word"))
        elif (s and low[s - 1].isdigit()) or (e < len(low) and low[e].isdigit()):
            segments[-1].extend(_Unit(_LETTER_DIGITS[c], s + i, s + i + 1, "letter") for i, c in enumerate(tok))
        elif segments[-1] and len(segments[-1]) + len(tok) <= (11 if segments[-1][0].digit == "1" else 10):
            # a group written wholly in look-alike letters ("312 555 OlOl") completes a number begun
            # in digits; past a whole number it would only swallow a following word such as "I"
            segments[-1].extend(_Unit(_LETTER_DIGITS[c], s + i, s + i + 1, "letter") for i, c in enumerate(tok))
        elif segments[-1]:
            segments.append([])
    return [seg for seg in segments if len(seg) >= 10]


def _obfuscations(original: str, units: list[_Unit]) -> tuple[str, ...]:
    kinds = {u.kind for u in units} - {"digit"}
    seps = [original[a.end : b.start] for a, b in itertools.pairwise(units)]
    groups: list[int] = [1]
    odd_sep = False
    for sep in seps:
        if sep:
            groups.append(1)
            if _EMOJI_RE.search(sep):
                kinds.add("emoji")
            elif not set(sep) <= _STANDARD_SEPS or len(sep) > 2:
                odd_sep = True
        else:
            groups[-1] += 1
    if not kinds - {"fullwidth"} and (odd_sep or tuple(groups) not in _STANDARD_GROUPS):
        kinds.add("separators")
    return tuple(sorted(kinds))


def _mixed(low: str, spelled: set[str]) -> bool:
    """Does a number word sit right next to a digit ("eight1two", "5 cinco")?"""
    for w in spelled:
        pos = low.find(w)
        while pos >= 0:
            before = low[max(0, pos - 2) : pos]
            after = low[pos + len(w) : pos + len(w) + 2]
            if any(c.isdigit() for c in before + after):
                return True
            pos = low.find(w, pos + 1)
    return False


def words_of(low: str) -> list[str]:
    """WORD_RE.findall(low), faster for ASCII text."""
    return low.translate(_ASCII_WORD_TABLE).split() if low.isascii() else WORD_RE.findall(low)


def digit_count(text: str) -> int:
    """How many ASCII digits `text` holds (in UTF-8 those bytes stand only for themselves)."""
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGITS))


def find_phones(
    text: str, low: str | None = None, words: Iterable[str] | None = None, digits: int | None = None
) -> Iterator[Phone]:
    """Every valid phone number in `text`, as E.164 with its span and obfuscation kinds.

    `low` (fold(text)), `words` (its words, WORD_RE.findall(low) or a set of them) and `digits`
    (digit_count(low)) may be passed when already computed.
    """
    if low is None:
        low = fold(text)
    if words is None:
        words = words_of(low)
    # a spelled-out number needs three distinct number words, a mixed one a number word next to
    # a digit; otherwise only digit-led candidates need scanning
    spelled = NUMBER_WORDS.intersection(words)
    n_digits = 0 if len(spelled) >= 3 else digit_count(low) if digits is None else digits
    if len(spelled) >= 3 or (spelled and n_digits >= 3 and _mixed(low, spelled)):
        pattern = PHONE_CANDIDATE
    elif n_digits >= 4:  # ten digits, a few of them written as letters
        pattern = _ASCII_DIGIT_CANDIDATE if low.isascii() else DIGIT_CANDIDATE
    else:
        return
    digit_led = pattern is not PHONE_CANDIDATE
    for m in pattern.finditer(low):
        s, e = m.span()
        if digit_led and text[s:e].isascii():
            # the common case: one conventionally written number, no obfuscation to analyse
            e164 = _plain_e164(m.group())
            if e164:
                if s and text[s - 1] in "(+":
                    s -= 1
                yield Phone(e164=e164, raw=text[s:e], span=(s, e))
                continue
        plus = s > 0 and low[s - 1] == "+"
        for units in _segments(text, low, s, e):
            yield from _phones_in(text, units, plus and units[0].start == s)


# digit-led candidate -> E.164 when it is a conventionally written valid NANP number, else ""
_PLAIN_CACHE: dict[str, str] = {}


def _plain_e164(candidate: str) -> str:
    hit = _PLAIN_CACHE.get(candidate)
    if hit is None:
        hit = ""
        if _PLAIN_PHONE.fullmatch(candidate):
            digits = _NON_DIGIT.sub("", candidate)
            hit = (_e164(digits, False) if len(digits) <= 11 else None) or ""
        if len(_PLAIN_CACHE) >= CACHE_MAX:
            _PLAIN_CACHE.clear()
        _PLAIN_CACHE[candidate] = hit
    return hit


def _phones_in(text: str, units: list[_Unit], plus: bool) -> Iterator[Phone]:
    digits = "".join(u.digit for u in units)
    if len(digits) <= 11 or plus:
        e164 = _e164(digits, plus)
        if e164:
            yield _phone(text, units, e164, plus)
            return
        if len(digits) <= 11:
            return
    # several numbers (or a number next to other figures) in one run: slide a window
    i = 0
    while i + 10 <= len(digits):
        for size in (11, 10) if digits[i] == "1" else (10,):
            if i + size <= len(digits) and (e164 := _e164(digits[i : i + size], False)):
                yield _phone(text, units[i : i + size], e164)
                i += size
                break
        else:
            i += 1


def _phone(text: str, units: list[_Unit], e164: str, plus: bool = False) -> Phone:
    s, e = units[0].start, units[-1].end
    if s and text[s - 1] in "(+":
        s -= 1
    while e < len(text) and text[e] in "\ufe0f\u20e3)":
        e += 1
    kinds = () if plus else _obfuscations(text, units)
    return Phone(e164=e164, raw=text[s:e], span=(s, e), obfuscations=kinds)


def normalise_phone(text: str) -> str | None:
    """E.164 form of the first phone number in `text` (obfuscated forms included), else None."""
    if not text:
        return None
    for phone in find_phones(text):
        return phone.e164
    return None


# --- e-mail ------------------------------------------------------------------------------------------
_LOCAL = r"[a-z0-9][a-z0-9._%+\-]{0,63}"
_TLDS = r"com|net|org|edu|gov|us|mx|io|co|info|biz|me|es|ca|uk|de|ru|app|xyz"
# plain addresses are found from each "@": the local part backwards (_local_start), the domain forwards
_LOCAL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._%+-"
_DOMAIN_AFTER = re.compile(r"[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}\b")
_AT = r"(?:\s*@\s*|\s*[\[\(\{<]\s*(?:at|arroba|@)\s*[\]\)\}>]\s*|\s+(?:at|arroba)\s+)"
_DOT = r"(?:\.|\s*[\[\(\{<]\s*(?:dot|punto|\.)\s*[\]\)\}>]\s*|\s+(?:dot|punto)\s+)"
# no character of a local part can start _AT, so the local part is never given back (possessive)
EMAIL_OBFUSCATED = re.compile(
    rf"(?<![\w.+\-])({_LOCAL}+){_AT}([a-z0-9\-]+(?:{_DOT}[a-z0-9\-]+)*?){_DOT}({_TLDS})(?![a-z0-9])"
)
_DOT_SPLIT = re.compile(_DOT)


def _clean_email(local: str, domain: str) -> str | None:
    local = local.strip(".")
    if not local or ".." in domain:
        return None
    # The platform's one e-mail form (Gmail dots and +tags dropped), so a post's address indexes as a tip's does.
    return canonical_email(f"{local}@{domain}") or None


def _local_start(low: str, at: int) -> int:
    """Where re.compile(_LOCAL + "$").search(low, max(0, at - 64), at) would start, or -1 if it
    finds nothing (tests compare the two).

    The search tries every start in the window and backtracks at each; this reads the window
    backwards once instead: the run of local-part characters that ends at `at` (or just before a
    final newline, where `$` matches too), from its first letter or digit.
    """
    lo = max(0, at - 64)
    end = at - 1 if low[at - 1] == "\n" else at
    window = low[lo:end]
    first = window[len(window.rstrip(_LOCAL_CHARS)) :].lstrip("._%+-")
    return end - len(first) if first else -1


def find_emails(text: str, low: str | None = None) -> Iterator[Email]:
    if low is None:
        low = fold(text)
    seen: list[tuple[int, int]] = []
    at = low.find("@")
    while at > 0:
        s = _local_start(low, at)
        dm = _DOMAIN_AFTER.match(low, at + 1)
        if s >= 0 and dm:
            while s < at and not (s == 0 or not (low[s - 1].isalnum() or low[s - 1] in "._%+-")):
                s += 1  # the local part starts after any character that cannot begin it
            value = _clean_email(low[s:at], dm.group())
            if value and s < at:
                span = (s, dm.end())
                seen.append(span)
                yield Email(value=value, raw=text[span[0] : span[1]], span=span, obfuscated=False)
        at = low.find("@", at + 1)
    if "dot" in low or "punto" in low or "(at)" in low or "[at]" in low or "arroba" in low:
        for m in EMAIL_OBFUSCATED.finditer(low):
            if any(s <= m.start() < e for s, e in seen):
                continue
            labels = [p for p in _DOT_SPLIT.split(m.group(2)) if p]
            value = _clean_email(m.group(1), ".".join([*labels, m.group(3)]))
            if value:
                yield Email(value=value, raw=text[m.start() : m.end()], span=m.span(), obfuscated=True)


def normalise_email(text: str) -> str | None:
    """Lower-cased address of the first e-mail in `text` ("at"/"dot" forms included), else None."""
    if not text:
        return None
    for email in find_emails(text):
        return email.value
    return None
