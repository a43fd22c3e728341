"""Time each quality check (queries/qc/*-violation.rq) on one loaded project, in process.

Not a test: it prints figures. The project is loaded once with ``sckg.loader.load``; each query then
runs ``--runs`` times on that store (every row read, as ``run_qc`` reads them), and the table gives
per check the median seconds, the min-max and the row count (the violations it reports).

    python bench/bench_quality_checks.py ../corpus-1e5
    python bench/bench_quality_checks.py ../corpus-1e6 --runs 3 --check orphan-entity
    python bench/bench_quality_checks.py ../corpus-1e5 --queries new=queries/qc --queries old=../old-qc

``--queries LABEL=FOLDER`` (repeatable) compares sets of checks in the same pass: for each check the
sets run alternately (A B A B ...), so a change in the machine's load hits both alike, and the last
column says whether every set returned the same rows (as a multiset, order ignored). Without it the
project's own queries/qc/ is timed. A check missing from a set is skipped for that set.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sckg.errors import SckgError  # noqa: E402
from sckg.loader import load  # noqa: E402


def _rows(kg, text: str) -> Counter:
    return Counter(tuple(str(v) for v in row) for row in kg.sparql(text))


def _query_sets(parser: argparse.ArgumentParser, specs: list[str], root: Path) -> dict[str, Path]:
    if not specs:
        return {"queries": root / "queries" / "qc"}
    sets = {}
    for spec in specs:
        label, sep, folder = spec.partition("=")
        if not sep or not label or not folder:
            parser.error(f"--queries {spec!r}: write LABEL=FOLDER, e.g. new=queries/qc")
        if not Path(folder).is_dir():
            parser.error(f"--queries {spec!r}: {folder} is not a folder")
        sets[label] = Path(folder)
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the project (or synthetic corpus) to load")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument("--queries", action="append", default=[], metavar="LABEL=FOLDER",
                        help="a set of *-violation.rq files to time (repeatable)")
    parser.add_argument("--check", action="append", default=[], metavar="NAME",
                        help="time only this check (repeatable; the file name without -violation.rq)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    sets = _query_sets(parser, args.queries, args.root)
    names = sorted({p.name.removesuffix("-violation.rq") for folder in sets.values()
                    for p in folder.glob("*-violation.rq")})
    if not names:
        parser.error("no *-violation.rq file in " + ", ".join(str(f) for f in sets.values()))
    if args.check:
        unknown = sorted(set(args.check) - set(names))
        if unknown:
            parser.error(f"no such check: {', '.join(unknown)}")
        names = [n for n in names if n in args.check]

    started = time.perf_counter()
    try:
        kg = load(args.root)
    except SckgError as exc:  # a broken corpus: say what, as sckg does, not a traceback
        print(f"{args.root}: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"loaded {args.root} ({len(kg.store):,} quads) in {time.perf_counter() - started:.1f} s; "
          f"{args.runs} runs per query")

    labels = list(sets)
    header = f"{'check':36}" + "".join(f" {label + ' s (min-max)':>24} {'rows':>6}" for label in labels)
    print(header + ("  same rows" if len(labels) > 1 else ""))
    totals = {label: [0.0] * args.runs for label in labels}
    for name in names:
        texts = {label: (folder / f"{name}-violation.rq").read_text(encoding="utf-8")
                 for label, folder in sets.items() if (folder / f"{name}-violation.rq").is_file()}
        times: dict[str, list[float]] = {label: [] for label in texts}
        answers: dict[str, Counter] = {}
        for run in range(args.runs):
            for label, text in texts.items():
                t0 = time.perf_counter()
                try:
                    answers[label] = _rows(kg, text)
                except SyntaxError as exc:  # a quality check is data, as run_qc has it
                    print(f"{sets[label] / (name + '-violation.rq')}: not valid SPARQL: {exc}", file=sys.stderr)
                    return 1
                elapsed = time.perf_counter() - t0
                times[label].append(elapsed)
                totals[label][run] += elapsed
        line = f"{name:36}"
        for label in labels:
            if label in times:
                ts = times[label]
                spread = f"{statistics.median(ts):.3f} ({min(ts):.3f}-{max(ts):.3f})"
                line += f" {spread:>24} {sum(answers[label].values()):>6}"
            else:
                line += f" {'-':>24} {'-':>6}"
        if len(labels) > 1:
            line += "  " + ("yes" if len({frozenset(a.items()) for a in answers.values()}) == 1 else "NO")
        print(line, flush=True)
    line = f"{'total (sum per run)':36}"
    for label in labels:
        ts = totals[label]
        line += f" {f'{statistics.median(ts):.3f} ({min(ts):.3f}-{max(ts):.3f})':>24} {'':>6}"
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
