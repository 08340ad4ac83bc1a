"""Reads for intel, scoped by the access policy (intel is all-or-nothing: investigators and analysts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from beacon.access.policy import Action, can, get_in_scope, scope_queryset
from beacon.cases.models import Case
from beacon.intel.core import normalise_email, normalise_phone
from beacon.intel.models import (
    AnalysisRun,
    Contact,
    ImportJob,
    Network,
    NetworkAlias,
    NetworkContact,
    NetworkEvent,
    Post,
    PostContact,
    PostFlag,
)
from beacon.tips.models import IdentifierKind, Tip, TipIdentifier

RESOURCE = "intel"
PAGE_SIZE = 25
SORTS = {
    "score": ("-score", "rank"),
    "size": ("-size", "rank"),
    "span": ("-span_days", "rank"),
    "recent": ("-last_seen", "rank"),
}


def _latest_run_id() -> Subquery:
    return Subquery(
        AnalysisRun.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-pk").values("pk")[:1]
    )


def latest_run(user: Any) -> AnalysisRun | None:
    return scope_queryset(user, Action.VIEW, RESOURCE, AnalysisRun.objects.filter(finished_at__isnull=False)).first()


def visible_networks(user: Any) -> QuerySet[Network]:
    """Networks of the latest finished analysis, or none for roles without intel access."""
    return scope_queryset(user, Action.VIEW, RESOURCE, Network.objects.filter(run_id=_latest_run_id()))


@dataclass(frozen=True)
class NetworkFilters:
    sort: str = "score"
    family: str = ""
    county: str = ""  # 5-digit FIPS
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def filter_networks(user: Any, f: NetworkFilters) -> QuerySet[Network]:
    qs = visible_networks(user)
    if f.family:
        qs = qs.filter(family_key__contains=f"|{f.family}|")
    if f.county:
        qs = qs.filter(county_key__contains=f"|{f.county}|")
    if f.date_from:
        qs = qs.filter(last_seen__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(first_seen__lte=f.date_to)
    return qs.order_by(*SORTS.get(f.sort, SORTS["score"]))


def _page(qs: QuerySet, page: int, size: int) -> Page:
    """One query per page: fetch one row more than shown to know whether a next page exists."""
    page = max(1, page)
    rows = list(qs[(page - 1) * size : page * size + 1])
    return Page(items=rows[:size], page=page, has_next=len(rows) > size)


def network_page(user: Any, f: NetworkFilters, *, size: int = PAGE_SIZE) -> Page:
    qs = filter_networks(user, f).defer("movement", "network_flags")
    return _page(qs, f.page, size)


def get_network(user: Any, public_id: str) -> Network | None:
    """A network of any run the user may see (links to an older run's network keep working until it is replaced)."""
    return get_in_scope(user, Action.VIEW, RESOURCE, Network.objects.select_related("run"), public_id=public_id)


def network_alias(user: Any, public_id: str) -> NetworkAlias | None:
    """Where an id a network no longer has went (merged or split), for roles that may see intel."""
    if not can(user, Action.VIEW, RESOURCE):
        return None
    return NetworkAlias.objects.filter(old_id=public_id).first()


def network_history(network: Network) -> dict[str, list[Any]]:
    """The ids the network was known by ("formerly") and what analyses did to it, oldest first."""
    return {
        "formerly": list(NetworkAlias.objects.filter(network_id=network.public_id).order_by("created_at", "pk")),
        "events": list(NetworkEvent.objects.filter(network_id=network.public_id)),
    }


def network_posts(network: Network, *, limit: int | None = None) -> QuerySet[Post]:
    qs = Post.objects.filter(networks=network).order_by("posted_at", "pk")
    return qs[:limit] if limit else qs


def network_contacts(network: Network) -> list[dict[str, Any]]:
    """Contacts with how many of the network's posts carry each (one query)."""
    from django.db.models import Count

    rows = (
        Contact.objects.filter(networks=network)
        .annotate(posts=Count("post_links", filter=Q(post_links__post__networks=network), distinct=True))
        .order_by("kind", "-posts", "value")
    )
    return [{"kind": c.kind, "label": c.get_kind_display(), "value": c.value, "posts": c.posts} for c in rows]


def timeline(posts: list[Post]) -> list[dict[str, Any]]:
    """Posts per month, in order."""
    months: dict[str, int] = {}
    for post in posts:
        if post.posted_at:
            key = timezone.localtime(post.posted_at).strftime("%Y-%m")  # the month the page shows
            months[key] = months.get(key, 0) + 1
    peak = max(months.values(), default=1)
    return [{"month": m, "posts": n, "share": round(100 * n / peak)} for m, n in sorted(months.items())]


# ------------------------------------------------------------------------------------------ post search
@dataclass(frozen=True)
class PostFilters:
    q: str = ""
    phone: str = ""
    email: str = ""
    flag: str = ""
    page: int = 1


def search_posts(user: Any, f: PostFilters, *, size: int = PAGE_SIZE) -> Page:
    qs = scope_queryset(user, Action.VIEW, RESOURCE, Post.objects.all())
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(body__icontains=f.q))
    if f.phone:
        e164 = normalise_phone(f.phone)
        qs = qs.filter(
            Exists(PostContact.objects.filter(post=OuterRef("pk"), contact__kind="phone", contact__value=e164 or ""))
        )
    if f.email:
        value = normalise_email(f.email)
        qs = qs.filter(
            Exists(PostContact.objects.filter(post=OuterRef("pk"), contact__kind="email", contact__value=value or ""))
        )
    if f.flag:
        qs = qs.filter(Exists(PostFlag.objects.filter(post=OuterRef("pk"), flag_id=f.flag)))
    qs = qs.order_by("-posted_at", "-pk")
    return _page(qs, f.page, size)


def get_post(user: Any, public_id: str) -> Post | None:
    return get_in_scope(user, Action.VIEW, RESOURCE, Post.objects.all(), public_id=public_id)


def post_networks(user: Any, post: Post) -> QuerySet[Network]:
    return visible_networks(user).filter(posts=post)


# ------------------------------------------------------------------------------------------ imports
def recent_jobs(user: Any, limit: int = 20) -> list[ImportJob]:
    return list(scope_queryset(user, Action.VIEW, RESOURCE, ImportJob.objects.all()).defer("errors")[:limit])


def get_job(user: Any, public_id: str) -> ImportJob | None:
    return get_in_scope(user, Action.VIEW, RESOURCE, ImportJob.objects.all(), public_id=public_id)


# ------------------------------------------------------------------------------------------ linking
def _matching_networks(phone_bidx: list[str], email_bidx: list[str]) -> QuerySet[Network]:
    """Latest networks holding a phone or e-mail with one of these blind indexes, for every role:
    callers scope it (the list) or only ask whether it exists (the restricted notice)."""
    indexes = [i for i in [*phone_bidx, *email_bidx] if i]
    if not indexes:
        return Network.objects.none()
    contacts = Contact.objects.filter(bidx__in=indexes)
    linked = NetworkContact.objects.filter(network=OuterRef("pk"), contact__in=contacts)
    return Network.objects.filter(run_id=_latest_run_id()).filter(Exists(linked)).order_by("rank")


def networks_for_identifiers(user: Any, phone_bidx: list[str], email_bidx: list[str]) -> QuerySet[Network]:
    """Latest networks holding a phone or e-mail with one of these blind indexes (as tips and cases
    store them). Empty for roles without intel access. Phone and e-mail indexes may be mixed: they are
    keyed hashes under different purposes, so they never collide.
    """
    return scope_queryset(user, Action.VIEW, RESOURCE, _matching_networks(phone_bidx, email_bidx))


@dataclass(frozen=True)
class IntelMatch:
    """What a tip or case page may say about networks sharing its phones or e-mails: the networks
    the viewer may open, and whether a match exists that the viewer's role may not see (then the
    page says only that, with no network id, count or contact)."""

    networks: list[Network]
    restricted: bool

    def __bool__(self) -> bool:
        return bool(self.networks) or self.restricted


def _match(user: Any, phone_bidx: list[str], email_bidx: list[str]) -> IntelMatch:
    if can(user, Action.VIEW, RESOURCE):
        return IntelMatch(list(networks_for_identifiers(user, phone_bidx, email_bidx)[:20]), False)
    return IntelMatch([], _matching_networks(phone_bidx, email_bidx).exists())


def _tip_indexes(tip: Any) -> tuple[list[str], list[str]]:
    rows = TipIdentifier.objects.filter(tip=tip, kind__in=[IdentifierKind.PHONE, IdentifierKind.EMAIL])
    phones, emails = [], []
    for kind, index in rows.values_list("kind", "index"):
        (phones if kind == IdentifierKind.PHONE else emails).append(index)
    return phones, emails


def match_for_tip(user: Any, tip: Any) -> IntelMatch:
    """Networks sharing the tip's phone or e-mail, for a viewer who may open the tip."""
    return _match(user, *_tip_indexes(tip))


def match_for_case(user: Any, case: Any) -> IntelMatch:
    """Networks sharing the case's person's phone or e-mail, for a viewer who may open the case."""
    person = getattr(case, "person", None)
    if person is None:
        return IntelMatch([], False)
    return _match(user, [person.phone_bidx], [person.email_bidx])


def match_blind_indexes(user: Any, tip: Any) -> list[dict[str, str]]:
    """The tips app's hook: networks sharing a phone or e-mail with `tip`, as {"kind", "label", "url"}."""
    if not can(user, Action.VIEW, RESOURCE):
        return []

    rows = TipIdentifier.objects.filter(tip=tip, kind__in=[IdentifierKind.PHONE, IdentifierKind.EMAIL])
    indexes = list(rows.values_list("index", flat=True))
    return [
        {
            "kind": "intel network",
            "label": f"{n.public_id} (#{n.rank}, {n.size} posts)",
            "url": reverse("intel:network", args=[n.public_id]),
        }
        for n in networks_for_identifiers(user, indexes, [])[:20]
    ]


def networks_for_case(user: Any, case: Any) -> QuerySet[Network]:
    """Networks sharing the case's person's phone or e-mail (their blind indexes)."""
    person = getattr(case, "person", None)
    if person is None or not can(user, Action.VIEW, RESOURCE):
        return Network.objects.none()
    return networks_for_identifiers(user, [person.phone_bidx], [person.email_bidx])


def networks_for_tip(user: Any, tip: Any) -> QuerySet[Network]:
    if not can(user, Action.VIEW, RESOURCE):
        return Network.objects.none()
    return networks_for_identifiers(user, *_tip_indexes(tip))


def linked_records(user: Any, network: Network) -> dict[str, list[dict[str, str]]]:
    """Tips and cases sharing a phone or e-mail with the network: references (public id + link) only,
    and only those the user may see under the access policy."""
    indexes = [
        i
        for i in Contact.objects.filter(networks=network, kind__in=["phone", "email"]).values_list("bidx", flat=True)
        if i
    ]
    tip_idx = case_idx = indexes
    out: dict[str, list[dict[str, str]]] = {"tips": [], "cases": []}
    # Only records the viewer may open are named. Whether others exist is not said: a survivor's
    # case must not become known to law enforcement through intel without the survivor's consent.
    if tip_idx and can(user, Action.VIEW, "tip"):
        tips = scope_queryset(user, Action.VIEW, "tip", Tip.objects.all()).filter(
            Exists(TipIdentifier.objects.filter(tip=OuterRef("pk"), index__in=tip_idx))
        )
        out["tips"] = [
            {"public_id": t.public_id, "url": reverse("tips:detail", args=[t.public_id])}
            for t in tips.only("public_id").order_by("-created_at")[:50]
        ]
    if case_idx and can(user, Action.VIEW, "case"):
        cases = scope_queryset(user, Action.VIEW, "case", Case.objects.all()).filter(
            Q(person__phone_bidx__in=case_idx) | Q(person__email_bidx__in=case_idx)
        )
        out["cases"] = [
            {"public_id": c.public_id, "url": reverse("cases:detail", args=[c.public_id])}
            for c in cases.only("public_id").order_by("-opened_at")[:50]
        ]
    return out
