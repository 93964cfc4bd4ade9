"""``python -m nn.exercises``: list the exercises, start one, check a file.

    python -m nn.exercises list [--lang ko]
    python -m nn.exercises start affine [--to DIR] [--lang ko]
    python -m nn.exercises check affine.py [--layer Affine] [--lang ko] [--examples 200]

``check`` exits 0 when every layer passes, 1 when one is wrong, and 2 when the
file cannot be checked (no such file, a syntax error, or not the expected class);
Ctrl-C ends it with one line and exit 130. Each case has a time limit (--timeout)
and the whole check a memory limit (--memory).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from autograd.atomic import write_atomic
from autograd.cli import run_quietly
from autograd.language import LANGUAGES
from nn.exercises import CASE_TIMEOUT, EXERCISES, STARTERS, check_file, exercise_named
from nn.exercises.texts import text


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
    check.add_argument("--seed", type=int, default=None,
                       help="the seed of the random dout (default: a new one, printed with "
                            "a failure)")
    check.add_argument("--timeout", type=float, default=CASE_TIMEOUT,
                       help=f"seconds each case may take (default: {CASE_TIMEOUT:g})")
    check.add_argument("--memory", type=int, default=MEMORY_MB, metavar="MB",
                       help=f"memory your code may take, in MB (default: {MEMORY_MB})")
    for command in (listing, start, check):
        command.add_argument("--lang", choices=LANGUAGES, default="en",
                             help="language of the messages (default: en)")
    return parser


MEMORY_MB = 2048


@contextlib.contextmanager
def _limit_memory(megabytes: int) -> Iterator[None]:
    """While the check runs, this process may grow by ``megabytes`` more (RLIMIT_AS's soft
    limit): a learner's backward that allocates without end gets MemoryError, reported as
    a crash, not the machine's memory. The soft limit is put back afterwards, so that a
    caller of ``main()`` in its own process (a test, a notebook) keeps its address space."""
    try:
        import resource
    except ImportError:  # not Unix: no limit
        yield
        return
    with open("/proc/self/statm") as statm:  # pages of virtual memory in use now
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    limit = in_use + megabytes * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def main(argv: Sequence[str] | None = None) -> int:
    """The command, with Ctrl-C as one line and exit 130, and a closed pipe as quiet."""
    return run_quietly(lambda: _command(argv), "nn.exercises", argv)


def _command(argv: Sequence[str] | None = None) -> int:
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
        if not args.timeout > 0 or args.memory < 1:
            raise ValueError(f"--timeout and --memory must be positive, got {args.timeout} "
                             f"and {args.memory}")
        limited = (_limit_memory(args.memory) if Path("/proc/self/statm").exists()
                   else contextlib.nullcontext())
        with limited:
            reports = check_file(args.file, args.layer, lang=args.lang,
                                 examples=args.examples, seed=args.seed,
                                 case_timeout=args.timeout)
    except (ValueError, FileNotFoundError) as error:
        print(f"nn.exercises: {error}", file=sys.stderr)
        return 2
    for report in reports:
        print(report.text)
    return 0 if all(report.passed for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
