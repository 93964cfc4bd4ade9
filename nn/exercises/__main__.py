"""``python -m nn.exercises``: list the exercises, start one, check a file.

    python -m nn.exercises list [--lang ko]
    python -m nn.exercises start affine [--to DIR] [--lang ko]
    python -m nn.exercises check affine.py [--layer Affine] [--lang ko] [--examples 200]

``check`` exits 0 when every layer passes, 1 when one is wrong, and 2 when the
file cannot be checked (no such file, or not the expected class).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from autograd.atomic import write_atomic
from autograd.language import LANGUAGES, text
from nn.exercises import EXERCISES, STARTERS, check_file, exercise_named


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nn.exercises",
                                     description="The book's ch. 5 layers as exercises.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="the exercises and their starter files")
    start = commands.add_parser("start", help="copy an exercise's starter file here")
    start.add_argument("layer", help=f"one of {', '.join(EXERCISES)} (or its file name)")
    start.add_argument("--to", type=Path, default=Path("."), help="folder (default: here)")
    check = commands.add_parser("check", help="check the backward of the layers in FILE")
    check.add_argument("file", type=Path)
    check.add_argument("--layer", help="the class to check (default: from the file's name)")
    check.add_argument("--examples", type=int, default=200,
                       help="random cases per layer (default: 200)")
    for command in (listing, start, check):
        command.add_argument("--lang", choices=LANGUAGES, default="en",
                             help="language of the messages (default: en)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        print(text(args.lang, "ex_list_title"))
        for exercise in EXERCISES.values():
            print(f"  {exercise.layer:<16} {exercise.starter:<22} "
                  f"{text(args.lang, exercise.title)}")
        return 0
    try:
        if args.command == "start":
            exercise = exercise_named(args.layer, args.lang)
            target = args.to / exercise.starter
            if target.exists():
                print(text(args.lang, "ex_exists", path=target), file=sys.stderr)
                return 1
            write_atomic(target, (STARTERS / exercise.starter).read_text(encoding="utf-8"))
            print(text(args.lang, "ex_wrote", path=target, language=args.lang))
            return 0
        if args.examples < 1:
            raise ValueError(f"--examples must be at least 1, got {args.examples}")
        reports = check_file(args.file, args.layer, lang=args.lang, examples=args.examples)
    except (ValueError, FileNotFoundError) as error:
        print(f"nn.exercises: {error}", file=sys.stderr)
        return 2
    for report in reports:
        print(report.text)
    return 0 if all(report.passed for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
