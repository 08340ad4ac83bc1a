"""Plain data carried through the pipeline (no Django, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Span = tuple[int, int]


@dataclass(slots=True)
class Post:
    """One ad or job post as ingested. Spans reported by the extractors refer to `text`."""

    id: str
    source: str
    url: str = ""
    posted_at: str = ""
    title: str = ""
    body: str = ""
    location: str = ""
    # contact columns carried by the source itself (phone, email, handle, image_hash ...)
    contacts: dict[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        """Idempotence key used by the storage layer and by in-stream dedupe."""
        return (self.source, self.id)

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}" if self.title else self.body


@dataclass(slots=True, frozen=True)
class RowError:
    line: int
    message: str
    raw: str = ""


@dataclass(slots=True, frozen=True)
class Phone:
    e164: str
    raw: str
    span: Span | None  # None when it came from a contact column
    obfuscations: tuple[str, ...] = ()  # kinds: words, letters, emoji, fullwidth, separators

    @property
    def obfuscated(self) -> bool:
        return bool(self.obfuscations)


@dataclass(slots=True, frozen=True)
class Email:
    value: str
    raw: str
    span: Span | None
    obfuscated: bool = False


@dataclass(slots=True, frozen=True)
class Handle:
    platform: str  # snapchat, instagram, telegram, whatsapp, kik, twitter, tiktok, facebook, at
    value: str
    raw: str
    span: Span | None

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.value}"


@dataclass(slots=True, frozen=True)
class Price:
    amount: Decimal
    currency: str  # USD, or "roses" (the ads' euphemism for dollars)
    unit: str | None  # hour, day, week, month, year; None when no period is given
    per_hour: Decimal | None
    raw: str
    span: Span


@dataclass(slots=True, frozen=True)
class Age:
    value: int
    raw: str
    span: Span


@dataclass(slots=True, frozen=True)
class Place:
    city: str
    state: str
    county_fips: str | None  # Illinois places only
    county: str | None
    raw: str
    span: Span | None  # None when read from the location field

    @property
    def label(self) -> str:
        return f"{self.city}, {self.state}"


@dataclass(slots=True)
class Extraction:
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    handles: list[Handle] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    prices: list[Price] = field(default_factory=list)
    ages: list[Age] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    @property
    def phone_obfuscated(self) -> bool:
        return any(p.obfuscations for p in self.phones)

    @property
    def place(self) -> Place | None:
        """The post's primary place: the location field when it resolves, else the first mention."""
        return self.places[0] if self.places else None

    def identifiers(self) -> list[str]:
        """Typed contact keys used to join posts into networks."""
        out = [f"phone:{p.e164}" for p in self.phones]
        out += [f"email:{e.value}" for e in self.emails]
        out += [f"handle:{h.key}" for h in self.handles]
        return list(dict.fromkeys(out))


@dataclass(slots=True, frozen=True)
class FlagMatch:
    text: str
    span: Span | None  # None for evidence that is not a text span (e.g. an extracted age)


@dataclass(slots=True, frozen=True)
class FlagHit:
    flag_id: str
    family: str
    weight: float
    source: str
    matches: tuple[FlagMatch, ...]
    # for flags limited to a context: the context words that were present
    context: tuple[FlagMatch, ...] = ()
