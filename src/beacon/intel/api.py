"""`/api/v1/intel/`: imports (upload a file, follow its job), networks (filters, detail), post search.

Only investigator and analyst accounts may use it; others get 403 with a JSON `detail`.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from beacon.access.policy import Action
from beacon.api.auth import ApiRequest, requires
from beacon.intel import selectors, services, tasks
from beacon.intel.core import normalise_email, normalise_phone
from beacon.intel.core.flags import TAG_FAMILIES, flag_ids
from beacon.intel.models import ImportJob, Network, Post

router = Router(tags=["intel"])
RESOURCE = "intel"


class ErrorOut(Schema):
    detail: str | list


class RowErrorOut(Schema):
    line: int
    message: str


class ImportJobOut(Schema):
    public_id: str
    file_name: str
    status: str
    percent: int
    total_lines: int
    rows_read: int
    posts_created: int
    posts_existing: int
    error_count: int
    errors: list[RowErrorOut]
    message: str
    url: str


class ImportIn(Schema):
    source: str = ""
    analyse_after: bool = True


class NetworkOut(Schema):
    public_id: str
    rank: int
    score: float
    size: int
    phone_count: int
    email_count: int
    handle_count: int
    first_seen: date | None
    last_seen: date | None
    span_days: int
    cities: list[str]
    counties: list[dict]
    families: list[str]
    flag_counts: dict[str, int]


class NetworkDetailOut(NetworkOut):
    movement: list[dict]
    network_flags: list[dict]
    contacts: list[dict]
    posts: list[str]  # post public ids, in time order


class NetworkPageOut(Schema):
    page: int
    has_next: bool
    items: list[NetworkOut]


class PostOut(Schema):
    public_id: str
    source: str
    source_post_id: str
    url: str
    posted_at: str | None
    title: str
    body: str
    location: str
    flag_score: float
    flags: list[dict]
    extracted: dict


class PostPageOut(Schema):
    page: int
    has_next: bool
    items: list[PostOut]


def _job_out(job: ImportJob) -> dict:
    return {
        **{
            f: getattr(job, f)
            for f in (
                "public_id",
                "file_name",
                "status",
                "percent",
                "total_lines",
                "rows_read",
                "posts_created",
                "posts_existing",
                "error_count",
                "errors",
                "message",
            )
        },
        "url": reverse("intel:import", args=[job.public_id]),
    }


def _network_out(n: Network) -> dict:
    return {
        **{
            f: getattr(n, f)
            for f in (
                "public_id",
                "rank",
                "score",
                "size",
                "phone_count",
                "email_count",
                "handle_count",
                "first_seen",
                "last_seen",
                "span_days",
                "cities",
                "counties",
                "flag_counts",
            )
        },
        "families": n.family_list,
    }


def _post_out(p: Post) -> dict:
    return {
        **{
            f: getattr(p, f)
            for f in (
                "public_id",
                "source",
                "source_post_id",
                "url",
                "title",
                "body",
                "location",
                "flag_score",
                "flags",
                "extracted",
            )
        },
        "posted_at": p.posted_at.isoformat() if p.posted_at else None,
    }


@router.post(
    "/imports",
    response={202: ImportJobOut, 403: ErrorOut, 422: ErrorOut},
    url_name="intel_import_create",
    **requires(RESOURCE, Action.CREATE),
)
def create_import(request: ApiRequest, file: File[UploadedFile], data: Form[ImportIn]):
    """Upload a CSV or JSON Lines file of posts; the import runs in the background. Follow it with GET."""
    try:
        job = services.start_import(request.auth, file, default_source=data.source, analyse_after=data.analyse_after)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    tasks.ingest_task(job.pk)
    job.refresh_from_db()
    return Status(202, _job_out(job))


@router.get(
    "/imports/{public_id}",
    response={200: ImportJobOut, 403: ErrorOut, 404: ErrorOut},
    url_name="intel_import",
    **requires(RESOURCE, Action.VIEW),
)
def import_status(request: ApiRequest, public_id: str):
    job = selectors.get_job(request.auth, public_id)
    if job is None:
        raise HttpError(404, "No import with this id.")
    return _job_out(job)


class NetworkQuery(Schema):
    sort: str = "score"
    family: str = ""
    county: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


@router.get(
    "/networks",
    response={200: NetworkPageOut, 403: ErrorOut, 422: ErrorOut},
    url_name="intel_networks",
    **requires(RESOURCE, Action.VIEW),
)
def list_networks(request: ApiRequest, q: Query[NetworkQuery]):
    """Networks of the latest analysis. sort: score, size, span or recent; family: a flag family;
    county: 5-digit FIPS; date_from/date_to: networks active in that range."""
    if q.sort not in selectors.SORTS:
        raise HttpError(422, f"sort must be one of: {', '.join(selectors.SORTS)}")
    if q.family and q.family not in TAG_FAMILIES:
        raise HttpError(422, f"family must be one of: {', '.join(TAG_FAMILIES)}")
    if q.page < 1:
        raise HttpError(422, "page must be 1 or more")
    page = selectors.network_page(
        request.auth,
        selectors.NetworkFilters(
            sort=q.sort, family=q.family, county=q.county, date_from=q.date_from, date_to=q.date_to, page=q.page
        ),
    )
    return {"page": page.page, "has_next": page.has_next, "items": [_network_out(n) for n in page.items]}


@router.get(
    "/networks/{public_id}",
    response={200: NetworkDetailOut, 403: ErrorOut, 404: ErrorOut},
    url_name="intel_network",
    **requires(RESOURCE, Action.VIEW),
)
def network_detail(request: ApiRequest, public_id: str):
    network = selectors.get_network(request.auth, public_id)
    if network is None:
        raise HttpError(404, "No network with this id.")
    services.record_view(request.auth, network)
    return {
        **_network_out(network),
        "movement": network.movement,
        "network_flags": network.network_flags,
        "contacts": selectors.network_contacts(network),
        "posts": list(selectors.network_posts(network).values_list("public_id", flat=True)),
    }


class PostQuery(Schema):
    q: str = ""
    phone: str = ""
    email: str = ""
    flag: str = ""
    page: int = 1


@router.get(
    "/posts",
    response={200: PostPageOut, 403: ErrorOut, 422: ErrorOut},
    url_name="intel_posts",
    **requires(RESOURCE, Action.VIEW),
)
def search_posts(request: ApiRequest, q: Query[PostQuery]):
    """Posts whose text contains `q`, with a phone or e-mail among their contacts, or carrying a flag."""
    if q.phone and not normalise_phone(q.phone):
        raise HttpError(422, "phone is not a phone number")
    if q.email and not normalise_email(q.email):
        raise HttpError(422, "email is not an e-mail address")
    if q.flag and q.flag not in flag_ids():
        raise HttpError(422, "flag is not a known post flag id")
    if q.page < 1:
        raise HttpError(422, "page must be 1 or more")
    page = selectors.search_posts(
        request.auth, selectors.PostFilters(q=q.q[:200], phone=q.phone, email=q.email, flag=q.flag, page=q.page)
    )
    return {"page": page.page, "has_next": page.has_next, "items": [_post_out(p) for p in page.items]}
