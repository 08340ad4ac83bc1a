"""Streaming ingest of posts from CSV or JSON Lines.

`read_posts` is a generator: it holds one row at a time plus the set of keys already seen (for
in-stream dedupe on (source, post id)), and yields a `RowError` with the line number for every
row it cannot use, then carries on with the rest.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

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
        "email",
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
            raise ValueError(f"posted_at {posted[:40]!r} is not an ISO 8601 date or time") from None
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


def raw_rows(path: str | Path, format: str | None = None) -> Iterator[tuple[int, str | dict[str, Any] | None, str]]:
    """(line, raw JSON text or CSV row or None, error) without building posts: parallel ingest
    parses JSON in worker processes."""
    p = Path(path)
    fmt = _format(p, format)
    with p.open(encoding="utf-8-sig", newline="" if fmt == "csv" else None, errors="replace") as fh:
        if fmt == "jsonl":
            for n, raw in enumerate(fh, start=1):
                if raw.strip():
                    yield n, raw, ""
        else:
            yield from _csv_rows(fh)


def row_to_post(line: int, row: str | dict[str, Any] | None, error: str, default_source: str = "") -> Post | RowError:
    if isinstance(row, str):
        row, error = parse_json_line(row)
    if row is None:
        return RowError(line, error)
    try:
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


def _csv_rows(fh: io.TextIOBase) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    reader = csv.DictReader(fh, restkey="__extra__")
    if reader.fieldnames is None:
        return
    fields = [f.strip().lower() for f in reader.fieldnames]
    reader.fieldnames = fields
    if "id" not in fields:
        yield 1, None, "the header has no 'id' column"
        return
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
        yield line, row, ""


def read_posts(path: str | Path, *, format: str | None = None, default_source: str = "") -> Iterator[Post | RowError]:
    """Stream posts from a .csv or .jsonl/.ndjson file (`format` overrides the extension).

    Yields `Post` for good rows and `RowError(line, message)` for bad ones; a repeated
    (source, id) within the stream is reported as a `RowError` and skipped.
    """
    seen: set[int] = set()  # hashes of (source, id): 64-bit, so a collision is negligible
    for line, row, error in raw_rows(path, format):
        item = row_to_post(line, row, error, default_source)
        if isinstance(item, Post):
            key = hash(item.key)
            if key in seen:
                yield duplicate_error(item)
                continue
            seen.add(key)
        yield item


def posts_only(items: Iterable[Post | RowError], errors: list[RowError] | None = None) -> Iterator[Post]:
    """Drop (or collect) the RowErrors of a `read_posts` stream."""
    for item in items:
        if isinstance(item, Post):
            yield item
        elif errors is not None:
            errors.append(item)
