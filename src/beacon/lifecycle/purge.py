"""The retention purge: records past their retention period are deleted, except those under a
legal hold, which are kept and reported.

Periods come from settings (``BEACON_RETAIN_*_DAYS``; 0 keeps the kind until deleted by hand).
Each kind is deleted in batches; a batch is one transaction that re-checks every record under its
row lock (a hold placed meanwhile wins), deletes it and appends one audit entry with the batch's
count, so a run that stops half-way leaves nothing uncounted and the next run carries on where it
stopped. Attachment files are removed after their batch commits; files a crash left without a row
are removed by the next run. Nothing personal is written to the audit or the report: counts,
periods and the public ids of held records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet
from django.utils import timezone

from beacon.audit.models import AuditAction, AuditEntry
from beacon.audit.services import record
from beacon.cases import files
from beacon.cases.models import Attachment, Case, CaseStatus, Consent, Person, Referral, ServicePlanItem
from beacon.intel.models import Contact, Post
from beacon.lifecycle import selectors
from beacon.lifecycle.models import LegalHold
from beacon.messaging.models import DeliveryStatus, OutboundMessage
from beacon.tips.models import OPEN_STATUSES as OPEN_TIP_STATUSES
from beacon.tips.models import Status as TipStatus
from beacon.tips.models import Tip, TipMessage

BATCH = 200
ORPHAN_FILE_AGE = dt.timedelta(days=1)  # an upload writes its file just before its row commits


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    setting: str

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))


TIPS = Kind("tips", "closed tips (never converted), days since their last change", "BEACON_RETAIN_CLOSED_TIPS_DAYS")
CASES = Kind(
    "cases", "closed cases, days since closing (with their tips and person)", "BEACON_RETAIN_CLOSED_CASES_DAYS"
)
MESSAGES = Kind("messages", "messages of tips no longer open, days since sent", "BEACON_RETAIN_MESSAGES_DAYS")
POSTS = Kind("intel_posts", "intel posts, days since imported", "BEACON_RETAIN_INTEL_POSTS_DAYS")
AUDIT = Kind("audit", "audit entries, days since written", "BEACON_RETAIN_AUDIT_DAYS")
SCHEDULE = (TIPS, CASES, MESSAGES, POSTS, AUDIT)


@dataclass
class KindReport:
    kind: Kind
    due: int = 0  # past the period and not held
    held: int = 0  # past the period, kept under a legal hold (or, for the audit, kept by design)
    held_ids: list[str] = field(default_factory=list)  # public ids of held cases and tips
    deleted: int = 0
    kept_note: str = ""

    @property
    def enabled(self) -> bool:
        return self.kind.days > 0


@dataclass
class PurgeReport:
    applied: bool
    kinds: list[KindReport]
    orphan_files: int = 0
    orphan_files_deleted: int = 0


def _cutoff(kind: Kind, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=kind.days)


# Each kind: the expired queryset (held or not), the held filter, and how one record is deleted.


def _expired_tips(now: dt.datetime) -> QuerySet:
    return Tip.objects.filter(status=TipStatus.CLOSED, case__isnull=True, updated_at__lt=_cutoff(TIPS, now))


def _expired_cases(now: dt.datetime) -> QuerySet:
    return Case.objects.filter(
        status__in=(CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED), closed_at__lt=_cutoff(CASES, now)
    )


def _expired_messages(now: dt.datetime) -> QuerySet:
    return TipMessage.objects.filter(created_at__lt=_cutoff(MESSAGES, now)).exclude(tip__status__in=OPEN_TIP_STATUSES)


def _expired_outbound(now: dt.datetime) -> QuerySet:
    done = (DeliveryStatus.SENT, DeliveryStatus.GAVE_UP, DeliveryStatus.STOPPED)
    return OutboundMessage.objects.filter(
        created_at__lt=_cutoff(MESSAGES, now), status__in=done, tip_message__isnull=True
    ).exclude(conversation__tip__status__in=OPEN_TIP_STATUSES)


def _expired_posts(now: dt.datetime) -> QuerySet:
    return Post.objects.filter(created_at__lt=_cutoff(POSTS, now))


def _delete_tip(tip: Tip) -> None:
    LegalHold.objects.filter(tip=tip, released_at__isnull=False).delete()
    tip.delete()


def _delete_case(case: Case) -> list[str]:
    """Delete a case with the tips that became it and, when it has no other case, its person.
    Returns the attachment files to remove once the deletion commits."""
    for tip in Tip.objects.select_for_update().filter(case=case):
        _delete_tip(tip)
    LegalHold.objects.filter(case=case, released_at__isnull=False).delete()
    storage = list(Attachment.objects.filter(case=case).values_list("storage_name", flat=True))
    Referral.objects.filter(case=case).delete()  # before the consents they point to
    # Consents and plan items first, while the case exists: their delete signals refresh the case's
    # dashboard row, which the case's own deletion then removes.
    Consent.objects.filter(case=case).delete()
    ServicePlanItem.objects.filter(case=case).delete()
    person_id = case.person_id
    case.delete()
    if not Case.objects.filter(person_id=person_id).exists():
        Person.objects.filter(pk=person_id).delete()
    return storage


def _run_batches(
    report: KindReport,
    expired: Callable[[], QuerySet],
    held: object | None,
    delete: Callable[[Model], list[str] | None],
    what: str,
) -> None:
    """Delete expired, unheld records batch by batch; each batch is one transaction with its audit entry."""
    failed: set[int] = set()
    while True:
        candidates = expired()
        if held is not None:
            candidates = candidates.exclude(held)
        pks = list(candidates.exclude(pk__in=failed).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not pks:
            return
        removed_files: list[str] = []
        with transaction.atomic():
            locked = expired().filter(pk__in=pks)
            if held is not None:
                locked = locked.exclude(held)
            done = 0
            for row in locked.select_for_update().order_by("pk"):
                try:
                    with transaction.atomic():
                        removed_files += delete(row) or []
                    done += 1
                except ProtectedError:
                    failed.add(row.pk)  # a hold placed since the batch was chosen; reported below
            if done:
                record(
                    None,
                    AuditAction.PURGE,
                    object_type="retention",
                    object_id=report.kind.key,
                    reason=f"retention purge: {done} {what} past {report.kind.days} days",
                )
                transaction.on_commit(lambda names=removed_files: [files.remove(n) for n in names])
        report.deleted += done


def _orphan_files(now: dt.datetime) -> list[Path]:
    """Attachment files no row names (left by a crash between a batch's commit and its file removal)."""
    root = Path(settings.MEDIA_ROOT) / files.STORE_DIR
    if not root.is_dir():
        return []
    on_disk = {p.name: p for p in root.iterdir() if p.is_file()}
    if not on_disk:
        return []
    known = set(Attachment.objects.filter(storage_name__in=list(on_disk)).values_list("storage_name", flat=True))
    oldest = (now - ORPHAN_FILE_AGE).timestamp()
    return [p for name, p in sorted(on_disk.items()) if name not in known and p.stat().st_mtime < oldest]


def _held_ids(qs: QuerySet, held: object) -> list[str]:
    return list(qs.filter(held).order_by("public_id").values_list("public_id", flat=True))


def _delete(row: Model) -> None:
    row.delete()


def purge(*, apply: bool = False, now: dt.datetime | None = None) -> PurgeReport:
    """Report (and with `apply`, delete) what is past its retention period."""
    now = now or timezone.now()
    tip_held = selectors.tip_held()
    case_held = selectors.case_held()
    message_held = selectors.tip_held("tip_id", "tip__case_id")
    outbound_held = selectors.tip_held("conversation__tip_id", "conversation__tip__case_id")
    reports = {kind.key: KindReport(kind) for kind in SCHEDULE}

    if TIPS.days:
        r = reports["tips"]
        r.held_ids = _held_ids(_expired_tips(now), tip_held)
        r.held = len(r.held_ids)
        r.due = _expired_tips(now).exclude(tip_held).count()
        if apply:
            _run_batches(r, lambda: _expired_tips(now), tip_held, _delete_tip, "closed tips")
    if CASES.days:
        r = reports["cases"]
        r.held_ids = _held_ids(_expired_cases(now), case_held)
        r.held = len(r.held_ids)
        r.due = _expired_cases(now).exclude(case_held).count()
        if apply:
            _run_batches(r, lambda: _expired_cases(now), case_held, _delete_case, "closed cases")
    if MESSAGES.days:
        r = reports["messages"]
        r.held = _expired_messages(now).filter(message_held).count()
        r.due = _expired_messages(now).exclude(message_held).count()
        r.due += _expired_outbound(now).exclude(outbound_held).count()
        if apply:
            _run_batches(r, lambda: _expired_messages(now), message_held, _delete, "tip messages")
            _run_batches(r, lambda: _expired_outbound(now), outbound_held, _delete, "text messages sent")
    if POSTS.days:
        r = reports["intel_posts"]
        r.due = _expired_posts(now).count()
        if apply:
            _run_batches(r, lambda: _expired_posts(now), None, _delete, "intel posts")
            Contact.objects.filter(post_links__isnull=True).delete()  # contacts no remaining post shows
    if AUDIT.days:
        r = reports["audit"]
        r.held = AuditEntry.objects.filter(at__lt=now - dt.timedelta(days=AUDIT.days)).count()
        r.kept_note = "audit entries are kept: the chain is verified from its first entry, so the purge deletes none"

    orphans = _orphan_files(now)
    report = PurgeReport(applied=apply, kinds=list(reports.values()), orphan_files=len(orphans))
    if apply and orphans:
        for path in orphans:
            path.unlink(missing_ok=True)
        report.orphan_files_deleted = len(orphans)
    return report


def describe(report: PurgeReport) -> Iterable[str]:
    """The report as lines for the command and the log: counts, periods and held ids only."""
    head = "Deleted" if report.applied else "Dry run (nothing deleted; --apply deletes)"
    yield head
    for r in report.kinds:
        if not r.enabled:
            yield f"  {r.kind.key}: kept until deleted by hand ({r.kind.setting}=0)"
            continue
        count = r.deleted if report.applied else r.due
        verb = "deleted" if report.applied else "due"
        line = f"  {r.kind.key}: {count} {verb} ({r.kind.label}: {r.kind.days})"
        if r.held and not r.kept_note:
            line += f"; past the period but kept under legal hold: {r.held}"
            if r.held_ids:
                line += " (" + ", ".join(r.held_ids) + ")"
        if r.kept_note:
            line += f"; past the period: {r.held}, {r.kept_note}"
        if r.kept_note:
            line += f"; {r.kept_note}"
        yield line
    if report.orphan_files:
        verb = "removed" if report.applied else "to remove"
        yield f"  attachment files without a record: {report.orphan_files} {verb}"
