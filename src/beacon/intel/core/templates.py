"""Near-duplicate (template) clustering: word shingles -> MinHash -> LSH banding -> components.

All heavy steps are vectorised with numpy over batches of posts:

* tokens are stored once as 32-bit word hashes; k-word shingle hashes are derived from them;
* document frequencies of shingles are counted in a count-min sketch while posts stream in,
  and shingles found in more than `max_df` posts (job-board footers, hotline sentences, common
  phrases) are dropped before MinHash, so boilerplate cannot join unrelated posters;
* MinHash uses the multiply-shift family h(x) = (a*x + b) >> 32 over 64-bit words;
* banding picks bands x rows for the threshold as datasketch's MinHashLSH does (`optimal_bands`,
  below), but buckets are found by sorting band keys with numpy instead of a dict per band;
* every candidate pair is verified on the estimated Jaccard similarity before it becomes an edge.
"""

from __future__ import annotations

import itertools
import zlib
from array import array
from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_P = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
    np.uint64(0xD6E8FEB86659FD93),
    np.uint64(0xFF51AFD7ED558CCD),
)
_S32 = np.uint64(32)
_S29 = np.uint64(29)


class Vocabulary(dict[str, int]):
    """word -> stable 32-bit hash (CRC-32), filled on first sight; `fresh` lists words added
    since it was last emptied (worker processes send those to the parent)."""

    def __init__(self) -> None:
        super().__init__()
        self.fresh: list[str] = []

    def __missing__(self, word: str) -> int:
        h = zlib.crc32(word.encode("utf-8"))
        self[word] = h
        self.fresh.append(word)
        return h

    def reverse(self) -> dict[int, str]:
        return {h: w for w, h in self.items()}


class TokenStore:
    """All posts' token hashes in one flat array plus offsets (CSR), appended post by post."""

    def __init__(self) -> None:
        self.tokens = array("I")
        self.offsets = array("q", [0])

    def append(self, hashes: bytes) -> None:
        """One post's token hashes, as the bytes of an array 'I'."""
        self.tokens.frombytes(hashes)
        self.offsets.append(len(self.tokens))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.frombuffer(self.tokens, dtype=np.uint32) if self.tokens else np.zeros(0, np.uint32),
            np.frombuffer(self.offsets, dtype=np.int64),
        )


def shingles(tokens: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique k-word shingle hashes per post for the posts spanned by `offsets` (len = posts + 1).

    Returns (post index relative to offsets[0]'s post, shingle hash) sorted by post then hash.
    """
    base = offsets[0]
    t = tokens[offsets[0] : offsets[-1]]
    n_posts = len(offsets) - 1
    lengths = np.diff(offsets)
    n = len(t) - k + 1
    if n <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint32)
    hv = position_hashes(t, k).astype(np.uint64)
    post = np.repeat(np.arange(n_posts, dtype=np.int64), lengths)[:n]
    pos = np.arange(n, dtype=np.int64) - (offsets[:-1] - base)[post]
    valid = pos <= (lengths[post] - k)
    key = sorted_unique((post[valid].astype(np.uint64) << _S32) | hv[valid])
    return (key >> _S32).astype(np.int64), (key & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique for 1-D integer arrays by sorting (numpy 2's hash-based unique is much slower here)."""
    a = np.sort(a)
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """np.argsort(key, kind="stable") for keys that are mostly distinct, faster: numpy's default
    sort, then index order restored among equal keys."""
    order = np.argsort(key)
    if len(order) < 2:
        return order
    ks = key[order]
    tie = ks[1:] == ks[:-1]
    if tie.any():
        at = np.flatnonzero(np.r_[tie, False] | np.r_[False, tie])  # sorted positions among equal keys
        sub = order[at]
        # equal keys sit together, so ordering these by (key, index) gives the stable order
        order[at] = sub[np.lexsort((sub, ks[at]))]
    return order


def position_hashes(t: np.ndarray, k: int) -> np.ndarray:
    """Hash of the k-word shingle starting at every position of a token-hash array (uint32)."""
    n = len(t) - k + 1
    if n <= 0:
        return np.zeros(0, np.uint32)
    t = t.astype(np.uint64)
    h = t[:n] * _P[0]
    for j in range(1, k):
        h = h + t[j : j + n] * _P[j]
    h ^= h >> _S29
    h *= _P[4]
    return (h >> _S32).astype(np.uint32)


class CountMin:
    """Count-min sketch of shingle document frequencies (overestimates only, never under)."""

    def __init__(self, width_bits: int = 23, depth: int = 3, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.bits = width_bits
        self.table = np.zeros((depth, 1 << width_bits), dtype=np.uint32)
        self.a = rng.integers(1, 2**63, size=depth, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, size=depth, dtype=np.uint64)

    def _index(self, row: int, h: np.ndarray) -> np.ndarray:
        return ((h.astype(np.uint64) * self.a[row] + self.b[row]) >> np.uint64(64 - self.bits)).astype(np.int64)

    def add(self, h: np.ndarray) -> None:
        for r in range(len(self.table)):
            self.table[r] += np.bincount(self._index(r, h), minlength=self.table.shape[1]).astype(np.uint32)

    def query(self, h: np.ndarray) -> np.ndarray:
        out = self.table[0][self._index(0, h)]
        for r in range(1, len(self.table)):
            np.minimum(out, self.table[r][self._index(r, h)], out=out)
        return out


class MinHasher:
    def __init__(self, num_perm: int = 64, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._buf = np.empty(0, dtype=np.uint64)

    def signatures(
        self, post: np.ndarray, h: np.ndarray, n_posts: int, block: int = 16, chunk: int = 1 << 13
    ) -> np.ndarray:
        """MinHash signatures (n_posts x num_perm, uint32) from (post, shingle) pairs sorted by post.

        Posts without shingles get all-0xFFFFFFFF rows. Posts are taken in groups of about `chunk`
        shingles, so that one block of permutations over them stays in the CPU cache.
        """
        sig = np.full((n_posts, self.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        if len(h) == 0:
            return sig
        starts = np.flatnonzero(np.r_[True, post[1:] != post[:-1]])
        owners = post[starts]
        bounds = np.r_[starts, len(h)]  # each post's shingles: h[bounds[i] : bounds[i + 1]]
        cuts = np.unique(np.r_[np.searchsorted(bounds, np.arange(0, len(h), chunk), side="right") - 1, len(starts)])
        x = h.astype(np.uint64)
        for p0, p1 in itertools.pairwise(cuts.tolist()):
            lo_h, hi_h = bounds[p0], bounds[p1]
            m = hi_h - lo_h
            if len(self._buf) < block * m:  # one reused buffer: fresh temporaries cost page faults
                self._buf = np.empty(block * m, dtype=np.uint64)
            xs = x[None, lo_h:hi_h]
            at = starts[p0:p1] - lo_h
            for lo in range(0, self.num_perm, block):
                hi = min(lo + block, self.num_perm)
                # permutations x shingles, so the per-post minimum runs along contiguous memory
                v = self._buf[: (hi - lo) * m].reshape(hi - lo, m)
                np.multiply(self.a[lo:hi, None], xs, out=v)
                v += self.b[lo:hi, None]
                least = np.minimum.reduceat(v, at, axis=1)
                least >>= _S32  # a monotone map: the minimum's top half is the top halves' minimum
                sig[owners[p0:p1], lo:hi] = least.T
        return sig


def optimal_bands(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    """(bands, rows) with bands x rows <= num_perm minimising the weighted false-positive and
    false-negative probabilities of LSH banding at `threshold` (Leskovec, Rajaraman and Ullman,
    *Mining of Massive Datasets*, ch. 3: a pair of similarity s becomes a candidate with probability
    1 - (1 - s^r)^b). The areas are integrated over s below and above the threshold, the same
    computation as datasketch's MinHashLSH, so the same parameters come out."""
    best, chosen = float("inf"), (0, 0)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):

            def candidate(s: float, b: int = bands, r: int = rows) -> float:
                return 1 - (1 - s ** float(r)) ** float(b)

            false_positive, _ = quad(candidate, 0.0, threshold)
            false_negative, _ = quad(lambda s, c=candidate: 1 - c(s), threshold, 1.0)
            error = false_positive * false_positive_weight + false_negative * false_negative_weight
            if error < best:
                best, chosen = error, (bands, rows)
    return chosen


@dataclass(slots=True, frozen=True)
class LSHParams:
    num_perm: int
    bands: int
    rows: int
    threshold: float

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int) -> LSHParams:
        bands, rows = optimal_bands(threshold, num_perm)
        return cls(num_perm, bands, rows, threshold)


def lsh_edges(
    sig: np.ndarray, active: np.ndarray, params: LSHParams, verify: float, max_bucket: int = 5000
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs that share a band, kept when their estimated Jaccard >= `verify`.

    Within a bucket each member is paired with its neighbour and with the bucket's first member,
    which is enough for connected components. Buckets larger than `max_bucket` are skipped: they
    only arise from degenerate signatures.
    """
    idx = np.flatnonzero(active)
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    for b in range(params.bands):
        cols = sig[idx, b * params.rows : (b + 1) * params.rows].astype(np.uint64)
        key = np.full(len(idx), np.uint64((b * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        for c in range(cols.shape[1]):
            key = (key ^ cols[:, c]) * _P[c % 3]
            key ^= key >> _S29
        order = stable_argsort(key)
        ks = key[order]
        same = ks[1:] == ks[:-1]
        if not same.any():
            continue
        # bucket id per sorted position, first position of each bucket
        new = np.r_[True, ~same]
        bucket = np.cumsum(new) - 1
        first = np.flatnonzero(new)
        size = np.diff(np.r_[first, len(ks)])
        ok = size[bucket] <= max_bucket
        pos = np.flatnonzero(same & ok[1:])
        src.append(idx[order[pos]])
        dst.append(idx[order[pos + 1]])
        star = np.flatnonzero((~new) & ok)
        src.append(idx[order[first[bucket[star]]]])
        dst.append(idx[order[star]])
    if not src:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = np.concatenate(src).astype(np.int64), np.concatenate(dst).astype(np.int64)
    pair = sorted_unique(np.minimum(a, b) << 32 | np.maximum(a, b))
    s, d = pair >> 32, pair & 0xFFFFFFFF
    s, d = s[s != d], d[s != d]
    keep = np.zeros(len(s), dtype=bool)
    for lo in range(0, len(s), 200_000):  # bounded temporaries
        sl = slice(lo, lo + 200_000)
        keep[sl] = (sig[s[sl]] == sig[d[sl]]).mean(axis=1) >= verify
    return s[keep], d[keep]
