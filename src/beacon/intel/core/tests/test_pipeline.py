import itertools
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from beacon.intel.core import (
    AnalysisConfig,
    Post,
    analyse,
    generate_corpus,
    infoshield_coarse,
    networks_containing,
    pair_scores,
    pipeline,
    read_posts,
    read_truth,
)
from beacon.intel.core.generator import CorpusGenerator, random_phone
from beacon.intel.core.templates import MinHasher, shingles, stable_argsort


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    path = tmp_path_factory.mktemp("corpus") / "posts.jsonl"
    info = generate_corpus(2000, 11, path)
    return path, list(read_truth(info.truth_path))


@pytest.fixture(scope="module")
def result(corpus: tuple[Path, list[dict]]):  # type: ignore[no-untyped-def]
    return analyse(read_posts(corpus[0]), AnalysisConfig())


def test_organisations_are_recovered(corpus: tuple[Path, list[dict]], result) -> None:  # type: ignore[no-untyped-def]
    truth = [t["org"] for t in corpus[1]]
    scores = pair_scores(truth, result.network_labels)
    assert scores.ari >= 0.9
    assert scores.precision >= 0.95 and scores.recall >= 0.9
    baseline = pair_scores(truth, infoshield_coarse(read_posts(corpus[0])))
    assert baseline.ari < scores.ari


def test_boilerplate_does_not_fuse_organic_posters(corpus: tuple[Path, list[dict]], result) -> None:  # type: ignore[no-untyped-def]
    truth = corpus[1]
    organic_per_network = Counter(result.network_labels[i] for i, t in enumerate(truth) if t["org"] is None)
    grouped = sum(c for c in organic_per_network.values() if c > 1)
    # a few look-alike classifieds ("selling a guitar, almost new") may pair up; nothing snowballs
    assert max(organic_per_network.values()) <= 6
    assert grouped / sum(organic_per_network.values()) < 0.03
    hubs = {h.identifier for h in result.hubs}
    assert "email:help@prairiejobs.example" in hubs  # the job board's footer address
    gen = CorpusGenerator(10, 11)  # same seed: same hotline and board numbers
    assert f"phone:+1{gen.hotline}" in hubs and f"phone:+1{gen.footer_phone}" in hubs


def test_handmade_boilerplate_and_rotating_contacts(tmp_path: Path) -> None:
    footer = (
        "Posted through the Prairie Jobs Network, which never charges applicants. Report suspicious "
        "listings to help@prairiejobs.example or call the safe line at 312-555-0100 any time."
    )
    words = [
        "alder",
        "birch",
        "cedar",
        "dogwood",
        "elm",
        "fir",
        "ginkgo",
        "hazel",
        "ivy",
        "juniper",
        "kapok",
        "larch",
        "maple",
        "nutmeg",
        "olive",
        "pine",
        "quince",
        "rowan",
        "spruce",
        "teak",
        "umbrella",
        "viburnum",
        "willow",
        "yew",
        "zelkova",
        "acacia",
        "banyan",
        "cypress",
        "date",
        "ebony",
    ]
    posts = []
    for i in range(30):  # thirty unrelated posters sharing a footer and a hotline
        own = " ".join(random.Random(i).sample(words, 12))
        phone = random_phone_for(i)
        body = f"Selling {words[i]} wood furniture. {own} {words[(i * 3) % 30]} tables. Call {phone}. {footer}"
        posts.append(Post(id=f"o{i}", source="s", title=f"{words[i]} sale", body=body))
    template = (
        "Hiring {role} in Joliet, pay weekly, no experience needed, housing provided and deducted from "
        "your pay, start immediately, ask for Maria at the Velmora warehouse gate. Text {phone}."
    )
    phones = ["312-555-0142", "eight one two 555 0143", "3l2-555-Ol44"]
    for i in range(12):  # one organisation, rotating and obfuscated phones, small variations
        text = template.format(role=["packers", "cleaners"][i % 2], phone=phones[i % 3])
        posts.append(Post(id=f"t{i}", source="s", title="Jobs", body=text))
    res = analyse(posts, AnalysisConfig(max_shingle_posters=10, max_identifier_clusters=5, keep_details=True))
    labels = list(res.network_labels)
    assert len(set(labels[:30])) == 30  # organic posters stay apart
    assert len(set(labels[30:])) == 1  # the organisation is one network
    [net] = [n for n in res.networks if n.size == 12]
    assert set(net.phones) == {"+13125550142", "+18125550143", "+13125550144"}
    assert "email:help@prairiejobs.example" in {h.identifier for h in res.hubs}
    assert net.flag_counts["lr_no_experience"] == 12 and net.flag_counts["cs_obscured_phone"] == 8
    assert net.counties == ["Will County"]
    assert res.templates and "velmora warehouse" in res.templates[0].snippet
    assert networks_containing(res, phones=["(812) 555-0143"]) == [net]
    assert networks_containing(res, emails=["nobody at example dot com"]) == []
    assert len(res.details) == len(posts)


def random_phone_for(i: int) -> str:
    return f"(630) 55{i // 10}-{1000 + i:04d}"


def test_networks_are_summarised_and_ranked(result) -> None:  # type: ignore[no-untyped-def]
    nets = result.networks
    assert [n.rank for n in nets] == list(range(1, len(nets) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(nets))
    top = nets[0]
    assert top.size >= 2 and top.flag_counts and top.first_seen <= top.last_seen
    assert top.movement and sum(v.posts for v in top.movement) <= top.size
    assert any(nf.flag_id == "cs_shared_phone" for n in nets for nf in n.network_flags)


def test_file_input_with_workers_matches_sequential(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    generate_corpus(400, 3, path)
    with path.open("a") as fh:  # a bad row and a repeated post
        fh.write("{broken\n")
        fh.write(path.read_text().splitlines()[0] + "\n")
    seq = analyse(path, AnalysisConfig(workers=1))
    par = analyse(path, AnalysisConfig(workers=2))
    par_stream = analyse(read_posts(path), AnalysisConfig(workers=2))
    for other in (par, par_stream):
        assert pair_scores(seq.network_labels, other.network_labels).ari == 1.0
        assert seq.keys == other.keys and len(seq.keys) == 400
    for res in (seq, par, par_stream):
        assert [(e.line, e.message[:9]) for e in res.errors] == [(401, "invalid J"), (402, "duplicate")]


def test_generator_is_deterministic_and_valid(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    generate_corpus(300, 5, a)
    generate_corpus(300, 5, b)
    assert a.read_bytes() == b.read_bytes()
    rows = [json.loads(line) for line in a.read_text().splitlines()]
    truth = list(read_truth(str(a) + ".truth.jsonl"))
    assert len(rows) == len(truth) == 300 and [r["id"] for r in rows] == [t["id"] for t in truth]
    assert any(t["org"] for t in truth) and any(t["org"] is None for t in truth)
    assert {"en", "es"} <= {("es" if " de " in r["body"] else "en") for r in rows}
    assert len(random_phone(random.Random(1))) == 10


def test_minhash_signatures_do_not_depend_on_the_chunk_size() -> None:
    rng = np.random.default_rng(5)
    lengths = rng.integers(0, 60, size=300)
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    tokens = rng.integers(0, 40, size=offsets[-1], dtype=np.uint64).astype(np.uint32)
    post, h = shingles(tokens, offsets, 2)
    whole = MinHasher(20, 3).signatures(post, h, 300, chunk=len(h) + 1)
    for chunk in (1, 7, 500):
        assert np.array_equal(MinHasher(20, 3).signatures(post, h, 300, chunk=chunk), whole)


def test_stable_argsort_is_numpys_stable_argsort() -> None:
    rng = np.random.default_rng(6)
    for high in (1, 3, 1000, 2**63):
        key = rng.integers(0, high, size=2000, dtype=np.uint64)
        assert np.array_equal(stable_argsort(key), np.argsort(key, kind="stable"))


def test_template_summaries_do_not_depend_on_the_batch_size(
    corpus: tuple[Path, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = pipeline._summarise_templates
    sizes = []

    def each_batch_size(*args):  # type: ignore[no-untyped-def]
        whole = original(*args)
        for batch in (1, 60):
            assert original(*args, batch_posts=batch) == whole
        sizes.append(len(whole))
        return whole

    monkeypatch.setattr(pipeline, "_summarise_templates", each_batch_size)
    analyse(read_posts(corpus[0]), AnalysisConfig())
    assert sizes and sizes[0] > 10


def test_days_are_counted_in_the_configured_time_zone() -> None:
    template = (
        "Hiring packers in Joliet, pay weekly, no experience needed, housing provided and deducted from "
        "your pay, start immediately, ask for Maria at the Velmora warehouse gate. Text 312-555-0142."
    )
    times = ["2024-06-01T03:24:00Z", "2024-06-03T18:00:00+00:00", "2024-06-05T09:30:00"]  # last one naive
    posts = [Post(id=f"t{i}", source="s", title="Jobs", body=template, posted_at=t) for i, t in enumerate(times)]
    as_written = analyse(posts, AnalysisConfig())
    chicago = analyse(posts, AnalysisConfig(timezone="America/Chicago"))
    [net_utc], [net_local] = as_written.networks, chicago.networks
    assert (net_utc.first_seen, net_utc.last_seen) == ("2024-06-01", "2024-06-05")
    # 03:24 UTC on 1 June is the evening of 31 May in Chicago; a time without an offset stays as written
    assert (net_local.first_seen, net_local.last_seen) == ("2024-05-31", "2024-06-05")
    assert net_local.span_days == net_utc.span_days + 1
