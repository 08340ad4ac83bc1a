"""Small-cell suppression for published count tables.

Rule (privacy.md): a count from 1 to ``threshold - 1`` (default 11, the CMS rule and CTDC's k = 11)
is shown as ``"<11"``; zero may be shown. Complementary suppression then hides further cells so
that no small count can be worked out from the row, column and grand totals of the same table.

How the table is protected:

1. *Primary*: every cell or total with ``0 < value < threshold``.
2. *Line rule*: each line (a row or column with its total, the row totals with the grand total,
   ...) that hides exactly one value gives it away by subtraction, so a second value in that line
   is hidden: the smallest non-zero value still shown, preferring one that also completes a
   crossing line. Repeated to a fixed point.
3. *Audit*: the line rule is not enough on its own (a hidden cell joining two otherwise separate
   groups of hidden cells, or bounds such as ``10 + 10 = 20``, can still pin a value), so every
   hidden value is minimised and maximised by linear programming over what a reader can know:
   the published cells and totals, primary cells in ``[1, threshold - 1]`` and complementary
   cells at least ``threshold`` (they are shown with their own marker and are never zero, so a
   reader can tell). A value whose minimum equals its maximum is disclosed; a value in one of its
   lines is then hidden as in step 2 and the audit runs again.
4. If a value stays disclosed when every non-zero value is hidden (ten cells of 1 under a total
   below 11 can only be ten 1s), the table is *withheld*: nothing in it is published.

Zeros stay visible, as privacy.md allows, and complementary cells are never zeros; the audit
treats shown zeros as published values. Rows and columns with their totals give a constraint
matrix that is totally unimodular, so the linear-programming bounds are whole numbers and
"pinned" means a range narrower than one. The audit needs SciPy (``scipy.optimize.linprog``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

Key = tuple[int, int]
Line = tuple[tuple[Key, ...], Key]  # (members, the total they add up to)

DEFAULT_THRESHOLD = 11


class Status(StrEnum):
    SHOWN = "shown"
    PRIMARY = "primary"
    COMPLEMENTARY = "complementary"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Cell:
    display: str
    status: Status

    @property
    def suppressed(self) -> bool:
        return self.status is not Status.SHOWN


@dataclass(frozen=True)
class SuppressedTable:
    """A 2-D table ready to publish. Only ``display`` strings are publishable.

    Keys in ``primary``/``complementary`` address the table extended by its totals: row index
    ``len(cells)`` is the column-totals row, column index ``len(cells[0])`` the row-totals column
    (so the grand total is ``(n_rows, n_cols)``).
    """

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    grand_total: Cell | None
    threshold: int
    withheld: bool

    def _extended(self) -> dict[Key, Cell]:
        n_rows, n_cols = len(self.cells), len(self.cells[0])
        out = {(i, j): c for i, row in enumerate(self.cells) for j, c in enumerate(row)}
        for i, c in enumerate(self.row_totals or ()):
            out[(i, n_cols)] = c
        for j, c in enumerate(self.column_totals or ()):
            out[(n_rows, j)] = c
        if self.grand_total is not None:
            out[(n_rows, n_cols)] = self.grand_total
        return out

    @property
    def primary(self) -> frozenset[Key]:
        return frozenset(k for k, c in self._extended().items() if c.status is Status.PRIMARY)

    @property
    def complementary(self) -> frozenset[Key]:
        return frozenset(k for k, c in self._extended().items() if c.status is Status.COMPLEMENTARY)

    def display_rows(self) -> list[list[str]]:
        """Rows of display strings, each followed by its total, then the totals row."""
        rows = []
        for i, row in enumerate(self.cells):
            shown = [c.display for c in row]
            if self.row_totals is not None:
                shown.append(self.row_totals[i].display)
            rows.append(shown)
        if self.column_totals is not None:
            last = [c.display for c in self.column_totals]
            if self.row_totals is not None:
                last.append(self.grand_total.display if self.grand_total else "")
            rows.append(last)
        return rows


@dataclass(frozen=True)
class SuppressedSeries:
    """A 1-D table ready to publish; indices in ``primary``/``complementary`` count the total as
    ``len(cells)``."""

    cells: tuple[Cell, ...]
    total: Cell | None
    threshold: int
    withheld: bool

    @property
    def primary(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self._all()) if c.status is Status.PRIMARY)

    @property
    def complementary(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self._all()) if c.status is Status.COMPLEMENTARY)

    def _all(self) -> tuple[Cell, ...]:
        return self.cells if self.total is None else (*self.cells, self.total)

    def display(self) -> list[str]:
        return [c.display for c in self._all()]


@dataclass(frozen=True)
class _Markers:
    primary: str
    complementary: str = "*"
    withheld: str = "x"


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
    complementary_marker: str = "*",
    withheld_marker: str = "x",
) -> SuppressedTable:
    """Suppress a rows x columns table of counts together with the totals it publishes."""
    _check_threshold(threshold)
    if not counts or not counts[0] or any(len(r) != len(counts[0]) for r in counts):
        raise ValueError("counts must be a non-empty rectangular table")
    n_rows, n_cols = len(counts), len(counts[0])
    values: dict[Key, int] = {}
    for i, row in enumerate(counts):
        for j, v in enumerate(row):
            values[(i, j)] = _count(v)
    lines: list[Line] = []
    if row_totals:
        for i in range(n_rows):
            values[(i, n_cols)] = sum(values[(i, j)] for j in range(n_cols))
            lines.append((tuple((i, j) for j in range(n_cols)), (i, n_cols)))
    if column_totals:
        for j in range(n_cols):
            values[(n_rows, j)] = sum(values[(i, j)] for i in range(n_rows))
            lines.append((tuple((i, j) for i in range(n_rows)), (n_rows, j)))
    if grand_total:
        grand = (n_rows, n_cols)
        values[grand] = sum(values[(i, j)] for i in range(n_rows) for j in range(n_cols))
        if row_totals:
            lines.append((tuple((i, n_cols) for i in range(n_rows)), grand))
        if column_totals:
            lines.append((tuple((n_rows, j) for j in range(n_cols)), grand))
        if not row_totals and not column_totals:
            lines.append((tuple((i, j) for i in range(n_rows) for j in range(n_cols)), grand))

    markers = _Markers(f"<{threshold}", complementary_marker, withheld_marker)
    status = _protect(values, lines, threshold)
    cell = {k: _cell(values[k], status[k], markers) for k in values}
    return SuppressedTable(
        cells=tuple(tuple(cell[(i, j)] for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(cell[(i, n_cols)] for i in range(n_rows)) if row_totals else None,
        column_totals=tuple(cell[(n_rows, j)] for j in range(n_cols)) if column_totals else None,
        grand_total=cell[(n_rows, n_cols)] if grand_total else None,
        threshold=threshold,
        withheld=any(s is Status.WITHHELD for s in status.values()),
    )


def suppress_series(
    counts: Sequence[int],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    total: bool = True,
    complementary_marker: str = "*",
    withheld_marker: str = "x",
) -> SuppressedSeries:
    """Suppress a list of counts (one row of categories), with its total when ``total``."""
    table = suppress_table(
        [list(counts)],
        threshold=threshold,
        row_totals=total,
        column_totals=False,
        grand_total=False,
        complementary_marker=complementary_marker,
        withheld_marker=withheld_marker,
    )
    return SuppressedSeries(
        cells=table.cells[0],
        total=table.row_totals[0] if table.row_totals else None,
        threshold=threshold,
        withheld=table.withheld,
    )


def _check_threshold(threshold: int) -> None:
    # Below 3 the range [1, threshold - 1] holds a single value, so "<t" would disclose it.
    if not isinstance(threshold, int) or threshold < 3:
        raise ValueError("threshold must be an integer of at least 3")


def _count(v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise ValueError(f"counts must be non-negative integers, got {v!r}")
    return v


def _cell(value: int, status: Status, markers: _Markers) -> Cell:
    display = {
        Status.SHOWN: str(value),
        Status.PRIMARY: markers.primary,
        Status.COMPLEMENTARY: markers.complementary,
        Status.WITHHELD: markers.withheld,
    }[status]
    return Cell(display, status)


def _protect(values: dict[Key, int], lines: list[Line], threshold: int) -> dict[Key, Status]:
    primary = {k for k, v in values.items() if 0 < v < threshold}
    hidden = set(primary)
    lines_of: dict[Key, list[int]] = {k: [] for k in values}
    for n, line in enumerate(lines):
        for k in _keys(line):
            lines_of[k].append(n)

    withheld = False
    while primary:
        _apply_line_rule(values, lines, lines_of, hidden)
        disclosed = _disclosed(values, lines, primary, hidden - primary, threshold)
        if not disclosed:
            break
        touched: set[int] = set()
        for key in disclosed:
            if touched.intersection(lines_of[key]):
                continue  # a line through it already changed this round; audit again first
            near = (k for n in lines_of[key] for k in _keys(lines[n]))
            pick = _best_candidate(values, near, hidden, lines, lines_of)
            if pick is not None:
                hidden.add(pick)
                touched.update(lines_of[pick])
        if not touched:
            pick = _best_candidate(values, values, hidden, lines, lines_of)
            if pick is None:
                withheld = True
                break
            hidden.add(pick)

    status: dict[Key, Status] = {}
    for k in values:
        if withheld:
            status[k] = Status.WITHHELD
        elif k in primary:
            status[k] = Status.PRIMARY
        elif k in hidden:
            status[k] = Status.COMPLEMENTARY
        else:
            status[k] = Status.SHOWN
    return status


def _keys(line: Line) -> tuple[Key, ...]:
    return (*line[0], line[1])


def _apply_line_rule(
    values: dict[Key, int], lines: list[Line], lines_of: dict[Key, list[int]], hidden: set[Key]
) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            keys = _keys(line)
            if sum(k in hidden for k in keys) == 1:
                pick = _best_candidate(values, keys, hidden, lines, lines_of)
                if pick is not None:
                    hidden.add(pick)
                    changed = True


def _best_candidate(
    values: dict[Key, int],
    keys: Iterable[Key],
    hidden: set[Key],
    lines: list[Line],
    lines_of: dict[Key, list[int]],
) -> Key | None:
    def rank(k: Key) -> tuple[int, int, Key]:
        # Smallest value first; then one that also completes a crossing line with a lone hidden value.
        completes = any(sum(m in hidden for m in _keys(lines[n])) == 1 for n in lines_of[k])
        return (values[k], 0 if completes else 1, k)

    candidates = {k for k in keys if k not in hidden and values[k] > 0}
    return min(candidates, key=rank) if candidates else None


def _disclosed(
    values: dict[Key, int],
    lines: list[Line],
    primary: set[Key],
    complementary: set[Key],
    threshold: int,
) -> list[Key]:
    """Hidden values whose feasible range, given what is published, is a single number."""
    import numpy as np
    from scipy.optimize import linprog

    hidden = sorted(primary | complementary)
    index = {k: n for n, k in enumerate(hidden)}
    rows: list[list[float]] = []
    rhs: list[float] = []
    for members, total in lines:
        # members - total = 0, with the published values moved to the right-hand side
        coeffs = [0.0] * len(hidden)
        constant = 0.0
        for k, sign in [*((m, 1.0) for m in members), (total, -1.0)]:
            if k in index:
                coeffs[index[k]] += sign
            else:
                constant -= sign * values[k]
        if any(coeffs):
            rows.append(coeffs)
            rhs.append(constant)
    bounds = [(1, threshold - 1) if k in primary else (threshold, None) for k in hidden]
    truth = np.array([values[k] for k in hidden], dtype=float)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None

    moved: set[int] = set()
    disclosed: list[Key] = []
    for n, key in enumerate(hidden):
        for sense in (-1.0, 1.0):  # maximise, then minimise
            if n in moved:
                break
            objective = np.zeros(len(hidden))
            objective[n] = sense
            res = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status == 3:  # unbounded: the value can grow without limit
                moved.add(n)
            elif res.status == 0:
                # Every vertex found is a feasible table; any value that differs from the truth
                # there is not pinned, which spares most of the remaining solves.
                moved.update(int(j) for j in np.flatnonzero(np.abs(res.x - truth) > 0.5))
            else:
                raise RuntimeError(f"suppression audit failed: {res.message}")
        if n not in moved:
            disclosed.append(key)
    return disclosed
