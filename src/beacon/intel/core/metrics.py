"""Clustering and flag metrics computed from contingency counts (linear in the number of posts)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(slots=True, frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    ari: float


@dataclass(slots=True, frozen=True)
class FlagScore:
    flag: str
    precision: float
    recall: float
    support: int  # posts generated with the flag
    predicted: int  # posts the rules flagged


def factorize(labels: Iterable[Hashable]) -> np.ndarray:
    """Consecutive integer codes for arbitrary hashable labels; None becomes a singleton each time."""
    codes: dict[Hashable, int] = {}
    out = []
    for lab in labels:
        if lab is None:
            out.append(len(codes))
            codes[object()] = len(codes)
            continue
        c = codes.get(lab)
        if c is None:
            c = codes[lab] = len(codes)
        out.append(c)
    return np.asarray(out, dtype=np.int64)


def _comb2(x: np.ndarray) -> int:
    x = x.astype(np.int64)
    return int((x * (x - 1) // 2).sum())


def pair_scores(truth: Sequence[Hashable] | np.ndarray, pred: Sequence[Hashable] | np.ndarray) -> PairScores:
    """Pairwise precision/recall/F1 (pairs of posts put together) and the adjusted Rand index.

    Labels may be any hashables; `None` in either labelling means "a cluster of its own".
    """
    t = truth if isinstance(truth, np.ndarray) and truth.dtype.kind in "iu" else factorize(truth)
    p = pred if isinstance(pred, np.ndarray) and pred.dtype.kind in "iu" else factorize(pred)
    if len(t) != len(p):
        raise ValueError("labelings differ in length")
    n = len(t)
    if n < 2:
        return PairScores(1.0, 1.0, 1.0, 1.0)
    t = np.unique(t, return_inverse=True)[1]
    p = np.unique(p, return_inverse=True)[1]
    joint = np.unique(t.astype(np.int64) * (int(p.max()) + 1) + p, return_counts=True)[1]
    same_both = _comb2(joint)
    same_truth = _comb2(np.bincount(t))
    same_pred = _comb2(np.bincount(p))
    precision = same_both / same_pred if same_pred else 1.0
    recall = same_both / same_truth if same_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = n * (n - 1) // 2
    expected = same_truth * same_pred / total
    maximum = (same_truth + same_pred) / 2
    ari = 1.0 if maximum == expected else (same_both - expected) / (maximum - expected)
    return PairScores(precision, recall, f1, ari)


def adjusted_rand_index(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    return pair_scores(truth, pred).ari


def flag_scores(
    truth: Iterable[Iterable[str]], pred: Iterable[Iterable[str]], flags: Iterable[str] | None = None
) -> list[FlagScore]:
    """Per-flag precision and recall over posts (a post counts once per flag)."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for t_flags, p_flags in zip(truth, pred, strict=True):
        ts, ps = set(t_flags), set(p_flags)
        for f in ts & ps:
            tp[f] = tp.get(f, 0) + 1
        for f in ps - ts:
            fp[f] = fp.get(f, 0) + 1
        for f in ts - ps:
            fn[f] = fn.get(f, 0) + 1
    names = sorted(set(flags) if flags is not None else set(tp) | set(fp) | set(fn))
    out = []
    for f in names:
        a, b, c = tp.get(f, 0), fp.get(f, 0), fn.get(f, 0)
        out.append(FlagScore(f, a / (a + b) if a + b else 1.0, a / (a + c) if a + c else 1.0, a + c, a + b))
    return out
