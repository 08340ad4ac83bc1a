"""Deconfliction: does any other agency hold this subject? Only the fact is ever told.

A look-up compares one subject's blind index with every other agency's matter subjects, tip
identifiers and survivors' blind-index columns. What the asker reads (`finding`) is, per agency and
kind of record: a match exists at agency X since a date, and X's designated contact. Nothing of the
other record is read or shown. Two narrower answers:

- a matter its agency marked confidential: "a match exists; the task-force coordinator will contact
  you" (neither agency nor date), and the coordinators are told both sides;
- a survivor's own record (a case, or a tip the survivor sent without consent to share with law
  enforcement): "a possible match exists", naming no agency and no date, as duplicate checks do for
  cases; the survivor's agency is told, the coordinator is not, and any sharing goes through a
  referral with consent.

Both sides are notified (the in-app notices of `cases.services.notify`, and an e-mail to a contact
address), and every look-up and every notice is written to the audit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _

from beacon.accounts.models import User
from beacon.accounts.roles import Role
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.cases.models import Case, Person
from beacon.cases.services import notify
from beacon.matters.models import (
    DeconflictionCheck,
    DeconflictionContact,
    DeconflictionHit,
    Matter,
    RecordType,
    Subject,
)
from beacon.matters.subjects import PERSON_COLUMN, TIP_KIND
from beacon.tips.access import INTAKE_ROLES
from beacon.tips.models import TipIdentifier

MATTER_ROLES = (Role.INVESTIGATOR, Role.PROSECUTOR)


@dataclass(frozen=True)
class Finding:
    """The whole of what the asking agency may read about one hit."""

    kind: str  # "named": agency, record type, since, contact; "coordinator"; "possible" (survivor case)
    record_type: str = ""
    agency: str = ""
    since: datetime | None = None
    contact: str = ""


def finding(hit: DeconflictionHit) -> Finding:
    if hit.survivor:
        return Finding("possible")
    if hit.confidential or hit.holder_agency_id is None:
        return Finding("coordinator")
    contact = DeconflictionContact.objects.filter(agency_id=hit.holder_agency_id).first()
    return Finding(
        "named",
        record_type=hit.get_record_type_display(),
        agency=hit.holder_agency.name,
        since=hit.since,
        contact=contact.reach if contact else "",
    )


def _groups(subject: Subject, asker_agency_id: int) -> list[DeconflictionHit]:
    """One unsaved hit per (kind of record, holding agency, confidential), with the earliest date."""
    hits: list[DeconflictionHit] = []
    bidx = subject.bidx
    matters: dict[tuple[int, bool], dict] = defaultdict(lambda: {"ids": [], "since": None})
    rows = (
        Subject.objects.filter(bidx=bidx, kind=subject.kind)
        .exclude(matter__agency_id=asker_agency_id)
        .values_list("matter__agency_id", "matter__confidential", "matter__public_id", "added_at")
    )
    for agency_id, confidential, matter_id, added_at in rows:
        group = matters[(agency_id, confidential)]
        if matter_id not in group["ids"]:
            group["ids"].append(matter_id)
        group["since"] = min(filter(None, (group["since"], added_at)))
    for (agency_id, confidential), group in matters.items():
        hits.append(
            DeconflictionHit(
                record_type=RecordType.MATTER,
                holder_agency_id=agency_id,
                holder_matters=group["ids"],
                records=len(group["ids"]),
                since=group["since"],
                confidential=confidential,
            )
        )
    tip_kind = TIP_KIND.get(subject.kind)
    if tip_kind:
        # A tip the person it happened to sent, without consent to share with law enforcement, is a
        # survivor's own record: it answers like a survivor's case.
        tips: dict[tuple[int | None, bool], dict] = defaultdict(lambda: {"n": 0, "since": None})
        rows = (
            TipIdentifier.objects.filter(index=bidx, kind=tip_kind)
            .exclude(tip__agency_id=asker_agency_id)
            .values_list("tip__agency_id", "tip__created_at", "tip__self_report", "tip__consent_law_enforcement")
        )
        for agency_id, created_at, self_report, consent in rows:
            group = tips[(agency_id, bool(self_report and not consent))]
            group["n"] += 1
            group["since"] = min(filter(None, (group["since"], created_at)))
        for (agency_id, survivor), group in tips.items():
            hits.append(
                DeconflictionHit(
                    record_type=RecordType.TIP,
                    holder_agency_id=agency_id,
                    records=group["n"],
                    since=group["since"],
                    survivor=survivor,
                )
            )
    column = PERSON_COLUMN.get(subject.kind)
    if column:
        people = (
            Person.objects.filter(**{column: bidx})
            .exclude(agency_id=asker_agency_id)
            .values("agency_id")
            .annotate(since=Min("created_at"))
        )
        for row in people:
            hits.append(
                DeconflictionHit(
                    record_type=RecordType.CASE, holder_agency_id=row["agency_id"], since=row["since"], survivor=True
                )
            )
    return hits


def look_up(actor: User, subject: Subject) -> DeconflictionCheck | None:
    """Compare `subject` with every other agency's records, store what was found, tell both sides.
    Runs inside the caller's transaction (the subject's write). None for a subject without an index."""
    matter = subject.matter
    if not subject.bidx:
        return None
    check = DeconflictionCheck.objects.create(
        matter=matter, subject=subject, agency_id=matter.agency_id, asked_by=actor
    )
    hits = _groups(subject, matter.agency_id)
    for hit in hits:
        hit.check_run = check
    DeconflictionHit.objects.bulk_create(hits)
    record(
        actor,
        AuditAction.VIEW,
        check,
        object_type="deconfliction",
        reason=f"look-up for matter {matter.public_id}, subject {subject.public_id}: {len(hits)} match(es)",
    )
    if hits:
        _tell_everyone(actor, check, hits)
    return check


# Notices ------------------------------------------------------------------------------------------


def _contact_of(agency_id: int | None) -> DeconflictionContact | None:
    return DeconflictionContact.objects.filter(agency_id=agency_id).select_related("user").first()


def _asker_named(matter: Matter) -> str:
    """How the holding side reads the asker: by name and contact, unless the asking matter is confidential."""
    if matter.confidential:
        return _("an agency that keeps its matter confidential (the task-force coordinator will contact you)")
    contact = _contact_of(matter.agency_id)
    reach = contact.reach if contact else _("no designated contact yet")
    return _("%(agency)s (contact: %(contact)s)") % {"agency": matter.agency.name, "contact": reach}


def _send(actor: User, hit: DeconflictionHit, user: User, text: str, url: str) -> None:
    notice = notify(user, f"deconfliction:{hit.public_id}:{user.pk}", text, url)
    if notice is not None:
        record(
            actor,
            AuditAction.SHARE,
            object_type="notification",
            object_id=str(notice.pk),
            reason=f"deconfliction notice of hit {hit.public_id} to user {user.pk}",
        )


def _mail(actor: User, hit: DeconflictionHit, contact: DeconflictionContact, text: str) -> None:
    if not contact.email:
        return
    send_mail(
        _("Beacon: a deconfliction match"),
        f"{text}\n\n{settings.BEACON_SITE_URL}{reverse('web:home')}",
        None,
        [contact.email],
        fail_silently=True,
    )
    record(
        actor,
        AuditAction.SHARE,
        object_type="deconflictioncontact",
        object_id=str(contact.pk),
        reason=f"deconfliction e-mail of hit {hit.public_id} to the agency's designated contact",
    )


def _holders(hit: DeconflictionHit) -> list[User]:
    """The holding side's people: the designated contact's account, and per kind of record the leads
    of the matching matters, the tip's intake team or the survivor's case owners and supervisors."""
    people: dict[int, User] = {}
    contact = _contact_of(hit.holder_agency_id)
    if contact and contact.user and contact.user.is_active and contact.user.agency_id == hit.holder_agency_id:
        people[contact.user.pk] = contact.user
    active = User.objects.filter(is_active=True, agency_id=hit.holder_agency_id)
    if hit.record_type == RecordType.MATTER:
        team = active.filter(led_matters__public_id__in=hit.holder_matters).distinct()
        if not team:
            team = active.filter(role__in=MATTER_ROLES)
    elif hit.record_type == RecordType.TIP:
        team = active.filter(role__in=INTAKE_ROLES) if hit.holder_agency_id else User.objects.none()
    else:
        team = active.filter(role=Role.SUPERVISOR)
    for user in team:
        people[user.pk] = user
    return list(people.values())


def _tell_everyone(actor: User, check: DeconflictionCheck, hits: list[DeconflictionHit]) -> None:
    matter = check.matter
    subject_kind = check.subject.get_kind_display().lower()
    asker = _asker_named(matter)
    coordinators = list(User.objects.filter(is_active=True, role=Role.COORDINATOR))
    home = reverse("web:home")
    for hit in hits:
        if hit.record_type == RecordType.MATTER:
            text = _(
                "Deconfliction: a %(kind)s on your matter %(matters)s matches a subject just added by %(asker)s."
            ) % {
                "kind": subject_kind,
                "matters": ", ".join(hit.holder_matters),
                "asker": asker,
            }
            url = reverse("matters:detail", args=[hit.holder_matters[0]])
        elif hit.record_type == RecordType.TIP:
            text = _("Deconfliction: a %(kind)s in %(n)s of your tips matches a subject just added by %(asker)s.") % {
                "kind": subject_kind,
                "n": hit.records,
                "asker": asker,
            }
            url = reverse("tips:queue")
        else:
            cases = Case.objects.filter(
                person__agency_id=hit.holder_agency_id,
                **{f"person__{PERSON_COLUMN[check.subject.kind]}": check.subject.bidx},
            ).values_list("public_id", flat=True)
            text = _(
                "Deconfliction: a %(kind)s of a survivor in case %(cases)s matches a subject just added by %(asker)s. "
                "They were told only that a possible match exists, without your agency's name. Share "
                "nothing without the survivor's consent."
            ) % {"kind": subject_kind, "cases": ", ".join(cases[:5]) or "—", "asker": asker}
            url = reverse("cases:detail", args=[cases[0]]) if cases else home
            for owner in User.objects.filter(owned_cases__public_id__in=list(cases[:5]), is_active=True).distinct():
                _send(actor, hit, owner, text, url)
        for user in _holders(hit):
            _send(actor, hit, user, text, url)
        contact = _contact_of(hit.holder_agency_id)
        if contact:
            _mail(actor, hit, contact, text)
        if hit.survivor:
            text = ""  # a survivor's record is the survivor's agency's to follow up, with consent
        elif hit.holder_agency_id is None:
            text = _(
                "Deconfliction for the coordinator: a %(kind)s on matter %(asking)s at %(asker)s is in %(n)s tip(s) "
                "no agency has taken yet. The asker was told you will contact them."
            ) % {"kind": subject_kind, "asking": matter.public_id, "asker": matter.agency.name, "n": hit.records}
        elif hit.confidential or matter.confidential:
            held = f"{hit.get_record_type_display()} {', '.join(hit.holder_matters)}".strip()
            text = _(
                "Deconfliction for the coordinator: matter %(asking)s at %(asker)s and %(held)s at %(holder)s share "
                "a %(kind)s. A confidential matter was not named to the other side: contact both designated contacts."
            ) % {
                "asking": matter.public_id,
                "asker": matter.agency.name,
                "held": held,
                "holder": hit.holder_agency.name,
                "kind": subject_kind,
            }
        else:
            text = ""
        if text:
            for user in coordinators:
                _send(actor, hit, user, text, reverse("matters:deconfliction"))
    found = _("Deconfliction for matter %(matter)s: %(n)s match(es) at other agencies. Open the matter to read them.")
    _send(
        actor,
        hits[0],
        actor,
        found % {"matter": matter.public_id, "n": len(hits)},
        reverse("matters:detail", args=[matter.public_id]),
    )
