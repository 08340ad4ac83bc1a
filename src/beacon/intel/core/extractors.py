"""Extraction of contacts, prices, ages and places from one post.

Every scanner is a precompiled regex run over the folded text, and most are skipped outright
when a cheap test (a substring, a digit count, the set of words) shows they cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from .gazetteer import find_places, resolve_location
from .models import Age, Email, Extraction, Handle, Phone, Place, Post, Price
from .normalise import CACHE_MAX, digit_count, find_emails, find_phones, fold, normalise_email, words_of

# --- handles ----------------------------------------------------------------------------------------
_PLATFORMS = {
    "snapchat": "snapchat",
    "snap": "snapchat",
    "sc": "snapchat",
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "telegram": "telegram",
    "tg": "telegram",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "kik": "kik",
    "twitter": "twitter",
    "tiktok": "tiktok",
    "facebook": "facebook",
    "fb": "facebook",
}
_PLATFORM_WORDS = frozenset(_PLATFORMS)
_HANDLE_KW = re.compile(
    r"(snapchat|snap|sc|instagram|insta|ig|telegram|tg|whatsapp|wa|kik|twitter|tiktok|facebook|fb)"
    r"(?:\s*[:=\-]\s*|\s*@\s*|\s+(?:is|es|me|at)\s+@?)@?([a-z0-9_][a-z0-9_.]{1,29})"
)
_BARE_HANDLE = re.compile(r"@([a-z0-9_][a-z0-9_.]{2,29})")
_HANDLE_STOP = frozenset({"me", "us", "only", "or", "and", "the", "solo", "o", "y", "for", "por"})

# --- urls -------------------------------------------------------------------------------------------
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+")

# --- prices -----------------------------------------------------------------------------------------


def _amount_re(d: str, in_class: str) -> str:
    """An amount not starting inside a longer number; `d` is the digit class (\\d, or [0-9] for
    ASCII text, where both match the same characters and [0-9] is faster to test) and `in_class`
    the same inside brackets. Amounts start with a digit class so the regex engine can skip ahead
    to digits."""
    return rf"({d}(?<![{in_class},.]{d})[{in_class},]*)(?:\.({d}{{1,2}}))?(k)?"


_AMT = _amount_re(r"\d", r"\d")
_AMT_OK = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_UNITS = (
    r"(hours?|hrs?|h|horas?|days?|daily|d[íi]as?|diarios?|nights?|weeks?|weekly|wk|semanas?|semanal(?:es)?|"
    r"months?|monthly|mo|mes(?:es)?|mensual(?:es)?|years?|yearly|yr|annual(?:ly)?|a[ñn]os?|anual(?:es)?)"
)
_CONNECT = r"(?:/|per|an?|each|every|por|la|el|al|a\s+la|cada)"
_PRICE_DOLLAR = re.compile(rf"\$\s?{_AMT}(?:\s*{_CONNECT}?\s*{_UNITS})?(?![a-z0-9])")


def _price_num(amount: str) -> re.Pattern[str]:
    """An amount followed by a currency word (and maybe a period), or by a period alone ("800 a week")."""
    return re.compile(
        rf"{amount}(?:\s?(\$|usd|dollars?|d[óo]lares|bucks|roses|rosas)(?:\s*{_CONNECT}?\s*{_UNITS})?(?![a-z0-9])"
        rf"|\s*{_CONNECT}\s*{_UNITS}(?![a-z]))"
    )


_PRICE_NUM = _price_num(_AMT)
_ASCII_PRICE_NUM = _price_num(_amount_re("[0-9]", "0-9"))
_UNIT_OF = {
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "hora": "hour",
    "horas": "hour",
    "day": "day",
    "days": "day",
    "daily": "day",
    "dia": "day",
    "día": "day",
    "dias": "day",
    "días": "day",
    "diario": "day",
    "diarios": "day",
    "night": "day",
    "nights": "day",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "wk": "week",
    "semana": "week",
    "semanas": "week",
    "semanal": "week",
    "semanales": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "mo": "month",
    "mes": "month",
    "meses": "month",
    "mensual": "month",
    "mensuales": "month",
    "year": "year",
    "years": "year",
    "yearly": "year",
    "yr": "year",
    "annual": "year",
    "annually": "year",
    "año": "year",
    "años": "year",
    "ano": "year",
    "anos": "year",
    "anual": "year",
    "anuales": "year",
}
# per-hour conversion assumes full-time work: 8 h a day, 40 h a week, 2,080 h a year
_HOURS = {"hour": Decimal(1), "day": Decimal(8), "week": Decimal(40), "month": Decimal("173.33"), "year": Decimal(2080)}
_CENT = Decimal("0.01")

# --- ages -------------------------------------------------------------------------------------------
_AGE_NUM = re.compile(r"(\d\d)\s*-?\s*(?:years?[\s-]*old|yrs?[\s-]*old|y/o|yo|años|anos)(?![a-z])")
_ASCII_AGE_NUM = re.compile(_AGE_NUM.pattern.replace(r"(\d\d)", "([0-9][0-9])", 1))  # see _amount_re
_AGE_WORD = re.compile(r"(?:age|aged|edad|tengo)\s*[:=]?\s*(\d\d)(?![\d$])")
_AGE_WORDS = frozenset({"age", "aged", "edad", "tengo"})


def _amount(whole: str, cents: str | None, k: str | None) -> Decimal | None:
    whole = whole.rstrip(",")
    if not _AMT_OK.fullmatch(whole):
        return None
    value = Decimal(whole.replace(",", "") + ("." + cents if cents else ""))
    return value * 1000 if k else value


def find_prices(text: str, low: str, skip: list[tuple[int, int]]) -> list[Price]:
    out: list[Price] = []
    taken: list[tuple[int, int]] = list(skip)

    def add(m: re.Match[str], facts: _Facts) -> None:
        s, e = m.span()
        for a, b in taken:
            if s < b and a < e:
                return
        out.append(Price(facts[0], facts[1], facts[2], facts[3], text[s:e], (s, e)))
        taken.append((s, e))

    if "$" in low:
        for m in _PRICE_DOLLAR.finditer(low):
            facts = _price_facts(m)
            if facts[0] is not None:
                add(m, facts)
    for m in (_ASCII_PRICE_NUM if low.isascii() else _PRICE_NUM).finditer(low):
        facts = _price_facts(m)
        # without a currency word "2 per day" is a count, not pay
        if facts[0] is not None and (m.group(4) or facts[0] >= 10):
            add(m, facts)
    out.sort(key=lambda p: p.span)
    return out


# amount, currency, unit, per-hour pay of a price match, by the match's groups (the two price
# regexes have different numbers of groups, so their keys cannot collide)
_Facts = tuple[Decimal | None, str, str | None, Decimal | None]
_FACTS: dict[tuple[str | None, ...], _Facts] = {}


def _price_facts(m: re.Match[str]) -> _Facts:
    groups = m.groups()
    hit = _FACTS.get(groups)
    if hit is None:
        if len(groups) == 4:  # _PRICE_DOLLAR
            currency, unit_word = "USD", groups[3]
        elif groups[3]:  # _PRICE_NUM with a currency word
            currency, unit_word = ("roses" if groups[3].startswith("ros") else "USD"), groups[4]
        else:  # _PRICE_NUM with a period only
            currency, unit_word = "USD", groups[5]
        amount = _amount(groups[0], groups[1], groups[2])
        unit = _UNIT_OF.get(unit_word) if unit_word else None
        per_hour = None
        if amount is not None and unit and currency == "USD":
            per_hour = (amount / _HOURS[unit]).quantize(_CENT)
        hit = (amount, currency, unit, per_hour)
        if len(_FACTS) >= CACHE_MAX:
            _FACTS.clear()
        _FACTS[groups] = hit
    return hit


def find_ages(text: str, low: str, words: set[str] | None = None) -> list[Age]:
    out: list[Age] = []
    for m in (_ASCII_AGE_NUM if low.isascii() else _AGE_NUM).finditer(low):
        value = int(m.group(1))
        if 10 <= value <= 99 and (m.start() == 0 or not low[m.start() - 1].isdigit()):
            out.append(Age(value=value, raw=text[m.start() : m.end()], span=m.span()))
    if words is None or not words.isdisjoint(_AGE_WORDS):
        for m in _AGE_WORD.finditer(low):
            s = m.start()
            if s and low[s - 1].isalpha():  # "page 19", "stage 20"
                continue
            value = int(m.group(1))
            if 10 <= value <= 99 and not any(a.span[0] <= m.start(1) < a.span[1] for a in out):
                out.append(Age(value=value, raw=text[s : m.end()], span=m.span()))
    out.sort(key=lambda a: a.span)
    return out


def find_handles(text: str, low: str, words: set[str], emails: list[Email]) -> list[Handle]:
    out: list[Handle] = []
    seen: set[str] = set()
    if not words.isdisjoint(_PLATFORM_WORDS):
        for m in _HANDLE_KW.finditer(low):
            s = m.start()
            if s and low[s - 1].isalnum():
                continue
            value = m.group(2).rstrip(".")
            if value in _HANDLE_STOP or value.replace(".", "").isdigit() or value in _PLATFORM_WORDS:
                continue
            h = Handle(platform=_PLATFORMS[m.group(1)], value=value, raw=text[s : m.end()], span=(s, m.end()))
            if h.key not in seen:
                seen.add(h.key)
                out.append(h)
    if "@" in low:
        email_spans = [e.span for e in emails if e.span]
        for m in _BARE_HANDLE.finditer(low):
            s = m.start()
            if (s and (low[s - 1].isalnum() or low[s - 1] in "._")) or any(a <= s < b for a, b in email_spans):
                continue
            if any(h.span and h.span[0] <= s < h.span[1] for h in out):
                continue
            value = m.group(1).rstrip(".")
            h = Handle(platform="at", value=value, raw=text[s : m.end()], span=(s, m.end()))
            if h.key not in seen:
                seen.add(h.key)
                out.append(h)
    return out


def extract_text(text: str, low: str | None = None, wordset: set[str] | None = None) -> Extraction:
    """Extraction from free text only (`low` and `wordset`, the set of its words, may be passed when known)."""
    if low is None:
        low = fold(text)
    if wordset is None:
        wordset = set(words_of(low))
    ex = Extraction()
    _scan(ex, text, low, wordset)
    if "http" in low or "www." in low:
        ex.urls = [m.group().rstrip(".,;:!?") for m in _URL.finditer(text)]
    ex.places = _distinct_places(find_places(text))
    return ex


def _distinct_places(places: Iterable[Place]) -> list[Place]:
    """Each place once (its first mention): an ad naming its city three times is in one city."""
    seen: set[tuple[str, str]] = set()
    out = []
    for p in places:
        if (p.city, p.state) not in seen:
            seen.add((p.city, p.state))
            out.append(p)
    return out


def extract(post: Post) -> Extraction:
    """Everything the pipeline reads from one post: its text, location field and contact columns."""
    ex = extract_text(post.text)
    merge_post_fields(post, ex)
    return ex


def extract_primary(post: Post, text: str, low: str, wordset: set[str]) -> Extraction:
    """extract(post) as far as the analysis reads it: the same contacts, prices and ages, no URLs,
    and of the places only the primary one (`Extraction.place`), so the text is not searched for
    places when the location field names one. `text`, `low` and `wordset` are post.text, its
    fold() and the set of its words."""
    ex = Extraction()
    _scan(ex, text, low, wordset)
    place = resolve_location(post.location) if post.location else None
    if place is None:
        place = next(find_places(text), None)
    if place is not None:
        ex.places = [place]
    _merge_contacts(post, ex)
    return ex


def _scan(ex: Extraction, text: str, low: str, wordset: set[str]) -> None:
    """Contacts, prices and ages found in the text."""
    digits = digit_count(low)
    ex.phones = list(find_phones(text, low, wordset, digits))
    ex.emails = list(find_emails(text, low))
    ex.handles = find_handles(text, low, wordset, ex.emails)
    if digits:
        skip = [p.span for p in ex.phones if p.span]
        ex.prices = find_prices(text, low, skip)
        ex.ages = find_ages(text, low, wordset)


def merge_post_fields(post: Post, ex: Extraction) -> None:
    if post.location:
        place = resolve_location(post.location)
        if place is not None:  # the location field first; the text's mentions of it add nothing
            ex.places = [place, *(p for p in ex.places if (p.city, p.state) != (place.city, place.state))]
    _merge_contacts(post, ex)


def _merge_contacts(post: Post, ex: Extraction) -> None:
    for name, value in post.contacts.items():
        if not value:
            continue
        kind = name.lower()
        if "phone" in kind or kind in {"tel", "telephone", "mobile", "cell", "whatsapp"}:
            known = {p.e164 for p in ex.phones}
            for p in find_phones(value):
                if p.e164 not in known:
                    ex.phones.append(Phone(e164=p.e164, raw=value, span=None, obfuscations=p.obfuscations))
        elif "email" in kind or kind == "mail":
            e = normalise_email(value)
            if e and all(x.value != e for x in ex.emails):
                ex.emails.append(Email(value=e, raw=value, span=None))
        elif kind in {"image_hash", "image", "images"}:
            for h in value.replace(";", ",").split(","):
                if h.strip():
                    ex.handles.append(Handle(platform="image", value=h.strip().lower(), raw=h, span=None))
        else:  # handle, snapchat, instagram, telegram ...
            platform = _PLATFORMS.get(kind, kind if kind != "handle" else "at")
            value_n = value.strip().lstrip("@").lower()
            if value_n and all(h.key != f"{platform}:{value_n}" for h in ex.handles):
                ex.handles.append(Handle(platform=platform, value=value_n, raw=value, span=None))
