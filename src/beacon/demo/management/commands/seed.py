from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from beacon.demo.seeding import SeedContext, run_seeders
from beacon.reference.loader import load_reference_data


class Command(BaseCommand):
    help = "Create demo agencies, staff, directory entries, tips, cases and posts (fictional, fixed seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=3000, help="How many synthetic cases (default 3000).")
        parser.add_argument("--tips", type=int, default=60, help="How many synthetic tips (default 60).")
        parser.add_argument("--posts", type=int, default=400, help="How many synthetic online posts (default 400).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (default fixed).")

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            self.stderr.write("seed refuses to run with BEACON_ENV=production: demo accounts have a public password.")
            raise SystemExit(2)
        for name in ("cases", "tips", "posts"):
            if int(options[name]) < 0:
                self.stderr.write(f"--{name} must be zero or more.")
                raise SystemExit(2)
        started = time.perf_counter()
        load_reference_data()
        ctx = SeedContext(
            cases=int(options["cases"]), tips=int(options["tips"]), posts=int(options["posts"]), out=self.stdout.write
        )
        if options["seed"] is not None:
            ctx.seed = int(options["seed"])
        run_seeders(ctx)
        self.stdout.write(self.style.SUCCESS(f"Seed finished in {time.perf_counter() - started:.1f} s."))
