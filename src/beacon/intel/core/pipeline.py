"""analyse(): extract -> flags -> templates -> networks over a stream of posts.

Memory is linear in the number of posts but compact: per post the pipeline keeps its key, its
token hashes (4 bytes a word), flag and contact indices, its date and place; never its text.

Networks. Posts are joined when they belong to the same template cluster or share a contact
identifier (phone, e-mail, handle, image hash). Giant-component guard: an identifier that appears
in more than `max_identifier_clusters` distinct template clusters is treated as shared
infrastructure (a hotline, a job board's line or address) and joins nothing; it is reported in
`AnalysisResult.hubs` for review. A prolific poster who rewrites every ad can look like a hub too,
which is why hubs are listed rather than discarded.

Network score (for ranking review): sum over post-level flags of weight x (1 + ln count), plus
the weight of each network-level flag (a phone shared by many posts; many cities in a short time).
"""

from __future__ import annotations

import math
import multiprocessing
import time
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .extractors import extract_primary, extract_text, merge_post_fields
from .flags import Rules, default_rules, fired_flags, score_flags
from .ingest import raw_rows, read_posts, row_to_post
from .models import Extraction, FlagHit, Place, Post, RowError
from .normalise import fold, normalise_email, normalise_phone, words_of
from .templates import (
    CountMin,
    LSHParams,
    MinHasher,
    TokenStore,
    Vocabulary,
    lsh_edges,
    position_hashes,
    shingles,
    sorted_unique,
)


@dataclass(slots=True)
class AnalysisConfig:
    shingle_size: int = 3  # words per shingle (1-4)
    num_perm: int = 64  # MinHash permutations
    threshold: float = 0.5  # Jaccard similarity at which two posts count as one template
    verify_threshold: float | None = None  # estimated Jaccard a candidate pair needs; default = threshold
    # boilerplate guard: a shingle written by more than this many distinct posters is dropped
    # before MinHash (a poster is a post's rarest contact identifier, or the post itself)
    max_shingle_posters: int = 50
    min_shingles: int = 5  # posts with fewer shingles left take no part in LSH (they stay alone)
    max_identifier_clusters: int = 25  # identifiers touching more template clusters do not join posts
    batch_posts: int = 8192
    seed: int = 1
    rules: Rules | None = None
    keep_details: bool = False  # keep each post's Extraction and FlagHits (small corpora, tests)
    workers: int = 1  # >1: extraction and flags run in that many forked processes
    summarise_templates: bool = True
    # IANA time zone in which a post's day is counted (first and last seen, movement); None: the
    # day as written in posted_at. The app passes its own zone so dates match what its pages show.
    timezone: str | None = None


@dataclass(slots=True)
class TemplateCluster:
    id: int
    size: int
    post_keys: list[tuple[str, str]]
    snippet: str  # the representative member's words covered by shingles common to most members
    common_shingles: int


@dataclass(slots=True)
class PlaceVisit:
    city: str
    state: str
    county_fips: str | None
    county: str | None
    first: str
    last: str
    posts: int


@dataclass(slots=True)
class NetworkFlag:
    flag_id: str
    weight: float
    evidence: str


@dataclass(slots=True)
class Network:
    id: int
    rank: int
    score: float
    post_keys: list[tuple[str, str]]
    identifiers: list[str]  # contact points joining the network (hubs excluded)
    phones: list[str]
    emails: list[str]
    handles: list[str]
    movement: list[PlaceVisit]  # places in time order, consecutive posts from one place merged
    cities: list[str]
    counties: list[str]
    first_seen: str | None
    last_seen: str | None
    span_days: int
    flag_counts: dict[str, int]
    network_flags: list[NetworkFlag]
    templates: list[int]

    @property
    def size(self) -> int:
        return len(self.post_keys)


@dataclass(slots=True)
class Hub:
    identifier: str
    posts: int
    clusters: int


@dataclass(slots=True)
class AnalysisResult:
    keys: list[tuple[str, str]]
    template_labels: np.ndarray  # per post, input order; singletons have their own label
    network_labels: np.ndarray
    templates: list[TemplateCluster]  # clusters of two or more posts, largest first
    networks: list[Network]  # networks of two or more posts, ranked by score
    hubs: list[Hub]
    flag_names: list[str]
    flag_index: np.ndarray  # CSR of post-level flag indices into flag_names
    flag_offsets: np.ndarray
    errors: list[RowError] = field(default_factory=list)
    details: list[tuple[Extraction, list[FlagHit]]] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)
    _by_identifier: dict[str, list[int]] | None = None

    def post_flags(self, i: int) -> list[str]:
        return [self.flag_names[f] for f in self.flag_index[self.flag_offsets[i] : self.flag_offsets[i + 1]]]

    def networks_for(self, identifiers: Iterable[str]) -> list[Network]:
        """Networks holding any of these typed identifiers ("phone:+1312...", "email:a@b.c")."""
        if self._by_identifier is None:
            self._by_identifier = {}
            for pos, net in enumerate(self.networks):
                for ident in net.identifiers:
                    self._by_identifier.setdefault(ident, []).append(pos)
        hits = sorted({p for i in identifiers for p in self._by_identifier.get(i, [])})
        return [self.networks[p] for p in hits]


def networks_containing(
    result: AnalysisResult, phones: Iterable[str] = (), emails: Iterable[str] = ()
) -> list[Network]:
    """Linking helper: the networks that contain any of these phones or e-mails (raw or normalised)."""
    idents = [f"phone:{p}" for p in filter(None, map(normalise_phone, phones))]
    idents += [f"email:{e}" for e in filter(None, map(normalise_email, emails))]
    return result.networks_for(idents)


# ------------------------------------------------------------------------------------------ phase 1
# One post's compact record: source, id, posted_at as given, place, identifiers, flag indices,
# token hashes (the bytes of an array 'I': bytes pickle far faster than arrays between processes).
PlaceKey = tuple[str, str, str | None, str | None]  # city, state, county FIPS, county
Record = tuple[str, str, str, PlaceKey | None, tuple[str, ...], tuple[int, ...], bytes]


def process_post(
    post: Post,
    rules: Rules,
    vocab: Vocabulary,
    flag_pos: dict[str, int],
    details: list[tuple[Extraction, list[FlagHit]]] | None = None,
) -> Record:
    """Extract, flag and tokenise one post into the compact record the analysis keeps."""
    text = post.text
    low = fold(text)
    words = words_of(low)
    wordset = set(words)
    if details is None:  # only what the record needs: the primary place, which flags fire
        ex = extract_primary(post, text, low, wordset)
        fired = [rules.flags[fi].id for fi in fired_flags(text, ex, rules=rules, low=low, words=wordset)]
    else:
        ex = extract_text(text, low, wordset=wordset)
        if post.location or post.contacts:
            merge_post_fields(post, ex)
        hits = score_flags(text, ex, rules=rules, low=low, words=wordset)
        details.append((ex, hits))
        fired = [h.flag_id for h in hits]
    # shingles leave out the words of contact points: they rotate within a template
    spans = [e.span for e in ex.emails if e.span] if ex.emails else []
    if ex.handles:
        spans += [h.span for h in ex.handles if h.span]
    for p in ex.phones:
        if p.obfuscations and p.span and ("word" in p.obfuscations or "letter" in p.obfuscations):
            spans.append(p.span)
    if spans:
        parts, prev = [], 0
        for s, e in sorted(spans):
            if s >= prev:
                parts.append(low[prev:s])
                prev = e
        parts.append(low[prev:])
        words = words_of(" ".join(parts))
    idents = tuple(ex.identifiers()) if (ex.phones or ex.emails or ex.handles) else ()
    pl = ex.place
    place = (pl.city, pl.state, pl.county_fips, pl.county) if pl is not None else None
    return (
        post.source,
        post.id,
        post.posted_at,
        place,
        idents,
        tuple([flag_pos[f] for f in fired]),
        array("I", map(vocab.__getitem__, words)).tobytes(),
    )


class _Collector:
    """Compact per-post state gathered while the stream is read."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self.zone = zone
        self.sources: dict[str, int] = {}
        self.source_names: list[str] = []
        self.source_idx = array("H")
        self.ids: list[str] = []
        self.dates = array("i")
        self.date_cache: dict[str, int] = {}
        self.places: dict[PlaceKey, int] = {}
        self.place_list: list[Place] = []
        self.place_idx = array("i")
        self.idents: dict[str, int] = {}
        self.ident_names: list[str] = []
        self.ident_flat = array("i")
        self.ident_off = array("q", [0])
        self.flag_flat = array("H")
        self.flag_off = array("q", [0])
        self.vocab = Vocabulary()
        self.store = TokenStore()

    def day_of(self, posted: str) -> int:
        """The date ordinal of a post's day (in the configured zone when the time has an offset), or -1."""
        if not posted:
            return -1
        if self.zone is None or len(posted) <= 10:  # the day as written
            d = self.date_cache.get(posted[:10])
            if d is None:
                try:
                    d = date.fromisoformat(posted[:10]).toordinal()
                except ValueError:
                    d = -1
                self.date_cache[posted[:10]] = d
            return d
        try:
            moment = datetime.fromisoformat(posted)
        except ValueError:
            return -1
        if moment.tzinfo is not None:
            moment = moment.astimezone(self.zone)
        return moment.toordinal()

    def absorb(self, rec: Record) -> None:
        source, pid, posted, place, idents, flags, tokens = rec
        si = self.sources.get(source)
        if si is None:
            si = self.sources[source] = len(self.source_names)
            self.source_names.append(source)
        self.source_idx.append(si)
        self.ids.append(pid)
        self.dates.append(self.day_of(posted))
        if place is None:
            self.place_idx.append(-1)
        else:
            pi = self.places.get(place)
            if pi is None:
                pi = self.places[place] = len(self.place_list)
                self.place_list.append(Place(*place, raw="", span=None))
            self.place_idx.append(pi)
        for ident in idents:
            ii = self.idents.get(ident)
            if ii is None:
                ii = self.idents[ident] = len(self.ident_names)
                self.ident_names.append(ident)
            self.ident_flat.append(ii)
        self.ident_off.append(len(self.ident_flat))
        if flags:
            self.flag_flat.extend(flags)
        self.flag_off.append(len(self.flag_flat))
        self.store.append(tokens)


# state a forked worker inherits from the parent
_WORKER: dict[str, Any] = {}
RawRow = tuple[int, "str | dict[str, Any] | None", str]


def _work(batch: list[RawRow | Post]) -> tuple[list[tuple[int, Record] | RowError], dict[str, int]]:
    """Parse (raw rows), extract, flag and tokenise a batch of posts in a worker process."""
    rules, flag_pos = _WORKER["rules"], _WORKER["flag_pos"]
    vocab: Vocabulary = _WORKER.setdefault("vocab", Vocabulary())
    out: list[tuple[int, Record] | RowError] = []
    for row in batch:
        item = row if isinstance(row, Post) else row_to_post(*row)
        out.append((item.line, process_post(item, rules, vocab, flag_pos)) if isinstance(item, Post) else item)
    new = {w: vocab[w] for w in vocab.fresh}
    vocab.fresh.clear()
    return out, new


def _ordered(pool: Any, batches: Iterable[list], inflight: int) -> Iterator[tuple[list, dict[str, int]]]:
    """Pool.imap with at most `inflight` batches outstanding (imap reads its whole input ahead,
    which would hold the file in memory when the workers fall behind)."""
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(pool.apply_async(_work, (batch,)))
        if len(pending) >= inflight:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _chunks(rows: Iterable[RawRow | Post | RowError], size: int, errors: list[RowError]) -> Iterator[list]:
    """Batches for the workers; RowErrors already in the stream go straight to `errors`."""
    batch: list[RawRow | Post] = []
    for row in rows:
        if isinstance(row, RowError):
            errors.append(row)
            continue
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _collect(
    posts: Iterable[Post | RowError] | str | Path,
    rules: Rules,
    cfg: AnalysisConfig,
    col: _Collector,
    errors: list[RowError],
    details: list | None,
) -> None:
    flag_pos = {f.id: i for i, f in enumerate(rules.flags)}
    if cfg.workers <= 1 or details is not None:
        for item in read_posts(posts) if isinstance(posts, str | Path) else posts:
            if isinstance(item, RowError):
                errors.append(item)
            else:
                col.absorb(process_post(item, rules, col.vocab, flag_pos, details))
        return
    # several workers: given a file, the parent only reads lines and the workers parse them too;
    # repeated (source, id) keys are dropped here, in input order, as read_posts would
    _WORKER.update(rules=rules, flag_pos=flag_pos)
    seen: set[int] = set()
    source = raw_rows(posts) if isinstance(posts, str | Path) else posts
    ctx = multiprocessing.get_context("fork")  # workers inherit the compiled rules
    try:
        with ctx.Pool(cfg.workers) as pool:
            for items, new_words in _ordered(pool, _chunks(source, 1000, errors), 4 * cfg.workers):
                col.vocab.update(new_words)
                for item in items:
                    if isinstance(item, RowError):
                        errors.append(item)
                        continue
                    line, rec = item
                    key = hash((rec[0], rec[1]))
                    if key in seen:
                        errors.append(
                            RowError(line, f"duplicate post {rec[0]}/{rec[1]} (already read earlier in this file)")
                        )
                        continue
                    seen.add(key)
                    col.absorb(rec)
    finally:
        _WORKER.clear()


# ------------------------------------------------------------------------------------------ analyse
def analyse(posts: Iterable[Post | RowError] | str | Path, config: AnalysisConfig | None = None) -> AnalysisResult:
    """Run the whole pipeline over a stream of posts (RowErrors in the stream are collected).

    `posts` may also be the path of a CSV or JSON Lines file; with `config.workers` > 1 the file
    is then parsed in the worker processes too.
    """
    cfg = config or AnalysisConfig()
    if not 1 <= cfg.shingle_size <= 4:
        raise ValueError("shingle_size must be between 1 and 4")
    rules = cfg.rules or default_rules()
    t0 = time.perf_counter()
    col = _Collector(ZoneInfo(cfg.timezone) if cfg.timezone else None)
    errors: list[RowError] = []
    details: list[tuple[Extraction, list[FlagHit]]] | None = [] if cfg.keep_details else None
    k = cfg.shingle_size
    _collect(posts, rules, cfg, col, errors, details)
    n = len(col.store)
    t1 = time.perf_counter()

    tokens, offsets = col.store.arrays()
    ident_flat = np.frombuffer(col.ident_flat, dtype=np.int32) if col.ident_flat else np.zeros(0, np.int32)
    ident_off = np.frombuffer(col.ident_off, dtype=np.int64)
    n_ident = len(col.ident_names)
    ident_posts = np.bincount(ident_flat, minlength=n_ident)
    posters = _posters(ident_flat, ident_off, ident_posts, n)
    cms = _poster_counts(tokens, offsets, posters, k, cfg.batch_posts, cfg.seed)
    cap = cfg.max_shingle_posters
    hasher = MinHasher(cfg.num_perm, cfg.seed)
    sig = np.full((n, cfg.num_perm), 0xFFFFFFFF, dtype=np.uint32)
    active = np.zeros(n, dtype=bool)
    for lo in range(0, n, cfg.batch_posts):
        hi = min(n, lo + cfg.batch_posts)
        post, h = shingles(tokens, offsets[lo : hi + 1], k)
        keep = cms.query(h) <= cap
        post, h = post[keep], h[keep]
        counts = np.bincount(post, minlength=hi - lo)
        active[lo:hi] = counts >= cfg.min_shingles
        sig[lo:hi] = hasher.signatures(post, h, hi - lo)
    params = LSHParams.for_threshold(cfg.threshold, cfg.num_perm)
    verify = cfg.verify_threshold if cfg.verify_threshold is not None else cfg.threshold
    src, dst = lsh_edges(sig, active, params, verify)
    del sig
    t2 = time.perf_counter()
    _, template_labels = connected_components(
        coo_matrix((np.ones(len(src), np.int8), (src, dst)), shape=(n, n)).tocsr(), directed=False
    )
    # networks: template edges + identifier edges (hubs excluded)
    ident_post = np.repeat(np.arange(n, dtype=np.int64), np.diff(ident_off))
    pair = sorted_unique(ident_flat.astype(np.int64) << 32 | template_labels[ident_post].astype(np.int64))
    ident_clusters = np.bincount((pair >> 32).astype(np.int64), minlength=n_ident)
    hub = ident_clusters > cfg.max_identifier_clusters
    use = ~hub[ident_flat]
    rows = np.concatenate([src, ident_post[use]])
    cols = np.concatenate([dst, n + ident_flat[use].astype(np.int64)])
    graph = coo_matrix((np.ones(len(rows), np.int8), (rows, cols)), shape=(n + n_ident, n + n_ident)).tocsr()
    _, comp = connected_components(graph, directed=False)
    network_labels = comp[:n]
    t3 = time.perf_counter()

    keys = [(col.source_names[s], i) for s, i in zip(col.source_idx, col.ids, strict=True)]
    flag_index = np.frombuffer(col.flag_flat, dtype=np.uint16) if col.flag_flat else np.zeros(0, np.uint16)
    flag_offsets = np.frombuffer(col.flag_off, dtype=np.int64)
    hubs = [Hub(col.ident_names[i], int(ident_posts[i]), int(ident_clusters[i])) for i in np.flatnonzero(hub)]
    hubs.sort(key=lambda h: -h.clusters)
    result = AnalysisResult(
        keys=keys,
        template_labels=template_labels,
        network_labels=network_labels,
        templates=[],
        networks=[],
        hubs=hubs,
        flag_names=[f.id for f in rules.flags],
        flag_index=flag_index,
        flag_offsets=flag_offsets,
        errors=errors,
        details=details or [],
    )
    if cfg.summarise_templates:
        result.templates = _summarise_templates(template_labels, tokens, offsets, col.vocab, cms, cap, k, keys)
    result.networks = _summarise_networks(result, col, rules, ident_flat, ident_off, hub, ident_posts)
    t4 = time.perf_counter()
    result.stats = {
        "posts": n,
        "errors": len(errors),
        "extract_flags_s": t1 - t0,
        "minhash_lsh_s": t2 - t1,
        "components_s": t3 - t2,
        "summaries_s": t4 - t3,
        "total_s": t4 - t0,
        "max_shingle_posters": cap,
        "lsh_bands": params.bands,
        "lsh_rows": params.rows,
        "template_edges": len(src),
        "hubs": len(hubs),
        "identifiers": n_ident,
    }
    return result


def _posters(ident_flat: np.ndarray, ident_off: np.ndarray, ident_posts: np.ndarray, n: int) -> np.ndarray:
    """Each post's poster: its least-used identifier (a shared hotline never wins over the
    poster's own number), or for posts without contacts the post itself (ids after identifiers)."""
    posters = np.arange(n, dtype=np.int64) + len(ident_posts)
    has = np.diff(ident_off) > 0
    if has.any():
        rank = ident_posts[ident_flat].astype(np.int64) << 32 | ident_flat.astype(np.int64)
        best = np.minimum.reduceat(rank, ident_off[:-1][has])
        posters[has] = best & 0xFFFFFFFF
    return posters


def _poster_counts(
    tokens: np.ndarray, offsets: np.ndarray, posters: np.ndarray, k: int, batch: int, seed: int
) -> CountMin:
    """Count-min sketch of how many distinct posters wrote each shingle.

    Distinct (shingle, poster) pairs are found exactly by sorting their 64-bit keys; only the
    per-shingle counts are approximate (over-estimates only).
    """
    n = len(posters)
    parts = []
    for lo in range(0, n, batch):
        hi = min(n, lo + batch)
        post, h = shingles(tokens, offsets[lo : hi + 1], k)
        parts.append(sorted_unique(h.astype(np.uint64) << np.uint64(32) | posters[lo + post].astype(np.uint64)))
    keys = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
    del parts
    keys.sort()
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    # about two counters per distinct pair keeps over-counting small; bounded at 2^24 (3 x 64 MB)
    bits = int(min(24, max(16, math.ceil(math.log2(max(2, int(first.sum())))) + 1)))
    cms = CountMin(width_bits=bits, seed=seed)
    step = 8_000_000
    for lo in range(0, len(keys), step):
        sl = slice(lo, lo + step)
        cms.add((keys[sl][first[sl]] >> np.uint64(32)).astype(np.uint32))
    return cms


# ------------------------------------------------------------------------------------------ summaries
def _groups(labels: np.ndarray, min_size: int = 2) -> Iterator[np.ndarray]:
    """Member indices of every label with at least `min_size` members, largest first."""
    order = np.argsort(labels, kind="stable")
    sl = labels[order]
    starts = np.flatnonzero(np.r_[True, sl[1:] != sl[:-1]])
    sizes = np.diff(np.r_[starts, len(sl)])
    for g in np.argsort(-sizes, kind="stable"):
        if sizes[g] < min_size:
            break
        yield order[starts[g] : starts[g] + sizes[g]]


def _summarise_templates(
    labels: np.ndarray,
    tokens: np.ndarray,
    offsets: np.ndarray,
    vocab: Vocabulary,
    cms: CountMin,
    cap: int,
    k: int,
    keys: list[tuple[str, str]],
    max_members: int = 50,
    snippet_words: int = 60,
    batch_posts: int = 8192,
) -> list[TemplateCluster]:
    """Clusters of two or more posts with a representative snippet: the words of the member that
    holds most of the shingles shared by at least half the (sampled) members.

    Clusters are summarised a batch at a time (about `batch_posts` sampled members), with numpy
    over the whole batch rather than a round of small numpy calls per cluster.
    """
    reverse = vocab.reverse()
    out: list[TemplateCluster] = []
    batch: list[np.ndarray] = []
    sampled = 0
    for members in _groups(labels):
        batch.append(members)
        sampled += min(len(members), max_members)
        if sampled >= batch_posts:
            out += _summarise_batch(
                batch, labels, tokens, offsets, reverse, cms, cap, k, keys, max_members, snippet_words
            )
            batch, sampled = [], 0
    if batch:
        out += _summarise_batch(batch, labels, tokens, offsets, reverse, cms, cap, k, keys, max_members, snippet_words)
    return out


def _gather(values: np.ndarray, offsets: np.ndarray, posts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of `posts` in a CSR structure (`values`, `offsets`), one post after another,
    and their own offsets."""
    lengths = offsets[posts + 1] - offsets[posts]
    off = np.zeros(len(posts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=off[1:])
    return values[np.repeat(offsets[posts] - off[:-1], lengths) + np.arange(off[-1])], off


def _summarise_batch(
    groups: list[np.ndarray],
    labels: np.ndarray,
    tokens: np.ndarray,
    offsets: np.ndarray,
    reverse: dict[int, str],
    cms: CountMin,
    cap: int,
    k: int,
    keys: list[tuple[str, str]],
    max_members: int,
    snippet_words: int,
) -> list[TemplateCluster]:
    # members come from _groups in index order, so the first max_members are the sorted sample
    samples = [g[:max_members] for g in groups]
    n_sample = np.array([len(x) for x in samples], dtype=np.int64)
    first = np.zeros(len(groups), dtype=np.int64)  # each cluster's first position among the sampled posts
    np.cumsum(n_sample[:-1], out=first[1:])
    sample = np.concatenate(samples)
    cluster = np.repeat(np.arange(len(groups), dtype=np.int64), n_sample)
    t, off = _gather(tokens, offsets, sample)
    post, h = shingles(t, off, k)  # distinct shingles of each sampled post
    # (cluster, shingle) pairs: how many sampled members hold each shingle; common ones are held
    # by at least half the members and are not boilerplate
    pair, inverse, held = np.unique(
        cluster[post].astype(np.uint64) << np.uint64(32) | h, return_inverse=True, return_counts=True
    )
    pair_cluster = (pair >> np.uint64(32)).astype(np.int64)
    common = (held * 2 >= n_sample[pair_cluster]) & (cms.query((pair & np.uint64(0xFFFFFFFF)).astype(np.uint32)) <= cap)
    n_common = np.bincount(pair_cluster[common], minlength=len(groups))
    cover = np.bincount(post[common[inverse.reshape(-1)]], minlength=len(sample))
    # the member holding most common shingles (the first such in the sample)
    top = np.maximum.reduceat(cover, first)
    best = np.minimum.reduceat(np.where(cover == top[cluster], np.arange(len(sample)), len(sample)), first)
    # which of each best member's words are covered by its cluster's common shingles
    tb, offb = _gather(tokens, offsets, sample[best])
    starts = np.zeros(0, dtype=np.int64)
    if len(tb) >= k:
        owner = np.repeat(np.arange(len(groups), dtype=np.int64), np.diff(offb))[: len(tb) - k + 1]
        at = np.arange(len(tb) - k + 1, dtype=np.int64)
        valid = at <= offb[owner + 1] - k  # shingles that stay inside one post
        wanted = owner[valid].astype(np.uint64) << np.uint64(32) | position_hashes(tb, k)[valid]
        common_pairs = pair[common]  # sorted, as `pair` is
        found = np.searchsorted(common_pairs, wanted)
        hit = found < len(common_pairs)
        hit[hit] = common_pairs[found[hit]] == wanted[hit]
        starts = at[valid][hit]
    covered = np.zeros(len(tb), dtype=bool)
    for j in range(k):
        covered[starts + j] = True
    positions = np.flatnonzero(covered)
    bounds = np.searchsorted(positions, offb).tolist()
    positions_l, tb_l = positions.tolist(), tb.tolist()
    out = []
    for g, members in enumerate(groups):
        words: list[str] = []
        prev = -2
        for pos in positions_l[bounds[g] : min(bounds[g + 1], bounds[g] + snippet_words)]:
            if pos != prev + 1 and words:
                words.append("…")
            words.append(reverse.get(tb_l[pos], "?"))
            prev = pos
        ids = members.tolist()
        out.append(
            TemplateCluster(int(labels[ids[0]]), len(ids), [keys[i] for i in ids], " ".join(words), int(n_common[g]))
        )
    return out


def _summarise_networks(
    result: AnalysisResult,
    col: _Collector,
    rules: Rules,
    ident_flat: np.ndarray,
    ident_off: np.ndarray,
    hub: np.ndarray,
    ident_posts: np.ndarray,
) -> list[Network]:
    flags = rules.flags
    weight = {f.id: f.weight for f in flags}
    net_flags = {s: f for f in flags if f.level == "network" for s in f.signals}
    shared = net_flags.get("shared_phone")
    many = net_flags.get("many_cities")
    min_posts = int(shared.params.get("min_posts", 5)) if shared else 0
    min_cities = int(many.params.get("min_cities", 3)) if many else 0
    max_days = int(many.params.get("max_days", 30)) if many else 0
    dates = np.frombuffer(col.dates, dtype=np.int32)
    places = np.frombuffer(col.place_idx, dtype=np.int32)
    days: dict[int, str] = {}  # date ordinal -> ISO date
    flag_id = [f.id for f in flags]
    is_hub = hub.tolist()
    networks: list[Network] = []
    for members in _groups(result.network_labels):  # members in index order
        # flag counts, in the order the flags first appear (members in index order)
        counts = Counter(map(flag_id.__getitem__, _gather(result.flag_index, result.flag_offsets, members)[0].tolist()))
        ident_ids = [i for i in sorted(set(_gather(ident_flat, ident_off, members)[0].tolist())) if not is_hub[i]]
        names = [col.ident_names[i] for i in ident_ids]
        # movement: places in date order
        d, p = dates[members], places[members]
        order = np.lexsort((members, d))
        d_seq, p_seq = d[order].tolist(), p[order].tolist()
        visits: list[PlaceVisit] = []
        for dj, pj in zip(d_seq, p_seq, strict=True):
            if pj < 0:
                continue
            pl = col.place_list[pj]
            day = _iso_day(dj, days) if dj > 0 else ""
            if visits and visits[-1].city == pl.city and visits[-1].state == pl.state:
                visits[-1].last = day or visits[-1].last
                visits[-1].posts += 1
            else:
                visits.append(PlaceVisit(pl.city, pl.state, pl.county_fips, pl.county, day, day, 1))
        valid_d = d[d > 0]
        first = _iso_day(int(valid_d.min()), days) if len(valid_d) else None
        last = _iso_day(int(valid_d.max()), days) if len(valid_d) else None
        span = int(valid_d.max() - valid_d.min()) if len(valid_d) else 0
        nflags: list[NetworkFlag] = []
        if shared:
            for i in ident_ids:
                if col.ident_names[i].startswith("phone:") and ident_posts[i] >= min_posts:
                    nflags.append(
                        NetworkFlag(shared.id, shared.weight, f"{col.ident_names[i]} in {ident_posts[i]} posts")
                    )
        if many:
            ev = _many_cities(d_seq, p_seq, min_cities, max_days, col.place_list)
            if ev:
                nflags.append(NetworkFlag(many.id, many.weight, ev))
        score = sum(weight[f] * (1 + math.log(c)) for f, c in counts.items())
        score += sum(f.weight for f in {nf.flag_id: nf for nf in nflags}.values())
        member_ids = members.tolist()
        networks.append(
            Network(
                id=int(result.network_labels[member_ids[0]]),
                rank=0,
                score=round(score, 3),
                post_keys=[result.keys[m] for m in member_ids],
                identifiers=names,
                phones=[x[6:] for x in names if x.startswith("phone:")],
                emails=[x[6:] for x in names if x.startswith("email:")],
                handles=[x[7:] for x in names if x.startswith("handle:")],
                movement=visits,
                cities=sorted({f"{v.city}, {v.state}" for v in visits}),
                counties=sorted({v.county for v in visits if v.county}),
                first_seen=first,
                last_seen=last,
                span_days=span,
                flag_counts=dict(counts.most_common()),
                network_flags=nflags,
                templates=sorted(set(result.template_labels[members].tolist())),
            )
        )
    networks.sort(key=lambda n: (-n.score, -n.size, n.id))
    for rank, net in enumerate(networks, start=1):
        net.rank = rank
    return networks


def _iso_day(ordinal: int, days: dict[int, str]) -> str:
    day = days.get(ordinal)
    if day is None:
        day = days[ordinal] = date.fromordinal(ordinal).isoformat()
    return day


def _many_cities(d: Iterable[int], p: Iterable[int], min_cities: int, max_days: int, place_list: list[Place]) -> str:
    """Evidence when `min_cities` distinct cities appear within `max_days` days, else ""."""
    seq = [(x, y) for x, y in zip(d, p, strict=True) if x > 0 and y >= 0]
    lo = 0
    window: Counter[int] = Counter()
    for hi in range(len(seq)):
        window[seq[hi][1]] += 1
        while seq[hi][0] - seq[lo][0] > max_days:
            window[seq[lo][1]] -= 1
            if not window[seq[lo][1]]:
                del window[seq[lo][1]]
            lo += 1
        if len(window) >= min_cities:
            cities = ", ".join(place_list[c].label for c in window)
            return f"{len(window)} cities within {seq[hi][0] - seq[lo][0]} days: {cities}"
    return ""
