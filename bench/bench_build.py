"""Where the time of `sckg build` and `sckg validate` goes, on synthetic corpora of 1e4-1e6 triples,
as ratios against peers measured in the same pass. Not a test: it prints figures.

    python bench/bench_build.py                                   # 1e4 and 1e5, 3 runs each
    python bench/bench_build.py --sizes 1e4 1e5 1e6 --runs 3 --cap 600 --json results.json

For each size it writes a scratch project with bench/synthetic_corpus.py, then, run after run, in this
order (each in a fresh child process; wall, CPU and peak RSS from the OS's accounting of that child;
the build's OWL 2 RL closure runs in a process of its own, so its peak is the larger of the two
processes', not their sum, and its CPU is counted in):

- ``sckg build`` in-process with timers wrapped around the project's own functions: parse (the
  loader's parse_file), ground (its _ground_statement), the rest of the load, validate (and inside
  it load_shapes, run_shacl = pySHACL, run_qc = the quality checks, and shacl_and_data = the rest:
  the per-statement data SHACL gets, and the Rust engine's runs with --shacl-engine rust), owl_start
  and owl_wait (the OWL 2 RL gate's start and the wait for it), serialise (render_outputs +
  write_outputs) and store (dist/store);
- the parse peer: raw pyoxigraph loading the same Turtle files into a Store;
- ``sckg validate``, the whole process;
- the validation peer: raw pySHACL (rdflib parse of the built sckg.nt + validate with the same shapes);
- the Rust ``shacl`` package (PyPI ``shacl``) on the same file and shapes, when installed, with its
  agreement with pySHACL (conforms, number of results).

A child that runs longer than --cap seconds is stopped and reported with the phases it finished; when
the build is stopped, the size's validation runs are skipped (they are part of the build's work).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable

# ---- the child programs ---------------------------------------------------------------------------

SCKG_PHASES = r'''
import json, sys, time, functools
import sckg.loader as loader, sckg.validation as validation, sckg.outputs as outputs
import sckg.consistency as consistency, sckg.store as store
from sckg.cli import main
totals = {}
def wrap(module, name, label):
    original = getattr(module, name, None)
    if original is None:
        return
    @functools.wraps(original)
    def timed(*a, **k):
        t0 = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - t0
            if label in ("load", "validate", "render"):  # so a run stopped at the cap still says how far it got
                open(REPORT_ARG, "w").write(json.dumps(totals))
    setattr(module, name, timed)
for module, name, label in [(loader, "parse_file", "parse"), (loader, "_ground_statement", "ground"),
                            (loader, "load", "load"), (validation, "validate", "validate"),
                            (validation, "load_shapes", "shapes"), (validation, "run_shacl", "pyshacl"),
                            (validation, "run_qc", "qc"), (outputs, "render_outputs", "render"),
                            (outputs, "write_outputs", "write"), (store, "write_store", "store"),
                            (consistency.PendingCheck, "__init__", "owl_start"),
                            (consistency.PendingCheck, "finish", "owl_wait")]:
    wrap(module, name, label)
t0 = time.perf_counter()
code = main(["--root", ROOT_ARG, "build", "-q", "-o", OUT_ARG, "--shacl-engine", SHACL_ARG, "--owl-engine", OWL_ARG])
totals["total"] = time.perf_counter() - t0
totals["exit"] = code
open(REPORT_ARG, "w").write(json.dumps(totals))
'''

RAW_PARSE = r'''
import json, sys, time
from pathlib import Path
import pyoxigraph as ox
root, report = Path(ROOT_ARG), REPORT_ARG
files = [p for p in sorted((root / "ontology").rglob("*.ttl")) if p.name != "shapes.ttl"]
files += sorted((root / "data").rglob("*.ttl"))
t0 = time.perf_counter()
store = ox.Store()
for i, f in enumerate(files):
    store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:g:{i}"))
n = len(store)
open(report, "w").write(json.dumps({"parse": time.perf_counter() - t0, "quads": n, "files": len(files)}))
'''

RAW_PYSHACL = r'''
import json, time
t0 = time.perf_counter()
import rdflib, pyshacl
t1 = time.perf_counter()
data = rdflib.Graph(); data.parse(DATA_ARG, format="nt")
shapes = rdflib.Graph(); shapes.parse(SHAPES_ARG, format="turtle")
t2 = time.perf_counter()
conforms, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                            allow_warnings=True)
t3 = time.perf_counter()
results = len(list(report_graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
open(REPORT_ARG, "w").write(json.dumps({"import": t1 - t0, "parse": t2 - t1, "validate": t3 - t2,
                                        "conforms": bool(conforms), "results": results}))
'''

RUST_SHACL = r'''
import json, time
t0 = time.perf_counter()
import shacl
shapes = shacl.Shapes.from_file(SHAPES_ARG)
report = shapes.validate_file(DATA_ARG)
t1 = time.perf_counter()
open(REPORT_ARG, "w").write(json.dumps({"validate": t1 - t0, "conforms": bool(report.conforms),
                                        "results": len(report.results)}))
'''


def run_child(code: str, args: dict[str, str], cap: float, cwd: Path) -> dict:
    """Run a child Python program; its JSON report plus wall, CPU and peak RSS (MiB) from wait4."""
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    source = "".join(f"{k} = {v!r}\n" for k, v in {**args, "REPORT_ARG": str(report)}.items()) + code
    started = time.perf_counter()
    child = subprocess.Popen([PYTHON, "-c", source], cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
    deadline = started + cap
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            _, _, usage = os.wait4(child.pid, 0)
            out = {"capped": True, "wall": cap, "peak_mib": usage.ru_maxrss / 1024}
            try:
                out["reached"] = json.loads(report.read_text() or "{}")
            except json.JSONDecodeError:
                pass
            report.unlink(missing_ok=True)
            return out
        time.sleep(0.05)
    wall = time.perf_counter() - started
    out = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
           "status": os.waitstatus_to_exitcode(status)}
    try:
        out.update(json.loads(report.read_text() or "{}"))
    except json.JSONDecodeError:
        pass
    if out["status"] != 0 and "exit" not in out:
        out["stderr"] = child.stderr.read().decode(errors="replace")[-500:]
    report.unlink(missing_ok=True)
    return out


def run_command(argv: list[str], cap: float, cwd: Path) -> dict:
    """A whole CLI process: wall, CPU, peak RSS, exit code."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > cap:
            os.killpg(child.pid, signal.SIGKILL)
            os.wait4(child.pid, 0)
            return {"capped": True, "wall": cap}
        time.sleep(0.05)
    return {"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024, "status": os.waitstatus_to_exitcode(status)}


# ---- one pass ---------------------------------------------------------------------------------------

def have_rust_shacl() -> bool:
    return subprocess.run([PYTHON, "-c", "import shacl"], capture_output=True).returncode == 0


def bench_size(size: float, runs: int, cap: float, scratch: Path, engines: tuple[str, str]) -> dict:
    sys.path.insert(0, str(HERE))
    from synthetic_corpus import ROOT as _root, make_corpus, template_triples

    per_statement, project = template_triples(_root / "data" / "statements" / "cap-2011-06-17")
    statements = max(1, round((size - project) / per_statement))
    corpus = make_corpus(scratch / f"corpus-{size:.0e}", statements, "cap-2011-06-17")
    out = scratch / f"dist-{size:.0e}"
    shapes = str(corpus / "ontology" / "shapes.ttl")
    rust = have_rust_shacl()
    sckg = [str(Path(PYTHON).parent / "sckg"), "--root", str(corpus)]
    rows: dict[str, list[dict]] = {k: [] for k in ("build", "parse_peer", "validate", "pyshacl", "rust_shacl")}
    print(f"\n== {size:.0e} triples requested: {statements} synthetic statements + the project", flush=True)
    for run in range(runs):
        b = run_child(SCKG_PHASES, {"ROOT_ARG": str(corpus), "OUT_ARG": str(out), "SHACL_ARG": engines[0],
                                    "OWL_ARG": engines[1]}, cap, corpus)
        rows["build"].append(b)
        rows["parse_peer"].append(run_child(RAW_PARSE, {"ROOT_ARG": str(corpus)}, cap, corpus))
        if b.get("capped"):  # validate is a part of build's work: it would be stopped at the cap too
            print(f"  run {run + 1}: build stopped at the cap ({cap:.0f} s); validate and its peers skipped",
                  flush=True)
            break
        rows["validate"].append(run_command([*sckg, "validate", "--shacl-engine", engines[0]], cap, corpus))
        data = out / "sckg.nt"
        if data.exists():
            args = {"DATA_ARG": str(data), "SHAPES_ARG": shapes}
            rows["pyshacl"].append(run_child(RAW_PYSHACL, args, cap, corpus))
            if rust:
                rows["rust_shacl"].append(run_child(RUST_SHACL, args, cap, corpus))
        print(f"  run {run + 1}: " + ", ".join(f"{k} {v[-1].get('wall', 0):.1f} s"
                                             + (" (capped)" if v[-1].get("capped") else "")
                                             for k, v in rows.items() if v), flush=True)
    triples = rows["parse_peer"][0].get("quads") if rows["parse_peer"] else None
    return {"size": size, "statements": statements, "quads_parsed": triples, "rows": rows,
            "dist_triples": _count_lines(out / "sckg.nq")}


def _count_lines(path: Path) -> int | None:
    if not path.exists():
        return None
    with path.open("rb") as f:
        return sum(1 for _ in f)


# ---- report -------------------------------------------------------------------------------------------

def _stat(values: list[float]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def _ratios(a: list[dict], b: list[dict], ka: str, kb: str) -> str:
    pairs = [x[ka] / y[kb] for x, y in zip(a, b, strict=False) if x.get(ka) and y.get(kb)]
    return _stat(pairs)


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        rows = r["rows"]
        b, peer, v, ps, rs = rows["build"], rows["parse_peer"], rows["validate"], rows["pyshacl"], rows["rust_shacl"]
        lines.append(f"\n## {r['size']:.0e}: {r['statements']} statements, {r['dist_triples'] or '?'} quads built, "
                     f"{r['quads_parsed'] or '?'} parsed by the peer")
        if any(x.get("capped") for x in b):
            for x in b:
                reached = {k: round(t, 1) for k, t in x.get("reached", {}).items()}
                lines.append(f"sckg build: stopped at the cap of {x['wall']:.0f} s "
                             f"(peak {x.get('peak_mib', 0):.0f} MiB by then); "
                             f"phases finished by then, seconds: {json.dumps(reached)}")
            lines.append(f"parse peer (raw pyoxigraph): {_stat([x.get('parse') for x in peer])} s; "
                         f"`sckg validate`: {_stat([x.get('wall') for x in v])} s"
                         + (" (capped)" if any(x.get("capped") for x in v) else ""))
            continue
        for x in b:
            x["rest_of_load"] = x.get("load", 0) - x.get("parse", 0) - x.get("ground", 0)
            x["shacl_and_data"] = x.get("validate", 0) - x.get("shapes", 0) - x.get("pyshacl", 0) - x.get("qc", 0)
            x["serialise"] = x.get("render", 0) + x.get("write", 0)
        lines.append("| phase of sckg build | seconds, median (min-max) |")
        lines.append("|---|---|")
        # owl_start: writing the closure's input and starting the second process; owl_wait: how long the
        # build then waited for its answer after SHACL, the checks and the rendering (0 when it was faster).
        for key in ("parse", "ground", "rest_of_load", "shapes", "shacl_and_data", "pyshacl", "qc", "owl_start",
                    "serialise", "owl_wait", "store", "total"):
            lines.append(f"| {key} | {_stat([x.get(key) for x in b])} |")
        lines.append(f"| whole process: wall / CPU / peak MiB | {_stat([x.get('wall') for x in b])} / "
                     f"{_stat([x.get('cpu') for x in b])} / {_stat([x.get('peak_mib') for x in b])} |")
        lines.append("")
        lines.append("| comparison | sckg | peer | ratio sckg/peer, pair by pair |")
        lines.append("|---|---|---|---|")
        lines.append("| parse: loader's parse_file vs raw pyoxigraph Store.load | "
                     f"{_stat([x.get('parse') for x in b])} | "
                     f"{_stat([x.get('parse') for x in peer])} | {_ratios(b, peer, 'parse', 'parse')} |")
        for x in ps:
            x["parse_validate"] = (x.get("parse") or 0) + (x.get("validate") or 0) if "validate" in x else None
        lines.append(f"| validate phase vs raw pySHACL (parse + validate) | {_stat([x.get('validate') for x in b])} | "
                     f"{_stat([x.get('parse_validate') for x in ps])} | "
                     f"{_ratios(b, ps, 'validate', 'parse_validate')} |")
        lines.append("| `sckg validate` whole process vs raw pySHACL process, wall | "
                     f"{_stat([x.get('wall') for x in v])} | "
                     f"{_stat([x.get('wall') for x in ps])} | {_ratios(v, ps, 'wall', 'wall')} |")
        lines.append(f"| the same, peak MiB | {_stat([x.get('peak_mib') for x in v])} | "
                     f"{_stat([x.get('peak_mib') for x in ps])} | {_ratios(v, ps, 'peak_mib', 'peak_mib')} |")
        if rs:
            lines.append("| Rust `shacl` validate vs pySHACL validate (same file) | "
                         f"{_stat([x.get('validate') for x in rs])} | "
                         f"{_stat([x.get('validate') for x in ps])} | {_ratios(rs, ps, 'validate', 'validate')} |")
            agree = [(x.get("conforms"), x.get("results")) == (y.get("conforms"), y.get("results"))
                     for x, y in zip(rs, ps, strict=False)]
            lines.append(f"| Rust `shacl` agrees with pySHACL (conforms, result count) | "
                         f"{sorted({(x.get('conforms'), x.get('results')) for x in rs})} | "
                         f"{sorted({(y.get('conforms'), y.get('results')) for y in ps})} | {all(agree)} |")
    return "\n".join(lines)


def versions() -> str:
    import importlib.metadata as md

    names = ["rdflib", "pyshacl", "pyoxigraph", "shacl", "reasonable", "owlrl"]
    parts = []
    for n in names:
        try:
            parts.append(f"{n} {md.version(n)}")
        except md.PackageNotFoundError:
            parts.append(f"{n} not installed")
    return f"Python {platform.python_version()}, " + ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=600.0, help="seconds a child may run before it is stopped")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch corpora")
    parser.add_argument("--shacl-engine", default="pyshacl", choices=("pyshacl", "rust"))
    parser.add_argument("--owl-engine", default="reasonable", choices=("reasonable", "owlrl"))
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="sckg-bench-"))
    print(f"{versions()}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; "
          f"SHACL by {args.shacl_engine}, OWL 2 RL by {args.owl_engine}")
    results = []
    try:
        for size in args.sizes:
            results.append(bench_size(size, args.runs, args.cap, scratch, (args.shacl_engine, args.owl_engine)))
            if args.json:
                args.json.write_text(json.dumps(results, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(report(results))
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
