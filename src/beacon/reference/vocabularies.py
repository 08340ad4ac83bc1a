"""Coded vocabularies read from the repository's data files.

HTCDS picklists come from the HTCDS 2.0 field table (parsed by reference.htcds);
Polaris types and service categories from
CSV files beside this module. Each vocabulary is a list of (code, English label, extra).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from beacon.reference.htcds import vocabulary

DATA = Path(__file__).resolve().parent / "data"

# The HTCDS picklists Beacon records (field name including prefix).
HTCDS_FIELDS = (
    "org_Type",
    "prs_Gender",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_RelationshipToTrafficker",
    "vic_RecruitmentWebsitesAndApps",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_ExploitationWebsitesAndApps",
    "per_RoleInProcess",
    "cas_Status",
    "cas_ReasonForIncomingReferral",
    "cas_ReasonForOutgoingReferral",
    "hte_Type",
    "spl_Type",
)

Vocabulary = list[tuple[str, str, dict]]


@cache
def htcds_picklists() -> dict[str, Vocabulary]:
    """Picklists of the HTCDS table: value names are the codes, value labels the English labels."""
    return {field: [(name, label, {}) for name, label in vocabulary(field)] for field in HTCDS_FIELDS}


@cache
def all_vocabularies() -> dict[str, Vocabulary]:
    vocabularies = {f"htcds:{field}": terms for field, terms in htcds_picklists().items()}
    with (DATA / "polaris_typology.csv").open(newline="", encoding="utf-8") as handle:
        vocabularies["polaris"] = [(r["code"], r["label"], {}) for r in csv.DictReader(handle)]
    with (DATA / "service_categories.csv").open(newline="", encoding="utf-8") as handle:
        vocabularies["service_category"] = [
            (r["code"], r["label"], {"htcds_spl_type": r["htcds_spl_type"], "group": r["group"]})
            for r in csv.DictReader(handle)
        ]
    return vocabularies


def choices(vocabulary: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a form field; labels are translated by the caller's gettext."""
    return [(code, label) for code, label, _ in all_vocabularies()[vocabulary]]
