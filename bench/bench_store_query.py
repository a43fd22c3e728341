"""`sckg query NAME` (whole process) against a raw pyoxigraph script on the same built store.

Not a test: it prints figures and ratios. Run it from the project folder after `sckg build`:

    python bench/bench_store_query.py                  # every library question, 5 pairs each
    python bench/bench_store_query.py --pairs 20 stances-matrix causal-chains
    python bench/bench_store_query.py --csv-rows 60000   # in-process: ways to write safe CSV
    python bench/bench_store_query.py --imports 20       # the import floor a Python command starts from

The raw script opens dist/store read-only, prepends the project's PREFIX lines (which `sckg query`
predeclares) to the question's text and writes CSV, with the union of the named graphs as the default
graph: the least a program can do to give the same answer from the same store. The two commands run
alternately (A B A B ...), and each ratio is taken pair by pair; the table gives the median ratio of
wall time and its min-max per question, then the median over the questions. `sckg` is the console
script installed beside this Python (what a user types), else ``python -m sckg``.
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


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def csv_paths(rows: int, repeats: int = 5) -> None:
    """How fast each way of writing spreadsheet-safe CSV is, in process, on ``rows`` text and IRI
    cells (a third of them numbers, none starting a formula: the common case). "through JSON" is the
    way before (every row through json.loads/dumps); "TSV scan" is sckg.query_answer's (Oxigraph's
    TSV, scanned for a quoted cell that starts like a formula, converted to CSV by Oxigraph); "CSV
    direct" writes Oxigraph's CSV and scans it, but CSV has lost the types, so a negative number is
    a candidate it cannot tell from text (it is the floor, not a way the rule can be kept)."""
    import re

    import pyoxigraph as ox

    from sckg.query_answer import Answer
    from sckg.safe_text import spreadsheet_safe_results

    store = ox.Store()
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"),
                              ox.Literal(str(i), datatype=integer) if i % 3 == 0 else ox.Literal(f"text value {i}"),
                              ox.NamedNode("urn:g")) for i in range(rows))
    query, union = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"use_default_graph_as_union": True}
    csv, tsv, json_ = ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV, ox.QueryResultsFormat.JSON
    cell = re.compile(rb'(?:^|,)"?[=+\-@\t\r]', re.MULTILINE)

    def through_json():
        document = spreadsheet_safe_results(store.query(query, **union).serialize(format=json_))
        return ox.parse_query_results(document, format=json_).serialize(format=csv)

    def tsv_scan():
        answer = Answer("SELECT", "oxigraph", store.query(query, **union).serialize(format=tsv), tsv)
        return answer.spreadsheet_safe().serialize("csv")

    def csv_direct():
        out = store.query(query, **union).serialize(format=csv)
        cell.search(out)
        return out

    assert through_json() == tsv_scan() == csv_direct()
    print(f"| way to write safe CSV ({rows} rows) | s median (min-max), {repeats} runs |\n|---|---|")
    for way in (through_json, tsv_scan, csv_direct):
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            way()
            times.append(time.perf_counter() - started)
        print(f"| {way.__name__.replace('_', ' ')} | {_spread(times)} |")


IMPORT_FLOOR = {
    "the raw script's imports (pyoxigraph)": "import pyoxigraph",
    "+ argparse, pathlib, dataclasses, json, hashlib":
        "import pyoxigraph, argparse, pathlib, dataclasses, json, hashlib",
    "sckg query's modules, without sckg.loader": "import sckg.cli, sckg.commands.query, sckg.query_run, "
                                                 "sckg.query_source, sckg.sparql_nesting, sckg.store",
    "sckg query's modules, with sckg.loader": "import sckg.cli, sckg.commands.query, sckg.query_run, "
                                              "sckg.query_source, sckg.sparql_nesting, sckg.store, sckg.loader",
}


def import_floor(runs: int) -> None:
    """Process time of importing, and nothing else: what any command pays before it does its work."""
    times: dict[str, list[float]] = {name: [] for name in IMPORT_FLOOR}
    for _ in range(runs):  # alternated, so load changes hit every line alike
        for name, code in IMPORT_FLOOR.items():
            times[name].append(timed([sys.executable, "-c", code])[0])
    print(f"| imports only ({runs} runs, alternated) | s median (min-max) |\n|---|---|")
    for name, values in times.items():
        print(f"| {name} | {_spread(values)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="library questions (default: every SELECT of the library)")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--module", action="store_true", help="run python -m sckg, not the sckg script")
    parser.add_argument("--csv-rows", type=int, metavar="N", help="instead: time the ways to write safe CSV")
    parser.add_argument("--imports", type=int, metavar="RUNS", help="instead: time the imports alone")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.imports:
        import_floor(args.imports)
        return 0
    if args.csv_rows:
        csv_paths(args.csv_rows)
        return 0
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
    script = Path(sys.executable).with_name("sckg")
    command = [str(script)] if script.is_file() and not args.module else [sys.executable, "-m", "sckg"]
    medians = []
    print(f"`{' '.join(Path(c).name for c in command)} query NAME --format csv` against the raw script, "
          f"{args.pairs} pairs each\n")
    print("| question | sckg s median (min-max) | raw s median (min-max) | sckg/raw median (min-max) |\n"
          "|---|---|---|---|")
    for q in queries:
        sckg = [*command, "query", q.name, "--format", "csv"]
        raw = [sys.executable, "-c", RAW, str(prologue), str(q.path), str(ROOT / "dist" / "store")]
        timed(sckg), timed(raw)  # warm the page cache
        pairs = []
        for _ in range(args.pairs):
            a, _ = timed(sckg)
            b, _ = timed(raw)
            pairs.append((a, b))
        ratios = [a / b for a, b in pairs]
        medians.append(statistics.median(ratios))
        print(f"| {q.name} | {_spread([a for a, _ in pairs])} | {_spread([b for _, b in pairs])} | "
              f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) |", flush=True)
    print(f"\nmedian over {len(medians)} questions: {statistics.median(medians):.2f} "
          f"({min(medians):.2f}-{max(medians):.2f})")
    prologue.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
