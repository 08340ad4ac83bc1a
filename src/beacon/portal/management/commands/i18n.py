"""`beacon i18n`: the translators' workflow for the portal's catalogs (see docs/translation.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.portal import catalogs, glossary


class Command(BaseCommand):
    help = (
        "Portal translations: `status` counts each language's entries per review state and lists the legal "
        "strings no one has checked; `export LANG` writes a PO file for a translator; `import LANG FILE` takes "
        "it back; `glossary` prints docs/glossary.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser(
            "status", help="Entries per review state, per language, and the unreviewed legal strings."
        )
        show.add_argument("--lang", action="append", help="Only this language (repeatable).")
        export = sub.add_parser("export", help="Write one language as a standard PO file for a translator.")
        export.add_argument("lang")
        export.add_argument("--out", "-o", default="-", help="File to write, or - for stdout.")
        export.add_argument("--unreviewed", action="store_true", help="Only the entries still in draft.")
        take = sub.add_parser("import", help="Take a translator's PO file back into the catalog.")
        take.add_argument("lang")
        take.add_argument("file", type=Path)
        take.add_argument(
            "--reviewed",
            choices=[s.value for s in catalogs.State],
            default=catalogs.State.DRAFT.value,
            help="The state of the file's entries: draft (default; asks for a native speaker's review), native "
            "(read by a native speaker) or legal (legal wording checked too).",
        )
        sub.add_parser("glossary", help="Print the glossary as Markdown (docs/glossary.md).")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "status":
            self._status(options["lang"] or catalogs.languages()[1:])
        elif action == "export":
            self._export(options["lang"], options["out"], options["unreviewed"])
        elif action == "import":
            self._import(options["lang"], options["file"], catalogs.State(options["reviewed"]))
        else:
            self.stdout.write(glossary.markdown(catalogs.languages()[1:]), ending="")

    def _check_lang(self, lang: str) -> None:
        if lang not in catalogs.languages()[1:]:
            raise CommandError(f"unknown language {lang!r}; one of: {', '.join(catalogs.languages()[1:])}")

    def _status(self, langs: list[str]) -> None:
        for lang in langs:
            self._check_lang(lang)
        header = f"{'lang':<8} {'draft':>6} {'(asked)':>8} {'native':>7} {'legal':>6} {'legal unchecked':>16}"
        self.stdout.write(header)
        unchecked: dict[str, list[str]] = {}
        for lang in langs:
            st = catalogs.status(lang)
            c = st.counts
            self.stdout.write(
                f"{lang:<8} {c[catalogs.State.DRAFT]:>6} {st.requested:>8} {c[catalogs.State.NATIVE]:>7} "
                f"{c[catalogs.State.LEGAL]:>6} {len(st.unreviewed_legal):>16}"
            )
            for msgid in st.unreviewed_legal:
                unchecked.setdefault(msgid, []).append(lang)
        if unchecked:
            self.stdout.write("\nLegal strings whose wording is not yet checked (languages):")
            for msgid, where in unchecked.items():
                short = msgid if len(msgid) <= 90 else msgid[:87] + "..."
                who = "all" if len(where) == len(langs) > 1 else " ".join(where)
                self.stdout.write(f"  [{who}] {short}")

    def _export(self, lang: str, out: str, unreviewed: bool) -> None:
        self._check_lang(lang)
        text = str(catalogs.export(lang, only_unreviewed=unreviewed))
        if out == "-":
            sys.stdout.write(text)
        else:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {out}")

    def _import(self, lang: str, file: Path, reviewed: catalogs.State) -> None:
        try:
            result = catalogs.import_file(lang, file, reviewed)
        except catalogs.ImportRefused as exc:
            raise CommandError("nothing imported:\n  " + "\n  ".join(exc.problems)) from exc
        self.stdout.write(
            f"{lang}: {result.changed} translations changed, {result.marked} marked {reviewed.value}, "
            f"{result.skipped_fuzzy} fuzzy or empty entries skipped"
        )
