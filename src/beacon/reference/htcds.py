"""The Human Trafficking Case Data Standard 2.0 (HTCDS): its field table, vocabularies and JSON Schemas.

Source: IOM, UNMigration/HTCDS, "HTCDS Field Standards 2.0.ods" at commit ``HTCDS_COMMIT``, shipped
as ``reference/data/htcds2_field_standards.tsv`` (CC BY 4.0 with IOM's conditions; see
``reference/data/HTCDS_ATTRIBUTION.md``). IOM publishes no JSON Schema; the schemas here are generated from
that table and pinned to the commit (``$id`` and ``$comment``).

Reading the table: a row with text only in its first column starts a section, and each section
with fields becomes a table (the Referral Details fields carry the ``cas_`` prefix but form their
own table, because a case can be referred more than once). Rows whose Status is DEPRECATED and
the example rows of the three "Assessment and Planning" sections (Status N/A) are left out.
Picklist value names and labels are `` | ``-separated in the same order; empty trailing entries
(``spl_Type``) are dropped and labels are trimmed. ``per_Organisation`` has no type or label in
the table and is treated as text.

Field types:

========================  ===========================================  =====================
HTCDS type                JSON form                                    CSV row
========================  ===========================================  =====================
Text, Long Text           string (with the table's E.164 regex where   same
                          its notes give one)
Date                      string, format date                          same, or empty
Number, Geolocation       number                                       decimal string
Checkbox                  boolean                                      "true" / "false"
Picklist                  enum of value names                          same, or empty
Multiselect Picklist      array of unique enum values                  values joined by ";"
Lookup [to ...]           string (the referenced record's id)          same
"Use ISO ..." picklists   string pattern (see below)                   same, or empty
========================  ===========================================  =====================

Multiselect values are an array in the JSON form because that keeps values unambiguous; the CSV
row joins them with ";" (no value name contains one), the way Salesforce, which the standard is
modelled on, exports multi-select picklists. ISO patterns: "ISO 3166" country codes are alpha-3
or alpha-2 in upper case (the table makes two-letter codes optional), or alpha-2 only where it
says "two-letter country codes" without "optional" (``prs_MailingCountry``); "ISO 639-2" language
codes are three lower-case letters, or ISO 639-1 two-letter codes, which the table makes optional.

Absent values are omitted in the JSON form and empty in a CSV row. Each table also allows an
``id`` (Beacon's own short record id, not an HTCDS field) so that lookups can point at records.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator, FormatChecker

HTCDS_COMMIT = "3c2f6537cd76c3305975aa5eef7a1bf26fe20a30"
HTCDS_VERSION = "2.0"
# The one copy of the field table lives with the reference data.
DATA = Path(__file__).resolve().parent / "data" / "htcds2_field_standards.tsv"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ATTRIBUTION = (
    "Generated from the Human Trafficking Case Data Standard 2.0 field table (IOM, UNMigration/HTCDS, "
    f"'HTCDS Field Standards 2.0.ods' at commit {HTCDS_COMMIT}), CC BY 4.0. "
    "Not endorsed by IOM."
)
MULTI_SEPARATOR = ";"
ID_FIELD = "id"

# Section heading in the table -> table key, in the table's order.
SECTIONS = {
    "Organization": "organisation",
    "Person": "person",
    "Person - | Victim Context": "victim",
    "Person - | Perpetrator Context": "perpetrator",
    "Case": "case",
    "Referral Details": "referral_details",
    "Case Comment": "case_comment",
    "Historic Trafficking Events": "historic_trafficking_event",
    "Support Plan": "support_plan",
    "Consent": "consent",
}
PREFIXES = {
    "organisation": "org_",
    "person": "prs_",
    "victim": "vic_",
    "perpetrator": "per_",
    "case": "cas_",
    "referral_details": "cas_",
    "case_comment": "cco_",
    "historic_trafficking_event": "hte_",
    "support_plan": "spl_",
    "consent": "con_",
}

Form = Literal["json", "csv"]


@dataclass(frozen=True)
class Field:
    name: str  # with its prefix, e.g. "prs_Gender"
    label: str
    type: str  # as written in the table, e.g. "Multiselect Picklist"
    core: bool
    values: tuple[tuple[str, str], ...]  # picklist (value name, English label)
    standard: str | None  # "ISO 3166" or "ISO 639-2" when values come from an external standard
    pattern: str | None  # regular expression a value must match, if any
    description: str

    @property
    def multiple(self) -> bool:
        return self.type == "Multiselect Picklist"


@dataclass(frozen=True)
class Table:
    key: str
    section: str
    prefix: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class RowError:
    row: int  # 0-based position in the rows given
    field: str  # "" when the error is about the row as a whole
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@cache
def tables() -> dict[str, Table]:
    """The HTCDS tables with their current (non-deprecated) fields, in the table's order."""
    sections: dict[str, list[Field]] = {}
    current: str | None = None
    with DATA.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        for cells in reader:
            cells = [*cells, *[""] * (13 - len(cells))]
            if cells[0].strip():
                current = SECTIONS.get(cells[0].strip())
                if current:
                    sections[current] = []
                continue
            status = cells[1].strip()
            if current is None or status in {"DEPRECATED", "N/A"}:
                continue
            sections[current].append(_field(cells))
    out = {}
    for key, fields in sections.items():
        for f in fields:
            if not f.name.startswith(PREFIXES[key]):
                raise ValueError(f"{f.name} does not carry the {PREFIXES[key]} prefix of {key}")
        section = next(s for s, k in SECTIONS.items() if k == key).replace(" | ", " ")
        out[key] = Table(key, section, PREFIXES[key], tuple(fields))
    return out


def _field(cells: list[str]) -> Field:
    _, _status, core, prefix, name, label, full, ftype, _sf, names, labels, description, notes = (
        c.strip() for c in cells[:13]
    )
    full = full or f"{prefix}{name}"
    value_names = [v.strip() for v in names.split("|")] if names else []
    value_labels = [v.strip() for v in labels.split("|")] if labels else []
    standard = _standard(f"{names} {labels}")
    values: tuple[tuple[str, str], ...] = ()
    pattern = _iso_pattern(f"{names} {labels}") if standard else None
    if value_names and not standard:
        if len(value_names) != len(value_labels):
            raise ValueError(f"{full}: {len(value_names)} value names but {len(value_labels)} labels")
        values = tuple((n, lab) for n, lab in zip(value_names, value_labels, strict=True) if n)
    regex = re.search(r"Regular Expression:\s*(\S+)", notes)
    if regex and pattern is None:
        pattern = regex.group(1)
    return Field(
        name=full,
        label=label or name,
        type=ftype or "Text",
        core=core == "Core",
        values=values,
        standard=standard,
        pattern=pattern,
        description=description.replace(" | ", "\n"),  # the flattening turned line breaks into " | "
    )


def _standard(text: str) -> str | None:
    for standard in ("ISO 3166", "ISO 639-2"):
        if standard in text:
            return standard
    return None


def _iso_pattern(text: str) -> str:
    if "ISO 639-2" in text:
        return "^[a-z]{2,3}$"
    if "two-letter country codes" in text and "optional" not in text:
        return "^[A-Z]{2}$"
    return "^(?:[A-Z]{3}|[A-Z]{2})$"


def field(name: str) -> Field:
    for table in tables().values():
        for f in table.fields:
            if f.name == name:
                return f
    raise KeyError(f"no current HTCDS field named {name!r}")


def vocabulary(field_name: str) -> list[tuple[str, str]]:
    """(value name, English label) pairs of a picklist field, in the standard's order; empty for
    fields without an enumerated list (text, or codes from an ISO standard)."""
    return list(field(field_name).values)


# --- JSON Schema -------------------------------------------------------------------------------


def _json_property(f: Field) -> dict[str, Any]:
    if f.values:
        item: dict[str, Any] = {"enum": [n for n, _ in f.values]}
    elif f.pattern:
        item = {"type": "string", "pattern": f.pattern}
    elif f.type == "Date":
        item = {"type": "string", "format": "date"}
    elif f.type in {"Number", "Geolocation"}:
        item = {"type": "number"}
    elif f.type == "Checkbox":
        item = {"type": "boolean"}
    else:  # Text, Long Text, Picklist or Text without values, Lookup [...]
        item = {"type": "string"}
    if f.multiple:
        return {"type": "array", "items": item, "uniqueItems": True}
    return item


def _csv_property(f: Field) -> dict[str, Any]:
    if f.multiple and f.values:
        alternatives = "|".join(re.escape(n) for n, _ in f.values)
        value = {"pattern": f"^(?:{alternatives})(?:{MULTI_SEPARATOR}(?:{alternatives}))*$"}
    elif f.multiple and f.pattern:
        one = f.pattern.removeprefix("^").removesuffix("$")
        value = {"pattern": f"^(?:{one})(?:{MULTI_SEPARATOR}(?:{one}))*$"}
    elif f.values:
        value = {"enum": [n for n, _ in f.values]}
    elif f.pattern:
        value = {"pattern": f.pattern}
    elif f.type == "Date":
        value = {"format": "date"}
    elif f.type in {"Number", "Geolocation"}:
        value = {"pattern": r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"}
    elif f.type == "Checkbox":
        value = {"enum": ["true", "false"]}
    else:
        return {"type": "string"}
    return {"type": "string", "anyOf": [{"const": ""}, value]}


def _annotate(schema: dict[str, Any], f: Field) -> dict[str, Any]:
    out = {"title": f.label, **({"description": f.description} if f.description else {}), **schema}
    if f.core:
        out["x-htcds-core"] = True
    return out


def table_schema(table: str, form: Form = "json", *, standalone: bool = True) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one record of ``table`` in the JSON form or as a CSV row."""
    t = tables()[table]
    prop = _json_property if form == "json" else _csv_property
    properties: dict[str, Any] = {
        ID_FIELD: {"type": "string", "title": "Record id", "description": "Beacon record id (not HTCDS)"}
    }
    properties.update({f.name: _annotate(prop(f), f) for f in t.fields})
    schema: dict[str, Any] = {}
    if standalone:
        suffix = "" if form == "json" else ":csv-row"
        schema = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:beacon:htcds-{HTCDS_VERSION}:{HTCDS_COMMIT}:{table}{suffix}",
            "$comment": ATTRIBUTION,
        }
    schema.update(
        {
            "title": f"HTCDS {HTCDS_VERSION} {t.section}" + (" (CSV row)" if form == "csv" else ""),
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
    )
    return schema


def form_schema() -> dict[str, Any]:
    """JSON Schema for the JSON form: an object holding an array of records per table."""
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:beacon:htcds-{HTCDS_VERSION}:{HTCDS_COMMIT}:form",
        "$comment": ATTRIBUTION,
        "title": f"HTCDS {HTCDS_VERSION} export",
        "type": "object",
        "properties": {
            "htcds_version": {"const": HTCDS_VERSION},
            **{key: {"type": "array", "items": {"$ref": f"#/$defs/{key}"}} for key in tables()},
        },
        "additionalProperties": False,
        "$defs": {key: table_schema(key, standalone=False) for key in tables()},
    }


def write_schemas(out_dir: Path) -> list[Path]:
    """Write ``htcds-<table>.schema.json``, ``htcds-<table>.csv-row.schema.json`` and
    ``htcds-form.schema.json`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = {"htcds-form.schema.json": form_schema()}
    for key in tables():
        documents[f"htcds-{key}.schema.json"] = table_schema(key, "json")
        documents[f"htcds-{key}.csv-row.schema.json"] = table_schema(key, "csv")
    written = []
    for name, document in documents.items():
        path = out_dir / name
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


@cache
def _validator(table: str, form: Form) -> Draft202012Validator:
    schema = table_schema(table, form)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validate_rows(table: str, rows: Iterable[Mapping[str, Any]], *, form: Form = "json") -> list[RowError]:
    """Every schema violation in ``rows`` (records of ``table``); an empty list means valid."""
    validator = _validator(table, form)
    errors = []
    for n, row in enumerate(rows):
        for error in sorted(validator.iter_errors(dict(row)), key=lambda e: list(e.path)):
            name = str(error.path[0]) if error.path else ""
            errors.append(RowError(n, name, _message(error)))
    return errors


def _message(error: Any) -> str:
    # A CSV cell is "empty or <rule>": report why the rule failed, not that neither branch held.
    if error.validator == "anyOf" and error.context:
        reasons = [e.message for e in error.context if e.schema_path and e.schema_path[0] == 1]
        if reasons:
            return "; ".join(reasons)
    return error.message


def validate_form(document: Mapping[str, Any]) -> list[str]:
    """Schema violations of a whole JSON-form document, as readable messages."""
    validator = Draft202012Validator(form_schema(), format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in e.path) or '(document)'}: {e.message}"
        for e in validator.iter_errors(dict(document))
    ]


# --- CSV ---------------------------------------------------------------------------------------


def csv_header(table: str) -> list[str]:
    return [ID_FIELD, *(f.name for f in tables()[table].fields)]


def csv_row(table: str, record: Mapping[str, Any]) -> dict[str, str]:
    """A JSON-form record as a CSV row: lists joined with ";", booleans "true"/"false", absent ""."""
    out = {}
    for name in csv_header(table):
        value = record.get(name)
        if value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, Sequence) and not isinstance(value, str):
            out[name] = MULTI_SEPARATOR.join(str(v) for v in value)
        else:
            out[name] = str(value)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m beacon.reference.htcds",
        description=f"Write the HTCDS {HTCDS_VERSION} JSON Schemas (IOM field table at {HTCDS_COMMIT}).",
    )
    parser.add_argument("--schema", metavar="OUT_DIR", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    for path in write_schemas(args.schema):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
