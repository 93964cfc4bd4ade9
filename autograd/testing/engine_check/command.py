"""``chainrule-check`` (or ``python -m autograd.testing.engine_check``): grade engines.

    chainrule-check micrograd.engine:Value
    chainrule-check submissions/*/engine.py --lang ko
    chainrule-check "cmd:node my_engine.js" --json

One engine prints its report; several print one row each, checked in parallel
(``--jobs``), each in its own process, so that one submission's crash, hang,
flood of output or memory blow-up never stops the others. Exit codes: 0 when
every engine is OK, 1 when one has a finding, 2 when one could not be loaded
(or an argument is wrong), 130 on Ctrl-C.

It is a program of its own, not a word of ``chainrule``'s: any word there could
also be an expression.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

from autograd.cli import LocalizedParser, language_in, run_quietly
from autograd.language import LANGUAGES
from autograd.testing.engine_check.check import (
    DEFAULT_EXAMPLES,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    check_engine,
)
from autograd.testing.engine_check.findings import EngineReport
from autograd.testing.engine_check.session import EngineLoadError
from autograd.testing.engine_check.texts import text

__all__ = ["main"]


def _parser(prog: str, lang: str) -> argparse.ArgumentParser:
    parser = LocalizedParser(prog=prog, lang=lang, description=text(lang, "cmd_description"))
    parser.add_argument("engines", nargs="+", metavar="ENGINE", help=text(lang, "cmd_engines"))
    parser.add_argument("--json", action="store_true", help=text(lang, "cmd_json"))
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="en, ko, ja")
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES,
                        help=text(lang, "cmd_examples"))
    parser.add_argument("--seed", type=int, default=None, help=text(lang, "cmd_seed"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=text(lang, "cmd_timeout"))
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB,
                        help=text(lang, "cmd_memory"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help=text(lang, "cmd_jobs"))
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "chainrule-check") -> int:
    """The command (see the module); its exit code."""
    return run_quietly(lambda: _command(sys.argv[1:] if argv is None else list(argv), prog),
                       prog, argv)


def _command(argv: list[str], prog: str) -> int:
    lang = language_in(argv)
    parser = _parser(prog, lang)
    args = parser.parse_args(argv)
    for name in ("examples", "memory", "jobs"):
        if getattr(args, name) < 1:
            parser.error(text(lang, "cmd_positive", option=f"--{name}"))
    if not args.timeout > 0:
        parser.error(text(lang, "cmd_positive", option="--timeout"))

    def check(engine: str) -> EngineReport | str:
        try:
            return check_engine(engine, examples=args.examples, seed=args.seed,
                                timeout=args.timeout, memory_mb=args.memory, lang=lang)
        except (EngineLoadError, ValueError, TypeError) as error:
            return str(error)

    if len(args.engines) == 1:
        return _one(args.engines[0], check(args.engines[0]), args.json, lang)
    results: dict[str, EngineReport | str] = {}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(check, engine): engine for engine in args.engines}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            print(text(lang, "cmd_progress", done=done, total=len(futures),
                       engine=futures[future]), file=sys.stderr, flush=True)
    return _table(args.engines, results, args.json, lang)


def _one(engine: str, result: EngineReport | str, as_json: bool, lang: str) -> int:
    if isinstance(result, str):
        print(f"{engine}: {result}", file=sys.stderr)
        return 2
    print(result.to_json() if as_json else result.render(lang), end="\n" if as_json else "")
    return 0 if result.ok else 1


def _table(engines: list[str], results: dict[str, EngineReport | str], as_json: bool,
           lang: str) -> int:
    """One row per engine, in the order given: its total, and its findings by kind."""
    if as_json:
        print(json.dumps({e: json.loads(r.to_json()) if isinstance(r, EngineReport)
                          else {"error": r} for e, r in results.items()},
                         ensure_ascii=False, indent=2))
    width = max(len(e) for e in engines)
    for engine in engines if not as_json else ():
        result = results[engine]
        if isinstance(result, str):
            row = text(lang, "cmd_not_loaded", reason=result)
        else:
            kinds = ", ".join(f"{f.kind}({f.op})" if f.op else f.kind
                              for f in result.failures) or "OK"
            row = f"{result.total:6.1%}  {kinds}"
        print(f"{engine:<{width}}  {row}")
    loaded = [r for r in results.values() if isinstance(r, EngineReport)]
    if len(loaded) < len(results):
        return 2
    return 0 if all(r.ok for r in loaded) else 1


if __name__ == "__main__":
    sys.exit(main())
