"""Writes for the service directory: entries, and all-or-nothing CSV import; CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from beacon.access.policy import Action, require
from beacon.accounts.models import Agency, User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.directory.models import Population, Provider, ProviderService
from beacon.reference.models import County, Language
from beacon.reference.vocabularies import choices
from beacon.web.csvsafe import SafeWriter, restore

CSV_COLUMNS = [
    "public_id",
    "name",
    "agency",
    "services",
    "counties",
    "statewide",
    "languages",
    "populations",
    "accepting_new_clients",
    "capacity",
    "hours",
    "phone",
    "email",
    "website",
    "address",
    "city",
    "is_public",
    "description",
]
SIMPLE_FIELDS = (
    "name",
    "description",
    "statewide",
    "populations",
    "accepting_new_clients",
    "capacity",
    "hours",
    "phone",
    "email",
    "website",
    "address",
    "city",
    "is_public",
    "is_active",
)


class EditConflict(Exception):
    pass


def service_codes() -> set[str]:
    return {code for code, _label in choices("service_category")}


def _set_relations(
    provider: Provider,
    services: list[tuple[str, str]] | None,
    counties: list[County] | None,
    languages: list[Language] | None,
) -> None:
    if services is not None:
        provider.services.all().delete()
        ProviderService.objects.bulk_create(
            [ProviderService(provider=provider, category=c, subtype=s) for c, s in dict.fromkeys(services)]
        )
    if counties is not None:
        provider.counties.set(counties)
    if languages is not None:
        provider.languages.set(languages)


def _check(fields: dict[str, Any], services: list[tuple[str, str]] | None) -> None:
    known = service_codes()
    if services is not None:
        unknown = sorted({c for c, _s in services if c not in known})
        if unknown:
            raise ValidationError(_("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)})
    pops = set(Population.values)
    unknown_pops = [p for p in fields.get("populations") or [] if p not in pops]
    if unknown_pops:
        raise ValidationError(_("Unknown population: %(codes)s.") % {"codes": ", ".join(unknown_pops)})


@transaction.atomic
def create_provider(
    actor: User,
    *,
    agency: Agency | None = None,
    services: list[tuple[str, str]] | None = None,
    counties: list[County] | None = None,
    languages: list[Language] | None = None,
    **fields: Any,
) -> Provider:
    agency = agency if agency is not None else actor.agency
    require(actor, Action.CREATE, "directory", Provider(agency=agency))
    _check(fields, services)
    provider = Provider(agency=agency, **{k: v for k, v in fields.items() if k in SIMPLE_FIELDS})
    provider.full_clean(exclude=["agency"])
    provider.save()
    _set_relations(provider, services or [], counties or [], languages or [])
    record(actor, AuditAction.CREATE, provider)
    return provider


@transaction.atomic
def update_provider(
    actor: User,
    provider: Provider,
    *,
    version: int,
    services: list[tuple[str, str]] | None = None,
    counties: list[County] | None = None,
    languages: list[Language] | None = None,
    **fields: Any,
) -> Provider:
    require(actor, Action.UPDATE, "directory", provider)
    _check(fields, services)
    for name, value in fields.items():
        if name in SIMPLE_FIELDS:
            setattr(provider, name, value)
    provider.full_clean(exclude=["agency"])
    changes = {name: getattr(provider, name) for name in SIMPLE_FIELDS}
    if not Provider.objects.filter(pk=provider.pk, version=version).update(version=F("version") + 1, **changes):
        raise EditConflict(_("Someone else changed this entry after you opened it. Reload and try again."))
    provider.version = version + 1
    _set_relations(provider, services, counties, languages)
    record(actor, AuditAction.UPDATE, provider)
    return provider


# CSV ----------------------------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _bool(value: str, line: int, column: str) -> bool:
    text = (value or "").strip().lower()
    if text in ("1", "yes", "true", "y"):
        return True
    if text in ("", "0", "no", "false", "n"):
        return False
    raise ValueError(_("%(column)s must be yes or no, not “%(value)s”") % {"column": column, "value": value})


def export_csv(queryset: Any) -> str:
    """The directory as CSV; text cells that a spreadsheet would run as a formula are neutralised."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    for p in queryset:
        writer.writerow(
            [
                p.public_id,
                p.name,
                p.agency.name if p.agency else "",
                ";".join(f"{s.category}:{s.subtype}" if s.subtype else s.category for s in p.services.all()),
                ";".join(c.fips for c in p.counties.all()),
                "yes" if p.statewide else "no",
                ";".join(lang.code for lang in p.languages.all()),
                ";".join(p.populations or []),
                "yes" if p.accepting_new_clients else "no",
                "" if p.capacity is None else p.capacity,
                p.hours,
                p.phone,
                p.email,
                p.website,
                p.address,
                p.city,
                "yes" if p.is_public else "no",
                p.description,
            ]
        )
    return out.getvalue()


@dataclass
class ImportResult:
    created: int
    updated: int
    errors: list[tuple[int, str]]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_csv(actor: User, text: str) -> ImportResult:
    """Validate every row first; if any row is bad, report each bad line and import nothing."""
    require(actor, Action.CREATE, "directory")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("name", "services") if c not in (reader.fieldnames or [])]
    if missing:
        return ImportResult(0, 0, [(1, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})])
    counties = {c.fips: c for c in County.objects.all()}
    county_names = {c.name.lower(): c for c in counties.values()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    agencies = {a.name.lower(): a for a in Agency.objects.all()}
    known_services = service_codes()
    pops = set(Population.values)
    parsed, errors = [], []
    # An exported file comes back with its neutralised cells: read them as the text they stand for.
    rows = ({key: restore(v) if isinstance(v, str) else v for key, v in row.items()} for row in reader)
    for line, row in enumerate(rows, start=2):
        problems = []
        try:
            name = (row.get("name") or "").strip()
            if not name:
                problems.append(_("name is empty"))
            services = []
            for item in _split(row.get("services", "")):
                category, _sep, subtype = item.partition(":")
                if category not in known_services:
                    problems.append(_("unknown service “%(code)s”") % {"code": category})
                services.append((category, subtype.strip()))
            if not services:
                problems.append(_("no services listed"))
            row_counties = []
            for item in _split(row.get("counties", "")):
                county = (
                    counties.get(item) or county_names.get(item.lower()) or county_names.get(f"{item.lower()} county")
                )
                if county is None:
                    problems.append(_("unknown county “%(c)s”") % {"c": item})
                else:
                    row_counties.append(county)
            row_languages = []
            for item in _split(row.get("languages", "")):
                if item not in languages:
                    problems.append(_("unknown language code “%(c)s”") % {"c": item})
                else:
                    row_languages.append(languages[item])
            populations = _split(row.get("populations", ""))
            for item in populations:
                if item not in pops:
                    problems.append(_("unknown population “%(c)s”") % {"c": item})
            agency_name = (row.get("agency") or "").strip()
            agency = agencies.get(agency_name.lower()) if agency_name else None
            if agency_name and agency is None:
                problems.append(_("unknown agency “%(a)s”") % {"a": agency_name})
            capacity_text = (row.get("capacity") or "").strip()
            capacity = None
            if capacity_text:
                if not capacity_text.isdigit():
                    problems.append(_("capacity must be a whole number"))
                else:
                    capacity = int(capacity_text)
            email = (row.get("email") or "").strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append(_("e-mail address is not valid"))
            website = (row.get("website") or "").strip()
            if website:
                try:
                    URLValidator()(website)
                except ValidationError:
                    problems.append(_("website is not a valid address (start with https://)"))
            flags = {column: _bool(row.get(column, ""), line, column) for column in ("statewide", "is_public")}
            accepting_text = row.get("accepting_new_clients", "")
            flags["accepting_new_clients"] = (
                True if not (accepting_text or "").strip() else _bool(accepting_text, line, "accepting_new_clients")
            )
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        parsed.append(
            {
                "line": line,
                "public_id": (row.get("public_id") or "").strip(),
                "agency": agency,
                "services": services,
                "counties": row_counties,
                "languages": row_languages,
                "fields": {
                    "name": name,
                    "populations": populations,
                    "capacity": capacity,
                    "email": email,
                    "website": website,
                    "hours": (row.get("hours") or "").strip(),
                    "phone": (row.get("phone") or "").strip(),
                    "address": (row.get("address") or "").strip(),
                    "city": (row.get("city") or "").strip(),
                    "description": (row.get("description") or "").strip(),
                    **flags,
                },
            }
        )
    if errors:
        return ImportResult(0, 0, errors)
    try:
        return _apply_import(actor, parsed)
    except _RowError as exc:
        return ImportResult(0, 0, [(exc.line, exc.message)])


class _RowError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


@transaction.atomic
def _apply_import(actor: User, rows: list[dict[str, Any]]) -> ImportResult:
    created = updated = 0
    for row in rows:
        try:
            outcome = _apply_row(actor, row)
        except (ValidationError, EditConflict) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise _RowError(row["line"], "; ".join(str(m) for m in messages)) from None
        created += outcome == "created"
        updated += outcome == "updated"
    record(
        actor,
        AuditAction.CREATE,
        object_type="directory.import",
        object_id=str(len(rows)),
        reason=f"csv import: {created} created, {updated} updated",
    )
    return ImportResult(created, updated, [])


def _apply_row(actor: User, row: dict[str, Any]) -> str:
    existing = Provider.objects.filter(public_id=row["public_id"]).first() if row["public_id"] else None
    if existing is None:
        existing = Provider.objects.filter(name=row["fields"]["name"], city=row["fields"]["city"]).first()
    agency = row["agency"]
    if existing is not None:
        update_provider(
            actor,
            existing,
            version=existing.version,
            services=row["services"],
            counties=row["counties"],
            languages=row["languages"],
            **row["fields"],
        )
        return "updated"
    create_provider(
        actor,
        agency=agency or actor.agency,
        services=row["services"],
        counties=row["counties"],
        languages=row["languages"],
        **row["fields"],
    )
    return "created"
