import pytest

from beacon.intel.core import adjusted_rand_index, flag_scores, pair_scores


def test_identical_and_relabelled_labelings_score_one() -> None:
    assert adjusted_rand_index([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]) == 1.0
    assert adjusted_rand_index(["a", "a", "b", "b", "c"], [7, 7, 3, 3, 9]) == 1.0
    s = pair_scores([0, 0, 1], [5, 5, 6])
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)


def test_hand_example() -> None:
    truth = [0, 0, 0, 1, 1, 1]
    pred = [0, 0, 1, 1, 2, 2]
    s = pair_scores(truth, pred)
    # truth pairs: 3 + 3 = 6; predicted pairs: 1 + 1 + 1 = 3; shared: (0,1) and (4,5) = 2
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 6)
    assert s.f1 == pytest.approx(2 * (2 / 3) * (1 / 3) / (2 / 3 + 1 / 3))
    # ARI: index 2, expected 6 * 3 / 15 = 1.2, max (6 + 3) / 2 = 4.5
    assert s.ari == pytest.approx((2 - 1.2) / (4.5 - 1.2))


def test_none_means_a_singleton() -> None:
    s = pair_scores(["org", "org", None, None], [1, 1, 2, 3])
    assert s.ari == 1.0
    s = pair_scores(["org", "org", None, None], [1, 1, 1, 1])
    assert s.recall == 1.0 and s.precision == pytest.approx(1 / 6)


def test_everything_apart_or_together() -> None:
    assert pair_scores([0, 1, 2], [0, 1, 2]).ari == 1.0
    s = pair_scores([0, 0, 1, 1], [0, 1, 2, 3])
    assert s.precision == 1.0 and s.recall == 0.0 and s.ari == 0.0
    with pytest.raises(ValueError):
        pair_scores([0, 1], [0])


def test_flag_scores() -> None:
    truth = [["a"], ["a", "b"], [], ["b"]]
    pred = [["a"], ["b"], ["a"], ["b"]]
    scores = {f.flag: f for f in flag_scores(truth, pred)}
    assert scores["a"].precision == 0.5 and scores["a"].recall == 0.5 and scores["a"].support == 2
    assert scores["b"].precision == 1.0 and scores["b"].recall == 1.0 and scores["b"].predicted == 2
