"""`beacon check_codes`: report stored rows whose coded fields hold a value outside their code list.

Code lists are the fields' own choices (status, kind, ...) and, for the case's HTCDS and Polaris
fields, the vocabularies in reference/data. Rows are named by model, field and id, with the bad
value cut to 40 characters; nothing else of the row is read. Exit status 1 when any row is
reported, so it can gate a migration that adds the database constraints.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from beacon.reference.vocabularies import choices

# Case fields whose codes come from a vocabulary file rather than the field's choices.
VOCABULARY_FIELDS = {
    ("cases.case", "trafficking_status"): "htcds:vic_TraffickingStatus",
    ("cases.case", "trafficking_status_decided_by"): "htcds:vic_TraffickingStatusDecisionMakingOrg",
    ("cases.case", "polaris_type"): "polaris",
    ("cases.case", "industry"): "htcds:vic_ForcedLabourIndustry",
    ("cases.case", "relationship_to_trafficker"): "htcds:vic_RelationshipToTrafficker",
    ("cases.case", "exploitation_types"): "htcds:vic_TypeOfExploitation",
    ("cases.case", "methods_of_control"): "htcds:vic_MethodsOfControl",
    ("cases.case", "recruitment_methods"): "htcds:vic_MethodOfRecruitment",
    ("cases.case", "recruitment_websites"): "htcds:vic_RecruitmentWebsitesAndApps",
}


def _code_fields() -> list[tuple[type[models.Model], str, set[str], bool]]:
    """(model, field, allowed codes, is a list) for every coded field of Beacon's own models."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("beacon."):
            continue
        label = model._meta.label_lower
        for field in model._meta.concrete_fields:
            vocabulary = VOCABULARY_FIELDS.get((label, field.name))
            if vocabulary:
                codes = {code for code, _label in choices(vocabulary)}
                found.append((model, field.name, codes | {""}, isinstance(field, models.JSONField)))
            elif field.choices and isinstance(field, models.CharField):
                codes = {str(value) for value, _label in field.flatchoices}
                if field.blank:
                    codes.add("")
                found.append((model, field.name, codes, False))
    return found


def bad_rows() -> list[tuple[str, str, Any, str]]:
    """(model label, field, row id, bad value) for every stored value outside its list."""
    report = []
    for model, name, codes, is_list in _code_fields():
        ident = "public_id" if any(f.name == "public_id" for f in model._meta.fields) else "pk"
        rows = model.objects.values_list(ident, name)
        if not is_list:
            rows = rows.exclude(**{f"{name}__in": codes})
        for row_id, value in rows.iterator():
            values = (value or []) if is_list else [value]
            if not isinstance(values, list):
                values = [values]
            for item in values:
                if not isinstance(item, str) or item not in codes:
                    report.append((model._meta.label_lower, name, row_id, str(item)[:40]))
    return report


class Command(BaseCommand):
    help = "Report stored rows whose coded fields (status, kind, HTCDS codes ...) are outside their code lists."

    def handle(self, *args: Any, **options: Any) -> None:
        report = bad_rows()
        for label, name, row_id, value in report:
            self.stdout.write(f"{label} {row_id}: {name} = {value!r} is not in its code list")
        if report:
            raise CommandError(f"{len(report)} stored value(s) outside their code lists (listed above).")
        self.stdout.write("Every coded field holds a value from its code list.")
