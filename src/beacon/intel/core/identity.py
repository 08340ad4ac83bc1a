"""Stable network identity across analyses: which new network carries which old network's id.

A network keeps its id while most of its posts stay together: an old network whose best-matching
new network holds more than half of its posts "stays" in it. A new network holding several
networks that stay takes the id of the one it shares most posts with; the others are merged into
it. An old network that stays nowhere (split into parts none of which holds most of it) retires
its id, which then points at the part holding most of its posts. New networks that inherit
nothing get fresh ids; one made mostly of an old network's posts is recorded as split from it.
Everything here is decided by post overlap alone, so the same two analyses always give the same
answer (ties broken by size, then id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Lineage:
    """The outcome for one analysis: `ids[i]` is the old id new network i keeps (None: a fresh id),
    `merged` (old id, new index) the old networks merged into a new one, `split` (old id, new
    index) old networks whose id retired and now points at the part holding most of their posts,
    `split_from` (new index, old id) fresh networks made mostly of one old network's posts, and
    `gone` old ids whose posts are in no network any more."""

    ids: list[str | None]
    merged: list[tuple[str, int]] = field(default_factory=list)
    split: list[tuple[str, int]] = field(default_factory=list)
    split_from: list[tuple[int, str]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)


def carry_ids(old: dict[str, set[int]], new: Sequence[Iterable[int]]) -> Lineage:
    """`old`: public id -> post ids of the previous analysis; `new`: post ids of each new network."""
    owner: dict[int, str] = {}
    for oid, posts in old.items():
        for p in posts:
            owner[p] = oid
    overlaps: list[Counter[str]] = []
    for posts in new:
        overlaps.append(Counter(owner[p] for p in posts if p in owner))
    # each old network's best new network (largest overlap; ties: the larger, then the earlier network)
    sizes = [sum(1 for _ in posts) for posts in new]
    best: dict[str, tuple[int, int]] = {}  # old id -> (new index, overlap)
    for i, counts in enumerate(overlaps):
        for oid, n in counts.items():
            held = best.get(oid)
            if held is None or (n, sizes[i], -i) > (held[1], sizes[held[0]], -held[0]):
                best[oid] = (i, n)
    stays: dict[int, list[str]] = {}
    for oid, (i, n) in best.items():
        if 2 * n > len(old[oid]):
            stays.setdefault(i, []).append(oid)
    ids: list[str | None] = [None] * len(overlaps)
    lineage = Lineage(ids)
    for i, candidates in stays.items():
        candidates.sort(key=lambda oid: (-overlaps[i][oid], -len(old[oid]), oid))
        ids[i] = candidates[0]
        lineage.merged += [(oid, i) for oid in candidates[1:]]
    kept = {oid for oid in ids if oid}
    merged = {oid for oid, _ in lineage.merged}
    for oid in sorted(old):
        if oid in kept or oid in merged:
            continue
        if oid in best:
            lineage.split.append((oid, best[oid][0]))
        else:
            lineage.gone.append(oid)
    for i, counts in enumerate(overlaps):
        if ids[i] is None and counts:
            oid, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if 2 * n > sizes[i]:
                lineage.split_from.append((i, oid))
    return lineage
