"""LSH banding parameters are computed by Beacon itself (no private library function), with the
same result as datasketch's MinHashLSH."""

from __future__ import annotations

import pytest

from beacon.intel.core.templates import optimal_bands


# Bands x rows that datasketch 2.0's MinHashLSH chose for these thresholds (weights 0.5 / 0.5).
@pytest.mark.parametrize(
    ("threshold", "num_perm", "expected"),
    [(0.5, 128, (25, 5)), (0.6, 64, (10, 6)), (0.7, 128, (14, 9)), (0.8, 256, (17, 15)), (0.9, 32, (2, 16))],
)
def test_lsh_banding_matches_datasketchs_choice(threshold, num_perm, expected):
    assert optimal_bands(threshold, num_perm) == expected
