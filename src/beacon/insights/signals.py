"""Refresh a case's dashboard facts when the case, its person, consents or service plan are saved.

Runs in the saving transaction, so a consent revocation leaves the statistics as it commits.
Versioned edits (``QuerySet.update()``) arrive through ``cases.signals.record_updated``; bulk loads
send no signal, and the periodic rebuild (``tasks.rebuild_case_facts``) picks those up.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from beacon.cases.models import Case, Consent, Person, ServicePlanItem
from beacon.cases.signals import record_updated
from beacon.insights import facts


def _case_saved(sender: Any, instance: Case, **kwargs: Any) -> None:
    facts.refresh([instance.pk])


def _person_saved(sender: Any, instance: Person, **kwargs: Any) -> None:
    facts.refresh(instance.cases.values_list("pk", flat=True))


def _child_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if Case.objects.filter(pk=instance.case_id).exists():
        facts.refresh([instance.case_id])


def _versioned_update(sender: Any, model: type, pk: int, **kwargs: Any) -> None:
    if model is Case:
        facts.refresh([pk])
    elif model is Person:
        facts.refresh(Case.objects.filter(person_id=pk).values_list("pk", flat=True))


def connect() -> None:
    record_updated.connect(_versioned_update, dispatch_uid="insights-versioned-update")
    post_save.connect(_case_saved, sender=Case, dispatch_uid="insights-case-facts")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="insights-person-facts")
    for model in (Consent, ServicePlanItem):
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"insights-{model.__name__}-facts")
        post_delete.connect(_child_changed, sender=model, dispatch_uid=f"insights-{model.__name__}-facts-del")
