"""The generator's phrase banks live in data/generator_phrases.json; a seed still gives the same corpus,
byte for byte, as when they were written in the module (the hashes below were taken then)."""

from __future__ import annotations

import hashlib

import pytest

from beacon.intel.core import generator

CORPORA = [
    (
        400,
        7,
        "f20bcb0df91d81d7b7fd714d933583f1b4aed28c469c2c7bb64652967a414dbf",
        "0642d03d34b9642ad2e50b78869a7bbc1a999e0c02fd6fbc9887b37cca9a19ce",
    ),
    (
        2000,
        20261128,
        "cc4f30c6984252756d7d430c6896224ea12077e6e4c2d2d72b2f1cbfa0328c2d",
        "4021633942417197d1b66c077954b8e43abf99322b18d77d0284ecf3f715d6e4",
    ),
]


@pytest.mark.parametrize(("n_posts", "seed", "posts_sha256", "truth_sha256"), CORPORA)
def test_a_seed_gives_the_same_corpus_byte_for_byte(tmp_path, n_posts, seed, posts_sha256, truth_sha256):
    info = generator.generate_corpus(n_posts, seed, tmp_path / "corpus.jsonl")
    assert hashlib.sha256(info.path.read_bytes()).hexdigest() == posts_sha256
    assert hashlib.sha256(info.truth_path.read_bytes()).hexdigest() == truth_sha256


def test_the_banks_are_data_not_code():
    assert generator.FLAG_PHRASES["lr_worker_fees"]["en"]
    assert len(generator.__loader__.get_source(generator.__name__).splitlines()) < 600
