"""`beacon intel ingest FILE` · `beacon intel analyse` · `beacon intel generate --posts N --seed S --out FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.intel import services
from beacon.intel.core import generate_corpus
from beacon.intel.models import JobStatus


class Command(BaseCommand):
    help = "Online post intelligence: ingest a file of posts, analyse stored posts, generate a synthetic corpus."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="store posts from a .csv or .jsonl file (idempotent)")
        ingest.add_argument("file")
        ingest.add_argument("--source", default="", help="source name for rows without one")
        ingest.add_argument("--analyse", action="store_true", help="analyse all stored posts afterwards")
        sub.add_parser("analyse", help="analyse every stored post and replace the network set")
        gen = sub.add_parser("generate", help="write a synthetic corpus with ground truth (JSON Lines)")
        gen.add_argument("--posts", type=int, required=True)
        gen.add_argument("--seed", type=int, default=1)
        gen.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "ingest":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            job = services.ingest_path(None, path, default_source=options["source"])
            if job.status == JobStatus.FAILED:
                raise CommandError(f"import failed: {job.message}")
            self.stdout.write(
                f"{job.posts_created} new posts, {job.posts_existing} already stored, {job.error_count} bad rows"
            )
            for err in job.errors[:20]:
                self.stdout.write(f"  line {err['line']}: {err['message']}")
            if options["analyse"]:
                self._analyse()
        elif action == "analyse":
            self._analyse()
        else:
            if options["posts"] < 1:
                raise CommandError("--posts must be at least 1")
            info = generate_corpus(options["posts"], options["seed"], options["out"])
            self.stdout.write(
                f"wrote {info.n_posts} posts from {info.n_orgs} organisations to {info.path} "
                f"(ground truth: {info.truth_path})"
            )

    def _analyse(self) -> None:
        run = services.run_analysis(None)
        self.stdout.write(f"analysed {run.posts} posts: {run.network_count} networks, {run.template_count} templates")
