"""Reading an instrument file: YAML with line marks, and its check against the JSON Schema.

Errors point at the file, the line and the key, so that whoever edits an instrument can find the
mistake: JSON-schema error paths are mapped back to YAML nodes, whose marks hold the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from beacon.screening.engine.errors import InstrumentError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "instruments" / "instrument.schema.json"

PathPart = str | int


@lru_cache(maxsize=1)
def instrument_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = instrument_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def key_path(path: Iterable[PathPart]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed instrument file: its data and the YAML node tree that knows the lines."""

    file: str
    data: Any
    root: yaml.Node

    def node_at(self, path: Sequence[PathPart], *, key: bool = False) -> yaml.Node:
        """The deepest node along ``path`` (the key's node rather than its value when ``key``)."""
        node = self.root
        for depth, part in enumerate(path):
            last = depth == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(part):
                        node = key_node if (key and last) else value_node
                        break
                else:
                    return node
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                return node
        return node

    def error(self, reason: str, path: Sequence[PathPart] = (), *, key: bool = False) -> InstrumentError:
        line = self.node_at(path, key=key).start_mark.line + 1
        return InstrumentError(self.file, reason, line=line, key=key_path(path) or None)


# libyaml's parser when PyYAML was built with it: several times faster, and instruments are parsed
# when each worker starts.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, file: str) -> Document:
    """Parse YAML, refusing syntax errors and repeated keys (PyYAML would keep the last silently)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise InstrumentError(file, "the file is empty", line=1)
        _refuse_duplicate_keys(root, file)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise InstrumentError(file, f"YAML syntax error: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise InstrumentError(file, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return Document(file, data, root)


def _refuse_duplicate_keys(node: yaml.Node, file: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise InstrumentError(
                        file, f"the key {key_node.value!r} appears twice", line=key_node.start_mark.line + 1
                    )
                seen.add(key_node.value)
            _refuse_duplicate_keys(value_node, file)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _refuse_duplicate_keys(child, file)


def validate(document: Document) -> None:
    """Check the document against the instrument schema; raise the most relevant error."""
    error = best_match(_validator().iter_errors(document.data))
    if error is None:
        return
    path = list(error.absolute_path)
    extra = _unexpected_key(error)
    if extra is not None:
        raise document.error(f"unexpected key {extra!r}", [*path, extra], key=True)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = next(name for name in error.validator_value if name not in error.instance)
        error_at = document.error(f"the required key {missing!r} is missing", path)
        raise InstrumentError(document.file, error_at.reason, line=error_at.line, key=key_path([*path, missing]))
    raise document.error(_reason(error), path)


def _unexpected_key(error: ValidationError) -> str | None:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return None
    allowed = set(error.schema.get("properties", {}))
    extras = sorted(str(key) for key in error.instance if key not in allowed)
    return extras[0] if extras else None


def _reason(error: ValidationError) -> str:
    if error.validator in {"oneOf", "anyOf"}:
        return "the value matches none of the allowed forms (see instrument.schema.json)"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."
