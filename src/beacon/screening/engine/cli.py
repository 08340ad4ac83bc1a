"""``beacon screen``: evaluate a JSON file of answers and print the result as JSON.

    beacon screen --instrument ilo-2009 --population adult-labour --answers answers.json \\
        [--immediate-danger] [--minor] [--foreign-national] [--language es]
    beacon screen --instrument-file licensed-youth-screen.yaml --population child-sexual --answers a.json

Exit status 0 with the result on stdout; 2 with one line on stderr for anything it cannot use.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from beacon.screening.engine.errors import InstrumentError, ScreeningInputError
from beacon.screening.engine.evaluation import evaluate
from beacon.screening.engine.loader import load_instrument
from beacon.screening.engine.model import Instrument
from beacon.screening.engine.registry import get_instrument
from beacon.screening.engine.routing import ScreeningContext

PROG = "beacon screen"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of argparse's usage block
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Screen a set of answers with an instrument and print the result.")
    parser.add_argument("--instrument", help="instrument ID, e.g. ilo-2009")
    parser.add_argument(
        "--instrument-file",
        type=Path,
        help="an instrument file to use instead of an installed one (e.g. a tool your agency licenses)",
    )
    parser.add_argument(
        "--population",
        required=True,
        help="adult-labour, adult-sexual, child-labour or child-sexual (as the instrument allows)",
    )
    parser.add_argument(
        "--answers", required=True, type=Path, help="JSON object: item ID -> yes, no, unknown or declined"
    )
    parser.add_argument("--immediate-danger", action="store_true", help="someone is in immediate danger")
    parser.add_argument("--minor", action="store_true", help="the person is under 18")
    parser.add_argument("--foreign-national", action="store_true", help="the person is a foreign national")
    parser.add_argument("--language", default="en", help="language of the texts from the instrument (default en)")
    parser.add_argument(
        "--instrument-dir",
        action="append",
        default=[],
        type=Path,
        help="another directory of instrument files (repeatable)",
    )
    return parser


def _read_answers(path: Path) -> dict[str, str]:
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScreeningInputError(f"cannot read the answers file {str(path)!r}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScreeningInputError(f"the answers file {str(path)!r} is not valid JSON: {exc}") from None
    if not isinstance(answers, dict):
        raise ScreeningInputError(f"the answers file {str(path)!r} must hold a JSON object of item ID -> answer")
    return answers


def _instrument(args: argparse.Namespace) -> Instrument:
    if args.instrument_file is None:
        if not args.instrument:
            raise ScreeningInputError("give --instrument (an installed instrument ID) or --instrument-file")
        return get_instrument(args.instrument, args.instrument_dir)
    instrument = load_instrument(args.instrument_file)
    if args.instrument and args.instrument != instrument.id:
        raise ScreeningInputError(
            f"--instrument {args.instrument!r} does not match the file's instrument ID {instrument.id!r}"
        )
    return instrument


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["screen"]:
        args_list = args_list[1:]
    try:
        args = _parser().parse_args(args_list)
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        instrument = _instrument(args)
        answers = _read_answers(args.answers)
        context = ScreeningContext(
            immediate_danger=args.immediate_danger, minor=args.minor, foreign_national=args.foreign_national
        )
        result = evaluate(instrument, args.population, answers, context)
    except (ScreeningInputError, InstrumentError) as exc:
        print(f"{PROG}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    try:
        print(json.dumps(result.to_dict(language=args.language), indent=2, ensure_ascii=False), flush=True)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
