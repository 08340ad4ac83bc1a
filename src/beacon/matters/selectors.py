"""Reads of matters, already scoped by the access policy; reading a matter's subjects is audited."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from beacon.access.policy import Action, RecordRefused, can, scope_queryset
from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record, record_views
from beacon.matters.deconfliction import Finding, finding
from beacon.matters.models import DeconflictionCheck, DeconflictionContact, DeconflictionHit, Matter, Subject


def matters(user: User, *, status: str = "") -> QuerySet[Matter]:
    qs = Matter.objects.select_related("county", "lead").annotate(subject_count=Count("subjects"))
    if status:
        qs = qs.filter(status=status)
    return scope_queryset(user, Action.VIEW, "matter", qs)


def listed(user: User, qs: QuerySet[Matter], *, limit: int, reason: str) -> list[Matter]:
    """The first `limit` matters of `qs`, their (encrypted) titles' reading written to the audit."""
    rows = list(qs[:limit])
    record_views(user, rows, reason=reason)
    return rows


def get_matter(user: User, public_id: str, action: str = Action.VIEW) -> Matter:
    matter = Matter.objects.select_related("agency", "county", "lead").filter(public_id=public_id).first()
    if matter is None:
        raise Http404("no such matter")
    if not can(user, action, "matter", matter):
        raise RecordRefused(matter, action)
    return matter


def read_for_edit(user: User, matter: Matter) -> None:
    record(user, AuditAction.VIEW, matter, reason="matter edit form")


def subjects(user: User, matter: Matter) -> list[Subject]:
    """The matter's subjects, decrypted for a reader the policy lets in (and written to the audit)."""
    if not can(user, Action.VIEW, "matter", matter):
        raise RecordRefused(matter, Action.VIEW)
    rows = list(matter.subjects.all())
    record(user, AuditAction.VIEW, matter, reason=f"subjects of matter ({len(rows)})")
    return rows


def findings(user: User, matter: Matter) -> dict[int, list[Finding]]:
    """Subject pk -> what the deconfliction look-ups told this matter's agency (the latest look-up)."""
    if not can(user, Action.VIEW, "matter", matter):
        raise RecordRefused(matter, Action.VIEW)
    latest: dict[int, DeconflictionCheck] = {}
    for check in DeconflictionCheck.objects.filter(matter=matter).order_by("at", "pk"):
        latest[check.subject_id] = check
    hits = DeconflictionHit.objects.filter(check_run__in=latest.values()).select_related("holder_agency")
    out: dict[int, list[Finding]] = {subject_id: [] for subject_id in latest}
    by_check = {check.pk: subject_id for subject_id, check in latest.items()}
    for hit in hits:
        told = out[by_check[hit.check_run_id]]
        answer = finding(hit)
        if answer not in told:  # two confidential holders read as one "the coordinator will contact you"
            told.append(answer)
    return out


def contact_of(user: User) -> DeconflictionContact | None:
    if not user.agency_id:
        return None
    return DeconflictionContact.objects.filter(agency_id=user.agency_id).select_related("user").first()


def deconfliction_log(user: User) -> QuerySet[DeconflictionHit]:
    """Every hit, both sides named: for the task-force coordinator, who contacts confidential holders."""
    qs = DeconflictionHit.objects.select_related(
        "check_run__agency", "check_run__matter", "check_run__subject", "holder_agency"
    ).order_by("-check_run__at")
    checks = scope_queryset(user, Action.VIEW, "deconfliction", DeconflictionCheck.objects.all())
    # Survivors' records stay out of it: only the survivor's agency follows those up, with consent.
    return qs.filter(check_run__in=checks, survivor=False)


def contacts_for(agency_ids: set[int | None]) -> dict[int, DeconflictionContact]:
    return {c.agency_id: c for c in DeconflictionContact.objects.filter(agency_id__in=[a for a in agency_ids if a])}
