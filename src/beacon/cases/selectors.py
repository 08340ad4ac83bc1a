"""Reads for case management, scoped by the access policy. Reads of personal data are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from beacon.access.policy import Action, RecordRefused, Scope, can, get_in_scope, scope_queryset, scopes_for
from beacon.accounts.models import User
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases import identity
from beacon.cases.access import active_shared_referral, shared_referrals
from beacon.cases.models import (
    NEED_PRIORITIES,
    OPEN_STATUSES,
    AgeBand,
    Case,
    CaseNote,
    Consent,
    Notification,
    Person,
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralStatus,
    ReliefApplication,
    ReliefMilestone,
    Task,
)
from beacon.cases.services.records import OWNER_ROLES
from beacon.cases.services.referrals import consent_for_referral
from beacon.cases.sharing import shared_values
from beacon.crypto.keys import email_index, phone_index
from beacon.reference.models import County
from beacon.screening.engine import get_instrument
from beacon.screening.engine.i18n import localize

PAGE_SIZE = 25
LIST_FIELDS = (
    "id",
    "public_id",
    "version",
    "status",
    "primary_type",
    "polaris_type",
    "opened_at",
    "county__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "agency_id",
    "agency__name",
    "person__public_id",
    "person__minor_at_intake",
)


def visible_cases(user: User) -> QuerySet[Case]:
    return scope_queryset(user, Action.VIEW, "case", Case.objects.all())


def _list_qs(qs: QuerySet[Case]) -> QuerySet[Case]:
    # List rows show codes and ids only (no decrypted personal data), so no per-row audit is needed.
    return qs.select_related("county", "owner", "agency", "person").only(*LIST_FIELDS).order_by("-opened_at", "-id")


def caseload(user: User, *, limit: int = PAGE_SIZE) -> list[Case]:
    """The user's open cases, newest first."""
    qs = visible_cases(user).filter(owner_id=user.pk, status__in=OPEN_STATUSES)
    return list(_list_qs(qs)[:limit])


MAX_PAGE = 10_000  # far past any agency's caseload; larger page numbers are refused (API) or clamped


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    type: str = ""
    county: str = ""
    owner: str = ""
    page: int = 1


@dataclass
class Page:
    items: list[Any]
    page: int
    has_next: bool
    has_previous: bool = field(init=False)

    def __post_init__(self) -> None:
        self.has_previous = self.page > 1


def search_cases(user: User, filters: CaseFilters, *, page_size: int = PAGE_SIZE) -> Page:
    """Filtered, scoped case list. `q` matches a case or person id, or a full name exactly (blind index).

    The policy's scope (own/agency OR shared-by-referral) is applied to every part. Because an OR with
    an EXISTS cannot use an ordered index, the list is read as two index-friendly parts (the user's own
    or agency's cases, and cases shared with the agency) and merged; each part is still filtered by the
    policy's scope. Pages are keyed by offset without a total count: counting a large agency's cases
    costs more than the list itself.
    """
    qs = visible_cases(user)
    q = filters.q.strip()
    if q:
        upper = q.upper()
        people = list(
            Person.objects.filter(Q(public_id=upper) | Q(name_bidx=identity.name_index(q, ""))).values_list(
                "id", flat=True
            )[:200]
        )
        qs = qs.filter(Q(public_id=upper) | Q(person_id__in=people))
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(primary_type=filters.type)
    if filters.county:
        qs = qs.filter(county_id=filters.county)
    if filters.owner == "me":
        qs = qs.filter(owner_id=user.pk)
    elif filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner:
        qs = qs.filter(owner__username=filters.owner)
    page = min(max(1, filters.page), MAX_PAGE)  # an offset the database can hold, whatever was asked
    start = (page - 1) * page_size
    wanted = start + page_size + 1
    scopes = scopes_for(user, Action.VIEW, "case")
    parts = []
    if Scope.AGENCY in scopes and user.agency_id:
        parts.append(qs.filter(agency_id=user.agency_id))
    elif Scope.OWN in scopes:
        parts.append(qs.filter(owner_id=user.pk))
    if Scope.SHARED in scopes and user.agency_id:
        shared_ids = shared_referrals(user).filter(case_id=OuterRef("pk"))
        parts.append(qs.filter(Exists(shared_ids)).exclude(agency_id=user.agency_id))
    rows: list[Case] = []
    for part in parts:
        rows.extend(_list_qs(part)[:wanted])
    rows.sort(key=lambda c: (c.opened_at, c.pk), reverse=True)
    rows = list({c.pk: c for c in rows}.values())[start:wanted]
    return Page(items=rows[:page_size], page=page, has_next=len(rows) > page_size)


def team_caseload(user: User) -> list[dict[str, Any]]:
    """Supervisor view: open cases per owner in the agency, with overdue tasks (owners without open
    cases are listed too, with 0, so a supervisor sees who has room)."""
    from django.db.models import Count

    if not can(user, Action.ASSIGN, "case"):
        return []
    qs = visible_cases(user).filter(agency_id=user.agency_id, status__in=OPEN_STATUSES)
    rows = (
        qs.values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(open_cases=Count("id"))
        .order_by("-open_cases")
    )
    overdue = dict(
        Task.objects.filter(assignee__agency_id=user.agency_id, done_at__isnull=True, due_date__lt=timezone.localdate())
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    result = [{**row, "overdue_tasks": overdue.get(row["owner_id"], 0)} for row in rows]
    listed = {row["owner_id"] for row in result}

    idle = User.objects.filter(agency_id=user.agency_id, is_active=True, role__in=OWNER_ROLES).exclude(pk__in=listed)
    for u in idle.order_by("username"):
        result.append(
            {
                "owner_id": u.pk,
                "owner__username": u.username,
                "owner__first_name": u.first_name,
                "owner__last_name": u.last_name,
                "open_cases": 0,
                "overdue_tasks": overdue.get(u.pk, 0),
            }
        )
    return result


@dataclass(frozen=True)
class OwnerChoice:
    user: User
    open_cases: int

    @property
    def label(self) -> str:
        name = self.user.get_full_name() or self.user.username
        return f"{name} ({self.user.get_role_display()})"


def assignable_owners(user: User, agency_id: int | None = None) -> list[OwnerChoice]:
    """Who can own a case of the agency (its active caseworkers and supervisors), with their open
    caseloads, fewest first: the list a case is assigned or reassigned from. One query."""
    from django.db.models import Count

    agency_id = agency_id or user.agency_id
    if not agency_id or not (can(user, Action.CREATE, "case") or can(user, Action.ASSIGN, "case")):
        return []
    users = (
        User.objects.filter(agency_id=agency_id, is_active=True, role__in=OWNER_ROLES)
        .annotate(open_cases=Count("owned_cases", filter=Q(owned_cases__status__in=OPEN_STATUSES)))
        .order_by("open_cases", "last_name", "first_name", "username")
    )
    return [OwnerChoice(u, u.open_cases) for u in users]


def get_case(user: User, public_id: str, *, action: str = Action.VIEW, reason: str = "case page") -> Case:
    """One case the user may act on, with the owning person; audits the read."""
    case = Case.objects.select_related("person", "agency", "owner", "county").filter(public_id=public_id).first()
    if case is None:
        raise Http404
    if not can(user, action, "case", case) or not _is_full_access(user, case):
        raise RecordRefused(case, action)
    if action == Action.VIEW:
        case_shown(user, case, reason)
    return case


def case_shown(user: User, case: Case, reason: str) -> None:
    """A page shows the case and its person's personal data: view entries for both, whatever action
    the page serves (the edit forms show decrypted names, birth date and contacts too)."""
    record(user, AuditAction.VIEW, case, reason=reason)
    record(user, AuditAction.VIEW, case.person, reason=reason)


def _is_full_access(user: User, case: Case) -> bool:
    """Own or agency scope sees the whole case; shared scope sees only the shared view."""
    return case.agency_id == user.agency_id


def case_page(user: User, case: Case) -> dict[str, Any]:
    """Everything the case page shows, in a fixed number of queries."""
    notes = (
        list(CaseNote.objects.filter(case=case).select_related("author")[:50])
        if can(user, Action.VIEW, "note", CaseNote(case=case))
        else []
    )
    referrals = list(
        Referral.objects.filter(case=case)
        .select_related("to_agency", "sent_by", "responded_by")
        .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.select_related("actor")))
    )
    relief = list(ReliefApplication.objects.filter(case=case).prefetch_related("milestones"))
    context = {
        "case": case,
        "person": case.person,
        "notes": notes,
        "attachments": list(case.attachments.select_related("uploaded_by")),
        "consents": list(Consent.objects.filter(case=case).select_related("agency", "recorded_by", "signed_form")),
        "needs": list(case.needs.all()),
        "goals": list(case.goals.all()),
        "plan_items": list(case.plan_items.select_related("provider")),
        "relief": relief,
        "tasks": list(case.tasks.filter(done_at__isnull=True).select_related("assignee")),
        "events": list(case.events.select_related("county")),
        "perpetrators": list(case.perpetrators.all()),
        "referrals": referrals,
        "screenings": _screenings(case),
    }
    context["timeline"] = timeline(case, context)
    context["signs_from_tip"] = tip_signs(case)
    context["linked_tips"] = [tip.public_id for tip in case.tips.all().only("public_id")]
    context["received_from"] = list(
        Referral.objects.filter(received_case=case).select_related("from_agency").only("public_id", "from_agency__name")
    )
    return context


TIP_CHECKLIST = "community-red-flags"  # the instrument the public tip form asks


def tip_signs(case: Case) -> list[dict[str, str]]:
    """The tip's answered signs in the reader's language: [{"id", "text", "answer"}], "yes" first."""
    answers = case.signs_from_tip or {}
    if not answers:
        return []
    from django.utils.translation import get_language

    language = get_language() or "en"
    try:
        items = {item.id: item for item in get_instrument(TIP_CHECKLIST).items}
    except Exception:  # an installation without the instrument shows the item ids
        items = {}
    out = []
    for item_id, answer in answers.items():
        item = items.get(item_id)
        text = localize(item.text, language) if item is not None else item_id
        out.append({"id": item_id, "text": text, "answer": answer})
    out.sort(key=lambda s: (s["answer"] != "yes", s["text"]))
    return out


def _screenings(case: Case) -> list[Any]:
    related = getattr(case, "screenings", None)
    if related is None:
        return []
    try:
        return list(related.all()[:20])
    except Exception:  # the screening app's table may not be migrated yet in a partial deployment
        return []


def timeline(case: Case, context: dict[str, Any]) -> list[dict[str, Any]]:
    """Dated entries for the case page, newest first. Text is codes and ids, rendered by the template."""
    items: list[dict[str, Any]] = [{"at": case.opened_at, "kind": "opened", "case": case}]
    if case.closed_at:
        items.append({"at": case.closed_at, "kind": "closed", "case": case})
    for note in context["notes"]:
        items.append({"at": note.created_at, "kind": "note", "note": note})
    for consent in context["consents"]:
        items.append({"at": consent.granted_at, "kind": "consent", "consent": consent})
        if consent.revoked_at:
            items.append({"at": consent.revoked_at, "kind": "consent_revoked", "consent": consent})
    for referral in context["referrals"]:
        for event in referral.events.all():
            items.append({"at": event.at, "kind": "referral", "referral": referral, "event": event})
    for screening in context["screenings"]:
        at = (
            getattr(screening, "completed_at", None)
            or getattr(screening, "started_at", None)
            or getattr(screening, "created_at", None)
        )
        if at:
            items.append({"at": at, "kind": "screening", "screening": screening})
    for application in context["relief"]:
        for milestone in application.milestones.all():
            if milestone.reached_on:
                at = timezone.make_aware(dt.datetime.combine(milestone.reached_on, dt.time(12)))
                items.append({"at": at, "kind": "relief", "application": application, "milestone": milestone})
    items.sort(key=lambda item: item["at"], reverse=True)
    return items


# Shared view ------------------------------------------------------------------------------------------


def shared_case(user: User, referral_public_id: str) -> dict[str, Any]:
    """What a receiving agency sees through an accepted referral: the chosen fields only.

    Raises Http404 once the referral is no longer accepted or the consent was revoked.
    """
    referral = (
        Referral.objects.select_related("case", "case__person", "from_agency", "to_agency")
        .filter(public_id=referral_public_id, to_agency_id=user.agency_id)
        .first()
    )
    if referral is None or not can(user, Action.VIEW, "case", referral.case):
        raise Http404
    # This referral must itself be the accepted one: a declined or completed referral shows nothing.
    if referral.status != ReferralStatus.ACCEPTED or active_shared_referral(user, referral.case) is None:
        raise Http404
    consent = consent_for_referral(referral.case, referral.to_agency)
    record(user, AuditAction.VIEW, referral.case, reason=f"shared view, referral {referral.public_id}")
    record(user, AuditAction.VIEW, referral.case.person, reason=f"shared view, referral {referral.public_id}")
    return {
        "referral": referral,
        "case_id": referral.case.public_id,
        # Within what the survivor's consent covers today, whatever the referral once carried.
        "fields": shared_values(referral.case, consent.allows(list(referral.shared_fields)) if consent else []),
    }


# Referrals --------------------------------------------------------------------------------------------


REFERRAL_LIST_FIELDS = (
    "id",
    "public_id",
    "case_id",
    "case__public_id",
    "from_agency__name",
    "from_agency__public_id",
    "to_agency__name",
    "to_agency__public_id",
    "service",
    "status",
    "sent_at",
    "responded_at",
    "shared_fields",
    "decline_reason",
    "from_agency_id",
    "to_agency_id",
    "sent_by_id",
    "urgency",
    "received_case_id",
    "received_case__public_id",
)


def referrals_for(user: User) -> QuerySet[Referral]:
    return scope_queryset(user, Action.VIEW, "referral", Referral.objects.all()).select_related(
        "case", "from_agency", "to_agency", "sent_by"
    )


def _referral_rows(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    # Lists need ids, agencies and status only: no encrypted column is read (or decrypted).
    return (
        qs.select_related(None)
        .select_related("case", "from_agency", "to_agency", "received_case")
        .only(*REFERRAL_LIST_FIELDS)
    )


def intake_queue(user: User, *, limit: int = 100) -> list[Referral]:
    """Referrals addressed to the user's agency that wait for an answer: urgent ones first, then
    oldest first."""
    if not user.agency_id:
        return []
    rank = DbCase(When(urgency="urgent", then=Value(0)), When(urgency="normal", then=Value(1)), default=Value(2))
    waiting = referrals_for(user).filter(to_agency_id=user.agency_id, status=ReferralStatus.SENT)
    return list(_referral_rows(waiting).order_by(rank, "sent_at")[:limit])


def incoming_referrals(user: User) -> list[Referral]:
    if not user.agency_id:
        return []
    return list(_referral_rows(referrals_for(user).filter(to_agency_id=user.agency_id)).order_by("-sent_at")[:100])


def outgoing_referrals(user: User) -> list[Referral]:
    if not user.agency_id:
        return []
    return list(_referral_rows(referrals_for(user).filter(from_agency_id=user.agency_id)).order_by("-sent_at")[:100])


def get_referral(user: User, public_id: str) -> Referral:
    queryset = Referral.objects.select_related("case", "from_agency", "to_agency", "sent_by")
    referral = get_in_scope(user, Action.VIEW, "referral", queryset, public_id=public_id)
    if referral is None:
        raise Http404
    return referral


def referral_summary(referral: Referral) -> dict[str, Any]:
    """The non-identifying summary the receiving agency reads before it accepts, as codes for the
    template's label filters: services, exploitation types, county, languages, age band, urgency, the
    sender's message and whom to call. Never names, contacts or the story."""
    summary = referral.summary or {}
    county = County.objects.filter(fips=summary.get("county")).first() if summary.get("county") else None
    sender = referral.sent_by
    return {
        "services": summary.get("services") or [referral.service],
        "exploitation_types": summary.get("exploitation_types") or [],
        "county": county.name if county else "",
        "languages": summary.get("languages") or [],
        "age_band": str(dict(AgeBand.choices).get(summary.get("age_band", ""), AgeBand.UNKNOWN.label)),
        "minor": bool(summary.get("minor")),
        "urgency": str(dict(NEED_PRIORITIES).get(referral.urgency, referral.urgency)),
        "urgent": referral.urgency == "urgent",
        "message": referral.message,
        "contact_name": (sender.get_full_name() or sender.username) if sender else "",
        "contact_email": sender.email if sender else "",
        "agency_phone": referral.from_agency.phone,
        "agency_email": referral.from_agency.email,
    }


def need_priority(case: Case, service: str) -> str:
    """The priority of the case's need for `service` ("normal" when the case lists no such need)."""
    need = case.needs.filter(category=service).only("priority").first() if service else None
    return need.priority if need else "normal"


def referral_thread(user: User, referral: Referral, *, limit: int = 200) -> list[ReferralMessage]:
    """The referral's messages the user may read (both sides only), oldest first; each read is audited."""
    qs = scope_queryset(user, Action.VIEW, "referral_message", ReferralMessage.objects.filter(referral=referral))
    messages = list(qs.select_related("author", "agency").order_by("-created_at", "-pk")[:limit])
    messages.reverse()
    for message in messages:
        record(user, AuditAction.VIEW, message, reason=f"thread of referral {referral.public_id}")
    return messages


# Home panel -------------------------------------------------------------------------------------------


def tasks_due(user: User, *, within_days: int = 7) -> list[Task]:
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    return list(
        Task.objects.filter(assignee=user, done_at__isnull=True, due_date__lte=horizon)
        .select_related("case")
        .only("id", "public_id", "title", "due_date", "case_id", "case__public_id")
        .order_by("due_date")[:20]
    )


def relief_due(user: User, *, within_days: int = 30) -> list[ReliefMilestone]:
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    return list(
        ReliefMilestone.objects.filter(
            reached_on__isnull=True,
            due_date__lte=horizon,
            application__case__owner=user,
            application__case__status__in=OPEN_STATUSES,
        )
        .select_related("application", "application__case")
        .only("id", "kind", "due_date", "application__kind", "application__case__public_id")
        .order_by("due_date")[:20]
    )


def unread_notifications(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:20])


# Duplicates -------------------------------------------------------------------------------------------


@dataclass
class DuplicateCheck:
    matches: list[dict[str, Any]]
    elsewhere: bool


def find_duplicates(
    user: User,
    *,
    given_name: str = "",
    family_name: str = "",
    birth_date: Any = None,
    estimated_age: int | None = None,
    phone: str = "",
    email: str = "",
) -> DuplicateCheck:
    """Likely matches in the user's agency; for other agencies only whether one exists (no details)."""
    year = identity.birth_year_of(birth_date, estimated_age, timezone.localdate())
    keys = {
        "name_bidx": identity.name_index(given_name, family_name),
        "fuzzy_bidx": identity.fuzzy_index(given_name, family_name, year),
        "phone_bidx": phone_index(phone),
        "email_bidx": email_index(email),
    }
    condition = Q(pk__in=[])
    for column, value in keys.items():
        if value:
            condition |= Q(**{column: value})
    if not any(keys.values()) or not user.agency_id:
        return DuplicateCheck([], False)
    matches = []
    mine = Person.objects.filter(condition, agency_id=user.agency_id).prefetch_related("cases")[:10]
    for person in mine:
        why = [
            column.removesuffix("_bidx") for column, value in keys.items() if value and getattr(person, column) == value
        ]
        matches.append(
            {"person": person.public_id, "cases": [c.public_id for c in person.cases.all()], "matched_on": why}
        )
    elsewhere = Person.objects.filter(condition).exclude(agency_id=user.agency_id).exists()
    return DuplicateCheck(matches, elsewhere)
