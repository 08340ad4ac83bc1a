"""`beacon intel ingest FILE [--id-column C ...] [--tz ZONE] [--preview]` · `beacon intel analyse` ·
`beacon intel generate --posts N --seed S --out FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.intel import core, services
from beacon.intel.core import generate_corpus
from beacon.intel.models import JobStatus

# --<option>-column -> core field
COLUMN_OPTIONS = {
    "id": "id",
    "body": "body",
    "title": "title",
    "date": "posted_at",
    "location": "location",
    "url": "url",
    "source": "source",
}


class Command(BaseCommand):
    help = "Online post intelligence: ingest a file of posts, analyse stored posts, generate a synthetic corpus."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="store posts from a .csv or .jsonl file (idempotent)")
        ingest.add_argument("file")
        ingest.add_argument("--source", default="", help="source name for rows without one")
        ingest.add_argument("--analyse", action="store_true", help="analyse all stored posts afterwards")
        for name, field in COLUMN_OPTIONS.items():
            ingest.add_argument(f"--{name}-column", dest=f"col_{field}", help=f"the column holding the post's {field}")
        ingest.add_argument(
            "--contact-columns", default="", help="comma-separated contact columns (default: known contact names)"
        )
        ingest.add_argument(
            "--tz",
            default=settings.TIME_ZONE,
            help=f"time zone of dates written without one (IANA name; default {settings.TIME_ZONE})",
        )
        ingest.add_argument(
            "--preview",
            action="store_true",
            help="show the columns and first rows as they would load; store nothing",
        )
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
            try:
                mapping = core.ColumnMapping(
                    columns={f: options[f"col_{f}"] for f in COLUMN_OPTIONS.values() if options.get(f"col_{f}")},
                    contacts=tuple(c.strip() for c in options["contact_columns"].split(",") if c.strip()),
                    tz=options["tz"],
                )
            except core.MappingError as exc:
                raise CommandError(str(exc)) from None
            if options["preview"]:
                self._preview(path, mapping, options["source"])
                return
            job = services.ingest_path(None, path, default_source=options["source"], mapping=mapping)
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

    def _preview(self, path: Path, mapping: core.ColumnMapping, source: str) -> None:
        try:
            preview = core.preview(path, mapping=mapping, default_source=source)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"header: {', '.join(preview.header)}")
        for field, column in preview.fields.items():
            self.stdout.write(f"  {field:<9} <- {column}")
        self.stdout.write(f"  contacts  <- {', '.join(preview.contacts) or '(none)'}")
        self.stdout.write(f"  dates without a zone read in {mapping.tz}")
        if preview.problem:
            raise CommandError(preview.problem)
        for item in preview.rows:
            if isinstance(item, core.RowError):
                self.stdout.write(f"line {item.line}: NOT LOADED: {item.message}")
            else:
                text = " ".join(item.text.split())[:70]
                self.stdout.write(f"line {item.line}: {item.source}/{item.id} {item.posted_at or '-'} {text}")
        self.stdout.write("preview only: nothing stored")

    def _analyse(self) -> None:
        run = services.run_analysis(None)
        self.stdout.write(f"analysed {run.posts} posts: {run.network_count} networks, {run.template_count} templates")
