"""Key rotation: rewrite every encrypted value under the primary key."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction

from beacon.crypto import keys
from beacon.crypto.fields import encrypted_fields


def rotate_keys(batch_size: int = 1000, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Re-encrypt values whose key id is not the primary one. Safe to re-run; returns counts per model."""
    primary = keys.primary_key_id()
    rewritten: dict[str, int] = {}
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        table = model._meta.db_table
        pk = model._meta.pk.column
        assert pk is not None  # a concrete model's primary key has a column
        count = 0
        last_pk: object = None
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {quote(pk)} > %s" if last_pk is not None else ""
                params: list[object] = [last_pk] if last_pk is not None else []
                cursor.execute(
                    f"SELECT {quote(pk)}, {columns} FROM {quote(table)} {where} "  # noqa: S608 - names are model metadata
                    f"ORDER BY {quote(pk)} LIMIT {int(batch_size)}",
                    params,
                )
                rows = cursor.fetchall()
            if not rows:
                break
            with transaction.atomic():
                for row in rows:
                    updates: dict[str, str] = {}
                    for field, token in zip(fields, row[1:], strict=True):
                        if token and keys.key_id_of(token) not in (None, primary):
                            updates[field.column] = keys.encrypt(keys.decrypt(token))
                    if updates:
                        sets = ", ".join(f"{quote(c)} = %s" for c in updates)
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk)} = %s",  # noqa: S608
                                [*updates.values(), row[0]],
                            )
                        count += 1
            last_pk = rows[-1][0]
        if count and progress:
            progress(f"{model._meta.label}: {count} rows re-encrypted")
        rewritten[model._meta.label] = count
    return rewritten
