"""InfoShield-coarse, re-implemented from its published description, as the clustering baseline.

Lee, Vajiac, Kulshrestha, Levy, Park, Jones, Rabbany, Faloutsos, "InfoShield: Generalizable
Information-Theoretic Human-Trafficking Detection", ICDE 2021 (see docs/intel-rules.md):
tf-idf over word 5-grams, each document keeps its top-10 phrases, a bipartite document-phrase
graph, connected components = candidate clusters. Text preparation follows the authors' public
code: digits and HTML removed, non-ASCII characters replaced by spaces, tokens split on
whitespace without lower-casing. Their code uses scikit-learn's TfidfVectorizer with
sublinear tf; the same weighting is computed here with numpy/scipy (tf = 1 + ln count,
idf = ln((1 + n) / (1 + df)) + 1; the row normalisation is left out because it does not change
the order of phrases within a document). Documents left alone are their own cluster.

The procedure is the published one; the implementation is vectorised rather than a per-document
loop over a networkx graph, so Beacon is compared with a fast version of the baseline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .models import Post, RowError

_DIGITS = re.compile(r"\d+")
_NON_ASCII = re.compile(r"[^\x00-\x7F]+")
_TAGS = re.compile(r"<.*?>")


def filter_text(text: str) -> str:
    text = _DIGITS.sub("", text)
    text = _NON_ASCII.sub(" ", text)
    text = _TAGS.sub("", text)
    for junk in ("&nbsp;", "nbsp;", "<b", "<br", "br>"):
        text = text.replace(junk, "")
    return text


def infoshield_coarse(posts: Iterable[Post | RowError], num_phrases: int = 10, ngram: int = 5) -> np.ndarray:
    """Cluster label per post (input order); posts in no multi-post component get their own label."""
    vocab: dict[str, int] = {}
    doc_of: list[np.ndarray] = []
    phrase_of: list[np.ndarray] = []
    n = 0
    for post in posts:
        if not isinstance(post, Post):
            continue
        tokens = filter_text(f"{post.title} {post.body}").split()
        grams = [" ".join(g) for g in zip(*(islice(tokens, i, None) for i in range(ngram)), strict=False)]
        ids = np.fromiter((vocab.setdefault(g, len(vocab)) for g in grams), dtype=np.int64, count=len(grams))
        doc_of.append(np.full(len(ids), n, dtype=np.int64))
        phrase_of.append(ids)
        n += 1
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    docs = np.concatenate(doc_of)
    phrases = np.concatenate(phrase_of)
    del doc_of, phrase_of
    m = len(vocab)
    del vocab
    # term counts per (document, phrase), then sublinear tf x smooth idf
    counts = coo_matrix((np.ones(len(docs), dtype=np.float64), (docs, phrases)), shape=(n, m)).tocsr()
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=m)
    idf = np.log((1 + n) / (1 + df)) + 1
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    rows, cols = [], []
    indptr, indices, data = counts.indptr, counts.indices, counts.data
    for i in range(n):
        lo, hi = indptr[i], indptr[i + 1]
        if hi - lo <= num_phrases:
            top = indices[lo:hi]
        else:
            top = indices[lo:hi][np.argpartition(-data[lo:hi], num_phrases)[:num_phrases]]
        rows.append(np.full(len(top), i, dtype=np.int64))
        cols.append(top.astype(np.int64) + n)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    size = n + m
    graph = coo_matrix((np.ones(len(r), dtype=bool), (r, c)), shape=(size, size)).tocsr()
    _, labels = connected_components(graph, directed=False)
    return labels[:n].astype(np.int64)
