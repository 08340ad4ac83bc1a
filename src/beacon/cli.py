"""The `beacon` command: Beacon's own commands plus every Django management command.

beacon demo            set up SQLite, load reference and demo data, serve on 127.0.0.1:8000
beacon serve           run the web server (development server; see docs/operations.md for production)
beacon seed [--cases N]
beacon screen --instrument ID --population POP --answers FILE.json
beacon audit verify | beacon crypto rotate | beacon intel ... | beacon export ...
beacon purge [--apply]  what is past its retention period (dry run), or delete it
beacon <django command> (migrate, check, createsuperuser, ...)
"""

from __future__ import annotations

import os
import sys

from beacon.screening.engine.cli import main as screen_main


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "screen":
        # The screening engine is pure Python: no database or settings needed.
        return screen_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"beacon: configuration error: {exc}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if args[0] == "serve":
        args = ["runserver", *(args[1:] or ["127.0.0.1:8000"])]
    execute_from_command_line(["beacon", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
