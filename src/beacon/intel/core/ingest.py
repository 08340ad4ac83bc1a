"""Streaming ingest of posts from CSV or JSON Lines.

`read_posts` is a generator: it holds one row at a time plus the set of keys already seen (for
in-stream dedupe on (source, post id)), and yields a `RowError` with the line number for every
row it cannot use, then carries on with the rest.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import Post, RowError

CORE_FIELDS = ("id", "source", "url", "posted_at", "title", "body", "location")
# columns read as contact points; anything else in a row is ignored
CONTACT_FIELDS = frozenset(
    {
        "phone",
        "phones",
        "phone_number",
        "telephone",
        "tel",
        "mobile",
        "cell",
        "cellphone",
        "cell_phone",
        "email",
        "email_address",
        "emails",
        "e-mail",
        "mail",
        "handle",
        "handles",
        "snapchat",
        "instagram",
        "telegram",
        "whatsapp",
        "kik",
        "twitter",
        "tiktok",
        "facebook",
        "image_hash",
        "image_hashes",
    }
)
MAX_TEXT = 100_000  # longer bodies are truncated, not rejected

# Names real exports give the core fields (scrapers, spreadsheet exports, platform dumps); a
# header is matched on its lower-cased name with spaces and hyphens read as underscores.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "post_id",
        "postid",
        "ad_id",
        "adid",
        "listing_id",
        "item_id",
        "message_id",
        "record_id",
        "uid",
        "guid",
    ),
    "source": ("source", "site", "platform", "website", "board"),
    "url": ("url", "link", "permalink", "post_url", "ad_url", "href"),
    "posted_at": (
        "posted_at",
        "date",
        "posted",
        "post_date",
        "date_posted",
        "posted_on",
        "created_at",
        "created",
        "timestamp",
        "time",
        "datetime",
        "published",
        "published_at",
    ),
    "title": ("title", "subject", "headline", "post_title", "ad_title"),
    "body": ("body", "text", "description", "content", "message", "post_body", "post_text", "ad_text", "desc"),
    "location": ("location", "city", "place", "area", "region", "loc"),
}
CONTACT_KINDS = ("phone", "email", "handle")


def column_key(name: str) -> str:
    """A header name as aliases are matched: lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def known_contact_column(name: str) -> bool:
    key = column_key(name)
    return key in CONTACT_FIELDS or key.replace("_", "-") in CONTACT_FIELDS


class MappingError(ValueError):
    """The chosen columns do not fit the file's header."""


@dataclass(slots=True, frozen=True)
class ColumnMapping:
    """Which column of a file holds each core field, which hold contacts, and the time zone of
    times written without an offset (an IANA name such as America/Chicago; "" keeps them naive).

    `columns` maps a core field (id, source, url, posted_at, title, body, location) to a column
    name, or to "" for a field the file does not hold; fields not named are looked up under their
    aliases. `contacts` lists contact columns;
    when empty, every column with a known contact name (phone, email, whatsapp ...) is read.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    contacts: tuple[str, ...] = ()
    tz: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.columns) - set(CORE_FIELDS)
        if unknown:
            raise MappingError(f"unknown field(s) {', '.join(sorted(unknown))}: use {', '.join(CORE_FIELDS)}")
        if self.tz:
            zone_of(self.tz)

    def resolve(self, header: Iterable[str], strict: bool = True) -> ResolvedMapping:
        """Match this mapping to a header; MappingError names a chosen column that is missing
        (not `strict`: the field is left empty, as for a JSON object without that key)."""
        names = [str(h) for h in header]
        by_key: dict[str, str] = {}
        for h in names:
            by_key.setdefault(column_key(h), h)
        fields: dict[str, str] = {}
        for name, column in self.columns.items():
            if not column:
                continue
            found = column if column in names else by_key.get(column_key(column))
            if found is None and strict:
                raise MappingError(f"no column {column!r} for {name} in the header ({', '.join(names[:30])})")
            if found is not None:
                fields[name] = found
        taken = set(fields.values())
        for name in CORE_FIELDS:
            if name in self.columns:  # chosen, or chosen to be absent
                continue
            for alias in FIELD_ALIASES[name]:
                found = by_key.get(alias)
                if found is not None and found not in taken:
                    fields[name] = found
                    taken.add(found)
                    break
        if self.contacts:
            contacts = []
            for column in self.contacts:
                found = column if column in names else by_key.get(column_key(column))
                if found is None and strict:
                    raise MappingError(f"no contact column {column!r} in the header ({', '.join(names[:30])})")
                if found is not None:
                    contacts.append(found)
        else:
            contacts = [h for h in names if h not in taken and known_contact_column(h)]
        return ResolvedMapping(fields, tuple(dict.fromkeys(contacts)), self.tz)


@dataclass(slots=True, frozen=True)
class ResolvedMapping:
    fields: dict[str, str]  # core field -> column in the file
    contacts: tuple[str, ...]
    tz: str = ""

    @property
    def missing_id(self) -> bool:
        return "id" not in self.fields

    @property
    def identity(self) -> bool:
        """The file already uses the core names and no time zone is applied: rows pass as they are."""
        return (
            not self.tz
            and all(k == v for k, v in self.fields.items())
            and all(column_key(c) == c and c in CONTACT_FIELDS for c in self.contacts)
        )

    def apply(self, row: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {name: row.get(column) for name, column in self.fields.items()}
        for column in self.contacts:
            value = row.get(column)
            if value in (None, ""):
                continue
            key = column_key(column)
            if key not in CONTACT_FIELDS:
                dashed = key.replace("_", "-")
                key = dashed if dashed in CONTACT_FIELDS else sniff_contact_kind(str(value))
            if out.get(key):
                out[key] = f"{out[key]}, {value}"
            else:
                out[key] = value
        if self.tz and out.get("posted_at"):
            out["posted_at"] = normalise_time(str(out["posted_at"]), self.tz)
        return out


def sniff_contact_kind(value: str) -> str:
    """phone, email or handle, for a contact column whose name does not say which."""
    from .normalise import find_phones, normalise_email

    if "@" in value and normalise_email(value.split(",")[0].strip()):
        return "email"
    if next(iter(find_phones(value)), None) is not None:
        return "phone"
    return "handle"


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"unknown time zone {name!r}: use an IANA name such as America/Chicago") from None


_US_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")


def normalise_time(value: str, tz: str) -> str:
    """ISO 8601 with an offset for a time as exports write it: ISO 8601, US month/day/year (with or
    without a 12- or 24-hour time) or Unix seconds or milliseconds. A time without an offset is
    read in `tz`, the source's zone (kept without one when `tz` is ""). Unreadable text is
    returned as it is, for the row check to report."""
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        if _EPOCH.fullmatch(text):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return datetime.fromtimestamp(seconds, UTC).isoformat()
        for fmt in _US_FORMATS:
            try:
                parsed = datetime.strptime(text.upper(), fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return value
    if parsed.tzinfo is None and tz:
        parsed = parsed.replace(tzinfo=zone_of(tz))
    return parsed.isoformat()


def _str(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and name in {"id", "source"} and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and name in CONTACT_FIELDS:
        return ", ".join(str(v) for v in value if v is not None)
    raise ValueError(f"field '{name}' must be text, not {type(value).__name__}")


_CORE_SET = frozenset(CORE_FIELDS)


def post_from_mapping(row: dict[str, Any], line: int = 0, default_source: str = "") -> Post:
    """Validate one row; raises ValueError with a message a person can act on."""
    values: dict[str, str] = {}
    for k in CORE_FIELDS:
        v = row.get(k)
        values[k] = (v if v.__class__ is str else _str(v, k)).strip()  # text, the common case, as is
    if not values["id"]:
        raise ValueError("missing post id")
    source = values["source"] or default_source
    if not source:
        raise ValueError("missing source")
    posted = values["posted_at"]
    if posted:
        try:
            datetime.fromisoformat(posted.replace("Z", "+00:00") if posted.endswith("Z") else posted)
        except ValueError:
            posted = normalise_time(posted, "")  # month/day/year, Unix time ...
            if posted == values["posted_at"]:
                raise ValueError(
                    f"posted_at {posted[:40]!r} is not a date or time (ISO 8601 such as 2024-03-01T10:00, "
                    "month/day/year, or Unix seconds)"
                ) from None
    if not values["title"] and not values["body"]:
        raise ValueError("post has neither title nor body")
    contacts = {}
    for key, value in row.items():
        if key in _CORE_SET:  # already normalised, and not a contact column
            continue
        k = str(key).strip().lower()
        if k in CONTACT_FIELDS and value not in (None, ""):
            contacts[k] = _str(value, k).strip()
    return Post(
        id=values["id"],
        source=source,
        url=values["url"],
        posted_at=posted,
        title=values["title"][:MAX_TEXT],
        body=values["body"][:MAX_TEXT],
        location=values["location"],
        contacts=contacts,
        line=line,
    )


def parse_json_line(raw: str) -> tuple[dict[str, Any] | None, str]:
    """One JSON Lines record, or (None, error message)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(obj, dict):
        return None, "a line must hold one JSON object"
    return obj, ""


def raw_rows(
    path: str | Path, format: str | None = None, mapping: ColumnMapping | None = None
) -> Iterator[tuple[int, str | dict[str, Any] | None, str]]:
    """(line, raw JSON text or CSV row or None, error) without building posts: parallel ingest
    parses JSON in worker processes. CSV rows come out under the core field names of `mapping`
    (aliases recognised when it is None)."""
    p = Path(path)
    fmt = _format(p, format)
    with p.open(encoding="utf-8-sig", newline="" if fmt == "csv" else None, errors="replace") as fh:
        if fmt == "jsonl":
            for n, raw in enumerate(fh, start=1):
                if raw.strip():
                    yield n, raw, ""
        else:
            yield from _csv_rows(fh, mapping or ColumnMapping())


_RESOLVED: dict[tuple[int, tuple[str, ...]], ResolvedMapping] = {}


def _remap(row: dict[str, Any], mapping: ColumnMapping | None) -> dict[str, Any]:
    """A JSON object under the core field names: through `mapping` when given, else through the
    aliases when it has no "id" key (a file already in the core names passes untouched)."""
    if mapping is None:
        if "id" in row:
            return row
        mapping = _DEFAULT_MAPPING
    key = (id(mapping), tuple(row))
    resolved = _RESOLVED.get(key)
    if resolved is None:
        resolved = mapping.resolve(row, strict=False)  # JSON objects need not all hold every key
        if len(_RESOLVED) > 1000:
            _RESOLVED.clear()
        _RESOLVED[key] = resolved
    return resolved.apply(row)


def row_to_post(
    line: int,
    row: str | dict[str, Any] | None,
    error: str,
    default_source: str = "",
    mapping: ColumnMapping | None = None,
    mapped: bool = False,
) -> Post | RowError:
    """One row as a Post, or a RowError. `mapped`: the row already carries core field names (CSV
    rows from raw_rows do)."""
    if isinstance(row, str):
        row, error = parse_json_line(row)
    if row is None:
        return RowError(line, error)
    try:
        if not mapped:
            row = _remap(row, mapping)
        return post_from_mapping(row, line, default_source)
    except ValueError as exc:
        return RowError(line, str(exc), raw=str(row.get("id", ""))[:80])


def duplicate_error(post: Post) -> RowError:
    return RowError(post.line, f"duplicate post {post.source}/{post.id} (already read earlier in this file)")


def _format(p: Path, format: str | None) -> str:
    fmt = (format or p.suffix.lstrip(".")).lower()
    if fmt in {"jsonl", "ndjson", "json"}:
        return "jsonl"
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}: use csv or jsonl")
    return fmt


def _missing_id_message(header: list[str]) -> str:
    return (
        f"the header has no id column (looked for {', '.join(FIELD_ALIASES['id'])}); "
        f"name the column that holds the post id ({', '.join(header[:30])})"
    )


def _csv_rows(fh: io.TextIOBase, mapping: ColumnMapping) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    reader = csv.DictReader(fh, restkey="__extra__")
    if reader.fieldnames is None:
        return
    fields = [f.strip() for f in reader.fieldnames]
    reader.fieldnames = fields
    try:
        resolved = mapping.resolve(fields)
    except MappingError as exc:
        yield 1, None, str(exc)
        return
    if resolved.missing_id:
        yield 1, None, _missing_id_message(fields)
        return
    apply = None if resolved.identity and all(f == f.lower() for f in fields) else resolved.apply
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, f"unreadable CSV: {exc}"
            continue
        # the line a row *starts* on (a quoted field may span several lines)
        line = reader.line_num - sum(str(v).count("\n") for v in row.values() if isinstance(v, str))
        if "__extra__" in row:
            yield line, None, f"{len(fields) + len(row['__extra__'])} fields where the header has {len(fields)}"
            continue
        if any(v is None for v in row.values()):
            yield line, None, f"fewer fields than the header's {len(fields)}"
            continue
        yield line, (row if apply is None else apply(row)), ""


def read_posts(
    path: str | Path,
    *,
    format: str | None = None,
    default_source: str = "",
    mapping: ColumnMapping | None = None,
) -> Iterator[Post | RowError]:
    """Stream posts from a .csv or .jsonl/.ndjson file (`format` overrides the extension).

    Yields `Post` for good rows and `RowError(line, message)` for bad ones; a repeated
    (source, id) within the stream is reported as a `RowError` and skipped. `mapping` names the
    columns and the source's time zone; without it common column names are recognised.
    """
    seen: set[int] = set()  # hashes of (source, id): 64-bit, so a collision is negligible
    csv_file = _format(Path(path), format) == "csv"
    for line, row, error in raw_rows(path, format, mapping):
        item = row_to_post(line, row, error, default_source, mapping, mapped=csv_file)
        if isinstance(item, Post):
            key = hash(item.key)
            if key in seen:
                yield duplicate_error(item)
                continue
            seen.add(key)
        yield item


@dataclass(slots=True)
class Preview:
    """The first rows of a file as they would load, before anything is stored."""

    header: list[str]
    fields: dict[str, str]  # core field -> column
    contacts: tuple[str, ...]
    rows: list[Post | RowError]
    problem: str = ""  # a problem with the whole file (no id column, unreadable header ...)

    @property
    def posts(self) -> list[Post]:
        return [r for r in self.rows if isinstance(r, Post)]

    @property
    def errors(self) -> list[RowError]:
        return [r for r in self.rows if isinstance(r, RowError)]


def preview(
    path: str | Path,
    *,
    format: str | None = None,
    mapping: ColumnMapping | None = None,
    default_source: str = "",
    limit: int = 10,
) -> Preview:
    """Read the header and the first `limit` rows through `mapping`, storing nothing."""
    mapping = mapping or ColumnMapping()
    p = Path(path)
    fmt = _format(p, format)
    header: list[str] = []
    with p.open(encoding="utf-8-sig", newline="" if fmt == "csv" else None, errors="replace") as fh:
        if fmt == "csv":
            first = next(csv.reader(fh), None)
            header = [h.strip() for h in first or []]
        else:
            for raw in fh:
                if raw.strip():
                    obj, _ = parse_json_line(raw)
                    header = [str(k) for k in obj] if obj else []
                    break
    try:
        resolved = mapping.resolve(header)
    except MappingError as exc:
        return Preview(header, {}, (), [], str(exc))
    if resolved.missing_id:
        return Preview(header, resolved.fields, resolved.contacts, [], _missing_id_message(header))
    rows: list[Post | RowError] = []
    for item in read_posts(p, format=fmt, default_source=default_source, mapping=mapping):
        rows.append(item)
        if len(rows) >= limit:
            break
    return Preview(header, resolved.fields, resolved.contacts, rows)


def posts_only(items: Iterable[Post | RowError], errors: list[RowError] | None = None) -> Iterator[Post]:
    """Drop (or collect) the RowErrors of a `read_posts` stream."""
    for item in items:
        if isinstance(item, Post):
            yield item
        elif errors is not None:
            errors.append(item)


_DEFAULT_MAPPING = ColumnMapping()
