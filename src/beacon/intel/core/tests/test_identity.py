from beacon.intel.core.identity import carry_ids


def test_a_network_keeps_its_id_while_most_of_its_posts_stay() -> None:
    old = {"A": {1, 2, 3, 4}, "B": {10, 11}}
    lineage = carry_ids(old, [{1, 2, 3, 5, 6}, {10, 11, 12}])
    assert lineage.ids == ["A", "B"]
    assert (lineage.merged, lineage.split, lineage.split_from, lineage.gone) == ([], [], [], [])


def test_merge_keeps_the_id_with_the_largest_overlap_and_records_the_other() -> None:
    lineage = carry_ids({"A": {1, 2, 3}, "B": {4, 5}}, [{1, 2, 3, 4, 5}])
    assert lineage.ids == ["A"] and lineage.merged == [("B", 0)]


def test_split_keeps_the_id_on_the_part_holding_most_posts() -> None:
    lineage = carry_ids({"A": {1, 2, 3, 4, 5}}, [{4, 5}, {1, 2, 3}])
    assert lineage.ids == [None, "A"]
    assert lineage.split_from == [(0, "A")]


def test_a_network_broken_into_small_parts_retires_its_id_to_the_largest() -> None:
    lineage = carry_ids({"A": {1, 2, 3, 4, 5, 6}}, [{1, 2}, {3, 4, 5}, {6, 7}])
    assert lineage.ids == [None, None, None]
    assert lineage.split == [("A", 1)]
    assert lineage.split_from == [(0, "A"), (1, "A")]  # part 2 is mostly new posts


def test_a_network_whose_posts_left_every_network_is_gone() -> None:
    assert carry_ids({"A": {1, 2}}, [{3, 4}]).gone == ["A"]


def test_the_outcome_does_not_depend_on_set_order() -> None:
    old = {"A": {1, 2, 3}, "B": {4, 5, 6}}
    first = carry_ids(old, [{1, 2, 4, 5}, {3, 6}])
    again = carry_ids(dict(reversed(old.items())), [{5, 4, 2, 1}, {6, 3}])
    assert first == again
