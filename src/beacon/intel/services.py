"""Writes for intel: start an import, ingest a file, run an analysis, record an export."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.access.policy import Action, require
from beacon.audit.models import AuditAction
from beacon.audit.services import record
from beacon.intel import core
from beacon.intel.core.flags import NEUTRAL, default_rules
from beacon.intel.linking import contact_index
from beacon.intel.models import (
    AnalysisRun,
    Contact,
    ImportJob,
    JobStatus,
    Network,
    NetworkAlias,
    NetworkContact,
    NetworkEvent,
    NetworkPost,
    Post,
    PostContact,
    PostFlag,
    TemplateCluster,
    TemplateMember,
)

RESOURCE = "intel"
IMPORT_DIR = "intel-imports"
ALLOWED_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json")
PROGRESS_EVERY = 500  # rows per batch: one transaction and one progress save each
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


# ------------------------------------------------------------------------------------------ imports
def _safe_name(name: str) -> str:
    base = Path(name).name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[-120:] or "upload.csv"


def check_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError(_("Upload a .csv or .jsonl file (JSON Lines: one post per line)."))
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 200 MB: split it into smaller files."))
    if not upload.size:
        raise ValidationError(_("The file is empty."))


def start_import(
    actor: Any,
    upload: UploadedFile,
    *,
    default_source: str = "",
    analyse_after: bool = True,
    preview: bool = False,
    mapping: core.ColumnMapping | None = None,
) -> ImportJob:
    """Save the upload under MEDIA_ROOT/intel-imports and create a job: queued (the task ingests
    it), or with `preview` waiting for its columns to be checked (confirm_import queues it)."""
    require(actor, Action.CREATE, RESOURCE)
    check_upload(upload)
    mapping = mapping or core.ColumnMapping(tz=settings.TIME_ZONE)
    with transaction.atomic():
        job = ImportJob(
            created_by=actor,
            file_name=Path(upload.name or "").name[:255],
            default_source=default_source.strip()[:100],
            analyse_after=analyse_after,
            status=JobStatus.PREVIEW if preview else JobStatus.QUEUED,
            column_map=dict(mapping.columns),
            contact_columns=list(mapping.contacts),
            source_tz=mapping.tz or settings.TIME_ZONE,
        )
        relative = f"{IMPORT_DIR}/{job.public_id}-{_safe_name(upload.name or '')}"
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job.stored_path = relative
        job.save()
        record(actor, AuditAction.CREATE, job, reason="intel import")
    return job


def import_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.stored_path


def job_mapping(job: ImportJob) -> core.ColumnMapping:
    return core.ColumnMapping(
        columns=dict(job.column_map or {}), contacts=tuple(job.contact_columns or ()), tz=job.source_tz
    )


def preview_import(job: ImportJob, *, limit: int = 10) -> core.Preview:
    """The header, the columns as they would be read and the first rows with their problems; stores nothing."""
    return core.preview(import_path(job), mapping=job_mapping(job), default_source=job.default_source, limit=limit)


def set_import_mapping(actor: Any, job: ImportJob, mapping: core.ColumnMapping, *, default_source: str) -> ImportJob:
    """Change the columns, time zone and source of an import still waiting for its preview to be checked."""
    require(actor, Action.CREATE, RESOURCE)
    if job.status != JobStatus.PREVIEW:
        raise ValidationError(_("This import has already started; upload the file again to change its columns."))
    job.column_map = dict(mapping.columns)
    job.contact_columns = list(mapping.contacts)
    job.source_tz = mapping.tz or settings.TIME_ZONE
    job.default_source = default_source.strip()[:100]
    job.save(update_fields=["column_map", "contact_columns", "source_tz", "default_source"])
    return job


def confirm_import(actor: Any, job: ImportJob) -> bool:
    """Queue an import whose preview was checked. False when it was already queued (a second
    click or a retried request), so the task is enqueued once."""
    require(actor, Action.CREATE, RESOURCE)
    if preview_import(job, limit=1).problem:
        raise ValidationError(_("Choose the column that holds the post id before loading."))
    queued = ImportJob.objects.filter(pk=job.pk, status=JobStatus.PREVIEW).update(status=JobStatus.QUEUED)
    if queued:
        record(actor, AuditAction.UPDATE, job, reason="intel import confirmed after preview")
    return bool(queued)


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def parse_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    # ingest gives naive times the import's zone; one left naive (a caller of store_posts with
    # its own posts) is read in the site's zone, as the pages show it, not as UTC
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _span(span: tuple[int, int] | None) -> list[int] | None:
    return list(span) if span else None


def _extraction_json(ex: core.Extraction) -> dict[str, list]:
    return {
        "phones": [
            {"e164": p.e164, "raw": p.raw, "span": _span(p.span), "obfuscations": list(p.obfuscations)}
            for p in ex.phones
        ],
        "emails": [
            {"value": e.value, "raw": e.raw, "span": _span(e.span), "obfuscated": e.obfuscated} for e in ex.emails
        ],
        "handles": [
            {"platform": h.platform, "value": h.value, "raw": h.raw, "span": _span(h.span)} for h in ex.handles
        ],
        "urls": list(ex.urls),
        "prices": [
            {
                "amount": str(p.amount),
                "currency": p.currency,
                "unit": p.unit,
                "per_hour": str(p.per_hour) if p.per_hour is not None else None,
                "raw": p.raw,
                "span": _span(p.span),
            }
            for p in ex.prices
        ],
        "ages": [{"value": a.value, "raw": a.raw, "span": _span(a.span)} for a in ex.ages],
        "places": [
            {"city": p.city, "state": p.state, "county_fips": p.county_fips, "county": p.county, "raw": p.raw}
            for p in ex.places
        ],
    }


def _flags_json(hits: list[core.FlagHit]) -> list[dict[str, Any]]:
    return [
        {
            "flag": h.flag_id,
            "family": h.family,
            "weight": h.weight,
            "matches": [{"text": m.text, "span": _span(m.span)} for m in h.matches],
            "context": [{"text": m.text, "span": _span(m.span)} for m in h.context],
        }
        for h in hits
    ]


def contacts_of(ex: core.Extraction) -> list[tuple[str, str]]:
    """(kind, value) of every contact point, matching the core's typed identifiers."""
    out = [("phone", p.e164) for p in ex.phones]
    out += [("email", e.value) for e in ex.emails]
    out += [("handle", h.key) for h in ex.handles]
    return list(dict.fromkeys(out))


def build_post(item: core.Post, job: ImportJob | None) -> tuple[Post, list[tuple[str, str]], list[core.FlagHit]]:
    ex = core.extract(item)
    hits = core.score_flags(item.text, ex)
    place = ex.place
    image = item.contacts.get("image_hash") or item.contacts.get("image_hashes") or ""
    post = Post(
        source=item.source[:100],
        source_post_id=item.id[:200],
        url=item.url[:1000],
        posted_at=parse_time(item.posted_at),
        title=item.title,
        body=item.body,
        location=item.location[:300],
        contact_columns=dict(item.contacts),
        extracted=_extraction_json(ex),
        flags=_flags_json(hits),
        flag_score=round(sum(h.weight for h in hits), 3),
        image_hash=image[:200],
        city=(place.city if place else "")[:100],
        state=(place.state if place else "")[:2],
        county_fips=(place.county_fips or "") if place else "",
        import_job=job,
    )
    return post, contacts_of(ex), hits


@transaction.atomic
def store_posts(items: list[core.Post], job: ImportJob | None = None) -> tuple[int, int]:
    """Store a batch of posts; (created, already stored). Idempotent on (source, post id)."""
    if not items:
        return 0, 0
    existing = set(
        Post.objects.filter(source__in={p.source for p in items}, source_post_id__in=[p.id for p in items]).values_list(
            "source", "source_post_id"
        )
    )
    fresh = [p for p in items if (p.source, p.id) not in existing]
    built = [build_post(p, job) for p in fresh]
    Post.objects.bulk_create([b[0] for b in built], ignore_conflicts=True, batch_size=500)
    # rows another import stored first are skipped by the constraint: link only the rows made here
    mine = dict(Post.objects.filter(public_id__in=[b[0].public_id for b in built]).values_list("public_id", "pk"))
    wanted = {c for b in built if b[0].public_id in mine for c in b[1]}
    contact_ids = ensure_contacts(wanted)
    links, flags = [], []
    for post, contacts, hits in built:
        pk = mine.get(post.public_id)
        if pk is None:
            continue
        links += [PostContact(post_id=pk, contact_id=contact_ids[c]) for c in contacts]
        flags += [PostFlag(post_id=pk, flag_id=h.flag_id, family=h.family) for h in hits]
    PostContact.objects.bulk_create(links, ignore_conflicts=True, batch_size=1000)
    PostFlag.objects.bulk_create(flags, ignore_conflicts=True, batch_size=1000)
    return len(mine), len(items) - len(mine)


def ensure_contacts(wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = set(wanted)
    if not wanted:
        return {}
    rows = []
    for kind, value in wanted:
        rows.append(Contact(kind=kind, value=value[:320], bidx=contact_index(kind, value)))
    Contact.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    found: dict[tuple[str, str], int] = {}
    values = sorted({v for _, v in wanted})
    for lo in range(0, len(values), 500):
        for pk, kind, value in Contact.objects.filter(value__in=values[lo : lo + 500]).values_list(
            "pk", "kind", "value"
        ):
            found[(kind, value)] = pk
    return found


def _save_progress(job: ImportJob, **extra: Any) -> None:
    fields = ["rows_read", "posts_created", "posts_existing", "error_count", "errors", "status", *extra]
    for name, value in extra.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**{f: getattr(job, f) for f in fields})


def ingest(job: ImportJob, *, batch_size: int = PROGRESS_EVERY) -> ImportJob:
    """Read the job's file as a stream, storing posts batch by batch and saving progress after each."""
    path = import_path(job)
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.rows_read = job.posts_created = job.posts_existing = job.error_count = 0
    job.errors = []
    try:
        job.total_lines = _count_lines(path)
        _save_progress(job, started_at=job.started_at, total_lines=job.total_lines)
        batch: list[core.Post] = []

        def flush() -> None:
            created, existing = store_posts(batch, job)
            job.posts_created += created
            job.posts_existing += existing
            batch.clear()
            _save_progress(job)

        for item in core.read_posts(path, default_source=job.default_source, mapping=job_mapping(job)):
            job.rows_read = max(job.rows_read, item.line)
            if isinstance(item, core.RowError):
                job.error_count += 1
                if len(job.errors) < ImportJob.MAX_STORED_ERRORS:
                    job.errors.append({"line": item.line, "message": item.message})
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        flush()
    except (OSError, ValueError) as exc:
        job.message = str(exc)[:500]
        _save_progress(job, status=JobStatus.FAILED, message=job.message, finished_at=timezone.now())
        return job
    job.rows_read = max(job.rows_read, job.total_lines)
    _save_progress(job, status=JobStatus.DONE, finished_at=timezone.now())
    return job


def ingest_path(
    actor: Any, path: str | Path, *, default_source: str = "", mapping: core.ColumnMapping | None = None
) -> ImportJob:
    """Ingest a file already on disk (command line, seeder): the job points at the path itself."""
    if actor is not None:
        require(actor, Action.CREATE, RESOURCE)
    p = Path(path).resolve()
    mapping = mapping or core.ColumnMapping(tz=settings.TIME_ZONE)
    job = ImportJob.objects.create(
        created_by=actor,
        file_name=p.name[:255],
        stored_path=str(p),
        default_source=default_source,
        analyse_after=False,
        column_map=dict(mapping.columns),
        contact_columns=list(mapping.contacts),
        source_tz=mapping.tz or settings.TIME_ZONE,
    )
    record(actor, AuditAction.CREATE, job, reason="intel import from file")
    return ingest(job)


# ------------------------------------------------------------------------------------------ analysis
def _stored_posts() -> Iterator[core.Post]:
    rows = Post.objects.order_by("pk").values_list(
        "source", "source_post_id", "url", "posted_at", "title", "body", "location", "contact_columns"
    )
    for source, pid, url, posted, title, body, location, contacts in rows.iterator(chunk_size=2000):
        yield core.Post(
            id=pid,
            source=source,
            url=url,
            # in the site's time zone, so the analysis counts each post on the day the pages show
            posted_at=timezone.localtime(posted).isoformat() if posted else "",
            title=title,
            body=body,
            location=location,
            contacts=dict(contacts or {}),
        )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _post_ids(keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    by_source: dict[str, list[str]] = {}
    for source, pid in keys:
        by_source.setdefault(source, []).append(pid)
    for source, ids in by_source.items():
        for lo in range(0, len(ids), 500):
            for pk, pid in Post.objects.filter(source=source, source_post_id__in=ids[lo : lo + 500]).values_list(
                "pk", "source_post_id"
            ):
                found[(source, pid)] = pk
    return found


def _network_row(run: AnalysisRun, net: core.Network, families: dict[str, str]) -> Network:
    counties: dict[str, str] = {}
    for visit in net.movement:
        if visit.county_fips:
            counties.setdefault(visit.county_fips, visit.county or "")
    # signals of either family ("both") score but tag no family: a job-scam network with obscured
    # phones is not labelled commercial sex
    flagged = [*net.flag_counts, *(nf.flag_id for nf in net.network_flags)]
    fams = sorted({families.get(f, "") for f in flagged} - {"", NEUTRAL})
    return Network(
        run=run,
        rank=net.rank,
        score=net.score,
        size=net.size,
        phone_count=len(net.phones),
        email_count=len(net.emails),
        handle_count=len(net.handles),
        place_count=len(net.cities),
        first_seen=_day(net.first_seen),
        last_seen=_day(net.last_seen),
        span_days=net.span_days,
        cities=list(net.cities),
        counties=[{"fips": f, "name": n} for f, n in counties.items()],
        movement=[
            {
                "city": v.city,
                "state": v.state,
                "county_fips": v.county_fips,
                "county": v.county,
                "first": v.first,
                "last": v.last,
                "posts": v.posts,
            }
            for v in net.movement
        ],
        flag_counts=dict(net.flag_counts),
        network_flags=[{"flag": nf.flag_id, "weight": nf.weight, "evidence": nf.evidence} for nf in net.network_flags],
        flag_total=sum(net.flag_counts.values()),
        family_key="|" + "|".join(fams) + "|" if fams else "",
        county_key="|" + "|".join(counties) + "|" if counties else "",
    )


def _carry_identity(rows: list[Network], members: list[list[int]]) -> None:
    """Give each new network row the id of the previous network most of whose posts it holds,
    and record merges, splits and redirects (core/identity.py has the rules)."""
    from beacon.intel.core.identity import carry_ids

    old: dict[str, set[int]] = {}
    latest = AnalysisRun.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-pk").first()
    if latest is not None:
        for public_id, post_id in (
            NetworkPost.objects.filter(network__run=latest)
            .values_list("network__public_id", "post_id")
            .iterator(chunk_size=5000)
        ):
            old.setdefault(public_id, set()).add(post_id)
    lineage = carry_ids(old, members)
    events: list[NetworkEvent] = []
    split_off = {i for i, _ in lineage.split_from}
    for i, (row, inherited) in enumerate(zip(rows, lineage.ids, strict=True)):
        if inherited:
            row.public_id = inherited
        elif i not in split_off:
            events.append(NetworkEvent(network_id=row.public_id, kind=NetworkEvent.Kind.CREATED, posts=row.size))
    aliases: list[tuple[str, str, str]] = []
    for oid, i in lineage.merged:
        aliases.append((oid, rows[i].public_id, NetworkAlias.Kind.MERGED))
        events.append(
            NetworkEvent(
                network_id=rows[i].public_id, kind=NetworkEvent.Kind.ABSORBED, other_id=oid, posts=rows[i].size
            )
        )
    for oid, i in lineage.split:
        aliases.append((oid, rows[i].public_id, NetworkAlias.Kind.SPLIT))
        events.append(
            NetworkEvent(
                network_id=rows[i].public_id, kind=NetworkEvent.Kind.TOOK_OVER, other_id=oid, posts=rows[i].size
            )
        )
    for i, oid in lineage.split_from:
        events.append(
            NetworkEvent(
                network_id=rows[i].public_id, kind=NetworkEvent.Kind.SPLIT_FROM, other_id=oid, posts=rows[i].size
            )
        )
    current = {r.public_id for r in rows}
    # an id in use again is no alias; older aliases follow their target to where it went
    NetworkAlias.objects.filter(old_id__in=current).delete()
    for oid, target, kind in aliases:
        NetworkAlias.objects.filter(network_id=oid).update(network_id=target)
        NetworkAlias.objects.update_or_create(old_id=oid, defaults={"network_id": target, "kind": kind})
    NetworkEvent.objects.bulk_create(events, batch_size=1000)


def run_analysis(actor: Any, config: core.AnalysisConfig | None = None) -> AnalysisRun:
    """Analyse every stored post and replace the shown network set in one transaction."""
    if actor is not None:
        require(actor, Action.CREATE, RESOURCE)
    result = core.analyse(_stored_posts(), config or core.AnalysisConfig())
    families = {f.id: f.family for f in default_rules().flags}
    keys = {k for n in result.networks for k in n.post_keys} | {k for t in result.templates for k in t.post_keys}
    with transaction.atomic():
        post_ids = _post_ids(keys)
        run = AnalysisRun.objects.create(
            created_by=actor,
            posts=int(result.stats.get("posts", 0)),
            network_count=len(result.networks),
            template_count=len(result.templates),
            hubs=[{"identifier": h.identifier, "posts": h.posts, "clusters": h.clusters} for h in result.hubs[:200]],
            stats={k: v for k, v in result.stats.items() if isinstance(v, int | float)},
        )
        clusters = TemplateCluster.objects.bulk_create(
            [
                TemplateCluster(run=run, label=t.id, size=t.size, snippet=t.snippet, common_shingles=t.common_shingles)
                for t in result.templates
            ],
            batch_size=500,
        )
        if clusters and clusters[0].pk is None:  # backends without RETURNING on bulk insert
            clusters = list(run.templates.order_by("pk"))
        TemplateMember.objects.bulk_create(
            [
                TemplateMember(cluster_id=c.pk, post_id=post_ids[k])
                for c, t in zip(clusters, result.templates, strict=True)
                for k in t.post_keys
                if k in post_ids
            ],
            batch_size=2000,
        )
        rows = [_network_row(run, n, families) for n in result.networks]
        _carry_identity(rows, [[post_ids[k] for k in n.post_keys if k in post_ids] for n in result.networks])
        # the previous networks go first: their ids live on in the rows that inherit them
        AnalysisRun.objects.filter(finished_at__isnull=False).delete()
        networks = Network.objects.bulk_create(rows, batch_size=500)
        if networks and networks[0].pk is None:
            networks = list(run.networks.order_by("rank"))
        contact_ids = ensure_contacts(
            tuple(i.split(":", 1))
            for n in result.networks
            for i in n.identifiers  # type: ignore[misc]
        )
        NetworkPost.objects.bulk_create(
            [
                NetworkPost(network_id=row.pk, post_id=post_ids[k])
                for row, n in zip(networks, result.networks, strict=True)
                for k in n.post_keys
                if k in post_ids
            ],
            batch_size=2000,
        )
        NetworkContact.objects.bulk_create(
            [
                NetworkContact(network_id=row.pk, contact_id=contact_ids[tuple(i.split(":", 1))])  # type: ignore[index]
                for row, n in zip(networks, result.networks, strict=True)
                for i in n.identifiers
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        record(actor, AuditAction.CREATE, run, reason="intel analysis")
    return run


# ------------------------------------------------------------------------------------------ exports
def record_export(actor: Any, network: Network) -> None:
    require(actor, Action.EXPORT, RESOURCE)
    record(actor, AuditAction.EXPORT, network, reason="intel network CSV")


def record_match_shown(actor: Any, record_obj: Any, match: Any) -> None:
    """Audit what a tip or case page said about networks sharing its contacts: the networks shown
    (one entry per network) or the restricted notice (a refusal on intel)."""
    if match.networks:
        reason = f"intel match shown on {record_obj._meta.model_name} {getattr(record_obj, 'public_id', '')}"
        for network in match.networks:
            record(actor, AuditAction.VIEW, network, reason=reason[:200])
    elif match.restricted:
        record(actor, AuditAction.DENIED, record_obj, reason="intel match withheld: role may not see intel")


def record_view(actor: Any, network: Network) -> None:
    require(actor, Action.VIEW, RESOURCE)
    record(actor, AuditAction.VIEW, network, reason="intel network page")
