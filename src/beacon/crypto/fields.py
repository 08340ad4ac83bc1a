"""Model fields whose values are encrypted at rest."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from beacon.crypto import keys


class EncryptedTextField(models.TextField):
    """Stores text encrypted with AES-GCM; reads return plaintext. Not searchable: add a blind index."""

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return keys.decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, str) and value.startswith(keys.PREFIX + ":"):
            return value  # already sealed (bulk copies, rotation)
        return keys.encrypt(str(value))


class EncryptedJSONField(models.TextField):
    """Stores a JSON value encrypted; reads return the decoded value."""

    description = "Encrypted JSON"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(keys.decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value.startswith(keys.PREFIX + ":"):
            return value
        return keys.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), default=str)


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]
