"""`sckg query NAME` (whole process) against a raw pyoxigraph script on the same built store.

Not a test: it prints figures and ratios. Run it from the project folder after `sckg build`:

    python bench/bench_store_query.py                  # every library question, 5 pairs each
    python bench/bench_store_query.py --pairs 9 stances-matrix causal-chains

The raw script opens dist/store read-only, prepends the project's PREFIX lines (which `sckg query`
predeclares) to the question's text and writes CSV, with the union of the named graphs as the default
graph: the least a program can do to give the same answer from the same store. The two commands run
alternately (A B A B ...), and each ratio is taken pair by pair; the table gives the median ratio of
wall time and its min-max per question, then the median over the questions.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RAW = """
import sys
import pyoxigraph as ox
prologue, path, store = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path, encoding="utf-8").read()
s = ox.Store.read_only(store)
result = s.query(open(prologue, encoding="utf-8").read() + text, use_default_graph_as_union=True)
sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.CSV))
"""


def timed(cmd: list[str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT).stdout
    return time.perf_counter() - started, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="library questions (default: every SELECT of the library)")
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from sckg import namespaces as ns
    from sckg.library import list_queries
    from sckg.store import why_not_current

    reason = why_not_current(ROOT)
    if reason:
        print(f"the store is not current ({reason})", file=sys.stderr)
        return 2
    import tempfile

    prologue = Path(tempfile.mkstemp(suffix=".rq")[1])
    prologue.write_text(ns.sparql_prologue(), encoding="utf-8")
    queries = [q for q in list_queries(ROOT) if q.form == "SELECT" and not q.params and
               (not args.names or q.name in args.names)]
    medians = []
    print("| question | sckg s | raw s | sckg/raw median (min-max) |\n|---|---|---|---|")
    for q in queries:
        sckg = [sys.executable, "-m", "sckg", "query", q.name, "--format", "csv"]
        raw = [sys.executable, "-c", RAW, str(prologue), str(q.path), str(ROOT / "dist" / "store")]
        timed(sckg), timed(raw)  # warm the page cache
        pairs = []
        for _ in range(args.pairs):
            a, _ = timed(sckg)
            b, _ = timed(raw)
            pairs.append((a, b))
        ratios = [a / b for a, b in pairs]
        medians.append(statistics.median(ratios))
        print(f"| {q.name} | {statistics.median(a for a, _ in pairs):.3f} | "
              f"{statistics.median(b for _, b in pairs):.3f} | {statistics.median(ratios):.2f} "
              f"({min(ratios):.2f}-{max(ratios):.2f}) |", flush=True)
    print(f"\nmedian over {len(medians)} questions: {statistics.median(medians):.2f} "
          f"({min(medians):.2f}-{max(medians):.2f})")
    prologue.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
