"""The retention purge: a dry run counts, --apply deletes what is past its period, held records are
kept and reported, the audit gets counts only, and a run stopped half-way is finished by the next."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from beacon.audit.models import AuditAction, AuditEntry
from beacon.audit.services import record, verify_chain
from beacon.cases import files
from beacon.cases import services as case_services
from beacon.cases.models import Attachment, Case, Person
from beacon.intel.models import Post
from beacon.lifecycle import purge, services
from beacon.lifecycle.tests.conftest import PDF, close, make_tip
from beacon.tips.models import Status as TipStatus
from beacon.tips.models import Tip, TipMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(settings):
    settings.BEACON_RETAIN_CLOSED_TIPS_DAYS = 30
    settings.BEACON_RETAIN_CLOSED_CASES_DAYS = 60
    settings.BEACON_RETAIN_MESSAGES_DAYS = 10
    settings.BEACON_RETAIN_INTEL_POSTS_DAYS = 20
    settings.BEACON_RETAIN_AUDIT_DAYS = 0
    return settings


def _kind(report, key):
    return next(r for r in report.kinds if r.kind.key == key)


def test_a_dry_run_counts_and_deletes_nothing(schedule, staff, agency, open_case):
    old_tip = make_tip(agency, status=TipStatus.CLOSED, days_ago=40)
    make_tip(agency, status=TipStatus.CLOSED, days_ago=5)  # within its period
    make_tip(agency, status=TipStatus.NEW, days_ago=400)  # open: never purged
    close(open_case(), days_ago=90)
    open_case()  # open case
    report = purge.purge()
    assert not report.applied
    assert (_kind(report, "tips").due, _kind(report, "cases").due) == (1, 1)
    assert Tip.objects.filter(pk=old_tip.pk).exists() and Case.objects.count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.PURGE).exists()


def test_apply_deletes_what_is_due_with_its_files_and_keeps_the_rest(
    schedule, staff, agency, open_case, media, django_capture_on_commit_callbacks
):
    old_tip = make_tip(agency, status=TipStatus.CLOSED, days_ago=40)
    fresh_tip = make_tip(agency, status=TipStatus.CLOSED, days_ago=5)
    case = open_case()
    attachment = case_services.add_attachment(staff["cw"], case, filename="letter.pdf", data=PDF)
    linked = make_tip(agency, status=TipStatus.CONVERTED, case=case)
    close(case, days_ago=90)
    kept_case = open_case(given_name="Bea")
    path = media / files.STORE_DIR / attachment.storage_name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        report = purge.purge(apply=True)
    assert (_kind(report, "tips").deleted, _kind(report, "cases").deleted) == (1, 1)
    assert not Tip.objects.filter(pk__in=[old_tip.pk, linked.pk]).exists()
    assert Tip.objects.filter(pk=fresh_tip.pk).exists()
    assert not Case.objects.filter(pk=case.pk).exists() and not Person.objects.filter(pk=case.person_id).exists()
    assert Case.objects.filter(pk=kept_case.pk).exists()
    assert not Attachment.objects.exists() and not path.exists()

    entries = list(AuditEntry.objects.filter(action=AuditAction.PURGE).order_by("seq"))
    assert [e.object_id for e in entries] == ["tips", "cases"]
    assert entries[0].reason == "retention purge: 1 closed tips past 30 days"
    for entry in entries:  # counts only: no names, no ids of what was deleted
        assert "Ana" not in entry.reason and case.public_id not in entry.reason and entry.actor_id is None
    assert verify_chain().ok


def test_held_records_are_kept_and_reported(schedule, staff, agency, open_case):
    held_tip = make_tip(agency, status=TipStatus.CLOSED, days_ago=40)
    services.place_hold(staff["sup"], services.HoldTarget("tip", held_tip.public_id), "Matter 1")
    case = open_case()
    tip_of_case = make_tip(agency, status=TipStatus.CONVERTED, case=case)
    close(case, days_ago=90)
    # A hold on the tip that became a case keeps the case too.
    services.place_hold(staff["sup"], services.HoldTarget("tip", tip_of_case.public_id), "Matter 2")
    released = close(open_case(given_name="Bea"), days_ago=90)
    hold = services.place_hold(staff["sup"], services.HoldTarget("case", released.public_id), "Matter 3")
    services.release_hold(staff["sup"], hold.public_id)

    dry = purge.purge()
    assert _kind(dry, "tips").held_ids == [held_tip.public_id]
    assert _kind(dry, "cases").held_ids == [case.public_id]
    assert _kind(dry, "cases").due == 1
    lines = "\n".join(purge.describe(dry))
    assert "kept under legal hold: 1" in lines and case.public_id in lines

    purge.purge(apply=True)
    assert Tip.objects.filter(pk=held_tip.pk).exists() and Case.objects.filter(pk=case.pk).exists()
    assert not Case.objects.filter(pk=released.pk).exists()  # a released hold no longer keeps it


def test_messages_of_closed_tips_and_old_intel_posts(schedule, agency):
    closed = make_tip(agency, status=TipStatus.CLOSED, days_ago=1)
    open_tip = make_tip(agency)
    old = timezone.now() - dt.timedelta(days=15)
    for tip in (closed, open_tip):
        message = TipMessage.objects.create(tip=tip, author="reporter", kind="addition", body="More details.")
        TipMessage.objects.filter(pk=message.pk).update(created_at=old)
    TipMessage.objects.create(tip=closed, author="staff", kind="reply", body="Thank you.")  # recent
    post = Post.objects.create(source="fixture", source_post_id="1", body="ad text")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - dt.timedelta(days=25))
    Post.objects.create(source="fixture", source_post_id="2", body="new ad")
    report = purge.purge(apply=True)
    assert _kind(report, "messages").deleted == 1 and _kind(report, "intel_posts").deleted == 1
    assert TipMessage.objects.filter(tip=open_tip).count() == 1  # an open tip keeps its thread
    assert TipMessage.objects.filter(tip=closed).count() == 1
    assert list(Post.objects.values_list("source_post_id", flat=True)) == ["2"]


def test_a_zero_period_keeps_the_kind_and_the_audit_is_never_deleted(schedule, agency):
    schedule.BEACON_RETAIN_CLOSED_TIPS_DAYS = 0
    schedule.BEACON_RETAIN_AUDIT_DAYS = 1
    make_tip(agency, status=TipStatus.CLOSED, days_ago=4000)
    record(None, AuditAction.VIEW, object_type="case", object_id="X1")
    AuditEntry.objects.filter(object_id="X1").update(at=timezone.now() - dt.timedelta(days=5))
    report = purge.purge(apply=True)
    assert Tip.objects.count() == 1
    assert _kind(report, "audit").held == 1 and AuditEntry.objects.filter(object_id="X1").exists()
    lines = "\n".join(purge.describe(report))
    assert "kept until deleted by hand (BEACON_RETAIN_CLOSED_TIPS_DAYS=0)" in lines


def test_a_run_stopped_half_way_is_finished_by_the_next(schedule, agency, monkeypatch):
    tips = [make_tip(agency, status=TipStatus.CLOSED, days_ago=40) for _ in range(3)]
    monkeypatch.setattr(purge, "BATCH", 1)
    real = purge._delete_tip
    calls = {"n": 0}

    def crash_on_second(tip):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C or a killed process, mid-batch
        real(tip)

    monkeypatch.setattr(purge, "_delete_tip", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        purge.purge(apply=True)
    assert Tip.objects.count() == 2  # the first batch committed, the second rolled back whole
    assert AuditEntry.objects.filter(action=AuditAction.PURGE).count() == 1
    monkeypatch.setattr(purge, "_delete_tip", real)
    report = purge.purge(apply=True)
    assert _kind(report, "tips").deleted == 2 and not Tip.objects.filter(pk__in=[t.pk for t in tips]).exists()
    again = purge.purge(apply=True)  # nothing left: no deletion, no entry
    assert _kind(again, "tips").deleted == 0
    assert AuditEntry.objects.filter(action=AuditAction.PURGE).count() == 3
    assert verify_chain().ok


def test_files_left_by_an_interrupted_run_are_removed(schedule, staff, open_case, media):
    case = open_case()
    kept = case_services.add_attachment(staff["cw"], case, filename="kept.pdf", data=PDF)
    store = media / files.STORE_DIR
    store.mkdir(parents=True, exist_ok=True)
    orphan = store / ("0" * 32)
    orphan.write_text("enc1:sealed", encoding="ascii")
    day_old = time.time() - 2 * 86400
    os.utime(orphan, (day_old, day_old))
    young = store / ("1" * 32)  # an upload whose row has not committed yet
    young.write_text("enc1:sealed", encoding="ascii")
    assert purge.purge().orphan_files == 1
    purge.purge(apply=True)
    assert not orphan.exists() and young.exists() and (store / kept.storage_name).exists()


def test_the_command_is_a_dry_run_unless_told_to_apply(schedule, agency):
    tip = make_tip(agency, status=TipStatus.CLOSED, days_ago=40)
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "Dry run" in out.getvalue() and "tips: 1 due" in out.getvalue()
    assert Tip.objects.filter(pk=tip.pk).exists()
    out = io.StringIO()
    call_command("purge", "--apply", stdout=out)
    assert "tips: 1 deleted" in out.getvalue() and not Tip.objects.filter(pk=tip.pk).exists()
