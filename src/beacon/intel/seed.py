"""Demo seeder: synthetic posts from the core generator, ingested and analysed (idempotent)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from beacon.intel import services
from beacon.intel.core import generate_corpus
from beacon.intel.core.generator import SOURCES
from beacon.intel.models import Post


def seed_posts(ctx: Any) -> None:
    wanted = int(getattr(ctx, "posts", 0) or 0)
    if wanted <= 0:
        return
    have = Post.objects.filter(source__in=SOURCES).count()
    if have >= wanted:
        ctx.out(f"  intel posts: {have} already stored")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.jsonl"
        generate_corpus(wanted, ctx.seed, path)
        job = services.ingest_path(None, path)
    run = services.run_analysis(None)
    ctx.out(f"  intel posts: {job.posts_created} new, {run.network_count} networks, {run.template_count} templates")
