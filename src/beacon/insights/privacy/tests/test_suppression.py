"""Small-cell suppression, checked by trying to solve for the hidden cells.

The attack here is written independently of the module's own audit: for every hidden value,
minimise and maximise it by linear programming subject to the published totals and cells.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from beacon.insights.privacy.suppression import (
    Status,
    SuppressedTable,
    suppress_series,
    suppress_table,
)


def extended(counts, row_totals=True, column_totals=True, grand_total=True):
    """Values of the table with its published totals, keyed like SuppressedTable keys, and its lines."""
    n, m = len(counts), len(counts[0])
    values = {(i, j): counts[i][j] for i in range(n) for j in range(m)}
    lines = []
    if row_totals:
        for i in range(n):
            values[(i, m)] = sum(counts[i])
            lines.append(([(i, j) for j in range(m)], (i, m)))
    if column_totals:
        for j in range(m):
            values[(n, j)] = sum(counts[i][j] for i in range(n))
            lines.append(([(i, j) for i in range(n)], (n, j)))
    if grand_total:
        values[(n, m)] = sum(map(sum, counts))
        if row_totals:
            lines.append(([(i, m) for i in range(n)], (n, m)))
        if column_totals:
            lines.append(([(n, j) for j in range(m)], (n, m)))
        if not row_totals and not column_totals:
            lines.append(([(i, j) for i in range(n) for j in range(m)], (n, m)))
    return values, lines


def statuses(table: SuppressedTable) -> dict:
    n, m = len(table.cells), len(table.cells[0])
    out = {(i, j): c.status for i, row in enumerate(table.cells) for j, c in enumerate(row)}
    out.update({(i, m): c.status for i, c in enumerate(table.row_totals or ())})
    out.update({(n, j): c.status for j, c in enumerate(table.column_totals or ())})
    if table.grand_total is not None:
        out[(n, m)] = table.grand_total.status
    return out


def feasible_ranges(values, lines, status, threshold=11, reader_knows_complements=False):
    """(min, max) of each hidden value given everything published.

    Primary cells lie in [1, threshold - 1]; other hidden cells are >= 0, or >= threshold when the
    reader can tell complementary cells apart (they carry their own marker and are never zero).
    """
    hidden = sorted(k for k, s in status.items() if s is not Status.SHOWN)
    idx = {k: n for n, k in enumerate(hidden)}
    a, b = [], []
    for members, total in lines:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for k, sign in [*((mk, 1) for mk in members), (total, -1)]:
            if k in idx:
                row[idx[k]] += sign
            else:
                rhs -= sign * values[k]
        if row.any():
            a.append(row)
            b.append(rhs)
    low_other = threshold if reader_knows_complements else 0
    bounds = [(1, threshold - 1) if status[k] is Status.PRIMARY else (low_other, None) for k in hidden]
    out = {}
    for k in hidden:
        c = np.zeros(len(hidden))
        c[idx[k]] = 1
        lo = linprog(c, A_eq=np.array(a) if a else None, b_eq=b or None, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=np.array(a) if a else None, b_eq=b or None, bounds=bounds, method="highs")
        assert lo.status == 0, lo.message  # the true table is always feasible
        out[k] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)
    return out


def assert_protected(counts, threshold=11, **totals):
    table = suppress_table(counts, threshold=threshold, **totals)
    values, lines = extended(counts, **totals)
    status = statuses(table)
    if table.withheld:
        assert all(s is Status.WITHHELD for s in status.values())
        # Withholding must have been necessary: hiding every non-zero value still pins one.
        everything = {
            k: (Status.PRIMARY if 0 < v < threshold else Status.COMPLEMENTARY if v else Status.SHOWN)
            for k, v in values.items()
        }
        ranges = feasible_ranges(values, lines, everything, threshold, reader_knows_complements=True)
        assert any(hi - lo < 0.5 for lo, hi in ranges.values())
        return table
    for k, v in values.items():
        if 0 < v < threshold:
            assert status[k] is Status.PRIMARY, k
        if v == 0:
            assert status[k] is Status.SHOWN, k  # zeros stay visible
    for knows in (False, True):
        for k, (lo, hi) in feasible_ranges(values, lines, status, threshold, knows).items():
            assert lo <= values[k] <= hi
            assert hi - lo > 0.5, f"cell {k}={values[k]} recovered exactly ({lo}, {hi})"
    return table


def test_small_cells_display_as_less_than_11_and_zero_is_shown():
    table = suppress_table([[0, 12, 30], [5, 40, 25], [3, 18, 60]])
    shown = table.display_rows()
    assert shown[0][0] == "0"
    assert shown[1][0] == "<11" and shown[2][0] == "<11"
    assert {(1, 0), (2, 0)} <= table.primary
    assert table.complementary  # each of those rows needs a partner
    assert_protected([[0, 12, 30], [5, 40, 25], [3, 18, 60]])


def test_single_small_cell_in_a_row_gets_a_partner_in_that_row_and_column():
    counts = [[4, 50, 60], [30, 40, 50], [20, 25, 35]]
    table = assert_protected(counts)
    assert table.primary == {(0, 0)}
    assert any(k[0] == 0 for k in table.complementary)
    assert any(k[1] == 0 for k in table.complementary)


def test_row_whose_total_is_small_hides_the_total():
    table = assert_protected([[2, 3, 1], [30, 40, 50], [20, 25, 35]])
    assert (0, 3) in table.primary
    assert table.row_totals[0].display == "<11"


def test_all_small_table():
    assert_protected([[1, 2], [3, 4]])
    assert_protected([[10, 10], [10, 10]])


def test_table_of_zeros_shows_everything():
    table = suppress_table([[0, 0], [0, 0]])
    assert table.display_rows() == [["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"]]


def test_nothing_small_nothing_hidden():
    table = suppress_table([[11, 20], [30, 40]])
    assert not table.primary and not table.complementary
    assert table.display_rows()[-1] == ["41", "60", "101"]


def test_bounds_alone_would_disclose_ten_plus_ten():
    # Two primaries of 10 under a published total of 20 can only be 10 and 10.
    series = suppress_series([10, 10, 0])
    assert series.display() == ["<11", "<11", "0", "*"]


def test_series_single_small_cell_hides_a_second_cell():
    series = suppress_series([3, 40, 25])
    assert series.primary == {0}
    assert series.complementary  # 3 = total - 40 - 25 otherwise
    assert series.display()[0] == "<11"


def test_series_without_total_needs_no_complement():
    series = suppress_series([3, 40, 25], total=False)
    assert series.display() == ["<11", "40", "25"]
    assert not series.complementary


def test_unprotectable_series_is_withheld():
    # Ten cells each 1..10 under a total below 11 can only be ten 1s.
    series = suppress_series([1] * 10)
    assert series.withheld
    assert set(series.display()) == {"x"}


def test_threshold_is_configurable():
    series = suppress_series([4, 5, 30, 12], threshold=5, total=False)
    assert series.display() == ["<5", "5", "30", "12"]
    with pytest.raises(ValueError):
        suppress_series([1], threshold=2)


def test_rejects_negative_or_ragged_input():
    with pytest.raises(ValueError):
        suppress_table([[1, -1]])
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])


def test_markers_are_configurable():
    table = suppress_table([[1, 20], [30, 40]], complementary_marker="(s)")
    assert any("(s)" in row for row in table.display_rows())


cell_values = st.one_of(
    st.sampled_from([0, 0, 1, 2, 5, 9, 10, 11, 12, 15, 20]),
    st.integers(min_value=0, max_value=80),
)


@st.composite
def tables(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    return [[draw(cell_values) for _ in range(m)] for _ in range(n)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.booleans(), st.booleans(), st.booleans())
def test_no_hidden_cell_can_be_solved_for(counts, rows, cols, grand):
    assert_protected(counts, row_totals=rows, column_totals=cols, grand_total=grand)


small_factors = st.lists(st.integers(0, 8), min_size=2, max_size=6)


@settings(max_examples=40, deadline=None)
@given(small_factors, small_factors)
def test_tables_of_mostly_small_cells(a: list[int], b: list[int]):
    counts = [[x * y % 13 for y in b] for x in a]  # many small and zero cells
    assert_protected(counts)
