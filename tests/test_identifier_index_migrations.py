"""The migrations that re-index identifiers under one purpose per kind, run on a database holding rows
written before them (old per-app purposes), leave a tip's, a case's and an intel contact's index for the
same phone or e-mail equal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beacon.crypto.keys import blind_index, email_index, phone_index
from beacon.crypto.normalise import normalise_for_index
from beacon.intel.models import Contact
from beacon.tips.models import TipIdentifier

BEFORE = [
    ("tips", "0007_triage_claims_and_changes"),
    ("cases", "0006_remove_case_tip_refs"),
    ("intel", "0002_import_mapping"),
]
PHONE, EMAIL = "(312) 555-0101", "Jobs.Recruit@Example.com"


def _old_indexes() -> dict[str, str]:
    """What the apps stored before: each with its own purpose (and the tips app's e-mail form)."""
    return {
        "tip-phone": blind_index("+13125550101", purpose="tip-phone"),
        "tip-email": blind_index("jobs.recruit@example.com", purpose="tip-email"),
        "tip-plate": blind_index("ABC1234", purpose="tip-plate"),
        "person-phone": blind_index("+13125550101", purpose="person-phone"),
        "person-email": blind_index(normalise_for_index(EMAIL), purpose="person-email"),
    }


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_migrations_are_reindexed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old = _old_indexes()
    agency = old_apps.get_model("accounts", "Agency").objects.create(name="Agency", type="NGO", city="Chicago")
    tip = old_apps.get_model("tips", "Tip").objects.create(
        narrative="x",
        people={"phones": [PHONE], "emails": [EMAIL], "plates": ["abc 1234"]},
        codename_hash="h",
        codename_index="i",
        submission_key="k",
    )
    old_identifier = old_apps.get_model("tips", "TipIdentifier").objects
    for kind in ("phone", "email", "plate"):
        old_identifier.create(tip_id=tip.pk, kind=kind, index=old[f"tip-{kind}"])
    person = old_apps.get_model("cases", "Person").objects.create(
        agency_id=agency.pk,
        contact={"phone": "+13125550101", "email": EMAIL},
        phone_bidx=old["person-phone"],
        email_bidx=old["person-email"],
    )
    old_contacts = old_apps.get_model("intel", "Contact").objects
    old_contacts.create(kind="phone", value="+13125550101", tip_bidx=old["tip-phone"], case_bidx=old["person-phone"])
    old_contacts.create(kind="email", value="jobs.recruit@example.com", tip_bidx=old["tip-email"], case_bidx="")
    old_contacts.create(kind="handle", value="@someone", tip_bidx="", case_bidx="")

    executor = MigrationExecutor(connection)  # reload the graph with what is now applied
    executor.migrate(executor.loader.graph.leaf_nodes())

    new_apps = MigrationExecutor(connection).loader.project_state().apps
    person = new_apps.get_model("cases", "Person").objects.get(pk=person.pk)
    tip_indexes = dict(TipIdentifier.objects.filter(tip_id=tip.pk).values_list("kind", "index"))
    contacts = dict(Contact.objects.values_list("kind", "bidx"))
    assert tip_indexes["phone"] == person.phone_bidx == contacts["phone"] == phone_index(PHONE)
    assert tip_indexes["email"] == person.email_bidx == contacts["email"] == email_index(EMAIL)
    assert tip_indexes["plate"] not in old.values() and len(tip_indexes) == 3
    assert contacts["handle"] == ""
    assert not set(old.values()) & {*tip_indexes.values(), person.phone_bidx, person.email_bidx}
