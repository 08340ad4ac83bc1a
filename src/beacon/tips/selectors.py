"""Reads on tips, scoped by the access policy."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beacon.access.policy import Action, RecordRefused, can, scope_queryset
from beacon.cases.selectors import visible_cases
from beacon.tips import urgency
from beacon.tips.identifiers import index_for
from beacon.tips.models import OPEN_STATUSES, IdentifierKind, Tip, TipIdentifier

logger = logging.getLogger(__name__)


def visible_tips(user: Any) -> QuerySet[Tip]:
    return scope_queryset(user, Action.VIEW, "tip", Tip.objects.all())


QUEUE_FIELDS = (
    "public_id",
    "created_at",
    "version",
    "status",
    "channel",
    "language",
    "urgency_score",
    "urgency_reasons",
    "danger_now",
    "child_involved",
    "county__name",
    "agency__name",
    "escalated_to__name",
    "in_illinois",
    "claimed_by__username",
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_at",
    "reporter_updated_at",
    "staff_seen_at",
    "case_id",
)


@dataclass(frozen=True)
class QueueFilters:
    """What the triage queue is narrowed to. Empty values do not filter."""

    q: str = ""  # a tip id, or a phone, e-mail or plate (matched through the blind indexes)
    status: str = "open"
    level: str = ""  # urgency level (urgency.LEVELS)
    language: str = ""
    county: str = ""  # FIPS
    claimed: str = ""  # "me", "nobody", or "" for anyone
    linked: str = ""  # "yes": shares an identifier with another tip the user may see; "no": does not


def _identifier_indexes(q: str) -> set[str]:
    """The blind indexes `q` would have as a phone, an e-mail or a plate (the narrative is never indexed)."""
    found = set()
    for kind in (IdentifierKind.PHONE, IdentifierKind.EMAIL, IdentifierKind.PLATE):
        index = index_for(kind, q)
        if index:
            found.add(index)
    return found


def queue(user: Any, filters: QueueFilters | None = None) -> QuerySet[Tip]:
    """The triage queue: most urgent first, then newest. Encrypted columns are not loaded."""
    f = filters or QueueFilters()
    qs = visible_tips(user).select_related("county", "agency", "escalated_to", "claimed_by")
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    q = f.q.strip()
    if q:
        by_identifier = TipIdentifier.objects.filter(index__in=_identifier_indexes(q)).values("tip_id")
        qs = qs.filter(Q(public_id=q.upper()) | Q(pk__in=by_identifier))
    if f.level:
        low, high = urgency.level_range(f.level)
        qs = qs.filter(urgency_score__gte=low)
        if high is not None:
            qs = qs.filter(urgency_score__lt=high)
    if f.language:
        qs = qs.filter(language=f.language)
    if f.county:
        qs = qs.filter(county_id=f.county)
    if f.claimed == "me":
        qs = qs.filter(claimed_by_id=user.pk)
    elif f.claimed == "nobody":
        qs = qs.filter(claimed_by__isnull=True)
    if f.linked in ("yes", "no"):
        others = (
            TipIdentifier.objects.filter(index=OuterRef("index"))
            .exclude(tip_id=OuterRef("tip_id"))
            .filter(tip__in=visible_tips(user).values("pk"))
        )
        shared = TipIdentifier.objects.filter(tip_id=OuterRef("pk")).filter(Exists(others))
        qs = qs.filter(Exists(shared)) if f.linked == "yes" else qs.exclude(Exists(shared))
    return qs.only(*QUEUE_FIELDS).order_by("-urgency_score", "-created_at")


def get_tip(user: Any, public_id: str) -> Tip | None:
    tip = (
        Tip.objects.select_related("county", "agency", "escalated_to", "case", "claimed_by")
        .filter(public_id=public_id)
        .first()
    )
    if tip is None:
        return None
    if not can(user, Action.VIEW, "tip", tip):
        raise RecordRefused(tip, Action.VIEW)  # "not found" to the user, a refusal in the audit
    return tip


def linked_tips(user: Any, tip: Tip) -> list[dict[str, Any]]:
    """Other tips the user may see that share a phone, e-mail, address or plate with `tip`."""
    mine = list(TipIdentifier.objects.filter(tip=tip).values_list("kind", "index"))
    if not mine:
        return []
    indexes = [index for _, index in mine]
    matches = (
        TipIdentifier.objects.filter(index__in=indexes)
        .exclude(tip=tip)
        .filter(tip__in=visible_tips(user))
        .select_related("tip")
        .only("kind", "index", "tip__public_id", "tip__status", "tip__created_at", "tip__urgency_score")
    )
    grouped: dict[str, dict[str, Any]] = {}
    for match in matches:
        entry = grouped.setdefault(match.tip.public_id, {"tip": match.tip, "kinds": set()})
        entry["kinds"].add(match.kind)
    for entry in grouped.values():
        entry["kind_labels"] = [str(KIND_LABELS.get(kind, kind)) for kind in sorted(entry["kinds"])]
    return sorted(grouped.values(), key=lambda e: e["tip"].created_at, reverse=True)


def linked_counts(user: Any, tips: list[Tip]) -> dict[int, int]:
    """For the queue: how many other visible tips share an identifier with each tip (one query)."""
    ids = [t.pk for t in tips]
    if not ids:
        return {}
    pairs = TipIdentifier.objects.filter(tip_id__in=ids).values_list("tip_id", "index")
    by_index: dict[str, set[int]] = {}
    for tip_id, index in pairs:
        by_index.setdefault(index, set()).add(tip_id)
    others = (
        TipIdentifier.objects.filter(index__in=list(by_index))
        .filter(tip__in=visible_tips(user))
        .values_list("index", "tip_id")
    )
    linked: dict[int, set[int]] = {}
    for index, other in others:
        for tip_id in by_index.get(index, ()):
            if other != tip_id:
                linked.setdefault(tip_id, set()).add(other)
    return {tip_id: len(v) for tip_id, v in linked.items()}


def _case_matches(user: Any, tip: Tip) -> list[dict[str, str]]:
    """Cases the user may see whose person shares a phone or e-mail with the tip. Tips and cases index
    each kind of identifier under the same purpose, so the tip's stored indexes are compared as they are."""
    rows = TipIdentifier.objects.filter(tip=tip, kind__in=[IdentifierKind.PHONE, IdentifierKind.EMAIL])
    phones = [i for kind, i in rows.values_list("kind", "index") if kind == IdentifierKind.PHONE]
    emails = [i for kind, i in rows.values_list("kind", "index") if kind == IdentifierKind.EMAIL]
    if not phones and not emails:
        return []
    condition = Q(person__phone_bidx__in=phones) | Q(person__email_bidx__in=emails)
    cases = visible_cases(user).filter(condition).only("public_id")[:20]
    return [
        {"kind": "case", "label": case.public_id, "url": reverse("cases:detail", args=[case.public_id])}
        for case in cases
    ]


Matcher = Callable[[Any, Tip], list[dict[str, str]]]
# Apps above tips (intel) add their matches here from their wiring, so tips imports none of them.
_MATCHERS: list[tuple[str, Matcher]] = []


def register_matcher(resource: str, matcher: Matcher) -> None:
    """`matcher(user, tip)` lists records of `resource` sharing an identifier with the tip, as
    {"kind", "label", "url"}; it is asked only for users who may view `resource`."""
    if (resource, matcher) not in _MATCHERS:
        _MATCHERS.append((resource, matcher))


def external_matches(user: Any, tip: Tip) -> list[dict[str, str]]:
    """Cases and other records (intel networks) sharing an identifier, for roles allowed to see them.

    Cases are matched here on the case app's own person indexes; other apps answer through
    `register_matcher`. A failing matcher is logged and leaves the others' answers standing.
    """
    found: list[dict[str, str]] = []
    for resource, matcher in [("case", _case_matches), *_MATCHERS]:
        if not can(user, Action.VIEW, resource):
            continue
        try:
            found.extend(matcher(user, tip))
        except Exception:
            logger.exception("matching %s records against tip %s failed", resource, tip.public_id)
    return found


def reporter_may_see(tip: Tip) -> list[Any]:
    """Messages the reporter sees through the codename: everything between them and staff."""
    return list(tip.messages.all())


def contact_visible_to(user: Any, tip: Tip) -> bool:
    """Law enforcement sees the reporter's contact only when the reporter consented and it was shared."""
    agency = getattr(user, "agency", None)
    if agency is not None and agency.is_law_enforcement:
        return tip.identity_shared_with_police and tip.consent_law_enforcement
    return True


EVENT_LABELS = {
    "review": _("Review started"),
    "assign": _("Assigned to an agency"),
    "escalate": _("Escalated to law enforcement"),
    "classify": _("Classified"),
    "close": _("Closed"),
    "convert": _("Converted to a case"),
    "claim": _("Claimed"),
    "release": _("Released"),
    "reply": _("Reply to the reporter"),
    "request_info": _("Asked the reporter for more information"),
    "reporter_added": _("The reporter added information"),
}


def history(tip: Tip) -> list[dict[str, Any]]:
    """The tip's events for people: labels instead of event codes, reason and type codes as their labels."""
    from beacon.reference.vocabularies import choices
    from beacon.tips.models import CloseReason

    types = dict(choices("htcds:vic_TypeOfExploitation"))
    reasons = dict(CloseReason.choices)
    rows = []
    for event in tip.events.select_related("actor"):
        detail = event.detail
        if event.kind == "close":
            detail = str(reasons.get(detail, detail))
        elif event.kind == "classify":
            detail = ", ".join(str(types.get(code.strip(), code.strip())) for code in detail.split(",") if code.strip())
        elif event.kind == "reporter_added":
            detail = detail.replace("urgency", str(_("urgency")))
        rows.append(
            {
                "at": event.at,
                "actor": event.actor,
                "label": str(EVENT_LABELS.get(event.kind, event.kind)),
                "shown_detail": detail,
            }
        )
    return rows


KIND_LABELS = {"phone": _("phone"), "email": _("e-mail"), "plate": _("plate"), "address": _("address")}
