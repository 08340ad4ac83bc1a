"""The service plan around a case: needs, goals, plan items, immigration relief and its milestones, tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import AccessDenied, Action, can, require
from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.models import (
    Case,
    PlanItemStatus,
    ReliefApplication,
    ReliefMilestone,
    ServiceGoal,
    ServiceNeed,
    ServicePlanItem,
    Task,
)


@transaction.atomic
def add_need(actor: User, case: Case, *, category: str, priority: str = "normal") -> ServiceNeed:
    require(actor, Action.UPDATE, "case", case)
    need, _created = ServiceNeed.objects.get_or_create(case=case, category=category, defaults={"priority": priority})
    record(actor, AuditAction.UPDATE, case, reason="service need")
    return need


@transaction.atomic
def add_goal(actor: User, case: Case, *, text: str) -> ServiceGoal:
    require(actor, Action.UPDATE, "case", case)
    goal = ServiceGoal.objects.create(case=case, text=text)
    record(actor, AuditAction.UPDATE, case, reason="service goal")
    return goal


@transaction.atomic
def add_plan_item(actor: User, case: Case, **fields: Any) -> ServicePlanItem:
    require(actor, Action.UPDATE, "case", case)
    item = ServicePlanItem.objects.create(case=case, **fields)
    ServiceNeed.objects.get_or_create(case=case, category=item.category)
    record(actor, AuditAction.UPDATE, case, reason="service plan item")
    return item


@transaction.atomic
def update_plan_item(actor: User, item: ServicePlanItem, *, status: str, outcome: str = "") -> ServicePlanItem:
    require(actor, Action.UPDATE, "case", item.case)
    item.status = status
    if outcome:
        item.outcome = outcome
    if status == PlanItemStatus.COMPLETED and not item.completed_on:
        item.completed_on = timezone.localdate()
    item.save()
    record(actor, AuditAction.UPDATE, item.case, reason="service plan item")
    return item


@transaction.atomic
def add_relief(actor: User, case: Case, *, kind: str) -> ReliefApplication:
    require(actor, Action.UPDATE, "case", case)
    application, _created = ReliefApplication.objects.get_or_create(case=case, kind=kind)
    record(actor, AuditAction.UPDATE, case, reason="immigration relief")
    return application


@transaction.atomic
def add_milestone(
    actor: User,
    application: ReliefApplication,
    *,
    kind: str,
    due_date: dt.date | None = None,
    reached_on: dt.date | None = None,
) -> ReliefMilestone:
    require(actor, Action.UPDATE, "case", application.case)
    if due_date is None and reached_on is None:
        raise ValidationError(_("Give a due date or the date the milestone was reached."))
    milestone = ReliefMilestone.objects.create(
        application=application, kind=kind, due_date=due_date, reached_on=reached_on
    )
    record(actor, AuditAction.UPDATE, application.case, reason="relief milestone")
    return milestone


@transaction.atomic
def reach_milestone(actor: User, milestone: ReliefMilestone, on: dt.date | None = None) -> ReliefMilestone:
    require(actor, Action.UPDATE, "case", milestone.application.case)
    milestone.reached_on = on or timezone.localdate()
    milestone.save(update_fields=["reached_on"])
    record(actor, AuditAction.UPDATE, milestone.application.case, reason="relief milestone reached")
    return milestone


@transaction.atomic
def add_task(actor: User, case: Case | None, *, title: str, due_date: dt.date, assignee: User | None = None) -> Task:
    if case is not None:
        require(actor, Action.UPDATE, "case", case)
    assignee = assignee or actor
    if assignee.agency_id != actor.agency_id:
        raise ValidationError(_("Tasks can only be given to someone in your agency."))
    task = Task.objects.create(case=case, assignee=assignee, title=title, due_date=due_date)
    record(actor, AuditAction.CREATE, task)
    return task


@transaction.atomic
def complete_task(actor: User, task: Task) -> Task:
    if task.assignee_id != actor.pk and not (task.case and _can_update(actor, task.case)):
        raise AccessDenied("not your task")
    Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())
    task.refresh_from_db()
    record(actor, AuditAction.UPDATE, task, reason="task done")
    return task


def _can_update(actor: User, case: Case) -> bool:
    return can(actor, Action.UPDATE, "case", case)
