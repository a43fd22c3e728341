"""Oxigraph (pyoxigraph) against rdflib: parse time, a three-hop join with a count, and memory.

Not a test: it prints figures and ratios. Run it from the project folder:

    python bench/bench_engines.py                 # 1e4, 1e5, 1e6 triples (rdflib capped, see below)
    python bench/bench_engines.py --sizes 1e4 1e5 --rdflib-max 1e5

The synthetic graphs are shaped like ours: the loaded statement graph (claims, stances, argument
relations, causal links, and the sentences and Web Annotation anchors the loader computes) is copied
again and again with fresh IRIs, beside one copy of the shared entities, ontology and context. Every
measurement runs in a fresh child process, so one engine's memory never inflates the other's.

- parse: N-Triples bytes into an in-memory store (Oxigraph Store.load / rdflib Graph.parse);
- joins: two three-hop joins with a count, best of several runs: "anchors" (claim -> anchor ->
  sentence -> sentence number, inside each copy) and "holders" (stance -> holder -> class -> label,
  from each copy into the shared entities and the ontology);
- memory: growth of the process's resident set size (VmRSS) from before the parse to after it,
  which counts Rust allocations too (tracemalloc would see only rdflib's Python objects).

A full run takes a few minutes on 2 cores, most of it rdflib parsing a million triples (about a
minute per parse and over 1 GiB); --rdflib-max 1e5 skips that, and the output says so.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path

JOINS = {
    # within each copy: claim -> anchor -> sentence -> its number
    "anchors": """PREFIX sckg: <https://w3id.org/sckg/ontology#>
SELECT (COUNT(*) AS ?n) WHERE {
  ?claim sckg:hasAnchor ?anchor . ?anchor sckg:inSentence ?sentence . ?sentence sckg:sentenceNumber ?number .
}""",
    # from every copy into the shared entities and the ontology: stance -> holder -> class -> label
    "holders": """PREFIX sckg: <https://w3id.org/sckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(*) AS ?n) WHERE {
  ?stance sckg:holder ?holder . ?holder a ?class . ?class rdfs:label ?label .
}""",
}
STATEMENT_BASE = "https://w3id.org/sckg/id/cap-2011-06-17"
CACHE = Path(__file__).resolve().parent / "results"  # git-ignored: the synthetic N-Triples files


# ---- synthetic data -----------------------------------------------------------------------------

def synthetic_ntriples(target: int) -> Path:
    """N-Triples of about ``target`` triples, written once into bench/results/ and reused."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"synthetic-{target}.nt"
    if path.exists():
        return path
    import pyoxigraph as ox

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from sckg.loader import load  # the one loader: the copies start from what it builds

    kg = load()
    statement, shared = [], []
    for quad in kg.store:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        in_statement = quad.graph_name.value.startswith("https://w3id.org/sckg/graph/statement/")
        (statement if in_statement else shared).append(triple)
    lines = [str(t) + " .\n" for t in shared]
    template = "".join(str(t) + " .\n" for t in statement)
    copies = max(1, (target - len(shared)) // len(statement))
    for i in range(copies):
        # Fresh IRIs for the statement's own items (claims, anchors, sentences, phenomena...);
        # the shared actors and the ontology stay the same, as for many statements about one program.
        lines.append(template.replace(STATEMENT_BASE, f"{STATEMENT_BASE}-copy{i}"))
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.rename(path)
    return path


# ---- one measurement, in a child process --------------------------------------------------------

def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(engine: str, path: str, repeats: int, parse_repeats: int) -> dict:
    import pyoxigraph as ox  # imported before measuring: neither import time nor its memory counts
    import rdflib

    data = Path(path).read_bytes()

    def parse():
        if engine == "oxigraph":
            store = ox.Store()
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
            return store
        graph = rdflib.Graph()
        graph.parse(data=data, format="nt")
        return graph

    # Memory: the first parse, from a clean start. Time: the best of ``parse_repeats`` parses, since
    # one run on a shared 2-core machine can be slowed by anything else running.
    gc.collect()
    before = rss_kib()
    started = time.perf_counter()
    store = parse()
    parse_times = [time.perf_counter() - started]
    gc.collect()
    memory = rss_kib() - before
    size = len(store)
    for _ in range(parse_repeats - 1):
        started = time.perf_counter()
        parse()
        parse_times.append(time.perf_counter() - started)
        gc.collect()
    parse_s = min(parse_times)

    def join(query: str) -> int:
        if engine == "oxigraph":
            return int(next(iter(store.query(query)))["n"].value)
        return int(next(iter(store.query(query)))[0])

    result = {"engine": engine, "triples": size, "parse_s": parse_s, "rss_mib": memory / 1024}
    for name, query in JOINS.items():
        times, count = [], None
        for _ in range(repeats):
            t0 = time.perf_counter()
            count = join(query)
            times.append(time.perf_counter() - t0)
        result[name] = {"s": min(times), "count": count}
    return result


def measure(engine: str, path: Path, repeats: int, parse_repeats: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", engine, str(path), str(repeats), str(parse_repeats)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


# ---- the report ------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["1e4", "1e5", "1e6"], help="target triple counts")
    parser.add_argument("--rdflib-max", default="1e6", help="largest size rdflib is run at (default 1e6)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, path, repeats, parse_repeats = args.child
        print(json.dumps(child(engine, path, int(repeats), int(parse_repeats))))
        return 0

    rdflib_max = int(float(args.rdflib_max))
    names = list(JOINS)
    print(f"{'triples':>9}  {'engine':<8}  {'parse s':>8}  " + "  ".join(f"{n + ' s':>10}  {'count':>6}" for n in names)
          + f"  {'RSS MiB':>8}")
    ratios = []
    for size in (int(float(s)) for s in args.sizes):
        path = synthetic_ntriples(size)
        ox_result = measure("oxigraph", path, repeats=10, parse_repeats=3)
        rows = [ox_result]
        rd_result = None
        if size <= rdflib_max:
            rd_result = measure("rdflib", path, repeats=3, parse_repeats=2 if size < 1e6 else 1)
            rows.append(rd_result)
            for n in names:
                assert rd_result[n]["count"] == ox_result[n]["count"], f"the engines disagree on {n}"
        for r in rows:
            print(f"{r['triples']:>9}  {r['engine']:<8}  {r['parse_s']:>8.3f}  "
                  + "  ".join(f"{r[n]['s']:>10.5f}  {r[n]['count']:>6}" for n in names) + f"  {r['rss_mib']:>8.1f}")
        if rd_result is None:
            print(f"{'':>9}  rdflib    skipped: above --rdflib-max={args.rdflib_max}")
        else:
            ratios.append((ox_result["triples"], rd_result["parse_s"] / ox_result["parse_s"],
                           [rd_result[n]["s"] / ox_result[n]["s"] for n in names],
                           ox_result["rss_mib"] / rd_result["rss_mib"] if rd_result["rss_mib"] else float("nan")))
    print("\nrdflib time / Oxigraph time (how many times faster Oxigraph is); Oxigraph's memory as a share of rdflib's")
    print(f"{'triples':>9}  {'parse x':>8}  " + "  ".join(f"{n + ' x':>10}" for n in names) + f"  {'memory':>7}")
    for triples, parse, joins, memory in ratios:
        print(f"{triples:>9}  {parse:>8.1f}  " + "  ".join(f"{j:>10.0f}" for j in joins) + f"  {memory:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
