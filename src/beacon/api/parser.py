"""The API's JSON body parser: stricter than json.loads about what it lets through.

Every Beacon operation takes a JSON object (or nothing), so any other top-level value (an array,
a number) is refused here rather than coerced into an empty record. JSON may spell a lone UTF-16
surrogate (`"\\ud800"`), which Python keeps in the string and which no encoder (encryption, the
database, a response) can write later; such a body is refused too. Ninja answers a parse failure
with 400 and a `detail`.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class BodyRefused(ValueError):
    pass


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        value.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise BodyRefused("the request body must be a JSON object")
        _check_text(data)
        return data
