"""The tip tables carry the indexes their queries use and no more: every index is updated by each tip."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from beacon.tips.models import Tip, TipIdentifier


def _constraints(model: type) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


@pytest.mark.django_db
def test_tip_indexes_are_the_ones_queries_need():
    tip = _constraints(Tip)
    unique = {tuple(c["columns"]) for c in tip.values() if c["unique"] and not c["primary_key"]}
    assert {("public_id",), ("codename_index",), ("submission_key",)} <= unique
    indexed_first_columns = [
        c["columns"][0] for c in tip.values() if (c["index"] or c["unique"]) and not c["primary_key"]
    ]
    # one index per leading column: no second copy of the same key
    assert len(indexed_first_columns) == len(set(indexed_first_columns)), indexed_first_columns
    assert "status" in indexed_first_columns  # the triage queue index
    identifier = _constraints(TipIdentifier)
    identifier_first = sorted(
        c["columns"][0] for c in identifier.values() if (c["index"] or c["unique"]) and not c["primary_key"]
    )
    assert identifier_first == ["index", "tip_id"]


@pytest.mark.django_db
def test_no_pattern_ops_copies_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("varchar_pattern_ops indexes exist only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('tips_tip', 'tips_tipidentifier') "
            "AND indexdef LIKE '%%pattern_ops%%'"
        )
        assert cursor.fetchall() == []


@pytest.mark.django_db
def test_submission_key_and_codename_stay_unique():
    base = {"narrative": "x", "codename_hash": "h"}
    Tip.objects.create(**base, codename_index="a", submission_key="k1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.create(**base, codename_index="b", submission_key="k1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.create(**base, codename_index="a", submission_key="k2")
