"""CSV output that a spreadsheet will not execute (CSV / formula injection).

Following OWASP's CSV injection guidance, a text cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is prefixed with a single quote, so Excel, LibreOffice and Sheets show
it as text instead of evaluating it; the csv module's quoting takes care of separators and quotes
inside cells. Numbers (int, float, Decimal) are written as numbers: a negative number is data,
not a formula, and quoting it would break sums. Text that looks like a number is still text and is
neutralised, so ``"-1+2"`` cannot become a formula.

Every CSV export of the platform writes through this module (insights, intel, the service directory,
the portal's statistics). Two ways to write: :class:`SafeWriter` wraps a file-like object;
:func:`iter_csv` yields encoded lines one row at a time for a streaming HTTP response. An import that
reads an export back (the directory's) passes each cell through :func:`restore`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TextIO

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value to write for one cell: text starting with a formula trigger gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def restore(text: str) -> str:
    """The text a neutralised cell stood for: the leading quote :func:`neutralise` added is dropped."""
    if text.startswith("'") and text[1:].startswith(DANGEROUS_PREFIXES):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` with every cell neutralised; keyword arguments go to ``csv.writer``."""

    def __init__(self, f: TextIO, **kwargs: Any) -> None:
        self._writer = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` with every cell (and header) neutralised."""

    def __init__(self, f: TextIO, fieldnames: Sequence[str], **kwargs: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = SafeWriter(f, **kwargs)

    def writeheader(self) -> Any:
        return self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> Any:
        extra = set(row) - set(self.fieldnames)
        if extra:
            raise ValueError(f"fields not in fieldnames: {sorted(extra)}")
        return self._writer.writerow([row.get(name) for name in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def iter_csv(
    rows: Iterable[Iterable[Any]],
    *,
    header: Sequence[str] | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
    **kwargs: Any,
) -> Iterator[bytes]:
    """Encoded CSV lines, one per row, for a streaming response; ``bom`` helps Excel read UTF-8."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, **kwargs)

    def take() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode(encoding)

    if bom:
        yield "\ufeff".encode(encoding)
    if header is not None:
        writer.writerow(header)
        yield take()
    for row in rows:
        writer.writerow(row)
        yield take()
